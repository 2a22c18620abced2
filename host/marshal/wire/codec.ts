/**
 * The codec for values that cross encoded: lowering encodes into a JS scratch buffer and copies it
 * into a new managed `ArrayBuffer` (which generated managed code decodes); lifting decodes the
 * buffer managed code returned, straight from linear memory.
 */
import type { Codec, MarshalContext } from "../codec.ts";
import type { ManagedHeap } from "../heap.ts";
import type { TypeDescriptor } from "../types.ts";
import { decoderFor, WireReader } from "./decode.ts";
import { encoderFor, WireWriter, type Encoder } from "./encode.ts";
import { isStackOverflow, MarshalError } from "../errors.ts";
import { OUTPUT_HEADER } from "./format.ts";

/** Scratch buffers above this size are dropped after use rather than kept for the next call. */
const KEEP_SCRATCH_BYTES = 16 << 20;
/** One spare writer, reused across calls; a re-entrant call (a getter calling back) makes its own. */
let spare: WireWriter | null = null;

/** Runs an encoder; running out of host stack (a `maxDepth` beyond it) is a conversion error, not a fault. */
function encodeWithin(encode: Encoder, writer: WireWriter, value: unknown, maxDepth: number): void {
  try {
    encode(writer, value);
  } catch (error) {
    if (isStackOverflow(error)) {
      throw new MarshalError(`the value is nested too deeply for this host's stack (maxDepth is ${maxDepth})`);
    }
    throw error;
  }
}

/** Encoding to plain bytes and decoding from a managed output buffer, for one type. */
export interface WireCodec {
  /** The value's input-format bytes (checked, not yet in managed memory). */
  bytes(value: unknown): Uint8Array;
  /** Decodes the output buffer managed code returned at `pointer`. */
  lift(pointer: number, heap: ManagedHeap): unknown;
}

export function wireCodec(type: TypeDescriptor, context: MarshalContext): WireCodec {
  const encode = encoderFor(type, context);
  const decode = decoderFor(type, context);
  return {
    bytes(value) {
      const writer = spare ?? new WireWriter();
      spare = null;
      try {
        writer.begin(context.options.preserveReferences);
        encodeWithin(encode, writer, value, context.options.maxDepth);
        return writer.bytes.slice(0, writer.used);
      } finally {
        if (writer.bytes.length <= KEEP_SCRATCH_BYTES) spare = writer;
      }
    },
    lift(pointer, heap) {
      const used = heap.u32[pointer >>> 2];
      return decode(new WireReader(new DataView(heap.u8.buffer, pointer + OUTPUT_HEADER, used - OUTPUT_HEADER)));
    },
  };
}

export function encodedCodec(type: TypeDescriptor, context: MarshalContext): Codec {
  const { options } = context;
  const encode = encoderFor(type, context);
  const { lift } = wireCodec(type, context);
  return {
    type,
    reference: true,
    elementView: Uint32Array,
    bulkCopy: false,
    lower(value, heap) {
      const writer = spare ?? new WireWriter();
      spare = null;
      try {
        writer.begin(options.preserveReferences);
        encodeWithin(encode, writer, value, options.maxDepth);
        return heap.newBuffer(writer.bytes.subarray(0, writer.used));
      } finally {
        if (writer.bytes.length <= KEEP_SCRATCH_BYTES) spare = writer;
      }
    },
    lift: (raw, heap) => lift((raw as number) >>> 0, heap),
  };
}
