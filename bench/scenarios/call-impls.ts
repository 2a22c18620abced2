/**
 * The cost of one call, both ways, through every implementation: what `npm run bench` times in
 * Node and what the demo's performance page times in the visitor's browser. Nothing here touches
 * Node or the DOM: the caller hands over the compiled modules (see ../build.ts, and
 * web/tooling/bench-assemblies.ts for the browser).
 *
 *   JS → managed   add(i32, i32) and echo of a 16-character string, called from JavaScript
 *   managed → JS   the same two operations, called by managed code: a managed loop makes `n` calls
 *                  (bench.ts's callAdd/callEcho, calls-out.ts for as-interop), so one timed call
 *                  from JS is `n` crossings and the figures are per crossing
 *
 * Implementations (the harness's names):
 *   raw           the wasm export or import itself; strings lowered and lifted by hand (memory.ts)
 *   esm-bindings  AssemblyScript's own generated bindings (asc --bindings), which wrap exports and
 *                 imports with their string lifting
 *   loader        @assemblyscript/loader (JS → managed only: it does not wrap imports)
 *   json          Blazor's way: arguments and results as JSON text, parsed and serialized by both
 *   as-interop    `runtime.invokeMethod` one way, `JSRuntime.invoke` the other
 */
import { instantiate as instantiateWithLoader } from "@assemblyscript/loader";
import { InteropRuntime } from "../../host/runtime/index.ts";
import { bareImports } from "../bare-imports.ts";
import type { ImplName, Scenario } from "../harness.ts";
import { RawStrings, type BareExports } from "../memory.ts";

/** 16 characters, nothing that JSON must escape: the common case. */
export const ECHO_INPUT = "Hello, interop!?";

/** Checked once per implementation besides ECHO_INPUT: escapes, a surrogate pair, non-ASCII. */
const TRICKY = 'q"\\/\n\t\u0001é😀 end';

/** Crossings per timed call in the managed → JS scenarios. */
export const CALLS_PER_LOOP = 100;

export const ASSEMBLY_NAME = "Bench";
const OUT_ASSEMBLY = "BenchCallsOut";

/** What JavaScript offers managed code to call: the two operations, and Blazor's JSON entry. */
export const jsSide = {
  add: (a: number, b: number): number => a + b,
  echo: (s: string): string => s,
};

function invokeJson(identifier: string, argsJson: string): string {
  const fn = jsSide[identifier as keyof typeof jsSide] as (...args: unknown[]) => unknown;
  return JSON.stringify([fn(...(JSON.parse(argsJson) as unknown[]))]);
}

export interface CallImpl {
  add(a: number, b: number): number;
  echo(s: string): string;
}

export interface CallOutImpl {
  /** Managed code calls JS `add(i, 40)` `n` times. */
  callAdd(n: number): number;
  /** Managed code calls JS `echo(s)` `n` times. */
  callEcho(n: number, s: string): number;
}

/** What the generated bindings of bench.ts give (asc --bindings raw, instantiated). */
export interface BindingsExports extends CallImpl, CallOutImpl {}

/** The bindings' `instantiate(module, imports)`, as asc --bindings raw generates it. */
export type InstantiateBindings = (module: WebAssembly.Module, imports: WebAssembly.Imports) => Promise<BindingsExports>;

/** The bench binary's exports as a bare instance sees them. */
interface BenchExports extends BareExports {
  add(a: number, b: number): number;
  echo(s: number): number;
  jsonAdd(argsJson: number): number;
  jsonEcho(argsJson: number): number;
  callAdd(n: number): number;
  callEcho(n: number, s: number): number;
  callAddJson(n: number): number;
  callEchoJson(n: number, s: number): number;
}

/** A bare instance whose `bench` imports are the JS side, with strings crossing by hand. */
async function bareInstance(module: WebAssembly.Module): Promise<{ exports: BenchExports; strings: RawStrings }> {
  const imports = bareImports(module);
  let strings: RawStrings | null = null;
  imports.bench = {
    add: jsSide.add,
    echo: (s: number) => strings!.lower(jsSide.echo(strings!.lift(s))),
    invokeJson: (identifier: number, argsJson: number) => strings!.lower(invokeJson(strings!.lift(identifier), strings!.liftLong(argsJson))),
  };
  const instance = await WebAssembly.instantiate(module, imports);
  const exports = instance.exports as unknown as BenchExports;
  strings = new RawStrings(exports);
  return { exports, strings };
}

/** The export itself; strings lowered and lifted by hand (memory.ts: __new + charCodeAt, fromCharCode). */
async function raw(module: WebAssembly.Module): Promise<CallImpl & CallOutImpl> {
  const { exports, strings } = await bareInstance(module);
  return {
    add: exports.add,
    // No pin needed: nothing allocates between __new and the call, and echo allocates nothing.
    echo: (s) => strings.lift(exports.echo(strings.lower(s))),
    callAdd: exports.callAdd,
    // Managed code allocates nothing before it passes `s` on, so it needs no pin either.
    callEcho: (n, s) => exports.callEcho(n, strings.lower(s)),
  };
}

/** @assemblyscript/loader, used as its README shows: __newString, call, __getString. */
async function loader(module: WebAssembly.Module): Promise<CallImpl> {
  const { exports } = await instantiateWithLoader<{ add(a: number, b: number): number; echo(s: number): number }>(module, bareImports(module));
  return {
    add: exports.add,
    echo: (s) => exports.__getString(exports.echo(exports.__newString(s))),
  };
}

/**
 * Blazor's way: the arguments as a JSON array in a managed String, parsed by managed code
 * (bench.ts's jsonAdd/jsonEcho); the result comes back as JSON text and goes through JSON.parse.
 * Managed → JS, managed code writes the JSON and JS parses it (invokeJson above). Strings cross
 * by the same hand-written code as raw, so json − raw is the JSON work.
 */
async function json(module: WebAssembly.Module): Promise<CallImpl & CallOutImpl> {
  const { exports, strings } = await bareInstance(module);
  const call = (entry: (argsJson: number) => number, args: unknown[]): unknown =>
    JSON.parse(strings.lift(entry(strings.lower(JSON.stringify(args)))));
  return {
    add: (a, b) => call(exports.jsonAdd, [a, b]) as number,
    echo: (s) => call(exports.jsonEcho, [s]) as string,
    callAdd: exports.callAddJson,
    callEcho: (n, s) => exports.callEchoJson(n, strings.lower(s)),
  };
}

async function asInterop(module: WebAssembly.Module, outModule: WebAssembly.Module): Promise<CallImpl & CallOutImpl> {
  const runtime = new InteropRuntime();
  await runtime.loadAssembly(module, { imports: unusedBenchImports() });
  // Managed code's JSRuntime.invoke("add", …) resolves in this scope, as Blazor's in `window`.
  await runtime.loadAssembly(outModule, { name: OUT_ASSEMBLY, scope: { ...jsSide } });
  return {
    add: (a, b) => runtime.invokeMethod<number>(ASSEMBLY_NAME, "add", a, b),
    echo: (s) => runtime.invokeMethod<string>(ASSEMBLY_NAME, "echo", s),
    callAdd: (n) => runtime.invokeMethod<number>(OUT_ASSEMBLY, "CallAdd", n),
    callEcho: (n, s) => runtime.invokeMethod<number>(OUT_ASSEMBLY, "CallEcho", n, s),
  };
}

/** bench.ts's `bench` imports for an instance that never runs the raw or json loops (as-interop's). */
export function unusedBenchImports(): WebAssembly.Imports {
  const unused = () => {
    throw new Error("bench.ts's managed → JS loops are not run on this instance");
  };
  return { bench: { add: unused, echo: unused, invokeJson: unused } };
}

/** The bindings' instance, with the JS side as its `bench` imports (the bindings lift strings for it). */
export function bindingsImports(): WebAssembly.Imports {
  return { bench: { ...jsSide, invokeJson } };
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) {
    throw new Error(`${what} returned ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

export interface CallModules {
  /** bench.ts compiled by as-interop (-O3): raw, loader, json and as-interop call it. */
  readonly interop: WebAssembly.Module;
  /** calls-out.ts compiled by as-interop (-O3): as-interop's managed → JS loops. */
  readonly interopOut: WebAssembly.Module;
  /** bench.ts's esm bindings, instantiated with bindingsImports(). */
  readonly bindings: BindingsExports;
}

/** The two JS → managed scenarios. */
export async function callScenarios(modules: CallModules): Promise<Scenario[]> {
  const implementations: Record<Extract<ImplName, "raw" | "esm-bindings" | "loader" | "json" | "as-interop">, CallImpl> = {
    raw: await raw(modules.interop),
    "esm-bindings": modules.bindings,
    loader: await loader(modules.interop),
    json: await json(modules.interop),
    "as-interop": await asInterop(modules.interop, modules.interopOut),
  };
  const all = Object.entries(implementations) as [ImplName, CallImpl][];

  // The timed functions below only see one input; make sure the rest of the behaviour is right too.
  for (const [impl, { echo }] of all) expectEqual(echo(TRICKY), TRICKY, `${impl}: echo(TRICKY)`);

  const add: Scenario<CallImpl["add"]> = {
    name: "add(i32,i32)",
    args: [2, 40],
    impls: all.map(([impl, { add }]) => ({ impl, fn: add })),
    check(fn) {
      expectEqual(fn(2, 40), 42, "add(2, 40)");
      expectEqual(fn(-50, 40), -10, "add(-50, 40)");
    },
  };
  const echo: Scenario<CallImpl["echo"]> = {
    name: "echo 16-char string",
    args: [ECHO_INPUT],
    impls: all.map(([impl, { echo }]) => ({ impl, fn: echo })),
    check(fn) {
      expectEqual(fn(ECHO_INPUT), ECHO_INPUT, "echo(ECHO_INPUT)");
    },
  };
  return [add, echo];
}

/** The two managed → JS scenarios: the same operations, managed code calling JavaScript. */
export async function callOutScenarios(modules: CallModules): Promise<Scenario[]> {
  const implementations: Record<Extract<ImplName, "raw" | "esm-bindings" | "json" | "as-interop">, CallOutImpl> = {
    raw: await raw(modules.interop),
    "esm-bindings": modules.bindings,
    json: await json(modules.interop),
    "as-interop": await asInterop(modules.interop, modules.interopOut),
  };
  const all = Object.entries(implementations) as [ImplName, CallOutImpl][];
  const n = CALLS_PER_LOOP;
  const sumOfAdds = (count: number) => (count * (count - 1)) / 2 + 40 * count;

  const add: Scenario<CallOutImpl["callAdd"]> = {
    name: "JS add(i32,i32) from managed",
    args: [n],
    perCall: n,
    impls: all.map(([impl, { callAdd }]) => ({ impl, fn: callAdd })),
    check(fn) {
      expectEqual(fn(n), sumOfAdds(n), `callAdd(${n})`);
      expectEqual(fn(3), sumOfAdds(3), "callAdd(3)");
    },
  };
  const echo: Scenario<CallOutImpl["callEcho"]> = {
    name: "JS echo 16-char string from managed",
    args: [n, ECHO_INPUT],
    perCall: n,
    impls: all.map(([impl, { callEcho }]) => ({ impl, fn: callEcho })),
    check(fn) {
      expectEqual(fn(n, ECHO_INPUT), n * ECHO_INPUT.length, `callEcho(${n}, ECHO_INPUT)`);
      expectEqual(fn(2, TRICKY), 2 * TRICKY.length, "callEcho(2, TRICKY)");
    },
  };
  return [add, echo];
}
