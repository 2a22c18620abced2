/**
 * Issue 5, async both ways (Node): @jsInvokable methods returning Task<T>, JSRuntime.invokeAsync
 * with its result or rejection delivered to continuations, timeouts, cancellation, wrong types,
 * invokeAwait without JSPI, 1000 concurrent calls in both directions, and an async re-entrant
 * chain ten levels deep. The fixture is test/fixtures/async.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropError, InteropRuntime, type LoadedAssembly } from "../host/runtime/index.ts";
import { compileErrors, compileFixture, globalInstaller } from "./helpers.ts";

const NAME = "async";
let module: WebAssembly.Module;
let runtime: InteropRuntime;
let assembly: LoadedAssembly;

const g = globalThis as Record<string, unknown>;
const install = globalInstaller();

beforeAll(async () => {
  ({ module } = await compileFixture(NAME));
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(module);
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const callAsync = <T = unknown>(method: string, ...args: unknown[]): Promise<T> => runtime.invokeMethodAsync<T>(NAME, method, ...args);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A promise settled by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** JS functions the fixture calls, with random delays. */
function installDelayed(maxDelayMs = 20): void {
  install({
    delayed: {
      echo: (x: number) => new Promise((resolve) => setTimeout(() => resolve(x), Math.random() * maxDelayMs)),
      triple: (x: number) => new Promise((resolve) => setTimeout(() => resolve(x * 3), Math.random() * maxDelayMs)),
      never: () => new Promise(() => {}),
      quick: () => Promise.resolve("quick"),
      text: () => Promise.resolve("text"),
      rejects: () => Promise.reject(new TypeError("nope")),
      rejectsRaw: () => Promise.reject("a plain reason"),
      throwsSync: () => {
        throw new RangeError("thrown before any promise");
      },
      plainValue: () => "not a promise",
    },
  });
}

/** Collects what continuations report through `asyncReport.outcome(text)`. */
function installReport(): string[] {
  const outcomes: string[] = [];
  install({ asyncReport: { outcome: (text: string) => void outcomes.push(text) } });
  return outcomes;
}

/** Every table is back to where a quiet instance is. */
function expectQuiet(): void {
  expect(assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsReferences: 0, jsObjects: 0, pendingTasks: 0 });
}

describe("@jsInvokable methods returning Task<T>", () => {
  it("Task.fromResult: invokeMethodAsync resolves with the value, invokeMethod returns it", async () => {
    await expect(callAsync("ReturnArrayAsync")).resolves.toEqual([1, 2, 3]);
    expect(call("ReturnArrayAsync")).toEqual([1, 2, 3]);
    await expect(callAsync("ReadingAsync", "t1", 21.5)).resolves.toEqual({ sensor: "t1", value: 21.5 });
    expectQuiet();
  });

  it("a task keeps its value exactly, whatever its type", async () => {
    await expect(callAsync("HalfAsync", -0.75)).resolves.toBe(-0.375);
    await expect(callAsync("HalfAsync", Infinity)).resolves.toBe(Infinity);
    await expect(callAsync("SingleAsync", 0.1)).resolves.toBe(Math.fround(0.1));
    await expect(callAsync("ByteAsync", -128)).resolves.toBe(-128);
    await expect(callAsync("NotAsync", true)).resolves.toBe(false);
    const big = await runtime.invokeMethodAsync("async", "LongAsync", 2n ** 63n + 5n).catch((e: Error) => e.message);
    expect(big).toMatch(/beyond ±2\^53/); // the assembly returns 64-bit values as numbers
    await expect(callAsync("LongAsync", 2 ** 53 - 1)).resolves.toBe(2 ** 53 - 1);
    await expect(callAsync("MaybeAsync", null)).resolves.toBeNull();
    await expect(callAsync("MaybeAsync", "kept")).resolves.toBe("kept");
    expectQuiet();
  });

  it("a task that failed rejects with its message", async () => {
    const error = await callAsync("FailedAsync", "it failed").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteropError);
    expect((error as Error).message).toBe("it failed");
    expect(() => call("FailedAsync", "sync too")).toThrow("sync too");
    expectQuiet();
  });

  it("a task completed later by another call: invokeMethodAsync waits for it", async () => {
    const waiting = callAsync<string>("PendingAsync");
    let settled = false;
    void waiting.then(() => (settled = true));
    await sleep(10);
    expect(settled).toBe(false);
    expect(assembly.diagnostics().pendingTasks).toBe(1);
    call("CompletePending", "finally");
    await expect(waiting).resolves.toBe("finally");

    const failing = callAsync("PendingAsync");
    call("FailPending", "gave up");
    await expect(failing).rejects.toThrow("gave up");
    expectQuiet();
  });

  it("invokeMethod of a pending task returns a promise of its value", async () => {
    const result = call<Promise<string>>("PendingAsync");
    expect(result).toBeInstanceOf(Promise);
    call("CompletePending", "later");
    await expect(result).resolves.toBe("later");
    expectQuiet();
  });

  it("a task completed by a continuation of an async JS call", async () => {
    installDelayed();
    await expect(callAsync("FetchDoubled", 21)).resolves.toBe(42);
    await expect(call<Promise<number>>("FetchDoubled", -4)).resolves.toBe(-8);
    expectQuiet();
  });
});

describe("@jsInvokable methods returning a Task without a result (.NET's non-generic Task)", () => {
  it("Task.completed(): invokeMethodAsync resolves with null once it ran, invokeMethod returns null, as Blazor's do", async () => {
    await expect(callAsync("SaveAsync", "first")).resolves.toBeNull();
    expect(call("Saved")).toBe("first");
    expect(call("SaveAsync", "second")).toBeNull();
    await expect(callAsync("SaveVoidAsync", "Task<void> is Task")).resolves.toBeNull();
    expect(call("Saved")).toBe("Task<void> is Task");
    expectQuiet();
  });

  it("the manifest describes it as a task whose result is void, with nothing to read", () => {
    const method = assembly.methods.get("SaveAsync")!.descriptor;
    expect(method.returnType).toEqual({ kind: "task", result: { kind: "void" }, resultExport: null });
    expect(assembly.methods.get("SaveVoidAsync")!.descriptor.returnType).toEqual(method.returnType);
  });

  it("completed later with complete(): invokeMethodAsync waits, then resolves with null", async () => {
    const waiting = callAsync("PendingVoidAsync");
    let settled = false;
    void waiting.then(() => (settled = true));
    await sleep(10);
    expect(settled).toBe(false);
    expect(assembly.diagnostics().pendingTasks).toBe(1);
    call("CompletePendingVoid");
    await expect(waiting).resolves.toBeNull();
    expectQuiet();
  });

  it("faulted: rejects with its message, as Task<T> does", async () => {
    const failing = callAsync("PendingVoidAsync");
    call("FailPendingVoid", "could not save");
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteropError);
    expect((error as Error).message).toBe("could not save");
    const pending = call<Promise<undefined>>("PendingVoidAsync");
    expect(pending).toBeInstanceOf(Promise);
    call("FailPendingVoid", "sync caller too");
    await expect(pending).rejects.toThrow("sync caller too");
    expectQuiet();
  });

  it("completed from JS: the value of the promise is ignored, a rejection faults it", async () => {
    const outcomes = installReport();
    install({ store: { save: async () => ({ anything: ["at all"] }), fail: async () => Promise.reject(new TypeError("disk full")) } });
    await expect(callAsync("ObserveVoid", "store.save")).resolves.toBeNull();
    expect(outcomes).toEqual(["void completed"]);
    // The rejection reads as Blazor's JSException: the message, then the stack.
    await expect(callAsync("ObserveVoid", "store.fail")).rejects.toThrow(/^disk full\nTypeError: disk full\n/);
    expect(outcomes).toHaveLength(2);
    expect(outcomes[1]).toMatch(/^void faulted: disk full\nTypeError: disk full\n +at /);
    expectQuiet();
  });

  it("complete() on a Task<T> is a compile error that says to use resolve(value)", async () => {
    const diagnostics = await compileErrors({
      "main.ts":
        'import { Task } from "as-interop/assembly/interop";\n' +
        "@jsInvokable export function Go(): Task<i32> {\n  const task = new Task<i32>();\n  task.complete();\n  return task;\n}\n",
    });
    expect(diagnostics.map((d) => d.message).join("\n")).toContain(
      "complete() is for a Task without a result (Task<void>): give a Task<T> its value with resolve(value).",
    );
  });
});

describe("JSRuntime.invokeAsync: results and rejections reach continuations", () => {
  it("continueWith and continueWithState receive the result, in the order they were added", async () => {
    installDelayed();
    const outcomes = installReport();
    call("Observe", "delayed.quick", 0);
    expect(outcomes).toEqual([]); // nothing runs before the promise settles
    await sleep(5);
    expect(outcomes).toEqual(["plain completed: quick", "first completed: quick", "second completed: quick"]);
    expectQuiet();
  });

  it("... and the rejection, as Blazor's JSException reads: the JS error's message and stack", async () => {
    installDelayed();
    const outcomes = installReport();
    call("Observe", "delayed.rejects", 0);
    await sleep(5);
    // Blazor's formatError: `${error.message}\n${error.stack}`.
    expect(outcomes).toHaveLength(3);
    for (const [i, which] of ["plain", "first", "second"].entries()) expect(outcomes[i]).toMatch(new RegExp(`^${which} faulted: nope\nTypeError: nope\n +at `));
    outcomes.length = 0;
    call("Observe", "delayed.rejectsRaw", 0);
    await sleep(5);
    expect(outcomes[0]).toBe("plain faulted: a plain reason");
    expectQuiet();
  });

  it("a function that throws instead of returning a promise faults the task", async () => {
    installDelayed();
    const outcomes = installReport();
    call("Observe", "delayed.throwsSync", 0);
    await sleep(5);
    expect(outcomes[0]).toMatch(/^plain faulted: thrown before any promise\nRangeError: thrown before any promise\n +at /);
    const outcomes2 = installReport();
    call("Observe", "no.such.function", 0);
    await sleep(5);
    // as-interop's own errors are their message, as Blazor's "Could not find …" is.
    expect(outcomes2[0]).toBe("plain faulted: Could not find 'no.such.function' ('no' was undefined).");
    expectQuiet();
  });

  it("a function that returns a plain value completes the task with it", async () => {
    installDelayed();
    await expect(callAsync("FetchString", "delayed.plainValue", 0)).resolves.toBe("not a promise");
  });

  it("a continuation added to a completed task runs at once", () => {
    const outcomes = installReport();
    call("ContinueCompleted");
    expect(outcomes).toEqual(["late completed: done"]);
  });

  it("a rejected JS call rejects the task JS waits for", async () => {
    installDelayed();
    await expect(callAsync("FetchString", "delayed.rejects", 0)).rejects.toThrow("TypeError: nope");
    expectQuiet();
  });

  it("a struct result arrives as the struct", async () => {
    install({ sensors: { read: async () => ({ sensor: "s9", value: -3.25 }) } });
    await expect(callAsync("FetchReading", "sensors.read")).resolves.toEqual({ sensor: "s9", value: -3.25 });
  });
});

describe("timeouts, cancellation and wrong types", () => {
  it("a JS call that never settles times out", async () => {
    installDelayed();
    const started = Date.now();
    const error = await callAsync("FetchString", "delayed.never", 50).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect(error).toBeInstanceOf(InteropError);
    expect((error as Error).message).toBe("The JavaScript call did not settle within 50 ms.");
    const outcomes = installReport();
    call("Observe", "delayed.never", 20);
    await sleep(60);
    expect(outcomes[0]).toBe("plain faulted: The JavaScript call did not settle within 20 ms.");
    expectQuiet();
  });

  it("a call that settles in time is not failed by its timeout later", async () => {
    installDelayed();
    const outcomes = installReport();
    call("Observe", "delayed.quick", 30);
    await sleep(80);
    expect(outcomes).toEqual(["plain completed: quick", "first completed: quick", "second completed: quick"]);
    expectQuiet();
  });

  it("a canceled call fails its task with .NET's 'A task was canceled.' (TaskCanceledException)", async () => {
    installDelayed();
    await expect(callAsync("CancelAtOnce", "delayed.never")).rejects.toThrow("A task was canceled.");
    expectQuiet();
  });

  it("a JS promise that settles after the cancellation is ignored", async () => {
    const outcomes = installReport();
    const js = deferred<string>();
    install({ controlled: () => js.promise });
    call("ObserveCancelable", "controlled");
    expect(assembly.diagnostics().pendingTasks).toBe(1);
    call("CancelObserved");
    expect(outcomes).toEqual(["cancelable faulted: A task was canceled."]);
    expectQuiet();
    js.resolve("too late");
    await sleep(5);
    expect(outcomes).toEqual(["cancelable faulted: A task was canceled."]);
    call("CancelObserved"); // canceling again is harmless
    expectQuiet();
  });

  it("a JS value of the wrong type fails the task clearly", async () => {
    installDelayed();
    await expect(callAsync("FetchI32", "delayed.text")).rejects.toThrow("JavaScript returned a string where managed code expects a number.");
    install({ odd: { half: async () => 0.5, reading: async () => ({ sensor: 7 }), nothing: async () => null } });
    await expect(callAsync("FetchI32", "odd.half")).rejects.toThrow(/JavaScript returned 0\.5, which is not a i32\./);
    await expect(callAsync("FetchReading", "odd.reading")).rejects.toThrow("JavaScript returned a number where managed code expects a string.");
    await expect(callAsync("FetchReading", "odd.nothing")).rejects.toThrow(/JavaScript returned null where managed code expects a Reading/);
    // The instance keeps working.
    await expect(callAsync("FetchDoubled", 2)).resolves.toBe(4);
    expectQuiet();
  });
});

describe("JSRuntime.invokeAwait without JSPI (Node 20)", () => {
  const message =
    "JSRuntime.invokeAwait needs JSPI (WebAssembly.Suspending), which this engine does not have; " +
    "use JSRuntime.invokeAsync with a continuation instead.";

  it("fails with the clear 'needs JSPI' message, and the instance keeps working", async () => {
    installDelayed();
    const viaAsync = await callAsync("AwaitDoubled", 1).catch((e: unknown) => e);
    expect(viaAsync).toBeInstanceOf(InteropError);
    expect((viaAsync as Error).message).toBe(message);
    const viaSync = (() => {
      try {
        call("AwaitDoubled", 1);
      } catch (error) {
        return error;
      }
    })();
    expect(viaSync).toBeInstanceOf(InteropError);
    expect((viaSync as Error).message).toBe(message);
    for (let i = 0; i < 100; ++i) await expect(callAsync("AwaitSteps", i, 3)).rejects.toThrow(message);
    await expect(callAsync("FetchDoubled", 5)).resolves.toBe(10);
    expectQuiet();
  });
});

describe("1000 concurrent async calls in both directions", () => {
  it("all settle with the right values, and the tables are empty afterwards", async () => {
    installDelayed(30);
    const count = 1000;
    // JS → managed: 1000 Task-returning calls at once, each awaiting a JS promise with a random delay ...
    const jsToManaged = Promise.all(Array.from({ length: count }, (_, i) => callAsync<number>("FetchDoubled", i)));
    // ... while managed → JS: one call starts 1000 async JS calls at once and checks each value.
    const managedToJs = callAsync<string>("FanOut", count);
    expect(assembly.diagnostics().pendingTasks).toBeGreaterThan(count);
    const [doubled, summary] = await Promise.all([jsToManaged, managedToJs]);
    expect(doubled).toEqual(Array.from({ length: count }, (_, i) => i * 2));
    expect(summary).toBe(`${count} settled, 0 failed, 0 wrong`);
    expectQuiet();
  });

  it("with some of them rejected and some timing out, each settles its own way", async () => {
    installDelayed(20);
    const calls = Array.from({ length: 1000 }, (_, i) => {
      if (i % 10 === 3) return callAsync("FetchString", "delayed.rejects", 0).then(() => "resolved", (e: Error) => e.message);
      if (i % 10 === 7) return callAsync("FetchString", "delayed.never", 1 + (i % 30)).then(() => "resolved", (e: Error) => e.message);
      return callAsync<number>("FetchDoubled", i);
    });
    const results = await Promise.all(calls);
    results.forEach((result, i) => {
      if (i % 10 === 3) expect(result).toMatch(/^nope\nTypeError: nope\n/);
      else if (i % 10 === 7) expect(result).toBe(`The JavaScript call did not settle within ${1 + (i % 30)} ms.`);
      else expect(result).toBe(i * 2);
    });
    expectQuiet();
  });
});

describe("an async re-entrant chain: managed → async JS → invokeMethodAsync → managed … (10 levels)", () => {
  const expected = (level: number, depth: number): string =>
    level === depth ? `A${level}!` : `A${level}[J${level + 1}(${expected(level + 1, depth)})]`;

  it("returns correctly, with the right value at every level", async () => {
    const seen: number[] = [];
    install({
      asyncChain: {
        async step(level: number, depth: number) {
          await sleep(Math.random() * 5);
          const inner = await callAsync<string>("AsyncChain", level, depth);
          expect(inner).toBe(expected(level, depth));
          seen.push(level);
          return `J${level}(${inner})`;
        },
      },
    });
    await expect(callAsync("AsyncChain", 0, 10)).resolves.toBe(expected(0, 10));
    expect(seen).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    // Ten chains at once.
    const chains = await Promise.all(Array.from({ length: 10 }, () => callAsync("AsyncChain", 0, 10)));
    expect(chains).toEqual(Array(10).fill(expected(0, 10)));
    expectQuiet();
  });

  it("a rejection at the deepest level reaches the outer caller, and the instance keeps working", async () => {
    install({
      asyncChain: {
        async step(level: number, depth: number) {
          if (level === depth) throw new Error("deepest level failed");
          return `J${level}(${await callAsync<string>("AsyncChain", level, depth)})`;
        },
      },
    });
    const error = await callAsync("AsyncChain", 0, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteropError);
    expect((error as Error).message).toContain("deepest level failed");
    expectQuiet();
    (g["asyncChain"] as { step: unknown }).step = async (level: number, depth: number) =>
      `J${level}(${await callAsync<string>("AsyncChain", level, depth)})`;
    await expect(callAsync("AsyncChain", 0, 10)).resolves.toBe(expected(0, 10));
    expectQuiet();
  });
});

describe("a continuation that aborts", () => {
  it("does not leave the JS caller waiting forever", async () => {
    // Task.settled() tells JS (hostTaskSettled) before it runs the continuations, so JS has its
    // value even though a continuation after it aborts (which the console reports).
    // On an instance of its own, so that what it leaves behind does not touch the other tests.
    const own = new InteropRuntime();
    const ownAssembly = await own.loadAssembly(module);
    installDelayed(5);
    const outcome = await Promise.race([
      own.invokeMethodAsync(NAME, "ContinuationAborts").then(
        (value) => `resolved ${String(value)}`,
        (error: Error) => `rejected: ${error.message}`,
      ),
      sleep(1000).then(() => "still pending after 1 s"),
    ]);
    expect(outcome).toMatch(/^(resolved 15|rejected: .*continuation aborted on 15)/);
    expect(ownAssembly.diagnostics().pendingTasks).toBe(0);
  });
});
