/**
 * Typed arrays by value: a `Uint8Array` argument becomes a managed `Uint8Array` in one bulk copy,
 * and a returned one becomes a JS `Uint8Array` in one copy (`slice`), whatever the size.
 *
 * Layout, as AssemblyScript defines it: a 12-byte header { buffer, dataStart, byteLength } over an
 * `ArrayBuffer`. The buffer is pinned while the header is allocated, since that may collect.
 */
import { REFERENCE_SLOT, type Codec } from "./codec.ts";
import { mismatch } from "./errors.ts";
import { typeName, type TypeDescriptor, type TypedArrayName } from "./types.ts";

const HEADER_SIZE = 12;

export type TypedArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array | Float32Array | Float64Array;
type TypedArrayConstructor = { new (buffer: ArrayBuffer): TypedArray; readonly name: string };

/** AssemblyScript's names for the 64-bit ones differ from JavaScript's. */
export const JS_TYPED_ARRAYS: Record<TypedArrayName, TypedArrayConstructor> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Int64Array: BigInt64Array, Uint64Array: BigUint64Array, Float32Array, Float64Array,
};

export function typedArrayCodec(type: Extract<TypeDescriptor, { kind: "typedarray" }>): Codec {
  const { classId, nullable } = type;
  const constructor = JS_TYPED_ARRAYS[type.name];
  const expected = `a ${constructor.name} for ${typeName(type)}${nullable ? " or null" : ""}`;
  return {
    type,
    ...REFERENCE_SLOT,
    lower(value, heap) {
      if (value == null && nullable) return 0;
      if (!(value instanceof constructor)) throw mismatch(expected, value);
      // Read before allocating: a view of this instance's memory detaches if memory grows.
      const byteLength = value.byteLength;
      const buffer = heap.newBuffer(new Uint8Array(value.buffer, value.byteOffset, byteLength));
      heap.pin(buffer);
      try {
        const header = heap.allocate(HEADER_SIZE, classId);
        const fields = heap.u32;
        fields[header >>> 2] = buffer;
        fields[(header >>> 2) + 1] = buffer;
        fields[(header >>> 2) + 2] = byteLength;
        return header;
      } finally {
        heap.unpin(buffer);
      }
    },
    lift(raw, heap) {
      const pointer = (raw as number) >>> 0;
      if (pointer === 0) return null;
      const fields = heap.u32;
      const dataStart = fields[(pointer >>> 2) + 1];
      const byteLength = fields[(pointer >>> 2) + 2];
      heap.charge(byteLength);
      return new constructor(heap.u8.buffer.slice(dataStart, dataStart + byteLength) as ArrayBuffer);
    },
  };
}
