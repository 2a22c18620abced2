/**
 * Streams (issue 3, "No size limits"), against real compiled wasm (test/fixtures/streams.ts): a
 * ManagedStream read by JS through `stream()` and `arrayBuffer()`, a StreamSink fed by
 * `writeStream()` from every kind of source and checksummed in managed code, chunks split to at
 * most 1 MiB, memory that stays flat while 256 MiB pass each way, and the errors.
 * The 8 GiB run is test/streams-8gib.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DotNetObject, InteropError, InteropRuntime, ManagedError, type LoadedAssembly } from "../host/runtime/index.ts";
import { concat } from "../host/compiler/custom-sections.ts";
import { renderDeclarations } from "../host/compiler/typings.ts";
import { compileFixture, compileVirtual, noTrackedObject, rejection, type CompiledFixture } from "./helpers.ts";
import { BlockVerifier, block, checksumOf, StreamChecksum, xorshiftBytes } from "./stream-data.ts";

const NAME = "Streams";
const MiB = 2 ** 20;

interface Stream extends DotNetObject {
  stream(): Promise<ReadableStream<Uint8Array>>;
  arrayBuffer(): Promise<ArrayBuffer>;
  dispose(): void;
  readonly id: number;
}
interface BytesStream extends Stream {
  readonly position: number;
  readonly reads: number;
}
interface BlockStream extends Stream {
  readonly produced: number;
  readonly blocks: number;
}
type Source = ReadableStream<Uint8Array> | Blob | AsyncIterable<ArrayBufferView | ArrayBuffer> | ArrayBufferView;
interface Sink extends DotNetObject {
  writeStream(source: Source): Promise<number>;
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  dispose(): void;
  readonly id: number;
  readonly total: number;
  readonly chunks: number;
  readonly largestChunk: number;
  readonly smallestChunk: number;
  readonly closed: number;
}


let fixture: CompiledFixture;
let runtime: InteropRuntime;
let assembly: LoadedAssembly;

beforeAll(async () => {
  // Optimized, as an app would ship it: the checksum runs over hundreds of MiB.
  fixture = await compileFixture("streams", { assemblyName: NAME, optimize: true });
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(fixture.module);
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const memoryBytes = (loaded = assembly) =>
  loaded.heap.runtime.memory.buffer.byteLength;

/** Every chunk a ReadableStream gives, in order. */
async function chunksOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

/** A ReadableStream of `data` cut into pieces of the given sizes, repeated until it is all out. */
function piecewise(data: Uint8Array, sizes: readonly number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let turn = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= data.byteLength) return controller.close();
      const size = sizes[turn++ % sizes.length];
      controller.enqueue(data.slice(at, at + size));
      at += size;
    },
  });
}


describe("ManagedStream: JS reads", () => {
  it("stream() gives a promise of a ReadableStream (as Blazor's DotNetStream does) of the managed chunks, in order, every byte intact", async () => {
    const data = xorshiftBytes(3000, 11);
    const stream = call<BytesStream>("OpenBytes", data, 777);
    expect(stream).toBeInstanceOf(DotNetObject);
    const promised = stream.stream();
    expect(promised).toBeInstanceOf(Promise);
    const readable = await promised;
    expect(readable).toBeInstanceOf(ReadableStream);
    const chunks = await chunksOf(readable);
    expect(chunks.map((c) => c.byteLength)).toEqual([777, 777, 777, 669]);
    expect(concat(chunks)).toEqual(data);
    // The chunks are JS's own copies, not views of linear memory.
    const memory = assembly.heap.runtime.memory;
    for (const chunk of chunks) expect(chunk.buffer).not.toBe(memory.buffer);
    expect([stream.position, stream.reads]).toEqual([3000, 5]);
    stream.dispose();
  });

  it("arrayBuffer() gives all of it in one buffer", async () => {
    const data = xorshiftBytes(5 * MiB + 4321, 12);
    const stream = call<BytesStream>("OpenBytes", data, MiB);
    const buffer = await stream.arrayBuffer();
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(buffer.byteLength).toBe(data.byteLength);
    expect(Buffer.from(buffer).equals(Buffer.from(data.buffer))).toBe(true);
    stream.dispose();
  });

  it("stream() gives the same ReadableStream each time, as Blazor's DotNetStream does: what one reader left is the next one's, and arrayBuffer() of a stream already read is the Response error, not an empty buffer", async () => {
    const data = xorshiftBytes(3000, 14);
    const stream = call<BytesStream>("OpenBytes", data, 1000);
    const readable = await stream.stream();
    expect(await stream.stream()).toBe(readable);
    const reader = readable.getReader();
    const first = await reader.read();
    expect(first.value?.byteLength).toBe(1000);
    reader.releaseLock();
    const rest = await chunksOf(await stream.stream());
    expect(concat([first.value!, ...rest])).toEqual(data);
    await expect(stream.arrayBuffer()).rejects.toThrow(TypeError);
    // Read whole once, as Blazor's downloadFileFromStream sample does: then read.
    const whole = call<BytesStream>("OpenBytes", data, 1000);
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(data);
    await expect(whole.arrayBuffer()).rejects.toThrow(TypeError);
  });

  it("an empty stream gives no chunk and an empty buffer", async () => {
    const empty = new Uint8Array(0);
    expect(await chunksOf(await call<BytesStream>("OpenBytes", empty, 64).stream())).toEqual([]);
    expect((await call<BytesStream>("OpenBytes", empty, 64).arrayBuffer()).byteLength).toBe(0);
  });

  it("blocks of 1 MiB, each checked byte for byte", async () => {
    const pattern = xorshiftBytes(MiB, 13);
    const total = 7 * MiB + 5;
    const stream = call<BlockStream>("OpenBlocks", total, MiB, 13);
    const verifier = new BlockVerifier(pattern);
    const sizes: number[] = [];
    for await (const chunk of (await stream.stream()) as unknown as AsyncIterable<Uint8Array>) {
      verifier.update(chunk);
      sizes.push(chunk.byteLength);
    }
    expect(verifier.position).toBe(total);
    expect(sizes).toEqual([...Array<number>(7).fill(MiB), 5]);
    expect([stream.produced, stream.blocks]).toEqual([total, 8]);
    // The verifier itself notices a wrong byte.
    const wrong = block(pattern, 0);
    wrong[1000] ^= 1;
    expect(() => new BlockVerifier(pattern).update(wrong)).toThrow("byte 1000 differs");
  });

  it("a reference typed as ManagedStream itself (DotNetObjectReference<ManagedStream>) has stream() and arrayBuffer() too", async () => {
    const data = xorshiftBytes(3000, 15);
    expect(concat(await chunksOf(await call<Stream>("OpenAnyStream", data, 1000).stream()))).toEqual(data);
    expect(new Uint8Array(await call<Stream>("OpenAnyStream", data, 1000).arrayBuffer())).toEqual(data);
  });

  it("a stream and a sink no signature names, handed to JS only in a call into JS (Blazor's DotNetStreamReference argument), have stream()/arrayBuffer() and writeStream()", async () => {
    // Its own program: here no @jsInvokable signature names ManagedStream, StreamSink or a class
    // extending them, so nothing but the classes themselves can put them in the manifest.
    const source = `
      import { DotNetObjectReference, JSArgs, JSRuntime, ManagedStream, MemoryStream, StreamSink } from "as-interop/assembly/interop";

      class CountingStream extends ManagedStream {
        private produced: i32 = 0;
        constructor(private total: i32) { super(256); }
        read(into: Uint8Array): i32 {
          const n = min(into.length, this.total - this.produced);
          for (let i = 0; i < n; i++) into[i] = <u8>(this.produced + i);
          this.produced += n;
          return n;
        }
      }

      class SummingSink extends StreamSink {
        sum: i64 = 0;
        write(chunk: Uint8Array): void { for (let i = 0; i < chunk.length; i++) this.sum += chunk[i]; }
      }

      let summing: SummingSink | null = null;

      @jsInvokable
      export function HandStreamsToJS(total: i32): void {
        JSRuntime.invokeVoid("readStream", JSArgs.of(DotNetObjectReference.create(new CountingStream(total))));
        const bytes = new Uint8Array(3);
        bytes[0] = 7; bytes[1] = 8; bytes[2] = 9;
        JSRuntime.invokeVoid("readStream", JSArgs.of(DotNetObjectReference.create<ManagedStream>(new MemoryStream(bytes))));
        const sink = new SummingSink();
        summing = sink;
        JSRuntime.invokeVoid("fillSink", JSArgs.of(DotNetObjectReference.create<StreamSink>(sink)));
      }

      @jsInvokable
      export function SummedBytes(): i64 { return summing!.sum; }
    `;
    const { binary } = await compileVirtual({ "unnamed-streams.ts": source }, { assemblyName: "UnnamedStreams" });
    const own = new InteropRuntime();
    await own.loadAssembly(await WebAssembly.compile(binary as BufferSource));
    const read: Promise<Uint8Array>[] = [];
    let filled: Promise<number> | undefined;
    const g = globalThis as Record<string, unknown>;
    g["readStream"] = (streamRef: Stream) => void read.push(streamRef.arrayBuffer().then((buffer) => new Uint8Array(buffer)));
    g["fillSink"] = (sinkRef: Sink) => void (filled = sinkRef.writeStream(new Uint8Array([1, 2, 3, 250])));
    try {
      own.invokeMethod("UnnamedStreams", "HandStreamsToJS", 1000);
      expect(await read[0]).toEqual(Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff));
      expect(await read[1]).toEqual(new Uint8Array([7, 8, 9]));
      expect(await filled).toBe(4);
      expect(own.invokeMethod("UnnamedStreams", "SummedBytes")).toBe(256);
    } finally {
      delete g["readStream"];
      delete g["fillSink"];
    }
  });

  it("a reader may stop early (cancel); the stream's managed state stays where it was", async () => {
    const data = xorshiftBytes(10_000, 14);
    const stream = call<BytesStream>("OpenBytes", data, 1000);
    const reader = (await stream.stream()).getReader();
    const first = await reader.read();
    expect(first.value).toEqual(data.subarray(0, 1000));
    await reader.cancel();
    // One chunk read, perhaps one more pulled ahead; never the whole stream.
    expect(stream.position).toBeLessThanOrEqual(2000);
    stream.dispose();
  });
});

describe("StreamSink: JS writes", () => {
  const data = xorshiftBytes(3 * MiB + 123, 21);
  const expected = checksumOf(data);

  async function expectReceived(source: Source, bytes: Uint8Array = data): Promise<Sink> {
    const sink = call<Sink>("OpenSink");
    expect(await sink.writeStream(source)).toBe(bytes.byteLength);
    expect(sink.total).toBe(bytes.byteLength);
    expect(sink.invokeMethod("Checksum")).toBe(checksumOf(bytes));
    expect(sink.closed).toBe(1);
    expect(sink.largestChunk).toBeLessThanOrEqual(MiB);
    return sink;
  }

  it("a reference typed as StreamSink itself (DotNetObjectReference<StreamSink>) has writeStream() too", async () => {
    const sink = call<Sink>("OpenAnySink");
    expect(await sink.writeStream(data)).toBe(data.byteLength);
    sink.dispose();
  });

  it("checksums the same way as the test (and the checksum tells data apart)", () => {
    const sum = new StreamChecksum();
    for (let at = 0; at < data.byteLength; at += 1001) sum.update(data.subarray(at, at + 1001));
    expect(sum.digest()).toBe(expected);
    const changed = data.slice();
    changed[12345] ^= 0x80;
    expect(checksumOf(changed)).not.toBe(expected);
    expect(checksumOf(data.subarray(1))).not.toBe(expected);
  });

  it("from a ReadableStream, in pieces of any size (odd ones too)", async () => {
    const sink = await expectReceived(piecewise(data, [1, 3, 5, 65536, 7, 2 * MiB + 1]));
    expect(sink.smallestChunk).toBe(1);
  });

  it("from a view of the instance's own memory, which the writes grow (and so would detach)", async () => {
    const fresh = new InteropRuntime();
    const loaded = await fresh.loadAssembly(fixture.module);
    const memory = loaded.heap.runtime.memory;
    // Three chunks (1 MiB each) in pages grown for them, beyond anything the heap uses; the copies
    // of the chunks must then grow memory again.
    const end = memory.buffer.byteLength;
    memory.grow((3 * MiB) >> 16);
    const view = new Uint8Array(memory.buffer, end, 3 * MiB);
    view.set(data.subarray(0, 3 * MiB));
    const bytes = view.slice();
    const sink = fresh.invokeMethod<Sink>(NAME, "OpenSink");
    expect(await sink.writeStream(view)).toBe(bytes.byteLength);
    expect(sink.total).toBe(bytes.byteLength);
    expect(sink.invokeMethod("Checksum")).toBe(checksumOf(bytes));
    expect(view.byteLength).toBe(0);
  });

  it("from a Blob", async () => {
    await expectReceived(new Blob([data.subarray(0, 1000), data.subarray(1000)]));
  });

  it("from an async generator of Uint8Arrays, ArrayBuffers and other views", async () => {
    async function* pieces(): AsyncGenerator<ArrayBufferView | ArrayBuffer> {
      let at = 0;
      const take = (n: number) => data.slice(at, (at += n));
      yield take(10);
      yield take(4096).buffer;
      yield new DataView(take(333).buffer);
      yield new Int16Array(take(2000).buffer);
      await new Promise((resolve) => setTimeout(resolve, 1));
      // A view into the middle of a larger buffer.
      const rest = data.byteLength - at;
      const padded = new Uint8Array(rest + 16);
      padded.set(data.subarray(at), 8);
      yield padded.subarray(8, 8 + rest);
    }
    await expectReceived(pieces());
  });

  it("from a Uint8Array (a view with an offset, too)", async () => {
    await expectReceived(data);
    const padded = new Uint8Array(data.byteLength + 10);
    padded.set(data, 7);
    await expectReceived(padded.subarray(7, 7 + data.byteLength));
    await expectReceived(new Uint8Array(0), new Uint8Array(0));
  });

  it("splits chunks larger than 1 MiB", async () => {
    const sink = await expectReceived(data);
    expect([sink.chunks, sink.largestChunk, sink.smallestChunk]).toEqual([4, MiB, 123]);
    const big = xorshiftBytes(2 * MiB + 1, 22);
    const fromStream = await expectReceived(piecewise(big, [big.byteLength]), big);
    expect([fromStream.chunks, fromStream.largestChunk, fromStream.smallestChunk]).toEqual([3, MiB, 1]);
  });

  it("a chunk that is not bytes is a TypeError; the sink is not closed", async () => {
    async function* wrong(): AsyncGenerator<unknown> {
      yield new Uint8Array(8);
      yield "not bytes";
    }
    const sink = call<Sink>("OpenSink");
    const error = await rejection(sink.writeStream(wrong() as AsyncIterable<ArrayBufferView>));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain("A stream chunk must be bytes");
    expect([sink.total, sink.closed]).toEqual([8, 0]);
  });
});

describe("the generated types", () => {
  it("give a stream's object stream() and arrayBuffer(), and a sink's writeStream(), whatever class the reference names", () => {
    const types = renderDeclarations(fixture.manifest, { entry: "test/fixtures/streams.ts" });
    const extended = (name: string) => new RegExp(`export interface ${name}<[^\\n]*> extends DotNetObject<\\{[\\s\\S]*?\\}>(, [^{]*)? \\{`).exec(types)?.[1];
    for (const name of ["BytesStream", "BlockStream", "ManagedStream"]) expect(extended(name), name).toBe(", DotNetStream");
    expect(types).toContain(`type DotNetStream = import("as-interop").DotNetStream;`);
    expect(types).toContain(`type DotNetStreamSink = import("as-interop").DotNetStreamSink;`);
    for (const name of ["ChecksumSink", "StreamSink"]) expect(extended(name), name).toBe(", DotNetStreamSink");
  });
});

describe("memory stays flat while 256 MiB pass each way", () => {
  const TOTAL = 256 * MiB;
  const LIMIT = 32 * MiB;

  it("managed → JS: every byte checked, linear memory under 32 MiB throughout", async () => {
    const own = new InteropRuntime();
    const loaded = await own.loadAssembly(fixture.module, { name: NAME });
    const pattern = xorshiftBytes(MiB, 31);
    const stream = own.invokeMethod<BlockStream>(NAME, "OpenBlocks", TOTAL, MiB, 31);
    const verifier = new BlockVerifier(pattern);
    let largest = memoryBytes(loaded);
    const began = performance.now();
    for await (const chunk of (await stream.stream()) as unknown as AsyncIterable<Uint8Array>) {
      verifier.update(chunk);
      largest = Math.max(largest, memoryBytes(loaded));
    }
    const seconds = (performance.now() - began) / 1000;
    expect(verifier.position).toBe(TOTAL);
    expect(largest).toBeLessThan(LIMIT);
    console.log(`stream 256 MiB managed → JS: ${seconds.toFixed(2)} s, linear memory at most ${largest / MiB} MiB`);
  });

  it("JS → managed: checksummed in managed code, linear memory under 32 MiB throughout", async () => {
    const own = new InteropRuntime();
    const loaded = await own.loadAssembly(fixture.module, { name: NAME });
    const pattern = xorshiftBytes(MiB, 32);
    const sink = own.invokeMethod<Sink>(NAME, "OpenSink");
    const sum = new StreamChecksum();
    let index = 0;
    let largest = memoryBytes(loaded);
    const source = new ReadableStream<Uint8Array>({
      pull(controller) {
        largest = Math.max(largest, memoryBytes(loaded));
        if (index * MiB >= TOTAL) return controller.close();
        const piece = block(pattern, index++);
        sum.update(piece);
        controller.enqueue(piece);
      },
    });
    const began = performance.now();
    expect(await sink.writeStream(source)).toBe(TOTAL);
    const seconds = (performance.now() - began) / 1000;
    largest = Math.max(largest, memoryBytes(loaded));
    expect(sink.total).toBe(TOTAL);
    expect(sink.invokeMethod("Checksum")).toBe(sum.digest());
    expect(largest).toBeLessThan(LIMIT);
    console.log(`stream 256 MiB JS → managed: ${seconds.toFixed(2)} s, linear memory at most ${largest / MiB} MiB`);
  });
});

describe("errors", () => {
  it("a managed read that aborts rejects the JS read with its message; the instance keeps working", async () => {
    const failing = call<Stream>("OpenFailing", 10, "disk on fire");
    const reader = (await failing.stream()).getReader();
    const first = await reader.read();
    expect(first.value).toEqual(new Uint8Array(10).fill(7));
    const error = await rejection(reader.read());
    expect(error).toBeInstanceOf(ManagedError);
    expect((error as ManagedError).managedMessage).toBe("disk on fire");
    expect(error.message).toContain("disk on fire");

    const viaBuffer = await rejection(call<Stream>("OpenFailing", 3, "no space left").arrayBuffer());
    expect((viaBuffer as ManagedError).managedMessage).toBe("no space left");

    const data = xorshiftBytes(5000, 41);
    expect(new Uint8Array(await call<Stream>("OpenBytes", data, 999).arrayBuffer())).toEqual(data);
  });

  it("a managed read that claims more bytes than its buffer holds is refused", async () => {
    const error = await rejection(call<Stream>("OpenLying").arrayBuffer());
    expect(error.message).toContain("ManagedStream.read returned 17");
  });

  it("a sink that aborts rejects writeStream with its message, and is not closed", async () => {
    const sink = call<{ writeStream(source: Source): Promise<number>; readonly chunks: number; readonly closed: boolean }>("OpenFailingSink");
    const error = await rejection(sink.writeStream(new Uint8Array(3 * MiB)));
    expect(error).toBeInstanceOf(ManagedError);
    expect((error as ManagedError).managedMessage).toBe(`sink refused chunk 2 (${MiB} bytes)`);
    expect([sink.chunks, sink.closed]).toEqual([2, false]);
    expect(await call<Sink>("OpenSink").writeStream(new Uint8Array(10))).toBe(10);
  });

  it("a stream disposed by JS fails with Blazor's message", async () => {
    const stream = call<Stream>("OpenBytes", new Uint8Array(100), 10);
    stream.dispose();
    for (const attempt of [() => stream.arrayBuffer(), async () => (await stream.stream()).getReader().read()]) {
      const error = await rejection(attempt());
      expect(error).toBeInstanceOf(InteropError);
      expect(error.message).toBe(noTrackedObject(stream.id));
    }
  });

  it("a sink disposed by JS fails with Blazor's message", async () => {
    const sink = call<Sink>("OpenSink");
    sink.dispose();
    const error = await rejection(sink.writeStream(new Uint8Array(100)));
    expect(error).toBeInstanceOf(InteropError);
    expect(error.message).toBe(noTrackedObject(sink.id));
  });

  it("a sink disposed by managed code fails with Blazor's message, and JS's table learns it", async () => {
    const own = new InteropRuntime();
    const loaded = await own.loadAssembly(fixture.module, { name: NAME });
    const start = loaded.diagnostics();
    const sink = own.invokeMethod<Sink>(NAME, "OpenSink");
    own.invokeMethod(NAME, "DisposeSink", sink);
    const error = await rejection(sink.writeStream(new Uint8Array(100)));
    expect(error).toBeInstanceOf(InteropError);
    expect(error.message).toBe(noTrackedObject(sink.id));
    // As it does from a failed invokeMethod: the reference is dead on the JS side too.
    expect(loaded.diagnostics()).toEqual(start);
  });

  it("a stream disposed by managed code fails with Blazor's message", async () => {
    const stream = call<Stream>("OpenBytes", new Uint8Array(100), 10);
    call("DisposeStream", stream);
    const error = await rejection(stream.arrayBuffer());
    expect(error).toBeInstanceOf(InteropError);
    expect(error.message).toBe(noTrackedObject(stream.id));
  });
});
