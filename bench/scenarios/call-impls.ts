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
import { bareImports, runTopLevel } from "../bare-imports.ts";
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

/** What JavaScript offers managed code to call: the operations, and Blazor's JSON entry. */
export const jsSide = {
  add: (a: number, b: number): number => a + b,
  echo: (s: string): string => s,
  /** The 1000 structs, as JS objects: each implementation makes them its own way. */
  takeItems: (items: readonly { id: number }[]): number => items.length,
};

/** Structs per crossing in the "1000 structs" scenario (bench.ts's and calls-out.ts's `makeItems(1000)`). */
export const ITEMS_PER_CALL = 1000;

function takeItemsJson(json: string): number {
  return jsSide.takeItems(JSON.parse(json) as { id: number }[]);
}

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

/** Managed code passes its 1000 structs to JS `takeItems` `n` times. */
type CallItems = (n: number) => number;

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
  callItemsJson(n: number): number;
}

/** A bare instance whose `bench` imports are the JS side, with strings crossing by hand. */
async function bareInstance(module: WebAssembly.Module): Promise<{ exports: BenchExports; strings: RawStrings }> {
  const imports = bareImports(module);
  let strings: RawStrings | null = null;
  imports.bench = {
    add: jsSide.add,
    echo: (s: number) => strings!.lower(jsSide.echo(strings!.lift(s))),
    invokeJson: (identifier: number, argsJson: number) => strings!.lower(invokeJson(strings!.lift(identifier), strings!.liftLong(argsJson))),
    takeItemsJson: (json: number) => takeItemsJson(strings!.liftLong(json)),
  };
  const instance = await WebAssembly.instantiate(module, imports);
  runTopLevel(instance.exports);
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
  runTopLevel(exports as unknown as WebAssembly.Exports);
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
async function json(module: WebAssembly.Module): Promise<CallImpl & CallOutImpl & { callItems: CallItems }> {
  const { exports, strings } = await bareInstance(module);
  const call = (entry: (argsJson: number) => number, args: unknown[]): unknown =>
    JSON.parse(strings.lift(entry(strings.lower(JSON.stringify(args)))));
  return {
    add: (a, b) => call(exports.jsonAdd, [a, b]) as number,
    echo: (s) => call(exports.jsonEcho, [s]) as string,
    callAdd: exports.callAddJson,
    callEcho: (n, s) => exports.callEchoJson(n, strings.lower(s)),
    callItems: exports.callItemsJson,
  };
}

/** as-interop's ways, each through `runtime.invokeMethod` (one per loop of calls into JS). */
interface InteropImpls extends CallImpl {
  /** JSRuntime.invoke, Blazor's way. */
  readonly dynamic: CallOutImpl & { callItems: CallItems };
  /** Typed imports (`@jsImport`). */
  readonly typed: CallOutImpl & { callItems: CallItems };
  readonly runtime: InteropRuntime;
}

async function asInterop(module: WebAssembly.Module, outModule: WebAssembly.Module): Promise<InteropImpls> {
  const runtime = new InteropRuntime();
  await runtime.loadAssembly(module, { imports: unusedBenchImports() });
  // Managed code's JSRuntime.invoke("add", …) and its typed imports resolve in this scope, as
  // Blazor's in `window`.
  await runtime.loadAssembly(outModule, { name: OUT_ASSEMBLY, scope: { ...jsSide } });
  const out = (method: string) => (...args: unknown[]) => runtime.invokeMethod<number>(OUT_ASSEMBLY, method, ...args);
  return {
    runtime,
    add: (a, b) => runtime.invokeMethod<number>(ASSEMBLY_NAME, "add", a, b),
    echo: (s) => runtime.invokeMethod<string>(ASSEMBLY_NAME, "echo", s),
    dynamic: { callAdd: out("CallAdd"), callEcho: out("CallEcho"), callItems: out("CallItems") },
    typed: { callAdd: out("CallAddTyped"), callEcho: out("CallEchoTyped"), callItems: out("CallItemsTyped") },
  };
}

/** bench.ts's `bench` imports for an instance that never runs the raw or json loops (as-interop's). */
export function unusedBenchImports(): WebAssembly.Imports {
  const unused = () => {
    throw new Error("bench.ts's managed → JS loops are not run on this instance");
  };
  return { bench: { add: unused, echo: unused, invokeJson: unused, takeItemsJson: unused } };
}

/** The bindings' instance, with the JS side as its `bench` imports (the bindings lift strings for it). */
export function bindingsImports(): WebAssembly.Imports {
  return { bench: { ...jsSide, invokeJson, takeItemsJson } };
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

/**
 * Calls into JavaScript (issue 15): managed code calls a JS function, through a plain import (the
 * limit), AssemblyScript's bindings, JSON text (Blazor's way), a typed import and `JSRuntime.invoke`.
 * A managed loop makes the calls, so one timed call from JS is `n` crossings; figures are per crossing.
 */
export async function callOutScenarios(modules: CallModules): Promise<Scenario[]> {
  const bare = await raw(modules.interop);
  const jsonWay = await json(modules.interop);
  const interop = await asInterop(modules.interop, modules.interopOut);
  const n = CALLS_PER_LOOP;
  const sumOfAdds = (count: number) => (count * (count - 1)) / 2 + 40 * count;

  const add: Scenario<CallOutImpl["callAdd"]> = {
    name: "call into JS: add(i32,i32)",
    args: [n],
    perCall: n,
    baseline: "raw-import",
    impls: [
      { impl: "raw-import", fn: bare.callAdd },
      { impl: "esm-bindings", fn: modules.bindings.callAdd },
      { impl: "json", fn: jsonWay.callAdd },
      { impl: "as-interop-typed", fn: interop.typed.callAdd },
      { impl: "as-interop-dynamic", fn: interop.dynamic.callAdd },
    ],
    check(fn) {
      expectEqual(fn(n), sumOfAdds(n), `callAdd(${n})`);
      expectEqual(fn(3), sumOfAdds(3), "callAdd(3)");
    },
  };
  const echo: Scenario<CallOutImpl["callEcho"]> = {
    name: "call into JS: echo 16-char string",
    args: [n, ECHO_INPUT],
    perCall: n,
    baseline: "esm-bindings",
    impls: [
      { impl: "raw-import", fn: bare.callEcho },
      { impl: "esm-bindings", fn: modules.bindings.callEcho },
      { impl: "json", fn: jsonWay.callEcho },
      { impl: "as-interop-typed", fn: interop.typed.callEcho },
      { impl: "as-interop-dynamic", fn: interop.dynamic.callEcho },
    ],
    check(fn) {
      expectEqual(fn(n, ECHO_INPUT), n * ECHO_INPUT.length, `callEcho(${n}, ECHO_INPUT)`);
      expectEqual(fn(2, TRICKY), 2 * TRICKY.length, "callEcho(2, TRICKY)");
    },
  };
  const items: Scenario<CallItems> = {
    name: "call into JS: 1000 structs",
    args: [1],
    initialCalls: 1,
    baseline: "json",
    impls: [
      { impl: "json", fn: jsonWay.callItems },
      { impl: "as-interop-typed", fn: interop.typed.callItems },
      { impl: "as-interop-dynamic", fn: interop.dynamic.callItems },
    ],
    check(fn) {
      expectEqual(fn(2), 2 * ITEMS_PER_CALL, "callItems(2)");
    },
  };
  return [add, echo, items];
}

/**
 * Calls into managed code that are not a static method's (issue 15): an instance method and a
 * scriptable property of an object held by reference, against a static method of the same shape;
 * and an awaited `invokeMethodAsync` of a method that completes at once, against a bare await.
 */
export async function referenceAndAsyncScenarios(modules: CallModules): Promise<Scenario[]> {
  const { runtime } = await asInterop(modules.interop, modules.interopOut);
  const counter = runtime.invokeMethod<{ invokeMethod(id: string, by: number): number; count: number }>(OUT_ASSEMBLY, "CreateCounter");
  const increment: Scenario<(by: number) => number> = {
    name: "instance call: Increment(i32)",
    args: [1],
    baseline: "static-call",
    impls: [
      { impl: "static-call", fn: (by) => runtime.invokeMethod<number>(OUT_ASSEMBLY, "IncrementStatic", by) },
      { impl: "as-interop", fn: (by) => counter.invokeMethod("Increment", by) },
    ],
    check(fn) {
      const before = counter.count;
      expectEqual(fn(2), before + 2, "Increment(2)");
    },
  };
  const get: Scenario<() => number> = {
    name: "scriptable get",
    args: [],
    baseline: "static-call",
    impls: [
      { impl: "static-call", fn: () => runtime.invokeMethod<number>(OUT_ASSEMBLY, "CountStatic") },
      { impl: "as-interop", fn: () => counter.count },
    ],
    check(fn) {
      expectEqual(fn(), runtime.invokeMethod<number>(OUT_ASSEMBLY, "CountStatic"), "count");
    },
  };
  const awaited: Scenario<(a: number, b: number) => Promise<number>> = {
    name: "awaited invokeMethodAsync",
    args: [2, 40],
    async: true,
    baseline: "bare-await",
    impls: [
      { impl: "bare-await", fn: (a, b) => Promise.resolve(a + b) },
      { impl: "as-interop", fn: (a, b) => runtime.invokeMethodAsync<number>(ASSEMBLY_NAME, "add", a, b) },
    ],
    async check(fn) {
      expectEqual(await fn(2, 40), 42, "add(2, 40)");
    },
  };
  return [increment, get, awaited];
}
