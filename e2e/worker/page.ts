/**
 * The page side of e2e/worker.spec.ts (issue 18 in Chromium): bundled on the fly with the runtime
 * and served from memory with the test/fixtures/worker.ts assembly, which this page loads into a
 * Web Worker. What needs measuring (animation frames while managed code spins, detached buffers)
 * is measured here, so that only plain results cross the DevTools protocol.
 */
import {
  AssemblyPoisonedError,
  InteropRuntime,
  TimeoutError,
  transfer,
  withTimeout,
  type Remote,
} from "../../host/runtime/index.ts";
import { readManifest } from "../../host/runtime/manifest.ts";
import { byValue, NEVER_SETTLES, sample, sameValue } from "../../test/worker-values.ts";
import { LEAVES_ERRORS_BEHIND, THROWS_WHILE_EVALUATED } from "../../test/worker-module-sources.ts";
import type { Counter } from "../../test/fixtures/worker.ts?assembly";

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
  const counter = await DotNet.invokeMethodAsync<Remote<Counter>>(NAME, "makeCounter", "frames");
  await counter.invokeMethodAsync("Add", 2);
  const adder = await counter.invokeMethodAsync("Adder");
  let refused = "no error";
  try {
    DotNet.invokeMethod(NAME, "add", 1, 2);
  } catch (error) {
    refused = (error as Error).message;
  }
  return {
    add: await DotNet.invokeMethodAsync<number>(NAME, "add", 20, 22),
    total: await adder(3),
    described: await counter.invokeMethodAsync("Describe"),
    title: await DotNet.invokeMethodAsync<string>(NAME, "callAsync", "page.title", ""),
    pageFromWorker: await DotNet.invokeMethodAsync(NAME, "callSync", "document.title", "").catch((error: Error) => error.message),
    refused,
  };
}

/** Counts animation frames while `run` runs: the largest and the median gap between them. */
async function whileAnimating<T>(run: () => Promise<T>): Promise<{ result: T; frames: number; maxGap: number; medianGap: number }> {
  const gaps: number[] = [];
  let last = performance.now();
  let animating = true;
  const frame = (now: number) => {
    gaps.push(now - last);
    last = now;
    if (animating) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const result = await run();
  animating = false;
  const sorted = [...gaps].sort((a, b) => a - b);
  return { result, frames: gaps.length, maxGap: sorted[sorted.length - 1] ?? Infinity, medianGap: sorted[Math.floor(sorted.length / 2)] ?? Infinity };
}

/** What `promise` rejected with (an Error, or whatever was thrown), or "resolved". */
const outcome = (promise: Promise<unknown>) => promise.then(() => "resolved" as const, (error: unknown) => error);

/**
 * Calls the runaway `spin` while counting animation frames: the largest and the median gap between
 * frames, how long the call took to reject and with what, and whether the reloaded assembly answers.
 */
async function spinWhileAnimating() {
  const reloaded = new Promise<void>((resolve) => runtime.addEventListener("assemblyreloaded", () => resolve(), { once: true }));
  const poisoned = new Promise<string>((resolve) =>
    runtime.addEventListener("assemblypoisoned", (event) => resolve(event.detail.error.name), { once: true }),
  );
  const started = performance.now();
  const { result, ...frames } = await whileAnimating(async () => {
    const error = await outcome(DotNet.invokeMethodAsync(NAME, "spin"));
    const elapsed = performance.now() - started;
    // A while longer: the page must stay as smooth while the new worker loads.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { error: error as Error, elapsed };
  });
  await reloaded;
  return {
    elapsed: result.elapsed,
    isTimeoutError: result.error instanceof TimeoutError,
    message: result.error?.message ?? "resolved",
    poisonedWith: await poisoned,
    ...frames,
    afterReload: await DotNet.invokeMethodAsync<number>(NAME, "add", 1, 2),
  };
}

// --- modules imported into the worker -------------------------------------------------------------------

/** An ES module made on this page (a blob: URL), as the demo's sandbox makes the user's script. */
function blobModule(source: string): string {
  return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
}

/** A runtime of its own with the fixture loaded as `mods` in a worker, granted `report`, which collects what modules report. */
async function loadForModules(worker: { timeoutMs?: number; modules?: string[] } = {}) {
  const modulesRuntime = new InteropRuntime();
  const reports: unknown[] = [];
  const report = (value: unknown) => {
    reports.push(value);
  };
  const assembly = await modulesRuntime.loadAssembly(wasm, { name: "mods", worker: { ...worker, expose: { report } } });
  const call = <T>(method: string, ...args: unknown[]) => modulesRuntime.invokeMethodAsync<T>("mods", method, ...args);
  const reported = async (count: number) => {
    while (reports.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  return { runtime: modulesRuntime, assembly, call, reports, reported };
}

/** How an error crossed: its class (as this page's classes see it), message and stack. */
function described(error: unknown) {
  if (!(error instanceof Error)) return { value: error };
  const classes = { TimeoutError, AssemblyPoisonedError, RangeError, TypeError, SyntaxError };
  const kind = Object.entries(classes).find(([, type]) => error instanceof type)?.[0] ?? error.constructor.name;
  return { kind, name: error.name, message: error.message, stack: error.stack ?? "" };
}

/**
 * A module (served by the page's origin, by a URL relative to the page) and another made on the
 * page: synchronous DotNet calls from the worker, functions managed code finds, and what failing
 * modules reject with.
 */
async function moduleBasics() {
  const { assembly, call, reports, reported } = await loadForModules({ modules: ["./modules/setup.js"] });
  const first = blobModule(`const counter = DotNet.invokeMethod("mods", "makeCounter", "module");
counter.invokeMethod("Add", 2);
await report({
  sum: DotNet.invokeMethod("mods", "add", 40, 2),
  total: counter.invokeMethod("Add", 3),
  echoed: await DotNet.invokeMethodAsync("mods", "echo", "héllo 🌍"),
  counted: DotNet.invokeMethod("mods", "count"),
  noDocument: typeof document,
});
`);
  await assembly.importModule(first);
  await reported(1);
  const thrower = blobModule(THROWS_WHILE_EVALUATED);
  return {
    first,
    report: reports[0],
    counted: await call("count"),
    fromManaged: await call("callSync", "shout", "managed"),
    order: await call("callSync", "orderOf", ""),
    thrower,
    thrown: described(await outcome(assembly.importModule(thrower))),
    syntax: described(await outcome(assembly.importModule(blobModule(`console.log(1);\nlet broken = ;\n`)))),
    missing: described(await outcome(assembly.importModule("./modules/missing.js"))),
    notAnError: described(await outcome(assembly.importModule(blobModule(`throw { code: 7 };\n`)))),
    modules: (assembly.options.worker as { modules: string[] }).modules,
    afterwards: await call("add", 1, 1),
  };
}

/**
 * A module that never finishes, imported while the page counts frames: it is bounded as a call is,
 * the assembly comes back in a new worker with the setup's modules imported again; and unloading
 * ends another such module at once.
 */
async function loopingModule(timeoutMs: number) {
  const { runtime: modulesRuntime, assembly, call, reported } = await loadForModules({ modules: ["./modules/setup.js"] });
  const reloaded = new Promise<void>((resolve) => modulesRuntime.addEventListener("assemblyreloaded", () => resolve(), { once: true }));
  const started = performance.now();
  const { result: error, ...frames } = await whileAnimating(() => outcome(withTimeout(timeoutMs, () => assembly.importModule(blobModule(`report("looping");\nwhile (true) {}\n`)))));
  const elapsed = performance.now() - started;
  await reloaded;
  const order = await call("callSync", "orderOf", "");

  const looping = outcome(assembly.importModule(blobModule(`report("looping again");\nwhile (true) {}\n`)));
  await reported(2);
  modulesRuntime.unloadAssembly("mods");
  return { elapsed, error: described(error), ...frames, order, unloaded: described(await looping), names: modulesRuntime.assemblyNames };
}

/** Errors a module leaves behind once it finished: assemblyerror, handled here, so nothing reaches the console. */
async function moduleErrorsAfterwards() {
  const { runtime: modulesRuntime, assembly, call } = await loadForModules();
  const heard: unknown[] = [];
  modulesRuntime.addEventListener("assemblyerror", (event) => {
    event.preventDefault();
    heard.push(event.detail.error);
  });
  const url = blobModule(LEAVES_ERRORS_BEHIND);
  await assembly.importModule(url);
  while (heard.length < 3) await new Promise((resolve) => setTimeout(resolve, 20));
  return { url, heard: heard.map(described), afterwards: await call("add", 2, 3) };
}

/**
 * Modules that attack the worker's channel: forged messages on the worker's global channel, a
 * capturing listener that stops every message, `onmessage`, a replaced `MessagePort.prototype`,
 * `DotNet` replaced; then one that closes the worker.
 */
async function channelAttacks() {
  const { runtime: modulesRuntime, assembly, call } = await loadForModules();
  const poisoned: string[] = [];
  modulesRuntime.addEventListener("assemblypoisoned", (event) => poisoned.push(event.detail.error.message));
  await assembly.importModule(blobModule(`globalThis.slow = (text) => new Promise((resolve) => setTimeout(() => resolve(text + " answered"), 200));\n`));
  const pending = call("callAsync", "slow", "the call");
  await assembly.importModule(
    blobModule(`for (let id = 0; id < 100; ++id) postMessage({ type: "reply", id, ok: true, value: "forged" });
postMessage({ type: "poisoned", error: { name: "Error", message: "forged", stack: undefined } });
postMessage({ type: "closing" });
addEventListener("message", (event) => event.stopImmediatePropagation(), { capture: true });
self.onmessage = () => {};
MessagePort.prototype.postMessage = function () {};
MessagePort.prototype.addEventListener = function () {};
globalThis.DotNet = null;
`),
  );
  const afterAttacks = {
    add: await call("add", 20, 22),
    pending: await pending,
    imported: await outcome(assembly.importModule(blobModule(`globalThis.after = () => "imported after";\n`))),
    after: await call("callSync", "after", ""),
    poisoned: [...poisoned],
  };
  const closing = described(await outcome(assembly.importModule(blobModule(`close();\n`))));
  return { afterAttacks, closing, poisoned, later: described(await outcome(call("add", 1, 1))) };
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
    moduleBasics: typeof moduleBasics;
    loopingModule: typeof loopingModule;
    moduleErrorsAfterwards: typeof moduleErrorsAfterwards;
    channelAttacks: typeof channelAttacks;
  };
}

globalThis.workerPage = {
  load,
  basics,
  spinWhileAnimating,
  transferLarge,
  compareByValue,
  moduleBasics,
  loopingModule,
  moduleErrorsAfterwards,
  channelAttacks,
};
document.body.dataset.ready = "true";
