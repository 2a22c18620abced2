/**
 * Strings by value: a JS string becomes a real managed `String` (UTF-16, code unit for code unit,
 * so surrogate pairs and even lone surrogates survive), and back.
 */
import { REFERENCE_SLOT, type Codec, type ValueCodec } from "./codec.ts";
import { mismatch } from "./errors.ts";
import type { TypeDescriptor } from "./types.ts";

export function stringCodec(type: Extract<TypeDescriptor, { kind: "string" }>): Codec {
  const { nullable } = type;
  return {
    type,
    ...REFERENCE_SLOT,
    lower(value, heap) {
      if (typeof value === "string") return heap.newString(value);
      if (value == null && nullable) return 0;
      throw mismatch(nullable ? "a string or null" : "a string", value);
    },
    lift(pointer, heap) {
      const address = (pointer as number) >>> 0;
      if (address === 0) return null;
      heap.charge(heap.sizeOf(address));
      return heap.readString(address);
    },
  };
}

/** `char`: one UTF-16 code unit as a wasm value, a one-character string in JS. */
export const charCodec: ValueCodec = {
  type: { kind: "char" },
  reference: false,
  plain: true,
  elementView: Uint16Array,
  bulkCopy: false,
  lower(value) {
    if (typeof value === "string" && value.length === 1) return value.charCodeAt(0);
    throw mismatch("a char (a string of exactly one UTF-16 code unit)", value);
  },
  lift: (value) => String.fromCharCode(value as number),
};
