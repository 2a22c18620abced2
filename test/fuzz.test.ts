/**
 * Property-based tests (issue 9), with fast-check:
 *
 * - every by-value type of the fuzz fixture, direct and encoded: a random valid value round-trips
 *   JS → managed → JS equal (normalized as the marshaling table says), in both int64 modes;
 * - random JS values, random argument counts and values of random other types for every method:
 *   a result or a clear error (InteropError, MarshalError, ManagedError), never anything else,
 *   and the instance still answers;
 * - random and damaged bytes into every decoder: the JS wire decoder, the JS tagged decoder, the
 *   managed wire decoders (calling the generated export with a buffer the JS encoder never saw)
 *   and the managed tagged reader: a value or a clean error, never a poisoned instance.
 *
 * FUZZ_RUNS sets the runs per property (default 200; e.g. FUZZ_RUNS=20000 for a long local run),
 * FUZZ_SEED replays a failure.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AssemblyPoisonedError,
  InteropError,
  InteropRuntime,
  MarshalError,
  type LoadedAssembly,
  type MethodDescriptor,
  type TypeDescriptor,
} from "../host/runtime/index.ts";
import { defaultMarshalOptions, type MarshalContext, type MarshalOptions } from "../host/marshal/codec.ts";
import { ARRAY_BUFFER_ID } from "../host/marshal/heap.ts";
import type { StructDescriptor } from "../host/marshal/types.ts";
import { decoderFor, WireReader } from "../host/marshal/wire/decode.ts";
import { encodedCodec } from "../host/marshal/wire/codec.ts";
import { encoderFor, WireWriter } from "../host/marshal/wire/encode.ts";
import { decodeArguments, decodeValue, encodeTagged } from "../host/js/tagged.ts";
import { compileFixture, thrown } from "./helpers.ts";
import { countFromEnv, figure, isCleanError } from "./reliability-helpers.ts";

const NAME = "fuzz";
const RUNS = countFromEnv("FUZZ_RUNS", 200);
const SEED = process.env["FUZZ_SEED"] === undefined ? undefined : Number(process.env["FUZZ_SEED"]);
const settings = { numRuns: RUNS, seed: SEED };

let module: WebAssembly.Module;
let structs: Readonly<Record<string, StructDescriptor>>;
let methods: readonly MethodDescriptor[];

beforeAll(async () => {
  // 16 MiB of linear memory at most: plenty for these values, and a cap an embedder would set.
  const compiled = await compileFixture(NAME, { maximumMemory: 256 });
  module = compiled.module;
  structs = compiled.manifest.structs;
  methods = compiled.manifest.methods;
});

/** A runtime with the fixture loaded; `healthy()` reloads it after a poisoning so shrinking can go on. */
async function loaded(options: Partial<MarshalOptions> = {}) {
  const runtime = new InteropRuntime();
  await runtime.loadAssembly(module, options);
  const assembly = () => runtime.getAssembly(NAME)!;
  return {
    runtime,
    assembly,
    call: (method: string, args: readonly unknown[]) => runtime.invokeMethod(NAME, method, ...args),
    async healthy(): Promise<LoadedAssembly> {
      if (assembly().boundary.poisoned) await runtime.reloadAssembly(NAME);
      return assembly();
    },
  };
}

// -------------------------------------------------------------------------------------------------
// Values for a type, and what they become after a round trip

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** Any UTF-16: lone surrogates, BMP, pairs; short ones and ones past the decoder's 32-unit fast path. */
const anyString = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: codeUnit, minLength: 33, maxLength: 80 }),
);
const guid = fc
  .tuple(...[8, 4, 4, 4, 12].map((n) => fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: n, maxLength: n })))
  .map((parts) => parts.join("-"));
const INTEGER_RANGES = {
  i8: [-128, 127],
  u8: [0, 255],
  i16: [-32768, 32767],
  u16: [0, 65535],
  i32: [-2147483648, 2147483647],
  u32: [0, 4294967295],
} as const;
const LONG_RANGES = { i64: [-(2n ** 63n), 2n ** 63n - 1n], u64: [0n, 2n ** 64n - 1n] } as const;
const SAFE = 2n ** 53n - 1n;

type Int64Mode = MarshalOptions["int64"];

/** Random valid values of `type` (JS → managed), nested `depth` levels of structs at most. */
function valueFor(type: TypeDescriptor, mode: Int64Mode, depth = 0): fc.Arbitrary<unknown> {
  const nullable = (arbitrary: fc.Arbitrary<unknown>, is: boolean) =>
    is ? fc.oneof({ weight: 6, arbitrary }, { weight: 1, arbitrary: fc.constantFrom(null, undefined) }) : arbitrary;
  switch (type.kind) {
    case "bool":
      return fc.boolean();
    case "i8":
    case "u8":
    case "i16":
    case "u16":
    case "i32":
    case "u32": {
      const [min, max] = INTEGER_RANGES[type.kind];
      return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max, 0, -0).filter((v) => v >= min));
    }
    case "i64":
    case "u64": {
      const [min, max] = LONG_RANGES[type.kind];
      const low = mode === "bigint" ? min : min < -SAFE ? -SAFE : min;
      const high = mode === "bigint" ? max : SAFE;
      return fc.oneof(
        fc.bigInt({ min: low, max: high }),
        fc.bigInt({ min: low < -SAFE ? -SAFE : low, max: SAFE }).map(Number),
        fc.constantFrom(low, high),
      );
    }
    case "f32":
    case "f64":
      return fc.double();
    case "char":
      return codeUnit;
    case "string":
      return nullable(anyString, type.nullable);
    case "array":
    case "staticarray": {
      const element = valueFor(type.element, mode, depth);
      const arrays: fc.Arbitrary<unknown>[] = [fc.array(element, { maxLength: 6 })];
      // A typed array of exactly the element's type is accepted too (one bulk copy).
      const typed = { i32: fc.int32Array, u8: fc.uint8Array, f64: fc.float64Array, i16: fc.int16Array }[type.element.kind as string];
      if (typed) arrays.push(typed({ maxLength: 6 }));
      return nullable(fc.oneof(...arrays), type.nullable);
    }
    case "typedarray": {
      const make = {
        Int8Array: fc.int8Array,
        Uint8Array: fc.uint8Array,
        Uint8ClampedArray: fc.uint8ClampedArray,
        Int16Array: fc.int16Array,
        Uint16Array: fc.uint16Array,
        Int32Array: fc.int32Array,
        Uint32Array: fc.uint32Array,
        Float32Array: fc.float32Array,
        Float64Array: fc.float64Array,
      }[type.name as string] as ((c: { maxLength: number }) => fc.Arbitrary<unknown>) | undefined;
      const arbitrary = make
        ? make({ maxLength: 8 })
        : type.name === "Int64Array"
          ? fc.bigInt64Array({ maxLength: 8 })
          : fc.bigUint64Array({ maxLength: 8 });
      return nullable(arbitrary, type.nullable);
    }
    case "nullable":
      return nullable(valueFor(type.value, mode, depth), true);
    case "date":
      return nullable(fc.date({ noInvalidDate: true }), type.nullable);
    case "guid":
      return nullable(guid, type.nullable);
    case "map":
      return nullable(fc.dictionary(anyString, valueFor(type.value, mode, depth), { maxKeys: 5 }), type.nullable);
    case "struct": {
      if (depth >= 2 && type.nullable) return fc.constant(null);
      const fields = structs[type.name].fields;
      const record = fc.record(Object.fromEntries(fields.map((f) => [f.name, valueFor(f.type, mode, depth + 1)])));
      return nullable(record, type.nullable);
    }
    default:
      throw new Error(`no values for ${type.kind}`);
  }
}

/** What a valid value comes back as: the marshaling table's normalizations. */
function expected(type: TypeDescriptor, value: unknown, mode: Int64Mode): unknown {
  if (value == null) return null;
  switch (type.kind) {
    case "i8":
    case "u8":
    case "i16":
    case "u16":
    case "i32":
    case "u32":
      return (value as number) + 0; // -0 → 0
    case "i64":
    case "u64":
      return mode === "bigint" ? BigInt(value as number | bigint) : Number(value) + 0;
    case "f32":
      return Math.fround(value as number);
    case "nullable":
      return expected(type.value, value, mode);
    case "array":
    case "staticarray":
      return Array.from(value as ArrayLike<unknown>, (element) => expected(type.element, element, mode));
    case "date":
      return new Date((value as Date).getTime());
    case "guid":
      return (value as string).toLowerCase();
    case "map":
      return Object.fromEntries(Object.entries(value as object).map(([key, item]) => [key, expected(type.value, item, mode)]));
    case "struct":
      return Object.fromEntries(
        structs[type.name].fields.map((f) => [f.name, expected(f.type, (value as Record<string, unknown>)[f.name], mode)]),
      );
    default:
      return value;
  }
}

/** Types whose values cross by value (the fuzz fixture has nothing else). */
const isEcho = (m: MethodDescriptor) => m.identifier.startsWith("echo") && m.parameters.length === 1;

/** Anything at all: what a hostile or careless caller might pass. */
const anything = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withBoxedValues: true,
  stringUnit: codeUnit,
});

// -------------------------------------------------------------------------------------------------

describe("round trips: a random valid value comes back equal", () => {
  for (const mode of ["number", "bigint"] as const) {
    it(`for every echo method of the fixture (int64: "${mode}")`, async () => {
      const { call, assembly } = await loaded({ int64: mode });
      const echoes = methods.filter(isEcho);
      expect(echoes.length).toBeGreaterThan(40);
      for (const method of echoes) {
        const type = method.parameters[0].type;
        fc.assert(
          fc.property(valueFor(type, mode), (value) => {
            expect(call(method.identifier, [value])).toEqual(expected(type, value, mode));
          }),
          { ...settings, numRuns: Math.max(10, Math.ceil(RUNS / 2)) },
        );
      }
      expect(assembly().boundary.poisoned).toBeNull();
      expect(assembly().diagnostics()).toMatchObject({ pinned: 0, trackedObjects: 0, jsObjects: 0 });
    });
  }

  it("several parameters of several kinds at once", async () => {
    const { call } = await loaded();
    const [a, b, c, d] = methods.find((m) => m.identifier === "mix")!.parameters.map((p) => valueFor(p.type, "number"));
    fc.assert(
      fc.property(a, b, c, d, (...args) => {
        const [x, s, list, flag] = args as [number, string, ArrayLike<number>, boolean];
        expect(call("mix", args)).toBe(`${x + 0}|${s}|${list.length}|${flag ? "t" : "f"}`);
      }),
      settings,
    );
  });

  it("with { preserveReferences: true }, shared values come back shared", async () => {
    const { call } = await loaded({ preserveReferences: true });
    const inner = valueFor({ kind: "struct", name: Object.keys(structs).find((k) => k.endsWith("/Inner"))!, nullable: false }, "number");
    fc.assert(
      fc.property(inner, fc.integer({ min: 1, max: 5 }), (shared, copies) => {
        const back = call("echoInners", [Array.from({ length: copies }, () => shared)]) as object[];
        expect(back).toHaveLength(copies);
        for (const item of back) expect(item).toBe(back[0]);
        expect(back[0]).toEqual(expected({ kind: "struct", name: Object.keys(structs).find((k) => k.endsWith("/Inner"))!, nullable: false }, shared, "number"));
      }),
      settings,
    );
  });
});

describe("hostile values: a result or a clear error, and the instance answers", () => {
  it("random JS values, random argument counts and values of other types, for every method", async () => {
    const { call, assembly } = await loaded();
    const types = methods.flatMap((m) => m.parameters.map((p) => p.type));
    const someValue = fc.oneof(anything, fc.constantFrom(...types).chain((t) => valueFor(t, "number")));
    const outcomes = { values: 0, errors: 0 };
    fc.assert(
      fc.property(
        fc.constantFrom(...methods),
        fc.boolean(),
        fc.array(someValue, { maxLength: 5 }),
        (method, rightCount, values) => {
          const args = rightCount ? method.parameters.map((_, i) => values[i]) : values;
          try {
            call(method.identifier, args);
            ++outcomes.values;
          } catch (error) {
            if (!isCleanError(error)) throw new Error(`${method.identifier} threw ${String(error)}`, { cause: error });
            ++outcomes.errors;
          }
          expect(assembly().boundary.poisoned).toBeNull();
          expect(assembly().diagnostics().pinned).toBe(0);
        },
      ),
      { ...settings, numRuns: RUNS * 10 },
    );
    figure(`fuzz: hostile values, ${RUNS * 10} calls: ${outcomes.values} values, ${outcomes.errors} clear errors`);
    expect(call("echoI32", [42])).toBe(42);
  });

  it("every value of every other type, for every parameter", async () => {
    const { call, assembly } = await loaded();
    const types = [...new Map(methods.flatMap((m) => m.parameters.map((p) => [JSON.stringify(p.type), p.type]))).values()];
    for (const method of methods.filter((m) => m.parameters.length === 1)) {
      fc.assert(
        fc.property(fc.constantFrom(...types).chain((t) => valueFor(t, "number")), (value) => {
          try {
            call(method.identifier, [value]);
          } catch (error) {
            if (!isCleanError(error)) throw error;
          }
        }),
        { ...settings, numRuns: Math.max(5, Math.ceil(RUNS / 10)) },
      );
    }
    expect(assembly().boundary.poisoned).toBeNull();
    expect(assembly().diagnostics()).toMatchObject({ pinned: 0, trackedObjects: 0, jsObjects: 0 });
  });
});

// -------------------------------------------------------------------------------------------------
// Decoders

/** A context for the encoded codecs outside an assembly: references and JS objects are refused. */
function standaloneContext(options: Partial<MarshalOptions> = {}): MarshalContext {
  const refuse = (): never => {
    throw new MarshalError("no references in this context");
  };
  return {
    options: { ...defaultMarshalOptions, ...options },
    structs,
    references: { wrap: refuse, wrapHeld: refuse, idOf: refuse, wrapCollection: refuse, collectionId: refuse },
    jsObjects: {
      register: refuse,
      get: refuse,
      registerStream: refuse,
      standsForNull: () => false,
      admit: () => {},
      fieldsOf: (value) => value,
      convert: (convert) => convert(),
      lookingUp: (work) => work(),
    },
  };
}

/** Every by-value type the fixture's methods mention, with struct fields, once each. */
function allTypes(): TypeDescriptor[] {
  const found = new Map<string, TypeDescriptor>();
  const visit = (type: TypeDescriptor) => {
    const key = JSON.stringify(type);
    if (found.has(key) || type.kind === "void") return;
    found.set(key, type);
    if (type.kind === "array" || type.kind === "staticarray") visit(type.element);
    if (type.kind === "map" || type.kind === "nullable") visit(type.value);
    if (type.kind === "struct") for (const field of structs[type.name].fields) visit(field.type);
  };
  for (const method of methods) {
    for (const parameter of method.parameters) visit(parameter.type);
    visit(method.returnType);
  }
  return [...found.values()];
}

/** `bytes` with some bytes overwritten: damaged, but mostly well-formed. */
const damage = (bytes: Uint8Array) =>
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }).map((edits) => {
    const copy = bytes.slice();
    for (const [at, value] of edits) if (copy.length > 0) copy[at % copy.length] = value;
    return copy;
  });

const randomBytes = fc.uint8Array({ maxLength: 96 });

/** A bounds or format error from a JS decoder. */
const isDecodeError = (error: unknown) => error instanceof MarshalError || error instanceof RangeError || error instanceof InteropError;

describe("the JS wire decoder (host/marshal/wire/decode.ts)", () => {
  it("decodes what the JS encoder wrote, for every type", () => {
    const context = standaloneContext();
    for (const type of allTypes()) {
      const encode = encoderFor(type, context);
      const decode = decoderFor(type, context);
      fc.assert(
        fc.property(valueFor(type, "number"), (value) => {
          const writer = new WireWriter();
          writer.begin(false);
          encode(writer, value);
          const bytes = writer.bytes.slice(0, writer.used);
          expect(decode(new WireReader(new DataView(bytes.buffer)))).toEqual(expected(type, value, "number"));
        }),
        { ...settings, numRuns: Math.max(10, Math.ceil(RUNS / 4)) },
      );
    }
  });

  it("turns random and damaged bytes into a value or a MarshalError / RangeError, for every type", () => {
    const context = standaloneContext();
    const tally = { values: 0, errors: 0 };
    for (const preserveReferences of [false, true]) {
      for (const type of allTypes()) {
        const encode = encoderFor(type, standaloneContext({ preserveReferences }));
        const decode = decoderFor(type, context);
        const valid = valueFor(type, "number").map((value) => {
          const writer = new WireWriter();
          writer.begin(preserveReferences);
          encode(writer, value);
          return writer.bytes.slice(0, writer.used);
        });
        fc.assert(
          fc.property(fc.oneof(randomBytes, valid.chain(damage)), fc.nat(8), (bytes, offset) => {
            // At an odd offset inside a larger buffer too, as a view into linear memory is.
            const buffer = new Uint8Array(bytes.length + offset);
            buffer.set(bytes, offset);
            try {
              decode(new WireReader(new DataView(buffer.buffer, offset, bytes.length)));
              ++tally.values;
            } catch (error) {
              if (!isDecodeError(error)) throw error;
              ++tally.errors;
            }
          }),
          { ...settings, numRuns: Math.max(10, Math.ceil(RUNS / 4)) },
        );
      }
    }
    figure(`fuzz: JS wire decoder: ${tally.values} values, ${tally.errors} errors`);
  });
});

describe("the JS tagged decoder (host/js/tagged.ts)", () => {
  const context = {
    handle: () => 1,
    object: (id: number): object => {
      throw new InteropError(`JS object instance with ID ${id} does not exist (has it been disposed?).`);
    },
    referenceId: () => 1,
    reference: () => ({}),
    collection: () => ({}),
    delegate: () => () => undefined,
    collectionId: () => null,
    admit: () => {},
    maxDepth: 64,
  };
  /** `[u32 used][u32 count][values]`, as managed code writes arguments. */
  const withArgumentHeader = (values: Uint8Array[]) => {
    const total = 8 + values.reduce((n, v) => n + v.length, 0);
    const bytes = new Uint8Array(total);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, total, true);
    view.setUint32(4, values.length, true);
    let at = 8;
    for (const value of values) {
      bytes.set(value, at);
      at += value.length;
    }
    return bytes;
  };
  const tagged = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.date({ noInvalidDate: true }),
    fc.uint8Array({ maxLength: 8 }),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.array(fc.oneof(anyString, fc.double(), fc.constantFrom(undefined, null, true, false)), { maxLength: 5 }),
  );

  it("decodes what the JS encoder wrote", () => {
    fc.assert(
      fc.property(fc.array(tagged, { maxLength: 4 }), (values) => {
        const bytes = withArgumentHeader(values.map((v) => encodeTagged(v, context, false).slice()));
        expect(decodeArguments(new DataView(bytes.buffer), 0, bytes.length, context)).toEqual(values);
      }),
      settings,
    );
  });

  it("turns random and damaged bytes into values or a MarshalError / RangeError / InteropError", () => {
    const tally = { values: 0, errors: 0 };
    const valid = fc.array(tagged, { maxLength: 3 }).map((values) => withArgumentHeader(values.map((v) => encodeTagged(v, context, false).slice())));
    fc.assert(
      fc.property(fc.oneof(randomBytes, valid.chain(damage)), fc.boolean(), (bytes, one) => {
        try {
          const view = new DataView(bytes.buffer);
          if (one) decodeValue(view, 0, view.byteLength, context);
          else decodeArguments(view, 0, view.byteLength, context);
          ++tally.values;
        } catch (error) {
          if (!isDecodeError(error)) throw error;
          ++tally.errors;
        }
      }),
      { ...settings, numRuns: RUNS * 2 },
    );
    figure(`fuzz: JS tagged decoder: ${tally.values} values, ${tally.errors} errors`);
  });

  it("a count the bytes cannot hold is refused before anything is allocated", () => {
    // Regression (host/js/tagged.ts), fixed: before, 13 bytes that claim an array of 10 million values: decodeArguments and readValue's array case
    // make the 10-million-slot array (80 MB, ~0.1 s) before they find the bytes missing, and then
    // fail with the DataView's RangeError. The wire decoder checks the count against what is left.
    for (const [at, bytes] of [
      [4, 8], // the argument count
      [9, 13], // an array's length
    ]) {
      const view = new DataView(new ArrayBuffer(bytes));
      view.setUint32(4, 1, true);
      if (bytes > 8) view.setUint8(8, 7);
      view.setUint32(at, 10_000_000, true);
      expect(thrown(() => decodeArguments(view, 0, view.byteLength, context))).toBeInstanceOf(MarshalError);
    }
  });

  it("nesting 100,000 deep is a depth error, not a host stack overflow", () => {
    // Regression (host/js/tagged.ts readValue), fixed: before, managed code's own writer stops at maxDepth, but readValue trusts the bytes and recurses.
    const depth = 100_000;
    const bytes = new Uint8Array(8 + depth * 5 + 1);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, bytes.length, true);
    view.setUint32(4, 1, true);
    for (let i = 0; i < depth; ++i) {
      bytes[8 + i * 5] = 7; // an array
      view.setUint32(8 + i * 5 + 1, 1, true); // of one element
    }
    expect(thrown(() => decodeArguments(view, 0, view.byteLength, context))).toBeInstanceOf(MarshalError);
  });
});

describe("the managed decoders, over bytes the JS encoder never saw", () => {
  /** Calls `method`'s export with `bytes` as its (only, encoded) argument buffer, as the host would. */
  function callWithBytes(assembly: LoadedAssembly, method: MethodDescriptor, bytes: Uint8Array): unknown {
    const target = (assembly.instance.exports as Record<string, (pointer: number) => number>)[method.exportName];
    const result = encodedCodec(method.returnType, standaloneContext({ preserveReferences: false }));
    return assembly.boundary.run(() => {
      const pointer = assembly.heap.allocate(bytes.length, ARRAY_BUFFER_ID);
      assembly.heap.u8.set(bytes, pointer);
      const raw = target(pointer);
      return method.returnEncoded ? result.lift(raw, assembly.heap) : raw;
    });
  }

  it("the wire Reader (generated wrappers): random and damaged input is a value or a clean abort, never a fault", async () => {
    const { healthy } = await loaded();
    const targets = methods.filter((m) => m.parameters.length === 1 && m.parameters[0].encoded);
    expect(targets.length).toBeGreaterThan(10);
    const tally = { values: 0, errors: 0 };
    for (const method of targets) {
      const type = method.parameters[0].type;
      const encode = encoderFor(type, standaloneContext());
      const valid = valueFor(type, "number").map((value) => {
        const writer = new WireWriter();
        writer.begin(false);
        encode(writer, value);
        return writer.bytes.slice(0, writer.used);
      });
      await fc.assert(
        fc.asyncProperty(fc.oneof(randomBytes, valid.chain(damage)), async (bytes) => {
          const assembly = await healthy();
          try {
            callWithBytes(assembly, method, bytes);
            ++tally.values;
          } catch (error) {
            if (error instanceof AssemblyPoisonedError) {
              throw new Error(`${method.identifier}: bytes [${bytes.join(",")}] poisoned the instance: ${String(error.fault)}`);
            }
            if (!isCleanError(error)) throw error;
            ++tally.errors;
          }
        }),
        { ...settings, numRuns: Math.max(10, Math.ceil(RUNS / 2)) },
      );
    }
    figure(`fuzz: managed wire Reader: ${tally.values} values, ${tally.errors} clean aborts`);
    const assembly = await healthy();
    expect(assembly.boundary.poisoned).toBeNull();
  });

  it("the tagged reader (JS results): random and damaged input is a value or a clean abort, never a fault", async () => {
    const { healthy, call } = await loaded();
    const context = { handle: () => 1, object: () => ({}), referenceId: () => 1, reference: () => ({}), collection: () => ({}), delegate: () => () => undefined, collectionId: () => null, admit: () => {}, maxDepth: 64 };
    const readers = methods.filter((m) => m.identifier.startsWith("tagged"));
    const jsValue = fc.oneof(
      anything,
      fc.record({ n: fc.integer(), s: fc.option(anyString), extra: fc.jsonValue({ maxDepth: 2 }) }),
      fc.array(fc.record({ n: fc.integer(), s: anyString }), { maxLength: 3 }),
    );
    const valid = jsValue.map((value) => {
      try {
        return encodeTagged(value, context, false).slice();
      } catch {
        return new Uint8Array([0]);
      }
    });
    const tally = { values: 0, errors: 0 };
    for (const method of readers) {
      await fc.assert(
        fc.asyncProperty(fc.oneof(randomBytes, valid, valid.chain(damage)), async (bytes) => {
          const assembly = await healthy();
          try {
            // As the host lends them: a word the reader clears, then the tagged value.
            call(method.identifier, [new Uint8Array([0, 0, 0, 0, ...bytes])]);
            ++tally.values;
          } catch (error) {
            if (error instanceof AssemblyPoisonedError) {
              throw new Error(`${method.identifier}: bytes [${bytes.join(",")}] poisoned the instance: ${String(error.fault)}`);
            }
            if (!isCleanError(error)) throw error;
            ++tally.errors;
          }
          expect(assembly.diagnostics().pinned).toBe(0);
        }),
        { ...settings, numRuns: Math.max(10, Math.ceil(RUNS / 2)) },
      );
    }
    figure(`fuzz: managed tagged reader: ${tally.values} values, ${tally.errors} clean aborts`);
  });

  it("input that claims preserved references does not switch off the managed depth limit", async () => {
    // Regression (assembly/interop/wire/reader.ts), fixed: before, the Reader takes "references are preserved" from the input's flags byte, not from the
    // assembly's settings, and skips its depth check when they are: 20,000 nested values run the
    // managed stack out instead of failing at maxDepth as the same bytes without the flag do.
    const { healthy } = await loaded();
    const method = methods.find((m) => m.identifier === "echoEverything")!;
    const type = method.parameters[0].type;
    // One level: an Everything with every field at its smallest and a child to come. Its last
    // field is `child: Everything | null`, so the encoding of a leaf ends with that null (0).
    const leaf = {
      flag: false, small: 0, word: 0, big: 0, ubig: 0, single: 0, double: 0, letter: "a", text: "", maybe: null,
      when: new Date(0), id: "00000000-0000-0000-0000-000000000000", numbers: [], bytes: new Uint8Array(0),
      longs: new BigInt64Array(0), inner: { n: 0, s: null }, inners: [], table: {}, fixed: [], child: null,
    };
    const writer = new WireWriter();
    writer.begin(false);
    encoderFor(type, standaloneContext())(writer, leaf);
    const level = writer.bytes.slice(1, writer.used - 1);
    const depth = 20_000;
    const nested = (flags: number) => {
      const bytes = new Uint8Array(1 + level.length * depth + 1);
      bytes[0] = flags;
      for (let i = 0; i < depth; ++i) bytes.set(level, 1 + i * level.length);
      return bytes;
    };
    const outcomes: string[] = [];
    for (const flags of [0, 1]) {
      const assembly = await healthy();
      try {
        callWithBytes(assembly, method, nested(flags));
        outcomes.push("value");
      } catch (error) {
        const depthError = error instanceof InteropError && /maximum allowed depth of 64/.test(error.message);
        outcomes.push(depthError ? "depth error" : error instanceof Error ? `${error.name}: ${error.message.slice(0, 80)}` : String(error));
      }
    }
    expect(outcomes).toEqual(["depth error", "depth error"]);
  });

  it("a count the input cannot hold is refused before anything is allocated", async () => {
    // Regression (assembly/interop/wire/reader.ts, js/tagged.ts), fixed: before, ten bytes that claim 8 million elements: both readers allocate the array first and check
    // the remaining input after, so the allocation runs memory out (a trap: the instance is
    // poisoned) where memory is capped, or grows memory by 32 MiB where it is not.
    const { healthy, call } = await loaded();
    const claim = 8_000_000;
    const wire = new Uint8Array(10);
    new DataView(wire.buffer).setUint32(2, claim, true);
    wire[0] = 0; // flags
    wire[1] = 1; // a value follows
    const tagged = new Uint8Array(5);
    tagged[0] = 7; // an array
    new DataView(tagged.buffer).setUint32(1, claim, true);

    const inners = methods.find((m) => m.identifier === "echoInners")!;
    const attempts: ((assembly: LoadedAssembly) => unknown)[] = [
      (assembly) => callWithBytes(assembly, inners, wire),
      () => call("taggedI32Array", [tagged]),
    ];
    const outcomes: string[] = [];
    for (const attempt of attempts) {
      const assembly = await healthy();
      try {
        attempt(assembly);
        outcomes.push("value");
      } catch (error) {
        outcomes.push(error instanceof AssemblyPoisonedError ? `poisoned (${String(error.fault)})` : isCleanError(error) ? "clean error" : String(error));
      }
      expect(assembly.diagnostics().memoryBytes).toBeLessThan(16 << 20);
    }
    expect(outcomes).toEqual(["clean error", "clean error"]);
  });
});
