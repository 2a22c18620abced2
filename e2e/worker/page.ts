/**
 * The page side of e2e/worker.spec.ts (issue 18 in Chromium): bundled on the fly with the runtime
 * and served from memory with the test/fixtures/worker.ts assembly, which this page loads into a
 * Web Worker. What needs measuring (animation frames while managed code spins, detached buffers)
 * is measured here, so that only plain results cross the DevTools protocol.
 */
import { InteropRuntime, TimeoutError, transfer, withTimeout, type RemoteObject } from "../../host/runtime/index.ts";
import { readManifest } from "../../host/runtime/manifest.ts";
import { byValue, NEVER_SETTLES, sample, sameValue } from "../../test/worker-values.ts";

const NAME = "worker";
const runtime = new InteropRuntime();
const { DotNet } = runtime;
let wasm: WebAssembly.Module;

async function load(url: string, timeoutMs: number): Promise<void> {
  wasm = await WebAssembly.compileStreaming(fetch(url));
  await runtime.loadAssembly(wasm, { worker: { timeoutMs, expose: { page: { title: () => Promise.resolve(document.title) } } } });
}

/** Calls by name, a reference and a delegate, a granted page function, and a synchronous call refused. */
async function basics() {
  const counter = await DotNet.invokeMethodAsync<RemoteObject>(NAME, "makeCounter", "frames");
  await counter.invokeMethodAsync("Add", 2);
  const adder = await counter.invokeMethodAsync<(n: number) => Promise<number>>("Adder");
  let refused = "no error";
  try {
    DotNet.invokeMethod(NAME, "add", 1, 2);
  } catch (error) {
    refused = (error as Error).message;
  }
  return {
    add: await DotNet.invokeMethodAsync<number>(NAME, "add", 20, 22),
    total: await adder(3),
    described: await counter.invokeMethodAsync<string>("Describe"),
    title: await DotNet.invokeMethodAsync<string>(NAME, "callAsync", "page.title", ""),
    pageFromWorker: await DotNet.invokeMethodAsync(NAME, "callSync", "document.title", "").catch((error: Error) => error.message),
    refused,
  };
}

/**
 * Calls the runaway `spin` while counting animation frames: the largest and the median gap between
 * frames, how long the call took to reject and with what, and whether the reloaded assembly answers.
 */
async function spinWhileAnimating() {
  const gaps: number[] = [];
  let last = performance.now();
  let animating = true;
  const frame = (now: number) => {
    gaps.push(now - last);
    last = now;
    if (animating) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const reloaded = new Promise<void>((resolve) => runtime.addEventListener("assemblyreloaded", () => resolve(), { once: true }));
  const poisoned = new Promise<string>((resolve) =>
    runtime.addEventListener("assemblypoisoned", (event) => resolve((event as CustomEvent<{ error: Error }>).detail.error.name), { once: true }),
  );
  const started = performance.now();
  let error: Error | null = null;
  try {
    await DotNet.invokeMethodAsync(NAME, "spin");
  } catch (caught) {
    error = caught as Error;
  }
  const elapsed = performance.now() - started;
  // A while longer: the page must stay as smooth while the new worker loads.
  await new Promise((resolve) => setTimeout(resolve, 300));
  animating = false;
  await reloaded;
  const sorted = [...gaps].sort((a, b) => a - b);
  return {
    elapsed,
    isTimeoutError: error instanceof TimeoutError,
    message: error?.message ?? "resolved",
    poisonedWith: await poisoned,
    frames: gaps.length,
    maxGap: sorted[sorted.length - 1] ?? Infinity,
    medianGap: sorted[Math.floor(sorted.length / 2)] ?? Infinity,
    afterReload: await DotNet.invokeMethodAsync<number>(NAME, "add", 1, 2),
  };
}

/** A buffer of `size` bytes transferred to the worker, and one of `size` bytes made there and moved back. */
async function transferLarge(size: number) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) bytes[i] = 1;
  const buffer = bytes.buffer;
  const started = performance.now();
  // Bounded per call (withTimeout) rather than by the assembly's 1 s: filling the bytes takes a while.
  const probed = await withTimeout(60_000, () => DotNet.invokeMethodAsync<number>(NAME, "probe", transfer(bytes, [buffer])));
  const sentMs = performance.now() - started;
  const back = await withTimeout(60_000, () => DotNet.invokeMethodAsync<Uint8Array>(NAME, "makeBytes", size));
  return {
    probed,
    expected: size + Math.ceil(size / 4096),
    detached: buffer.byteLength === 0,
    sentMs,
    back: { length: back.length, last: back[size - 1], bufferLength: back.buffer.byteLength },
  };
}

/**
 * Every method of the fixture at `url` that takes and gives only values, called with sample
 * arguments on this thread and in a worker: what differs (a result, or an error's class or message).
 */
async function compareByValue(url: string) {
  const module = await WebAssembly.compileStreaming(fetch(url));
  const manifest = readManifest(module);
  const options = { name: "same", scope: {}, importBinding: "first-call" } as const;
  const here = new InteropRuntime();
  await here.loadAssembly(module, options);
  const there = new InteropRuntime();
  await there.loadAssembly(module, { ...options, worker: true });
  const differences: string[] = [];
  let compared = 0;
  const outcome = (promise: Promise<unknown>) =>
    promise.then(
      (value) => ({ ok: true as const, value }),
      (error: Error) => ({ ok: false as const, value: `${error.constructor.name}: ${error.message}` }),
    );
  for (const method of manifest.methods.filter((m) => byValue(m) && !NEVER_SETTLES.has(m.identifier))) {
    const args = method.parameters.map((p) => sample(p.type, manifest));
    const expected = await outcome(here.invokeMethodAsync("same", method.identifier, ...structuredClone(args)));
    const actual = await outcome(there.invokeMethodAsync("same", method.identifier, ...args));
    if (expected.ok !== actual.ok || !sameValue(expected.value, actual.value)) differences.push(`${method.identifier}: ${String(actual.value)} instead of ${String(expected.value)}`);
    ++compared;
  }
  here.unloadAssembly("same");
  there.unloadAssembly("same");
  return { compared, differences };
}

declare global {
  // eslint-disable-next-line no-var
  var workerPage: {
    load: typeof load;
    basics: typeof basics;
    spinWhileAnimating: typeof spinWhileAnimating;
    transferLarge: typeof transferLarge;
    compareByValue: typeof compareByValue;
  };
}

globalThis.workerPage = { load, basics, spinWhileAnimating, transferLarge, compareByValue };
document.body.dataset.ready = "true";
