/**
 * Reliability under load (issue 9): a million mixed calls leave every handle table, the pins and
 * linear memory where they started; 10,000 async calls in flight at once, each waiting for a JS
 * promise, all settle with the right value; re-entrancy 1,000 levels deep works or fails clearly.
 *
 * LEAK_CALLS sets the size of the mixed workload (default 1,000,000, about 10-20 s here).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropError, InteropRuntime, type AssemblyDiagnostics, type LoadedAssembly } from "../host/runtime/index.ts";
import { compileFixture, stackPointerOf } from "./helpers.ts";
import { collectUntil, countFromEnv, expectIntact, exposeGc, figure, timed } from "./reliability-helpers.ts";

const NAME = "reliability";
const LEAK_CALLS = countFromEnv("LEAK_CALLS", 1_000_000);
const CONCURRENT = countFromEnv("CONCURRENT_CALLS", 10_000);

let module: WebAssembly.Module;

beforeAll(async () => {
  module = (await compileFixture(NAME)).module;
});

type Reference = { invokeMethod(identifier: string, ...args: unknown[]): unknown; dispose(): void; Name: string };

/** The tables that must come back to where they started (memory is checked on its own). */
function tables(assembly: LoadedAssembly): Omit<AssemblyDiagnostics, "memoryBytes"> {
  const { memoryBytes: _, ...rest } = assembly.diagnostics();
  return rest;
}

describe("leaks", () => {
  it(`${LEAK_CALLS.toLocaleString("en")} mixed calls leave the handle tables, pins and memory where they started`, async () => {
    const gc = exposeGc();
    const scope = { reliability: { echoAsync: (x: number) => Promise.resolve(x) } };
    const runtime = new InteropRuntime();
    const assembly = await runtime.loadAssembly(module, { scope });
    const call = <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod<T>(NAME, method, ...args);
    const collect = (assembly.instance.exports as unknown as { __collect(): void }).__collect;
    const guid = "382c74c3-721d-4f34-80e5-57657b6cbc27";
    const bytes = new Uint8Array(64).fill(0x0f);

    /** Runs about `count` calls of every kind; returns how many it made. */
    const run = async (count: number): Promise<number> => {
      let calls = 0;
      let pending: Promise<void>[] = [];
      const check = (ok: boolean, what: string) => {
        if (!ok) expect.fail(`call ${calls}: ${what} came back wrong`);
      };
      for (let i = 0; calls < count; ++i) {
        switch (i % 16) {
          case 0:
            check(call("echo", `string ${i}`) === `string ${i}`, "echo");
            calls += 1;
            break;
          case 1:
            check(call("sum", [i, 1, 2]) === i + 3, "sum");
            calls += 1;
            break;
          case 2:
            check(call<{ x: number }>("echoPoint", { x: i, y: 1, label: "p" }).x === i, "echoPoint");
            calls += 1;
            break;
          case 3:
            check(call<{ a: number }>("echoMap", { a: i, b: 2 }).a === i, "echoMap");
            calls += 1;
            break;
          case 4:
            check(call<Uint8Array>("flip", bytes)[63] === 0xf0, "flip");
            calls += 1;
            break;
          case 5:
            check(call<string[]>("echoStrings", ["a", `${i}`])[1] === `${i}`, "echoStrings");
            calls += 1;
            break;
          case 6: {
            // A reference created, used, written to and disposed from JS.
            const helper = call<Reference>("makeHelper", "n");
            check(helper.invokeMethod("Hello") === "Hello, n!", "Hello");
            helper.Name = "m";
            check(helper.Name === "m", "Name");
            helper.dispose();
            calls += 4;
            break;
          }
          case 7:
            // A reference dropped without dispose(): the finalizer releases it.
            call("makeHelper", "dropped");
            calls += 1;
            break;
          case 8:
            // A JS object passed in, read, and let go of by managed code.
            check(call("readAndRelease", { value: i }) === i, "readAndRelease");
            calls += 1;
            break;
          case 9:
            check(call<Date>("echoDate", new Date(i)).getTime() === i, "echoDate");
            calls += 1;
            break;
          case 10:
            check(call("echoGuid", guid) === guid, "echoGuid");
            calls += 1;
            break;
          case 11: {
            // Async: a managed task that waits for a JS promise.
            const x = i;
            pending.push(runtime.invokeMethodAsync<number>(NAME, "doubleAsync", x).then((v) => check(v === 2 * x, "doubleAsync")));
            calls += 1;
            break;
          }
          case 12:
            check(call<unknown[]>("echoPoints", [{ x: 1, y: 2, label: "a" }, { x: 3, y: 4, label: "b" }]).length === 2, "echoPoints");
            calls += 1;
            break;
          case 13: {
            // A reference passed back in, disposed by managed code, then dropped.
            const helper = call<Reference>("makeHelper", "x");
            check(call("helperName", helper) === "x", "helperName");
            call("disposeHelper", helper);
            calls += 3;
            break;
          }
          case 14:
            check(call<number[]>("codeUnits", "abc")[2] === 99, "codeUnits");
            calls += 1;
            break;
          case 15: {
            const x = `${i}`;
            pending.push(runtime.invokeMethodAsync<string>(NAME, "echo", x).then((v) => check(v === x, "echo async")));
            calls += 1;
            break;
          }
        }
        if (pending.length >= 1_000) {
          await Promise.all(pending);
          pending = [];
        }
      }
      await Promise.all(pending);
      return calls;
    };
    /** Lets every dropped reference be finalized, then collects the managed heap. */
    const settle = async () => {
      expect(await collectUntil(gc, () => assembly.diagnostics().jsReferences === 0 && assembly.diagnostics().trackedObjects === 0)).toBe(true);
      collect();
    };

    const start = tables(assembly);
    expect(start).toEqual({ trackedObjects: 0, jsReferences: 0, jsObjects: 0, jsStreams: 0, pendingTasks: 0, pinned: 0 });
    const initialMemory = assembly.diagnostics().memoryBytes;

    // Warm up with a tenth, so memory reaches the size the workload needs; then the rest in
    // batches, collecting between them as a long-running app's garbage collectors would.
    const batch = Math.max(1, Math.min(50_000, Math.floor(LEAK_CALLS / 10)));
    let made = await run(batch);
    await settle();
    const warmMemory = assembly.diagnostics().memoryBytes;
    const [, ms] = await timed(async () => {
      while (made < LEAK_CALLS) {
        made += await run(Math.min(batch, LEAK_CALLS - made));
        await settle();
        expect(assembly.diagnostics().memoryBytes, `memory after ${made} calls`).toBe(warmMemory);
      }
    });
    const end = tables(assembly);
    const endMemory = assembly.diagnostics().memoryBytes;
    figure(
      `leaks: ${made} mixed calls; the last ${made - batch} in ${(ms / 1000).toFixed(1)} s; ` +
        `memory ${initialMemory} → ${warmMemory} after the first ${batch}, ${endMemory} at the end; tables ${JSON.stringify(end)}`,
    );
    expect(end).toEqual(start);
    expect(endMemory).toBe(warmMemory);
    expectIntact(assembly, () => expect(call("add", 1, 2)).toBe(3));
  }, 240_000);
});

describe("load", () => {
  it(`${CONCURRENT.toLocaleString("en")} concurrent invokeMethodAsync calls, each awaiting JS promises, all settle correctly`, async () => {
    const settleLater: (() => void)[] = [];
    let reentered = 0;
    const runtime = new InteropRuntime();
    const scope = {
      reliability: {
        // Some settle at once, some on a later turn of the event loop, some only when released
        // below; some call back into the assembly before answering.
        echoAsync: (x: number) => {
          if (x % 7 === 0) {
            reentered += runtime.invokeMethod<number>(NAME, "add", x, 0) === x ? 1 : 0;
          }
          switch (x % 3) {
            case 0:
              return Promise.resolve(x);
            case 1:
              return new Promise((resolve) => setTimeout(() => resolve(x), x % 5));
            default:
              return new Promise((resolve) => settleLater.push(() => resolve(x)));
          }
        },
        never: () => new Promise(() => {}),
      },
    };
    const assembly = await runtime.loadAssembly(module, { scope });
    const start = tables(assembly);

    const [results, ms] = await timed(async () => {
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < CONCURRENT; ++i) {
        calls.push(runtime.invokeMethodAsync(NAME, "doubleAsync", i));
        // Interleaved: other calls, sync and async, while those are in flight.
        if (i % 10 === 0) calls.push(runtime.invokeMethodAsync(NAME, "echo", `e${i}`));
        if (i % 100 === 0) expect(runtime.invokeMethod(NAME, "sum", [i, 1])).toBe(i + 1);
      }
      expect(assembly.diagnostics().pendingTasks).toBeGreaterThan(0);
      // Release the deferred ones in reverse order, a few per tick, while new calls still arrive.
      while (settleLater.length > 0) {
        settleLater.splice(-500).reverse().forEach((resolve) => resolve());
        calls.push(runtime.invokeMethodAsync(NAME, "doubleAsync", 1));
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      return Promise.allSettled(calls);
    });
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected, String((rejected[0] as PromiseRejectedResult | undefined)?.reason)).toEqual([]);
    let next = 0;
    for (let i = 0; i < CONCURRENT; ++i) {
      const doubled = (results[next++] as PromiseFulfilledResult<number>).value;
      if (doubled !== 2 * i) expect.fail(`doubleAsync(${i}) gave ${doubled}`);
      if (i % 10 === 0) expect((results[next++] as PromiseFulfilledResult<string>).value).toBe(`e${i}`);
    }
    expect(reentered).toBe(Math.ceil(CONCURRENT / 7));
    figure(`load: ${results.length} async calls (${CONCURRENT} awaiting JS promises) settled in ${ms.toFixed(0)} ms`);
    expect(tables(assembly)).toEqual(start);
    expectIntact(assembly, () => expect(runtime.invokeMethod(NAME, "add", 2, 3)).toBe(5));
  }, 120_000);
});

describe("re-entrancy", () => {
  /** An assembly whose JS `reenter(n)` calls back into managed `reenter(n)`: JS → managed → JS → … */
  async function reentrant() {
    const runtime = new InteropRuntime();
    const scope = { reliability: { reenter: (n: number) => runtime.invokeMethod<number>(NAME, "reenter", n) } };
    const assembly = await runtime.loadAssembly(module, { scope });
    const stackPointer = stackPointerOf(assembly);
    return { runtime, assembly, stackPointer, atRest: stackPointer.value as number };
  }

  it("1,000 levels deep (JS → managed → JS → …) either works or fails with a clear error, and the instance keeps working", async () => {
    // First thing in a fresh instance, with nothing warmed up: the deepest the stack goes.
    const { runtime, assembly, stackPointer, atRest } = await reentrant();
    let outcome: unknown;
    try {
      outcome = runtime.invokeMethod(NAME, "reenter", 1_000);
    } catch (error) {
      outcome = error;
    }
    figure(`re-entrancy 1,000 deep, cold: ${outcome instanceof Error ? `${outcome.name}: ${outcome.message.slice(0, 120)}` : String(outcome)}`);
    if (outcome !== 1_000) {
      // Regression (host/runtime/boundary.ts), fixed: before, the JS stack runs out part way; the boundary takes the
      // RangeError for a fault inside managed code and poisons the instance (or, when the overflow
      // strikes as it tests the message, throws "SyntaxError: Invalid regular expression").
      expect(outcome).toBeInstanceOf(InteropError);
    }
    expectIntact(assembly, () => expect(runtime.invokeMethod(NAME, "add", 1, 2)).toBe(3));
    expect(stackPointer.value).toBe(atRest);
    expect(runtime.invokeMethod(NAME, "reenter", 10)).toBe(10);
  });

  it("depths that fit work again and again, and leave the shadow stack where it was", async () => {
    const { runtime, assembly, stackPointer, atRest } = await reentrant();
    for (const depth of [1, 10, 100, 200]) {
      for (let i = 0; i < 10; ++i) expect(runtime.invokeMethod(NAME, "reenter", depth)).toBe(depth);
    }
    expect(stackPointer.value).toBe(atRest);
    expectIntact(assembly, () => expect(runtime.invokeMethod(NAME, "echo", "ok")).toBe("ok"));
  });

  it("a stack that runs out deep in re-entrant calls is a clear error, not a poisoned instance", async () => {
    // Far beyond any stack: each level takes about 1 KB of the JS stack.
    const { runtime, assembly } = await reentrant();
    let outcome: unknown;
    try {
      outcome = runtime.invokeMethod(NAME, "reenter", 100_000);
    } catch (error) {
      outcome = error;
    }
    figure(`re-entrancy 100,000 deep: ${outcome instanceof Error ? `${outcome.name}: ${outcome.message.slice(0, 120)}` : String(outcome)}`);
    expect(outcome).toBeInstanceOf(InteropError);
    expectIntact(assembly, () => expect(runtime.invokeMethod(NAME, "reenter", 10)).toBe(10));
  });
});
