/**
 * The host half, against real compiled wasm: Blazor's call API, every codec in both directions,
 * GC safety of arguments, aborts, traps, and several assemblies in one runtime.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  AssemblyPoisonedError,
  DotNet,
  InteropError,
  InteropRuntime,
  loadAssembly,
  ManagedError,
  MarshalError,
} from "../host/runtime/index.ts";
import { MANIFEST_VERSION } from "../host/marshal/types.ts";
import { compileFixture, fixturePath, fixtureSource, locateOnLine, moduleWithCustomSections, stackPointerOf, withManifest } from "./helpers.ts";

let types: WebAssembly.Module;
let faults: WebAssembly.Module;
let faultsBinary: Uint8Array;
let basics: WebAssembly.Module;
let reentry: WebAssembly.Module;

/** The types fixture, in number mode and in BigInt mode for 64-bit integers. */
const runtime = new InteropRuntime();
const bigRuntime = new InteropRuntime();

beforeAll(async () => {
  // One at a time: the compiler is in-process and the machine has two cores.
  types = (await compileFixture("types")).module;
  ({ module: faults, binary: faultsBinary } = await compileFixture("faults"));
  basics = (await compileFixture("basics", { assemblyName: "BlazorSample" })).module;
  reentry = (await compileFixture("reentry")).module;
  await runtime.loadAssembly(types);
  await bigRuntime.loadAssembly(types, { int64: "bigint" });
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>("types", method, ...args);
const callBig = <T = unknown>(method: string, ...args: unknown[]): T => bigRuntime.invokeMethod<T>("types", method, ...args);

/** Expects the call to throw an InteropError about argument `index` (1-based) named `name`. */
function expectArgumentError(method: string, index: number, name: string, args: unknown[], detail?: string | RegExp): InteropError {
  let caught: unknown;
  try {
    runtime.invokeMethod("types", method, ...args);
  } catch (error) {
    caught = error;
  }
  expect(caught, `${method}(${args.map(String).join(", ")}) should throw`).toBeInstanceOf(InteropError);
  const error = caught as InteropError;
  expect(error.message).toContain(`The call to '${method}' failed: argument ${index} ('${name}') could not be converted: `);
  expect(error.cause).toBeInstanceOf(MarshalError);
  if (detail !== undefined) expect(error.message).toMatch(detail);
  return error;
}

describe("bool", () => {
  it("round-trips true and false", () => {
    expect(call("echoBool", true)).toBe(true);
    expect(call("echoBool", false)).toBe(false);
    expect(call("notBool", true)).toBe(false);
    expect(call("notBool", false)).toBe(true);
  });

  it.each([[1], [0], ["true"], [null], [undefined]])("refuses %j for a bool, naming the argument", (value) => {
    expectArgumentError("echoBool", 1, "v", [value], /expected a boolean/);
  });
});

describe("integers", () => {
  const widths = [
    ["I8", -128, 127],
    ["U8", 0, 255],
    ["I16", -32768, 32767],
    ["U16", 0, 65535],
    ["I32", -2147483648, 2147483647],
    ["U32", 0, 4294967295],
  ] as const;

  describe.each(widths)("%s", (width, min, max) => {
    const method = `echo${width}`;
    const kind = width.toLowerCase();

    it("round-trips min, max, zero and one", () => {
      for (const value of [min, max, 0, 1]) expect(call(method, value)).toBe(value);
    });

    it.each([
      ["one above max", max + 1],
      ["one below min", min - 1],
      ["a fraction", 1.5],
      ["NaN", Number.NaN],
      ["Infinity", Number.POSITIVE_INFINITY],
      ["a numeric string", "1"],
      ["a BigInt", 1n],
      ["null", null],
    ])("refuses %s with an InteropError naming the argument", (_, value) => {
      expectArgumentError(method, 1, "v", [value], new RegExp(`expected ${kind} \\(an integer from ${min} to ${max}\\)`));
    });
  });

  it("wraps results that overflowed their declared width in managed code", () => {
    expect(call("incI8", 127)).toBe(-128);
    expect(call("incU8", 255)).toBe(0);
    expect(call("incI16", 32767)).toBe(-32768);
    expect(call("incU16", 65535)).toBe(0);
    expect(call("incU32", 4294967295)).toBe(0);
    expect(call("incU32", 2147483647)).toBe(2147483648);
  });

  describe("64-bit as numbers (default)", () => {
    it("round-trips safe integers, from numbers and from BigInts", () => {
      for (const value of [0, 1, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
        expect(call("echoI64", value)).toBe(value);
      }
      expect(call("echoI64", 42n)).toBe(42);
      expect(call("echoU64", Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
      expect(call("echoU64", 7n)).toBe(7);
      expect(call("maxSafe")).toBe(9007199254740991);
    });

    it("refuses a result beyond ±2^53 instead of rounding it", () => {
      for (const method of ["beyondSafe", "minI64", "maxU64"]) {
        expect(() => call(method)).toThrow(InteropError);
        expect(() => call(method)).toThrow(`The call to '${method}' failed: its result could not be converted:`);
        expect(() => call(method)).toThrow('load the assembly with { int64: "bigint" }');
      }
      expect(() => call("maxU64")).toThrow("18446744073709551615");
      expect(() => call("echoI64", 2n ** 60n)).toThrow(/its result could not be converted/);
    });

    it("refuses unsafe numbers, out-of-range BigInts and non-integers as arguments", () => {
      expectArgumentError("echoI64", 1, "v", [2 ** 53], /pass a BigInt/);
      expectArgumentError("echoI64", 1, "v", [-(2 ** 63)], /pass a BigInt/);
      expectArgumentError("echoI64", 1, "v", [2n ** 63n], /i64/);
      expectArgumentError("echoI64", 1, "v", [-(2n ** 63n) - 1n], /i64/);
      expectArgumentError("echoU64", 1, "v", [-1], /u64/);
      expectArgumentError("echoU64", 1, "v", [-1n], /u64/);
      expectArgumentError("echoU64", 1, "v", [2n ** 64n], /u64/);
      expectArgumentError("echoI64", 1, "v", [1.5]);
      expectArgumentError("echoI64", 1, "v", [Number.NaN]);
      expectArgumentError("echoI64", 1, "v", ["1"]);
    });
  });

  describe('64-bit as BigInt ({ int64: "bigint" })', () => {
    it("round-trips the extremes exactly", () => {
      expect(callBig("maxU64")).toBe(0xffffffffffffffffn);
      expect(callBig("echoU64", 0xffffffffffffffffn)).toBe(0xffffffffffffffffn);
      expect(callBig("decU64", 0n)).toBe(0xffffffffffffffffn);
      expect(callBig("minI64")).toBe(-(2n ** 63n));
      expect(callBig("echoI64", -(2n ** 63n))).toBe(-(2n ** 63n));
      expect(callBig("echoI64", 2n ** 63n - 1n)).toBe(2n ** 63n - 1n);
      expect(callBig("beyondSafe")).toBe(9007199254740992n);
    });

    it("still takes numbers as arguments, and answers with BigInts", () => {
      expect(callBig("echoI64", 5)).toBe(5n);
      expect(callBig("echoU64", 0)).toBe(0n);
    });

    it("leaves the other widths as numbers", () => {
      expect(callBig("echoI32", -5)).toBe(-5);
      expect(callBig("echoU32", 4294967295)).toBe(4294967295);
    });

    it("moves 64-bit arrays exactly", () => {
      const signed = [0n, -1n, -(2n ** 63n), 2n ** 63n - 1n];
      expect(callBig("echoI64Array", signed)).toEqual(signed);
      expect(callBig("echoI64Array", BigInt64Array.from(signed))).toEqual(signed);
      const unsigned = [0n, 0xffffffffffffffffn, 2n ** 63n];
      expect(callBig("echoU64Array", unsigned)).toEqual(unsigned);
    });
  });

  it("moves 64-bit arrays as numbers when safe, and refuses them otherwise", () => {
    expect(call("echoI64Array", [1, -2, 3n])).toEqual([1, -2, 3]);
    expect(() => call("echoU64Array", [0xffffffffffffffffn])).toThrow(/its result could not be converted/);
  });
});

describe("floats", () => {
  it("round-trips f64 edges exactly", () => {
    for (const value of [0, 1.5, -1e-300, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity]) {
      expect(call("echoF64", value)).toBe(value);
    }
    expect(Object.is(call("echoF64", -0), -0)).toBe(true);
    expect(call("echoF64", Number.NaN)).toBeNaN();
  });

  it("rounds to f32 as Math.fround does, and keeps its edges", () => {
    const f32Max = 3.4028234663852886e38;
    const f32MinSubnormal = 1.401298464324817e-45;
    for (const value of [0.1, 1 / 3, f32Max, -f32Max, f32MinSubnormal, 16777217, Infinity]) {
      expect(call("echoF32", value)).toBe(Math.fround(value));
    }
    expect(call("echoF32", Number.NaN)).toBeNaN();
  });

  it.each([["1"], [1n], [null], [true]])("refuses %s for a float", (value) => {
    expectArgumentError("echoF64", 1, "v", [value], /expected a number \(f64\)/);
    expectArgumentError("echoF32", 1, "v", [value], /expected a number \(f32\)/);
  });
});

describe("strings", () => {
  it("round-trips the empty string and ASCII", () => {
    expect(call("echoString", "")).toBe("");
    expect(call("stringLength", "")).toBe(0);
    expect(call("echoString", "Hello, Blazor!")).toBe("Hello, Blazor!");
  });

  it("keeps non-BMP characters as surrogate pairs, code unit for code unit", () => {
    const text = "a😀b𝄞 ünïcödé 中文";
    expect(call("echoString", text)).toBe(text);
    expect(call("stringLength", "😀")).toBe(2);
    expect(call("codeUnitAt", "😀", 0)).toBe(0xd83d);
    expect(call("codeUnitAt", "😀", 1)).toBe(0xde00);
  });

  it("preserves lone surrogates, short and long, in both directions", () => {
    expect(call("echoString", "\ud800")).toBe("\ud800");
    expect(call("echoString", "x\udc00y")).toBe("x\udc00y");
    expect(call("codeUnitAt", "\udfff", 0)).toBe(0xdfff);
    const long = "ab".repeat(100) + "\ud83d" + "cd".repeat(3000) + "\ude00";
    expect(call("echoString", long)).toBe(long);
    expect(call("fromCodeUnits", [0x61, 0xd83d])).toBe("a\ud83d");
    expect(call("fromCodeUnits", [0xde00, ...Array.from({ length: 100 }, () => 0x62)])).toBe("\ude00" + "b".repeat(100));
  });

  it("round-trips a 100,000-character string exactly", () => {
    let text = "";
    for (let i = 0; text.length < 100_000; ++i) text += String.fromCharCode(32 + (i % 9000)) + (i % 97 === 0 ? "😀" : "");
    text = text.slice(0, 100_000);
    expect(call("stringLength", text)).toBe(100_000);
    expect(call("echoString", text)).toBe(text);
  });

  it("keeps a leading U+FEFF (byte order mark) in short and long strings", () => {
    expect(call("echoString", "\ufeffab")).toBe("\ufeffab");
    const long = "\ufeff" + "a".repeat(100);
    expect(call("stringLength", long)).toBe(101);
    expect(call("echoString", long)).toBe(long);
  });

  it("moves null for string | null, both ways", () => {
    expect(call("echoNullableString", null)).toBeNull();
    expect(call("echoNullableString", undefined)).toBeNull();
    expect(call("echoNullableString", "x")).toBe("x");
    expect(call("isNullString", null)).toBe(true);
    expect(call("isNullString", "")).toBe(false);
    expect(call("maybeString", false)).toBeNull();
    expect(call("maybeString", true)).toBe("given");
  });

  it("refuses null and non-strings for a non-nullable string", () => {
    expectArgumentError("echoString", 1, "s", [null], /expected a string, got null/);
    expectArgumentError("echoString", 1, "s", [undefined], /expected a string, got undefined/);
    expectArgumentError("echoString", 1, "s", [42], /expected a string, got number 42/);
    expectArgumentError("echoNullableString", 1, "s", [{}], /expected a string or null/);
    expectArgumentError("codeUnitAt", 2, "index", ["x", "0"]);
  });
});

describe("arrays", () => {
  it("round-trips Array<i32>, including the extremes and the empty array", () => {
    expect(call("echoI32Array", [1, -2, 3])).toEqual([1, -2, 3]);
    expect(call("echoI32Array", [-2147483648, 2147483647])).toEqual([-2147483648, 2147483647]);
    expect(call("echoI32Array", [])).toEqual([]);
    expect(call("sumI32Array", [1, 2, 3, 4])).toBe(10);
    expect(call("sumI32Array", [])).toBe(0);
  });

  it("returns a plain JS array", () => {
    const result = call("echoI32Array", [1]);
    expect(Array.isArray(result)).toBe(true);
  });

  it("takes a typed array for an Array<T> parameter", () => {
    expect(call("echoI32Array", new Int32Array([5, -6, 7]))).toEqual([5, -6, 7]);
    expect(call("sumI32Array", new Int32Array([1, 2, 3]))).toBe(6);
    expect(call("echoI32Array", new Int32Array(0))).toEqual([]);
    expect(call("echoU8Array", new Uint8Array([0, 128, 255]))).toEqual([0, 128, 255]);
    // A typed array of another element type is converted element by element, with the same checks.
    expect(call("echoF64Array", new Int32Array([1, 2]))).toEqual([1, 2]);
    expectArgumentError("echoI32Array", 1, "a", [new Float64Array([1, 1.5])], /: at \[1\]: expected i32 \(an integer from -2147483648 to 2147483647\), got number 1\.5\.$/);
  });

  it("round-trips Array<f64>, Array<f32>, Array<u8> and Array<bool>", () => {
    expect(call("echoF64Array", [0.5, -1e300, Number.MAX_VALUE, Infinity])).toEqual([0.5, -1e300, Number.MAX_VALUE, Infinity]);
    expect(call("echoF64Array", [])).toEqual([]);
    expect(call("echoF32Array", [0.1, 2])).toEqual([Math.fround(0.1), 2]);
    expect(call("echoU8Array", [0, 1, 255])).toEqual([0, 1, 255]);
    expect(call("echoU8Array", [])).toEqual([]);
    expect(call("echoBoolArray", [true, false, true])).toEqual([true, false, true]);
  });

  it("checks every element and names the argument and the element", () => {
    const error = expectArgumentError("echoU8Array", 1, "a", [[0, 256]], /: at \[1\]: expected u8 \(an integer from 0 to 255\), got number 256\.$/);
    expect(error.message).toBe(
      "The call to 'echoU8Array' failed: argument 1 ('a') could not be converted: at [1]: expected u8 (an integer from 0 to 255), got number 256.",
    );
    expectArgumentError("echoI32Array", 1, "a", [[1, "2"]], /: at \[1\]: expected i32 .*, got the string "2"\.$/);
    expectArgumentError("echoBoolArray", 1, "a", [[true, 1]], /: at \[1\]: expected a boolean, got number 1\.$/);
  });

  it("refuses things that are not arrays", () => {
    expectArgumentError("echoI32Array", 1, "a", ["123"], /expected an array for Array<i32>/);
    expectArgumentError("echoI32Array", 1, "a", [{ length: 1, 0: 1 }]);
    expectArgumentError("echoI32Array", 1, "a", [null]);
    expectArgumentError("echoI32Array", 1, "a", [new DataView(new ArrayBuffer(4))]);
  });

  it("round-trips StaticArray<i32> and StaticArray<string>", () => {
    expect(call("echoStaticI32", [1, 2, 3])).toEqual([1, 2, 3]);
    expect(call("echoStaticI32", new Int32Array([4, 5]))).toEqual([4, 5]);
    expect(call("echoStaticI32", [])).toEqual([]);
    expect(call("staticLength", [9, 9, 9, 9])).toBe(4);
    expect(call("echoStaticStrings", ["a", "", "😀"])).toEqual(["a", "", "😀"]);
    expect(call("echoStaticStrings", [])).toEqual([]);
  });

  it("round-trips Array<string>, which managed code can read", () => {
    const strings = ["", "a", "😀", "x".repeat(1000), "\ud800"];
    expect(call("echoStringArray", strings)).toEqual(strings);
    expect(call("echoStringArray", [])).toEqual([]);
    expect(call("describeStrings", ["a", "b", "c"])).toBe("3:a+b+c");
  });

  it("moves null elements of Array<string | null>, and refuses them in Array<string>", () => {
    expect(call("echoNullableStringArray", ["a", null, "b", null])).toEqual(["a", null, "b", null]);
    expect(call("countNulls", [null, "x", null])).toBe(2);
    expectArgumentError("echoStringArray", 1, "a", [["a", null]], /: at \[1\]: expected a string, got null\.$/);
  });

  it("refuses a typed array of numbers for an array of strings instead of writing them as pointers", () => {
    expectArgumentError("echoStringArray", 1, "a", [new Uint32Array([1, 2, 3])], /: at \[0\]: expected a string, got number 1\.$/);
    expectArgumentError("echoNested", 1, "a", [new Uint32Array([16, 32])], /: at \[0\]: expected an array for Array<i32>, got number 16\.$/);
  });

  it("round-trips nested Array<Array<i32>>", () => {
    const nested = [[1, 2], [], [3], [-4, 5, 6]];
    expect(call("echoNested", nested)).toEqual(nested);
    expect(call("echoNested", [])).toEqual([]);
    expect(call("echoNested", [new Int32Array([7, 8])])).toEqual([[7, 8]]);
    expectArgumentError("echoNested", 1, "a", [[[1], [2, 2.5]]], /: at \[1\]\[1\]: expected i32 \(an integer from -2147483648 to 2147483647\), got number 2\.5\.$/);
  });

  it("moves null for Array<i32> | null", () => {
    expect(call("echoNullableArray", null)).toBeNull();
    expect(call("echoNullableArray", [1])).toEqual([1]);
  });

  it("lifts arrays that managed code built or grew", () => {
    const big = call<number[]>("range", 100_000);
    expect(big).toHaveLength(100_000);
    expect(big[0]).toBe(0);
    expect(big[99_999]).toBe(99_999);
    expect(call("range", 0)).toEqual([]);
    // Blazor's sample: data.push(4) on the JS side; here managed code grows the array it was given.
    expect(call("pushed", [1, 2, 3], 4)).toEqual([1, 2, 3, 4]);
    expect(call("pushed", [], 1)).toEqual([1]);
  });
});

describe("several parameters", () => {
  it("marshals each parameter by its own type", () => {
    expect(call("mixed", 3, "x", 1.5)).toBe("3/x/1.5");
    expect(call("zip", ["a", "b"], ["x", null], "-")).toEqual(["a-x", "b-null"]);
  });

  it("names the argument that could not be converted", () => {
    expectArgumentError("mixed", 2, "s", [1, 2, 3], /expected a string, got number 2/);
    expectArgumentError("mixed", 3, "x", [1, "s", "3"], /expected a number \(f64\)/);
    expectArgumentError("zip", 3, "sep", [[], [], null]);
  });

  it("converts each argument exactly once", () => {
    let reads = 0;
    const values = [2];
    Object.defineProperty(values, 0, {
      get: () => {
        ++reads;
        return 2;
      },
    });
    expect(call("sumFirstAndScale", values, 10, 1)).toBe(21);
    expect(reads).toBe(1);
  });

  it("keeps every argument alive while the collector runs (pinning)", () => {
    const parts = Array.from({ length: 40 }, (_, i) => `part${i}:` + "p".repeat(300));
    for (let i = 0; i < 300; ++i) {
      const a = "α".repeat(4000) + i;
      const b = "😀".repeat(2000) + (i * 7).toString(36);
      const result = call<string>("joinAll", a, b, parts);
      if (result !== `${a}|${b}|${parts.join(",")}|1024`) {
        expect.fail(`joinAll returned a wrong result at iteration ${i}`);
      }
      const left = Array.from({ length: 50 }, (_, j) => `L${i}.${j}` + "l".repeat(200));
      const right = Array.from({ length: 50 }, (_, j) => (j % 5 === 0 ? null : `R${j}` + "r".repeat(200)));
      const zipped = call<string[]>("zip", left, right, `<${i}>`);
      const expected = left.map((l, j) => `${l}<${i}>${right[j] ?? "null"}`);
      if (zipped.some((value, j) => value !== expected[j]) || zipped.length !== 50) {
        expect.fail(`zip returned a wrong result at iteration ${i}`);
      }
    }
  });
});

describe("Blazor's call API", () => {
  const blazor = new InteropRuntime();
  beforeAll(async () => {
    await blazor.loadAssembly(basics);
  });

  it("runs Blazor's documentation sample: ReturnArrayAsync and DifferentMethodName", async () => {
    const data = await blazor.DotNet.invokeMethodAsync<number[]>("BlazorSample", "ReturnArrayAsync");
    data.push(4);
    expect(data).toEqual([1, 2, 3, 4]);
    expect(await blazor.DotNet.invokeMethodAsync("BlazorSample", "DifferentMethodName")).toEqual([1, 2, 3]);
    expect(blazor.DotNet.invokeMethod("BlazorSample", "add", 2, 3)).toBe(5);
    expect(blazor.invokeMethod("BlazorSample", "echo", "hi")).toBe("hi");
    expect(await blazor.invokeMethodAsync("BlazorSample", "echo", "hi")).toBe("hi");
  });

  it("does not need `this`: DotNet's functions can be passed around", () => {
    const { invokeMethod, invokeMethodAsync } = blazor.DotNet;
    expect(invokeMethod("BlazorSample", "add", 1, 1)).toBe(2);
    return expect(invokeMethodAsync("BlazorSample", "add", 2, 2)).resolves.toBe(4);
  });

  it("does not answer to the renamed method's function name", () => {
    expect(() => blazor.invokeMethod("BlazorSample", "returnArray2")).toThrow(
      `The assembly 'BlazorSample' does not contain a public invokable method with [JSInvokableAttribute("returnArray2")].`,
    );
  });

  const cases: [string, string, string, unknown[], string][] = [
    ["an unknown assembly", "X", "add", [1, 2], "There is no loaded assembly with the name 'X'."],
    [
      "an unknown method",
      "BlazorSample",
      "nope",
      [],
      `The assembly 'BlazorSample' does not contain a public invokable method with [JSInvokableAttribute("nope")].`,
    ],
    ["too few arguments", "BlazorSample", "add", [1], "The call to 'add' expects '2' parameters, but received '1'."],
    ["too many arguments", "BlazorSample", "add", [1, 2, 3], "The call to 'add' expects '2' parameters, but received '3'."],
    ["an empty assembly name", "", "add", [1, 2], "Property 'AssemblyName' cannot be null, empty, or whitespace."],
    ["an assembly name of spaces", "  ", "add", [1, 2], "Property 'AssemblyName' cannot be null, empty, or whitespace."],
    ["no assembly name", undefined as unknown as string, "add", [1, 2], "Property 'AssemblyName' cannot be null, empty, or whitespace."],
    ["an empty method identifier", "BlazorSample", "", [], "Cannot be null, empty, or whitespace. (Parameter 'methodIdentifier')"],
    ["no method identifier", "BlazorSample", null as unknown as string, [], "Cannot be null, empty, or whitespace. (Parameter 'methodIdentifier')"],
  ];

  it("a method without parameters ignores the arguments it is given, as Blazor's dispatcher does", async () => {
    expect(blazor.DotNet.invokeMethod("BlazorSample", "ReturnArrayAsync", 1, "two")).toEqual([1, 2, 3]);
    expect(await blazor.DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync", { three: 3 })).toEqual([1, 2, 3]);
    // A method with parameters still takes exactly as many.
    expect(() => blazor.invokeMethod("BlazorSample", "echo", "a", "b")).toThrow("The call to 'echo' expects '1' parameters, but received '2'.");
  });

  it.each(cases)("invokeMethod: %s gets Blazor's message", (_, assembly, method, args, message) => {
    expect(() => blazor.invokeMethod(assembly, method, ...args)).toThrow(InteropError);
    expect(() => blazor.invokeMethod(assembly, method, ...args)).toThrow(message);
    expect(() => blazor.DotNet.invokeMethod(assembly, method, ...args)).toThrow(message);
    try {
      blazor.invokeMethod(assembly, method, ...args);
    } catch (error) {
      expect((error as Error).message).toBe(message);
    }
  });

  it.each(cases)("invokeMethodAsync: %s rejects (never throws) with Blazor's message", async (_, assembly, method, args, message) => {
    for (const invoke of [blazor.invokeMethodAsync.bind(blazor), blazor.DotNet.invokeMethodAsync]) {
      let promise: Promise<unknown> | undefined;
      expect(() => {
        promise = invoke(assembly, method, ...args);
      }).not.toThrow();
      expect(promise).toBeInstanceOf(Promise);
      await expect(promise).rejects.toThrow(InteropError);
      await expect(promise).rejects.toThrow(message);
    }
  });

  it("invokeMethodAsync rejects on conversion errors and aborts too", async () => {
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = blazor.invokeMethodAsync("BlazorSample", "add", "1", 2);
    }).not.toThrow();
    await expect(promise).rejects.toThrow(/argument 1 \('a'\) could not be converted/);
    expect(() => {
      promise = blazor.invokeMethodAsync("BlazorSample", "fail", "async boom");
    }).not.toThrow();
    await expect(promise).rejects.toBeInstanceOf(ManagedError);
    await expect(promise).rejects.toThrow("async boom");
  });

  it("returns null from a void method, which still runs, as Blazor's invokeMethod and invokeMethodAsync do", async () => {
    const before = call<number>("callCount");
    expect(call("noop")).toBeNull();
    expect(await runtime.invokeMethodAsync("types", "noop")).toBeNull();
    expect(call("callCount")).toBe(before + 2);
  });

  it("has a shared default runtime behind the module's DotNet and loadAssembly", async () => {
    const assembly = await loadAssembly(basics, { name: "SharedDefault" });
    expect(assembly.name).toBe("SharedDefault");
    expect(DotNet.invokeMethod("SharedDefault", "add", 20, 22)).toBe(42);
    expect(await DotNet.invokeMethodAsync("SharedDefault", "echo", "shared")).toBe("shared");
  });
});

describe("aborts", () => {
  const source = fixtureSource("faults");
  const file = fixturePath("faults");
  const aborts = new InteropRuntime();
  beforeAll(async () => {
    await aborts.loadAssembly(faults);
  });
  const callFaults = <T = unknown>(method: string, ...args: unknown[]): T => aborts.invokeMethod<T>("faults", method, ...args);

  function catchManaged(method: string, ...args: unknown[]): ManagedError {
    try {
      callFaults(method, ...args);
    } catch (error) {
      expect(error).toBeInstanceOf(ManagedError);
      return error as ManagedError;
    }
    throw new Error(`${method} did not abort`);
  }

  it("turns a failed assert into a ManagedError with the message and where it failed", () => {
    const error = catchManaged("failAssert", "it broke");
    const { line, column } = locateOnLine(source, "marker:assert", "assert(");
    expect(error.name).toBe("ManagedError");
    expect(error.managedMessage).toBe("it broke");
    expect(error.fileName).toBe(file);
    expect(error.lineNumber).toBe(line);
    expect(error.columnNumber).toBe(column);
    expect(error.message).toBe(`it broke (at ${file}:${line}:${column})`);
  });

  it("reports a thrown Error and a guard assert the same way", () => {
    const thrown = catchManaged("throwError", "x");
    expect(thrown.managedMessage).toBe("thrown: x");
    expect(thrown.fileName).toBe(file);
    expect(thrown.lineNumber).toBe(locateOnLine(source, "marker:throw", "throw").line);

    const divide = catchManaged("checkedDivide", 1, 0);
    expect(divide.managedMessage).toBe("division by zero");
    expect([divide.lineNumber, divide.columnNumber]).toEqual(Object.values(locateOnLine(source, "marker:divide", "assert(")));
    expect(callFaults("checkedDivide", 6, 3)).toBe(2);
  });

  it("reports an abort from a helper function deep in managed code", () => {
    const error = catchManaged("failAfterAllocating", "p-", ["a", "b"]);
    expect(error.managedMessage).toBe("p-a,p-b!");
    expect([error.lineNumber, error.columnNumber]).toEqual(Object.values(locateOnLine(source, "marker:deep", "assert(")));
  });

  it("keeps the instance working: an abort does not poison it", () => {
    catchManaged("failAssert", "once");
    expect(callFaults("add", 1, 2)).toBe(3);
    expect(callFaults("greet", "again")).toBe("Hello, again!");
    expect(aborts.getAssembly("faults")?.boundary.poisoned).toBeNull();
  });

  it("survives 10,000 aborts in a row, then answers correctly", () => {
    const assembly = aborts.getAssembly("faults")!;
    const stackPointer = stackPointerOf(assembly);
    expect(stackPointer).toBeInstanceOf(WebAssembly.Global);
    const atRest = stackPointer.value as number;
    const parts = ["x", "y", "z"];
    for (let i = 0; i < 10_000; ++i) {
      let caught: unknown = null;
      try {
        if (i % 2 === 0) callFaults("failAfterAllocating", `${i}:`, parts);
        else callFaults("failAssert", `abort ${i}`);
      } catch (error) {
        caught = error;
      }
      if (!(caught instanceof ManagedError)) expect.fail(`call ${i} did not end in a ManagedError: ${String(caught)}`);
    }
    expect(stackPointer.value).toBe(atRest);
    expect(callFaults("add", 40, 2)).toBe(42);
    expect(callFaults("greet", "world")).toBe("Hello, world!");
    expect(callFaults("greet", "x".repeat(10_000))).toBe(`Hello, ${"x".repeat(10_000)}!`);
  });
});

describe("traps", () => {
  it("poisons the assembly: the trapping call and every later call fail with AssemblyPoisonedError", async () => {
    const traps = new InteropRuntime();
    await traps.loadAssembly(faults, { name: "Trapped" });
    await traps.loadAssembly(faults, { name: "Healthy" });
    expect(traps.invokeMethod("Trapped", "increment")).toBe(1);

    let fault: unknown;
    try {
      traps.invokeMethod("Trapped", "trap");
    } catch (error) {
      fault = error;
    }
    expect(fault).toBeInstanceOf(AssemblyPoisonedError);
    const poisoned = fault as AssemblyPoisonedError;
    expect(poisoned.message).toContain("The assembly 'Trapped' is unusable after a fatal fault in managed code");
    expect(poisoned.message).toContain("Load it again");
    expect(poisoned.cause).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(poisoned.fault).toBe(poisoned.cause);

    // Later calls fail, refused by the boundary before any managed code runs, sync or async; as
    // often as they are made (no timing asserted here: how fast is the bench's to say).
    for (let i = 0; i < 10_000; ++i) {
      expect(() => traps.invokeMethod("Trapped", "increment")).toThrow(AssemblyPoisonedError);
    }
    expect(() => traps.invokeMethod("Trapped", "add", 1, 2)).toThrow(poisoned);
    await expect(traps.invokeMethodAsync("Trapped", "greet", "x")).rejects.toBeInstanceOf(AssemblyPoisonedError);

    // The other assembly is untouched, and reloading under the same name recovers.
    expect(traps.invokeMethod("Healthy", "increment")).toBe(1);
    expect(traps.unloadAssembly("Trapped")).toBe(true);
    await traps.loadAssembly(faults, { name: "Trapped" });
    expect(traps.invokeMethod("Trapped", "increment")).toBe(1);
    expect(traps.invokeMethod("Trapped", "greet", "back")).toBe("Hello, back!");
  });

  it("treats an out-of-bounds memory access as a trap too", async () => {
    const traps = new InteropRuntime();
    await traps.loadAssembly(faults);
    expect(() => traps.invokeMethod("faults", "outOfBounds")).toThrow(AssemblyPoisonedError);
    expect(() => traps.invokeMethod("faults", "add", 1, 1)).toThrow(AssemblyPoisonedError);
  });
});

describe("assemblies", () => {
  it("keeps two assemblies in one runtime, each answering by its own name", async () => {
    const both = new InteropRuntime();
    await both.loadAssembly(types);
    await both.loadAssembly(faults);
    expect(both.assemblyNames.sort()).toEqual(["faults", "types"]);
    expect(both.invokeMethod("types", "assemblyTag")).toBe("types");
    expect(both.invokeMethod("faults", "assemblyTag")).toBe("faults");
    expect(both.invokeMethod("faults", "add", 1, 2)).toBe(3);
    expect(() => both.invokeMethod("faults", "echoString", "x")).toThrow(
      `The assembly 'faults' does not contain a public invokable method with [JSInvokableAttribute("echoString")].`,
    );
  });

  it("loads one module twice under different names as independent instances", async () => {
    const twice = new InteropRuntime();
    const first = await twice.loadAssembly(faults, { name: "BlazorSample" });
    const second = await twice.loadAssembly(faults, { name: "Other" });
    expect(first.name).toBe("BlazorSample");
    expect(second.name).toBe("Other");
    expect(first.manifest.assembly).toBe("faults");
    expect(twice.invokeMethod("BlazorSample", "increment")).toBe(1);
    expect(twice.invokeMethod("BlazorSample", "increment")).toBe(2);
    expect(twice.invokeMethod("Other", "increment")).toBe(1);
    expect(() => twice.invokeMethod("faults", "increment")).toThrow("There is no loaded assembly with the name 'faults'.");
  });

  it("refuses to load a second assembly under a name already taken, and keeps the first", async () => {
    const dup = new InteropRuntime();
    await dup.loadAssembly(faults);
    expect(dup.invokeMethod("faults", "increment")).toBe(1);
    await expect(dup.loadAssembly(faults)).rejects.toThrow(InteropError);
    await expect(dup.loadAssembly(types, { name: "faults" })).rejects.toThrow(
      "An assembly named 'faults' is already loaded. Unload it first, or load this one with another { name }.",
    );
    expect(dup.invokeMethod("faults", "increment")).toBe(2);
    expect(dup.invokeMethod("faults", "assemblyTag")).toBe("faults");
  });

  it("forgets an unloaded assembly", async () => {
    const gone = new InteropRuntime();
    await gone.loadAssembly(faults);
    expect(gone.unloadAssembly("faults")).toBe(true);
    expect(gone.unloadAssembly("faults")).toBe(false);
    expect(() => gone.invokeMethod("faults", "add", 1, 2)).toThrow("There is no loaded assembly with the name 'faults'.");
  });

  it("loads from bytes as well as from a module", async () => {
    const bytes = faultsBinary;
    const fromBytes = new InteropRuntime();
    await fromBytes.loadAssembly(bytes);
    await fromBytes.loadAssembly(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { name: "again" });
    expect(fromBytes.invokeMethod("faults", "add", 2, 2)).toBe(4);
    expect(fromBytes.invokeMethod("again", "add", 3, 3)).toBe(6);
  });

  it("says clearly that a module without the manifest section was not compiled with as-interop", async () => {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    const load = new InteropRuntime().loadAssembly(empty);
    await expect(load).rejects.toThrow("This wasm module has no 'as-interop' section, so it was not compiled with as-interop");
    await expect(new InteropRuntime().loadAssembly(moduleWithCustomSections({ other: "x" }))).rejects.toThrow(
      /no 'as-interop' section/,
    );
  });

  it("refuses a manifest of another version", async () => {
    const future = moduleWithCustomSections({ "as-interop": JSON.stringify({ version: 99, assembly: "Future", methods: [] }) });
    await expect(new InteropRuntime().loadAssembly(future)).rejects.toThrow(
      `The assembly 'Future' was compiled for as-interop manifest version 99, but this host reads version ${MANIFEST_VERSION}: compile it again with this version of as-interop.`,
    );
    // An assembly compiled before by-value structs (version 1) is refused the same way.
    const older = moduleWithCustomSections({ "as-interop": JSON.stringify({ version: 1, assembly: "Older", methods: [] }) });
    await expect(new InteropRuntime().loadAssembly(older)).rejects.toThrow(
      `The assembly 'Older' was compiled for as-interop manifest version 1, but this host reads version ${MANIFEST_VERSION}`,
    );
  });

  it("accepts a real module whose manifest was rewritten, as a check of the helper below", async () => {
    const manifest = JSON.parse(new TextDecoder().decode(WebAssembly.Module.customSections(faults, "as-interop")[0]));
    const rewritten = withManifest(faultsBinary, JSON.stringify({ ...manifest, assembly: "Rewritten" }));
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(rewritten);
    expect(runtime.invokeMethod("Rewritten", "add", 1, 2)).toBe(3);
  });

  it("refuses at load time a manifest naming an export the module does not have", async () => {
    const manifest = JSON.parse(new TextDecoder().decode(WebAssembly.Module.customSections(faults, "as-interop")[0]));
    const methods = [
      ...manifest.methods,
      { identifier: "missing", exportName: "__interop_invoke_99_missing", parameters: [], returnType: { kind: "i32" }, declaredAt: "x.ts:1:1" },
    ];
    const broken = withManifest(faultsBinary, JSON.stringify({ ...manifest, assembly: "Broken", methods }));
    const runtime = new InteropRuntime();
    // Today the load succeeds and the call fails with "target is not a function".
    await expect(runtime.loadAssembly(broken)).rejects.toThrow(/__interop_invoke_99_missing/);
  });

  it("refuses with a clear error a module that has a manifest but not the runtime exports", async () => {
    const manifest = { version: MANIFEST_VERSION, assembly: "Bare", methods: [], structs: {}, classes: {} };
    const bare = moduleWithCustomSections({ "as-interop": JSON.stringify(manifest) });
    // Today: "Cannot read properties of undefined (reading 'buffer')".
    await expect(new InteropRuntime().loadAssembly(bare)).rejects.toThrow(/memory|__new|exportRuntime/);
  });
});

describe("re-entrant calls (managed → host → managed)", () => {
  const nested = new InteropRuntime();
  /** What the host import does when managed code calls it. */
  let onCallback: (value: number) => number = (value) => value;
  let stackPointer: WebAssembly.Global;
  let atRest: number;

  beforeAll(async () => {
    const assembly = await nested.loadAssembly(reentry, {
      imports: { env: { hostCallback: (value: number) => onCallback(value) } },
    });
    stackPointer = stackPointerOf(assembly);
    atRest = stackPointer.value as number;
  });

  it("runs a nested call into the same assembly", () => {
    onCallback = (value) => nested.invokeMethod<number>("reentry", "inner", value);
    expect(nested.invokeMethod("reentry", "outer", 21, "t")).toBe("t<42>t");
    expect(stackPointer.value).toBe(atRest);
  });

  it("keeps the outer call working when a nested call aborts and the host handles it", () => {
    onCallback = (value) => {
      const greeting = nested.invokeMethod<string>("reentry", "greet", "inner", "?");
      for (let i = 0; i < 100; ++i) {
        expect(() => nested.invokeMethod("reentry", "inner", -1)).toThrow(ManagedError);
      }
      return greeting.length + nested.invokeMethod<number>("reentry", "inner", value);
    };
    for (let i = 0; i < 50; ++i) {
      expect(nested.invokeMethod("reentry", "outer", i, "x".repeat(i))).toBe(`${"x".repeat(i)}<${13 + 2 * i}>${"x".repeat(i)}`);
    }
    expect(stackPointer.value).toBe(atRest);
  });

  it("fails the outer call with the nested abort when the host lets it through, and recovers", () => {
    onCallback = (value) => nested.invokeMethod<number>("reentry", "inner", -value);
    for (let i = 0; i < 1_000; ++i) {
      expect(() => nested.invokeMethod("reentry", "outer", 5, "y")).toThrow("negative: -5");
    }
    expect(stackPointer.value).toBe(atRest);
    onCallback = (value) => value;
    expect(nested.invokeMethod("reentry", "outer", 7, "z")).toBe("z<7>z");
    expect(nested.invokeMethod("reentry", "greet", "world", "!")).toBe("Hello, world!");
  });

  it("passes a host exception through the outer call unchanged", () => {
    const failure = new Error("host failed");
    onCallback = () => {
      throw failure;
    };
    expect(() => nested.invokeMethod("reentry", "outer", 1, "w")).toThrow(failure);
    expect(stackPointer.value).toBe(atRest);
    onCallback = (value) => value + 1;
    expect(nested.invokeMethod("reentry", "outer", 1, "w")).toBe("w<2>w");
  });
});
