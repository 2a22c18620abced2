/**
 * Wire bytes → JS value, for one descriptor: the mirror of encode.ts. Every read is bounds-checked
 * (a DataView throws past its end), so a damaged buffer is an error, never a wrong value.
 */
import { MarshalError } from "../errors.ts";
import { numberCodec } from "../numbers.ts";
import { JS_TYPED_ARRAYS } from "../typed-arrays.ts";
import { readUtf16 } from "../utf16.ts";
import type { MarshalContext, MarshalOptions } from "../codec.ts";
import type { NumberKind, TypeDescriptor } from "../types.ts";
import { cycleMessage, FLAG_PRESERVE, isTracked, TAG_NULL, TAG_REFERENCE, TAG_VALUE } from "./format.ts";
import { nullableDecoder } from "./nullable.ts";
import { structPayloadDecoder, type Payload } from "./struct-decoder.ts";

export class WireReader {
  offset = 0;
  depth = 0;
  readonly preserve: boolean;
  /** Objects with an identity, by id, when references are preserved. */
  readonly seen: unknown[] = [];

  constructor(readonly view: DataView) {
    this.preserve = (this.take(1, view.getUint8(0)) & FLAG_PRESERVE) !== 0;
  }

  /** Advances past `size` bytes, returning `value` (read at the old offset by the caller). */
  take<T>(size: number, value: T): T {
    this.offset += size;
    return value;
  }

  u32(): number {
    return this.take(4, this.view.getUint32(this.offset, true));
  }

  string(): string {
    const length = this.u32();
    const at = this.offset;
    if (at + length * 2 > this.view.byteLength) throw new MarshalError("the encoded string runs past its buffer");
    this.offset += length * 2;
    return readUtf16(this.view, at, length);
  }
}

export type Decoder = (reader: WireReader) => unknown;

export function decoderFor(type: TypeDescriptor, { structs, options, references, jsObjects }: MarshalContext): Decoder {
  const structDecoders = new Map<string, Payload>();

  const build = (type: TypeDescriptor): Decoder => {
    switch (type.kind) {
      case "void":
        return () => null;
      case "bool":
        return (r) => r.take(1, r.view.getUint8(r.offset)) !== 0;
      case "char":
        return (r) => String.fromCharCode(r.take(2, r.view.getUint16(r.offset, true)));
      case "string":
        return reference(type, (r) => r.string());
      case "date":
        return reference(type, (r) => new Date(r.take(8, r.view.getFloat64(r.offset, true))));
      case "guid":
        return reference(type, (r) => {
          const high = r.take(8, r.view.getBigUint64(r.offset, true));
          const low = r.take(8, r.view.getBigUint64(r.offset, true));
          const hex = high.toString(16).padStart(16, "0") + low.toString(16).padStart(16, "0");
          return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
        });
      case "array":
      case "staticarray": {
        const element = build(type.element);
        return reference(type, (r, track) => {
          const length = r.u32();
          if (length > r.view.byteLength - r.offset) throw new MarshalError("the encoded array runs past its buffer");
          const array = new Array<unknown>(length);
          if (track) r.seen.push(array);
          for (let i = 0; i < length; ++i) array[i] = element(r);
          return array;
        });
      }
      case "typedarray": {
        const constructor = JS_TYPED_ARRAYS[type.name];
        return reference(type, (r, track) => {
          const byteLength = r.u32();
          const start = r.view.byteOffset + r.offset;
          if (r.offset + byteLength > r.view.byteLength) throw new MarshalError("the encoded typed array runs past its buffer");
          r.offset += byteLength;
          const array = new constructor(r.view.buffer.slice(start, start + byteLength) as ArrayBuffer);
          if (track) r.seen.push(array);
          return array;
        });
      }
      case "map": {
        const value = build(type.value);
        return reference(type, (r, track) => {
          const count = r.u32();
          const object: Record<string, unknown> = {};
          if (track) r.seen.push(object);
          for (let i = 0; i < count; ++i) {
            const key = r.string();
            const item = value(r);
            // An own property even for "__proto__", as JSON.parse would make it.
            if (key === "__proto__") Object.defineProperty(object, key, { value: item, enumerable: true, writable: true, configurable: true });
            else object[key] = item;
          }
          return object;
        });
      }
      case "nullable":
        return nullableDecoder(build(type.value));
      case "struct":
        return reference(type, structDecoder(type.name));
      case "objectref":
        // A plain class's object: its reference's id, then the class that reference is to.
        return type.plain
          ? reference(type, (r) => references.wrapHeld(r.u32(), r.u32(), type))
          : reference(type, (r) => references.wrap(r.u32(), type.class));
      case "delegate":
      case "task":
        throw new MarshalError(`a ${type.kind === "task" ? "task" : "function"} crosses only as a method's result, never inside a value`);
      case "memoryview":
        throw new MarshalError("a MemoryView crosses only as a method's parameter or result, never inside a value");
      case "jsobject":
      case "jsstream":
        return reference(type, (r) => jsObjects.get(r.u32()));
      case "listref":
      case "dictref":
        return reference(type, (r) => references.wrapCollection(r.u32(), type));
      default:
        return numberDecoder(type.kind, options);
    }
  };

  /** Built on first use, so a struct may (indirectly) contain itself. */
  const structDecoder = (name: string): Payload => {
    let decode: Payload | null = null;
    return (r, track) => (decode ??= buildStruct(name))(r, track);
  };

  const buildStruct = (name: string): Payload => {
    const built = structDecoders.get(name);
    if (built) return built;
    // Registered before its fields' decoders are built, so recursive structs terminate.
    let decode: Payload | null = null;
    structDecoders.set(name, (r, track) => decode!(r, track));
    decode = structPayloadDecoder(structs[name], structs[name].fields.map((field) => build(field.type)));
    structDecoders.set(name, decode);
    return decode;
  };

  /** Null, back-references and depth, shared by every reference type. */
  const reference = (type: TypeDescriptor & { nullable: boolean }, payload: Payload): Decoder => {
    const tracked = isTracked(type.kind);
    return (r) => {
      const tag = r.take(1, r.view.getUint8(r.offset));
      if (tag === TAG_NULL) {
        if (!type.nullable) throw new MarshalError("managed code returned null where the type is not nullable");
        return null;
      }
      if (tag === TAG_REFERENCE) {
        const id = r.u32();
        if (!r.preserve || id >= r.seen.length) throw new MarshalError("the encoded value has a bad back-reference");
        return r.seen[id];
      }
      if (tag !== TAG_VALUE) throw new MarshalError(`the encoded value has a bad tag (${tag})`);
      if (++r.depth > options.maxDepth) throw new MarshalError(cycleMessage(options.maxDepth, options.preserveReferences));
      const value = payload(r, tracked && r.preserve);
      --r.depth;
      return value;
    };
  };

  return build(type);
}

function numberDecoder(kind: NumberKind, options: MarshalOptions): Decoder {
  const lift = numberCodec(kind, options).lift;
  switch (kind) {
    case "i8": return (r) => r.take(1, r.view.getInt8(r.offset));
    case "u8": return (r) => r.take(1, r.view.getUint8(r.offset));
    case "i16": return (r) => r.take(2, r.view.getInt16(r.offset, true));
    case "u16": return (r) => r.take(2, r.view.getUint16(r.offset, true));
    case "i32": return (r) => r.take(4, r.view.getInt32(r.offset, true));
    case "u32": return (r) => r.take(4, r.view.getUint32(r.offset, true));
    // 64-bit values follow the assembly's int64 setting, exactly as direct results do.
    case "i64": return (r) => lift(r.take(8, r.view.getBigInt64(r.offset, true)));
    case "u64": return (r) => lift(r.take(8, r.view.getBigUint64(r.offset, true)));
    case "f32": return (r) => r.take(4, r.view.getFloat32(r.offset, true));
    case "f64": return (r) => r.take(8, r.view.getFloat64(r.offset, true));
  }
}
