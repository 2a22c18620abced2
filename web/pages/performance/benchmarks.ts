/**
 * What the performance page measures, as a list: each entry builds scenarios of the benchmarks'
 * harness (bench/harness.ts) from the compiled modules. Adding a comparison to the page is one
 * more entry here (say, typed JS imports when they land), nothing else.
 */
import type { Scenario } from "../../../bench/harness.ts";
import { callOutScenarios, callScenarios, type CallModules } from "../../../bench/scenarios/call-impls.ts";

export interface Benchmark {
  readonly id: string;
  /** The heading of its chart. */
  readonly title: string;
  /** One sentence under the heading. */
  readonly description: string;
  readonly scenarios: (modules: CallModules) => Promise<Scenario[]>;
}

export const benchmarks: readonly Benchmark[] = [
  {
    id: "js-to-managed",
    title: "JavaScript → managed",
    description: "JavaScript calls an exported AssemblyScript function: `add(2, 40)`, and `echo` of a 16-character string.",
    scenarios: callScenarios,
  },
  {
    id: "managed-to-js",
    title: "Managed → JavaScript",
    description:
      "AssemblyScript calls a JavaScript function: the same two operations the other way, 100 calls a loop, figures per call.",
    scenarios: callOutScenarios,
  },
];

/** Each implementation's name on a chart's bar, and in its table (longer). */
export const IMPL_LABELS: Readonly<Record<string, string>> = {
  raw: "raw wasm",
  "esm-bindings": "AS bindings",
  loader: "AS loader",
  json: "JSON (Blazor)",
  "as-interop": "as-interop",
};

export const IMPL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  raw: "the raw wasm export or import (the floor)",
  "esm-bindings": "AssemblyScript's own generated bindings",
  loader: "@assemblyscript/loader",
  json: "JSON text, as Blazor marshals",
  "as-interop": "as-interop",
};
