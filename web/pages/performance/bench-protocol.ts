/** Messages between the performance page and its benchmark worker. */
import type { BenchOptions } from "../../../bench/harness.ts";

export type BenchRequest = Pick<BenchOptions, "runs" | "runMs" | "warmupMs">;

export interface Figure {
  readonly impl: string;
  /** Median ns per operation. */
  readonly ns: number;
  readonly runs: number;
}

export type BenchMessage =
  | { readonly type: "progress"; readonly done: number; readonly total: number; readonly scenario: string }
  | {
      readonly type: "result";
      readonly benchmark: string;
      readonly scenario: string;
      /** The implementation the ratios are to: the limit the scenario is measured against. */
      readonly baseline: string;
      readonly figures: readonly Figure[];
    }
  | { readonly type: "done"; readonly ms: number }
  | { readonly type: "failed"; readonly message: string };
