/**
 * Issue 3: every row of the by-value table, as arguments and as results, including each error.
 * One compile of test/fixtures/by-value.ts, loaded into runtimes with different options.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InteropError, InteropRuntime, ManagedError, MarshalError } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import type { Manifest, StructDescriptor, TypeDescriptor } from "../host/marshal/types.ts";
import { compileFixture, thrown } from "./helpers.ts";

const NAME = "ByValue";
let manifest: Manifest;
let module: WebAssembly.Module;

/** One runtime per set of load options, each with the fixture loaded once. */
const runtimes = new Map<string, InteropRuntime>();
async function runtimeWith(options: Partial<AssemblyOptions> = {}): Promise<InteropRuntime> {
  const key = JSON.stringify(options);
  let runtime = runtimes.get(key);
  if (!runtime) {
    runtime = new InteropRuntime();
    await runtime.loadAssembly(module, { name: NAME, ...options });
    runtimes.set(key, runtime);
  }
  return runtime;
}
let plain: InteropRuntime;

beforeAll(async () => {
  ({ manifest, module } = await compileFixture("by-value"));
  plain = await runtimeWith();
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => plain.invokeMethod<T>(NAME, method, ...args);


/** The call fails converting argument `index` (1-based, named `name`) with exactly `detail`. */
function expectArgumentError(method: string, index: number, name: string, args: unknown[], detail: string | RegExp): InteropError {
  const error = thrown(() => call(method, ...args));
  expect(error).toBeInstanceOf(InteropError);
  const { message, cause } = error as InteropError;
  const prefix = `The call to '${method}' failed: argument ${index} ('${name}') could not be converted: `;
  expect(message.startsWith(prefix), message).toBe(true);
  if (typeof detail === "string") expect(message.slice(prefix.length)).toBe(detail);
  else expect(message.slice(prefix.length)).toMatch(detail);
  expect(cause).toBeInstanceOf(MarshalError);
  return error as InteropError;
}

/** The call fails converting its result with exactly `detail`. */
function expectResultError(runtime: InteropRuntime, method: string, args: unknown[], detail: string | RegExp): InteropError {
  const error = thrown(() => runtime.invokeMethod(NAME, method, ...args));
  expect(error).toBeInstanceOf(InteropError);
  const { message } = error as InteropError;
  const prefix = `The call to '${method}' failed: its result could not be converted: `;
  expect(message.startsWith(prefix), message).toBe(true);
  if (typeof detail === "string") expect(message.slice(prefix.length)).toBe(detail);
  else expect(message.slice(prefix.length)).toMatch(detail);
  return error as InteropError;
}

// --- the manifest ---------------------------------------------------------------------------------

describe("the manifest of by-value types", () => {
  const m = (identifier: string) => {
    const found = manifest.methods.find((x) => x.identifier === identifier);
    if (!found) throw new Error(`no method ${identifier}`);
    return found;
  };
  const struct = (descriptor: TypeDescriptor): StructDescriptor => {
    expect(descriptor.kind).toBe("struct");
    return manifest.structs[(descriptor as { name: string }).name];
  };

  it("describes char, Date, Guid, typed arrays and maps", () => {
    expect(m("echoChar").parameters[0]).toEqual({ name: "c", type: { kind: "char" }, encoded: false });
    expect(m("echoChar").returnType).toEqual({ kind: "char" });
    expect(m("echoDate").parameters[0]).toEqual({ name: "d", type: { kind: "date", nullable: false }, encoded: true });
    expect(m("echoNullableDate").returnType).toEqual({ kind: "date", nullable: true });
    expect(m("echoGuid").parameters[0]).toEqual({ name: "g", type: { kind: "guid", nullable: false }, encoded: true });
    expect(m("echoInt64").parameters[0]).toMatchObject({ type: { kind: "typedarray", name: "Int64Array", nullable: false }, encoded: false });
    expect(m("echoNullableUint8").returnType).toMatchObject({ kind: "typedarray", name: "Uint8Array", nullable: true });
    expect(m("echoMap").parameters[0]).toEqual({ name: "m", type: { kind: "map", value: { kind: "i32" }, nullable: false }, encoded: true });
    expect(m("echoMap").returnEncoded).toBe(true);
  });

  it("describes an enum as its underlying integer", () => {
    expect(m("echoColor").parameters[0].type).toEqual({ kind: "i32" });
    expect(m("echoColor").returnType).toEqual({ kind: "i32" });
  });

  it("describes a @dataMember class as a struct with only its marked fields, in declaration order", () => {
    const point = struct(m("echoPoint").parameters[0].type);
    expect(point).toEqual({
      displayName: "Point",
      fields: [
        { name: "x", type: { kind: "f64" } },
        { name: "y", type: { kind: "f64" } },
      ],
    });
    const line = struct(m("echoLine").returnType);
    expect(line.fields.map((f) => f.name)).toEqual(["from", "to", "label"]);
    expect(line.fields[1].type).toMatchObject({ kind: "struct", nullable: true });
    const wide = struct(m("echoWide").parameters[0].type);
    expect(wide.fields.map((f) => f.name)).not.toContain("secret");
    expect(wide.fields.map((f) => f.name)).not.toContain("counter");
    expect(wide.fields).toHaveLength(29);
    // A recursive struct refers to itself by name.
    const node = struct(m("echoNode").parameters[0].type);
    expect(node.fields[1].type).toEqual({ kind: "struct", name: (m("echoNode").parameters[0].type as { name: string }).name, nullable: true });
  });

  it("lists every struct any method uses, nested ones included", () => {
    expect(Object.values(manifest.structs).map((s) => s.displayName).sort()).toEqual(["Containers", "Line", "Longs", "Node", "Point", "Reading", "Wide"]);
  });
});

// --- char ---------------------------------------------------------------------------------------

describe("char ↔ a one-character string", () => {
  it("crosses as an argument and as a result, code unit for code unit", () => {
    expect(call("echoChar", "A")).toBe("A");
    expect(call("charCode", "é")).toBe(0xe9);
    expect(call("charCode", "\0")).toBe(0);
    expect(call("charCode", "\uffff")).toBe(0xffff);
    expect(call("charFromCode", 0x263a)).toBe("☺");
    expect(call("charFromCode", 0)).toBe("\0");
  });

  it("moves each surrogate half as its own char, as .NET does", () => {
    const high = "😀"[0];
    const low = "😀"[1];
    expect(call("charCode", high)).toBe(0xd83d);
    expect(call("charCode", low)).toBe(0xde00);
    expect(call("echoChar", "\ud800")).toBe("\ud800");
    expect(call("charFromCode", 0xdc00)).toBe("\udc00");
  });

  it("crosses in arrays (char[])", () => {
    expect(call("echoChars", ["a", "\ud83d", "\ude00", "z"])).toEqual(["a", "\ud83d", "\ude00", "z"]);
    expect(call("charsToString", ["\ud83d", "\ude00"])).toBe("😀");
  });

  const CHAR = "expected a char (a string of exactly one UTF-16 code unit), got ";
  it.each([
    ["", `${CHAR}the string "".`],
    ["ab", `${CHAR}the string "ab".`],
    ["😀", `${CHAR}the string "😀".`],
    [65, `${CHAR}number 65.`],
    [null, `${CHAR}null.`],
    [undefined, `${CHAR}undefined.`],
  ])("refuses %j for a char", (value, detail) => {
    expectArgumentError("echoChar", 1, "c", [value], detail);
  });

  it("refuses a bad element of char[] and names it", () => {
    expectArgumentError("echoChars", 1, "a", [["a", "bc"]], `at [1]: ${CHAR}the string "bc".`);
  });
});

// --- Date ---------------------------------------------------------------------------------------

describe("Date ↔ JS Date (the instant, to the millisecond)", () => {
  const instants = [0, 1, -1, 1700000000123, -62135596800000, 253402300799999, 8.64e15, -8.64e15];

  it.each(instants)("round-trips the instant %d", (ms) => {
    const back = call<Date>("echoDate", new Date(ms));
    expect(back).toBeInstanceOf(Date);
    expect(back.getTime()).toBe(ms);
    expect(call("dateMillis", new Date(ms))).toBe(ms);
    expect(call<Date>("dateFromMillis", ms).getTime()).toBe(ms);
  });

  it("returns a new Date, not the one passed", () => {
    const date = new Date(5);
    const back = call<Date>("echoDate", date);
    expect(back).not.toBe(date);
    expect(back).toEqual(date);
  });

  it("gives managed code the instant in UTC", () => {
    const date = new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7));
    expect(call("dateIso", date)).toBe("2024-02-29T23:59:58.007Z");
    expect(call("dateUtcParts", date)).toEqual([2024, 1, 29, 23, 59]);
    expect(call("dateIso", new Date(-1))).toBe("1969-12-31T23:59:59.999Z");
  });

  it("moves null for Date | null (undefined too), and Date[]", () => {
    expect(call("echoNullableDate", null)).toBeNull();
    expect(call("echoNullableDate", undefined)).toBeNull();
    expect(call<Date>("echoNullableDate", new Date(42)).getTime()).toBe(42);
    const dates = [new Date(1), new Date(2e12)];
    expect(call("echoDates", dates)).toEqual(dates);
  });

  it.each([
    ["an invalid Date", new Date(NaN), "expected a valid Date, got an object (Date)."],
    ["a number", 1700000000000, "expected a valid Date, got number 1700000000000."],
    ["an ISO string", "2024-01-01T00:00:00Z", 'expected a valid Date, got the string "2024-01-01T00:00:00Z".'],
    ["null", null, "expected Date (it is not nullable), got null."],
    ["undefined", undefined, "expected Date (it is not nullable), got undefined."],
  ])("refuses %s for a Date", (_, value, detail) => {
    expectArgumentError("echoDate", 1, "d", [value], detail);
  });

  it("refuses an invalid Date inside Date[] and names the element", () => {
    expectArgumentError("echoDates", 1, "a", [[new Date(0), new Date("nonsense")]], "at [1]: expected a valid Date, got an object (Date).");
  });
});

describe("Date and time zones: the instant crosses, never the wall-clock reading", () => {
  const saved = process.env.TZ;
  afterAll(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it.each(["America/New_York", "UTC", "Asia/Kolkata", "Pacific/Chatham"])("under TZ=%s a local Date comes back equal", (zone) => {
    process.env.TZ = zone;
    // Node re-reads TZ when it is assigned: check the zone really is in effect, or the test proves nothing.
    const expectedOffset = { "America/New_York": 300, UTC: 0, "Asia/Kolkata": -330, "Pacific/Chatham": -825 }[zone];
    const local = new Date(2024, 0, 1);
    expect(local.getTimezoneOffset()).toBe(expectedOffset);

    const back = call<Date>("echoDate", local);
    expect(back.getTime()).toBe(local.getTime());
    // Read in the same zone, the wall clock is the same too.
    expect([back.getFullYear(), back.getMonth(), back.getDate(), back.getHours()]).toEqual([2024, 0, 1, 0]);
    // Managed code sees the instant, so the UTC reading it reports depends on where midnight was.
    expect(call("dateIso", local)).toBe(local.toISOString());
    // A date made in managed code is the same instant whatever the host's zone.
    expect(call<Date>("dateFromMillis", Date.UTC(2024, 0, 1)).toISOString()).toBe("2024-01-01T00:00:00.000Z");
  });

  it("keeps the instant across a daylight-saving change (New York, 2024-03-10)", () => {
    process.env.TZ = "America/New_York";
    const before = new Date(2024, 2, 10, 1, 59, 59, 999);
    const after = new Date(before.getTime() + 1);
    expect(after.getHours()).toBe(3);
    expect(call<Date>("echoDate", before).getTime()).toBe(before.getTime());
    expect(call<Date>("echoDate", after).getHours()).toBe(3);
  });
});

// --- Guid ---------------------------------------------------------------------------------------

describe("Guid ↔ '382c74c3-721d-4f34-80e5-57657b6cbc27'", () => {
  const GUID = "382c74c3-721d-4f34-80e5-57657b6cbc27";

  it("round-trips, as argument and result, in lower case", () => {
    expect(call("echoGuid", GUID)).toBe(GUID);
    expect(call("echoGuid", GUID.toUpperCase())).toBe(GUID);
    expect(call("echoGuid", "382C74c3-721D-4f34-80E5-57657b6CBC27")).toBe(GUID);
    expect(call("guidText", GUID.toUpperCase())).toBe(GUID);
  });

  it("gives managed code the 128 bits, in text order", () => {
    expect(call("guidHalves", GUID)).toBe("382c74c3721d4f34|80e557657b6cbc27");
    expect(call("guidFromHalves", 0x382c74c3721d4f34n, 0x80e557657b6cbc27n)).toBe(GUID);
    expect(call("guidHalves", "ffffffff-ffff-ffff-ffff-ffffffffffff")).toBe("ffffffffffffffff|ffffffffffffffff");
    expect(call("guidFromHalves", 0n, 1n)).toBe("00000000-0000-0000-0000-000000000001");
    expect(call("emptyGuid")).toBe("00000000-0000-0000-0000-000000000000");
    expect(call("guidsEqual", GUID, GUID.toUpperCase())).toBe(true);
    expect(call("guidsEqual", GUID, "382c74c3-721d-4f34-80e5-57657b6cbc28")).toBe(false);
  });

  it("parses and formats in managed code, which agrees with the host", () => {
    expect(call("parseGuid", GUID.toUpperCase())).toBe(GUID);
    expect(call("guidRoundTrip", "0123ABCD-4567-89ef-ABCD-0123456789ab")).toBe("0123abcd-4567-89ef-abcd-0123456789ab");
    for (const bad of ["", GUID.slice(1), `{${GUID}}`, GUID.replaceAll("-", ""), GUID.replace("-", "+"), `${GUID.slice(0, 35)}g`]) {
      expect(call("parseGuid", bad), bad).toBeNull();
    }
  });

  it("moves null for Guid | null (undefined too)", () => {
    expect(call("echoNullableGuid", null)).toBeNull();
    expect(call("echoNullableGuid", undefined)).toBeNull();
    expect(call("echoNullableGuid", GUID)).toBe(GUID);
  });

  const FORMAT = `expected a Guid string like "${GUID}", got `;
  it.each([
    ["without dashes", GUID.replaceAll("-", ""), `${FORMAT}the string "${GUID.replaceAll("-", "")}".`],
    ["in braces", `{${GUID}}`, `${FORMAT}the string "{${GUID}}".`],
    ["one digit short", GUID.slice(1), `${FORMAT}the string "${GUID.slice(1)}".`],
    ["with a non-hex digit", GUID.replace("c", "g"), `${FORMAT}the string "${GUID.replace("c", "g")}".`],
    ["with a trailing newline", `${GUID}\n`, `${FORMAT}the string ${JSON.stringify(`${GUID}\n`)}.`],
    ["empty", "", `${FORMAT}the string "".`],
    ["a number", 42, `${FORMAT}number 42.`],
    ["null", null, "expected Guid (it is not nullable), got null."],
  ])("refuses a Guid %s", (_, value, detail) => {
    expectArgumentError("echoGuid", 1, "g", [value], detail);
  });
});

// --- enums --------------------------------------------------------------------------------------

describe("enums ↔ numbers", () => {
  it("crosses as its number, both ways", () => {
    expect(call("echoColor", 0)).toBe(0);
    expect(call("colorName", 1)).toBe("Green");
    expect(call("colorName", 10)).toBe("Blue");
    expect(call("favoriteColor")).toBe(10);
    expect(call("echoColors", [0, 1, 10])).toEqual([0, 1, 10]);
  });

  it("accepts any value of the underlying type, as .NET does", () => {
    expect(call("colorName", 7)).toBe("Color(7)");
  });

  it("refuses what is not an integer of the underlying type", () => {
    const I32 = "expected i32 (an integer from -2147483648 to 2147483647), got ";
    expectArgumentError("echoColor", 1, "c", [1.5], `${I32}number 1.5.`);
    expectArgumentError("echoColor", 1, "c", ["Green"], `${I32}the string "Green".`);
    expectArgumentError("echoColors", 1, "a", [[0, 2 ** 31]], `at [1]: ${I32}number 2147483648.`);
  });
});

// --- Nullable<T> --------------------------------------------------------------------------------

describe("Nullable<T> (.NET's int?) ↔ the value or null", () => {
  const I32 = "expected i32 (an integer from -2147483648 to 2147483647), got ";

  it("is described as the nullable family of its value's type, crossing encoded", () => {
    const method = manifest.methods.find((x) => x.identifier === "echoNullableChar")!;
    expect(method.parameters[0]).toEqual({ name: "n", type: { kind: "nullable", value: { kind: "char" } }, encoded: true });
    expect(method.returnType).toEqual({ kind: "nullable", value: { kind: "char" } });
    expect(method.returnEncoded).toBe(true);
    // `Nullable<i32> | null` is the same to JS.
    const orNull = manifest.methods.find((x) => x.identifier === "echoNullableOrNull")!;
    expect(orNull.parameters[0].type).toEqual({ kind: "nullable", value: { kind: "i32" } });
  });

  it("round-trips the value, and null (undefined too) as one without a value, for every number type, bool and char", () => {
    const cases: [string, unknown[]][] = [
      ["I8", [-128, 0, 127]],
      ["U8", [0, 255]],
      ["I16", [-32768, 32767]],
      ["U16", [0, 65535]],
      ["I32", [-(2 ** 31), -1, 2 ** 31 - 1]],
      ["U32", [0, 2 ** 32 - 1]],
      ["I64", [-(2 ** 53) + 1, 0, 2 ** 53 - 1]],
      ["U64", [0, 2 ** 53 - 1]],
      ["F32", [0.5, -Infinity, Math.fround(0.1)]],
      ["F64", [Math.PI, -0, Number.MAX_VALUE, Infinity]],
      ["Bool", [true, false]],
      ["Char", ["A", "\ud83d", "\u0000"]],
    ];
    for (const [type, values] of cases) {
      for (const value of values) expect(call(`echoNullable${type}`, value), `${type} ${String(value)}`).toBe(value);
      expect(call(`echoNullable${type}`, null), type).toBeNull();
      expect(call(`echoNullable${type}`, undefined), type).toBeNull();
    }
    expect(Object.is(call("echoNullableF64", -0), -0)).toBe(true);
    expect(call("echoNullableF64", NaN)).toBeNaN();
    expect(call("echoNullableF32", 0.1)).toBe(Math.fround(0.1));
  });

  it("gives managed code hasValue, value, getValueOrDefault, equals and toString as .NET's", () => {
    expect(call("describeNullableI32", 7)).toBe("value 7");
    expect(call("describeNullableI32", null)).toBe("none");
    expect(call("describeNullableI32", 0)).toBe("value 0"); // zero is a value, not none
    expect(call("describeNullableBool", false)).toBe("value false");
    expect(call("nullableI32Or", null, 9)).toBe(9);
    expect(call("nullableI32Or", 3, 9)).toBe(3);
    expect(call("nullableText", 1.5)).toBe("1.5");
    expect(call("nullableText", null)).toBe("");
    expect(call("nullablesEqual", null, undefined)).toBe(true);
    expect(call("nullablesEqual", 1, 1)).toBe(true);
    expect(call("nullablesEqual", 1, null)).toBe(false);
    expect(call("nullablesEqual", 0, null)).toBe(false);
    expect(call("someI32", 4)).toBe(4);
    expect(call("noneI32")).toBeNull();
    expect(call("nullReferenceOfNullable")).toBeNull(); // a `Nullable<i32> | null` holding null
    expect(call("echoNullableOrNull", 12)).toBe(12);
  });

  it("reading value when there is none aborts with .NET's message, and the instance keeps working", () => {
    const error = thrown(() => call("nullableValue", null));
    expect(error).toBeInstanceOf(InteropError);
    expect((error as InteropError).cause).toBeInstanceOf(ManagedError);
    expect(((error as InteropError).cause as ManagedError).managedMessage).toBe("Nullable object must have a value.");
    expect(call("nullableValue", 5)).toBe(5);
  });

  it("refuses a wrong value with the same error as T's, naming the argument", () => {
    expectArgumentError("echoNullableI32", 1, "n", ["5"], `${I32}the string "5".`);
    expectArgumentError("echoNullableI32", 1, "n", [1.5], `${I32}number 1.5.`);
    expectArgumentError("echoNullableU8", 1, "n", [256], "expected u8 (an integer from 0 to 255), got number 256.");
    expectArgumentError("echoNullableBool", 1, "n", [0], "expected a boolean, got number 0.");
    expectArgumentError("echoNullableChar", 1, "n", ["ab"], 'expected a char (a string of exactly one UTF-16 code unit), got the string "ab".');
    expectArgumentError("echoNullableI32s", 1, "a", [[1, "2"]], `at [1]: ${I32}the string "2".`);
    expectArgumentError("echoReading", 1, "r", [{ sensor: "s", celsius: "warm" }], /^at \.celsius: expected a number \(f64\), got the string "warm"\.$/);
    expect(call("echoNullableI32", 1)).toBe(1);
  });

  it("crosses as array elements, map values and @dataMember fields, where a missing field is none", () => {
    expect(call("echoNullableI32s", [1, null, 3, undefined])).toEqual([1, null, 3, null]);
    expect(call("countNullableI32s", [1, null, 3])).toBe("2 of 3, sum 4");
    expect(call("echoStaticNullableBools", [true, null, false])).toEqual([true, null, false]);
    expect(call("echoNullableF64Map", { a: 1.5, b: null })).toEqual({ a: 1.5, b: null });
    expect(call("echoReading", { sensor: "s", celsius: null, count: 3, big: null })).toEqual({ sensor: "s", celsius: null, count: 3, big: null });
    expect(call("echoReading", { sensor: "t" })).toEqual({ sensor: "t", celsius: null, count: null, big: null });
    expect(call("describeReading", { sensor: "s", celsius: 21.5, count: null })).toBe("s: 21.5, count ");
    const readings = [{ sensor: "a", celsius: 1, count: 2, big: 3 }, { sensor: "b", celsius: null, count: null, big: null }];
    expect(call("echoReadings", readings)).toEqual(readings);
  });

  it("has no identity to share: with preserveReferences, shared structs around it keep theirs", async () => {
    const preserving = await runtimeWith({ preserveReferences: true });
    const shared = { sensor: "s", celsius: 2.5, count: null, big: 1 };
    const back = preserving.invokeMethod<object[]>(NAME, "echoReadings", [shared, shared, { sensor: "t" }]);
    expect(back[0]).toBe(back[1]);
    expect(back).toEqual([shared, shared, { sensor: "t", celsius: null, count: null, big: null }]);
    expect(preserving.invokeMethod(NAME, "echoNullableI32s", [7, 7, null, null])).toEqual([7, 7, null, null]);
  });

  it("moves Nullable<i64> as a number (exact within ±2^53) or a BigInt, as the assembly's int64 option says", async () => {
    const big = await runtimeWith({ int64: "bigint" });
    expect(call("echoNullableI64", 2n ** 40n)).toBe(2 ** 40);
    expect(big.invokeMethod(NAME, "echoNullableI64", -(2n ** 63n))).toBe(-(2n ** 63n));
    expect(big.invokeMethod(NAME, "echoNullableU64", 2n ** 64n - 1n)).toBe(2n ** 64n - 1n);
    expect(big.invokeMethod(NAME, "echoNullableI64", null)).toBeNull();
    expect(big.invokeMethod(NAME, "echoReading", { sensor: "s", big: 5 })).toMatchObject({ big: 5n });
    expectResultError(plain, "echoNullableU64", [2n ** 64n - 1n], /the u64 value 18446744073709551615 is beyond ±2\^53/);
    expectArgumentError("echoNullableI64", 1, "n", [2 ** 53], /beyond ±2\^53 a number is not exact: pass a BigInt/);
  });
});

// --- typed arrays -------------------------------------------------------------------------------

type AnyTypedArray =
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;
interface TypedCase {
  readonly managed: string;
  readonly js: { new (length: number): AnyTypedArray; from(values: Iterable<unknown>): AnyTypedArray; readonly name: string };
  readonly sample: readonly (number | bigint)[];
  /** Element i of what makeX(n) returns: (i * 37 - 5) in the element type. */
  readonly made: (i: number) => number | bigint;
}
const wrap = (bits: number, signed: boolean) => (i: number) => {
  const v = BigInt(i * 37 - 5);
  return Number(signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v));
};
const TYPED: TypedCase[] = [
  { managed: "Int8", js: Int8Array, sample: [-128, -1, 0, 127], made: wrap(8, true) },
  { managed: "Uint8", js: Uint8Array, sample: [0, 1, 128, 255], made: wrap(8, false) },
  { managed: "Uint8Clamped", js: Uint8ClampedArray, sample: [0, 1, 128, 255], made: wrap(8, false) },
  { managed: "Int16", js: Int16Array, sample: [-32768, -1, 0, 32767], made: wrap(16, true) },
  { managed: "Uint16", js: Uint16Array, sample: [0, 1, 65535], made: wrap(16, false) },
  { managed: "Int32", js: Int32Array, sample: [-(2 ** 31), -1, 0, 2 ** 31 - 1], made: wrap(32, true) },
  { managed: "Uint32", js: Uint32Array, sample: [0, 1, 2 ** 32 - 1], made: wrap(32, false) },
  { managed: "Int64", js: BigInt64Array, sample: [-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n], made: (i) => BigInt(i * 37 - 5) },
  { managed: "Uint64", js: BigUint64Array, sample: [0n, 1n, 2n ** 64n - 1n], made: (i) => BigInt.asUintN(64, BigInt(i * 37 - 5)) },
  { managed: "Float32", js: Float32Array, sample: [-0, 0.5, -3.25, Infinity, NaN, 3.4028234663852886e38], made: (i) => i * 37 - 5 },
  { managed: "Float64", js: Float64Array, sample: [-0, Math.PI, -Number.MAX_VALUE, Number.MIN_VALUE, -Infinity, NaN], made: (i) => i * 37 - 5 },
];

describe("typed arrays ↔ the same typed arrays", () => {
  describe.each(TYPED)("$managed", ({ managed, js, sample, made }) => {
    it("round-trips as argument and result, into a new array of the same type", () => {
      const input = js.from(sample);
      const back = call<AnyTypedArray>(`echo${managed}`, input);
      expect(back).toBeInstanceOf(js);
      expect(back).not.toBe(input);
      expect(back.buffer).not.toBe(input.buffer);
      expect(Object.is(back.length, input.length)).toBe(true);
      // Bit for bit (NaN and -0 included).
      expect(new Uint8Array(back.buffer, back.byteOffset, back.byteLength)).toEqual(new Uint8Array(input.buffer));
      expect(call<AnyTypedArray>(`echo${managed}`, new js(0))).toEqual(new js(0));
    });

    it("is read element by element by managed code", () => {
      const values = js.from([1, 2, 3, 120].map((v) => (typeof sample[0] === "bigint" ? BigInt(v) : v)));
      expect(call(`sum${managed}`, values)).toBe(126);
    });

    it("comes back from managed code as it made it", () => {
      const result = call<AnyTypedArray>(`make${managed}`, 1000);
      expect(result).toBeInstanceOf(js);
      expect(result.length).toBe(1000);
      const expected = js.from(Array.from({ length: 1000 }, (_, i) => made(i)));
      expect(result).toEqual(expected);
    });

    it("copies only the bytes of a view (byteOffset, length) into managed code", () => {
      const whole = js.from([1, 2, 3, 4, 5].map((v) => (typeof sample[0] === "bigint" ? BigInt(v) : v)));
      const view = whole.subarray(1, 4);
      expect(call(`sum${managed}`, view)).toBe(9);
      expect(call<AnyTypedArray>(`echo${managed}`, view)).toEqual(view);
    });
  });

  it("refuses another kind of typed array, a plain array, a DataView and null", () => {
    expectArgumentError("echoUint8", 1, "a", [new Int8Array(1)], "expected a Uint8Array for Uint8Array, got a Int8Array.");
    expectArgumentError("echoUint8", 1, "a", [new Uint8ClampedArray(1)], "expected a Uint8Array for Uint8Array, got a Uint8ClampedArray.");
    expectArgumentError("echoInt64", 1, "a", [new Float64Array(1)], "expected a BigInt64Array for Int64Array, got a Float64Array.");
    expectArgumentError("echoFloat64", 1, "a", [[1, 2]], "expected a Float64Array for Float64Array, got an array of length 2.");
    expectArgumentError("echoInt32", 1, "a", [new DataView(new ArrayBuffer(4))], "expected a Int32Array for Int32Array, got a DataView.");
    expectArgumentError("echoInt32", 1, "a", [null], "expected a Int32Array for Int32Array, got null.");
  });

  it("moves null for Uint8Array | null", () => {
    expect(call("echoNullableUint8", null)).toBeNull();
    expect(call("echoNullableUint8", new Uint8Array([9]))).toEqual(new Uint8Array([9]));
  });

  it("returns only the view's elements when managed code returns a subarray", () => {
    const whole = Int32Array.from({ length: 100 }, (_, i) => i);
    const middle = call<Int32Array>("middleOf", whole, 10, 13);
    expect(middle).toEqual(new Int32Array([10, 11, 12]));
    expect(middle.byteOffset).toBe(0);
    expect(middle.buffer.byteLength).toBe(12);
  });

  it("is exact for the extremes of 64-bit elements, in either int64 mode", async () => {
    const big = await runtimeWith({ int64: "bigint" });
    for (const runtime of [plain, big]) {
      expect(runtime.invokeMethod(NAME, "int64Extremes")).toEqual(new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, -1n]));
      expect(runtime.invokeMethod(NAME, "uint64Max")).toEqual(new BigUint64Array([2n ** 64n - 1n]));
    }
  });

  it("returns a copy that stays valid after managed memory grows", () => {
    const made = call<Uint8Array>("makeUint8", 16);
    const before = Array.from(made);
    // Enough to grow the memory (the echo allocates twice as much as it receives).
    call("echoUint8", new Uint8Array(32 << 20));
    expect(made.byteLength).toBe(16);
    expect(Array.from(made)).toEqual(before);
  });
});

// --- Map<string, V> -----------------------------------------------------------------------------

describe("Map<string, V> ↔ a plain object", () => {
  it("takes a plain object and returns a plain object", () => {
    const back = call<Record<string, number>>("echoMap", { a: 1, b: 2 });
    expect(back).toEqual({ a: 1, b: 2 });
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(call("mapSum", { a: 1, b: 2, c: 39 })).toBe(42);
    expect(call("mapKeys", { first: 1, second: 2 })).toBe("first|second");
    expect(call("mapGet", { "": 7 }, "")).toBe(7);
    expect(call("echoMap", {})).toEqual({});
  });

  it("takes only own enumerable string-keyed properties", () => {
    const object = Object.create({ inherited: 1 }) as Record<string | symbol, number>;
    object.own = 2;
    Object.defineProperty(object, "hidden", { value: 3, enumerable: false });
    object[Symbol("symbol")] = 4;
    expect(call("echoMap", object)).toEqual({ own: 2 });
  });

  it("also takes a JS Map whose keys are strings", () => {
    expect(call("echoMap", new Map([["a", 1], ["b", 2]]))).toEqual({ a: 1, b: 2 });
    expect(call("mapKeys", new Map([["z", 1], ["y", 2]]))).toBe("z|y");
  });

  it("returns what managed code made, keys in insertion order", () => {
    const made = call<Record<string, number>>("makeMap", 4);
    expect(made).toEqual({ k0: 0, k1: 1, k2: 4, k3: 9 });
    expect(Object.keys(made)).toEqual(["k0", "k1", "k2", "k3"]);
    expect(Object.keys(call("makeMap", 1000) as object)).toHaveLength(1000);
  });

  it("keeps '__proto__' an own property, never the prototype, in both directions", () => {
    const made = call<Record<string, string>>("protoMap");
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
    expect(Object.hasOwn(made, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(made, "__proto__")?.value).toBe("own");
    expect(made.constructor).toBe("also own");
    expect(Object.keys(made)).toEqual(["__proto__", "constructor"]);

    const input = JSON.parse('{"__proto__": 5, "x": 1}') as Record<string, number>;
    expect(call("mapKeys", input)).toBe("__proto__|x");
    expect(call("mapGet", input, "__proto__")).toBe(5);
    const back = call<Record<string, number>>("echoMap", input);
    expect(Object.getOwnPropertyDescriptor(back, "__proto__")?.value).toBe(5);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("moves null for Map | null, null values of Map<string, string | null>, and nested maps, lists, structs, typed arrays", () => {
    expect(call("echoNullableMap", null)).toBeNull();
    expect(call("echoNullableMap", undefined)).toBeNull();
    expect(call("echoStringMap", { a: null, b: "x", "😀": "\ud800" })).toEqual({ a: null, b: "x", "😀": "\ud800" });
    const nested = { outer: { inner: 1.5 }, empty: {} };
    expect(call("echoNestedMap", nested)).toEqual(nested);
    expect(call("echoListMap", { a: [1, 2], b: [] })).toEqual({ a: [1, 2], b: [] });
    expect(call("echoPointMap", { p: { x: 1, y: 2 } })).toEqual({ p: { x: 1, y: 2 } });
    const typed = call<Record<string, Int32Array>>("echoTypedMap", { a: new Int32Array([1, 2]), b: new Int32Array(0) });
    expect(typed.a).toBeInstanceOf(Int32Array);
    expect(typed).toEqual({ a: new Int32Array([1, 2]), b: new Int32Array(0) });
    expect(call("typedMapSum", { a: new Int32Array([1, 2]), b: new Int32Array([39]) })).toBe(42);
  });

  it("refuses a JS Map with a key that is not a string, naming the key", () => {
    expectArgumentError("echoMap", 1, "m", [new Map<unknown, number>([["a", 1], [2, 2]])], "expected a Map with string keys only, got number 2.");
    expectArgumentError("echoMap", 1, "m", [new Map([[Symbol.iterator, 1]])], "expected a Map with string keys only, got a symbol.");
  });

  it("refuses what is not an object, and a bad value, naming its key", () => {
    const OBJECT = "expected an object (string keys) for a Map<string, V>, got ";
    expectArgumentError("echoMap", 1, "m", [[1, 2]], `${OBJECT}an array of length 2.`);
    expectArgumentError("echoMap", 1, "m", ["a=1"], `${OBJECT}the string "a=1".`);
    expectArgumentError("echoMap", 1, "m", [new Uint8Array(1)], `${OBJECT}a Uint8Array.`);
    expectArgumentError("echoMap", 1, "m", [null], "expected Map<string, i32> (it is not nullable), got null.");
    expectArgumentError("echoMap", 1, "m", [{ a: 1, b: "2" }], /^at \["b"\]: expected i32 .*, got the string "2"\.$/);
    expectArgumentError("echoNestedMap", 1, "m", [{ o: { "a b": "x" } }], /^at \["o"\]\["a b"\]: expected a number \(f64\), got the string "x"\.$/);
  });
});

// --- structs --------------------------------------------------------------------------------------

describe("@dataMember classes ↔ plain objects", () => {
  it("round-trips, as a new plain object with exactly the marked fields", () => {
    const back = call<Record<string, unknown>>("echoPoint", { x: 1.5, y: -2 });
    expect(back).toEqual({ x: 1.5, y: -2 });
    expect(Object.keys(back)).toEqual(["x", "y"]);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(call("pointSum", { x: 40, y: 2 })).toBe(42);
  });

  it("leaves out unmarked fields managed → JS, and keeps their constructor values JS → managed", () => {
    expect(call("makePoint", 1, 2)).toEqual({ x: 1, y: 2 });
    expect(Object.keys(call("makePoint", 1, 2) as object)).toEqual(["x", "y"]);
    expect(call("pointHidden", { x: 0, y: 0, hidden: 1234 })).toBe(7);
  });

  it("ignores extra JS properties, own or inherited", () => {
    const extra = Object.assign(Object.create({ inherited: true }), { x: 1, y: 2, z: 3, label: "x" });
    expect(call("echoPoint", extra)).toEqual({ x: 1, y: 2 });
  });

  it("reads fields through getters and from class instances, as property reads", () => {
    class JsPoint {
      constructor(readonly x: number, private readonly _y: number) {}
      get y() {
        return this._y;
      }
    }
    expect(call("echoPoint", new JsPoint(3, 4))).toEqual({ x: 3, y: 4 });
  });

  it("moves every kind of field, and managed code sees each where it belongs", () => {
    const wide = {
      i8v: -128, u8v: 255, i16v: -32768, u16v: 65535, i32v: -(2 ** 31), u32v: 2 ** 32 - 1,
      i64v: -(2 ** 53) + 1, u64v: 2n ** 64n - 1n, f32v: 0.5, f64v: Math.PI, flag: true, letter: "\ud83d",
      text: "tëxt 😀 \udc00", maybeText: null, when: new Date(1700000000123), maybeWhen: new Date(-5),
      id: "382C74C3-721D-4F34-80E5-57657B6CBC27", maybeId: null, color: 10,
      bytes: new Uint8Array([1, 2, 3]), doubles: new Float64Array([0.25]), longs: new BigInt64Array([-1n, 2n]), maybeBytes: null,
      scores: { a: 1, "": 2 }, list: ["p", "q"], fixed: [7, -7], nested: [[1, 2], []], point: { x: 9, y: 8 }, maybePoint: { x: 0, y: 6 },
      secret: "ignored", counter: 0,
    };
    expect(call("describeWide", wide)).toBe(
      [
        "-128", "255", "-32768", "65535", "-2147483648", "4294967295", "-9007199254740991", "18446744073709551615",
        "0.5", "3.141592653589793", "true", "\ud83d", "tëxt 😀 \udc00", "null", "1700000000123", "-5",
        "382c74c3-721d-4f34-80e5-57657b6cbc27", "null", "10", "3", "1", "2", "null", "2", "p,q", "2", "2", "9.0", "6.0",
        "from the constructor", "42",
      ].join(";"),
    );
  });

  it("returns every kind of field as the matching JS value", () => {
    const made = call<Record<string, unknown>>("makeWide");
    expect(made).toEqual({
      i8v: -128, u8v: 255, i16v: -32768, u16v: 65535, i32v: -(2 ** 31), u32v: 2 ** 32 - 1,
      i64v: -9007199254740991, u64v: 9007199254740991, f32v: 0.5, f64v: -1e300, flag: true, letter: "☺",
      text: "héllo 😀", maybeText: null, when: new Date(1700000000123), maybeWhen: null,
      id: "382c74c3-721d-4f34-80e5-57657b6cbc27", maybeId: null, color: 1,
      bytes: new Uint8Array([1, 2, 255]), doubles: new Float64Array([0.25, -0]), longs: new BigInt64Array([-5n]), maybeBytes: null,
      scores: { a: 1.5, b: -2 }, list: ["x", "", "z"], fixed: [1, -2, 3], nested: [[1], [], [2, 3]],
      point: { x: 3, y: 4 }, maybePoint: null,
    });
    expect(made.bytes).toBeInstanceOf(Uint8Array);
    expect(made.longs).toBeInstanceOf(BigInt64Array);
    expect(made.when).toBeInstanceOf(Date);
    expect(Object.is((made.doubles as Float64Array)[1], -0)).toBe(true);
    expect(made).not.toHaveProperty("secret");
    expect(made).not.toHaveProperty("counter");
    // And what came out goes back in unchanged.
    expect(call("echoWide", made)).toEqual(made);
  });

  it("nests to any depth within maxDepth, with null for nullable struct fields", () => {
    expect(call("echoLine", { from: { x: 0, y: 0 }, to: null, label: "open" })).toEqual({ from: { x: 0, y: 0 }, to: null, label: "open" });
    expect(call("lineLength", { from: { x: 0, y: 0 }, to: { x: 3, y: 4 }, label: "" })).toBe(5);
    expect(call("lineLength", { from: { x: 0, y: 0 }, to: undefined, label: "" })).toBe(-1);
    expect(call("echoNullablePoint", null)).toBeNull();
    expect(call("echoNullablePoint", undefined)).toBeNull();
    expect(call("echoNullablePoints", [null, { x: 1, y: 1 }, null])).toEqual([null, { x: 1, y: 1 }, null]);
    const deep = chainOf(40);
    expect(call("nodeDepth", deep)).toBe(40);
    expect(call("echoNode", deep)).toEqual(deep);
    expect(call("chain", 40)).toEqual(deep);
  });

  it("moves arrays of structs both ways", () => {
    // y = -i, except that managed code makes 0 from -0 (an integer negated), so start at 1.
    const points = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i === 0 ? 0 : -i }));
    expect(call("echoPoints", points)).toEqual(points);
    expect(call("pointsSum", [{ x: 1, y: 2 }, { x: 3, y: 4 }])).toBe(10);
    expect(call("makePoints", 1000)).toEqual(points);
    expect(call("echoPoints", [])).toEqual([]);
  });

  it("refuses a missing field, naming the path to it", () => {
    expectArgumentError("echoPoint", 1, "p", [{ x: 1 }], "at .y: expected a number (f64), got undefined.");
    expectArgumentError("echoLine", 1, "l", [{ from: { x: 1, y: 2 }, to: { x: 1 }, label: "" }], "at .to.y: expected a number (f64), got undefined.");
    expectArgumentError("echoLine", 1, "l", [{ to: null, label: "" }], "at .from: expected Point (it is not nullable), got undefined.");
    expectArgumentError("echoPoints", 1, "a", [[{ x: 1, y: 1 }, { x: 1, y: "1" }]], 'at [1].y: expected a number (f64), got the string "1".');
    expectArgumentError("echoPointMap", 1, "m", [{ k: { y: 1 } }], 'at ["k"].x: expected a number (f64), got undefined.');
  });

  it("refuses what is not an object", () => {
    expectArgumentError("echoPoint", 1, "p", [[1, 2]], "expected an object for Point, got an array of length 2.");
    expectArgumentError("echoPoint", 1, "p", ["x"], 'expected an object for Point, got the string "x".');
    expectArgumentError("echoPoint", 1, "p", [null], "expected Point (it is not nullable), got null.");
  });

  it("moves 64-bit fields as numbers (exact within ±2^53) or BigInts, as the assembly's int64 option says", async () => {
    const big = await runtimeWith({ int64: "bigint" });
    expect(call("echoLongs", { signed: -(2 ** 53) + 1, unsigned: 2 ** 53 - 1 })).toEqual({ signed: -(2 ** 53) + 1, unsigned: 2 ** 53 - 1 });
    expect(call("longsText", { signed: -5n, unsigned: 2n ** 64n - 1n })).toBe("-5 18446744073709551615");
    expect(big.invokeMethod(NAME, "echoLongs", { signed: -(2n ** 63n), unsigned: 2n ** 64n - 1n })).toEqual({
      signed: -(2n ** 63n),
      unsigned: 2n ** 64n - 1n,
    });
    expect(big.invokeMethod(NAME, "makeLongs", 1n, 2n)).toEqual({ signed: 1n, unsigned: 2n });
    expectResultError(plain, "makeLongs", [0n, 2n ** 64n - 1n], /the u64 value 18446744073709551615 is beyond ±2\^53 .*\{ int64: "bigint" \}/);
    expectArgumentError("echoLongs", 1, "l", [{ signed: 2 ** 53, unsigned: 0 }], /^at \.signed: expected i64 .* \(beyond ±2\^53 a number is not exact: pass a BigInt\), got number 9007199254740992\.$/);
    expectArgumentError("echoLongs", 1, "l", [{ signed: 0, unsigned: -1n }], /^at \.unsigned: expected u64 \(an integer from 0 to 18446744073709551615\), got bigint -1n\.$/);
  });

  it("keeps lone surrogates and every code unit in strings inside structs, maps and arrays", () => {
    const odd = ["\ud800", "\udc00x", `${"y".repeat(100)}\udbff`, "\ufffe\uffff", "\0", "😀".repeat(50)];
    const wide = call<Record<string, unknown>>("makeWide");
    for (const text of odd) {
      const back = call<Record<string, unknown>>("echoWide", { ...wide, text, maybeText: text, list: [text, text] });
      expect(back.text).toBe(text);
      expect(back.maybeText).toBe(text);
      expect(back.list).toEqual([text, text]);
      expect(call("echoStringMap", { [text]: text })).toEqual({ [text]: text });
    }
  });

  it("moves typed arrays inside structs, maps and arrays (the encoded path)", () => {
    const wide = call<Record<string, unknown>>("makeWide");
    const bytes = Uint8Array.from({ length: 1001 }, (_, i) => i & 0xff);
    const longs = new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]);
    const back = call<Record<string, unknown>>("echoWide", { ...wide, bytes, longs, maybeBytes: bytes.subarray(1, 4) });
    expect(back.bytes).toEqual(bytes);
    expect(back.longs).toEqual(longs);
    expect(back.maybeBytes).toEqual(new Uint8Array([1, 2, 3]));
    const arrays = [new Float32Array([1.5]), new Float32Array(0), new Float32Array([NaN, -0])];
    expect(call("echoTypedArrays", arrays)).toEqual(arrays);
    expectArgumentError("echoTypedArrays", 1, "a", [[new Float32Array(1), new Float64Array(1)]], "at [1]: expected a Float32Array, got a Float64Array.");
  });
});

describe("containers of every element kind inside encoded values", () => {
  const containers = {
    flags: [true, true, false], letters: ["a", "\ud800"], longs: [-5, 2 ** 53 - 1], floats: [0.5, -1.25],
    fixedPoints: [{ x: 1, y: 0 }, { x: 2, y: 0 }], guids: ["382c74c3-721d-4f34-80e5-57657b6cbc27"], dates: [new Date(5), null],
    byName: { a: [{ x: 1, y: 1 }, null], b: [] }, maps: [{ k: { x: 3, y: 3 } }, {}], when: { t: new Date(7) }, bytes: [1, 2, 3],
  };

  it("round-trips bool[], char[], i64[], f32[], StaticArray<struct>, Guid[], Array<Date | null>, maps of lists, lists of maps", () => {
    expect(call("echoContainers", containers)).toEqual(containers);
    expect(call("describeContainers", containers)).toBe("3,t,2,-5,2,382c74c3-721d-4f34-80e5-57657b6cbc27,2,3");
    const empty = { flags: [], letters: [], longs: [], floats: [], fixedPoints: [], guids: [], dates: [], byName: {}, maps: [], when: {}, bytes: [] };
    expect(call("echoContainers", empty)).toEqual(empty);
  });

  it("names the element that is wrong, deep inside", () => {
    expectArgumentError("echoContainers", 1, "c", [{ ...containers, flags: [true, 1] }], "at .flags[1]: expected a boolean, got number 1.");
    expectArgumentError("echoContainers", 1, "c", [{ ...containers, bytes: [1, 256] }], "at .bytes[1]: expected u8 (an integer from 0 to 255), got number 256.");
    expectArgumentError("echoContainers", 1, "c", [{ ...containers, byName: { a: [{ x: 1 }] } }], 'at .byName["a"][0].y: expected a number (f64), got undefined.');
    expectArgumentError("echoContainers", 1, "c", [{ ...containers, guids: ["nope"] }], /^at \.guids\[0\]: expected a Guid string/);
  });

  it("keeps several encoded arguments alive while the others are allocated (2000 calls)", () => {
    for (let i = 0; i < 2000; ++i) {
      const label = "x".repeat(i % 50);
      expect(call("sumOfPoints", { x: i, y: 0 }, { x: 1, y: 0 }, label, { x: 2, y: 0 })).toBe(i + 3 + label.length);
    }
  });
});

function chainOf(length: number): Record<string, unknown> {
  let node: Record<string, unknown> | null = null;
  for (let value = length - 1; value >= 0; --value) node = { value, next: node, children: [] };
  return node!;
}

// --- jagged and "multidimensional" arrays ---------------------------------------------------------

describe("jagged arrays; multidimensional is an error", () => {
  it("round-trips arrays of arrays of different lengths", () => {
    const jagged = [[1], [], [2, 3, 4], [-5]];
    expect(call("echoJagged", jagged)).toEqual(jagged);
    expect(call("jaggedShape", jagged)).toBe("1,0,3,1");
    expect(call("echoJaggedStrings", [["a"], [], ["b", "😀"]])).toEqual([["a"], [], ["b", "😀"]]);
    expect(call("echoJaggedStatic", [[0.5], [1, 2]])).toEqual([[0.5], [1, 2]]);
    expect(call("echoJagged3", [[[1], []], [], [[255, 0]]])).toEqual([[[1], []], [], [[255, 0]]]);
    const points = [[{ x: 1, y: 2 }], [], [{ x: 3, y: 4 }, { x: 5, y: 6 }]];
    expect(call("echoJaggedPoints", points)).toEqual(points);
  });

  it("strings inside a value arrive exact at every length, whether copied by the short loop or in bulk", () => {
    // Each string's code units differ from its neighbours', with lone surrogates among them, so a
    // copy that is short, long or shifted by a unit shows.
    const text = (length: number) => Array.from({ length }, (_, i) => String.fromCharCode(((length * 131 + i * 7919) % 0xffff) + 1)).join("");
    // A map's keys and values cross in the wire format (an array of strings crosses directly).
    const map = Object.fromEntries(Array.from({ length: 130 }, (_, length) => [`${length}:${text(length)}`, text(length)]));
    expect(call("echoStringMap", map)).toEqual(map);
  });

  it("says which element is wrong when a 2-D array is passed for a 1-D one", () => {
    expectArgumentError("echoFlat", 1, "a", [[[1, 2], [3, 4]]], "at [0]: expected i32 (an integer from -2147483648 to 2147483647), got an array of length 2.");
    expectArgumentError("echoJagged", 1, "a", [[[1], 2]], "at [1]: expected an array for Array<i32>, got number 2.");
    expectArgumentError("echoJagged3", 1, "a", [[[[1], [2, 256]]]], "at [0][1][1]: expected u8 (an integer from 0 to 255), got number 256.");
  });
});

// --- object graphs ------------------------------------------------------------------------------

const CYCLE = (depth: number) =>
  "A possible object cycle was detected. This can either be due to a cycle or if the object depth is larger than the " +
  `maximum allowed depth of ${depth}. Consider loading the assembly with { preserveReferences: true } to support cycles.`;

describe("object cycles and depth (System.Text.Json's rules by default)", () => {
  it("refuses a cyclic JS object with System.Text.Json's message", () => {
    const node: Record<string, unknown> = { value: 1, next: null, children: [] };
    node.next = node;
    const error = expectArgumentError("echoNode", 1, "n", [node], /A possible object cycle was detected/);
    expect(error.message.endsWith(`${CYCLE(64)}`)).toBe(true);
    const child: Record<string, unknown> = { value: 2, next: null, children: [] };
    const parent = { value: 1, next: null, children: [child] };
    child.children = [parent];
    expectArgumentError("identities", 1, "n", [parent], /: A possible object cycle was detected\./);
  });

  /** Managed code detects it while encoding its result: the managed error is the cause. */
  function expectManagedCycle(run: () => unknown, depth: number): void {
    const error = thrown(run);
    expect(error).toBeInstanceOf(InteropError);
    expect((error as InteropError).message).toBe(CYCLE(depth));
    expect((error as InteropError).cause).toBeInstanceOf(ManagedError);
    expect(((error as InteropError).cause as ManagedError).managedMessage).toBe(CYCLE(depth));
  }

  it("refuses a cyclic managed graph with the same message, and the instance keeps working", () => {
    for (const method of ["selfCycle", "ring"]) expectManagedCycle(() => call(method), 64);
    expect(call("pointSum", { x: 1, y: 1 })).toBe(2);
  });

  // chainOf(n) is n nested objects plus the last one's (empty) children array: n + 1 levels, as
  // System.Text.Json counts them ({"children":[]} is 2 deep).
  it("refuses a graph deeper than maxDepth (64 by default) in either direction, with the same message", () => {
    expect(call("nodeDepth", chainOf(63))).toBe(63);
    expectArgumentError("nodeDepth", 1, "n", [chainOf(64)], /^at …[.a-z]+: A possible object cycle was detected\. .* maximum allowed depth of 64\./);
    expect(call("chain", 63)).toEqual(chainOf(63));
    expectManagedCycle(() => call("chain", 64), 64);
  });

  it("counts a value inside a container one level deeper, as System.Text.Json does", async () => {
    // System.Text.Json refuses to write any value once the writer is MaxDepth deep, so {"a":"x"}
    // needs MaxDepth 2; strings, dates and GUIDs count here the same way.
    const one = await runtimeWith({ maxDepth: 1 });
    const two = await runtimeWith({ maxDepth: 2 });
    expect(() => one.invokeMethod(NAME, "echoStringMap", { a: "x" })).toThrow(CYCLE(1));
    expect(two.invokeMethod(NAME, "echoStringMap", { a: "x" })).toEqual({ a: "x" });
    expect(() => one.invokeMethod(NAME, "echoDates", [new Date(0)])).toThrow(CYCLE(1));
    expect(two.invokeMethod(NAME, "echoDates", [new Date(0)])).toEqual([new Date(0)]);
    expect(one.invokeMethod(NAME, "echoMap", {})).toEqual({});
  });

  it("follows the maxDepth option in both directions", async () => {
    const shallow = await runtimeWith({ maxDepth: 8 });
    expect(shallow.invokeMethod(NAME, "nodeDepth", chainOf(7))).toBe(7);
    expect(shallow.invokeMethod(NAME, "chain", 7)).toEqual(chainOf(7));
    expect(() => shallow.invokeMethod(NAME, "nodeDepth", chainOf(8))).toThrow(CYCLE(8));
    expectManagedCycle(() => shallow.invokeMethod(NAME, "chain", 8), 8);

    const deep = await runtimeWith({ maxDepth: 500 });
    expect(deep.invokeMethod(NAME, "nodeDepth", chainOf(499))).toBe(499);
    expect(deep.invokeMethod(NAME, "chain", 499)).toEqual(chainOf(499));
    expect(() => deep.invokeMethod(NAME, "nodeDepth", chainOf(500))).toThrow(CYCLE(500));
    expectManagedCycle(() => deep.invokeMethod(NAME, "chain", 500), 500);
  });

  it("copies a shared (acyclic) object twice by default, as System.Text.Json does", () => {
    const child = { value: 5, next: null, children: [] };
    const back = call<{ children: unknown[]; next: unknown }>("echoNode", { value: 0, next: child, children: [child, child] });
    expect(back.children[0]).toEqual(child);
    expect(back.children[0]).not.toBe(back.children[1]);
    expect(call("identities", { value: 0, next: child, children: [child, child] })).toBe("");
    const shared = call<{ children: unknown[]; next: unknown }>("sharedChild");
    expect(shared.children[0]).not.toBe(shared.children[1]);
  });
});

describe("preserveReferences: shared and cyclic graphs keep their identity", () => {
  let preserve: InteropRuntime;
  beforeAll(async () => {
    preserve = await runtimeWith({ preserveReferences: true });
  });
  const callP = <T = unknown>(method: string, ...args: unknown[]): T => preserve.invokeMethod<T>(NAME, method, ...args);

  it("JS → managed: a self-cycle, a ring and a shared child are the same objects in managed code", () => {
    const self: Record<string, unknown> = { value: 1, next: null, children: [] };
    self.next = self;
    expect(callP("identities", self)).toBe("selfNext ");
    const child = { value: 5, next: null, children: [] };
    expect(callP("identities", { value: 0, next: child, children: [child, child] })).toBe("sameChildren nextIsChild ");
    const a: Record<string, unknown> = { value: 1, next: null, children: [] };
    const b = { value: 2, next: { value: 3, next: a, children: [] }, children: [] };
    a.next = b;
    expect(callP("identities", a)).toBe("ring");
  });

  it("managed → JS: the same graphs come back with their identity", () => {
    const self = callP<{ value: number; next: unknown }>("selfCycle");
    expect(self.next).toBe(self);
    const shared = callP<{ children: unknown[]; next: unknown }>("sharedChild");
    expect(shared.children[0]).toBe(shared.children[1]);
    expect(shared.next).toBe(shared.children[0]);
    const ring = callP<{ value: number; next: { value: number; next: { value: number; next: unknown } } }>("ring");
    expect([ring.value, ring.next.value, ring.next.next.value]).toEqual([1, 2, 3]);
    expect(ring.next.next.next).toBe(ring);
  });

  it("round-trips a cyclic, shared graph with its identity intact", () => {
    const root: Record<string, unknown> = { value: 0, next: null, children: [] };
    const child = { value: 1, next: root, children: [] as unknown[] };
    child.children = [child];
    root.children = [child, child];
    root.next = child;
    const back = callP<{ next: { next: unknown; children: unknown[] }; children: unknown[] }>("echoNode", root);
    expect(back).not.toBe(root);
    expect(back.children[0]).toBe(back.children[1]);
    expect(back.next).toBe(back.children[0]);
    expect(back.next.next).toBe(back);
    expect(back.next.children[0]).toBe(back.next);
  });

  it("keeps shared arrays, maps and typed arrays inside encoded values", () => {
    const inner = [1, 2];
    const point = { x: 1, y: 2 };
    const back = callP<Record<string, { x: number }>>("echoPointMap", { a: point, b: point });
    expect(back.a).toBe(back.b);
    const jagged = callP<unknown[][]>("echoJaggedPoints", [[point], [point]]);
    expect(jagged[0][0]).toBe(jagged[1][0]);
    const typed = new Float32Array([1]);
    const arrays = callP<Float32Array[]>("echoTypedArrays", [typed, typed]);
    expect(arrays[0]).toBe(arrays[1]);
    expect(arrays[0]).toEqual(typed);
    expect(callP("echoListMap", { a: inner, b: inner })).toEqual({ a: [1, 2], b: [1, 2] });
    const lists = callP<Record<string, number[]>>("echoListMap", { a: inner, b: inner });
    expect(lists.a).toBe(lists.b);
  });

  it("one JS value met as two different types becomes a managed value of each type", () => {
    // Regression (host/marshal/wire/encode.ts), fixed: before, meeting the array again as f32[] wrote a
    // back-reference to the i64[] made of it, and managed code got an i64[] where it expects an f32[].
    const numbers = [1, 2];
    const point = { x: 1, y: 2 };
    const empty = { flags: [], letters: [], guids: [], dates: [], maps: [], when: {} };
    const back = callP<{ longs: number[]; floats: number[]; bytes: number[]; fixedPoints: unknown[]; byName: Record<string, unknown[]> }>(
      "echoContainers",
      { ...empty, longs: numbers, floats: numbers, bytes: numbers, fixedPoints: [point], byName: { a: [point] } },
    );
    expect([back.longs, back.floats, back.bytes]).toEqual([numbers, numbers, numbers]);
    // Met twice as the same type, it is still one value.
    expect(back.fixedPoints[0]).toBe(back.byName.a[0]);
  });

  it("keeps shared arrays in directly-crossing arrays of arrays as well", () => {
    // Array<Array<i32>> crosses directly (no encoding), but the option is the assembly's, so a
    // shared inner array should still be one array on the other side.
    const inner = [1, 2];
    expect(callP("sameArrays", [inner, inner])).toBe(true);
    const shared = callP<number[][]>("sharedArrays");
    expect(shared[0]).toBe(shared[1]);
    // Met as two array types, it is an array of each: an Array<i32> must never stand for an Array<string>.
    const empty: never[] = [];
    expect(callP("sameAcrossKinds", [empty], [empty])).toBe(false);
  });

  it("still bounds nesting by maxDepth, in both directions", async () => {
    const bounded = await runtimeWith({ preserveReferences: true, maxDepth: 8 });
    expect(bounded.invokeMethod(NAME, "nodeDepth", chainOf(7))).toBe(7);
    // Preserving already, so the message does not suggest it.
    const depthOnly = CYCLE(8).replace(/ Consider .*$/, "");
    for (const deep of [() => bounded.invokeMethod(NAME, "nodeDepth", chainOf(8)), () => bounded.invokeMethod(NAME, "chain", 8)]) {
      expect(deep).toThrow(depthOnly);
      expect(deep).not.toThrow(/Consider/);
    }
    expect(bounded.invokeMethod(NAME, "chain", 7)).toEqual(chainOf(7));
  });

  it("still moves plain values and trees unchanged", () => {
    expect(callP("echoPoint", { x: 1, y: 2 })).toEqual({ x: 1, y: 2 });
    expect(callP("echoNode", chainOf(10))).toEqual(chainOf(10));
    expect(callP("echoWide", call("makeWide"))).toEqual(call("makeWide"));
  });
});

// --- JS code running during encoding ----------------------------------------------------------------

describe("getters that run while a value is encoded", () => {
  it("may call into the same assembly (re-entrant encoding) without disturbing the outer call", () => {
    const outer = {
      get x() {
        // A nested call encodes its own struct while the outer one is half written.
        return call<number>("pointSum", { x: 20, y: 1 });
      },
      y: 21,
      label: "outer",
    };
    expect(call("pointSum", outer)).toBe(42);
    const points = [{ x: 1, y: 1 }, { get x() { return call<{ x: number }>("echoPoint", { x: 5, y: 0 }).x; }, y: 0 }, { x: 1, y: 1 }];
    expect(call("echoPoints", points)).toEqual([{ x: 1, y: 1 }, { x: 5, y: 0 }, { x: 1, y: 1 }]);
  });

  it("may call in while an earlier argument waits in the input buffer, which the nested call must not reuse", () => {
    // sumOfPoints' first point is encoded into the instance's one input buffer (ManagedHeap.newInput);
    // the third argument's getter makes a nested call with encoded input of its own, larger and
    // smaller than the first, before the outer call has decoded anything.
    for (const size of [1, 5000]) {
      const third = {
        get x() {
          const nested = Array.from({ length: size }, (_, i) => ({ x: i, y: 0 }));
          return call<{ x: number }[]>("echoPoints", nested).length;
        },
        y: 0,
      };
      expect(call("sumOfPoints", { x: 40, y: 0 }, { x: 1, y: 0 }, "ab", third)).toBe(40 + 1 + 2 + size);
    }
    // And calls in a row share that buffer, whatever size each input is.
    for (const size of [3, 3000, 2, 40_000, 1]) {
      const points = Array.from({ length: size }, (_, i) => ({ x: i, y: -i }));
      expect(call("echoPoints", points)).toEqual(points);
    }
  });

  it("may throw: the caller gets that error unchanged, and the next call works", () => {
    const boom = new Error("getter failed");
    const bad = {
      x: 1,
      get y(): number {
        throw boom;
      },
    };
    expect(thrown(() => call("pointSum", bad))).toBe(boom);
    expect(call("pointSum", { x: 1, y: 2 })).toBe(3);
    expect(call("echoWide", call("makeWide"))).toEqual(call("makeWide"));
  });
});

// --- memory growth while marshaling ----------------------------------------------------------------

describe("memory growth in the middle of a call", () => {
  it("never detaches or corrupts what is being written or read", async () => {
    const fresh = new InteropRuntime();
    const assembly = await fresh.loadAssembly(module, { name: NAME });
    const memory = assembly.heap.runtime.memory;
    const before = memory.buffer.byteLength;
    const points = Array.from({ length: 200_000 }, (_, i) => ({ x: i, y: i / 2 }));
    const back = fresh.invokeMethod<{ x: number; y: number }[]>(NAME, "echoPoints", points);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    expect(back).toHaveLength(points.length);
    expect(back[199_999]).toEqual({ x: 199_999, y: 199_999 / 2 });
    expect(back).toEqual(points);
    const map = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key ${i}`, i]));
    expect(fresh.invokeMethod(NAME, "echoMap", map)).toEqual(map);
  });

  it("takes a typed array that views the instance's own memory, though allocating for it grows that memory", async () => {
    const fresh = new InteropRuntime();
    const assembly = await fresh.loadAssembly(module, { name: NAME });
    const memory = assembly.heap.runtime.memory;
    // All of memory as the argument: the copy cannot fit without growing it.
    const view = new Uint8Array(memory.buffer);
    const expected = view.slice();
    const size = memory.buffer.byteLength;
    expect(fresh.invokeMethod(NAME, "echoUint8", view)).toEqual(expected);
    expect(memory.buffer.byteLength).toBeGreaterThan(size);
    // The same for the elements of an i32[].
    const ints = new Int32Array(memory.buffer);
    const expectedInts = [...ints];
    expect(fresh.invokeMethod(NAME, "echoFlat", ints)).toEqual(expectedInts);
  });

  it("takes several arguments, or elements, that view the instance's memory, though each allocation may grow it", async () => {
    const fresh = new InteropRuntime();
    const assembly = await fresh.loadAssembly(module, { name: NAME });
    const memory = assembly.heap.runtime.memory;
    // The first argument's copy grows memory, which would detach the second before its turn.
    const whole = () => new Uint8Array(memory.buffer);
    let a = whole();
    let b = a.subarray(0, 4096);
    let expected = new Uint8Array([...a, ...b]);
    expect(fresh.invokeMethod(NAME, "concatUint8", a, b)).toEqual(expected);
    a = whole();
    b = a.subarray(100, 300);
    expected = new Uint8Array([...a.subarray(0, 5000), ...b]);
    const parts = fresh.invokeMethod<Uint8Array[]>(NAME, "echoUint8s", [a.subarray(0, 5000), b, whole()]);
    expect(parts[0]).toEqual(expected.subarray(0, 5000));
    expect(parts[1]).toEqual(expected.subarray(5000));
    expect(parts[2].length).toBeGreaterThan(5000);
    // Deeper: lowering the first inner array grows memory before the second's turn comes.
    a = whole();
    b = a.subarray(100, 300);
    expected = b.slice();
    const size = a.length;
    const jagged = fresh.invokeMethod<number[][][]>(NAME, "echoJagged3", [[a], [b]]);
    expect(jagged[0][0].length).toBe(size);
    expect(jagged[1][0]).toEqual([...expected]);
  });

  it("fills an array whose element getter calls in and grows memory halfway", async () => {
    const fresh = new InteropRuntime();
    const assembly = await fresh.loadAssembly(module, { name: NAME });
    const memory = assembly.heap.runtime.memory;
    const size = memory.buffer.byteLength;
    const values = [1, 2, 3, 4];
    Object.defineProperty(values, 1, {
      get: () => {
        fresh.invokeMethod(NAME, "sumUint8", new Uint8Array(4 * size));
        return 2;
      },
    });
    expect(fresh.invokeMethod(NAME, "echoFlat", values)).toEqual([1, 2, 3, 4]);
    expect(memory.buffer.byteLength).toBeGreaterThan(size);
  });
});
