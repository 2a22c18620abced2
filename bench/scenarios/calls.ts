/**
 * The cost of one call: `add(i32, i32)` (nothing to marshal but numbers) and `echo(string)` of a
 * 16-character string (one string in, the same string out), each through every implementation.
 *
 * Which binary each implementation runs (see ../build.ts), each in an instance of its own so that
 * one implementation's garbage never triggers a collection in another's timing:
 *   raw, loader, json, as-interop   the binary from as-interop's compile()
 *   esm-bindings                    asc --bindings esm's own build of the same source
 */
import { bareImports } from "../bare-imports.ts";
import { instantiate } from "@assemblyscript/loader";
import { InteropRuntime } from "../../host/runtime/index.ts";
import { ASSEMBLY_NAME, esmBindings, interopBinary } from "../build.ts";
import type { ImplName, Scenario } from "../harness.ts";
import { RawStrings, type BareExports } from "../memory.ts";

/** 16 characters, nothing that JSON must escape: the common case. */
export const ECHO_INPUT = "Hello, interop!?";

/** Checked once per implementation besides ECHO_INPUT: escapes, a surrogate pair, non-ASCII. */
const TRICKY = 'q"\\/\n\t\u0001é😀 end';

interface CallImpl {
  add(a: number, b: number): number;
  echo(s: string): string;
}

/** The bench binary's exports as a bare instance sees them. */
interface BenchExports extends BareExports {
  add(a: number, b: number): number;
  echo(s: number): number;
  jsonAdd(argsJson: number): number;
  jsonEcho(argsJson: number): number;
}

async function bareInstance(module: WebAssembly.Module): Promise<BenchExports> {
  const instance = await WebAssembly.instantiate(module, bareImports(module));
  return instance.exports as unknown as BenchExports;
}

/** The export itself; strings lowered and lifted by hand (memory.ts: __new + charCodeAt, fromCharCode). */
async function raw(module: WebAssembly.Module): Promise<CallImpl> {
  const exports = await bareInstance(module);
  const strings = new RawStrings(exports);
  return {
    add: exports.add,
    // No pin needed: nothing allocates between __new and the call, and echo allocates nothing.
    echo: (s) => strings.lift(exports.echo(strings.lower(s))),
  };
}

/** @assemblyscript/loader, used as its README shows: __newString, call, __getString. */
async function loader(module: WebAssembly.Module): Promise<CallImpl> {
  const { exports } = await instantiate<{ add(a: number, b: number): number; echo(s: number): number }>(
    module,
    bareImports(module),
  );
  return {
    add: exports.add,
    echo: (s) => exports.__getString(exports.echo(exports.__newString(s))),
  };
}

/**
 * Blazor's way: the arguments as a JSON array in a managed String, parsed by managed code
 * (bench.ts's jsonAdd/jsonEcho); the result comes back as JSON text and goes through JSON.parse.
 * Strings cross by the same hand-written code as raw, so json − raw is the JSON work.
 */
async function json(module: WebAssembly.Module): Promise<CallImpl> {
  const exports = await bareInstance(module);
  const strings = new RawStrings(exports);
  const call = (entry: (argsJson: number) => number, args: unknown[]): unknown =>
    JSON.parse(strings.lift(entry(strings.lower(JSON.stringify(args)))));
  return {
    add: (a, b) => call(exports.jsonAdd, [a, b]) as number,
    echo: (s) => call(exports.jsonEcho, [s]) as string,
  };
}

async function asInterop(module: WebAssembly.Module): Promise<CallImpl> {
  const runtime = new InteropRuntime();
  await runtime.loadAssembly(module);
  return {
    add: (a, b) => runtime.invokeMethod<number>(ASSEMBLY_NAME, "add", a, b),
    echo: (s) => runtime.invokeMethod<string>(ASSEMBLY_NAME, "echo", s),
  };
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) {
    throw new Error(`${what} returned ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}

export async function callScenarios(): Promise<Scenario[]> {
  const module = await interopBinary();
  const implementations: Record<Extract<ImplName, "raw" | "esm-bindings" | "loader" | "json" | "as-interop">, CallImpl> = {
    raw: await raw(module),
    "esm-bindings": await esmBindings(),
    loader: await loader(module),
    json: await json(module),
    "as-interop": await asInterop(module),
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
