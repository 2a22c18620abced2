/**
 * What the tests of worker-hosted assemblies share (test/worker.test.ts, worker-modules.test.ts):
 * loading into a runtime of its own, unloading every such runtime's assemblies after each test
 * (which ends their workers), the events a runtime dispatches, and waiting for a condition.
 */
import { afterEach } from "vitest";
import { InteropRuntime, type AssemblyEventMap, type HostingOptions, type WorkerAssembly } from "../host/runtime/index.ts";

const runtimes: InteropRuntime[] = [];
afterEach(() => {
  for (const runtime of runtimes.splice(0)) for (const name of runtime.assemblyNames) runtime.unloadAssembly(name);
});

/** Loads `module` with `options` into a new runtime, whose assemblies are unloaded after the test. */
export async function loadInWorker(module: WebAssembly.Module, options: HostingOptions = { worker: true }) {
  const runtime = new InteropRuntime();
  runtimes.push(runtime);
  const assembly = (await runtime.loadAssembly(module, options)) as WorkerAssembly;
  const call = <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethodAsync<T>(assembly.name, method, ...args);
  return { runtime, assembly, call };
}

/** A runtime whose assemblies are unloaded after the test, for loads that are expected to fail. */
export function disposableRuntime(): InteropRuntime {
  const runtime = new InteropRuntime();
  runtimes.push(runtime);
  return runtime;
}

/** The details of the events of `kind` the runtime dispatches from now on. */
export function runtimeEvents<K extends keyof AssemblyEventMap>(runtime: InteropRuntime, kind: K): AssemblyEventMap[K]["detail"][] {
  const seen: AssemblyEventMap[K]["detail"][] = [];
  runtime.addEventListener(kind, (event) => seen.push(event.detail));
  return seen;
}

/** Resolves once `condition` holds (polled), or fails after a generous while. */
export async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; ++i) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
