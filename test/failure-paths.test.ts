/**
 * Failure paths of every entry point, one row each: a call that registers handles (JS objects,
 * DotNetObjectReferences, delegates, views) and then fails at a later step. After it,
 * `diagnostics()` is back where it was before the call, and the instance still answers.
 * The fixture is test/fixtures/failure-paths.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime, type LoadedAssembly, type WorkerAssembly } from "../host/runtime/index.ts";
import type { DotNetObject } from "../host/refs/dotnet-object.ts";
import { createJSObjectReference, createJSStreamReference } from "../host/js/object-references.ts";
import { compileFixture } from "./helpers.ts";

const NAME = "failure-paths";
let runtime: InteropRuntime;
let assembly: LoadedAssembly;

/** A class instance: it reaches managed code as a handle (a plain object would be copied). */
class Thing {}
/** What the fixture's calls into JS find: each gives a value that fails once a JS object is in it. */
const fp = {
  tagged: () => ({ tag: new Thing(), n: 1.5 }),
  taggedValue: { tag: new Thing(), n: 1.5 },
  taggedLater: async () => ({ tag: new Thing(), n: 1.5 }),
  objects: () => [new Thing(), 5],
  count: (...args: unknown[]) => args.length,
  things: () => [new Thing(), new Thing(), new Thing()],
};

/** The same assembly with small limits: at most 2 handles of each kind, values of at most 64 bytes. */
let limited: InteropRuntime;
let limitedAssembly: LoadedAssembly;
let module: WebAssembly.Module;

beforeAll(async () => {
  ({ module } = await compileFixture(NAME));
  (globalThis as Record<string, unknown>).fp = fp;
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(module);
  limited = new InteropRuntime();
  limitedAssembly = await limited.loadAssembly(module, { maxHandles: 2, maxPayloadBytes: 64 });
});
afterAll(() => {
  delete (globalThis as Record<string, unknown>).fp;
});

const call = (method: string, ...args: unknown[]): unknown => runtime.invokeMethod(NAME, method, ...args);
const callAsync = (method: string, ...args: unknown[]): Promise<unknown> => runtime.invokeMethodAsync(NAME, method, ...args);

type Helper = DotNetObject & { Tag: unknown };
/** A struct holding a JS object whose number is not an i32: it fails after the object has a handle. */
const badTagged = () => ({ tag: {}, n: 1.5 });

interface Row {
  readonly entry: string;
  readonly failure: string;
  /** Makes what the call needs, before the tables are read (disposed after). */
  readonly setup?: () => { dispose?(): void } & Record<string, unknown>;
  /** The call: it must throw, reject, or give what `expected` says. */
  readonly run: (made: Record<string, unknown>) => unknown;
  /** What the call gives when it does not fail (a `try…` reporting the failure). */
  readonly expected?: unknown;
}

const rows: Row[] = [
  // JS → managed
  { entry: "invokeMethod", failure: "argument 1 of the wrong type", run: () => call("take", 5, { tag: null, n: 1 }, 1) },
  { entry: "invokeMethod", failure: "argument 2 fails deep, after two JS objects", run: () => call("take", {}, badTagged(), 1) },
  { entry: "invokeMethod", failure: "argument 3 fails, after two JS objects", run: () => call("take", {}, { tag: {}, n: 1 }, "x") },
  {
    entry: "invokeMethod",
    failure: "a getter JS gave throws, after two JS objects",
    run: () => {
      const throwing = {
        tag: {},
        get n(): number {
          throw new RangeError("a getter that throws");
        },
      };
      return call("take", {}, throwing, 1);
    },
  },
  { entry: "invokeMethodAsync", failure: "argument 2 fails deep", run: () => callAsync("take", {}, badTagged(), 1) },
  {
    entry: "invokeMethod",
    failure: "argument 2 fails deep, after a reference JS made (createJSObjectReference)",
    run: () => call("take", createJSObjectReference({}), badTagged(), 1),
  },
  { entry: "invokeMethod", failure: "argument 2 fails deep, after stream data (a JSStreamReference)", run: () => call("takeStream", new Uint8Array(4), badTagged()) },
  {
    entry: "invokeMethod",
    failure: "argument 2 fails deep, after a reference JS made to stream data (createJSStreamReference)",
    run: () => call("takeStream", createJSStreamReference(new Uint8Array(4)), badTagged()),
  },
  { entry: "invokeMethod", failure: "managed code aborts (after disposing its object)", run: () => call("takeThenAbort", {}, "boom") },
  { entry: "invokeMethod", failure: "the result fails to convert after a reference", run: () => call("badHolder") },
  { entry: "invokeMethodAsync", failure: "the task's result fails to convert after a reference", run: () => callAsync("badHolderLater") },
  { entry: "invokeMethodAsync", failure: "a faulted task", run: () => callAsync("faulted", "no") },
  {
    entry: "DotNetObject.invokeMethod",
    failure: "argument 2 fails deep",
    setup: () => ({ helper: call("newHelper") as Helper }),
    run: ({ helper }) => (helper as Helper).invokeMethod("Take", {}, badTagged()),
  },
  {
    entry: "DotNetObject.invokeMethodAsync",
    failure: "argument 2 fails deep",
    setup: () => ({ helper: call("newHelper") as Helper }),
    run: ({ helper }) => (helper as Helper).invokeMethodAsync("Take", {}, badTagged()),
  },
  {
    entry: "scriptable property set",
    failure: "the value fails deep",
    setup: () => ({ helper: call("newHelper") as Helper }),
    run: ({ helper }) => ((helper as Helper).Tag = badTagged()),
  },
  {
    entry: "a delegate JS calls",
    failure: "argument 2 fails deep",
    setup: () => ({ fn: call("newDelegate") }),
    run: ({ fn }) => (fn as (...args: unknown[]) => unknown)({}, badTagged()),
  },
  {
    entry: "list view push",
    failure: "the second value fails",
    setup: () => ({ list: call("newTaggedList") }),
    run: ({ list }) => (list as unknown[]).push({ tag: {}, n: 1 }, badTagged()),
  },
  {
    entry: "list view splice",
    failure: "the element removed fails to reach JS, after the inserted one got a handle",
    setup: () => ({ list: call("newMixedList") }),
    run: ({ list }) => (list as unknown[]).splice(0, 1, { tag: new Thing(), big: 1 }),
  },
  // managed → JS
  { entry: "@jsImport (sync struct result)", failure: "the result fails after a JS object", run: () => call("typedImportTagged") },
  { entry: "@jsImport (sync array result)", failure: "the second element fails after a JS object", run: () => call("typedImportObjects") },
  { entry: "@jsImport (JSResult<T>)", failure: "the result fails after a JS object", run: () => call("typedImportTaggedTry"), expected: false },
  { entry: "@jsImport (Task<T>)", failure: "the promise's value fails after a JS object", run: () => callAsync("typedImportTaggedLater") },
  { entry: "@jsImport", failure: "argument 3 fails after a reference and a delegate", run: () => call("typedImportBadArgument") },
  { entry: "JSRuntime.invoke", failure: "the result fails after a JS object", run: () => call("invokeTagged") },
  { entry: "JSRuntime.tryInvoke", failure: "the result fails after a JS object", run: () => call("tryInvokeTagged"), expected: false },
  { entry: "JSRuntime.getValue", failure: "the value fails after a JS object", run: () => call("getValueTagged") },
  { entry: "JSRuntime.invokeAsync", failure: "the promise's value fails after a JS object", run: () => callAsync("invokeAsyncTagged") },
  { entry: "JSRuntime.invoke", failure: "argument 3 fails after a reference and a delegate", run: () => call("invokeBadArgument") },
  { entry: "JSRuntime.invokeAwait", failure: "refused before JS is called (no JSPI, or not suspendable)", run: () => call("invokeAwaitWithReference") },
];

/** The handle tables, pending tasks and pins (not memory, which a call may grow). */
function tables(of = assembly): Record<string, number> {
  const { memoryBytes, ...counts } = of.diagnostics();
  void memoryBytes;
  return counts;
}

/** How a row's call ended: its value, or what it threw or rejected with. */
async function outcome(run: () => unknown): Promise<{ value?: unknown; error?: unknown }> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error };
  }
}

describe("a call that fails part way leaves every table as it was", () => {
  it.each(rows.map((row) => [`${row.entry}: ${row.failure}`, row] as const))("%s", async (_, row) => {
    const made = row.setup?.() ?? {};
    const before = tables();
    const { value, error } = await outcome(() => row.run(made));
    if ("expected" in row) expect(value).toBe(row.expected);
    else expect(error, `expected the call to fail, it gave ${String(value)}`).toBeInstanceOf(Error);
    expect(tables()).toEqual(before);
    for (const value of Object.values(made)) (value as { dispose?(): void }).dispose?.();
    // The instance still answers.
    expect(call("release", {}, { tag: {}, n: 2 })).toBe(2);
  });
});

const callLimited = (method: string, ...args: unknown[]): unknown => limited.invokeMethod(NAME, method, ...args);

const limitRows: Row[] = [
  { entry: "invokeMethod", failure: "maxPayloadBytes: argument 2 is over it, after a JS object", run: () => callLimited("takeText", {}, "x".repeat(100)) },
  { entry: "JSRuntime.invoke", failure: "maxPayloadBytes: the identifier is over it, with a reference among the arguments", run: () => callLimited("invokeLongIdentifier", 100) },
  { entry: "JSRuntime.setValue", failure: "maxPayloadBytes: the identifier is over it, the value a reference", run: () => callLimited("setValueLongIdentifier", 100) },
  { entry: "@jsImport (sync array result)", failure: "maxHandles: the third JS object is past it", run: () => callLimited("typedImportThings") },
];

describe("a call that fails at a limit leaves every table as it was", () => {
  it.each(limitRows.map((row) => [`${row.entry}: ${row.failure}`, row] as const))("%s", async (_, row) => {
    const before = tables(limitedAssembly);
    const { value, error } = await outcome(() => row.run({}));
    expect(error, `expected the call to fail, it gave ${String(value)}`).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/maxPayloadBytes|maxHandles/);
    expect(tables(limitedAssembly)).toEqual(before);
    expect(callLimited("release", {}, { tag: {}, n: 2 })).toBe(2);
  });
});

describe("a list view's removal of an element that cannot reach JS loses nothing", () => {
  // The element's i64 is past 2^53, which JS cannot hold as a number: pop, shift and splice fail,
  // and the element is still in the list (it was removed first, and lost with the error).
  it.each([
    ["pop", (list: unknown[]) => list.pop()],
    ["shift", (list: unknown[]) => list.shift()],
    ["splice", (list: unknown[]) => list.splice(0, 1)],
  ] as const)("%s fails with the list as it was", (_, remove) => {
    const list = call("newMixedList") as unknown[];
    expect(() => remove(list)).toThrow(/2\^53|safe integer|precision/i);
    expect(call("mixedLength")).toBe(1);
  });
});

/** The same `fp` in a worker's realm, where a worker-hosted assembly's calls into JS look. */
const FP_MODULE = `class Thing {}
globalThis.fp = {
  tagged: () => ({ tag: new Thing(), n: 1.5 }),
  taggedValue: { tag: new Thing(), n: 1.5 },
  taggedLater: async () => ({ tag: new Thing(), n: 1.5 }),
  objects: () => [new Thing(), 5],
  count: (...args) => args.length,
  things: () => [new Thing(), new Thing(), new Thing()],
};
`;

describe("in a worker, a call that fails part way leaves the tables of both sides as they were", () => {
  let folder: string;
  let worker: WorkerAssembly;
  let callInWorker: (method: string, ...args: unknown[]) => Promise<unknown>;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), "as-interop-failure-paths-"));
    const file = join(folder, "fp.mjs");
    writeFileSync(file, FP_MODULE);
    // A runtime of its own, kept for every row (worker-helpers' unloads after each test).
    const host = new InteropRuntime();
    worker = (await host.loadAssembly(module, {
      worker: { modules: [pathToFileURL(file).href] },
      // The module defines fp once the worker has loaded the assembly.
      importBinding: "first-call",
    })) as WorkerAssembly;
    callInWorker = (method, ...args) => host.invokeMethodAsync(NAME, method, ...args);
    unload = () => host.unloadAssembly(NAME);
  });
  let unload = () => {};
  afterAll(() => {
    unload();
    rmSync(folder, { recursive: true, force: true });
  });

  const workerRows: readonly (readonly [string, readonly unknown[]])[] = [
    ["take", [{}, badTagged(), 1]],
    ["take", [{}, { tag: {}, n: 1 }, "x"]],
    ["badHolder", []],
    ["badHolderLater", []],
    ["faulted", ["no"]],
    ["typedImportTagged", []],
    ["typedImportObjects", []],
    ["typedImportTaggedLater", []],
    ["typedImportBadArgument", []],
    ["invokeTagged", []],
    ["invokeAsyncTagged", []],
    ["invokeBadArgument", []],
    ["invokeAwaitWithReference", []],
  ];
  it.each(workerRows)("%s fails", async (method, args) => {
    const counts = async () => {
      const { memoryBytes, ...rest } = await worker.diagnostics();
      void memoryBytes;
      return rest;
    };
    const before = await counts();
    const { error } = await outcome(() => callInWorker(method, ...args));
    expect(error).toBeInstanceOf(Error);
    expect(await counts()).toEqual(before);
    expect(await callInWorker("release", {}, { tag: {}, n: 2 })).toBe(2);
  });
});
