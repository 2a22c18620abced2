import { checkedAs, holder } from "./objects";
import { DotNetObjectReference } from "./reference";

/**
 * Data larger than one managed object (about 1 GiB) or than linear memory moves as a stream of
 * chunks, in the spirit of Blazor's `DotNetStreamReference` / `IJSStreamReference`, and with no
 * `maxAllowedSize`. Hand an instance of a subclass to JavaScript with `DotNetObjectReference.create`:
 *
 * - a `ManagedStream` gets `stream()` (a `ReadableStream`) and `arrayBuffer()` in JS, which pull
 *   its `read` one chunk at a time through one reused buffer;
 * - a `StreamSink` gets `writeStream(source)` in JS, which pushes any `ReadableStream`, `Blob` or
 *   async iterable of bytes into its `write`, one bounded chunk at a time, then calls `close`.
 *
 * Only the current chunk is ever in linear memory, so memory stays flat however much passes.
 */
export abstract class ManagedStream {
  /** The reused chunk buffer; its size is the largest chunk JS asks for at once. */
  readonly chunk: Uint8Array;

  constructor(chunkSize: i32 = 1 << 20) {
    this.chunk = new Uint8Array(chunkSize);
  }

  /** Fills `into` from its start and returns how many bytes it wrote; 0 means the end. */
  abstract read(into: Uint8Array): i32;
}

/**
 * A `ManagedStream` over bytes already in memory (.NET's `MemoryStream`), for Blazor's
 * `new DotNetStreamReference(new MemoryStream(bytes))`: JS reads `data` from its start, in chunks
 * of at most `chunkSize` bytes (no larger than the data: a small stream keeps a small buffer). The
 * bytes are not copied: change them only before JS has read them.
 */
export class MemoryStream extends ManagedStream {
  private position: i32 = 0;

  constructor(
    private readonly data: Uint8Array,
    chunkSize: i32 = 1 << 20,
  ) {
    super(max(1, min(chunkSize, data.length)));
  }

  read(into: Uint8Array): i32 {
    const count = min(into.length, this.data.length - this.position);
    memory.copy(into.dataStart, this.data.dataStart + <usize>this.position, <usize>count);
    this.position += count;
    return count;
  }
}

export abstract class StreamSink {
  /** Receives the next chunk, valid only during the call (copy what must be kept). */
  abstract write(chunk: Uint8Array): void;
  /** Called once after the last chunk. */
  close(): void {}
}

/** The object behind reference `id`, whatever its class (every reference has the same layout). */
function referenced(id: u32): Object {
  return changetype<DotNetObjectReference<Object>>(holder(id)).value;
}

function streamOf(id: u32): ManagedStream {
  return checkedAs<ManagedStream>(referenced(id), id, "ManagedStream");
}

/** A sink lent to the host for one copy (`JSReadStream.copyTo`), tracked under an id of its own. */
export class SinkLease {
  constructor(readonly sink: StreamSink) {}
}

function sinkOf(id: u32): StreamSink {
  const held = holder(id);
  if (held instanceof SinkLease) return changetype<SinkLease>(held).sink;
  return checkedAs<StreamSink>(referenced(id), id, "StreamSink");
}

/** Host: reads the next chunk of stream `id` into its buffer; returns its length (0 at the end). */
export function streamRead(id: u32): i32 {
  const stream = streamOf(id);
  const count = stream.read(stream.chunk);
  if (count < 0 || count > stream.chunk.length) throw new RangeError(`ManagedStream.read returned ${count}`);
  return count;
}

/** Host: where stream `id`'s chunk buffer is, to copy a chunk out without another call. */
export function streamBuffer(id: u32): usize {
  return streamOf(id).chunk.dataStart;
}

/** Host: hands the next chunk (a buffer the host filled) to sink `id`. */
export function sinkWrite(id: u32, chunk: ArrayBuffer): void {
  sinkOf(id).write(Uint8Array.wrap(chunk));
}

/** Host: tells sink `id` that the data is complete. */
export function sinkClose(id: u32): void {
  sinkOf(id).close();
}
