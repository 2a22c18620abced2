/**
 * JS stream references, JS side (Blazor's `IJSStreamReference`; the managed half is
 * assembly/interop/js/stream-reference.ts). Managed code holds JS data — a `Blob`, an
 * `ArrayBuffer`, a typed array — as a handle in its JS object table, and:
 *
 * - `streamLength(handle)` checks that the handle is stream data and says how long it is;
 * - `copyStream(handle, maxAllowedSize, sink, task, bufferSize)` reads the data one chunk at a time
 *   (a `Blob` through `slice()`, so it is never in memory whole), writes each chunk into the
 *   managed `StreamSink` lent for the copy (tracked as `sink`), closes it, and completes managed
 *   task `task` with the byte count; or fails the task, leaving the sink unclosed (at once, with
 *   Blazor's message, for a handle that is not stream data).
 *
 * Only one chunk is in linear memory at a time, so memory stays flat however large the data is.
 * Whatever way the copy ends, the lent sink is released; canceling the task stops it.
 */
import { InteropError } from "../runtime/errors.ts";
import type { StreamCalls } from "../refs/streams.ts";
import type { JSAccess } from "./membrane.ts";
import type { JSObjectTable } from "./objects.ts";
import { NOT_STREAM_DATA, streamLengthOf } from "./object-references.ts";
import { encodeError, encodeTagged, type TaggedContext } from "./tagged.ts";
import type { TaskTable } from "./tasks.ts";

export interface StreamReferenceContext extends TaggedContext {
  readonly jsObjects: JSObjectTable;
  readonly tasks: TaskTable;
  readonly access: JSAccess;
  /** The instance's sink calls (once it is instantiated). */
  readonly sinks: StreamCalls;
  /** Releases a tracked managed object (the lent sink), unless the instance can no longer run. */
  releaseTracked(id: number): void;
}

/** Blazor's message when the data is larger than the reader allows (`OpenReadStreamAsync`). */
export const tooLarge = (length: number, maxAllowedSize: number) =>
  `The incoming data stream of length ${length} exceeds the maximum allowed length ${maxAllowedSize}.`;

export function streamReferenceImports(context: StreamReferenceContext) {
  return {
    /** The byte length of handle `handle` as stream data, or -1 when it is not stream data. */
    streamLength(handle: number): number {
      return context.jsObjects.streamLength(handle >>> 0);
    },

    copyStream(handle: number, maxAllowedSize: number, sink: number, task: number, bufferSize: number): void {
      // Past the limit on pending tasks, the task has failed and nothing is read: the sink goes.
      if (!context.tasks.roomFor(task >>> 0)) return context.releaseTracked(sink >>> 0);
      // Each chunk is one value for maxPayloadBytes: a larger one would be read whole (a Blob's, into
      // the host's memory) only to be refused, so the limit caps the size managed code asks for.
      const chunkSize = Math.min(Math.max(1, bufferSize | 0), context.heap?.maxPayloadBytes ?? Infinity);
      const copying = copy(context, handle >>> 0, maxAllowedSize, sink >>> 0, task >>> 0, chunkSize);
      context.tasks.follow(
        task >>> 0,
        copying,
        0,
        (total) => encodeTagged(total, context, false),
        (error) => encodeError(error, context.access),
      );
    },
  };
}

async function copy(context: StreamReferenceContext, handle: number, maxAllowedSize: number, sink: number, task: number, bufferSize: number): Promise<number> {
  try {
    // Not inside the managed call that started the copy: the sink is written once it has returned.
    await undefined;
    const { jsObjects, tasks, sinks } = context;
    const data = jsObjects.get(handle);
    const length = streamLengthOf(data);
    // Managed code can make a JSStreamReference of any handle: anything else read as a view would
    // have its properties read and what they hold iterated, past the sandbox's membrane.
    if (length < 0) throw new InteropError(NOT_STREAM_DATA);
    let total = 0;
    let sinceYield = 0;
    let chunksSinceYield = 0;
    for await (const chunk of chunksOf(data, bufferSize)) {
      // In-memory data (and Node's Blobs) comes in promise jobs alone, which would keep timers and
      // I/O waiting until the whole copy is done: let them run now and then.
      sinceYield += chunk.byteLength;
      if (++chunksSinceYield >= YIELD_CHUNKS || sinceYield >= YIELD_BYTES) {
        sinceYield = chunksSinceYield = 0;
        await yieldToEventLoop();
      }
      // Canceled: nobody waits for the rest. Disposed meanwhile: Blazor's message.
      if (!tasks.following(task)) return total;
      jsObjects.get(handle);
      total += chunk.byteLength;
      if (total > maxAllowedSize) throw new InteropError(tooLarge(total, maxAllowedSize));
      sinks.write(sink, sinks.outsideMemory(chunk));
    }
    if (!tasks.following(task)) return total;
    if (total !== length) throw new InteropError(`The JavaScript data ended after ${total} of its ${length} bytes.`);
    sinks.close(sink);
    return total;
  } finally {
    context.releaseTracked(sink);
  }
}

/** How much is copied, at most, between two turns of the event loop. */
const YIELD_BYTES = 16 << 20;
const YIELD_CHUNKS = 1024;

/**
 * The event loop's next turn, scheduled by the functions there were when this module loaded: a
 * test's fake timers (Vitest's, Jest's) replace the globals later and run them only when the test
 * moves its clock on, which would stall a copy halfway.
 */
const setImmediateAtLoad = typeof setImmediate === "function" ? setImmediate : undefined;
const setTimeoutAtLoad = setTimeout;

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (setImmediateAtLoad ? setImmediateAtLoad(resolve) : setTimeoutAtLoad(resolve, 0)));

/** The data's bytes from the start, at most `size` at a time; a view's length is read at each chunk. */
async function* chunksOf(data: object, size: number): AsyncGenerator<Uint8Array> {
  if (typeof Blob !== "undefined" && data instanceof Blob) {
    for (let at = 0; at < data.size; at += size) yield new Uint8Array(await data.slice(at, at + size).arrayBuffer());
    return;
  }
  const view = data as ArrayBuffer | ArrayBufferView;
  const bytes = () => (view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  for (let at = 0; at < bytes().byteLength; at += size) yield bytes().subarray(at, at + size);
}
