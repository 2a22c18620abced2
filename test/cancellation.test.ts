/**
 * .NET's cancellation for calls into JavaScript (the fixture is test/fixtures/cancellation.ts):
 * Blazor's `InvokeAsync(identifier, cancellationToken, args)` and its kin, given a
 * `CancellationTokenSource`'s token, cancel their task ("A task was canceled."), and one given a
 * token canceled already is not made; registrations run when the token is canceled, the last
 * first; `cancelAfter` and `Task.delay` run on the host's timers, which a cancel clears; settled
 * calls let go of their registrations.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { InteropRuntime, type LoadedAssembly } from "../host/runtime/index.ts";
import { compileFixture, globalInstaller, rejection } from "./helpers.ts";

const NAME = "cancellation";
let runtime: InteropRuntime;
let assembly: LoadedAssembly;
const install = globalInstaller();

beforeAll(async () => {
  const { module } = await compileFixture(NAME);
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(module);
});

afterEach(() => {
  call("NewSource", -1);
  expect(assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsObjects: 0, pendingTasks: 0 });
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const callAsync = <T = unknown>(method: string, ...args: unknown[]): Promise<T> => runtime.invokeMethodAsync<T>(NAME, method, ...args);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const CANCELED = "A task was canceled.";

/** A promise JS settles by hand, and how often the function giving it was called. */
function deferred() {
  let resolve!: (value: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  const fn = Object.assign((...args: unknown[]) => { fn.calls.push(args); return promise; }, { calls: [] as unknown[][] });
  return { fn, resolve };
}

describe("a call given a token", () => {
  it("canceled while JS works: the task is canceled at once, JS runs on, and its late value is ignored", async () => {
    const { fn, resolve } = deferred();
    install({ work: fn });
    const task = callAsync("Invoke", "work", "x");
    expect(fn.calls).toEqual([["x"]]);
    expect(call("Registrations")).toBe(1);
    call("Cancel");
    expect(await rejection(task)).toMatchObject({ message: CANCELED });
    expect(call("Registrations")).toBe(0);
    resolve("late");
    await sleep(1);
  });

  it("given a token canceled already: JS is not called and the task is canceled, as Blazor's InvokeAsync does", async () => {
    const { fn } = deferred();
    install({ work: fn, values: { n: 1 } });
    call("Cancel");
    expect(await rejection(callAsync("Invoke", "work", "x"))).toMatchObject({ message: CANCELED });
    expect(await rejection(callAsync("InvokeVoid", "work"))).toMatchObject({ message: CANCELED });
    expect(await rejection(callAsync("Construct", "Date"))).toMatchObject({ message: CANCELED });
    expect(await rejection(callAsync("OnObject", "values", "work"))).toMatchObject({ message: CANCELED });
    expect(await rejection(callAsync("GetValue", "values.n"))).toMatchObject({ message: CANCELED });
    expect(await rejection(callAsync("SetValue", "values.n", 2))).toMatchObject({ message: CANCELED });
    expect(await rejection(callAsync("Import", "./no-such-module.js"))).toMatchObject({ message: CANCELED });
    expect(fn.calls).toEqual([]);
    expect((globalThis as unknown as { values: { n: number } }).values.n).toBe(1);
  });

  it("a call not made lets go of the managed function its arguments handed out", async () => {
    const { fn } = deferred();
    install({ callBack: fn });
    call("Cancel");
    expect(await rejection(callAsync("InvokeWithCallback", "callBack"))).toMatchObject({ message: CANCELED });
    expect(fn.calls).toEqual([]);
    expect(assembly.diagnostics().trackedObjects).toBe(0);
  });

  it("a call past the limit on pending tasks, not made, lets go of the references its arguments handed out", async () => {
    const { fn, resolve } = deferred();
    install({ callBack: fn });
    const limited = new InteropRuntime();
    const small = await limited.loadAssembly((await compileFixture(NAME)).module, { maxHandles: 2 });
    const start = () => limited.invokeMethod<string>(NAME, "StartWithReference", "callBack");
    expect([start(), start()]).toEqual(["pending", "pending"]);
    const tracked = small.diagnostics().trackedObjects;
    expect(start()).toMatch(/^This host allows 2 pending tasks at once \(maxHandles\)/);
    expect(fn.calls).toHaveLength(2);
    expect(small.diagnostics().trackedObjects).toBe(tracked);
    resolve("done");
    await sleep(1);
    expect(small.diagnostics().pendingTasks).toBe(0);
  });

  it("one token cancels every call given it; a call that settled first keeps its value and lets go of its registration", async () => {
    const a = deferred();
    const b = deferred();
    const c = deferred();
    install({ a: a.fn, b: b.fn, c: c.fn });
    const first = callAsync("Invoke", "a", "1");
    const second = callAsync("Invoke", "b", "2");
    const third = callAsync("InvokeVoid", "c");
    expect(call("Registrations")).toBe(3);
    a.resolve("done");
    expect(await first).toBe("done");
    expect(call("Registrations")).toBe(2);
    call("Cancel");
    expect(await rejection(second)).toMatchObject({ message: CANCELED });
    expect(await rejection(third)).toMatchObject({ message: CANCELED });
    expect(call("IsCanceled")).toBe(true);
  });

  it("a timeout and a token together: whichever comes first; a canceled call's timer is cleared", async () => {
    install({ never: () => new Promise(() => {}) });
    expect(await rejection(callAsync("InvokeWithTimeout", "never", 5))).toMatchObject({ message: "The JavaScript call did not settle within 5 ms." });
    vi.useFakeTimers();
    try {
      const waiting = callAsync("InvokeWithTimeout", "never", 60_000);
      expect(vi.getTimerCount()).toBe(1);
      call("Cancel");
      // The minute's timer went with the call: nothing keeps a Node process waiting for it.
      expect(vi.getTimerCount()).toBe(0);
      expect(await rejection(waiting)).toMatchObject({ message: CANCELED });
    } finally {
      vi.useRealTimers();
    }
  });

  it("CancellationToken.none is never canceled, and a call given it is an ordinary call", async () => {
    install({ hello: async () => "hello" });
    expect(call("TokenStates")).toBe("false|false|true|false|true|true");
    expect(await callAsync("InvokeWithNone", "hello")).toBe("hello");
  });
});

describe("registrations", () => {
  it("run once when the token is canceled, the last registered first (as .NET runs them); a disposed one never; one made after, at once", () => {
    expect(call("RegistrationOrder")).toBe("second,with state,first,first");
  });
});

describe("cancelAfter and Task.delay, on the host's timers", () => {
  it("new CancellationTokenSource(ms) and cancelAfter(ms) cancel the token when the time is up; a later cancelAfter replaces the schedule", async () => {
    install({ work: deferred().fn });
    call("NewSource", 10);
    const task = callAsync("Invoke", "work", "x");
    expect(call("IsCanceled")).toBe(false);
    expect(await rejection(task)).toMatchObject({ message: CANCELED });
    expect(call("IsCanceled")).toBe(true);

    call("NewSource", -1);
    call("CancelAfter", 60_000);
    call("CancelAfter", 5); // replaces the minute
    await sleep(30);
    expect(call("IsCanceled")).toBe(true);
  });

  it("cancelAfter(0) cancels at once; -1 and dispose() stop a schedule, whose timer goes with it", async () => {
    call("CancelAfter", 0);
    expect(call("IsCanceled")).toBe(true);

    call("NewSource", -1);
    call("CancelAfter", 5);
    call("CancelAfter", -1);
    await sleep(30);
    expect(call("IsCanceled")).toBe(false);

    vi.useFakeTimers();
    try {
      call("CancelAfter", 60_000);
      expect(assembly.diagnostics().pendingTasks).toBe(1);
      expect(vi.getTimerCount()).toBe(1);
      call("DisposeSource");
      expect(assembly.diagnostics().pendingTasks).toBe(0);
      expect(vi.getTimerCount()).toBe(0);
      expect(call("IsCanceled")).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it("Task.delay completes after its time, at once for 0; a token cancels it and clears its timer; below -1 is an error", async () => {
    const started = Date.now();
    await callAsync("Delay", 20);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(call("DelayCompletedAtOnce")).toBe(true);

    vi.useFakeTimers();
    try {
      const long = callAsync("Delay", 60_000);
      expect(assembly.diagnostics().pendingTasks).toBe(2); // the delay, and JS waiting for it
      expect(vi.getTimerCount()).toBe(1);
      call("Cancel");
      expect(vi.getTimerCount()).toBe(0);
      expect(await rejection(long)).toMatchObject({ message: CANCELED });
    } finally {
      vi.useRealTimers();
    }
    expect(await rejection(callAsync("Delay", -1))).toMatchObject({ message: CANCELED }); // canceled already
    expect(await rejection(callAsync("DelayBadValue"))).toMatchObject({
      message: expect.stringContaining("The value needs to be either -1 (signifying an infinite timeout), 0, or a positive integer, but it is -2."),
    });
  });
});

describe("a stream copy given a token", () => {
  it("is canceled with it: no more chunks, the sink not closed; a token canceled already reads nothing", async () => {
    const data = new Uint8Array(4096);
    const copy = callAsync("Copy", runtime.DotNet.createJSStreamReference(data), 16);
    call("Cancel");
    expect(await rejection(copy)).toMatchObject({ message: CANCELED });
    await sleep(5);
    expect(call<string>("SinkState").split("|")[1]).toBe("false");

    expect(await rejection(callAsync("Copy", runtime.DotNet.createJSStreamReference(data), 16))).toMatchObject({ message: CANCELED });
    expect(call("SinkState")).toBe("0|false");

    call("NewSource", -1);
    expect(await callAsync("Copy", runtime.DotNet.createJSStreamReference(data), 1024)).toBe(4096);
    expect(call("SinkState")).toBe("4096|true");
  });
});
