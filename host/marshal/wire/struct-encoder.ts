/**
 * Struct encoders, each compiled once into JavaScript of its own.
 *
 * A generic struct encoder loops over the fields reading `object[field.name]` and calling
 * `field.encode`: one property-load site and one call site serve every field of every struct, so
 * the engine can only take its slowest (megamorphic) paths there. The compiled encoder reads each
 * property by name and calls each field's encoder from a call site of its own, which the engine
 * inlines; fixed-size fields (bools, numbers below 64 bits) are checked and written in place, one
 * `reserve` for each run of them, and so are strings. For 100k small structs that makes encoding about 3× faster
 * (bench/scenarios/by-value.ts).
 *
 * The checks written in place are the field codecs' own (numbers.ts), and when one fails the
 * field's encoder runs and throws its usual error. Where a Content Security Policy forbids
 * `new Function`, the generic loop serves: same bytes, same errors.
 */
import { mismatch, within } from "../errors.ts";
import type { StructDescriptor, TypeDescriptor } from "../types.ts";
import type { Encoder } from "./encode.ts";
import { TAG_VALUE } from "./format.ts";

/** A field written in place: its size, the check (true when valid) and the DataView write. */
interface InlineField {
  readonly size: number;
  test(value: string): string;
  write(at: string, value: string): string;
}

const integer = (size: number, setter: string, min: number, max: number): InlineField => ({
  size,
  // (v | 0) === v is Number.isInteger for every value within i32 range, and much cheaper.
  test: (v) => `typeof ${v} === "number" && (${v} | 0) === ${v} && ${v} >= ${min} && ${v} <= ${max}`,
  write: (at, v) => `view.${setter}(${at}, ${v}, true)`,
});

/** Same checks as numbers.ts and boolCodec: a value passes here exactly when it passes there. */
const INLINE: Partial<Record<TypeDescriptor["kind"], InlineField>> = {
  bool: { size: 1, test: (v) => `typeof ${v} === "boolean"`, write: (at, v) => `view.setUint8(${at}, ${v} ? 1 : 0)` },
  i8: integer(1, "setInt8", -0x80, 0x7f),
  u8: integer(1, "setUint8", 0, 0xff),
  i16: integer(2, "setInt16", -0x8000, 0x7fff),
  u16: integer(2, "setUint16", 0, 0xffff),
  i32: { size: 4, test: (v) => `typeof ${v} === "number" && (${v} | 0) === ${v}`, write: (at, v) => `view.setInt32(${at}, ${v}, true)` },
  u32: { size: 4, test: (v) => `typeof ${v} === "number" && ${v} >>> 0 === ${v}`, write: (at, v) => `view.setUint32(${at}, ${v}, true)` },
  f32: { size: 4, test: (v) => `typeof ${v} === "number"`, write: (at, v) => `view.setFloat32(${at}, ${v}, true)` },
  f64: { size: 8, test: (v) => `typeof ${v} === "number"`, write: (at, v) => `view.setFloat64(${at}, ${v}, true)` },
};

/** False once `new Function` has been refused (a Content Security Policy without 'unsafe-eval'). */
let canCompile = true;

/** The encoder of one struct's payload (its fields, in order); `fields` are the fields' encoders. */
export function structPayloadEncoder(struct: StructDescriptor, fields: readonly Encoder[], maxDepth: number): Encoder {
  if (canCompile) {
    try {
      return compiledStructEncoder(struct, fields, maxDepth);
    } catch (error) {
      if (!(error instanceof EvalError)) throw error;
      canCompile = false;
    }
  }
  return genericStructEncoder(struct, fields);
}

/**
 * A field named `__proto__` is read as an own property only (as JSON.parse makes it): reading
 * `v.__proto__` would give every object's prototype.
 */
const PROTO = "__proto__";
const ownProto = (object: object): unknown => Object.getOwnPropertyDescriptor(object, PROTO)?.value;
/** How the compiled encoder reads field `name` of `object`. */
const fieldRead = (object: string, name: string) =>
  name === PROTO ? `ownProto(${object})` : `${object}[${JSON.stringify(name)}]`;

export function genericStructEncoder(struct: StructDescriptor, fields: readonly Encoder[]): Encoder {
  const expected = `an object for ${struct.displayName}`;
  const names = struct.fields.map((field) => field.name);
  return (w, v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw mismatch(expected, v);
    const object = v as Record<string, unknown>;
    for (let i = 0; i < fields.length; ++i) {
      try {
        fields[i](w, names[i] === PROTO ? ownProto(object) : object[names[i]]);
      } catch (error) {
        throw within(error, `.${names[i]}`);
      }
    }
  };
}

/**
 * For `{ @dataMember id: i32; @dataMember x: f64; @dataMember name: string }` the source is:
 *
 *     return function encode_Item(w, v) {
 *       if (typeof v !== "object" || v === null || Array.isArray(v)) throw mismatch(expected, v);
 *       let field = 0;
 *       try {
 *         const v0 = v["id"];
 *         if (!(typeof v0 === "number" && (v0 | 0) === v0)) e0(w, v0);
 *         field = 1; const v1 = v["x"];
 *         if (!(typeof v1 === "number")) e1(w, v1);
 *         { const at = w.reserve(12); const view = w.view;
 *           view.setInt32(at + 0, v0, true);
 *           view.setFloat64(at + 4, v1, true);
 *         }
 *         field = 2; const v2 = v["name"];
 *         if (typeof v2 === "string" && w.depth < maxDepth) w.string(v2, 1);
 *         else e2(w, v2);
 *       } catch (error) {
 *         throw within(error, paths[field]);
 *       }
 *     };
 *
 * (`e0(w, v0)` there only runs for a value that fails the check, and throws; `e2(w, v2)` writes a
 * null, or throws.)
 */
export function compiledStructEncoder(struct: StructDescriptor, fields: readonly Encoder[], maxDepth: number): Encoder {
  const lines: string[] = [];
  let run: string[] = [];
  let runSize = 0;
  const endRun = () => {
    if (run.length === 0) return;
    lines.push(`{ const at = w.reserve(${runSize}); const view = w.view;`, ...run.map((write) => `  ${write};`), `}`);
    run = [];
    runSize = 0;
  };
  struct.fields.forEach(({ name, type }, i) => {
    const value = `v${i}`;
    const inline = INLINE[type.kind];
    // Any other field is written where it comes: the fixed-size run before it is complete.
    if (!inline) endRun();
    lines.push(`${i > 0 ? `field = ${i}; ` : ""}const ${value} = ${fieldRead("v", name)};`);
    if (inline) {
      lines.push(`if (!(${inline.test(value)})) e${i}(w, ${value});`);
      run.push(inline.write(`at + ${runSize}`, value));
      runSize += inline.size;
    } else if (type.kind === "string") {
      // Written as `reference` in encode.ts writes it; null, a non-string or too much depth go there.
      lines.push(`if (typeof ${value} === "string" && w.depth < maxDepth) w.string(${value}, ${TAG_VALUE});`);
      lines.push(`else e${i}(w, ${value});`);
    } else {
      lines.push(`e${i}(w, ${value});`);
    }
  });
  endRun();
  const source = [
    `return function encode_${struct.displayName.replace(/\W/g, "_")}(w, v) {`,
    `  if (typeof v !== "object" || v === null || Array.isArray(v)) throw mismatch(expected, v);`,
    `  let field = 0;`,
    `  try {`,
    ...lines.map((line) => `    ${line}`),
    `  } catch (error) {`,
    `    throw within(error, paths[field]);`,
    `  }`,
    `};`,
  ].join("\n");
  const encoderNames = fields.map((_, i) => `e${i}`);
  const paths = struct.fields.map((field) => `.${field.name}`);
  const expected = `an object for ${struct.displayName}`;
  return new Function("mismatch", "within", "paths", "expected", "maxDepth", "ownProto", ...encoderNames, source)(
    mismatch,
    within,
    paths,
    expected,
    maxDepth,
    ownProto,
    ...fields,
  ) as Encoder;
}
