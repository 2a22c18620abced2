/**
 * Issue 18: assemblies loaded with `{ worker }` run in a Node `worker_threads` worker behind the
 * same API (e2e/worker.spec.ts shows the same in Chromium's Web Workers). Calls by name, every
 * by-value type (against the same calls on this thread), references and delegates as async
 * proxies, transferred buffers, time bounds with a reload, calls into JS from the worker and the
 * page functions it is granted, 1,000 concurrent calls, and what failures leave behind.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  AssemblyPoisonedError,
  InteropError,
  InteropRuntime,
  ManagedError,
  TimeoutError,
  transfer,
  withTimeout,
  WorkerAssembly,
  type HostingOptions,
  type RemoteList,
  type RemoteObject,
} from "../host/runtime/index.ts";
import { assemblyApi } from "../host/api/facade.ts";
import type { Remote } from "../host/api/remote.ts";
import type { Board, Counter, StepCounter } from "./fixtures/worker.ts?assembly";
import { ExportedReferences } from "../host/worker/exported-references.ts";
import { assemblyImport } from "../host/api/assembly-import.ts";
import { compileFixture, noTrackedObject, rejection } from "./helpers.ts";
import { disposableRuntime, loadInWorker, runtimeEvents, until } from "./worker-helpers.ts";
import { byValue, NEVER_SETTLES, sample } from "./worker-values.ts";

const NAME = "worker";
let module: WebAssembly.Module;

beforeAll(async () => {
  module = (await compileFixture("worker")).module;
});

const load = (options?: HostingOptions, from = module) => loadInWorker(from, options);
const events = (runtime: InteropRuntime, kind: "assemblypoisoned" | "assemblyreloaded") => runtimeEvents(runtime, kind);

describe("the same API, from a worker", () => {
  it("reaches the worker's methods by name: the runtime, its DotNet object and the typed API", async () => {
    const { runtime, assembly } = await load();
    expect(assembly.name).toBe(NAME);
    expect(runtime.getAssembly(NAME)).toBe(assembly);
    expect(await runtime.invokeMethodAsync(NAME, "add", 2, 3)).toBe(5);
    expect(await runtime.DotNet.invokeMethodAsync(NAME, "echo", "héllo 🌍")).toBe("héllo 🌍");
    const api = assemblyApi<{ add(a: number, b: number): number }>(NAME, runtime);
    expect(await api.add(40, 2)).toBe(42);
  });

  it("a ?assembly import's load({ worker }) loads it into a worker, once per runtime", async () => {
    const { binary } = await compileFixture("worker");
    const imported = assemblyImport("test:worker-import", NAME, "unused:", { read: async () => binary });
    const runtime = disposableRuntime();
    const api = await imported.load({ runtime, worker: { timeoutMs: 10_000 } });
    expect(runtime.getAssembly(NAME)).toBeInstanceOf(WorkerAssembly);
    expect(await (api as unknown as { add(a: number, b: number): Promise<number> }).add(1, 2)).toBe(3);
    // Loading again with a worker gives the same assembly; without one, the calls would change: refused.
    await imported.load({ runtime, worker: true });
    expect((await rejection(imported.load({ runtime }))).message).toMatch(/is already loaded with other options/);
  });

  it("refuses a synchronous call with the reason, and keeps working", async () => {
    const { runtime, call } = await load();
    const error = (() => {
      try {
        runtime.invokeMethod(NAME, "add", 1, 2);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("invokeMethod did not throw");
    })();
    expect(error).toBeInstanceOf(InteropError);
    // Blazor's message where its dispatcher cannot call synchronously (Blazor Server), then why.
    expect(error.message).toBe(
      "The current dispatcher does not support synchronous calls from JS to .NET. Use invokeMethodAsync instead: " +
        "the assembly 'worker' runs in a worker (it was loaded with { worker }), and a synchronous call to 'add' (invokeMethod) " +
        "cannot wait for another thread.",
    );
    expect(await call("add", 1, 2)).toBe(3);
  });

  it("says Blazor's messages for an unknown assembly or method", async () => {
    const { runtime } = await load();
    expect((await rejection(runtime.invokeMethodAsync(NAME, "Nope"))).message).toBe(
      "The assembly 'worker' does not contain a public invokable method with [JSInvokableAttribute(\"Nope\")].",
    );
    expect((await rejection(runtime.invokeMethodAsync("Elsewhere", "add"))).message).toMatch(/Elsewhere/);
  });

  it("keeps the worker's errors what they are: a managed exception, a conversion error, a trap", async () => {
    const { runtime, call } = await load();
    const managed = await rejection(call("fail", "boom"));
    expect(managed).toBeInstanceOf(ManagedError);
    expect(managed.message).toMatch(/boom/);
    const conversion = await rejection(call("add", "one", 2));
    expect(conversion).toBeInstanceOf(InteropError);
    expect(conversion.message).toMatch(/^The call to 'add' failed: argument 1 \('a'\) could not be converted: /);
    expect(await call("add", 1, 1)).toBe(2);

    const poisoned = events(runtime, "assemblypoisoned");
    const trap = await rejection(call("trap"));
    expect(trap).toBeInstanceOf(AssemblyPoisonedError);
    await until(() => poisoned.length === 1, "assemblypoisoned");
    expect(poisoned[0].assembly).toBe(NAME);
    expect(await rejection(call("add", 1, 1))).toBeInstanceOf(AssemblyPoisonedError);
    // The way back is the runtime's, as for an assembly on this thread.
    await runtime.reloadAssembly(NAME);
    expect(await call("add", 1, 1)).toBe(2);
  });

  it("refuses { imports } (functions of this thread) with the reason", async () => {
    const runtime = new InteropRuntime();
    const error = await rejection(runtime.loadAssembly(module, { worker: true, imports: { env: {} } }));
    expect(error.message).toMatch(/cannot be given \{ imports \} in a worker/);
    expect(runtime.assemblyNames).toEqual([]);
  });

  it("checks its options", async () => {
    const runtime = new InteropRuntime();
    for (const timeoutMs of [0, -1, Number.NaN, "5"]) {
      const error = await rejection(runtime.loadAssembly(module, { worker: { timeoutMs: timeoutMs as number } }));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^\{ worker: \{ timeoutMs \} \} must be a number of milliseconds greater than 0/);
    }
  });
});

// --- every by-value type, against the same call on this thread ---------------------------------------

describe("every by-value type crosses as on this thread", () => {
  for (const [fixture, options] of [
    ["by-value", {}],
    ["types", {}],
    ["types", { int64: "bigint" }],
    ["nullable", {}],
  ] as const) {
    it(`${fixture} ${JSON.stringify(options)}: each method, its sample arguments and its result (or error)`, async () => {
      const compiled = await compileFixture(fixture);
      // The same name on both sides (two runtimes), so that messages naming the assembly compare.
      const local = new InteropRuntime();
      const here = await local.loadAssembly(compiled.module, { ...options, name: "same", scope: {}, importBinding: "first-call" });
      const { call } = await load({ ...options, name: "same", worker: true, scope: {}, importBinding: "first-call" }, compiled.module);
      let compared = 0;
      for (const method of compiled.manifest.methods.filter((m) => byValue(m) && !NEVER_SETTLES.has(m.identifier))) {
        const args = method.parameters.map((p) => sample(p.type, compiled.manifest));
        let expected: { ok: true; value: unknown } | { ok: false; error: Error };
        try {
          expected = { ok: true, value: await local.invokeMethodAsync("same", method.identifier, ...structuredClone(args)) };
        } catch (error) {
          expected = { ok: false, error: error as Error };
        }
        if (expected.ok) {
          const value = await call(method.identifier, ...args);
          expect(value, method.identifier).toEqual(expected.value);
          if (ArrayBuffer.isView(expected.value)) expect((value as object).constructor, method.identifier).toBe(expected.value.constructor);
          if (expected.value instanceof Date) expect(value, method.identifier).toBeInstanceOf(Date);
        } else {
          const error = await rejection(call(method.identifier, ...args));
          expect(error.constructor, method.identifier).toBe(expected.error.constructor);
          expect(error.message, method.identifier).toBe(expected.error.message);
        }
        ++compared;
      }
      expect(compared).toBeGreaterThan(10);
      local.unloadAssembly(here.name);
    });
  }
});

// --- references and delegates ------------------------------------------------------------------------

describe("references and delegates come back as proxies whose calls are async", () => {
  it("a DotNetObjectReference: invokeMethodAsync, properties, passed back, disposed", async () => {
    const { assembly, call } = await load();
    const counter = await call<RemoteObject>("makeCounter", "apples");
    expect(typeof counter.id).toBe("number");
    expect(await counter.invokeMethodAsync("Add", 3)).toBe(3);
    expect(await counter.invokeMethodAsync("Add", 4)).toBe(7);
    expect(await counter.getProperty("label")).toBe("apples");
    await counter.setProperty("label", "pears");
    expect(await counter.invokeMethodAsync("Describe")).toBe("pears: 7");
    // Passed back, the proxy arrives as the worker's own object.
    expect(await call("totalOf", counter)).toBe(7);
    // The same object comes back as the same proxy.
    expect(await counter.invokeMethodAsync("Self")).toBe(counter);
    // @ts-expect-error: refused by the types too (test/worker-types.test.ts)
    expect(() => counter.invokeMethod("Add", 1)).toThrow(
      "The current dispatcher does not support synchronous calls from JS to .NET. Use invokeMethodAsync instead: " +
        "the assembly 'worker' runs in a worker (it was loaded with { worker }), and a synchronous call to 'Add' on a reference to Counter (invokeMethod) " +
        "cannot wait for another thread.",
    );
    expect((await rejection(counter.invokeMethodAsync("Nope"))).message).toBe(
      "The type 'Counter' does not contain a public invokable method with [JSInvokableAttribute(\"Nope\")].",
    );
    expect((await rejection(counter.getProperty("secret"))).message).toMatch(/'secret' is not a scriptable member of Counter/);
    // A member named by @scriptableMember("step-size") is reached by that name only.
    expect(await counter.getProperty("step-size")).toBe(1);
    await counter.setProperty("step-size", 2);
    expect(await counter.getProperty("step-size")).toBe(2);
    expect((await rejection(counter.getProperty("step"))).message).toMatch(/'step' is not a scriptable member of Counter/);
    expect((await assembly.diagnostics()).exportedReferences).toBe(1);
    counter.dispose();
    expect((await rejection(counter.invokeMethodAsync("Add", 1))).message).toBe(noTrackedObject(counter.id));
    expect((await rejection(call("totalOf", counter))).message).toMatch(noTrackedObject(counter.id));
    await until(async () => (await assembly.diagnostics()).exportedReferences === 0, "the worker to release the object");
    expect((await assembly.diagnostics()).trackedObjects).toBe(0);
  });

  it("a proxy is accepted back only where its type belongs, and only from its own assembly", async () => {
    const { call } = await load();
    const tripler = await call<(x: number) => Promise<number>>("tripler");
    const error = await rejection(call("totalOf", tripler));
    expect(error.message).toMatch(/^The call to 'totalOf' failed: argument 1 \('counter'\) could not be converted: expected a DotNetObjectReference<Counter> obtained from assembly 'worker'/);
    const forged = await rejection(call("totalOf", { id: 1, invokeMethodAsync() {} }));
    expect(forged.message).toMatch(/expected a DotNetObjectReference<Counter> obtained from assembly 'worker'/);
  });

  it("a member or a list element typed as a base class holds an object of a derived class, as on the page's own thread: its proxy has the derived class's members", async () => {
    const { call } = await load();
    const board = await call<Remote<Board>>("makeBoard");
    const stepper = await call<Remote<StepCounter>>("makeStepCounter", "s");
    await board.setProperty("counter", stepper);
    expect(await board.invokeMethodAsync("Describe")).toBe("StepCounter:s");
    expect(await board.getProperty("counter")).toBe(stepper);
    // One managed code made, held as a Counter: its own class's members reach it.
    // Typed as the declared class; the object is of a derived one, and has its members.
    const counters = (await board.getProperty("counters")) as RemoteList<Remote<StepCounter>>;
    const first = (await counters.get(0))!;
    expect(await first.invokeMethodAsync("Step")).toBe(1);
    expect(await first.getProperty("steps")).toBe(1);
    expect(await counters.get(0)).toBe(first);
    await counters.set(0, stepper);
    expect(await counters.get(0)).toBe(stepper);
    // Where the derived class is declared, the base class's is refused; a derived one read as a Counter is taken.
    const plain = await call<Remote<Counter>>("makeCounter", "c");
    // @ts-expect-error: a Counter is no StepCounter for the types either
    expect((await rejection(board.setProperty("stepper", plain))).message).toBe(
      "Set 'stepper' on Board failed: the value could not be converted: " +
        "expected a DotNetObjectReference<StepCounter> (or of a class derived from StepCounter), got a DotNetObjectReference<Counter>",
    );
    expect(await board.getProperty("stepper")).toBeNull();
    await board.setProperty("stepper", first);
    expect(await board.getProperty("stepper")).toBe(first);
    // A method's DotNetObjectReference<Counter> parameter stays Counter's exactly (Blazor's type check).
    expect((await rejection(call("totalOf", first))).message).toMatch(/expected a DotNetObjectReference<Counter>, got a DotNetObjectReference<StepCounter>$/);
    expect(await call("totalOf", plain)).toBe(0);
  });

  it("a delegate is an async function", async () => {
    const { call } = await load();
    const tripler = await call<(x: number) => Promise<number>>("tripler");
    expect(typeof tripler).toBe("function");
    const pending = tripler(14);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe(42);
    const counter = await call<Remote<Counter>>("makeCounter", "c");
    const adder = await counter.invokeMethodAsync("Adder");
    expect(await adder(5)).toBe(5);
    expect(await adder(6)).toBe(11);
    expect(await counter.getProperty("total")).toBe(11);
  });

  it("a delegate's proxy given back for a function-typed parameter is the worker's managed function; a page function is refused", async () => {
    const { call } = await load();
    const tripler = await call<(x: number) => Promise<number>>("tripler");
    expect(await call("isTripler", tripler, 5)).toBe("true: 15");
    const error = await rejection(call("isTripler", (x: number) => x * 3, 5));
    expect(error.message).toMatch(/^The call to 'isTripler' failed: argument 1 \('fn'\) could not be converted: expected a managed function \(x: i32\) => i32 obtained from assembly 'worker', got a function$/);
  });

  it("a list view from a worker", async () => {
    const compiled = await compileFixture("by-reference");
    const { call } = await load({ worker: true }, compiled.module);
    const list = await call<import("../host/runtime/index.ts").RemoteList<number>>("NewInts", [1, 2, 3]);
    expect(await list.length).toBe(3);
    expect(await list.push(4)).toBe(4);
    expect(await list.get(3)).toBe(4);
    await list.set(0, 10);
    expect(await call("IntsSum")).toBe(19);
    expect(await list.copy()).toEqual([10, 2, 3, 4]);
    list.dispose();
  });
});

describe("memory views from a worker", () => {
  it("a MemoryView result or property comes as a copy of its elements (a typed array of its type); a typed array goes in for one", async () => {
    const compiled = await compileFixture("views");
    const { call, assembly } = await load({ worker: true }, compiled.module);
    const bytes = await call<Uint8Array>("Bytes", 5);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...bytes]).toEqual([0, 1, 2, 3, 4]);
    // A copy: writing to it changes nothing in the worker.
    bytes[0] = 99;
    expect([...(await call<Uint8Array>("BytesNow"))]).toEqual([0, 1, 2, 3, 4]);
    const longs = await call<BigInt64Array>("Longs", 2);
    expect(longs).toBeInstanceOf(BigInt64Array);
    expect([...longs]).toEqual([0n, -(1n << 40n)]);
    expect(await call("NoBytes")).toBeNull();
    // The copy goes back in as a typed array (copied in), as any typed array does.
    expect(await call("SumBytes", bytes)).toBe("109 copied 5");
    const canvas = await call<RemoteObject>("NewCanvas");
    await canvas.setProperty("pixels", Uint8Array.of(1, 2, 3));
    expect(await canvas.getProperty("pixels")).toEqual(Uint8Array.of(1, 2, 3));
    expect(await canvas.invokeMethodAsync("Total")).toBe(6);
    // The worker keeps no view the page could not dispose: dropped, they go with its collector.
    expect((await assembly.diagnostics()).exportedReferences).toBe(1);
  });
});

describe("the worker's table of what the page holds", () => {
  it("a proxy the page dropped lets its object go without disposing it; one the page disposed disposes it", () => {
    // Dropped is not disposed: a DotNetObjectReference managed code kept crosses again (as on the
    // page's own thread), so the worker's collector releases the object, as a dropped one.
    const exported = new ExportedReferences();
    const disposed: string[] = [];
    const objectOf = (name: string) => ({ dispose: () => disposed.push(name) });
    const type = { kind: "objectref", class: "Counter", plain: false, nullable: false } as const;
    const dropped = exported.export(objectOf("dropped"), type);
    const thrownAway = exported.export(objectOf("disposed"), type);
    exported.release(dropped, 1, false);
    exported.release(thrownAway, 1, true);
    expect(disposed).toEqual(["disposed"]);
    expect(exported.size).toBe(0);
  });
});

describe("streams from and into a worker", () => {
  it("a ManagedStream proxy: stream() and arrayBuffer(); a StreamSink proxy: writeStream()", async () => {
    const compiled = await compileFixture("streams");
    const { call } = await load({ worker: true }, compiled.module);
    const data = new Uint8Array(3000).map((_, i) => (i * 7) & 0xff);
    const stream = await call<RemoteObject & { stream(): Promise<ReadableStream<Uint8Array>>; arrayBuffer(): Promise<ArrayBuffer> }>("OpenBytes", data, 777);
    const chunks: Uint8Array[] = [];
    for await (const chunk of (await stream.stream()) as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    expect(chunks.map((c) => c.byteLength)).toEqual([777, 777, 777, 669]);
    expect(Buffer.concat(chunks).equals(Buffer.from(data))).toBe(true);
    // The same stream each time, as on the page's thread (and Blazor's DotNetStream): read, it is done.
    expect(await stream.stream()).toBe(await stream.stream());
    const again = await call<typeof stream>("OpenBytes", data, 1000);
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
    await expect(again.arrayBuffer()).rejects.toThrow();
    const sink = await call<RemoteObject & { writeStream(source: unknown): Promise<number> }>("OpenSink");
    const written = await sink.writeStream(new Blob([data]));
    const local = new InteropRuntime();
    const here = await local.loadAssembly(compiled.module, { name: "here" });
    const localSink = local.invokeMethod<{ writeStream(source: unknown): Promise<number> }>("here", "OpenSink");
    expect(written).toBe(await localSink.writeStream(new Blob([data])));
    local.unloadAssembly(here.name);
  });
});

describe("the page's explicit references, given to a worker assembly", () => {
  it("a JSStreamReference or JSObjectReference the page made stands for its data, which the worker gets a copy of; a disposed one is Blazor's error", async () => {
    const references = await compileFixture("js-references");
    const { runtime, call } = await load({ worker: true }, references.module);
    const { DotNet } = runtime;
    const bytes = new Uint8Array(70_000).map((_, i) => i * 31);
    // As an argument, and as a struct's field, against the same calls on this thread.
    const local = new InteropRuntime();
    await local.loadAssembly(references.module, { name: "here" });
    const here = <T>(method: string, ...args: unknown[]) => local.invokeMethodAsync<T>("here", method, ...args);
    expect(await call("CopyLength", DotNet.createJSStreamReference(bytes))).toBe(70_000);
    expect(await call("CopyLength", DotNet.createJSStreamReference(new Blob([bytes, bytes])))).toBe(140_000);
    const upload = (data: unknown) => ({ name: "photo.png", data });
    expect(await call("ReadUpload", upload(DotNet.createJSStreamReference(bytes)))).toBe(await here("ReadUpload", upload(DotNet.createJSStreamReference(bytes))));
    expect(await call("Hold", DotNet.createJSObjectReference({ title: "From the page" }))).toBeGreaterThan(0);
    expect(await call("HeldProperty", "title")).toBe("From the page");
    expect(await call("HoldNullable", DotNet.createJSObjectReference(null))).toBe(true);

    const disposed = DotNet.createJSStreamReference(bytes);
    DotNet.disposeJSObjectReference(disposed);
    await expect(call("CopyLength", disposed)).rejects.toThrow(
      `The call to 'CopyLength' failed: argument 1 ('stream') could not be converted: JS object instance with Id '${disposed.__jsObjectId}' does not exist. It may have been disposed.`,
    );
    local.unloadAssembly("here");
  });
});

// --- buffers ----------------------------------------------------------------------------------------

describe("transfer(): buffers move, not copied", () => {
  it("an argument marked with transfer() moves to the worker; an unmarked one is copied", async () => {
    const { call } = await load();
    const copied = new Uint8Array(1 << 20).fill(3);
    expect(await call("probe", copied)).toBe((1 << 20) + 3 * 256);
    expect(copied.byteLength).toBe(1 << 20);

    const moved = new Uint8Array(1 << 20).fill(5);
    const buffer = moved.buffer;
    expect(await call("probe", transfer(moved, [moved.buffer]))).toBe((1 << 20) + 5 * 256);
    expect(buffer.byteLength).toBe(0);
    expect(moved.byteLength).toBe(0);
  });

  it("typed-array results come back (moved out of the worker, which keeps no copy)", async () => {
    const { call } = await load();
    const bytes = await call<Uint8Array>("makeBytes", 1000);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.length).toBe(1000);
    expect(bytes[999]).toBe(999 & 0xff);
    // The buffer holds the result and nothing else of the worker's memory.
    expect(bytes.buffer.byteLength).toBe(1000);
    const doubled = await call<Float64Array>("doubled", transfer(new Float64Array([1, 2.5]), []));
    expect([...doubled]).toEqual([2, 5]);
  });

  it("a buffer taken as a JSObject and returned moves back, and its handle goes with it", async () => {
    const { assembly, call } = await load();
    const memoryBefore = (await assembly.diagnostics()).memoryBytes;
    for (const size of [1 << 20, 1 << 20, 32 << 20]) {
      const buffer = new Uint8Array(size);
      buffer[size - 1] = 7;
      const back = await call<ArrayBuffer>("passBuffer", transfer(buffer.buffer, [buffer.buffer]));
      expect(buffer.byteLength).toBe(0);
      expect(back.byteLength).toBe(size);
      expect(new Uint8Array(back)[size - 1]).toBe(7);
    }
    // The worker kept no detached husk of the three: nothing grows with each buffer passed through.
    expect((await assembly.diagnostics()).jsObjects).toBe(0);
    // Nor was any of them copied into linear memory: 34 MiB went through a memory that did not grow.
    expect((await assembly.diagnostics()).memoryBytes).toBe(memoryBefore);
    expect(memoryBefore).toBeGreaterThan(0);

    // A handle managed code kept is ended by the move, as if disposed: Blazor's error, not an empty buffer.
    const kept = new ArrayBuffer(16);
    expect((await call<ArrayBuffer>("keepBuffer", transfer(kept, [kept]))).byteLength).toBe(16);
    expect((await assembly.diagnostics()).jsObjects).toBe(0);
    const error = await rejection(call("keptLength"));
    expect(error.message).toMatch(/JS object instance with ID \d+ does not exist \(has it been disposed\?\)/);
    expect(await call("add", 2, 2)).toBe(4);
  });

  it("transfer() marks objects only", () => {
    expect(() => transfer(5 as never, [])).toThrow(/transfer\(\) marks an object/);
  });

  it("an argument that cannot be cloned is a clear error, and nothing waits for it", async () => {
    const { assembly, call } = await load();
    const error = await rejection(call("echo", () => "not a string"));
    expect(error).toBeInstanceOf(InteropError);
    expect(error.message).toMatch(/^The call to 'echo' failed: argument 1 could not be sent to the worker: /);
    const diagnostics = await assembly.diagnostics();
    expect(diagnostics.pendingCalls).toBe(0);
    expect(await call("add", 2, 2)).toBe(4);
  });
});

// --- time bounds ------------------------------------------------------------------------------------

describe("time bounds", () => {
  it("a runaway call past { timeoutMs }: TimeoutError for it and every waiting call, events, a fresh worker", async () => {
    const { runtime, call } = await load({ worker: { timeoutMs: 400 } });
    expect(await call("count")).toBe(1);
    expect(await call("count")).toBe(2);
    const counter = await call<RemoteObject>("makeCounter", "old");
    const poisoned = events(runtime, "assemblypoisoned");
    const reloaded = events(runtime, "assemblyreloaded");

    const started = performance.now();
    const spin = call("spin");
    const waiting = call("add", 1, 2);
    const spinError = await rejection(spin);
    expect(performance.now() - started).toBeGreaterThanOrEqual(399);
    expect(spinError).toBeInstanceOf(TimeoutError);
    expect(spinError.name).toBe("TimeoutError");
    expect(spinError.message).toBe(
      "The call to 'spin' did not finish within 400 ms: the worker running it was terminated, and the assembly 'worker' is being loaded again in a new worker.",
    );
    const waitingError = await rejection(waiting);
    expect(waitingError).toBeInstanceOf(TimeoutError);
    expect(waitingError.message).toMatch(/^The call to 'add' was stopped: its worker was terminated because the call to 'spin' did not finish within 400 ms/);
    expect(poisoned.map((e) => e.assembly)).toEqual([NAME]);
    expect(poisoned[0].error).toBe(spinError);

    // Calls made meanwhile wait for the new worker, whose instance starts afresh.
    expect(await call("count")).toBe(1);
    await until(() => reloaded.length === 1, "assemblyreloaded");
    expect(reloaded[0].assembly).toBe(NAME);
    expect(await call("add", 20, 22)).toBe(42);
    expect((await rejection(counter.invokeMethodAsync("Add", 1))).message).toMatch(/was loaded again in a new worker after the call to 'spin' did not finish within 400 ms/);
  });

  it("withTimeout() bounds single calls to an assembly with no bound of its own", async () => {
    const { runtime, call } = await load();
    const reloaded = events(runtime, "assemblyreloaded");
    const error = await rejection(withTimeout(300, () => call("spin")));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/did not finish within 300 ms/);
    await until(() => reloaded.length === 1, "assemblyreloaded");
    expect(await call("add", 1, 1)).toBe(2);
    expect(() => withTimeout(0, () => 1)).toThrow(/withTimeout's timeoutMs must be a number of milliseconds greater than 0/);
  });

  it("a call on a reference is bounded too, by the assembly's bound or withTimeout()", async () => {
    const { runtime, call } = await load({ worker: { timeoutMs: 300 } });
    const reloaded = events(runtime, "assemblyreloaded");
    const counter = await call<RemoteObject>("makeCounter", "c");
    const error = await rejection(counter.invokeMethodAsync("Spin"));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toMatch(/^The call to 'Spin' on Counter did not finish within 300 ms/);
    await until(() => reloaded.length === 1, "assemblyreloaded");
    const fresh = await call<RemoteObject>("makeCounter", "d");
    const bounded = await rejection(withTimeout(150, () => fresh.invokeMethodAsync("Spin")));
    expect(bounded.message).toMatch(/did not finish within 150 ms/);
    await until(() => reloaded.length === 2, "the second assemblyreloaded");
    // What the old workers handed out is gone with them.
    expect((await rejection(counter.invokeMethodAsync("Add", 1))).message).toMatch(/was loaded again in a new worker/);
  });

  it("unloading ends the worker: waiting calls reject and later calls are to an unknown assembly", async () => {
    const { runtime, call } = await load();
    const counter = await call<RemoteObject>("makeCounter", "c");
    const spin = call("spin");
    runtime.unloadAssembly(NAME);
    expect((await rejection(spin)).message).toMatch(/The assembly 'worker' was unloaded/);
    expect((await rejection(counter.invokeMethodAsync("Add", 1))).message).toMatch(/was unloaded/);
    expect((await rejection(call("add", 1, 1))).message).toMatch(/worker/);
  });
});

// --- calls into JavaScript ---------------------------------------------------------------------------

describe("calls into JS from a worker assembly", () => {
  const g = globalThis as Record<string, unknown>;
  afterEach(() => {
    delete g.pageOnly;
  });

  it("resolve in the worker's global scope: the page's globals are not there", async () => {
    g.pageOnly = () => "page";
    const { call } = await load();
    expect(await call("callSync", "String", "worker")).toBe("worker");
    expect((await rejection(call("callSync", "pageOnly", "x"))).message).toMatch(/Could not find 'pageOnly'/);
    expect((await rejection(call("callAsync", "pageOnly", "x"))).message).toMatch(/Could not find 'pageOnly'/);
  });

  it("a granted page function (expose) is called asynchronously, with its object as this; synchronously it is refused", async () => {
    const calls: unknown[] = [];
    const page = {
      prefix: "hello ",
      greet(this: { prefix: string }, name: string) {
        calls.push(name);
        return Promise.resolve(this.prefix + name);
      },
    };
    const { call } = await load({ worker: { expose: { page } } });
    expect(await call("callAsync", "page.greet", "ada")).toBe("hello ada");
    expect(calls).toEqual(["ada"]);
    const refused = await rejection(call("callSync", "page.greet", "bob"));
    expect(refused.message).toMatch(/'page.greet' is a function of the page that loaded the assembly 'worker' into a worker: it can only be called asynchronously/);
    expect(calls).toEqual(["ada"]);
    // Data in the grant is copied: the worker sees the prefix, never the page's object.
    expect(await call("callSync", "String", "x")).toBe("x");
  });

  it("a page function's error and unsendable result reach managed code as errors", async () => {
    const page = {
      fails: () => Promise.reject(new RangeError("no such page")),
      leaks: () => ({ window: globalThis, run: () => 1 }),
    };
    const { call } = await load({ worker: { expose: { page } } });
    expect((await rejection(call("callAsync", "page.fails", "x"))).message).toMatch(/no such page/);
    expect((await rejection(call("callAsync", "page.leaks", "x"))).message).toMatch(/returned a value that cannot be sent to the worker/);
    expect(await call("add", 1, 1)).toBe(2);
  });

  it("what is not granted is unreachable: other page globals, the grant's owner, the page's prototypes", async () => {
    const touched: string[] = [];
    g.pageOnly = () => touched.push("pageOnly");
    const secretHolder = {
      visible: () => Promise.resolve("ok"),
      get secret() {
        touched.push("secret getter");
        return "secret";
      },
    };
    const { call } = await load({ worker: { expose: { api: { visible: secretHolder.visible } } } });
    for (const path of ["pageOnly", "api.secret", "api.visible.call", "api.constructor", "api.__proto__.pageOnly", "globalThis.pageOnly", "self.pageOnly"]) {
      await call("callAsync", path, "x").catch(() => undefined);
      await call("callSync", path, "x").catch(() => undefined);
    }
    // Whatever the worker runs in its own realm, it never reaches back into this one.
    expect(touched).toEqual([]);
    expect(await call("callAsync", "api.visible", "x")).toBe("ok");
  });

  it("a grant holding what cannot cross is refused when the assembly loads", async () => {
    const runtime = new InteropRuntime();
    class Service {
      run() {}
    }
    expect((await rejection(runtime.loadAssembly(module, { worker: { expose: { svc: new Service() } } }))).message).toMatch(
      /The \{ worker: \{ expose \} \} of the assembly 'worker' holds 'svc', an instance of Service, which would arrive without its methods/,
    );
    expect((await rejection(runtime.loadAssembly(module, { worker: { expose: { g: globalThis } } }))).message).toMatch(/the global object/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect((await rejection(runtime.loadAssembly(module, { worker: { expose: { cyclic } } }))).message).toMatch(/a cycle/);
    expect(runtime.assemblyNames).toEqual([]);
  });

  it("in a sandbox ({ scope }), the worker's identifiers resolve from the scope only, through the membrane", async () => {
    const scope = { page: { greet: (name: string) => Promise.resolve(`hi ${name}`) } };
    const { call } = await load({ worker: true, scope });
    expect(await call("callAsync", "page.greet", "ada")).toBe("hi ada");
    expect((await rejection(call("callSync", "String", "x"))).message).toMatch(/Could not find 'String'/);
    for (const path of ["page.greet.constructor", "page.constructor", "page.__proto__", "globalThis", "page.greet.call"]) {
      const error = await rejection(call("callAsync", path, "return 1"));
      expect(error, path).toBeInstanceOf(Error);
    }
    expect((await rejection(load({ worker: { expose: {} }, scope }))).message).toMatch(/both \{ scope \} and \{ worker: \{ expose \} \}/);
  });
});

// --- load --------------------------------------------------------------------------------------------

describe("many calls at once, and what failures leave behind", () => {
  it("1,000 concurrent invokeMethodAsync calls all settle right", async () => {
    const { assembly, call } = await load();
    const calls = Array.from({ length: 1000 }, (_, i) =>
      i % 10 === 9 ? call("fail", `call ${i}`).then(() => "resolved", (error: Error) => error.message) : call("add", i, i * 2),
    );
    const results = await Promise.all(calls);
    results.forEach((result, i) => {
      if (i % 10 === 9) expect(result).toMatch(new RegExp(`call ${i}\\b`));
      else expect(result).toBe(i * 3);
    });
    const diagnostics = await assembly.diagnostics();
    expect(diagnostics.pendingCalls).toBe(0);
    expect(diagnostics.pendingPageCalls).toBe(0);
    expect(diagnostics.exportedReferences).toBe(0);
  });

  it("references dropped by the page are released in the worker; so are those of failed calls", async () => {
    const { assembly, call } = await load();
    for (let i = 0; i < 20; ++i) (await call<RemoteObject>("makeCounter", `c${i}`)).dispose();
    const kept = await call<RemoteObject>("makeCounter", "kept");
    await until(async () => (await assembly.diagnostics()).exportedReferences === 1, "releases");
    expect((await assembly.diagnostics()).trackedObjects).toBe(1);
    expect((await assembly.diagnostics()).pageReferences).toBe(1);
    kept.dispose();
    await until(async () => (await assembly.diagnostics()).trackedObjects === 0, "the last release");
  });

  it("a result that cannot cross is a clear error, and the references sent with it are released", async () => {
    const { assembly, call } = await load();
    const error = await rejection(call("workerValue", "Math.max"));
    expect(error).toBeInstanceOf(InteropError);
    expect(error.message).toMatch(/^The result could not be sent from the worker: /);
    const diagnostics = await assembly.diagnostics();
    expect(diagnostics.exportedReferences).toBe(0);
    expect(diagnostics.pendingCalls).toBe(0);
    expect(await call("add", 1, 2)).toBe(3);
  });

  it("a timeout leaves nothing waiting on either side", async () => {
    const { assembly, call } = await load({ worker: { timeoutMs: 300 } });
    const all = [call("spin"), ...Array.from({ length: 50 }, (_, i) => call("add", i, 1))];
    const settled = await Promise.allSettled(all);
    expect(settled.every((s) => s.status === "rejected" && s.reason instanceof TimeoutError)).toBe(true);
    const diagnostics = await assembly.diagnostics();
    expect(diagnostics.pendingCalls).toBe(0);
    expect(diagnostics.pendingPageCalls).toBe(0);
    expect(diagnostics.exportedReferences).toBe(0);
  });
});
