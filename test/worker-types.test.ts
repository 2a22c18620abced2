/**
 * The types of an assembly loaded with `{ worker }` (`Remote<T>`, host/api/remote.ts). The worker
 * fixture's generated declarations are checked in (test/types/worker.assembly.d.ts, kept current
 * by the first test), so `npm run typecheck` checks this file against them: correct use compiles,
 * and each misuse below is rejected at its line (`@ts-expect-error` fails when nothing is). Run,
 * the same calls give what the types claim.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assemblyImport, type LoadAssembly, type Remote, type RemoteList, type RemoteObject, type WorkerAssemblyApi } from "../host/api/index.ts";
import { renderDeclarations } from "../host/compiler/typings.ts";
import type { DotNetObject } from "../host/api/facade.ts";
import type { DotNetStream, DotNetStreamSink, ListView, MemoryView } from "../host/runtime/index.ts";
import type { Board, Counter, Methods } from "./fixtures/worker.ts?assembly";
import { compileFixture } from "./helpers.ts";
import { disposableRuntime } from "./worker-helpers.ts";

const DECLARATIONS = new URL("./types/worker.assembly.d.ts", import.meta.url);

it("test/types/worker.assembly.d.ts is what the worker fixture generates (UPDATE_TYPES=1 rewrites it)", async () => {
  const { manifest } = await compileFixture("worker");
  const text = renderDeclarations(manifest, {
    entry: "test/fixtures/worker.ts",
    apiModule: "../../host/api/index.ts",
    runtimeModule: "../../host/runtime/index.ts",
  });
  if (process.env.UPDATE_TYPES) writeFileSync(DECLARATIONS, text);
  expect(readFileSync(DECLARATIONS, "utf8")).toBe(text);
});

describe("what the types claim is what a worker gives", () => {
  it("load({ worker: true }): every method async; references, delegates and lists remote, their members async", async () => {
    const { binary } = await compileFixture("worker");
    // As the generated module types the import (its `load`).
    const imported = assemblyImport("test:worker-types", "worker", "unused:", { read: async () => binary }) as unknown as {
      readonly load: LoadAssembly<Methods, Methods<bigint>>;
    };
    const api: WorkerAssemblyApi<Methods> = await imported.load({ runtime: disposableRuntime(), worker: true });

    const sum: number = await api.add(2, 3);
    expect(sum).toBe(5);
    const counter = await api.makeCounter("apples");
    expect(typeof counter.id).toBe("number");
    const total: number = await counter.invokeMethodAsync("Add", 3);
    expect(total).toBe(3);
    const label: string = await counter.getProperty("label");
    expect(label).toBe("apples");
    await counter.setProperty("step-size", 2);
    const step: number = await counter.getProperty("step-size");
    expect(step).toBe(2);
    // A method's result of a class type is the remote object of it.
    const self: Remote<Counter> = await counter.invokeMethodAsync("Self");
    expect(self).toBe(counter);
    // A delegate is an async function.
    const adder: (n: number) => Promise<number> = await counter.invokeMethodAsync("Adder");
    expect(await adder(4)).toBe(7);
    // The reference goes back as an argument of its class.
    expect(await api.totalOf(counter)).toBe(7);
    const tripler = await api.tripler();
    expect(await api.isTripler(tripler, 2)).toBe("true: 6");
    // A property of a class type, and a list of them.
    const board: Remote<Board> = await api.makeBoard();
    const held: Remote<Counter> = await board.getProperty("counter");
    expect(await held.getProperty("label")).toBe("board");
    const counters: RemoteList<Remote<Counter>> = await board.getProperty("counters");
    const first = await counters.get(0);
    expect(await first!.invokeMethodAsync("Describe")).toBe("first: 0");
    await board.setProperty("counter", counter);
    expect(await board.invokeMethodAsync("Describe")).toBe("Counter:apples");
    // A task's result is its value.
    const called: string = await api.callAsync("String", "from a task");
    expect(called).toBe("from a task");
    // The one synchronous member is refused, by the types as at run time.
    // @ts-expect-error: invokeMethod takes no identifier
    expect(() => counter.invokeMethod("Add", 1)).toThrow(/Use invokeMethodAsync instead/);
  });
});

/** Never called: each line marked `@ts-expect-error` must be an error for `tsc`. */
export async function misuse(api: WorkerAssemblyApi<Methods>, counter: Remote<Counter>, onThread: Counter): Promise<void> {
  // @ts-expect-error: a worker's method returns a promise, not the number
  const sum: number = api.add(1, 2);
  // @ts-expect-error: no synchronous call on a worker's reference
  const added: number = counter.invokeMethod("Add", 1);
  // @ts-expect-error: a property is read with getProperty, not as a member
  const total: number = counter.total;
  // @ts-expect-error: getProperty resolves to the value: a promise of it is no number
  const pending: number = counter.getProperty("total");
  // @ts-expect-error: no such property
  await counter.getProperty("totals");
  // @ts-expect-error: a string for an i32
  await counter.setProperty("total", "many");
  // @ts-expect-error: a string for an i32
  await counter.invokeMethodAsync("Add", "1");
  // @ts-expect-error: no such method
  await counter.invokeMethodAsync("Subtract", 1);
  // @ts-expect-error: an object of the page's own thread is no argument for a worker's method
  await api.totalOf(onThread);
  // @ts-expect-error: a number is no Counter
  await api.totalOf(1);
  const board = await api.makeBoard();
  // @ts-expect-error: a read-only property (a list held by the object) cannot be set
  await board.setProperty("counters", await board.getProperty("counters"));
  // @ts-expect-error: a delegate from a worker returns a promise
  const tripled: number = (await api.tripler())(2);
  console.log(sum, added, total, pending, tripled);
}

/** Never called: a worker chosen at run time (`worker: import.meta.env.PROD`) gives either API. */
export async function decidedAtRunTime(load: LoadAssembly<Methods, Methods<bigint>>, inWorker: boolean, int64: "number" | "bigint"): Promise<void> {
  const api = await load({ worker: inWorker });
  const sum: number = await api.add(1, 2);
  const counter = await api.makeCounter("either");
  // What both kinds of reference have: an asynchronous call by name.
  await counter.invokeMethodAsync("Add", 1);
  // @ts-expect-error: the worker's reference has no synchronous call
  counter.invokeMethod("Add", 1);
  const either = await load({ worker: inWorker, int64 });
  await either.add(1, 2);
  console.log(sum);
}

/** Never called: a remote object of no class the types know says at each call what it expects back. */
export async function untyped(counter: RemoteObject): Promise<void> {
  const total: number = await counter.invokeMethodAsync<number>("Add", 1);
  const label: string = await counter.getProperty<string>("label");
  await counter.setProperty("label", 3);
  // @ts-expect-error: refused as the typed form's is
  counter.invokeMethod("Add", 1);
  console.log(total, label);
}

/** What the mapping makes of the kinds the worker fixture has none of. */
export type Checks = [
  Expect<Same<Remote<MemoryView<Uint8Array>>, Uint8Array>>,
  Expect<Same<Remote<MemoryView<Float64Array> | null>, Float64Array | null>>,
  Expect<Same<Remote<ListView<number>>, RemoteList<number>>>,
  Expect<Same<Remote<Date | Int32Array | string[]>, Date | Int32Array | string[]>>,
  // A struct of numbers keeps its name; one holding a reference has each part remote.
  Expect<Same<Remote<Point>, Point>>,
  Expect<Same<Remote<Labeled>, { label: string; counter: Remote<Counter> | null; all: Remote<Counter>[] }>>,
  Expect<Same<Remote<Record<string, Counter>>, { [key: string]: Remote<Counter> }>>,
  // A stream's and a sink's members are the same from a worker (already async).
  Expect<Same<Awaited<ReturnType<Remote<Download>["arrayBuffer"]>>, ArrayBuffer>>,
  Expect<Same<Parameters<Remote<Upload>["writeStream"]>, Parameters<DotNetStreamSink["writeStream"]>>>,
  Expect<Same<Awaited<ReturnType<Remote<Download>["getProperty"]>>, number>>,
];

interface Point {
  x: number;
  y: number;
}
interface Labeled {
  label: string;
  counter: Counter | null;
  all: Counter[];
}
interface Download extends DotNetObject<{ Read(): number }>, DotNetStream {
  readonly size: number;
}
interface Upload extends DotNetObject<{ Close(): void }>, DotNetStreamSink {}

type Same<X, Y> = (<G>() => G extends X ? 1 : 2) extends <G>() => G extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
