/**
 * Struct encoders are compiled into JavaScript of their own (host/marshal/wire/struct-encoder.ts),
 * with the checks of fixed-size fields written in place. They must give exactly what the generic
 * field loop gives, bytes and errors, for every value; and where `new Function` is refused (a
 * Content Security Policy without 'unsafe-eval'), the generic loop must serve instead.
 */
import { describe, expect, it, vi } from "vitest";
import { defaultMarshalOptions, type MarshalContext } from "../host/marshal/codec.ts";
import type { StructDescriptor, TypeDescriptor } from "../host/marshal/types.ts";
import { encoderFor, WireWriter, type Encoder } from "../host/marshal/wire/encode.ts";
import { compiledStructEncoder, genericStructEncoder } from "../host/marshal/wire/struct-encoder.ts";

const FIELD_KINDS = ["bool", "i8", "u8", "i16", "u16", "i32", "u32", "f32", "f64", "i64", "u64"] as const;

const VALID: Record<string, unknown> = {
  bool: true, i8: -5, u8: 200, i16: -300, u16: 60000, i32: -70000, u32: 4e9, f32: 1.5, f64: -0.1, i64: 2 ** 40, u64: 7,
  text: "héllo", maybe: null, inner: { id: 1, x: 2.5, name: "inner" },
};

/** Edge values for every kind: each must pass or fail exactly as the field codecs decide. */
const CANDIDATES: unknown[] = [
  0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769,
  65535, 65536, 2 ** 31 - 1, 2 ** 31, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 53, "1", "", true,
  false, null, undefined, 10n, {}, [], "x".repeat(100),
];

const inner: StructDescriptor = {
  displayName: "Inner",
  fields: [
    { name: "id", type: { kind: "i32" } },
    { name: "x", type: { kind: "f64" } },
    { name: "name", type: { kind: "string", nullable: false } },
  ],
};
/** Fixed-size fields in runs, broken by a string, a nullable string and a nested struct. */
const everything: StructDescriptor = {
  displayName: "Everything",
  fields: [
    ...FIELD_KINDS.slice(0, 4).map((kind) => ({ name: kind, type: { kind } as TypeDescriptor })),
    { name: "text", type: { kind: "string", nullable: false } },
    ...FIELD_KINDS.slice(4, 9).map((kind) => ({ name: kind, type: { kind } as TypeDescriptor })),
    { name: "maybe", type: { kind: "string", nullable: true } },
    ...FIELD_KINDS.slice(9).map((kind) => ({ name: kind, type: { kind } as TypeDescriptor })),
    { name: "inner", type: { kind: "struct", name: "Inner", nullable: false } },
  ],
};

const context: MarshalContext = {
  structs: { Inner: inner, Everything: everything },
  options: defaultMarshalOptions,
  references: null as unknown as MarshalContext["references"],
  // No sandbox: every object may be read (the fields here hold no JS objects).
  jsObjects: { admit: () => {}, fieldsOf: (value: object) => value } as unknown as MarshalContext["jsObjects"],
};
const fields = everything.fields.map((field) => encoderFor(field.type, context));
const MAX_DEPTH = context.options.maxDepth;

type Outcome = { bytes: number[] } | { error: string };

/** Encodes `value` as a struct met `depth` levels deep. */
function run(encode: Encoder, value: unknown, depth = 0): Outcome {
  const writer = new WireWriter();
  writer.begin(false);
  writer.depth = depth;
  try {
    encode(writer, value);
    return { bytes: [...writer.bytes.subarray(0, writer.used)] };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** Every record that differs from a valid one in one field, plus values that are no object at all. */
function inputs(): unknown[] {
  const records: unknown[] = [VALID, null, undefined, 5, "Everything", [], [VALID]];
  for (const name of Object.keys(VALID)) {
    for (const candidate of CANDIDATES) records.push({ ...VALID, [name]: candidate });
    const { [name]: _, ...without } = VALID;
    records.push(without);
  }
  return records;
}

describe("compiled struct encoders", () => {
  it("give the generic loop's bytes and errors for every field kind and edge value", () => {
    const compiled = compiledStructEncoder(everything, fields, MAX_DEPTH);
    const generic = genericStructEncoder(everything, fields);
    let encoded = 0;
    let refused = 0;
    for (const input of inputs()) {
      const outcome = run(compiled, input);
      expect(outcome, JSON.stringify(input, (_, v) => (typeof v === "bigint" ? `${v}n` : v))).toEqual(run(generic, input));
      if ("bytes" in outcome) ++encoded;
      else ++refused;
    }
    // Both kinds of outcome occur, so the comparison covers writing as well as every error.
    expect(encoded).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });

  it("say which field failed, as the generic loop does", () => {
    const outcome = run(compiledStructEncoder(everything, fields, MAX_DEPTH), { ...VALID, u16: 65536 });
    expect(outcome).toEqual({ error: "MarshalError: at .u16: expected u16 (an integer from 0 to 65535), got number 65536" });
  });

  it("keep to maxDepth as the generic loop does: the struct's strings and structs are one level deeper", () => {
    const compiled = compiledStructEncoder(everything, fields, MAX_DEPTH);
    const generic = genericStructEncoder(everything, fields);
    for (const depth of [MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH]) {
      for (const input of [VALID, { ...VALID, inner: null }, { ...VALID, maybe: "text" }]) {
        expect(run(compiled, input, depth)).toEqual(run(generic, input, depth));
      }
    }
    expect(run(compiled, VALID, MAX_DEPTH - 1)).toHaveProperty("error", expect.stringContaining("A possible object cycle was detected"));
  });

  it("fall back to the generic loop where new Function is refused (a CSP without 'unsafe-eval')", async () => {
    // A fresh copy of the modules, whose encoders have not compiled anything yet.
    vi.resetModules();
    const freshEncoding = await import("../host/marshal/wire/encode.ts");
    const fresh = await import("../host/marshal/wire/struct-encoder.ts");
    const freshFields = everything.fields.map((field) => freshEncoding.encoderFor(field.type, context));
    const refuse = vi.fn(function () {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source");
    });
    vi.stubGlobal("Function", refuse);
    let encode: Encoder;
    try {
      encode = fresh.structPayloadEncoder(everything, freshFields, MAX_DEPTH);
      fresh.structPayloadEncoder(inner, freshFields.slice(0, 3), MAX_DEPTH);
    } finally {
      vi.unstubAllGlobals();
    }
    // Refused once, then not asked again.
    expect(refuse).toHaveBeenCalledTimes(1);
    const generic = genericStructEncoder(everything, fields);
    for (const input of inputs()) expect(run(encode, input)).toEqual(run(generic, input));
  });
});
