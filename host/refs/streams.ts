/**
 * The JS side of streams (see assembly/interop/streams.ts): members added to the JS object of a
 * `ManagedStream` (Blazor's `DotNetStreamReference`: `stream()`, `arrayBuffer()`) or of a
 * `StreamSink` (`writeStream(source)`). One chunk at a time crosses, so memory stays flat.
 */

/** Calls into the instance for one stream or sink, by its id. */
export interface StreamCalls {
  /** The next chunk (a copy), or null at the end. */
  read(id: number): Uint8Array | null;
  write(id: number, chunk: Uint8Array): void;
  close(id: number): void;
  /** `piece`, or a copy if it views the instance's memory, which writing may grow (detaching it). */
  outsideMemory(piece: Uint8Array): Uint8Array;
}

/** Chunks pushed into a sink are split to at most this size. */
const SINK_CHUNK_BYTES = 1 << 20;

export type StreamSource = ReadableStream<Uint8Array> | Blob | AsyncIterable<ArrayBufferView | ArrayBuffer> | ArrayBufferView;

/**
 * What JavaScript gets on a managed `ManagedStream` (Blazor's `DotNetStream`, the JS side of a
 * `DotNetStreamReference`), besides the members of its class; the generated types add it.
 */
export interface DotNetStream {
  /** A promise of the stream, as Blazor's `DotNetStream.stream()` gives (`await ref.stream()`). */
  stream(): Promise<ReadableStream<Uint8Array>>;
  /** All of it in one buffer: for data that fits in memory. */
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What JavaScript gets on a managed `StreamSink`, as {@link DotNetStream}. */
export interface DotNetStreamSink {
  /** Pushes every byte of `source` into the sink, then closes it; resolves with the byte count. */
  writeStream(source: StreamSource): Promise<number>;
}

/**
 * The reference a stream method was called on: its id, and a guard that runs a call on it (checks
 * it is alive, and learns from a failure; see dotnet-object.ts). Throws a `TypeError` when `self`
 * is not a reference.
 */
export type ReferenceOf = (self: unknown) => { readonly id: number; readonly guard: <T>(call: () => T) => T };

/**
 * The methods of a `ManagedStream`'s JS object, shared by every object of its class (they find
 * the reference from `this`).
 */
export function streamMethods(calls: StreamCalls, referenceOf: ReferenceOf): DotNetStream {
  const stream = (self: unknown): ReadableStream<Uint8Array> => {
    const { id, guard } = referenceOf(self);
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = guard(() => calls.read(id));
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
  };
  /**
   * One stream per JS object, as Blazor's `DotNetStream` opens one when it is made: `stream()` gives
   * it again, and `arrayBuffer()` reads it, so a second read of data already read is the `Response`
   * error Blazor's is ("body … disturbed or locked"), never a quietly empty buffer.
   */
  const opened = new WeakMap<object, ReadableStream<Uint8Array>>();
  const openedOf = (self: unknown): ReadableStream<Uint8Array> => {
    // A reference disposed since is Blazor's "no tracked object" error, not the stream's last state.
    referenceOf(self).guard(() => undefined);
    let readable = opened.get(self as object);
    if (!readable) opened.set(self as object, (readable = stream(self)));
    return readable;
  };
  return {
    /** A promise of the stream, as Blazor's `DotNetStream.stream()` gives (`await ref.stream()`). */
    async stream(this: unknown): Promise<ReadableStream<Uint8Array>> {
      return openedOf(this);
    },
    /** All of it in one buffer: for data that fits in memory. */
    async arrayBuffer(this: unknown): Promise<ArrayBuffer> {
      return new Response(openedOf(this)).arrayBuffer();
    },
  };
}

/** The methods of a `StreamSink`'s JS object, shared as {@link streamMethods} are. */
export function sinkMethods(calls: StreamCalls, referenceOf: ReferenceOf): DotNetStreamSink {
  return {
    /** Pushes every byte of `source` into the sink, then closes it; resolves with the byte count. */
    async writeStream(this: unknown, source: StreamSource): Promise<number> {
      const { id, guard } = referenceOf(this);
      let total = 0;
      for await (const given of chunksOf(source)) {
        const piece = calls.outsideMemory(given);
        for (let at = 0; at < piece.byteLength; at += SINK_CHUNK_BYTES) {
          const chunk = piece.subarray(at, Math.min(at + SINK_CHUNK_BYTES, piece.byteLength));
          guard(() => calls.write(id, chunk));
          total += chunk.byteLength;
        }
      }
      guard(() => calls.close(id));
      return total;
    },
  };
}

async function* chunksOf(source: StreamSource): AsyncGenerator<Uint8Array> {
  if (ArrayBuffer.isView(source)) {
    yield new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    return;
  }
  const iterable = source instanceof Blob ? source.stream() : source;
  if (iterable instanceof ReadableStream) {
    const reader = iterable.getReader();
    try {
      for (let next = await reader.read(); !next.done; next = await reader.read()) yield asBytes(next.value);
    } finally {
      reader.releaseLock();
    }
    return;
  }
  for await (const piece of iterable) yield asBytes(piece);
}

function asBytes(piece: ArrayBufferView | ArrayBuffer): Uint8Array {
  if (piece instanceof ArrayBuffer) return new Uint8Array(piece);
  if (ArrayBuffer.isView(piece)) return new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength);
  throw new TypeError(`A stream chunk must be bytes (an ArrayBuffer or a typed array), got ${typeof piece}.`);
}
