/**
 * JS value → wire bytes, for one descriptor. The encoder for a type is built once (a tree of small
 * closures that mirrors the type) and then runs without looking at the descriptor again.
 */
import { MarshalError, mismatch, within } from "../errors.ts";
import { isArrayLike } from "../arrays.ts";
import { boolCodec, numberCodec } from "../numbers.ts";
import { charCodec } from "../strings.ts";
import { JS_TYPED_ARRAYS } from "../typed-arrays.ts";
import { typeKey, typeName, type NumberKind, type TypeDescriptor } from "../types.ts";
import type { JSObjectHandles, MarshalContext, MarshalOptions, WasmValue } from "../codec.ts";
import { writeUtf16 } from "../utf16.ts";
import { nullableEncoder } from "./nullable.ts";
import { structPayloadEncoder } from "./struct-encoder.ts";
import { cycleMessage, FLAG_PRESERVE, isTracked, TAG_NULL, TAG_REFERENCE, TAG_VALUE } from "./format.ts";

/** Where a value's encoding stops: the limit it is counted against (see {@link WireWriter.limitTo}). */
export interface PayloadLimit {
  readonly maxPayloadBytes: number;
  /** The error for a value found to need `bytes` more than counted so far (`ManagedHeap.overLimit`). */
  overLimit(bytes: number): Error;
}

/** A growable little-endian byte buffer with the per-value state of one encoding. */
export class WireWriter {
  bytes = new Uint8Array(1024);
  view = new DataView(this.bytes.buffer);
  used = 0;
  depth = 0;
  /** The limit of the value being written, if it has one. */
  #limit: PayloadLimit | null = null;
  /** How far `reserve` writes without a look: the end of `bytes`, or the limit if it comes first. */
  #end = this.bytes.length;
  /** With back-references: each value written so far, by the type it was written as, and its id. */
  ids: Map<string, Map<object, number>> | null = null;
  #nextId = 0;

  begin(preserve: boolean): void {
    this.used = 0;
    this.depth = 0;
    this.ids = preserve ? new Map() : null;
    this.#nextId = 0;
    this.u8(preserve ? FLAG_PRESERVE : 0);
  }

  /**
   * The id `value` got when it was written as `type` before, or `undefined` when it was not (it
   * gets the next id now). Managed code can only share a value among places of one type, so a JS
   * value met as two types becomes two managed values, each with an id of its own.
   */
  sharedId(type: string, value: object): number | undefined {
    const ids = this.ids!;
    let written = ids.get(type);
    if (!written) ids.set(type, (written = new Map()));
    const id = written.get(value);
    if (id === undefined) written.set(value, this.#nextId++);
    return id;
  }

  /**
   * Counts the value written from now on against `limit` (none: unlimited), as it grows. Its bytes
   * are counted once it is whole too, but by then the host has built it: a value far over the limit
   * that a few cheap steps make — an array whose `length` managed code set to 2^32 - 1, arrays that
   * each hold the one before twice, level after level — would cost gigabytes and minutes first.
   */
  limitTo(limit: PayloadLimit | null): void {
    this.#limit = limit && limit.maxPayloadBytes !== Infinity ? limit : null;
    this.#endAt();
  }

  /** Makes room for `size` more bytes and returns their offset. */
  reserve(size: number): number {
    const at = this.used;
    if (at + size > this.#end) this.#grow(at + size);
    this.used = at + size;
    return at;
  }

  #grow(needed: number): void {
    if (this.#limit && needed > this.#limit.maxPayloadBytes) throw this.#limit.overLimit(needed);
    if (needed > this.bytes.length) {
      let capacity = this.bytes.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.#endAt();
  }

  /** Sets `#end`: the end of `bytes`, or the limit if it comes first. */
  #endAt(): void {
    this.#end = Math.min(this.bytes.length, this.#limit ? this.#limit.maxPayloadBytes : Infinity);
  }

  // Each writer reserves first: growing replaces `view`, so it must be read after `reserve`.
  u8(value: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, value);
  }
  u32(value: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, value, true);
  }

  /** A string's payload (`u32` code units, then the units), after `tag` when one is given: one reservation. */
  string(text: string, tag?: number): void {
    const length = text.length;
    const header = tag === undefined ? 4 : 5;
    const at = this.reserve(header + length * 2);
    const view = this.view;
    if (tag !== undefined) view.setUint8(at, tag);
    view.setUint32(at + header - 4, length, true);
    writeUtf16(view, at + header, text);
  }

  bytesOf(view: ArrayBufferView): void {
    const at = this.reserve(view.byteLength);
    this.bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), at);
  }
}

export type Encoder = (writer: WireWriter, value: unknown) => void;

/** Builds the encoder for `type`; `structs` resolves struct names (recursively, lazily). */
export function encoderFor(type: TypeDescriptor, { structs, options, references, jsObjects }: MarshalContext): Encoder {
  const structEncoders = new Map<string, Encoder>();

  const build = (type: TypeDescriptor): Encoder => {
    switch (type.kind) {
      case "void":
        return () => {};
      case "bool":
        return valueEncoder(boolCodec.lower, 1, (view, at, v) => view.setUint8(at, v as number));
      case "char":
        return valueEncoder(charCodec.lower, 2, (view, at, v) => view.setUint16(at, v as number, true));
      case "string":
        return reference(type, (w, v) => {
          if (typeof v !== "string") throw mismatch("a string", v);
          w.string(v);
        });
      case "date":
        return reference(type, (w, v) => {
          if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw mismatch("a valid Date", v);
          const at = w.reserve(8);
          w.view.setFloat64(at, v.getTime(), true);
        });
      case "guid":
        return reference(type, (w, v) => {
          if (typeof v !== "string" || !GUID.test(v)) throw mismatch(`a Guid string like "${GUID_EXAMPLE}"`, v);
          const hex = v.replaceAll("-", "");
          const at = w.reserve(16);
          w.view.setBigUint64(at, BigInt(`0x${hex.slice(0, 16)}`), true);
          w.view.setBigUint64(at + 8, BigInt(`0x${hex.slice(16)}`), true);
        });
      case "array":
      case "staticarray": {
        const element = build(type.element);
        const expected = `an array for ${typeName(type)}`;
        return reference(type, (w, v) => {
          if (!isArrayLike(v)) throw mismatch(expected, v);
          const values = v as ArrayLike<unknown>;
          // Read once: a getter could change the array while it is being encoded.
          const length = values.length;
          w.u32(length);
          for (let i = 0; i < length; ++i) {
            try {
              element(w, values[i]);
            } catch (error) {
              throw within(error, `[${i}]`);
            }
          }
        });
      }
      case "typedarray": {
        const constructor = JS_TYPED_ARRAYS[type.name];
        return reference(type, (w, v) => {
          if (!(v instanceof constructor)) throw mismatch(`a ${constructor.name}`, v);
          w.u32(v.byteLength);
          w.bytesOf(v);
        });
      }
      case "map": {
        const value = build(type.value);
        return reference(type, (w, v) => {
          const entries = mapEntries(v, jsObjects);
          w.u32(entries.length);
          for (const [key, item] of entries) {
            w.string(key);
            try {
              value(w, item);
            } catch (error) {
              throw within(error, `[${JSON.stringify(key)}]`);
            }
          }
        });
      }
      case "nullable":
        return nullableEncoder(build(type.value));
      case "struct": {
        const payload = structEncoder(type.name);
        const keys = structs[type.name].fields.map((field) => field.name);
        // Its fields are read by name: only from what may be given, and in a sandbox only as a path
        // reads them. What is no object for a struct (an array too) is the payload's to refuse.
        return reference(type, (w, v) => payload(w, typeof v === "object" && v !== null && !Array.isArray(v) ? jsObjects.fieldsOf(v, keys) : v));
      }
      case "objectref":
        return reference(type, (w, v) => w.u32(references.idOf(v, type)));
      case "delegate":
      case "task":
        throw new MarshalError(`a ${type.kind === "task" ? "task" : "function"} crosses only as a method's result, never inside a value`);
      case "memoryview":
        throw new MarshalError("a MemoryView crosses only as a method's parameter or result, never inside a value");
      case "listref":
      case "dictref":
        return reference(type, (w, v) => w.u32(references.collectionId(v, type)));
      case "jsobject":
        return nullReferenceAsNull(
          reference(type, (w, v) => {
            if ((typeof v !== "object" && typeof v !== "function") || v === null) throw mismatch("an object or function (a JSObject)", v);
            w.u32(jsObjects.register(v));
          }),
        );
      case "jsstream":
        return nullReferenceAsNull(
          reference(type, (w, v) => {
            const id = typeof v === "object" && v !== null ? jsObjects.registerStream(v) : null;
            if (id === null) throw mismatch("a JSStreamReference (DotNet.createJSStreamReference), a Blob, an ArrayBuffer or a typed array", v);
            w.u32(id);
          }),
        );
      default:
        return numberEncoder(type.kind, options);
    }
  };

  /** Structs whose encoder is being built: met again inside, they are built on first use instead. */
  const building = new Set<string>();

  /** A struct's payload encoder, built once; a struct that contains itself gets a lazy one inside. */
  const structEncoder = (name: string): Encoder => {
    const built = structEncoders.get(name);
    if (built) return built;
    if (building.has(name)) {
      let encode: Encoder | null = null;
      return (w, v) => (encode ??= structEncoders.get(name)!)(w, v);
    }
    building.add(name);
    const struct = structs[name];
    const encode = structPayloadEncoder(struct, struct.fields.map((field) => build(field.type)), options.maxDepth);
    building.delete(name);
    structEncoders.set(name, encode);
    return encode;
  };

  /** A handle whose value may be a reference that stands for null (Blazor's `createJSObjectReference(null)`). */
  const nullReferenceAsNull = (encode: Encoder): Encoder => (w, v) => encode(w, jsObjects.standsForNull(v) ? null : v);

  /** Null handling, identity and depth, shared by every reference type. */
  const reference = (type: TypeDescriptor & { nullable: boolean }, payload: Encoder): Encoder => {
    const tracked = isTracked(type.kind);
    const expected = typeName(type);
    const sharedAs = identityKey(type);
    return (w, v) => {
      if (v == null) {
        if (!type.nullable) throw mismatch(`${expected} (it is not nullable)`, v);
        w.u8(TAG_NULL);
        return;
      }
      if (tracked && w.ids && typeof v === "object") {
        const id = w.sharedId(sharedAs, v);
        if (id !== undefined) {
          const at = w.reserve(5);
          w.view.setUint8(at, TAG_REFERENCE);
          w.view.setUint32(at + 1, id, true);
          return;
        }
      }
      w.u8(TAG_VALUE);
      if (++w.depth > options.maxDepth) throw new MarshalError(cycleMessage(options.maxDepth, options.preserveReferences));
      payload(w, v);
      --w.depth;
    };
  };

  return build(type);
}

/** The managed class a tracked type stands for (see `WireWriter.sharedId`). */
function identityKey(type: TypeDescriptor): string {
  switch (type.kind) {
    case "array":
    case "staticarray":
    case "typedarray":
      return `#${type.classId}`;
    case "struct":
      return `struct ${type.name}`;
    case "map":
      return typeKey(type);
    default:
      return "";
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_EXAMPLE = "382c74c3-721d-4f34-80e5-57657b6cbc27";

/** A plain object's own enumerable properties, or a JS `Map` whose keys are all strings. */
function mapEntries(value: unknown, jsObjects: JSObjectHandles): [string, unknown][] {
  if (typeof value === "object" && value !== null) jsObjects.admit(value);
  if (value instanceof Map) {
    for (const key of value.keys()) {
      if (typeof key !== "string") throw mismatch("a Map with string keys only", key);
    }
    return [...(value as Map<string, unknown>).entries()];
  }
  if (typeof value !== "object" || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) {
    throw mismatch("an object (string keys) for a Map<string, V>", value);
  }
  return Object.entries(value);
}

/** Numbers are checked by the same rules as direct arguments, then written at their width. */
function numberEncoder(kind: NumberKind, options: MarshalOptions): Encoder {
  const [size, write] = NUMBER_WRITERS[kind];
  return valueEncoder(numberCodec(kind, options).lower, size, write);
}

/** A plain value: checked (and converted) by its direct codec's `lower`, then written at `size` bytes. */
function valueEncoder(lower: (value: unknown) => WasmValue, size: number, write: NumberWriter): Encoder {
  return (w, v) => {
    const value = lower(v);
    const at = w.reserve(size);
    write(w.view, at, value);
  };
}

type NumberWriter = (view: DataView, at: number, value: number | bigint) => void;

const NUMBER_WRITERS: Record<NumberKind, readonly [number, NumberWriter]> = {
  i8: [1, (view, at, v) => view.setInt8(at, v as number)],
  u8: [1, (view, at, v) => view.setUint8(at, v as number)],
  i16: [2, (view, at, v) => view.setInt16(at, v as number, true)],
  u16: [2, (view, at, v) => view.setUint16(at, v as number, true)],
  i32: [4, (view, at, v) => view.setInt32(at, v as number, true)],
  u32: [4, (view, at, v) => view.setUint32(at, v as number, true)],
  i64: [8, (view, at, v) => view.setBigInt64(at, v as bigint, true)],
  u64: [8, (view, at, v) => view.setBigUint64(at, v as bigint, true)],
  f32: [4, (view, at, v) => view.setFloat32(at, v as number, true)],
  f64: [8, (view, at, v) => view.setFloat64(at, v as number, true)],
};
