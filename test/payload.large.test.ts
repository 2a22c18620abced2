/**
 * Issue 3, "No size limits": a 512 MiB Uint8Array and a 128M-character string round-trip
 * JS → managed → JS intact, checksummed in managed code and compared after coming back, with
 * linear memory growing in the middle of marshaling. Heavy: this file is the vitest project
 * "large" (`npx vitest run --project large`), which has its own timeout; it logs time and memory.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import { compileFixture } from "./helpers.ts";
import { checksumBytes, checksumString, randomBytes, randomString } from "./large-checksum.ts";

const NAME = "Large";
const MiB = 2 ** 20;
let module: WebAssembly.Module;

/** Each test gets a fresh instance, so memory starts small and must grow during the call. */
async function freshInstance(): Promise<{ runtime: InteropRuntime; memory: WebAssembly.Memory }> {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(module, { name: NAME });
  return { runtime, memory: assembly.heap.runtime.memory };
}

const measurements: string[] = [];
function measure<T>(what: string, run: () => T): T {
  const start = performance.now();
  const result = run();
  const { rss, heapUsed, arrayBuffers } = process.memoryUsage();
  measurements.push(
    `${what.padEnd(52)} ${(performance.now() - start).toFixed(0).padStart(6)} ms   ` +
      `rss ${(rss / MiB).toFixed(0)} MiB, JS heap ${(heapUsed / MiB).toFixed(0)} MiB, ArrayBuffers ${(arrayBuffers / MiB).toFixed(0)} MiB`,
  );
  return result;
}

beforeAll(async () => {
  // Optimized, as an app would ship it: the checksum loops run over hundreds of MiB.
  module = (await compileFixture("large", { optimize: true })).module;
});

afterAll(() => {
  console.log(`large payloads (Node ${process.version}):\n  ${measurements.join("\n  ")}`);
});

describe("a 512 MiB Uint8Array", () => {
  it("round-trips intact, checksummed in managed code, while memory grows from almost nothing", async () => {
    const { runtime, memory } = await freshInstance();
    const before = memory.buffer.byteLength;
    expect(before).toBeLessThan(MiB);

    const input = measure("make 512 MiB of pseudo-random bytes", () => randomBytes(512 * MiB));
    const expected = measure("checksum them in JS", () => checksumBytes(input));
    const output = measure("roundTripBytes(512 MiB) (in, checksum, out)", () =>
      runtime.invokeMethod<Uint8Array>(NAME, "roundTripBytes", input),
    );

    expect(runtime.invokeMethod(NAME, "checksumOfLast")).toBe(expected);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(before + 512 * MiB);
    expect(output).toBeInstanceOf(Uint8Array);
    expect(output.byteLength).toBe(512 * MiB);
    expect(output.buffer).not.toBe(memory.buffer);
    // memcmp-speed comparison of every byte, and the checksum again on the JS side.
    expect(Buffer.from(output.buffer, output.byteOffset, output.byteLength).equals(Buffer.from(input.buffer))).toBe(true);
    expect(checksumBytes(output)).toBe(expected);
  });

  it("comes back whole when managed code makes it (memory grows inside managed code)", async () => {
    const { runtime, memory } = await freshInstance();
    const before = memory.buffer.byteLength;
    const output = measure("makeBytes(512 MiB) in managed code, out", () =>
      runtime.invokeMethod<Uint8Array>(NAME, "makeBytes", 512 * MiB, 7),
    );
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(before + 512 * MiB);
    expect(output.byteLength).toBe(512 * MiB);
    // Byte i is (i * 131 + 7) & 0xff: a period of 256, so check the pattern at both ends and by checksum.
    const pattern = Uint8Array.from({ length: 256 }, (_, i) => (i * 131 + 7) & 0xff);
    expect(output.subarray(0, 256)).toEqual(pattern);
    expect(output.subarray(output.length - 256)).toEqual(pattern);
    expect(runtime.invokeMethod(NAME, "checksumBytes", output)).toBe(checksumBytes(output));
  });
});

describe("a 128M-character string", () => {
  it("round-trips intact, checksummed in managed code, while memory grows", async () => {
    const { runtime, memory } = await freshInstance();
    const before = memory.buffer.byteLength;
    const text = measure("make a 128M-character string (two-byte, with pairs)", () => randomString(128 * MiB));
    const expected = measure("checksum it in JS", () => checksumString(text));
    const back = measure("roundTripString(128M chars) (in, checksum, out)", () =>
      runtime.invokeMethod<string>(NAME, "roundTripString", text),
    );
    expect(runtime.invokeMethod(NAME, "checksumOfLast")).toBe(expected);
    expect(memory.buffer.byteLength).toBeGreaterThanOrEqual(before + 256 * MiB);
    expect(back.length).toBe(text.length);
    expect(back === text).toBe(true);
  });

  it("keeps a lone surrogate at the very end (the decoder's slow path, at full size)", async () => {
    const { runtime } = await freshInstance();
    const text = `${randomString(128 * MiB - 1, 99)}\ud800`;
    const back = measure("roundTripString(128M chars ending in a lone surrogate)", () =>
      runtime.invokeMethod<string>(NAME, "roundTripString", text),
    );
    expect(runtime.invokeMethod(NAME, "checksumOfLast")).toBe(checksumString(text));
    expect(back.length).toBe(text.length);
    expect(back.charCodeAt(back.length - 1)).toBe(0xd800);
    expect(back === text).toBe(true);
  });
});

describe("a large encoded value", () => {
  it("round-trips a struct with 2 × 128 MiB of typed arrays and a 16M-character string", async () => {
    const { runtime, memory } = await freshInstance();
    const first = randomBytes(128 * MiB, 1);
    const second = new Float64Array(randomBytes(128 * MiB, 2).buffer);
    const label = randomString(16 * MiB, 3);
    const expected =
      (checksumBytes(first) ^ checksumBytes(new Uint8Array(second.buffer)) ^ checksumString(label)) >>> 0;
    const back = measure("roundTripBlobs(2 × 128 MiB + 16M chars), encoded", () =>
      runtime.invokeMethod<{ first: Uint8Array; second: Float64Array; label: string }>(NAME, "roundTripBlobs", { first, second, label }),
    );
    expect(runtime.invokeMethod(NAME, "checksumOfLast")).toBe(expected);
    expect(memory.buffer.byteLength).toBeGreaterThan(256 * MiB);
    expect(Buffer.from(back.first.buffer, back.first.byteOffset, back.first.byteLength).equals(Buffer.from(first.buffer))).toBe(true);
    expect(back.second).toBeInstanceOf(Float64Array);
    expect(Buffer.from(back.second.buffer, back.second.byteOffset, back.second.byteLength).equals(Buffer.from(second.buffer))).toBe(true);
    expect(back.label === label).toBe(true);
  });
});
