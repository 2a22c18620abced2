import { JSObject } from "./object";
import { track } from "../objects";
import { SinkLease, StreamSink } from "../streams";
import { Task, trackTask } from "../task";
import { canceledAlready, CancellationToken } from "../cancellation";

/** The byte length of handle `handle` as stream data, or -1 when it is not (host/js/stream-references.ts). */
// @ts-ignore: decorator
@external("as-interop", "streamLength")
declare function hostStreamLength(handle: u32): f64;

/** Copies handle `handle`'s data into the lent sink `sink`, then completes task `task` with the byte count. */
// @ts-ignore: decorator
@external("as-interop", "copyStream")
declare function hostCopyStream(handle: u32, maxAllowedSize: f64, sink: u32, task: u32, bufferSize: i32): void;

/**
 * JavaScript data that managed code reads as a stream (Blazor's `IJSStreamReference`): a `Blob` or
 * `File`, an `ArrayBuffer`, a typed array. JS passes one made with
 * `DotNet.createJSStreamReference(data)`, or the data itself; a JS function called with
 * `JSRuntime.invoke<JSStreamReference>` may return either too. The data stays in JS: managed code
 * knows its `length` and reads it in chunks with `openReadStream(maxAllowedSize).copyTo(sink)`.
 * `dispose()` lets JS collect it (a reference JS made is then gone for every assembly).
 */
export class JSStreamReference extends JSObject {
  constructor(
    id: u32,
    /** The data's length in bytes (Blazor's `Length`). */
    readonly length: i64,
  ) {
    super(id);
  }

  /**
   * A stream over the data, to read with `copyTo`. `maxAllowedSize`: the most bytes the reader
   * accepts; by default there is no cap (Blazor's is 512,000 bytes).
   */
  openReadStream(maxAllowedSize: i64 = i64.MAX_VALUE): JSReadStream {
    return new JSReadStream(this, maxAllowedSize);
  }
}

/**
 * A JS stream reference being read (what Blazor's `OpenReadStreamAsync` opens). AssemblyScript
 * has no `await`, so the reading is the host's: `copyTo` hands it a sink and returns at once.
 */
export class JSReadStream {
  constructor(
    readonly reference: JSStreamReference,
    readonly maxAllowedSize: i64,
  ) {}

  /**
   * Reads the data from its start and writes it into `sink` (.NET's `Stream.CopyToAsync`), at most
   * `bufferSize` bytes a chunk, then calls `sink.close()`. The task completes with the number of
   * bytes copied, or fails (data over `maxAllowedSize`, the reference disposed, `sink.write`
   * aborting), and then the sink is not closed. Canceling the task stops the copy, and so does
   * `token` (.NET's `CopyToAsync(destination, bufferSize, cancellationToken)`); one canceled
   * already cancels it before anything is read.
   */
  copyTo(sink: StreamSink, bufferSize: i32 = 1 << 20, token: CancellationToken | null = null): Task<i64> {
    const task = new Task<i64>();
    const length = this.reference.length;
    if (canceledAlready(token)) {
      task.cancel();
    } else if (length > this.maxAllowedSize) {
      task.reject(`The incoming data stream of length ${length} exceeds the maximum allowed length ${this.maxAllowedSize}.`);
    } else if (bufferSize <= 0) {
      task.reject(`The buffer size must be positive, but it is ${bufferSize}.`);
    } else {
      const lease = new SinkLease(sink);
      hostCopyStream(this.reference.id, <f64>this.maxAllowedSize, track(lease, changetype<usize>(lease)), trackTask(task), bufferSize);
      task.cancelWith(token);
    }
    return task;
  }
}

/** The stream reference for JS object handle `id` (the readers'), or null when the host says it is not stream data. */
export function streamReferenceOf(id: u32): JSStreamReference | null {
  const length = hostStreamLength(id);
  return length < 0 ? null : new JSStreamReference(id, <i64>length);
}
