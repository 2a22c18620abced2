/**
 * The page side of e2e/js-interop.spec.ts (issue 5 in Chromium): bundled on the fly with the
 * runtime and served from memory with the test/fixtures/async.ts and js-calls.ts assemblies.
 * It provides the JS functions managed code calls, and records what it needs to check in the page
 * (object identity, how many JS promises were outstanding at once), so that only plain results
 * cross the DevTools protocol.
 */
import { InteropRuntime } from "../../host/runtime/index.ts";

const runtime = new InteropRuntime();

/** JS promises from `delayed.echo` that have not settled yet, and the most there ever were. */
const outstanding = { now: 0, max: 0 };

function later<T>(value: () => T, ms: number): Promise<T> {
  ++outstanding.now;
  outstanding.max = Math.max(outstanding.max, outstanding.now);
  return new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      --outstanding.now;
      try {
        resolve(value());
      } catch (error) {
        reject(error);
      }
    }, ms),
  );
}

/** The last error a JS function threw or rejected with, to compare with what the caller got. */
let lastError: Error | null = null;
function fail(message: string): Error {
  lastError = new Error(message);
  return lastError;
}

const scope = globalThis as Record<string, unknown>;
scope["delayed"] = {
  echo: (x: number) => later(() => x, Math.random() * 8),
  triple: (x: number) => later(() => x * 3, Math.random() * 8),
  text: () => later(() => "text", 1),
  never: () => new Promise(() => {}),
  /** Already settled when managed code gets it. */
  ready: () => Promise.resolve("ready"),
  rejects: () => later(() => {
    throw fail("rejected in JS");
  }, 2),
};
scope["failing"] = () => {
  throw fail("thrown in JS");
};
scope["chain"] = {
  step: (level: number, depth: number) => `J${level}(${runtime.invokeMethod<string>("js-calls", "Chain", level, depth)})`,
};
scope["reenter"] = {
  /** While a call is suspended in invokeAwait: another call into the same instance. */
  viaAsync: () => runtime.invokeMethodAsync<number>("async", "FetchDoubled", 4).then(String),
  viaSync: () => later(() => String(runtime.invokeMethod<string>("js-calls", "Chain", 0, 3)), 1),
};

async function load(asyncUrl: string, callsUrl: string): Promise<boolean> {
  await runtime.loadAssembly(asyncUrl);
  await runtime.loadAssembly(callsUrl);
  return typeof (WebAssembly as unknown as { Suspending?: unknown }).Suspending === "function";
}

/** Runs `call`, and reports how it settled: `{ value }` or `{ error, name, sameError }`. */
async function settle(call: () => unknown): Promise<Outcome> {
  lastError = null;
  try {
    return { value: await call() };
  } catch (error) {
    const e = error as Error;
    const thrown = lastError as Error | null; // set by the JS functions the call ran
    return { error: e.message, name: e.name, sameError: e === thrown, sameStack: thrown !== null && e.stack === thrown.stack };
  }
}

export type Outcome = { value: unknown } | { error: string; name: string; sameError: boolean; sameStack: boolean };

declare global {
  // eslint-disable-next-line no-var
  var jsInterop: {
    runtime: InteropRuntime;
    outstanding: { now: number; max: number };
    load: typeof load;
    settle: typeof settle;
  };
}
globalThis.jsInterop = { runtime, outstanding, load, settle };
document.body.dataset.ready = "true";
