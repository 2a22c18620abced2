/**
 * Views read in place (issue 17), against real compiled wasm (test/fixtures/views.ts): lists and
 * fixed-size arrays of every number type, `bool` and `char` whose elements the host reads and
 * writes in linear memory, with the same values and conversion errors as the per-call path; what
 * moves or ends that memory (growth, a list reallocating its store, disposal from either side,
 * release, a trap, a reload); dictionaries of numbers; lists of plain classes (by reference);
 * read-only members; collections passed to JavaScript; and the Proxy invariants every view keeps.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AssemblyPoisonedError,
  DotNetObject,
  InteropError,
  InteropRuntime,
  MarshalError,
  type DictionaryView,
  type ListView,
  type LoadedAssembly,
} from "../host/runtime/index.ts";
import { compileFixture, thrownError, type CompiledFixture } from "./helpers.ts";

const NAME = "Views";
const NO_TRACKED_OBJECT = /^There is no tracked object with id '\d+'\. Perhaps the DotNetObjectReference instance was already disposed\.$/;
const READ_ONLY = "it is read-only (the view of a readonly member): JavaScript can read it but not change it";

let fixture: CompiledFixture;
let runtime: InteropRuntime;
let assembly: LoadedAssembly;

beforeAll(async () => {
  fixture = await compileFixture("views", { assemblyName: NAME });
  ({ runtime, assembly } = await freshAssembly());
});

afterAll(() => runtime.unloadAssembly(NAME));

async function freshAssembly(): Promise<{ runtime: InteropRuntime; assembly: LoadedAssembly; call: <T = unknown>(method: string, ...args: unknown[]) => T }> {
  const own = new InteropRuntime();
  const loaded = await own.loadAssembly(fixture.module);
  return { runtime: own, assembly: loaded, call: <T = unknown>(method: string, ...args: unknown[]) => own.invokeMethod<T>(NAME, method, ...args) };
}

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const loose = (view: ListView<unknown>) => view as unknown as unknown[];

/** The error a by-value argument of the element type gets, as the per-call path raised it. */
function argumentError(method: string, value: unknown): string {
  const error = thrownError(() => call(method, [value]));
  // "The call to 'X' failed: argument 1 ('values') could not be converted: at [0]: <reason>."
  return error.message.replace(/^.*?at \[0\]: /, "").replace(/\.$/, "");
}

interface ElementCase {
  readonly make: string;
  readonly now: string;
  readonly values: unknown[];
  /** A value to write, and what reading it back gives. */
  readonly write: readonly [unknown, unknown];
  readonly bad: unknown[];
}

const CASES: Record<string, ElementCase> = {
  bool: { make: "Bools", now: "BoolsNow", values: [true, false, true], write: [false, false], bad: [1, "true", null] },
  i8: { make: "I8s", now: "I8sNow", values: [-128, 0, 127], write: [-5, -5], bad: [128, -129, 1.5, "1"] },
  u8: { make: "U8s", now: "U8sNow", values: [0, 200, 255], write: [7, 7], bad: [256, -1, NaN] },
  i16: { make: "I16s", now: "I16sNow", values: [-32768, 1, 32767], write: [-300, -300], bad: [32768, 0.5] },
  u16: { make: "U16s", now: "U16sNow", values: [0, 40000, 65535], write: [65534, 65534], bad: [65536, -1] },
  i32: { make: "I32s", now: "I32sNow", values: [-(2 ** 31), 0, 2 ** 31 - 1], write: [-42, -42], bad: [2 ** 31, 1.5, "x", undefined] },
  u32: { make: "U32s", now: "U32sNow", values: [0, 2 ** 31, 2 ** 32 - 1], write: [4e9, 4e9], bad: [2 ** 32, -1] },
  i64: { make: "I64s", now: "I64sNow", values: [-(2 ** 53) + 1, 0, 2 ** 53 - 1], write: [-7n, -7], bad: [2 ** 53, 1.5, 2n ** 63n] },
  u64: { make: "U64s", now: "U64sNow", values: [0, 1, 2 ** 53 - 1], write: [2 ** 40, 2 ** 40], bad: [-1, -1n, 2n ** 64n] },
  f32: { make: "F32s", now: "F32sNow", values: [0.5, -Infinity, 3.25], write: [0.1, Math.fround(0.1)], bad: ["0.1", null] },
  f64: { make: "F64s", now: "F64sNow", values: [Number.MIN_VALUE, -0, Number.MAX_VALUE], write: [NaN, NaN], bad: [1n, "1"] },
};

describe("lists of numbers and bool, read and written in place", () => {
  for (const [kind, c] of Object.entries(CASES)) {
    it(`${kind}: length, [i], [i] = v, iteration and conversion errors, as the call path gave them`, () => {
      const list = call<ListView<unknown>>(c.make, c.values);
      expect(list.length).toBe(c.values.length);
      expect(c.values.map((_, i) => list[i])).toEqual(c.values);
      expect(list[c.values.length]).toBeUndefined();
      expect([...list]).toEqual(c.values);
      loose(list)[1] = c.write[0];
      expect(list[1]).toEqual(c.write[1]);
      expect(call<unknown[]>(c.now)[1]).toEqual(c.write[1]);
      for (const bad of c.bad) {
        const error = thrownError(() => (loose(list)[0] = bad));
        expect(error, String(bad)).toBeInstanceOf(MarshalError);
        // Word for word what a by-value argument of the element type gets.
        expect(error.message, String(bad)).toBe(argumentError(c.make, bad));
      }
      expect(list[0]).toEqual(c.values[0]);
      expect(thrownError(() => (loose(list)[c.values.length] = c.values[0])).message).toBe(
        `Index ${c.values.length} is out of range: the list has ${c.values.length} elements.`,
      );
      list.dispose();
    });
  }

  it("at(i) gives what Array.prototype.at gives (negative, fractional and out-of-range indices), read in place or by call", () => {
    const values = [5, 6, 7];
    const ints = call<ListView<number>>("I32s", values);
    const names = call<ListView<string>>("SharedList");
    const indices = [0, 2, 3, -1, -3, -4, 1.7, -0.5, NaN, Infinity, -Infinity, "1", undefined, 2 ** 32];
    for (const index of indices) {
      expect(ints.at(index as number), String(index)).toBe(values.at(index as number));
    }
    const shared = call<number[]>("SharedNow");
    expect(names.at(-1)).toBe(shared.at(-1));
  });

  it("i64 and u64 follow { int64: \"bigint\" }; beyond ±2^53 without it, a read is the overflow error", async () => {
    const big = new InteropRuntime();
    await big.loadAssembly(fixture.module, { int64: "bigint" });
    const longs = big.invokeMethod<ListView<bigint>>(NAME, "I64s", [-(2n ** 63n), 2n ** 63n - 1n]);
    expect([...longs]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    const unsigned = big.invokeMethod<ListView<bigint>>(NAME, "U64s", [2n ** 64n - 1n]);
    expect(unsigned[0]).toBe(2n ** 64n - 1n);
    unsigned[0] = 5n;
    expect(big.invokeMethod(NAME, "U64sNow")).toEqual([5n]);

    const list = call<ListView<number>>("I64s", [1]);
    loose(list)[0] = 2n ** 60n;
    expect(thrownError(() => list[0]).message).toContain("is beyond ±2^53 and cannot be a JavaScript number exactly");
    expect(thrownError(() => [...list]).message).toContain("is beyond ±2^53");
  });

  it("char: one UTF-16 code unit each, lone surrogates included; anything but a one-character string is refused", () => {
    const chars = call<ListView<string>>("Chars", "a\u{1F600}z");
    expect([...chars]).toEqual(["a", "\uD83D", "\uDE00", "z"]);
    chars[0] = "\uDC00";
    expect(call("CharsNow")).toBe("\uDC00\u{1F600}z");
    expect(thrownError(() => (chars[0] = "ab")).message).toContain("expected");
    expect(thrownError(() => (chars[0] = "")).message).toContain("expected");
    expect(call("CharsNow")).toBe("\uDC00\u{1F600}z");
  });

  it("StaticArray<T>: the length comes from the object's size, and writes land in the managed array", () => {
    const doubles = call<ListView<number>>("FixedF64", [0.5, 1.5, 2.5]);
    expect(doubles.length).toBe(3);
    expect([...doubles]).toEqual([0.5, 1.5, 2.5]);
    doubles[2] = -1;
    expect(call("FixedF64Now")).toEqual([0.5, 1.5, -1]);
    const bytes = call<ListView<number>>("FixedU8", [1, 2, 3, 4, 5]);
    expect(bytes.length).toBe(5);
    call("SetFixedU8", 4, 250);
    expect(bytes[4]).toBe(250);
    expect(thrownError(() => bytes.push(1)).message).toContain("fixed-size array");
    expect(thrownError(() => (bytes[5] = 1))).toBeInstanceOf(RangeError);
  });

  it("memory that grows between two reads: the next read re-derives its view of memory", () => {
    const list = call<ListView<number>>("I32s", [10, 20, 30]);
    expect(list[1]).toBe(20);
    const before = assembly.heap.runtime.memory.buffer;
    expect(call("GrowMemory", 4)).toBeGreaterThan(0);
    expect(before.byteLength).toBe(0); // the old buffer is detached
    expect(list[1]).toBe(20);
    list[2] = 33;
    expect(call("I32sNow")).toEqual([10, 20, 33]);
    call("GrowMemory", 1);
    expect([...list]).toEqual([10, 20, 33]);
  });

  it("a list that reallocates its store between two reads (a push past capacity): the next read finds the new store", () => {
    const list = call<ListView<number>>("I32s", [1, 2, 3]);
    expect(list[0]).toBe(1);
    // Managed pushes past the capacity: the elements move.
    expect(call("PushI32s", 1000, 100)).toBe(1);
    expect(list.length).toBe(1003);
    expect(list[0]).toBe(1);
    expect(list[1002]).toBe(1099);
    list[1002] = -1;
    expect(call<number[]>("I32sNow")[1002]).toBe(-1);
    // JS pushes past the capacity, then reads and writes.
    const length = list.push(...Array.from({ length: 3000 }, (_, i) => i));
    expect(length).toBe(4003);
    expect(list[4002]).toBe(2999);
    list[4002] = 7;
    expect(call<number[]>("I32sNow")[4002]).toBe(7);
    // Managed code shifts: the same store, its elements moved down.
    call("ShiftI32");
    expect(list[0]).toBe(2);
    expect(list.length).toBe(4002);
  });

  it("iterates a run at a time: a list longer than one run, and a change made meanwhile shows from the next run on", () => {
    const values = Array.from({ length: 3000 }, (_, i) => i);
    const list = call<ListView<number>>("I32s", values);
    expect([...list]).toEqual(values);
    expect(Array.from(list)).toEqual(values);
    const seen: number[] = [];
    for (const value of list) {
      if (seen.length === 5) call("SetI32", 2500, -1); // in a later run
      seen.push(value);
    }
    expect(seen[2500]).toBe(-1);
    expect(seen.length).toBe(3000);
    // Elements pushed while iterating are reached when the iterator gets there.
    const growing: number[] = [];
    const small = call<ListView<number>>("I32s", [1, 2]);
    for (const value of small) {
      growing.push(value);
      if (growing.length === 1) call("PushI32", 3);
    }
    expect(growing).toEqual([1, 2, 3]);
  });

  it("after dispose(), every direct read, write and iteration fails with Blazor's message", () => {
    const list = call<ListView<number>>("I32s", [1, 2, 3]);
    const iterator = list[Symbol.iterator]();
    list.dispose();
    for (const use of [() => list[0], () => (list[0] = 1), () => list.length, () => [...list], () => iterator.next()]) {
      const error = thrownError(use);
      expect(error).toBeInstanceOf(InteropError);
      expect(error.message).toMatch(NO_TRACKED_OBJECT);
    }
  });

  it("after managed code releases the reference, the next direct read fails with Blazor's message (never reads freed memory)", () => {
    const { jsReferences } = assembly.diagnostics();
    const list = call<ListView<number>>("I32s", [1, 2, 3]);
    expect(list[0]).toBe(1);
    call("ReleaseI32s");
    // The list may now be collected and its memory reused: the view must not read it.
    call("ForgetI32s");
    call("Churn", 2000, 256);
    expect(thrownError(() => list[0]).message).toMatch(NO_TRACKED_OBJECT);
    expect(thrownError(() => (list[0] = 5)).message).toMatch(NO_TRACKED_OBJECT);
    expect(assembly.diagnostics().jsReferences).toBe(jsReferences);
  });

  it("a release of some other object makes a view check its own id once, then read in place again", () => {
    const list = call<ListView<number>>("I32s", [4, 5]);
    const other = call<ListView<number>>("U8s", [1]);
    expect(list[0]).toBe(4);
    other.dispose();
    expect(list[0]).toBe(4);
    expect(list[1]).toBe(5);
  });

  it("a poisoned instance: direct reads, writes and iteration fail with AssemblyPoisonedError", async () => {
    const own = await freshAssembly();
    const list = own.call<ListView<number>>("I32s", [1, 2]);
    const doubles = own.call<ListView<number>>("FixedF64", [1]);
    expect(list[0]).toBe(1);
    expect(() => own.call("Trap")).toThrow(AssemblyPoisonedError);
    for (const use of [() => list[0], () => (list[1] = 3), () => list.length, () => [...list], () => doubles[0]]) {
      expect(thrownError(use)).toBeInstanceOf(AssemblyPoisonedError);
    }
  });

  it("a reloaded (or unloaded) assembly: what JS still holds of the old instance fails clearly", async () => {
    const own = await freshAssembly();
    const list = own.call<ListView<number>>("I32s", [1, 2]);
    const scores = own.call<DictionaryView<number>>("Scores", { a: 1 });
    expect(list[0]).toBe(1); // read in place once: the view knows where the list is
    await own.runtime.reloadAssembly(NAME);
    for (const use of [() => list[0], () => list.push(1), () => scores.a]) {
      const error = thrownError(use);
      expect(error).toBeInstanceOf(InteropError);
      expect(error.message).toBe(
        `The assembly '${NAME}' was reloaded: this object belongs to its previous instance, whose state is gone. Use what the reloaded assembly gives you instead.`,
      );
    }
    // The reloaded assembly works.
    expect(own.call<ListView<number>>("I32s", [9])[0]).toBe(9);
    own.runtime.unloadAssembly(NAME);
  });
});

describe("dictionaries of numbers and bool: values through a scratch slot, keys lent", () => {
  it("reads, updates, adds, deletes; a wrong value is refused with the usual error and changes nothing", () => {
    const scores = call<DictionaryView<number>>("Scores", { a: 1, b: 2 });
    expect(scores.a).toBe(1);
    expect(scores.missing).toBeUndefined();
    scores.a = 10;
    scores.c = 3; // a new key
    expect(call("ScoresNow")).toEqual({ a: 10, b: 2, c: 3 });
    call("SetScore", "b", -2);
    expect(scores.b).toBe(-2);
    expect(thrownError(() => (scores.a = 1.5)).message).toContain("expected i32 (an integer from -2147483648 to 2147483647), got number 1.5");
    expect(thrownError(() => (scores.z = "1" as unknown as number)).message).toContain("got the string");
    expect(call("ScoresNow")).toEqual({ a: 10, b: -2, c: 3 });
    delete scores.c;
    expect(Object.keys(scores)).toEqual(["a", "b"]);
    expect("a" in scores && !("c" in scores)).toBe(true);
    // Keys of any length, in the lent string or not.
    const long = "k".repeat(20_000);
    scores[long] = 5;
    expect(scores[long]).toBe(5);
    scores[long] = 6;
    expect(call<Record<string, number>>("ScoresNow")[long]).toBe(6);
    expect(assembly.diagnostics().pinned).toBe(0);
  });

  it("bool and u64 values", () => {
    const flags = call<DictionaryView<boolean>>("Flags", { on: true, off: false });
    expect([flags.on, flags.off]).toEqual([true, false]);
    flags.off = true;
    expect(thrownError(() => (flags.on = 1 as unknown as boolean)).message).toContain("expected a boolean, got number 1");
    expect(call("FlagsNow")).toEqual({ on: true, off: true });
    const totals = call<DictionaryView<number>>("Totals", { t: 2 ** 53 - 1 });
    expect(totals.t).toBe(2 ** 53 - 1);
    totals.t = 5;
    expect(call("TotalsNow")).toEqual({ t: 5 });
  });

  it("i8, f32 and char values: each at its width, with its own conversion errors", () => {
    const smalls = call<DictionaryView<number>>("Smalls", { a: -128, b: 127 });
    expect([smalls.a, smalls.b]).toEqual([-128, 127]);
    smalls.a = -1;
    expect(thrownError(() => (smalls.b = 128)).message).toBe("expected i8 (an integer from -128 to 127), got number 128");
    expect(call("SmallsNow")).toEqual({ a: -1, b: 127 });
    const singles = call<DictionaryView<number>>("Singles", { x: 0.5 });
    singles.x = 0.1;
    expect(singles.x).toBe(Math.fround(0.1));
    expect(call("SinglesNow")).toEqual({ x: Math.fround(0.1) });
    const letters = call<DictionaryView<string>>("Letters", { first: "a" });
    expect(letters.first).toBe("a");
    letters.first = "\uD800";
    expect(letters.first).toBe("\uD800");
    expect(thrownError(() => (letters.first = "ab")).message).toContain("expected");
    expect(call("LettersNow")).toEqual({ first: "\uD800" });
  });
});

// A reference (DotNetObject) is no Proxy: it is frozen from the start (test/references.test.ts).
describe("the Proxy invariants (issue 14): views refuse what would break them", () => {
  const kinds = (): [string, object][] => [
    ["a list view", call<ListView<number>>("I32s", [1, 2])],
    ["a list view of strings", call<ListView<string>>("SharedList")],
    ["a dictionary view", call<DictionaryView<number>>("Scores", { a: 1 })],
  ];

  it("Object.preventExtensions, freeze and seal are TypeErrors, and Object.keys keeps working", () => {
    for (const [what, view] of kinds()) {
      const keys = Object.keys(view);
      for (const attempt of [Object.preventExtensions, Object.freeze, Object.seal]) {
        const error = thrownError(() => attempt(view));
        expect(error, what).toBeInstanceOf(TypeError);
        expect(error.message, what).toMatch(/^Cannot prevent extensions of (a list view|a dictionary view): /);
      }
      expect(() => Reflect.preventExtensions(view), what).toThrow(TypeError);
      expect(Object.isExtensible(view), what).toBe(true);
      expect(Object.isFrozen(view), what).toBe(false);
      expect(Object.keys(view), what).toEqual(keys);
      expect(Object.entries(view).length, what).toBe(keys.length);
    }
  });

  it("Object.setPrototypeOf is a TypeError and the prototype stays", () => {
    for (const [what, view] of kinds()) {
      const prototype = Object.getPrototypeOf(view);
      expect(() => Object.setPrototypeOf(view, null), what).toThrow(TypeError);
      expect(() => Object.setPrototypeOf(view, {}), what).toThrow(/^Cannot set the prototype of/);
      expect(Object.getPrototypeOf(view), what).toBe(prototype);
    }
  });
});

interface Counter extends DotNetObject {
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  dispose(): void;
  name: string;
  count: number;
}

describe("lists and dictionaries of plain classes: elements by reference", () => {
  it("each element is the DotNetObject of that managed object: the same one on every read, methods and members work", () => {
    const counters = call<ListView<Counter>>("Counters", ["a", "b"]);
    const first = counters[0];
    expect(first).toBeInstanceOf(DotNetObject);
    expect(counters[0]).toBe(first);
    expect(first.name).toBe("a");
    expect(first.invokeMethod("Increment")).toBe(1);
    first.count = 5;
    expect(call("CounterNames")).toBe("a:5,b:0");
    expect([...counters].map((c) => c.name)).toEqual(["a", "b"]);
    expect(JSON.parse(JSON.stringify(counters))).toEqual([{ name: "a", count: 5 }, { name: "b", count: 0 }]);
  });

  it("setting and pushing elements: the very managed objects; another class or a plain object is refused", () => {
    const counters = call<ListView<Counter>>("Counters", ["a", "b"]);
    counters[1] = counters[0];
    expect(call("SameCounter", 0, 1)).toBe(true);
    counters.push(call<Counter>("NewCounter", "c"));
    expect(call("CounterNames")).toBe("a:0,a:0,c:0");
    expect(counters.indexOf(counters[2])).toBe(2);
    for (const bad of [call("NewOther"), { name: "x" }, null, 1]) {
      expect(thrownError(() => (counters[0] = bad as Counter))).toBeInstanceOf(MarshalError);
    }
    expect(thrownError(() => (counters[0] = call("NewOther") as Counter)).message).toBe(
      "expected a DotNetObjectReference<Counter> (or of a class derived from Counter), got a DotNetObjectReference<Other>",
    );
    expect(call("CounterNames")).toBe("a:0,a:0,c:0");
  });

  it("nullable elements read and write null", () => {
    const maybe = call<ListView<Counter | null>>("MaybeCounters", ["a", ""]);
    expect(maybe[1]).toBeNull();
    expect(maybe[0]!.name).toBe("a");
    maybe[0] = null;
    maybe[1] = call<Counter>("NewCounter", "n");
    expect(call("MaybeCounterNames")).toBe("null,n");
  });

  it("a dictionary of plain classes", () => {
    const map = call<DictionaryView<Counter>>("CounterMap", ["x", "y"]);
    expect(map.x.name).toBe("x");
    map.y = map.x;
    map.z = call<Counter>("NewCounter", "z");
    expect(call("CounterMapNames")).toBe("x=x,y=x,z=z");
    expect(Object.keys(map)).toEqual(["x", "y", "z"]);
  });

  it("a dictionary of plain classes refuses by-value objects and references of another class, setting or adding (the HTML Bridge's rule)", () => {
    const map = call<DictionaryView<Counter>>("CounterMap", ["x"]);
    for (const bad of [call("NewOther"), { name: "x" }, null, 1]) {
      expect(thrownError(() => (map.x = bad as Counter))).toBeInstanceOf(MarshalError);
      expect(thrownError(() => (map.added = bad as Counter))).toBeInstanceOf(MarshalError);
    }
    expect(thrownError(() => (map.x = { name: "x" } as unknown as Counter)).message).toBe(
      `expected a DotNetObjectReference<Counter> (or of a class derived from Counter) obtained from assembly '${NAME}', got an object (Object)`,
    );
    expect(call("CounterMapNames")).toBe("x=x");
    expect(Object.keys(map)).toEqual(["x"]);
  });
});

interface Shelf extends DotNetObject {
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  readonly books: ListView<string>;
  readonly sizes: ListView<number>;
  readonly prices: DictionaryView<number>;
  readonly weights: ListView<number>;
  readonly notes: ListView<string>;
}

describe("read-only members: a view that refuses every change", () => {
  it("a readonly list member reads, searches and iterates, and refuses each change with a TypeError", () => {
    const shelf = call<Shelf>("NewShelf");
    const books = shelf.books;
    expect([...books]).toEqual(["Dune", "Emma"]);
    expect(books.indexOf("Emma")).toBe(1);
    expect(books.length).toBe(2);
    const changes: [string, () => unknown][] = [
      ["Setting [0]", () => (books[0] = "x")],
      ["push", () => books.push("x")],
      ["pop", () => books.pop()],
      ["shift", () => books.shift()],
      ["unshift", () => books.unshift("x")],
      ["splice", () => books.splice(0, 1)],
      ["reverse", () => books.reverse()],
    ];
    for (const [operation, change] of changes) {
      const error = thrownError(change);
      expect(error, operation).toBeInstanceOf(TypeError);
      expect(error.message).toBe(`${operation} is not supported on this list: ${READ_ONLY}.`);
    }
    expect(shelf.invokeMethod("Books")).toBe("Dune,Emma");
    // Live all the same: what managed code changes shows at once.
    shelf.invokeMethod("AddBook", "Ulysses");
    expect([...books]).toEqual(["Dune", "Emma", "Ulysses"]);
    // Its toArray() is a copy of its own, which may change.
    const copy = books.toArray()!;
    copy[0] = "changed";
    expect(shelf.invokeMethod("Books")).toBe("Dune,Emma,Ulysses");
  });

  it("read-only lists of numbers (read in place) and dictionaries refuse too", () => {
    const shelf = call<Shelf>("NewShelf");
    expect([...shelf.sizes]).toEqual([1, 2, 3]);
    expect(thrownError(() => (shelf.sizes[0] = 9)).message).toBe(`Setting [0] is not supported on this list: ${READ_ONLY}.`);
    expect(shelf.weights[1]).toBe(2.5);
    expect(thrownError(() => (shelf.weights[1] = 9)).message).toContain(READ_ONLY);
    expect(shelf.invokeMethod("Weights")).toBe("1.5,2.5");
    const prices = shelf.prices;
    expect(prices.Dune).toBe(9.5);
    expect(thrownError(() => (prices.Dune = 1)).message).toBe(`Setting 'Dune' is not supported on this dictionary: ${READ_ONLY}.`);
    expect(thrownError(() => (prices.New = 1)).message).toContain(READ_ONLY);
    expect(thrownError(() => delete prices.Dune).message).toBe(`Deleting 'Dune' is not supported on this dictionary: ${READ_ONLY}.`);
    expect(() => Object.defineProperty(prices, "x", { value: 1 })).toThrow(TypeError);
    expect(Object.keys(prices)).toEqual(["Dune"]);
    // A member that is not readonly stays writable.
    shelf.notes.push("m");
    expect([...shelf.notes]).toEqual(["n", "m"]);
  });

  it("the read-only view and a writable view of the same list are two views of one live list", () => {
    const shelf = call<Shelf>("NewShelf");
    const readOnly = shelf.books;
    const writable = shelf.invokeMethod<ListView<string>>("BooksByReference");
    expect(writable).not.toBe(readOnly);
    expect(shelf.books).toBe(readOnly);
    writable.push("Ulysses");
    expect(readOnly[2]).toBe("Ulysses");
    // Passed back as a ListReference<string>, either is the member itself.
    expect(shelf.invokeMethod("IsBooks", readOnly)).toBe(true);
    expect(shelf.invokeMethod("IsBooks", writable)).toBe(true);
  });
});

describe("collections passed to JavaScript (JSArgs.of(ListReference.of(list)))", () => {
  const scope = globalThis as { viewsTest?: Record<string, (...args: never[]) => unknown> };
  afterAll(() => delete scope.viewsTest);

  it("a list arrives as its live view: what JS changes, managed code sees when the call returns, and the view stays live", () => {
    let kept: ListView<number> | null = null;
    scope.viewsTest = {
      change: (list: ListView<number>) => {
        kept = list;
        list.push(4);
        list[0] = 10;
      },
    };
    expect(call("PassList", "viewsTest.change")).toBe("10,2,3,4");
    expect(kept).toBe(call("SharedList")); // the same view as a method result gives
    kept!.push(5);
    expect(call("SharedNow")).toEqual([10, 2, 3, 4, 5]);
  });

  it("lists of strings, fixed-size arrays and dictionaries arrive as views of their types", () => {
    const seen: unknown[] = [];
    scope.viewsTest = {
      names: (names: ListView<string>, fixed: ListView<number>) => {
        seen.push([...names], [...fixed], fixed.toArray());
        names.push("b");
        expect(thrownError(() => fixed.push(1)).message).toContain("fixed-size array");
      },
      map: (map: DictionaryView<number>) => {
        seen.push({ ...map });
        map.b = 2;
        map.a = 5;
      },
    };
    expect(call("PassNames", "viewsTest.names")).toBe("a,b");
    expect(call("PassMap", "viewsTest.map")).toBe("a=5,b=2");
    expect(seen).toEqual([["a"], [0.5, 1.5], null, { a: 1 }]);
  });

  it("a view JS hands back (a call's result) is the managed collection itself", () => {
    scope.viewsTest = { identity: (list: ListView<number>) => list };
    expect(call("RoundTripList", "viewsTest.identity")).toBe(true);
    scope.viewsTest = { other: () => [1, 2] };
    const error = thrownError(() => call("RoundTripList", "viewsTest.other"));
    expect(error.message).toContain("where managed code expects a list or dictionary view");
  });
});
