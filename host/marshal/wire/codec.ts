/**
 * The codec for values that cross encoded: lowering encodes into a JS scratch buffer and copies it
 * into a new managed `ArrayBuffer` (which generated managed code decodes); lifting decodes the
 * buffer managed code returned, straight from linear memory.
 */
import { REFERENCE_SLOT, type Codec, type MarshalContext } from "../codec.ts";
import type { ManagedHeap } from "../heap.ts";
import type { TypeDescriptor } from "../types.ts";
import { decoderFor, WireReader } from "./decode.ts";
import { encoderFor, WireWriter, type Encoder, type PayloadLimit } from "./encode.ts";
import { isStackOverflow, MarshalError } from "../errors.ts";
import { OUTPUT_HEADER } from "./format.ts";

/** Scratch buffers above this size are dropped after use rather than kept for the next call. */
const KEEP_SCRATCH_BYTES = 16 << 20;
/** One spare writer, reused across calls; a re-entrant call (a getter calling back) makes its own. */
let spare: WireWriter | null = null;

/**
 * Encodes `value` into the spare writer (or a new one when a re-entrant call holds it) and hands
 * the used bytes to `finish`, which must copy them: the writer is reused afterwards. Running out
 * of host stack (a `maxDepth` beyond it) is a conversion error, not a fault.
 */
function encodeInto<H, R>(
  encode: Encoder,
  context: MarshalContext,
  value: unknown,
  finish: (bytes: Uint8Array, heap: H) => R,
  heap: H,
  /** What the bytes will be counted against: the value stops there as it is written. */
  limit: PayloadLimit | null,
): R {
  const { preserveReferences, maxDepth } = context.options;
  const writer = spare ?? new WireWriter();
  spare = null;
  try {
    writer.begin(preserveReferences);
    writer.limitTo(limit);
    encode(writer, value);
    return finish(writer.bytes.subarray(0, writer.used), heap);
  } catch (error) {
    if (isStackOverflow(error)) {
      throw new MarshalError(`the value is nested too deeply for this host's stack (maxDepth is ${maxDepth})`);
    }
    throw error;
  } finally {
    if (writer.bytes.length <= KEEP_SCRATCH_BYTES) spare = writer;
  }
}

// The two ways `encodeInto` finishes, made once rather than a closure per value.
const copy = (bytes: Uint8Array): Uint8Array => bytes.slice();
const toInput = (bytes: Uint8Array, heap: ManagedHeap): number => heap.newInput(bytes);

/** Encoding and decoding one type's values, for managed memory or as plain bytes. */
export interface WireCodec {
  /** The value's input-format bytes (checked, not yet in managed memory). */
  bytes(value: unknown): Uint8Array;
  /** The value encoded into a managed `ArrayBuffer`, as input of the current call (`ManagedHeap.newInput`). */
  lower(value: unknown, heap: ManagedHeap): number;
  /** Decodes the output buffer managed code returned at `pointer`. */
  lift(pointer: number, heap: ManagedHeap): unknown;
}

export function wireCodec(type: TypeDescriptor, context: MarshalContext): WireCodec {
  const encode = encoderFor(type, context);
  const decode = decoderFor(type, context);
  return {
    bytes: (value) => encodeInto(encode, context, value, copy, null, null),
    lower: (value, heap) => encodeInto(encode, context, value, toInput, heap, heap),
    lift(pointer, heap) {
      const used = heap.u32[pointer >>> 2];
      heap.charge(used);
      return decode(new WireReader(new DataView(heap.u8.buffer, pointer + OUTPUT_HEADER, used - OUTPUT_HEADER)));
    },
  };
}

export function encodedCodec(type: TypeDescriptor, context: MarshalContext): Codec {
  const { lower, lift } = wireCodec(type, context);
  return {
    type,
    ...REFERENCE_SLOT,
    lower,
    lift: (raw, heap) => lift((raw as number) >>> 0, heap),
  };
}
