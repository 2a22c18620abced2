/**
 * The page side of e2e/large-payload.spec.ts: bundled on the fly and served from memory with the
 * test/fixtures/large.ts assembly. Data is made and checked here, in the page, so that only a
 * summary crosses the DevTools protocol, never hundreds of MiB.
 */
import { InteropRuntime } from "../../host/runtime/index.ts";
import { checksumBytes, checksumString, randomBytes, randomString } from "../../test/large-checksum.ts";

const NAME = "Large";
let runtime: InteropRuntime;
let memory: WebAssembly.Memory;

export interface RoundTrip {
  /** Checksum of the input, computed in the page. */
  readonly expected: number;
  /** What managed code computed over what it received. */
  readonly managed: number;
  /** Checksum of what came back, computed in the page. */
  readonly returned: number;
  /** Every element of what came back equals the input. */
  readonly equal: boolean;
  readonly length: number;
  readonly memoryBefore: number;
  readonly memoryAfter: number;
  /** The result is a JS copy, not a view of linear memory. */
  readonly detachedFromMemory: boolean;
  readonly callMs: number;
}

async function load(url: string): Promise<number> {
  runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(url, { name: NAME });
  memory = (assembly.instance.exports as { memory: WebAssembly.Memory }).memory;
  return memory.buffer.byteLength;
}

function bytes(size: number): RoundTrip {
  let input: Uint8Array | null = randomBytes(size);
  const expected = checksumBytes(input);
  const memoryBefore = memory.buffer.byteLength;
  const start = performance.now();
  const output = runtime.invokeMethod<Uint8Array>(NAME, "roundTripBytes", input);
  const callMs = performance.now() - start;
  const managed = runtime.invokeMethod<number>(NAME, "checksumOfLast");
  let equal = output.byteLength === input.byteLength;
  const a = new Uint32Array(input.buffer, 0, size >>> 2);
  const b = new Uint32Array(output.buffer, output.byteOffset, output.byteLength >>> 2);
  for (let i = 0; equal && i < a.length; ++i) if (a[i] !== b[i]) equal = false;
  for (let i = size & ~3; equal && i < size; ++i) if (input[i] !== output[i]) equal = false;
  input = null;
  return {
    expected, managed, returned: checksumBytes(output), equal, length: output.byteLength,
    memoryBefore, memoryAfter: memory.buffer.byteLength, detachedFromMemory: output.buffer !== memory.buffer, callMs,
  };
}

function string(length: number): RoundTrip {
  const input = randomString(length);
  const expected = checksumString(input);
  const memoryBefore = memory.buffer.byteLength;
  const start = performance.now();
  const output = runtime.invokeMethod<string>(NAME, "roundTripString", input);
  const callMs = performance.now() - start;
  return {
    expected, managed: runtime.invokeMethod<number>(NAME, "checksumOfLast"), returned: checksumString(output),
    equal: output === input, length: output.length,
    memoryBefore, memoryAfter: memory.buffer.byteLength, detachedFromMemory: true, callMs,
  };
}

declare global {
  // eslint-disable-next-line no-var
  var largePayload: { load: typeof load; bytes: typeof bytes; string: typeof string };
}
globalThis.largePayload = { load, bytes, string };
document.body.dataset.ready = "true";
