/**
 * What the performance page measures, as a list: each entry builds scenarios of the benchmarks'
 * harness (bench/harness.ts) from the compiled modules. Adding a comparison to the page is one
 * more entry here (say, typed JS imports when they land), nothing else.
 */
import type { Scenario } from "../../../bench/harness.ts";
import { callOutScenarios, callScenarios, referenceAndAsyncScenarios, type CallModules } from "../../../bench/scenarios/call-impls.ts";

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
    id: "references-and-async",
    title: "Objects and promises",
    description:
      "JavaScript calls a method and reads a property of a managed object it holds by reference (`DotNetObjectReference`), " +
      "against a static method of the same shape; and awaits `invokeMethodAsync`, against a bare `await`.",
    scenarios: referenceAndAsyncScenarios,
  },
  {
    id: "managed-to-js",
    title: "Managed → JavaScript",
    description:
      "AssemblyScript calls a JavaScript function: `add` and `echo` the other way, 100 calls a loop, figures per call, and " +
      "1000 structs handed over at once; through a plain import, a typed import (`@jsImport`) and `JSRuntime.invoke`.",
    scenarios: callOutScenarios,
  },
];

/** Each implementation's name on a chart's bar, and in its table (longer). */
export const IMPL_LABELS: Readonly<Record<string, string>> = {
  raw: "raw wasm",
  "raw-import": "raw import",
  "esm-bindings": "AS bindings",
  loader: "AS loader",
  json: "JSON (Blazor)",
  "as-interop": "as-interop",
  "as-interop-typed": "typed import",
  "as-interop-dynamic": "JSRuntime.invoke",
  "static-call": "static call",
  "bare-await": "bare await",
};

export const IMPL_DESCRIPTIONS: Readonly<Record<string, string>> = {
  raw: "the raw wasm export or import (the floor)",
  "esm-bindings": "AssemblyScript's own generated bindings",
  loader: "@assemblyscript/loader",
  json: "JSON text, as Blazor marshals",
  "as-interop": "as-interop",
  "raw-import": "a plain wasm import (the floor)",
  "as-interop-typed": "as-interop, a typed import (@jsImport)",
  "as-interop-dynamic": "as-interop, JSRuntime.invoke (Blazor's way)",
  "static-call": "a static @jsInvokable method of the same shape (the floor)",
  "bare-await": "await Promise.resolve(x) (the floor)",
};
