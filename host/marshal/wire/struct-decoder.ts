/**
 * Struct decoders, each compiled once into JavaScript of its own: the mirror of struct-encoder.ts.
 *
 * The generic decoder loops over the fields calling `field.decode` and setting `object[name]`: one
 * call site and one property-store site serve every field of every struct, the engine's slowest
 * paths. The compiled decoder reads each run of fixed-size fields (numbers below 64 bits, bools)
 * in place after one bounds check, calls each other field's decoder from a call site of its own,
 * and makes the object with one literal, so every object of the struct has one shape from birth.
 *
 * With back-references (`preserveReferences`) an object must be registered before its fields are
 * read, which a literal at the end cannot do: then the generic decoder serves, as it does where a
 * Content Security Policy forbids `new Function`.
 */
import { MarshalError } from "../errors.ts";
import type { StructDescriptor, TypeDescriptor } from "../types.ts";
import type { WireReader } from "./decode.ts";

type Decoder = (reader: WireReader) => unknown;
/** Reads a value's payload; `track` says to register it for back-references first. */
export type Payload = (reader: WireReader, track: boolean) => unknown;

/** A field read in place: its size and the DataView read. */
const INLINE: Partial<Record<TypeDescriptor["kind"], { readonly size: number; read(at: string): string }>> = {
  bool: { size: 1, read: (at) => `view.getUint8(${at}) !== 0` },
  i8: { size: 1, read: (at) => `view.getInt8(${at})` },
  u8: { size: 1, read: (at) => `view.getUint8(${at})` },
  i16: { size: 2, read: (at) => `view.getInt16(${at}, true)` },
  u16: { size: 2, read: (at) => `view.getUint16(${at}, true)` },
  i32: { size: 4, read: (at) => `view.getInt32(${at}, true)` },
  u32: { size: 4, read: (at) => `view.getUint32(${at}, true)` },
  f32: { size: 4, read: (at) => `view.getFloat32(${at}, true)` },
  f64: { size: 8, read: (at) => `view.getFloat64(${at}, true)` },
};

/** False once `new Function` has been refused (a Content Security Policy without 'unsafe-eval'). */
let canCompile = true;

/** The decoder of one struct's payload; `fields` are the fields' decoders, in order. */
export function structPayloadDecoder(struct: StructDescriptor, fields: readonly Decoder[]): Payload {
  const generic = genericStructDecoder(struct, fields);
  if (canCompile) {
    try {
      return compiledStructDecoder(struct, fields, generic);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      canCompile = false;
    }
  }
  return generic;
}

/** One property per field, own even for `__proto__` (as JSON.parse makes it, never the prototype). */
export function genericStructDecoder(struct: StructDescriptor, fields: readonly Decoder[]): Payload {
  const names = struct.fields.map((field) => field.name);
  const special = names.includes("__proto__");
  return (r, track) => {
    const object: Record<string, unknown> = {};
    if (track) r.seen.push(object);
    for (let i = 0; i < fields.length; ++i) {
      const value = fields[i](r);
      if (special && names[i] === "__proto__") Object.defineProperty(object, "__proto__", { value, enumerable: true, writable: true, configurable: true });
      else object[names[i]] = value;
    }
    return object;
  };
}

/**
 * For `Item { id: i32; x: f64; y: f64; name: string }`:
 *
 *   function decode_Item(r, track) {
 *     if (track) return generic(r, track);
 *     const view = r.view;
 *     let at = r.offset;
 *     if (at + 20 > view.byteLength) throw pastEnd();
 *     const v0 = view.getInt32(at + 0, true);
 *     const v1 = view.getFloat64(at + 4, true);
 *     const v2 = view.getFloat64(at + 12, true);
 *     r.offset = at + 20;
 *     const v3 = d3(r);
 *     return { "id": v0, "x": v1, "y": v2, "name": v3 };
 *   }
 */
export function compiledStructDecoder(struct: StructDescriptor, fields: readonly Decoder[], generic: Payload): Payload {
  const lines: string[] = [];
  let run: string[] = [];
  let runSize = 0;
  const endRun = () => {
    if (run.length === 0) return;
    lines.push(`at = r.offset;`, `if (at + ${runSize} > view.byteLength) throw pastEnd();`, ...run, `r.offset = at + ${runSize};`);
    run = [];
    runSize = 0;
  };
  struct.fields.forEach(({ type }, i) => {
    const inline = INLINE[type.kind];
    if (inline) {
      run.push(`const v${i} = ${inline.read(`at + ${runSize}`)};`);
      runSize += inline.size;
    } else {
      endRun();
      lines.push(`const v${i} = d${i}(r);`);
    }
  });
  endRun();
  // `__proto__: v` in a literal would set the prototype; a computed key makes an own property.
  const properties = struct.fields.map(({ name }, i) => (name === "__proto__" ? `["__proto__"]: v${i}` : `${JSON.stringify(name)}: v${i}`));
  const source = [
    `return function decode_${struct.displayName.replace(/\W/g, "_")}(r, track) {`,
    `  if (track) return generic(r, track);`,
    `  const view = r.view;`,
    `  let at = 0;`,
    ...lines.map((line) => `  ${line}`),
    `  return { ${properties.join(", ")} };`,
    `};`,
  ].join("\n");
  const decoderNames = fields.map((_, i) => `d${i}`);
  return new Function("generic", "pastEnd", ...decoderNames, source)(generic, pastEnd, ...fields) as Payload;
}

function pastEnd(): MarshalError {
  return new MarshalError("the encoded struct runs past its buffer");
}
