/**
 * Issue 3, "No size limits": "memory that stays flat while 8 GiB pass through managed code".
 * 8 GiB each way through a stream reference (test/fixtures/streams.ts, optimized): managed → JS
 * with every byte compared, JS → managed checksummed in managed code, and linear memory under
 * 32 MiB throughout. Logs the time and the largest memory seen.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime, type LoadedAssembly } from "../host/runtime/index.ts";
import { compileFixture } from "./helpers.ts";
import { BlockVerifier, StreamChecksum, xorshiftBytes } from "./stream-data.ts";

const NAME = "Streams";
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TOTAL = 8 * GiB;
const LIMIT = 32 * MiB;

let module: WebAssembly.Module;
const measurements: string[] = [];

beforeAll(async () => {
  module = (await compileFixture("streams", { assemblyName: NAME, optimize: true })).module;
});

afterAll(() => {
  if (measurements.length > 0) console.log(`streams, 8 GiB each way (Node ${process.version}):\n  ${measurements.join("\n  ")}`);
});

async function fresh(): Promise<{ runtime: InteropRuntime; assembly: LoadedAssembly; memory: () => number }> {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(module);
  const memory = assembly.heap.runtime.memory;
  return { runtime, assembly, memory: () => memory.buffer.byteLength };
}

function record(what: string, began: number, largestMemory: number): void {
  const seconds = (performance.now() - began) / 1000;
  measurements.push(
    `${what}: ${seconds.toFixed(1)} s (${(TOTAL / GiB / seconds).toFixed(2)} GiB/s), ` +
      `linear memory at most ${(largestMemory / MiB).toFixed(2)} MiB, process rss ${(process.memoryUsage().rss / MiB).toFixed(0)} MiB`,
  );
}

describe("8 GiB through a stream reference, with flat memory", () => {
  it("managed → JS: a ManagedStream read through stream(), every byte compared", { timeout: 600_000 }, async () => {
    const { runtime, assembly, memory } = await fresh();
    const pattern = xorshiftBytes(MiB, 81);
    const stream = runtime.invokeMethod<{ stream(): Promise<ReadableStream<Uint8Array>>; produced: number; dispose(): void }>(
      NAME,
      "OpenBlocks",
      TOTAL,
      MiB,
      81,
    );
    const verifier = new BlockVerifier(pattern);
    let largest = memory();
    const began = performance.now();
    for await (const chunk of (await stream.stream()) as unknown as AsyncIterable<Uint8Array>) {
      verifier.update(chunk);
      largest = Math.max(largest, memory());
    }
    record("managed → JS", began, largest);
    expect(verifier.position).toBe(TOTAL);
    expect(stream.produced).toBe(TOTAL);
    expect(largest).toBeLessThan(LIMIT);
    stream.dispose();
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsReferences: 0 });
  });

  it("JS → managed: writeStream() into a StreamSink, checksummed in managed code", { timeout: 600_000 }, async () => {
    const { runtime, assembly, memory } = await fresh();
    const sink = runtime.invokeMethod<{
      writeStream(source: AsyncIterable<Uint8Array>): Promise<number>;
      invokeMethod(identifier: string): unknown;
      total: number;
      chunks: number;
      largestChunk: number;
      closed: number;
      dispose(): void;
    }>(NAME, "OpenSink");
    // 4 MiB pieces (split into 1 MiB chunks on the way), each with its index in its first word. One
    // buffer is reused: writeStream copies a piece into managed memory before it asks for the next.
    const PIECE = 4 * MiB;
    const piece = xorshiftBytes(PIECE, 82);
    const header = new Uint32Array(piece.buffer, 0, 1);
    const expected = new StreamChecksum();
    let largest = memory();
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let index = 0; index * PIECE < TOTAL; index++) {
        header[0] = index;
        expected.update(piece);
        largest = Math.max(largest, memory());
        yield piece;
      }
    }
    const began = performance.now();
    expect(await sink.writeStream(source())).toBe(TOTAL);
    largest = Math.max(largest, memory());
    record("JS → managed", began, largest);
    expect(sink.total).toBe(TOTAL);
    expect([sink.chunks, sink.largestChunk, sink.closed]).toEqual([TOTAL / MiB, MiB, 1]);
    expect(sink.invokeMethod("Checksum")).toBe(expected.digest());
    expect(largest).toBeLessThan(LIMIT);
    sink.dispose();
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsReferences: 0 });
  });
});
