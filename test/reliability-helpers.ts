/** Shared by the reliability tests (issue 9): figures for docs/reliability.md, counts, a forced GC. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { expect } from "vitest";
import { InteropError, ManagedError, MarshalError, type LoadedAssembly } from "../host/runtime/index.ts";

/** A count from the environment (`NAME=5000 npx vitest run …`), or the CI default. */
export function countFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
}

/** Prints a measured figure when `RELIABILITY_FIGURES=1` (how docs/reliability.md's figures were taken). */
export function figure(text: string): void {
  if (process.env["RELIABILITY_FIGURES"]) console.log(`[figure] ${text}`);
}

/** Milliseconds `run` took, and its result. */
export async function timed<T>(run: () => T | Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
}

/**
 * The engine's `gc()`, for finalization checks: exposed at run time, since vitest's workers start
 * without `--expose-gc` (V8 reads the flag when a new context is made).
 */
export function exposeGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Collects until `done()` holds, letting FinalizationRegistry callbacks run in between. */
export async function collectUntil(gc: () => void, done: () => boolean, attempts = 50): Promise<boolean> {
  for (let i = 0; i < attempts && !done(); ++i) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return done();
}

/** The errors a caller may see for a bad value: a conversion error, a dispatch error, a clean abort. */
export function isCleanError(error: unknown): boolean {
  return error instanceof InteropError || error instanceof MarshalError || error instanceof ManagedError;
}

/** The instance took no harm: not poisoned, no pins left, and it still answers. */
export function expectIntact(assembly: LoadedAssembly, answer: () => void): void {
  expect(assembly.boundary.poisoned).toBeNull();
  expect(assembly.diagnostics().pinned).toBe(0);
  answer();
}
