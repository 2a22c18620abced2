/**
 * Issue 5, managed code calling JavaScript (Node): JSRuntime.invoke/invokeVoid with dotted
 * identifiers bound to their parent and values of every kind both ways, Blazor's messages,
 * tryInvoke and uncaught JS exceptions, JSObject handles and JS callbacks, ES modules, capability
 * scopes, and a re-entrant chain JS → managed → JS → … ten levels deep.
 * The fixture is test/fixtures/js-calls.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InteropError, InteropRuntime, ManagedError, type LoadedAssembly } from "../host/runtime/index.ts";
import { compileFixture, globalInstaller, thrown } from "./helpers.ts";

const NAME = "js-calls";
let module: WebAssembly.Module;
let runtime: InteropRuntime;
let assembly: LoadedAssembly;

/** What the tests put on globalThis, removed after each test. */
const g = globalThis as Record<string, unknown>;
const install = globalInstaller();

beforeAll(async () => {
  module = (await compileFixture(NAME)).module;
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(module);
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const callAsync = <T = unknown>(method: string, ...args: unknown[]): Promise<T> => runtime.invokeMethodAsync<T>(NAME, method, ...args);

/** The InteropError `fn` throws (fails the test when it does not throw). */
function interopError(fn: () => unknown): InteropError {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(InteropError);
  return error as InteropError;
}

describe("JSRuntime.invoke / invokeVoid: identifiers", () => {
  it("runs Blazor's documentation sample CallHelloHelperSayHello: the reference arrives as a JS object whose invokeMethod works", () => {
    let seen: unknown;
    install({
      exampleJsFunctions: {
        sayHello(dotnetHelper: { invokeMethod(name: string): string; Name: string }) {
          seen = dotnetHelper;
          expect(this).toBe(g["exampleJsFunctions"]); // bound to its parent
          expect(dotnetHelper.Name).toBe("Blazor");
          return dotnetHelper.invokeMethod("SayHello");
        },
      },
    });
    expect(call("CallHelloHelperSayHello", "Blazor")).toBe("Hello, Blazor!");
    // Managed code disposed its reference after the call: JS's copy is dead, with Blazor's message.
    const helper = seen as { invokeMethod(name: string): string };
    expect(() => helper.invokeMethod("SayHello")).toThrow(/There is no tracked object with id '\d+'\. Perhaps the DotNetObjectReference instance was already disposed\./);
    expect(assembly.diagnostics().trackedObjects).toBe(0);
  });

  it("hands JS a DotNetObjectReference it can keep, call asynchronously, and dispose", async () => {
    let kept: { invokeMethodAsync(name: string): Promise<string>; dispose(): void; Name: string } | undefined;
    install({ exampleJsFunctions: { keep: (helper: typeof kept) => void (kept = helper) } });
    call("ShareHelper", "Kept");
    expect(kept!.Name).toBe("Kept");
    kept!.Name = "Renamed";
    await expect(kept!.invokeMethodAsync("SayHello")).resolves.toBe("Hello, Renamed!");
    expect(assembly.diagnostics().trackedObjects).toBe(1);
    kept!.dispose();
    expect(assembly.diagnostics().trackedObjects).toBe(0);
  });

  it("a call that fails before JS is called (no such function, not a function) releases the references its arguments handed out", () => {
    const before = assembly.diagnostics().trackedObjects;
    expect(interopError(() => call("ShareHelper", "Lost")).message).toBe("Could not find 'exampleJsFunctions.keep' ('exampleJsFunctions' was undefined).");
    install({ exampleJsFunctions: { keep: 42 } });
    expect(interopError(() => call("ShareHelper", "Lost")).message).toBe("The value 'exampleJsFunctions.keep' is not a function.");
    expect(assembly.diagnostics().trackedObjects).toBe(before);
  });

  it("resolves a dotted identifier and calls the function with `this` bound to its parent", () => {
    class Counter {
      #count = 0; // only reachable through the right `this`
      add(by: number) {
        this.#count += by;
        return this.#count;
      }
    }
    const counter = new Counter();
    install({ app: { services: { counter } } });
    expect(call("InvokeWithI32", "app.services.counter.add", 5)).toBe(5);
    expect(call("InvokeWithI32", "app.services.counter.add", 2)).toBe(7);
    expect(counter.add(0)).toBe(7);
  });

  it("calls a top-level function, and one that uses `this` as the global scope object", () => {
    install({ topLevel: () => "top", fromScope: function (this: unknown) { return this === globalThis ? "global" : "other"; } });
    expect(call("InvokeString", "topLevel")).toBe("top");
    expect(call("InvokeString", "fromScope")).toBe("global");
    // Built-ins work too.
    expect(call("InvokeWithI32", "Math.abs", -12)).toBe(12);
  });

  it("invokeVoid calls the function", () => {
    let calls = 0;
    install({ sideEffect: { run: () => void ++calls } });
    call("InvokeVoid", "sideEffect.run");
    call("InvokeVoid", "sideEffect.run");
    expect(calls).toBe(2);
  });

  // Today invokeVoid converts the result anyway (host/js/calls.ts `invoke` encodes every result;
  // CallFlags.Value is all JSRuntime.invokeVoid can ask for), which the next two tests show.
  it("invokeVoid ignores a result that has no managed value (Blazor's InvokeVoid does not convert it)", () => {
    install({ returnsSymbol: () => Symbol("ignored"), returnsCycle: () => { const o: Record<string, unknown> = {}; o["self"] = o; return o; } });
    expect(() => call("InvokeVoid", "returnsSymbol")).not.toThrow();
    expect(() => call("InvokeVoid", "returnsCycle")).not.toThrow();
  });

  it("invokeVoid leaves no JS object handle behind for a result that is not plain data", () => {
    // A class instance, DOM node or promise returned to invokeVoid is registered as a handle that
    // managed code never sees and so can never dispose.
    const jsObjects = assembly.diagnostics().jsObjects;
    class Node {}
    install({ returnsNode: () => new Node(), returnsPromise: () => Promise.resolve(1) });
    for (let i = 0; i < 10; ++i) {
      call("InvokeVoid", "returnsNode");
      call("InvokeVoid", "returnsPromise");
    }
    expect(assembly.diagnostics().jsObjects).toBe(jsObjects);
  });

  it("says which part of a path was undefined, in Blazor's words", () => {
    install({ a: { b: { c: 1 } } });
    expect(interopError(() => call("InvokeString", "a.x")).message).toBe("Could not find 'a.x' ('x' was undefined).");
    expect(interopError(() => call("InvokeString", "nowhere.fn")).message).toBe("Could not find 'nowhere.fn' ('nowhere' was undefined).");
    expect(interopError(() => call("InvokeString", "a.b.missing.fn")).message).toBe("Could not find 'a.b.missing.fn' ('missing' was undefined).");
  });

  it("says when the value is not a function, in Blazor's words", () => {
    install({ notFn: 42, holder: { value: "text" } });
    expect(interopError(() => call("InvokeString", "notFn")).message).toBe("The value 'notFn' is not a function.");
    expect(interopError(() => call("InvokeString", "holder.value")).message).toBe("The value 'holder.value' is not a function.");
  });
});

describe("JSRuntime.invoke: arguments of every kind arrive as JS values", () => {
  it("64-bit integers follow the assembly's int64 option, as results do: numbers, and beyond ±2^53 a clear error", () => {
    install({ receive: () => {} });
    expect(() => call("SendAll", "receive")).toThrow(
      /the 64-bit value 9007199254740993 is beyond ±2\^53 and cannot be a JavaScript number exactly; load the assembly with \{ int64: "bigint" \}/,
    );
    expect(() => call("SendU64", "receive")).toThrow(/the 64-bit value 18446744073709551615 is beyond ±2\^53/);
  });

  it("numbers, i64 as BigInt ({ int64: 'bigint' }), strings, bools, null, Date, arrays, Map, structs, Uint8Array", async () => {
    let received: unknown[] = [];
    install({ receive: (...args: unknown[]) => void (received = args) });
    const bigints = new InteropRuntime();
    await bigints.loadAssembly(module, { int64: "bigint" });
    bigints.invokeMethod(NAME, "SendAll", "receive");
    expect(received).toHaveLength(20);
    const [i32, u32, f64, f32, small64, big64, min64, yes, no, nothing, text, date, ints, strings, map, point, bytes, points, pointMap, jagged] = received;
    expect(i32).toBe(-5);
    expect(u32).toBe(4294967295);
    expect(f64).toBe(1.5);
    expect(f32).toBe(0.25);
    expect(small64).toBe(42n); // with int64: "bigint", every 64-bit integer is a BigInt
    expect(big64).toBe(9007199254740993n); // beyond: an exact BigInt
    expect(min64).toBe(-9223372036854775808n);
    expect(yes).toBe(true);
    expect(no).toBe(false);
    expect(nothing).toBeNull();
    expect(text).toBe("héllo, 世界 😀");
    expect(date).toBeInstanceOf(Date);
    expect((date as Date).getTime()).toBe(1700000000123);
    expect(ints).toEqual([1, 2, 3]);
    expect(strings).toEqual(["a", "b"]);
    expect(map).toEqual({ one: 1, two: 2 }); // Map<string, V> → a plain object
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(point).toEqual({ x: 1.5, y: -2, label: "p" }); // @dataMember struct → a plain object
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect([...(bytes as Uint8Array)]).toEqual([0, 85, 170, 255]);
    expect(points).toEqual([{ x: 1, y: 2, label: "a" }, { x: 3, y: 4, label: "b" }]);
    expect(pointMap).toEqual({ origin: { x: 0, y: 0, label: "o" } });
    expect(jagged).toEqual([[1], [], [2, 3]]);
  });

  it("u64 values beyond i64's range arrive exactly, as BigInt", async () => {
    // u64.MAX_VALUE and 2^63: read back as unsigned, never as -1n or -2^63n.
    let received: unknown[] = [];
    install({ receive: (...args: unknown[]) => void (received = args) });
    const bigints = new InteropRuntime();
    await bigints.loadAssembly(module, { int64: "bigint" });
    bigints.invokeMethod(NAME, "SendU64", "receive");
    expect(received).toEqual([18446744073709551615n, 9223372036854775808n]);
  });

  it("a Uint8Array goes to JS and back intact", () => {
    install({ bytes: { reverse: (b: Uint8Array) => b.slice().reverse() } });
    const input = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 255);
    const output = call<Uint8Array>("RoundTripBytes", "bytes.reverse", input);
    expect([...output]).toEqual([...input].reverse());
  });
});

describe("JSRuntime.invoke<T>: results of every kind become managed values", () => {
  const read = (method: string, value: unknown): string => {
    install({ source: () => value });
    return call<string>(method, "source");
  };

  it("numbers, with i64 beyond 2^53 from a BigInt", () => {
    expect(read("ReadI32", -123)).toBe("-123");
    expect(read("ReadI32", 2147483647)).toBe("2147483647");
    expect(read("ReadU8", 255)).toBe("255");
    expect(read("ReadF64", 0.1)).toBe("0.1");
    expect(read("ReadF64", Number.NaN)).toBe("NaN");
    expect(read("ReadI64", 2 ** 53)).toBe("9007199254740992");
    expect(read("ReadI64", 2n ** 60n + 1n)).toBe("1152921504606846977");
    expect(read("ReadI64", -(2n ** 63n))).toBe("-9223372036854775808");
  });

  it("bools, strings, null for a nullable string, Dates", () => {
    expect(read("ReadBool", true)).toBe("true");
    expect(read("ReadBool", false)).toBe("false");
    expect(read("ReadString", "")).toBe("0:");
    expect(read("ReadString", "héllo 😀")).toBe("8:héllo 😀");
    expect(read("ReadNullableString", null)).toBe("null");
    expect(read("ReadNullableString", undefined)).toBe("null");
    expect(read("ReadNullableString", "s")).toBe('"s"');
    expect(read("ReadDate", new Date(-86_400_000))).toBe("-86400000");
  });

  it("arrays, objects as Map<string, V>, objects as @dataMember structs (extra properties ignored), bytes", () => {
    expect(read("ReadI32Array", [])).toBe("0:");
    expect(read("ReadI32Array", [1, -2, 3])).toBe("3:1,-2,3");
    expect(read("ReadI32Array", new Int32Array([4, 5]))).toBe("2:4,5"); // typed arrays read as arrays
    expect(read("ReadStringArray", ["x", "y", "z"])).toBe("x|y|z");
    expect(read("ReadMap", { a: 1.5, b: -2 })).toBe("a=1.5,b=-2.0");
    expect(read("ReadPoint", { x: 1, y: 2.5, label: "pt", extra: [1, { deep: true }] })).toBe("1.0,2.5,pt");
    expect(read("ReadPoints", [{ x: 1, y: 2, label: "a" }, { label: "b", y: 4, x: 3 }])).toBe("1.0/2.0/a,3.0/4.0/b");
    expect(read("ReadBytes", new Uint8Array([0, 1, 255]))).toBe("3:0,1,255");
  });

  it("a struct and a Map go to JS and come back transformed", () => {
    install({
      geometry: { scale: (p: { x: number; y: number; label: string }, k: number) => ({ x: p.x * k, y: p.y * k, label: `${p.label}*${k}` }) },
      maps: { double: (m: Record<string, number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k + k, v * 2])) },
    });
    expect(call("ScalePoint", 3, 4, 2)).toEqual({ x: 6, y: 8, label: "in*2" });
    const map = call<Map<string, number> | Record<string, number>>("RoundTripMap", "maps.double");
    const entries = map instanceof Map ? Object.fromEntries(map) : map;
    expect(entries).toEqual({ aa: 2, bb: -4 });
  });

  it.each([
    ["ReadI32", "text", "JavaScript returned a string where managed code expects a number."],
    ["ReadI32", 1.5, /JavaScript returned 1\.5, which is not a i32\./],
    ["ReadI32", null, "JavaScript returned null where managed code expects a number."],
    ["ReadU8", 256, /JavaScript returned 256(\.0)?, which is not a u8\./],
    ["ReadU8", -1, /JavaScript returned -1(\.0)?, which is not a u8\./],
    ["ReadI64", 1e20, /which is not a i64\./],
    ["ReadI32", NaN, "JavaScript returned NaN, which is not a i32."],
    ["ReadI32", undefined, "JavaScript returned undefined where managed code expects a number."],
    ["ReadI32", true, "JavaScript returned a boolean where managed code expects a number."],
    ["ReadBool", 1, "JavaScript returned a number where managed code expects a boolean."],
    ["ReadString", 1, "JavaScript returned a number where managed code expects a string."],
    ["ReadString", null, /JavaScript returned null where managed code expects a String \(it is not nullable\)\./],
    ["ReadDate", "2020-01-01", "JavaScript returned a string where managed code expects a Date."],
    ["ReadI32Array", { length: 1 }, "JavaScript returned an object where managed code expects an array."],
    ["ReadI32Array", [1, "a"], "JavaScript returned a string where managed code expects a number."],
    ["ReadPoint", undefined, /JavaScript returned undefined where managed code expects a Point \(it is not nullable\)\./],
    ["ReadPoint", { x: "no" }, "JavaScript returned a string where managed code expects a number."],
    ["ReadPoint", [1, 2], "JavaScript returned an array where managed code expects an object for Point."],
    ["ReadBytes", [1, 2], "JavaScript returned an array where managed code expects bytes (a Uint8Array)."],
    ["ReadMap", new Map([["a", 1]]), /JavaScript returned a JS object handle where managed code expects an object\./],
  ])("%s refuses %o with a clear error", (method, value, message) => {
    install({ source: () => value });
    const error = interopError(() => call(method, "source"));
    if (typeof message === "string") expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
    // The instance keeps working.
    install({ source: () => 7 });
    expect(call("ReadI32", "source")).toBe("7");
  });

  it("a number result crosses as itself, and what is not a number still reads as the tagged value it is", () => {
    // invoke<i32>/<f64> take a fast path (hostInvokeNumber) that returns the f64 itself; NaN stands
    // for "not a number, read the result buffer", so NaN itself and every other kind must still read right.
    install({ nan: () => NaN, big: () => 2 ** 31 - 1, text: () => "1" });
    expect(call("ReadF64", "nan")).toBe("NaN");
    expect(call("ReadI32", "big")).toBe(String(2 ** 31 - 1));
    expect(() => call("ReadF64", "text")).toThrow("JavaScript returned a string where managed code expects a number.");
    // Arguments of numbers only take a shortcut too; mixed arguments go the general way.
    install({ sum: (...values: unknown[]) => values.reduce<number>((total, value) => total + Number(value), 0) });
    expect(call("SumOf", "sum")).toBe("6.5 6.5 NaN");
  });

  it("refuses a BigInt that does not fit a narrower integer instead of truncating it", () => {
    // Today 2n ** 40n read as i32 silently becomes 0: TaggedReader.read casts a BigInt tag to T
    // without the range check numbers get.
    install({ source: () => 2n ** 40n });
    expect(() => call("ReadI32", "source")).toThrow(/which is not a i32|does not fit/);
  });

  it("refuses a BigInt beyond 64 bits and a symbol, naming the problem", () => {
    install({ source: () => 2n ** 70n });
    expect(() => call("ReadI64", "source")).toThrow(/the BigInt 1180591620717411303424 does not fit 64 bits/);
    install({ source: () => Symbol("s") });
    expect(() => call("ReadString", "source")).toThrow(/a symbol has no managed value/);
    install({ source: () => 7 });
    expect(call("ReadI32", "source")).toBe("7");
  });
});

describe("JS exceptions", () => {
  it("tryInvoke returns the JS error's name, message and stack", () => {
    const error = new RangeError("boom from JS");
    install({ failing: { fn: () => { throw error; } } });
    const [name, message, stack] = call<string>("TryInvoke", "failing.fn").split("|");
    expect(name).toBe("RangeError");
    // As Blazor's JSException.Message reads after a synchronous call (IJSInProcessRuntime.Invoke):
    // what .NET's WebAssembly runtime makes of the error, its toString(); the stack is apart.
    expect(message).toBe("RangeError: boom from JS");
    expect(stack).toBe(error.stack);
    // ... and the value when nothing throws.
    install({ fine: () => "fine" });
    expect(call("TryInvoke", "fine")).toBe("ok:fine");
  });

  it("tryInvoke catches custom errors, thrown non-errors and the interop's own failures", () => {
    class ValidationError extends Error {
      override name = "ValidationError";
    }
    install({ custom: () => { throw new ValidationError("bad input"); }, raw: () => { throw "a plain string"; } });
    const [customName, customMessage] = call<string>("TryInvoke", "custom").split("|");
    expect(customName).toBe("ValidationError");
    expect(customMessage).toBe("ValidationError: bad input");
    expect(call<string>("TryInvoke", "raw")).toBe("Error|a plain string|");
    expect(call<string>("TryInvoke", "no.such").split("|").slice(0, 2)).toEqual(["InteropError", "Could not find 'no.such' ('no' was undefined)."]);
  });

  it("reading the value of a failed tryInvoke aborts with the JS message", () => {
    install({ failing: () => { throw new TypeError("nope"); } });
    // The abort is the managed library's, so it comes out as an InteropError (see invoker.ts).
    expect(interopError(() => call("TryInvokeValue", "failing")).message).toBe("The JavaScript call failed: TypeError: nope");
  });

  it("an uncaught JS exception reaches the caller of invokeMethod as the original error object", () => {
    const error = new TypeError("thrown in JS");
    install({ failing: () => { throw error; } });
    const caught = thrown(() => call("Throws", "failing"));
    expect(caught).toBe(error);
    expect((caught as Error).message).toBe("thrown in JS");
    expect((caught as Error).stack).toBe(error.stack);
  });

  it("... and rejects invokeMethodAsync with the original error object", async () => {
    const error = new SyntaxError("async caller");
    install({ failing: () => { throw error; } });
    await expect(callAsync("Throws", "failing")).rejects.toBe(error);
  });

  it("a thrown non-error value reaches the caller unchanged", () => {
    const value = { code: 42 };
    install({ failing: () => { throw value; } });
    expect(thrown(() => call("Throws", "failing"))).toBe(value);
  });

  it("the instance keeps working after many uncaught JS exceptions in a row", async () => {
    let n = 0;
    install({ failing: () => { throw new Error(`failure ${++n}`); }, fine: () => "fine" });
    for (let i = 1; i <= 10_000; ++i) {
      const caught = thrown(() => call("Throws", "failing")) as Error;
      if (caught.message !== `failure ${i}`) expect(caught.message).toBe(`failure ${i}`);
    }
    for (let i = 0; i < 200; ++i) await expect(callAsync("Throws", "failing")).rejects.toThrow(/failure/);
    expect(call("Throws", "fine")).toBe("allocated before the callfine");
    install({ source: () => "x".repeat(10_000) });
    expect(call("ReadString", "source")).toBe(`10000:${"x".repeat(10_000)}`);
  });
});

describe("JSObject", () => {
  /** JS objects managed code holds now. */
  const held = () => assembly.diagnostics().jsObjects;

  it("gets, sets and tests properties (dotted paths too) and invokes methods", () => {
    const before = held();
    const made: object[] = [];
    install({
      makeCounter: () => {
        const counter = {
          value: 0,
          step: 1,
          label: "",
          nested: { deep: 99 },
          increment() {
            this.value += this.step;
            return this.value;
          },
        };
        made.push(counter);
        return counter;
      },
    });
    expect(call("UseCounter")).toBe("12|12|set by managed code|99|true,true,false,true,false");
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ value: 12, step: 10, label: "set by managed code" });
    expect(held()).toBe(before);
  });

  it("calls a JS function passed as an argument (InvokeSelf), many times", () => {
    const before = held();
    const seen: number[][] = [];
    const callback = (value: number, i: number) => {
      seen.push([value, i]);
      return value * 2 + i;
    };
    expect(call("CallBack", callback, 1, 5)).toBe(((((1 * 2 + 0) * 2 + 1) * 2 + 2) * 2 + 3) * 2 + 4);
    expect(seen.map(([, i]) => i)).toEqual([0, 1, 2, 3, 4]);
    expect(held()).toBe(before);
  });

  it("a JS exception inside a callback reaches the outer caller as the original error", () => {
    const error = new Error("from the callback");
    const callback = () => {
      throw error;
    };
    expect(thrown(() => call("CallBack", callback, 1, 1))).toBe(error);
    // The abort skipped managed code's dispose(): the handle is still held, and still the same object.
    call("DisposeHandle", callback);
    expect(call("CallBack", (v: number) => v + 1, 1, 3)).toBe(4);
  });

  it("a JS object passed to managed code and back is the same object", () => {
    const before = held();
    class Widget {}
    for (const original of [{ some: "object" }, () => 1, new Widget(), [1, 2], new Map()]) {
      expect(call("Keep", original)).toBe(original);
      call("DisposeHandle", original);
    }
    expect(held()).toBe(before);
  });

  it("a handle passed to JS as an argument (alone and in an array) is the same object", () => {
    const before = held();
    const original = { id: "original" };
    let args: unknown[] = [];
    install({ check: (...a: unknown[]) => ((args = a), a[0] === original) });
    expect(call("PassToJS", original, "check")).toBe(true);
    expect(args[0]).toBe(original);
    expect(args[1]).toEqual([original, original]);
    expect((args[1] as unknown[])[0]).toBe(original);
    expect(held()).toBe(before);
  });

  it("a JS result wanted as a JSObject is a handle to the very object", () => {
    const target = { plain: true };
    install({ produce: () => target });
    expect(call("InvokeHandle", "produce")).toBe(target);
    call("DisposeHandle", target);
  });

  it("use after dispose fails with Blazor's message, and diagnostics().jsObjects goes back", () => {
    const before = held();
    const shared = {
      name: "shared object",
      describe(this: { name: string }) {
        return `I am ${this.name}`;
      },
    };
    install({ shared });
    const id = call<number>("KeepFromPath", "shared");
    expect(held()).toBe(before + 1);
    expect(call("KeptProperty", "name")).toBe("shared object");
    expect(call("KeptInvoke", "describe")).toBe("I am shared object");
    expect(call("KeptReturned")).toBe(g["shared"]);
    call("DisposeKept");
    expect(held()).toBe(before);
    const expected = `JS object instance with ID ${id} does not exist (has it been disposed?).`;
    expect(interopError(() => call("KeptProperty", "name")).message).toBe(expected);
    expect(interopError(() => call("KeptInvoke", "describe")).message).toBe(expected);
    // Given back to JS (a result), it is the message of Blazor's reviver, which revives handles in values.
    expect(interopError(() => call("KeptReturned")).message).toBe(`JS object instance with Id '${id}' does not exist. It may have been disposed.`);
    call("DisposeKept"); // disposing twice is harmless
    // The same object held again gets a new id; the old one stays dead.
    const again = call<number>("KeepFromPath", "shared");
    expect(again).not.toBe(id);
    expect(call("KeptProperty", "name")).toBe("shared object");
    call("DisposeKept");
    expect(held()).toBe(before);
  });

  it("one JS object keeps one handle while held, however often it crosses", () => {
    const before = held();
    const objects = Array.from({ length: 100 }, (_, i) => ({ i }));
    for (let round = 0; round < 3; ++round) for (const o of objects) expect(call("Keep", o)).toBe(o);
    expect(held()).toBe(before + 100);
    for (const o of objects) call("DisposeHandle", o);
    expect(held()).toBe(before);
  });

  it("a promise returned to a synchronous call is refused with how to wait for it (Blazor's sayHello returns one), or wanted as a JSObject", () => {
    // Blazor's documentation: sayHello returns the promise of invokeMethodAsync.
    install({ sayHello: () => Promise.resolve("Hello, Blazor!"), thenable: () => ({ then() {} }) });
    const message =
      "The function 'sayHello' returned a promise, which a synchronous call cannot wait for: call it with invokeAsync " +
      "(Blazor's InvokeAsync) and continue with its task, or with invokeAwait where the engine has JSPI.";
    expect(interopError(() => call("ReadString", "sayHello")).message).toBe(message);
    expect(interopError(() => call("ReadI32", "thenable")).message).toBe(message.replace("'sayHello'", "'thenable'"));
    // tryInvoke hands it back as the error, and the instance keeps working.
    expect(call("TryInvoke", "sayHello")).toBe(`InteropError|${message}|`);
    // Not waited for, nothing is wrong: invokeVoid drops it, invoke<JSObject> gets the promise itself.
    expect(call("InvokeVoid", "sayHello")).toBeNull();
    expect(call("InvokeHandle", "sayHello")).toBeInstanceOf(Promise);
    install({ text: () => "still works" });
    expect(call("ReadString", "text")).toBe("11:still works");
  });

  it("a rejected promise refused by a synchronous call is not left unhandled (Node would end the process)", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      install({ failLater: () => Promise.reject(new Error("rejected later")) });
      expect(interopError(() => call("ReadString", "failLater")).message).toMatch(/^The function 'failLater' returned a promise/);
      // Unhandled rejections are reported once the microtasks have run.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", listener);
    }
  });

  it("values JS returns that managed code skips or refuses leave no handles behind", () => {
    // A class instance inside a result is registered as a handle while it is encoded; when managed
    // code then skips it (a property its struct does not have) or refuses it (a type mismatch),
    // nothing releases it (assembly/interop/js/tagged.ts TaggedReader.skip / mismatch).
    const before = held();
    class Widget {}
    install({ withExtra: () => ({ x: 1, y: 2, label: "p", extra: new Widget() }), widget: () => new Widget() });
    for (let i = 0; i < 10; ++i) {
      expect(call("ReadPoint", "withExtra")).toBe("1.0,2.0,p");
      expect(() => call("ReadI32", "widget")).toThrow(/JavaScript returned a JS object handle where managed code expects a number\./);
    }
    expect(held()).toBe(before);
  });
});

describe("ES modules", () => {
  let dir: string;
  let moduleUrl: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "as-interop-modules-"));
    const file = join(dir, "greeter.mjs");
    writeFileSync(
      file,
      [
        "let calls = 0;",
        "export function greet(name) { return `Hello from a module, ${name}!`; }",
        "export const answer = 42;",
        "export function count() { return ++calls; }",
      ].join("\n"),
    );
    moduleUrl = pathToFileURL(file).href;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("imports a module by URL and calls its exports", async () => {
    const { jsObjects } = assembly.diagnostics();
    await expect(callAsync("GreetFromModule", moduleUrl, "AS")).resolves.toBe("Hello from a module, AS! 42 1");
    // Modules are cached by URL, like the engine's own import(): its state carries on.
    await expect(callAsync("GreetFromModule", moduleUrl, "again")).resolves.toBe("Hello from a module, again! 42 2");
    expect(assembly.diagnostics()).toMatchObject({ jsObjects, pendingTasks: 0 });
  });

  it("Blazor's InvokeAsync<IJSObjectReference>(\"import\", url) gives the module namespace", async () => {
    const namespace = await callAsync<Record<string, unknown>>("ImportByIdentifier", moduleUrl);
    expect(namespace["answer"]).toBe(42);
    expect(typeof namespace["greet"]).toBe("function");
    expect(namespace).toBe(await import(moduleUrl));
  });

  it("a missing module rejects clearly", async () => {
    const { jsObjects } = assembly.diagnostics();
    const missing = pathToFileURL(join(dir, "missing.mjs")).href;
    const error = await callAsync("GreetFromModule", missing, "AS").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Cannot find module|missing\.mjs/);
    expect((error as Error).message).toContain("missing.mjs");
    expect(assembly.diagnostics()).toMatchObject({ jsObjects, pendingTasks: 0 });
  });
});

describe("capability scope", () => {
  it("by default identifiers resolve from globalThis, as in Blazor", () => {
    install({ exampleJsFunctions: { sayHello: (helper: { invokeMethod(n: string): string }) => helper.invokeMethod("SayHello") } });
    expect(call("CallHelloHelperSayHello", "Blazor")).toBe("Hello, Blazor!");
    expect(call("InvokeWithI32", "Math.max", 3)).toBe(3);
  });

  async function sandboxed(scope: object): Promise<InteropRuntime> {
    const sandbox = new InteropRuntime();
    await sandbox.loadAssembly(module, { scope });
    return sandbox;
  }

  it("an assembly loaded with { scope } reaches what the scope grants", async () => {
    const scope = {
      exampleJsFunctions: { sayHello: (helper: { invokeMethod(n: string): string }) => `granted: ${helper.invokeMethod("SayHello")}` },
      api: { version: () => "1.0", settings: { theme: "dark" } },
    };
    const sandbox = await sandboxed(scope);
    expect(sandbox.invokeMethod(NAME, "CallHelloHelperSayHello", "Sandbox")).toBe("granted: Hello, Sandbox!");
    expect(sandbox.invokeMethod(NAME, "InvokeString", "api.version")).toBe("1.0");
    expect(sandbox.invokeMethod(NAME, "GetObjectValue", "api.settings", "theme")).toBe("dark");
  });

  it("a call outside the scope is a clear error, even for what globalThis has", async () => {
    install({ outside: { secret: () => "leaked" } });
    const sandbox = await sandboxed({ api: { version: () => "1.0" } });
    const message = (path: string) => {
      const error = thrown(() => sandbox.invokeMethod(NAME, "InvokeString", path));
      expect(error).toBeInstanceOf(InteropError);
      return (error as Error).message;
    };
    expect(message("outside.secret")).toBe(
      `Could not find 'outside.secret' ('outside' was undefined). The assembly '${NAME}' can reach only what its scope grants.`,
    );
    expect(message("Math.random")).toMatch(/^Could not find 'Math\.random' \('Math' was undefined\)\..*can reach only what its scope grants/);
    expect(message("globalThis.outside.secret")).toMatch(/'globalThis' was undefined/);
    // The same module loaded without a scope still reaches globalThis.
    expect(call("InvokeString", "outside.secret")).toBe("leaked");
  });

  it("a sandboxed assembly cannot import modules unless the scope grants `import`", async () => {
    const sandbox = await sandboxed({});
    await expect(sandbox.invokeMethodAsync(NAME, "ImportByIdentifier", "data:text/javascript,export const x = 1")).rejects.toThrow(
      /Could not find 'import' \('import' was undefined\)\..*can reach only what its scope grants/,
    );
    const imported: string[] = [];
    const granted = await sandboxed({ import: (url: string) => (imported.push(url), Promise.resolve({ x: 2 })) });
    await expect(granted.invokeMethodAsync(NAME, "ImportByIdentifier", "virtual:module")).resolves.toEqual({ x: 2 });
    expect(imported).toEqual(["virtual:module"]);
  });

  it("a sandboxed assembly cannot climb out of its scope through prototypes (constructor, __proto__)", async () => {
    // The path walker follows inherited properties, so `api.version.constructor` is the global
    // Function constructor: managed code can compile and run any JS with full global access.
    install({ secretForSandboxTest: "leaked" });
    const sandbox = await sandboxed({ api: { version: () => "1.0" } });
    let outcome: unknown;
    try {
      outcome = sandbox.invokeMethod(NAME, "CallReturnedFunction", "api.version.constructor", "return String(globalThis.secretForSandboxTest)");
    } catch (error) {
      outcome = error;
    }
    expect.soft(outcome, "what managed code got from `api.version.constructor(code)()`").toBeInstanceOf(InteropError);
    // Object.prototype's methods, through `__proto__` (today: "[object Object]").
    expect.soft(() => sandbox.invokeMethod(NAME, "InvokeString", "api.__proto__.toString")).toThrow(InteropError);
  });
});

describe("decoding that nests", () => {
  it("a decoded class's constructor calls JS, which calls in with a value of its own: both values arrive whole", () => {
    let serial = 0;
    install({
      numbering: {
        next() {
          // Mid-decode of the outer argument: a call in with an encoded argument of its own.
          const labels = call<string>("SumPointLabels", [{ x: 1, y: 2, label: "p" }, { x: 3, y: 4, label: `q${serial}` }]);
          expect(labels).toBe(`pq${serial}`);
          return ++serial;
        },
      },
    });
    const items = [
      { label: "first", weight: 1.5 },
      { label: "second", weight: -2 },
      { label: "third", weight: 1e300 },
    ];
    expect(call("DescribeNumbered", items)).toBe("first:1.5#1;second:-2.0#2;third:1e+300#3;");
    expect(serial).toBe(3);
  });
});

describe("a re-entrant chain JS → managed → JS → … (10 levels)", () => {
  /** What Chain(level, depth) returns when every level works. */
  const expected = (level: number, depth: number): string =>
    level === depth ? `M${level}!` : `M${level}[J${level + 1}(${expected(level + 1, depth)})]`;

  it("returns correctly, with the right values at every level", async () => {
    const seen: Array<{ level: number; result: string }> = [];
    install({
      chain: {
        step(level: number, depth: number) {
          const result = call<string>("Chain", level, depth);
          expect(result).toBe(expected(level, depth)); // checked at each level, on the way out
          seen.push({ level, result });
          return `J${level}(${result})`;
        },
      },
    });
    expect(call("Chain", 0, 10)).toBe(expected(0, 10));
    expect(seen.map((s) => s.level)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    // Again, and asynchronously from the outside.
    expect(call("Chain", 0, 10)).toBe(expected(0, 10));
    await expect(callAsync("Chain", 0, 10)).resolves.toBe(expected(0, 10));
  });

  it("an abort at the deepest level reaches the outer caller, and the instance keeps working", async () => {
    const levels: number[] = [];
    install({
      chain: {
        stepAbort(level: number, depth: number) {
          levels.push(level);
          return `J${level}(${call<string>("ChainAbort", level, depth)})`;
        },
        step(level: number, depth: number) {
          return `J${level}(${call<string>("Chain", level, depth)})`;
        },
      },
    });
    const before = assembly.diagnostics();
    for (let round = 0; round < 50; ++round) {
      levels.length = 0;
      const error = thrown(() => call("ChainAbort", 0, 10));
      expect(error).toBeInstanceOf(ManagedError);
      expect((error as ManagedError).managedMessage).toBe("aborted at level 10");
      expect((error as ManagedError).fileName).toBe("test/fixtures/js-calls.ts");
      expect(levels).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    await expect(callAsync("ChainAbort", 0, 10)).rejects.toThrow(/aborted at level 10/);
    expect(call("Chain", 0, 10)).toBe(expected(0, 10));
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: before.trackedObjects, jsObjects: before.jsObjects, pendingTasks: 0 });
  });

  it("a JS exception at the deepest level reaches the outer caller as the original error", () => {
    const error = new Error("deepest JS failed");
    install({
      chain: {
        step(level: number, depth: number) {
          if (level === depth) throw error;
          return `J${level}(${call<string>("Chain", level, depth)})`;
        },
      },
    });
    expect(thrown(() => call("Chain", 0, 10))).toBe(error);
    (g["chain"] as { step: unknown }).step = (level: number, depth: number) => `J${level}(${call<string>("Chain", level, depth)})`;
    expect(call("Chain", 0, 10)).toBe(expected(0, 10));
  });
});
