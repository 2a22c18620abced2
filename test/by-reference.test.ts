/**
 * By-reference collections (issue 6), against real compiled wasm (test/fixtures/by-reference.ts):
 * the HTML Bridge's array-like wrapper over `ListReference<T>` (a growable `Array<T>`, .NET's
 * `List<T>`) and `FixedListReference<T>` (a `StaticArray<T>`, a fixed-size .NET array), and its
 * dictionary-like wrapper over `DictionaryReference<V>` (`Map<string, V>`), with the HTML Bridge's
 * operations and errors (its "By-Reference Marshaling" rules), live visibility both ways, elements
 * of every kind, jagged lists, scriptable list and map members (and `@serializeToScriptByValue`),
 * lifetimes, and the compile error for a map whose keys are not strings.
 *
 * Where the array-like wrapper takes the arguments of a JS array method, it is checked against a
 * real JS array doing the same thing: a JS user expects exactly what `Array.prototype` does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic } from "../host/compiler/compile.ts";
import {
  DotNetObject,
  InteropError,
  InteropRuntime,
  MarshalError,
  type DictionaryView,
  type ListView,
  type LoadedAssembly,
} from "../host/runtime/index.ts";
import { compileErrors, compileFixture, noTrackedObject, thrownError, type CompiledFixture } from "./helpers.ts";

const NAME = "ByReference";

interface Point {
  x: number;
  y: number;
}

/** What JS sees of the fixture's Widget (a DotNetObjectReference<Widget>). */
interface Widget extends DotNetObject {
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  dispose(): void;
  readonly id: number;
  name: string;
}

/** What JS sees of the fixture's Basket: list and map members are live views unless marked by value. */
interface Basket extends DotNetObject {
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  dispose(): void;
  label: string;
  readonly items: ListView<string>;
  readonly sizes: ListView<number>;
  readonly prices: DictionaryView<number>;
  snapshot: string[];
  pricesCopy: Record<string, number>;
}

/** Blazor's message for a disposed reference, whatever its id (views do not show theirs). */
const NO_TRACKED_OBJECT = /^There is no tracked object with id '\d+'\. Perhaps the DotNetObjectReference instance was already disposed\.$/;
const FIXED_SIZE = "it is a fixed-size array (StaticArray), which cannot grow or shrink";
const I32_EXPECTED = "expected i32 (an integer from -2147483648 to 2147483647)";

let fixture: CompiledFixture;
let runtime: InteropRuntime;
let assembly: LoadedAssembly;

beforeAll(async () => {
  fixture = await compileFixture("by-reference", { assemblyName: NAME });
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(fixture.module);
});

afterAll(() => runtime.unloadAssembly(NAME));

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const ints = (values: number[]) => call<ListView<number>>("NewInts", values);
const intsNow = () => call<number[]>("IntsNow");

/** Blazor's error for a disposed reference, as an InteropError. */
function expectDisposedError(error: Error): void {
  expect(error).toBeInstanceOf(InteropError);
  expect(error.message).toMatch(NO_TRACKED_OBJECT);
}


/** A view's contents by value, read through its iterator (never a deep compare of the Proxy itself). */
const contents = <T>(view: Iterable<T>): T[] => [...view];

/** An argument list of a JS array method, readable in a failure message. */
const show = (args: unknown[]) => `(${args.map((a) => (Object.is(a, -0) ? "-0" : String(a))).join(", ")})`;

/** A fresh runtime and instance of the fixture: its tables start empty. */
async function freshAssembly(): Promise<{ runtime: InteropRuntime; assembly: LoadedAssembly }> {
  const own = new InteropRuntime();
  return { runtime: own, assembly: await own.loadAssembly(fixture.module) };
}

describe("ListReference<i32>: the array-like wrapper over a growable list", () => {
  it("length and [i] read the managed list; an index past the end reads undefined, as in a JS array", () => {
    const list = ints([10, 20, 30]);
    expect(list.length).toBe(3);
    expect([list[0], list[1], list[2]]).toEqual([10, 20, 30]);
    expect(list[3]).toBeUndefined();
    expect(list[1000]).toBeUndefined();
    expect((list as unknown as Record<string, unknown>)["-1"]).toBeUndefined();
    // Past any i32 index, not wrapped around to a small one on the way to managed code.
    expect([list[2 ** 31], list[2 ** 32], list[2 ** 32 + 1]]).toEqual([undefined, undefined, undefined]);
    expect(Object.getOwnPropertyDescriptor(list, 2 ** 32 + 1)).toBeUndefined();
    expect([...list]).toEqual([10, 20, 30]);
    expect(ints([]).length).toBe(0);
  });

  it("[i] = v sets the managed element; the managed side sees it at once", () => {
    const list = ints([1, 2, 3]);
    list[1] = -7;
    expect(list[1]).toBe(-7);
    expect(intsNow()).toEqual([1, -7, 3]);
    expect(call("IntsSum")).toBe(-3);
  });

  it("[i] = v out of range is a RangeError and the list is unchanged (a list view never grows by assignment)", () => {
    const list = ints([1, 2, 3]);
    const error = thrownError(() => (list[3] = 4));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("Index 3 is out of range: the list has 3 elements.");
    expect(thrownError(() => (list[100] = 4))).toBeInstanceOf(RangeError);
    expect(thrownError(() => (list[2 ** 32] = 4)).message).toBe("Index 4294967296 is out of range: the list has 3 elements.");
    expect(intsNow()).toEqual([1, 2, 3]);
  });

  it("[i] = v of the wrong element type is an error naming the types, and the list is unchanged", () => {
    const list = ints([1, 2, 3]);
    const loose = list as unknown as unknown[];
    for (const bad of ["nope", 1.5, 2 ** 31, NaN, null, undefined, {}, [1]]) {
      const error = thrownError(() => (loose[0] = bad));
      expect(error, show([bad])).toBeInstanceOf(MarshalError);
      expect(error.message, show([bad])).toContain(I32_EXPECTED);
    }
    expect(thrownError(() => (loose[0] = "nope")).message).toBe(`${I32_EXPECTED}, got the string "nope"`);
    expect(intsNow()).toEqual([1, 2, 3]);
  });

  it("only elements can be set: other properties, length, deleting and defining are TypeErrors", () => {
    const list = ints([1, 2, 3]);
    const loose = list as unknown as Record<string, unknown>;
    expect(thrownError(() => (loose.foo = 1))).toBeInstanceOf(TypeError);
    expect(thrownError(() => (loose.length = 0))).toBeInstanceOf(TypeError);
    expect(thrownError(() => (loose["-1"] = 0))).toBeInstanceOf(TypeError);
    expect(thrownError(() => delete loose[0])).toBeInstanceOf(TypeError);
    expect(thrownError(() => Object.defineProperty(list, "0", { value: 5 }))).toBeInstanceOf(TypeError);
    expect(intsNow()).toEqual([1, 2, 3]);
  });

  it("toArray() hands back a managed copy by reference: a fixed-size array, independent of the list", () => {
    const list = ints([1, 2, 3]);
    const copy = list.toArray()!;
    expect(copy).not.toBeNull();
    expect(Array.isArray(copy)).toBe(false); // a view, not a JS array
    expect(contents(copy)).toEqual([1, 2, 3]);
    // List.ToArray gives a T[]: fixed in size, so its toArray() is null and it cannot grow.
    expect(copy.toArray()).toBeNull();
    expect(thrownError(() => copy.push(4)).message).toContain(FIXED_SIZE);
    // Independent both ways.
    copy[0] = 100;
    list[1] = 200;
    call("ManagedPushInt", 4);
    expect(contents(copy)).toEqual([100, 2, 3]);
    expect(intsNow()).toEqual([1, 200, 3, 4]);
    // Each toArray() is a new copy.
    const second = list.toArray()!;
    expect(second === copy).toBe(false);
    expect(contents(second)).toEqual([1, 200, 3, 4]);
    copy.dispose();
    second.dispose();
  });

  it("pop() returns and removes the last element; undefined on an empty list", () => {
    const list = ints([1, 2, 3]);
    expect(list.pop()).toBe(3);
    expect(intsNow()).toEqual([1, 2]);
    expect(list.pop()).toBe(2);
    expect(list.pop()).toBe(1);
    expect(list.pop()).toBeUndefined();
    expect(list.length).toBe(0);
  });

  it("push(v1, v2, …) appends in order and returns the new length; push() appends nothing", () => {
    const list = ints([1]);
    expect(list.push(2)).toBe(2);
    expect(list.push(3, 4, 5)).toBe(5);
    expect(list.push()).toBe(5);
    expect(intsNow()).toEqual([1, 2, 3, 4, 5]);
  });

  it("push with one element of the wrong type pushes none of them", () => {
    const list = ints([1]);
    const error = thrownError(() => list.push(2, "three" as unknown as number, 4));
    expect(error).toBeInstanceOf(MarshalError);
    expect(error.message).toContain(I32_EXPECTED);
    expect(intsNow()).toEqual([1]);
  });

  it("unshift with one element of the wrong type inserts none of them", () => {
    const list = ints([1, 2]);
    const error = thrownError(() => list.unshift(0, "x" as unknown as number));
    expect(error).toBeInstanceOf(MarshalError);
    expect(error.message).toContain(`${I32_EXPECTED}, got the string "x"`);
    expect(intsNow()).toEqual([1, 2]);
  });

  it("shift() returns and removes the first element; undefined on an empty list", () => {
    const list = ints([1, 2, 3]);
    expect(list.shift()).toBe(1);
    expect(intsNow()).toEqual([2, 3]);
    expect(list.shift()).toBe(2);
    expect(list.shift()).toBe(3);
    expect(list.shift()).toBeUndefined();
    expect(intsNow()).toEqual([]);
  });

  it("unshift(v1, v2, …) inserts at the start, in argument order, and returns the new length", () => {
    const list = ints([3]);
    expect(list.unshift(2)).toBe(2);
    expect(list.unshift(0, 1)).toBe(4);
    expect(list.unshift()).toBe(4);
    expect(intsNow()).toEqual([0, 1, 2, 3]);
    expect(thrownError(() => list.unshift(-1, 0.5))).toBeInstanceOf(MarshalError);
    expect(intsNow()).toEqual([0, 1, 2, 3]);
  });

  it("splice(start, [count], [v1…]) removes and inserts as Array.prototype.splice does (negative, omitted and out-of-range arguments)", () => {
    const base = [5, 1, 5, 2, 5, 3];
    const mismatches: string[] = [];
    const starts = [-100, -7, -6, -3, -1, 0, 1, 2, 5, 6, 7, 100];
    const counts = [undefined, -1, 0, 1, 2, 6, 10];
    for (const start of starts) {
      for (const count of counts) {
        for (const items of count === undefined ? [[]] : [[], [7], [7, 8, 9]]) {
          const args = count === undefined ? [start] : [start, count, ...items];
          const expected = [...base];
          const expectedResult = (expected.splice as (...a: unknown[]) => number[])(...args);
          const list = ints(base);
          const result = (list.splice as (...a: unknown[]) => number[])(...args);
          const after = intsNow();
          if (JSON.stringify([result, after]) !== JSON.stringify([expectedResult, expected])) {
            mismatches.push(`splice${show(args)}: got ${JSON.stringify(result)} leaving ${JSON.stringify(after)}, ` +
              `expected ${JSON.stringify(expectedResult)} leaving ${JSON.stringify(expected)}`);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("splice returns a plain JS array of the removed elements; omitting count truncates (the HTML Bridge's rule)", () => {
    const list = ints([1, 2, 3, 4, 5]);
    const removed = list.splice(2);
    expect(Array.isArray(removed)).toBe(true);
    expect(removed).toEqual([3, 4, 5]);
    expect(intsNow()).toEqual([1, 2]);
    expect(list.splice(1, 0, 9, 8)).toEqual([]);
    expect(intsNow()).toEqual([1, 9, 8, 2]);
  });

  // Regression (host/refs/collections.ts, splice), fixed: before, the elements are removed one by one *before* the new
  // values are converted, so a bad value fails the call after the removal has happened.
  it("splice with a new value of the wrong type is an error and removes nothing", () => {
    const list = ints([1, 2, 3, 4, 5]);
    const error = thrownError(() => list.splice(1, 2, 7, "bad" as unknown as number));
    expect(error).toBeInstanceOf(MarshalError);
    expect(intsNow()).toEqual([1, 2, 3, 4, 5]);
  });

  // Regression (host/refs/collections.ts, splice/indexOf/lastIndexOf), fixed: before, arguments are not converted as JS
  // converts them (ToIntegerOrInfinity; an explicit `undefined` count is 0): NaN/undefined reach
  // the wasm exports as NaN (ToInt32 → 0 for every insert, so several new values land reversed),
  // fractional counts remove one element too many, and ±Infinity wraps to index 0.
  it("splice, indexOf and lastIndexOf convert their arguments as Array.prototype does (undefined, NaN, fractions, ±Infinity)", () => {
    const base = [5, 1, 5, 2, 5, 3];
    const mismatches: string[] = [];
    const odd = [undefined, NaN, 1.5, -1.5, Infinity, -Infinity, 2 ** 32];
    const check = (method: "splice" | "indexOf" | "lastIndexOf", args: unknown[]) => {
      const expected = [...base];
      const expectedResult = (expected[method] as (...a: unknown[]) => unknown)(...args);
      const list = ints(base);
      let result: unknown;
      try {
        result = (list[method] as (...a: unknown[]) => unknown)(...args);
      } catch (error) {
        result = `throws ${(error as Error).message}`;
      }
      const after = intsNow();
      if (JSON.stringify([result, after]) !== JSON.stringify([expectedResult, expected])) {
        mismatches.push(`${method}${show(args)}: got ${JSON.stringify(result)} leaving ${JSON.stringify(after)}, ` +
          `expected ${JSON.stringify(expectedResult)} leaving ${JSON.stringify(expected)}`);
      }
    };
    for (const a of odd) {
      check("splice", [a]);
      check("splice", [a, 1, 7, 8]);
      check("splice", [1, a]);
      check("splice", [1, a, 7, 8]);
      check("indexOf", [5, a]);
      check("indexOf", [2, a]);
      check("lastIndexOf", [5, a]);
    }
    expect(mismatches).toEqual([]);
  });

  it("reverse() reverses the managed list in place and returns the view", () => {
    const list = ints([1, 2, 3, 4]);
    expect(list.reverse()).toBe(list);
    expect(intsNow()).toEqual([4, 3, 2, 1]);
    expect(ints([]).reverse().length).toBe(0);
  });

  it("indexOf(x, [start]) and lastIndexOf(x, [start]) find as Array.prototype does (negative, omitted and out-of-range starts)", () => {
    const base = [5, 1, 5, 2, 5, 3];
    const list = ints(base);
    const mismatches: string[] = [];
    const starts = [undefined, -100, -7, -6, -3, -1, 0, 1, 2, 4, 5, 6, 7, 100];
    for (const x of [5, 1, 2, 3, 9]) {
      for (const start of starts) {
        for (const method of ["indexOf", "lastIndexOf"] as const) {
          const args = start === undefined ? [x] : [x, start];
          const expected = (base[method] as (...a: unknown[]) => number)(...args);
          const actual = (list[method] as (...a: unknown[]) => number)(...args);
          if (actual !== expected) mismatches.push(`${method}${show(args)}: got ${actual}, expected ${expected}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("indexOf/lastIndexOf of a value that is not even of the element type find nothing (as in JS), and change nothing", () => {
    const list = ints([1, 2, 3]);
    for (const value of ["1", 1.5, null, undefined, {}, [1], 2 ** 40, true]) {
      expect(list.indexOf(value as number), show([value])).toBe(-1);
      expect(list.lastIndexOf(value as number), show([value])).toBe(-1);
    }
    expect(intsNow()).toEqual([1, 2, 3]);
  });

  it("iterates: for…of, spread, Array.from, entries through Array.prototype; `in` and Object.keys see the indices", () => {
    const list = ints([3, 1, 2]);
    const seen: number[] = [];
    for (const value of list) seen.push(value);
    expect(seen).toEqual([3, 1, 2]);
    expect([...list]).toEqual([3, 1, 2]);
    expect(Array.from(list)).toEqual([3, 1, 2]);
    expect(Array.from(list, (x) => x * 10)).toEqual([30, 10, 20]);
    expect(0 in list).toBe(true);
    expect(3 in list).toBe(false);
    expect("push" in list).toBe(true);
    expect(Object.keys(list)).toEqual(["0", "1", "2"]);
    // An empty list iterates nothing.
    expect([...ints([])]).toEqual([]);
  });

  it("JSON.stringify gives the by-value copy; toJSON() is a plain JS array, detached from the list", () => {
    const list = ints([1, 2, 3]);
    expect(JSON.stringify(list)).toBe("[1,2,3]");
    expect(JSON.stringify({ list })).toBe('{"list":[1,2,3]}');
    const copy = list.toJSON();
    expect(Array.isArray(copy)).toBe(true);
    copy.push(4);
    copy[0] = 9;
    expect(intsNow()).toEqual([1, 2, 3]);
    expect(JSON.stringify(ints([]))).toBe("[]");
  });

  it("is live from managed to JS: what managed code changes, the view shows at once", () => {
    const list = ints([1, 2, 3]);
    call("ManagedPushInt", 4);
    expect(list.length).toBe(4);
    expect(list[3]).toBe(4);
    call("ManagedSetInt", 0, 42);
    expect(list[0]).toBe(42);
    expect(call("ManagedShiftInt")).toBe(42);
    expect(contents(list)).toEqual([2, 3, 4]);
    call("ManagedReverseInts");
    expect(contents(list)).toEqual([4, 3, 2]);
    expect(list.indexOf(2)).toBe(2);
  });

  it("is live from JS to managed: what JS changes, managed code sees at once", () => {
    const list = ints([1, 2, 3]);
    list.push(4);
    expect(call("IntsSum")).toBe(10);
    list[0] = 10;
    expect(call("IntsSum")).toBe(19);
    list.shift();
    list.unshift(-1);
    list.splice(1, 1);
    list.reverse();
    expect(intsNow()).toEqual([4, 3, -1]);
  });

  it("the same managed list gives the same view; passing the view back gives managed code the very list", () => {
    const list = ints([1, 2]);
    expect(call("IntsAgain")).toBe(list);
    expect(call("IsCurrentInts", list)).toBe(true);
    expect(call("PushThrough", list, 3)).toBe(3);
    expect(contents(list)).toEqual([1, 2, 3]);
    // Another list's view is another list.
    const other = ints([1, 2]);
    expect(other === list).toBe(false);
    expect(call("IsCurrentInts", list)).toBe(false);
    expect(call("IsCurrentInts", other)).toBe(true);
  });

  it("a parameter typed ListReference<i32> takes only a view of that type from this assembly", () => {
    const message = (detail: string) =>
      `The call to 'IsCurrentInts' failed: argument 1 ('list') could not be converted: expected a view of a managed ListReference<i32> obtained from assembly '${NAME}', got ${detail}.`;
    const plain = thrownError(() => call("IsCurrentInts", [1, 2]));
    expect(plain).toBeInstanceOf(InteropError);
    expect(plain.message).toBe(message("an array of length 2"));
    expect(plain.cause).toBeInstanceOf(MarshalError);
    // A view of another element type, or of a fixed-size array, is not one either.
    expect(thrownError(() => call("IsCurrentInts", call("NewStrings", ["a"]))).message).toContain("expected a view of a managed ListReference<i32>");
    expect(thrownError(() => call("IsCurrentInts", call("NewFixedInts", [1]))).message).toContain("expected a view of a managed ListReference<i32>");
    expect(thrownError(() => call("IsCurrentFixedInts", ints([1]))).message).toContain("expected a view of a managed FixedListReference<i32>");
  });

  it("invokeMethodAsync resolves to the same view", async () => {
    const list = ints([1, 2]);
    await expect(runtime.invokeMethodAsync(NAME, "IntsAgain")).resolves.toBe(list);
  });

  it("survives memory growth in the middle of an operation: one push of 5,000 long strings", () => {
    const list = call<ListView<string>>("NewStrings", []);
    const memory = assembly.heap.runtime.memory;
    const before = memory.buffer.byteLength;
    const values = Array.from({ length: 5_000 }, (_, i) => `${"x".repeat(200)}${i}`);
    expect(list.push(...values)).toBe(5_000);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    expect(list[4_999]).toBe(values[4_999]);
    expect(call<string[]>("StringsNow")).toEqual(values);
    expect(list.splice(0, 4_998)).toEqual(values.slice(0, 4_998));
    expect(contents(list)).toEqual(values.slice(4_998));
  });

  it("beyond the HTML Bridge's subset, Array.prototype's generic methods work through length, [i] and [i] = v: sort and fill change the managed list, element by element", () => {
    const list = ints([3, 1, 2]) as ListView<number> & number[];
    expect(list).toBeInstanceOf(Array);
    expect(Array.isArray(list)).toBe(false);
    expect(list.map((x) => x * 2)).toEqual([6, 2, 4]);
    expect(list.filter((x) => x > 1)).toEqual([3, 2]);
    expect([list.join("-"), list.includes(1), list.find((x) => x < 3), list.slice(1)]).toEqual(["3-1-2", true, 1, [1, 2]]);
    expect(list.sort()).toBe(list);
    expect(intsNow()).toEqual([1, 2, 3]);
    list.fill(7, 1);
    expect(intsNow()).toEqual([1, 7, 7]);
    // Each write converts as [i] = v does: the first one that does not fit stops the method there.
    expect(thrownError(() => list.fill(0.5 as number)).message).toContain(I32_EXPECTED);
    expect(intsNow()).toEqual([1, 7, 7]);
    // Not an array (Array.isArray is false), so concat takes it as one value, as it does any array-like; spread it.
    expect([0].concat(list).length).toBe(2);
    expect([0].concat([...list])).toEqual([0, 1, 7, 7]);
    const fixed = call<ListView<number> & number[]>("NewFixedInts", [2, 1]);
    fixed.sort();
    expect(call("FixedIntsNow")).toEqual([1, 2]);
  });

  it("Blazor's default stays by value: a method returning i32[] gives a plain JS array, not a view", () => {
    const list = ints([1, 2, 3]);
    const copy = intsNow();
    expect(Array.isArray(copy)).toBe(true);
    copy.push(4);
    expect(list.length).toBe(3);
  });
});

describe("FixedListReference<T>: the array-like wrapper over a fixed-size StaticArray", () => {
  const fixedStrings = (values: string[]) => call<ListView<string>>("NewFixedStrings", values);

  it("length, [i] get and set, with the managed array seeing every write", () => {
    const list = fixedStrings(["a", "b", "c"]);
    expect(list.length).toBe(3);
    expect([list[0], list[1], list[2], list[3]]).toEqual(["a", "b", "c", undefined]);
    list[1] = "B";
    expect(call("FixedStringsNow")).toEqual(["a", "B", "c"]);
    expect(thrownError(() => (list[3] = "d"))).toBeInstanceOf(RangeError);
    const wrong = thrownError(() => ((list as unknown as unknown[])[0] = 1));
    expect(wrong).toBeInstanceOf(MarshalError);
    expect(wrong.message).toBe("expected a string, got number 1");
    expect(thrownError(() => ((list as unknown as unknown[])[0] = null))).toBeInstanceOf(MarshalError);
    expect(call("FixedStringsNow")).toEqual(["a", "B", "c"]);
  });

  it("pop, push, shift, unshift and splice are JS TypeErrors naming the reason, and the array is unchanged", () => {
    const list = fixedStrings(["a", "b", "c"]);
    const attempts: [string, () => unknown][] = [
      ["pop", () => list.pop()],
      ["push", () => list.push("d")],
      ["push", () => list.push()],
      ["shift", () => list.shift()],
      ["unshift", () => list.unshift("z")],
      ["splice", () => list.splice(0, 1)],
      ["splice", () => list.splice(0, 0, "x")],
      ["splice", () => list.splice(1)],
    ];
    for (const [operation, attempt] of attempts) {
      const error = thrownError(attempt);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(`${operation} is not supported on this list: ${FIXED_SIZE}.`);
    }
    expect(call("FixedStringsNow")).toEqual(["a", "b", "c"]);
    expect(list.length).toBe(3);
  });

  it("toArray() is null for a fixed-size array (the HTML Bridge: no action is taken)", () => {
    expect(fixedStrings(["a"]).toArray()).toBeNull();
    expect(call<ListView<number>>("NewFixedInts", [1, 2]).toArray()).toBeNull();
  });

  it("reverse, indexOf and lastIndexOf work in place, as on a list", () => {
    const list = fixedStrings(["a", "b", "a", "c"]);
    expect(list.reverse()).toBe(list);
    expect(call("FixedStringsNow")).toEqual(["c", "a", "b", "a"]);
    expect(list.indexOf("a")).toBe(1);
    expect(list.indexOf("a", 2)).toBe(3);
    expect(list.lastIndexOf("a")).toBe(3);
    expect(list.lastIndexOf("a", 2)).toBe(1);
    expect(list.lastIndexOf("a", -2)).toBe(1);
    expect(list.indexOf("z")).toBe(-1);
    expect(list.indexOf(1 as unknown as string)).toBe(-1);
  });

  it("iterates, spreads and stringifies to its by-value copy", () => {
    const list = call<ListView<number>>("NewFixedInts", [3, 1, 2]);
    const seen: number[] = [];
    for (const x of list) seen.push(x);
    expect(seen).toEqual([3, 1, 2]);
    expect([...list]).toEqual([3, 1, 2]);
    expect(Array.from(list)).toEqual([3, 1, 2]);
    expect(JSON.stringify(list)).toBe("[3,1,2]");
  });

  it("is live both ways, and passing the view back gives managed code the very array", () => {
    const list = fixedStrings(["a", "b"]);
    call("ManagedSetFixedString", 0, "managed");
    expect(list[0]).toBe("managed");
    list[1] = "js";
    expect(call("FixedStringsNow")).toEqual(["managed", "js"]);
    const numbers = call<ListView<number>>("NewFixedInts", [1, 2]);
    expect(call("IsCurrentFixedInts", numbers)).toBe(true);
    numbers[0] = 5;
    expect(call("FixedIntsNow")).toEqual([5, 2]);
    const wrong = thrownError(() => (numbers[1] = 0.5));
    expect(wrong.message).toContain(I32_EXPECTED);
    expect(call("FixedIntsNow")).toEqual([5, 2]);
  });
});

describe("elements", () => {
  it("strings: every UTF-16 code unit crosses, null is refused, and search compares by value", () => {
    const list = call<ListView<string>>("NewStrings", ["a", "😀", ""]);
    expect(contents(list)).toEqual(["a", "😀", ""]);
    list[0] = "\ud800 lone";
    list.push("é");
    expect(call("StringsNow")).toEqual(["\ud800 lone", "😀", "", "é"]);
    call("ManagedPushString", "from managed");
    expect(list[4]).toBe("from managed");
    expect(list.indexOf("😀")).toBe(1);
    expect(list.indexOf("")).toBe(2);
    expect(list.lastIndexOf("from " + "managed")).toBe(4);
    expect(thrownError(() => list.push(null as unknown as string))).toBeInstanceOf(MarshalError);
    expect(thrownError(() => (list[0] = 5 as unknown as string)).message).toBe("expected a string, got number 5");
    expect(call<string[]>("StringsNow")).toHaveLength(5);
  });

  it("f64: NaN, ±Infinity and -0 cross exactly; indexOf uses strict equality (NaN is never found, -0 finds 0)", () => {
    const list = call<ListView<number>>("NewFloats", [0, 1.5]);
    list.push(NaN, Infinity, -Infinity, -0);
    expect(contents(list)).toEqual([0, 1.5, NaN, Infinity, -Infinity, -0]);
    expect(Object.is(list[5], -0)).toBe(true);
    expect(list.indexOf(NaN)).toBe(-1);
    expect(list.indexOf(-0)).toBe(0);
    expect(list.lastIndexOf(0)).toBe(5);
    expect(list.indexOf(Infinity)).toBe(3);
    expect(thrownError(() => list.push("1" as unknown as number)).message).toBe('expected a number (f64), got the string "1"');
    expect(list.length).toBe(6);
  });

  it("structs (@dataMember): each element crosses by value; the list itself is live", () => {
    const list = call<ListView<Point>>("NewPoints", [{ x: 1, y: 2 }, { x: 3, y: 4 }]);
    expect(list[0]).toEqual({ x: 1, y: 2 });
    // An element read is a copy: changing it changes nothing until it is set back.
    const p = list[0];
    p.x = 100;
    expect(list[0]).toEqual({ x: 1, y: 2 });
    list[0] = p;
    expect(call("PointsNow")).toEqual([{ x: 100, y: 2 }, { x: 3, y: 4 }]);
    // Managed code changing an element in place shows at the next read.
    call("ManagedMovePoint", 1, 10, 20);
    expect(list[1]).toEqual({ x: 13, y: 24 });
    list.push({ x: 5, y: 6 });
    expect(JSON.stringify(list)).toBe('[{"x":100,"y":2},{"x":13,"y":24},{"x":5,"y":6}]');
    // A malformed struct is refused with its path, and nothing changes.
    const error = thrownError(() => list.push({ x: 1 } as Point));
    expect(error).toBeInstanceOf(MarshalError);
    expect(error.message).toBe(`at .y: ${I32_EXPECTED}, got undefined`);
    expect(thrownError(() => (list[0] = { x: "1", y: 2 } as unknown as Point)).message).toContain("at .x:");
    expect(call("PointsNow")).toEqual([{ x: 100, y: 2 }, { x: 13, y: 24 }, { x: 5, y: 6 }]);
  });

  it("DotNetObjectReference elements are scriptable objects: the same JS object per managed object, methods and members work", () => {
    const list = call<ListView<Widget>>("NewWidgets", ["a", "b"]);
    const a = list[0];
    expect(a).toBeInstanceOf(DotNetObject);
    expect(list[0]).toBe(a);
    expect(a.name).toBe("a");
    expect(a.invokeMethod("Hello")).toBe("Hello from a");
    a.name = "A";
    expect(call("WidgetNames")).toBe("A,b");
    // push takes a reference obtained from managed code.
    const c = call<Widget>("MakeWidget", "c");
    expect(list.push(c)).toBe(3);
    expect(list[2]).toBe(c);
    expect(call("WidgetNames")).toBe("A,b,c");
    // Search is by identity.
    expect(list.indexOf(c)).toBe(2);
    expect(list.indexOf(list[1])).toBe(1);
    expect(list.indexOf(call<Widget>("MakeWidget", "c"))).toBe(-1);
    expect(list.indexOf({ name: "A" } as unknown as Widget)).toBe(-1);
    // Setting one element to another's reference puts the same managed object there.
    list[1] = a;
    expect(call("SameWidget", 0, 1)).toBe(true);
    expect(list[1]).toBe(a);
    expect(JSON.stringify(list)).toBe('[{"name":"A"},{"name":"A"},{"name":"c"}]');
  });

  it("a DotNetObjectReference list refuses by-value objects and references of another class, and stays unchanged (the HTML Bridge's rule)", async () => {
    const list = call<ListView<Widget>>("NewWidgets", ["a"]);
    const plain = thrownError(() => list.push({ name: "x" } as unknown as Widget));
    expect(plain).toBeInstanceOf(MarshalError);
    expect(plain.message).toBe(`expected a DotNetObjectReference<Widget> obtained from assembly '${NAME}', got an object (Object)`);
    const gadget = call<DotNetObject>("MakeGadget");
    const other = thrownError(() => (list[0] = gadget as unknown as Widget));
    expect(other).toBeInstanceOf(MarshalError);
    expect(other.message).toBe("expected a DotNetObjectReference<Widget>, got a DotNetObjectReference<Gadget>");
    // A reference of another instance of this assembly, or of a list view there, is named as such.
    const elsewhere = new InteropRuntime();
    await elsewhere.loadAssembly(fixture.module);
    const stranger = elsewhere.invokeMethod<Widget>(NAME, "MakeWidget", "s");
    const another = `of another instance of assembly '${NAME}' (one since reloaded or unloaded, or loaded into another runtime)`;
    expect(thrownError(() => list.push(stranger)).message).toBe(
      `expected a DotNetObjectReference<Widget> obtained from assembly '${NAME}', got a DotNetObjectReference<Widget> ${another}`,
    );
    expect(thrownError(() => call("IsCurrentInts", elsewhere.invokeMethod(NAME, "NewInts", [1]))).message).toContain(
      `got a view of a managed ListReference<i32> ${another}`,
    );
    elsewhere.unloadAssembly(NAME);
    expect(thrownError(() => list.unshift(null as unknown as Widget))).toBeInstanceOf(MarshalError);
    expect(call("WidgetNames")).toBe("a");
    // A disposed reference is refused with Blazor's message.
    const dead = call<Widget>("MakeWidget", "dead");
    dead.dispose();
    const error = thrownError(() => list.push(dead));
    expect(error.message).toBe(noTrackedObject(dead.id));
    expect(call("WidgetNames")).toBe("a");
  });

  it("jagged: ListReference<ListReference<i32>> — each element is itself a live view", () => {
    const jagged = call<ListView<ListView<number>>>("NewJagged", [[1, 2], [3]]);
    expect(jagged.length).toBe(2);
    const row0 = jagged[0];
    expect(Array.isArray(row0)).toBe(false);
    expect(contents(row0)).toEqual([1, 2]);
    // The element is the same view as the row handed out on its own.
    expect(jagged[0]).toBe(row0);
    expect(call("Row", 0)).toBe(row0);
    // Live through the inner view, both ways.
    row0.push(9);
    expect(call("JaggedNow")).toEqual([[1, 2, 9], [3]]);
    call("ManagedPushToRow", 1, 4);
    expect(contents(jagged[1])).toEqual([3, 4]);
    // The outer list takes views (the same row twice is the same list twice).
    jagged.push(call("Row", 1));
    expect(call("JaggedNow")).toEqual([[1, 2, 9], [3, 4], [3, 4]]);
    jagged[2].push(5);
    expect(call("JaggedNow")).toEqual([[1, 2, 9], [3, 4, 5], [3, 4, 5]]);
    expect(jagged.indexOf(row0)).toBe(0);
    expect(jagged.lastIndexOf(jagged[1])).toBe(2);
    // ...but not plain arrays, and then nothing changes.
    const error = thrownError(() => jagged.push([1, 2] as unknown as ListView<number>));
    expect(error).toBeInstanceOf(MarshalError);
    expect(error.message).toBe(`expected a view of a managed ListReference<i32> obtained from assembly '${NAME}', got an array of length 2`);
    expect(thrownError(() => (jagged[0] = [7] as unknown as ListView<number>))).toBeInstanceOf(MarshalError);
    expect(jagged.length).toBe(3);
    // JSON and spread go one level: JSON.stringify reaches every row's toJSON.
    expect(JSON.stringify(jagged)).toBe("[[1,2,9],[3,4,5],[3,4,5]]");
    expect([...jagged].map((row) => [...row])).toEqual([[1, 2, 9], [3, 4, 5], [3, 4, 5]]);
  });

  it("indexOf and lastIndexOf find an element JS only gets copies of (a struct, an array, a Date, a Guid) by value, as .NET's List<T>.IndexOf finds a struct", () => {
    const points = call<ListView<Point>>("NewPoints", [{ x: 1, y: 2 }, { x: 3, y: 4 }, { x: 1, y: 2 }]);
    // A read is a copy, so identity could never find it: the value does.
    expect(points.indexOf(points[1])).toBe(1);
    expect(points.indexOf({ x: 1, y: 2 })).toBe(0);
    expect(points.indexOf({ x: 1, y: 2 }, 1)).toBe(2);
    expect(points.lastIndexOf({ x: 1, y: 2 })).toBe(2);
    expect(points.lastIndexOf({ x: 1, y: 2 }, 1)).toBe(0);
    expect(points.indexOf({ x: 2, y: 1 })).toBe(-1);
    // Extra properties are not part of the value (they never reach managed code).
    expect(points.indexOf({ x: 3, y: 4, z: 5 } as Point)).toBe(1);
    const nested = call<ListView<number[]>>("NewNested", [[1], [2, 3], []]);
    expect(nested.indexOf([2, 3])).toBe(1);
    expect(nested.indexOf([])).toBe(2);
    expect(nested.indexOf([2])).toBe(-1);
    const dates = call<ListView<Date>>("NewDates", [new Date(0), new Date(1e12), new Date(0)]);
    expect(dates.indexOf(new Date(1e12))).toBe(1);
    expect(dates.lastIndexOf(new Date(0))).toBe(2);
    const guid = "382c74c3-721d-4f34-80e5-57657b6cbc27";
    const guids = call<ListView<string>>("NewGuids", [guid.replace("3", "4"), guid]);
    expect(guids.indexOf(guid.toUpperCase())).toBe(1);
    expect(guids.indexOf("00000000-0000-0000-0000-000000000000")).toBe(-1);
  });

  it("JS objects (JSObject elements, the HTML Bridge's ScriptObject) are the objects themselves: indexOf and lastIndexOf find them by identity, as JS's own search does", () => {
    const a = { name: "a" };
    const b = () => "b";
    const handles = call<ListView<object>>("NewHandles", [a, b, a]);
    expect(handles[1]).toBe(b);
    expect(handles.indexOf(a)).toBe(0);
    expect(handles.indexOf(b)).toBe(1);
    expect(handles.indexOf(a, 1)).toBe(2);
    expect(handles.lastIndexOf(a)).toBe(2);
    expect(handles.lastIndexOf(a, 1)).toBe(0);
    // An equal object is another object.
    expect(handles.indexOf({ name: "a" })).toBe(-1);
    handles.push(b);
    expect(handles.lastIndexOf(b)).toBe(3);
    const fixed = call<ListView<object | null>>("NewNullableHandles", [null, a, null]);
    expect(fixed.indexOf(a)).toBe(1);
    expect(fixed.indexOf(null)).toBe(0);
    expect(fixed.lastIndexOf(null)).toBe(2);
    expect(fixed.indexOf(b)).toBe(-1);
    // In a struct found by value, the object is part of the value by its identity.
    const tagged = call<ListView<{ tag: object | null; n: number }>>("NewTagged", [{ tag: a, n: 1 }, { tag: b, n: 1 }]);
    expect(tagged.indexOf({ tag: b, n: 1 })).toBe(1);
    expect(tagged.indexOf({ tag: { name: "a" }, n: 1 })).toBe(-1);
  });

  it("a search, or a change refused part way, keeps no handle to the JS objects it was given", () => {
    const a = { name: "a" };
    const handles = call<ListView<object>>("NewHandles", [a]);
    const tagged = call<ListView<{ tag: object | null; n: number }>>("NewTagged", [{ tag: a, n: 1 }]);
    const map = call<Record<string, unknown>>("NewHandleMap", { a });
    const held = () => assembly.diagnostics().jsObjects;
    const before = held();
    for (let i = 0; i < 10; ++i) {
      expect(handles.indexOf({ i })).toBe(-1);
      expect(handles.lastIndexOf({ i })).toBe(-1);
      expect(tagged.indexOf({ tag: { i }, n: 1 })).toBe(-1);
      expect(thrownError(() => handles.push({ i }, 5 as unknown as object))).toBeInstanceOf(MarshalError);
      expect(thrownError(() => handles.splice(0, 0, { i }, 5 as unknown as object))).toBeInstanceOf(MarshalError);
      expect(thrownError(() => (tagged[0] = { tag: { i }, n: 1.5 }))).toBeInstanceOf(MarshalError);
      expect(thrownError(() => tagged.unshift({ tag: { i }, n: 1 }, { tag: null, n: 1.5 }))).toBeInstanceOf(MarshalError);
      // Past the end: converted, then refused by the list.
      expect(thrownError(() => (handles[handles.length + 5] = { i }))).toBeInstanceOf(RangeError);
      expect(thrownError(() => (tagged[tagged.length] = { tag: { i }, n: 1 }))).toBeInstanceOf(RangeError);
    }
    expect(held()).toBe(before);
    expect(handles.indexOf(a)).toBe(0);
    expect(contents(handles)).toEqual([a]);
    expect(tagged[0].tag).toBe(a);
    // What a list or a map keeps, it holds.
    const kept = { name: "kept" };
    handles.push(kept);
    map.kept = kept;
    expect(held()).toBe(before + 1);
    expect(handles[1]).toBe(kept);
    expect(map.kept).toBe(kept);
  });

  it("nested by value: ListReference<i32[]> — the outer list is live, each element a copy", () => {
    const nested = call<ListView<number[]>>("NewNested", [[1], [2, 3]]);
    const row = nested[1];
    expect(Array.isArray(row)).toBe(true);
    expect(row).toEqual([2, 3]);
    row.push(4);
    expect(call("NestedNow")).toEqual([[1], [2, 3]]);
    nested[1] = row;
    nested.push([]);
    expect(call("NestedNow")).toEqual([[1], [2, 3, 4], []]);
    expect(thrownError(() => nested.push([1.5]))).toBeInstanceOf(MarshalError);
    expect(thrownError(() => nested.push([1.5])).message).toContain("at [0]");
    expect(call("NestedNow")).toEqual([[1], [2, 3, 4], []]);
  });
});

describe("DictionaryReference<V>: the dictionary-like wrapper over Map<string, V>", () => {
  const prices = (entries: Record<string, number>) => call<DictionaryView<number>>("NewPrices", entries);
  const pricesNow = () => call<Record<string, number>>("PricesNow");

  it("wrapper[key] and wrapper.key get values; a missing key reads undefined", () => {
    const map = prices({ apple: 1.5, "two words": 2 });
    expect(map.apple).toBe(1.5);
    expect(map["apple"]).toBe(1.5);
    expect(map["two words"]).toBe(2);
    expect(map.pear).toBeUndefined();
    expect(map["toString"]).toBeUndefined();
  });

  it("wrapper[key] = v and wrapper.key = v set existing keys and add new ones (a Map may grow)", () => {
    const map = prices({ apple: 1.5 });
    map.apple = 2.5;
    map["pear"] = 3;
    map.kiwi = 4;
    Object.defineProperty(map, "fig", { value: 5, enumerable: true });
    Object.assign(map, { plum: 6 });
    expect(pricesNow()).toEqual({ apple: 2.5, pear: 3, kiwi: 4, fig: 5, plum: 6 });
  });

  it("has no prototype, so every string key is the map's: a number key is its string, and a key is defined only as a plain entry", () => {
    const map = prices({ apple: 1.5 });
    expect(Object.getPrototypeOf(map)).toBeNull();
    expect(thrownError(() => String(map))).toBeInstanceOf(TypeError);
    expect(String({ ...map })).toBe("[object Object]");
    (map as Record<number, number>)[1] = 2;
    expect(map["1"]).toBe(2);
    const toStringKey: string = "toString";
    map[toStringKey] = 3;
    expect(map[toStringKey]).toBe(3);
    Object.defineProperty(map, "pear", { value: 4, writable: true, enumerable: true, configurable: true });
    expect(Object.getOwnPropertyDescriptor(map, "pear")).toEqual({ value: 4, writable: true, enumerable: true, configurable: true });
    // An entry is the map's, which managed code may change or delete at any time: it can never be
    // made read-only, hidden or permanent, and asking is a TypeError that says so (never the
    // engine's broken-invariant error, nor a success the entry then ignores).
    for (const attributes of [{ writable: false }, { enumerable: false }, { configurable: false }]) {
      const error = thrownError(() => Object.defineProperty(map, "pear", { value: 5, ...attributes }));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toBe(
        "Cannot define 'pear' on a dictionary view other than as a writable, enumerable, configurable entry: its entries are the managed map's.",
      );
    }
    expect(pricesNow()).toEqual({ apple: 1.5, 1: 2, toString: 3, pear: 4 });
  });

  it("setting a value of the wrong type is an error naming the types, and the map is unchanged", () => {
    const map = prices({ apple: 1.5 });
    const existing = thrownError(() => ((map as Record<string, unknown>).apple = "cheap"));
    expect(existing).toBeInstanceOf(MarshalError);
    expect(existing.message).toBe('expected a number (f64), got the string "cheap"');
    expect(thrownError(() => ((map as Record<string, unknown>).added = null))).toBeInstanceOf(MarshalError);
    expect(thrownError(() => ((map as Record<PropertyKey, unknown>)[Symbol.iterator] = 1))).toBeInstanceOf(TypeError);
    expect(thrownError(() => Object.defineProperty(map, "getter", { get: () => 1 }))).toBeInstanceOf(TypeError);
    expect(pricesNow()).toEqual({ apple: 1.5 });
  });

  it("`in`, Object.keys, Object.entries, for…in and spread see exactly the map's keys, in insertion order", () => {
    const map = prices({ b: 1, a: 2 });
    map.c = 3;
    expect("a" in map).toBe(true);
    expect("z" in map).toBe(false);
    expect("toJSON" in map).toBe(false);
    expect(Object.keys(map)).toEqual(["b", "a", "c"]);
    expect(Object.entries(map)).toEqual([["b", 1], ["a", 2], ["c", 3]]);
    expect(Object.values(map)).toEqual([1, 2, 3]);
    const keys: string[] = [];
    for (const key in map) keys.push(key);
    expect(keys).toEqual(["b", "a", "c"]);
    expect({ ...map }).toEqual({ b: 1, a: 2, c: 3 });
    expect(Object.hasOwn(map, "a")).toBe(true);
    expect(Object.hasOwn(map, "z")).toBe(false);
    expect(Object.keys(prices({}))).toEqual([]);
  });

  it("delete removes the key from the managed map; deleting a missing key is harmless", () => {
    const map = prices({ apple: 1, pear: 2 });
    expect(delete map.apple).toBe(true);
    expect(delete map.missing).toBe(true);
    expect("apple" in map).toBe(false);
    expect(map.apple).toBeUndefined();
    expect(pricesNow()).toEqual({ pear: 2 });
  });

  it("JSON.stringify gives the by-value copy", () => {
    const map = prices({ apple: 1.5, pear: 2 });
    expect(JSON.stringify(map)).toBe('{"apple":1.5,"pear":2}');
    expect(JSON.stringify({ map })).toBe('{"map":{"apple":1.5,"pear":2}}');
    expect(JSON.stringify(prices({}))).toBe("{}");
  });

  it("is live both ways", () => {
    const map = prices({ apple: 1 });
    call("ManagedSetPrice", "pear", 2);
    expect(map.pear).toBe(2);
    expect(Object.keys(map)).toEqual(["apple", "pear"]);
    call("ManagedDeletePrice", "apple");
    expect("apple" in map).toBe(false);
    map.kiwi = 3;
    delete map.pear;
    expect(pricesNow()).toEqual({ kiwi: 3 });
  });

  it("the same map gives the same view; passing it back gives managed code the very map; a plain object is refused", () => {
    const map = prices({ apple: 1 });
    expect(call("PricesAgain")).toBe(map);
    expect(call("IsCurrentPrices", map)).toBe(true);
    const error = thrownError(() => call("IsCurrentPrices", { apple: 1 }));
    expect(error).toBeInstanceOf(InteropError);
    expect(error.message).toBe(
      `The call to 'IsCurrentPrices' failed: argument 1 ('map') could not be converted: expected a view of a managed DictionaryReference<f64> obtained from assembly '${NAME}', got an object (Object).`,
    );
  });

  it("Blazor's default stays by value: a method returning Map<string, f64> gives a plain object", () => {
    const map = prices({ apple: 1 });
    const copy = pricesNow();
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    copy.pear = 2;
    expect("pear" in map).toBe(false);
  });

  it("struct values cross by value (a read is a copy), string values by value; keys are any strings, __proto__ included", () => {
    const places = call<DictionaryView<Point>>("NewPlaces", { home: { x: 1, y: 2 } });
    const home = places.home;
    home.x = 50;
    expect(places.home).toEqual({ x: 1, y: 2 });
    places.home = home;
    places.work = { x: 3, y: 4 };
    expect(call("PlacesNow")).toEqual({ home: { x: 50, y: 2 }, work: { x: 3, y: 4 } });
    expect(thrownError(() => (places.bad = { x: 1 } as Point)).message).toBe(`at .y: ${I32_EXPECTED}, got undefined`);
    expect(Object.keys(places)).toEqual(["home", "work"]);

    const labels = call<DictionaryView<string>>("NewLabels", {});
    labels["__proto__"] = "proto";
    labels[""] = "empty";
    labels["😀"] = "smile";
    expect(Object.keys(labels)).toEqual(["__proto__", "", "😀"]);
    expect(labels["__proto__"]).toBe("proto");
    expect(Object.getOwnPropertyNames(call("LabelsNow"))).toEqual(["__proto__", "", "😀"]);
    expect(thrownError(() => (labels.x = 1 as unknown as string))).toBeInstanceOf(MarshalError);
  });

  // Regression (host/refs/collections.ts, createDictionaryView), fixed: before, `toJSON` and `dispose` are looked up
  // before the map, so a map key of either name cannot be read through the wrapper (it reads the
  // wrapper's function), though it can be set and is listed by Object.keys and JSON.stringify.
  it("a key named like a wrapper member (toJSON, dispose) reads as its value, like any other key", () => {
    // Typed as the map it is: DictionaryView<V> types these two names as the view's members.
    const labels = call<Record<string, string>>("NewLabels", {});
    labels.dispose = "a value";
    labels.toJSON = "another";
    expect(Object.keys(labels)).toEqual(["dispose", "toJSON"]);
    expect(JSON.stringify(labels)).toBe('{"dispose":"a value","toJSON":"another"}');
    expect(labels.dispose).toBe("a value");
    expect(labels["toJSON"]).toBe("another");
  });
});

describe("custom types: @scriptableMember list and map members", () => {
  const basket = () => call<Basket>("NewBasket");

  it("Array, StaticArray and Map members are live views by default; the same view on every read", () => {
    const b = basket();
    expect(b.items).toBe(b.items);
    expect(Array.isArray(b.items)).toBe(false);
    b.items.push("pear");
    expect(b.invokeMethod("ItemsText")).toBe("apple,pear");
    b.invokeMethod("AddItem", "plum");
    expect(contents(b.items)).toEqual(["apple", "pear", "plum"]);
    b.sizes[0] = 10;
    expect(b.invokeMethod("SizesText")).toBe("10,2,3");
    expect(thrownError(() => b.sizes.push(4)).message).toContain(FIXED_SIZE);
    b.prices.banana = 3;
    b.invokeMethod("SetPrice", "cherry", 7);
    expect(b.invokeMethod("PricesText")).toBe("banana=3,cherry=7");
    expect(b.prices.cherry).toBe(7);
    expect(JSON.stringify(b.items)).toBe('["apple","pear","plum"]');
  });

  it("a view member cannot be replaced (change it through its view)", () => {
    const b = basket();
    const error = thrownError(() => ((b as unknown as Record<string, unknown>).items = []));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("'items' of Basket is read-only.");
    expect(b.invokeMethod("ItemsText")).toBe("apple");
  });

  it("@serializeToScriptByValue members are copies: plain JS values, set as a whole", () => {
    const b = basket();
    const snapshot = b.snapshot;
    expect(Array.isArray(snapshot)).toBe(true);
    expect(snapshot).toEqual(["x"]);
    expect(b.snapshot === snapshot).toBe(false);
    snapshot.push("y");
    expect(b.invokeMethod("SnapshotText")).toBe("x");
    b.snapshot = ["y", "z"];
    expect(b.invokeMethod("SnapshotText")).toBe("y,z");
    expect(thrownError(() => (b.snapshot = [1] as unknown as string[])).message).toContain("at [0]: expected a string, got number 1");
    expect(b.snapshot).toEqual(["y", "z"]);
    const copy = b.pricesCopy;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    copy.a = 1;
    expect(b.pricesCopy).toEqual({});
    b.pricesCopy = { a: 1 };
    expect(b.pricesCopy).toEqual({ a: 1 });
  });

  it("a custom type refuses a new key (TypeError) while its Map member accepts one", () => {
    const b = basket();
    const error = thrownError(() => ((b as unknown as Record<string, unknown>).color = "red"));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain("'color' is not a scriptable member of Basket");
    expect((b as unknown as Record<string, unknown>).color).toBeUndefined();
    // Its scriptable properties are its keys: wrapper[key] works on a custom type too.
    expect(b["label"]).toBe("basket");
    b["label"] = "renamed";
    expect(b.label).toBe("renamed");
    b.prices.color = 1;
    expect(b.invokeMethod("PricesText")).toBe("color=1");
  });

  it("a member view passed back to managed code is the member itself", () => {
    const b = basket();
    expect(b.invokeMethod("IsItems", b.items)).toBe(true);
    expect(b.invokeMethod("IsPrices", b.prices)).toBe(true);
    const other = basket();
    expect(b.invokeMethod("IsItems", other.items)).toBe(false);
  });
});

describe("maps whose keys are not strings", () => {
  const firstError = async (source: string) => {
    const errors = await compileErrors({ "keys.ts": source });
    expect(errors.length).toBeGreaterThan(0);
    return errors[0];
  };
  const KEYS_RULE =
    "a Map crosses as a JavaScript object, whose keys are strings, so only Map<string, V> can be marshaled " +
    "(the HTML Bridge's ArgumentException rule); this one has keys of type 'i32'";

  it("Map<i32, V> as a result, parameter or list element is a compile error saying why, at the type", async () => {
    const result = await firstError(`@jsInvokable export function M(): Map<i32, string> { return new Map(); }`);
    expect(result.message).toContain(KEYS_RULE);
    expect(result.message).toContain("return type of @jsInvokable function 'M'");
    expect([result.file, result.line, result.column]).toEqual(["keys.ts", 1, 35]);
    const parameter = await firstError(`@jsInvokable export function M(m: Map<i32, f64>): void {}`);
    expect(parameter.message).toContain(KEYS_RULE);
    expect(parameter.message).toContain("parameter 'm' of @jsInvokable function 'M'");
    const element = await firstError(
      `import { ListReference } from "as-interop/assembly/interop";\n` +
        `@jsInvokable export function M(): ListReference<Map<i32, string>> { return ListReference.of(new Array<Map<i32, string>>()); }`,
    );
    expect(element.message).toContain(KEYS_RULE);
  });

  it("a @scriptableMember Map<i32, V> (which cannot be a view) is a compile error naming the member", async () => {
    const error = await firstError(
      `import { DotNetObjectReference } from "as-interop/assembly/interop";\n` +
        `export class C { @scriptableMember m: Map<i32, string> = new Map(); }\n` +
        `@jsInvokable export function M(): DotNetObjectReference<C> { return DotNetObjectReference.create(new C()); }`,
    );
    expect(error.message).toContain(KEYS_RULE);
    expect(error.message).toContain("@scriptableMember 'm' of class 'C'");
    expect(formatDiagnostic(error)).toContain("Map<i32, string>");
  });

  it("DictionaryReference<V> takes only Map<string, V>: another key type does not even type-check", async () => {
    const error = await firstError(
      `import { DictionaryReference } from "as-interop/assembly/interop";\n` +
        `@jsInvokable export function M(): DictionaryReference<string> { return DictionaryReference.of(new Map<i32, string>()); }`,
    );
    expect(error.message).toMatch(/Type '~lib\/map\/Map<i32,~lib\/string\/String>' is not assignable to type '~lib\/map\/Map<~lib\/string\/String,~lib\/string\/String>'/);
  });
});

describe("lifetimes", () => {
  it("view.dispose() releases the managed reference; every later use fails with Blazor's message", () => {
    const list = ints([1, 2]);
    const { trackedObjects, jsReferences } = assembly.diagnostics();
    list.dispose();
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: trackedObjects - 1, jsReferences: jsReferences - 1 });
    list.dispose(); // twice is harmless
    const uses: [string, () => unknown][] = [
      ["length", () => list.length],
      ["[0]", () => list[0]],
      ["[0] =", () => (list[0] = 5)],
      ["push", () => list.push(3)],
      ["pop", () => list.pop()],
      ["shift", () => list.shift()],
      ["unshift", () => list.unshift(0)],
      ["splice", () => list.splice(0, 1)],
      ["reverse", () => list.reverse()],
      ["indexOf", () => list.indexOf(1)],
      ["lastIndexOf", () => list.lastIndexOf(1)],
      ["toArray", () => list.toArray()],
      ["for…of", () => [...list]],
      ["JSON.stringify", () => JSON.stringify(list)],
      ["in", () => 0 in list],
      ["Object.keys", () => Object.keys(list)],
    ];
    for (const [what, use] of uses) {
      const error = thrownError(use);
      expect(error, what).toBeInstanceOf(InteropError);
      expect(error.message, what).toMatch(NO_TRACKED_OBJECT);
    }
    // Passed back to managed code, too.
    const passed = thrownError(() => call("IsCurrentInts", list));
    expect(passed).toBeInstanceOf(InteropError);
    expect(passed.message).toMatch(/^The call to 'IsCurrentInts' failed: argument 1 \('list'\) could not be converted: There is no tracked object with id '\d+'\./);
    // The list itself lives on in managed code: handed out again, it gets a new, working view.
    const again = call<ListView<number>>("IntsAgain");
    expect(again === list).toBe(false);
    expect(contents(again)).toEqual([1, 2]);
    expect(call("IsCurrentInts", again)).toBe(true);
  });

  it("a disposed dictionary view fails the same way", () => {
    const map = call<DictionaryView<number>>("NewPrices", { a: 1 });
    map.dispose();
    for (const use of [() => map.a, () => (map.b = 2), () => "a" in map, () => Object.keys(map), () => delete map.a, () => JSON.stringify(map)]) {
      expectDisposedError(thrownError(use));
    }
    expect(call("PricesNow")).toEqual({ a: 1 });
  });

  it("after managed code releases the reference, using the view fails with Blazor's message", () => {
    const list = ints([1, 2, 3]);
    call("ReleaseInts");
    for (const use of [() => list.length, () => list[0], () => list.push(1), () => [...list]]) expectDisposedError(thrownError(use));
    const map = call<DictionaryView<number>>("NewPrices", { a: 1 });
    call("ReleasePrices");
    for (const use of [() => map.a, () => Object.keys(map)]) expectDisposedError(thrownError(use));
  });

  // Regression (host/refs/references.ts, wrapCollection), fixed: before, a view's operations check only the JS side's
  // table and never call noticeFailure, so when managed code released the reference the JS table
  // keeps it (jsReferences stays up until the garbage collector finalizes the view). A
  // DotNetObject learns it at its next use (test/references.test.ts).
  it("after managed code releases the reference, JS's table learns it at the next use (as for a DotNetObject)", () => {
    const list = ints([1, 2, 3]);
    const { trackedObjects, jsReferences } = assembly.diagnostics();
    call("ReleaseInts");
    expect(assembly.diagnostics().trackedObjects).toBe(trackedObjects - 1);
    expectDisposedError(thrownError(() => list.length));
    expect(assembly.diagnostics().jsReferences).toBe(jsReferences - 1);
  });

  it("diagnostics() is back where it started after many create/use/dispose cycles of every kind of view", { timeout: 120_000 }, async () => {
    const own = await freshAssembly();
    const invoke = <T>(method: string, ...args: unknown[]) => own.runtime.invokeMethod<T>(NAME, method, ...args);
    const memory = own.assembly.heap.runtime.memory;
    const cycle = (i: number) => {
      const list = invoke<ListView<number>>("NewInts", [i % 2 === 0 ? 0 : -1, 1, 2]);
      list.push(3, 4);
      list[0] = list[1] + list.indexOf(2);
      list.splice(1, 1, 9);
      if (JSON.stringify(list) !== "[3,9,2,3,4]") throw new Error(`cycle ${i}: ${JSON.stringify(list)}`);
      const copy = list.toArray()!;
      if (copy.length !== 5) throw new Error(`cycle ${i}: toArray`);
      copy.dispose();
      list.dispose();

      const fixed = invoke<ListView<string>>("NewFixedStrings", ["a", "b"]);
      fixed.reverse();
      fixed.dispose();

      const map = invoke<DictionaryView<number>>("NewPrices", { a: i });
      map.b = 2;
      delete map.a;
      if (Object.keys(map).join() !== "b") throw new Error(`cycle ${i}: keys`);
      map.dispose();

      const jagged = invoke<ListView<ListView<number>>>("NewJagged", [[1], [2]]);
      for (const row of jagged) row.dispose();
      jagged.dispose();

      const widgets = invoke<ListView<Widget>>("NewWidgets", ["w"]);
      widgets[0].dispose();
      widgets.dispose();

      const b = invoke<Basket>("NewBasket");
      b.items.push("x");
      b.prices.p = 1;
      b.items.dispose();
      b.sizes.dispose();
      b.prices.dispose();
      b.dispose();
    };
    for (let i = 0; i < 200; i++) cycle(i); // warm up: the tables and heap reach their working size
    const start = own.assembly.diagnostics();
    expect(start).toMatchObject({ trackedObjects: 0, jsReferences: 0, pinned: 0 });
    const memoryAtStart = memory.buffer.byteLength;
    const CYCLES = 3_000;
    const began = performance.now();
    for (let i = 0; i < CYCLES; i++) cycle(i);
    const elapsed = performance.now() - began;
    expect(own.assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsReferences: 0, jsObjects: 0, pendingTasks: 0, pinned: 0 });
    expect(memory.buffer.byteLength).toBeLessThanOrEqual(memoryAtStart + 2 ** 20);
    console.log(`${CYCLES} cycles of 6 kinds of views: ${elapsed.toFixed(0)} ms, memory ${memory.buffer.byteLength / 2 ** 20} MiB`);
    own.runtime.unloadAssembly(NAME);
  });
});
