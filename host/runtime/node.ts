/** Node-only conveniences, kept out of the main entry so browser bundles never see `node:` imports. */
import { readFile } from "node:fs/promises";
import type { AssemblyOptions, LoadedAssembly } from "./assembly.ts";
import { defaultRuntime } from "./index.ts";
import type { HostedAssembly, HostingOptions, InteropRuntime, WorkerAssemblyOptions } from "./runtime.ts";
import type { WorkerAssembly } from "../worker/worker-assembly.ts";

/**
 * Loads a compiled `.wasm` file from disk into `runtime` (default: the shared one). `path` is a
 * path, or a `file:` URL (as a server bundle's `?assembly` import gives). `options` are
 * `loadAssembly`'s, `{ worker }` included, and so is what it resolves to.
 *
 * A `data:` URL, what the same `?assembly` import gives in Vitest and under `ssrLoadModule`, is
 * loaded as `loadAssembly` loads it: server code that loads its import's URL this way works in
 * development as in the build, where it was read as a file name (`ENAMETOOLONG`, quoting the wasm).
 */
export function loadAssemblyFile(path: string | URL, options: WorkerAssemblyOptions, runtime?: InteropRuntime): Promise<WorkerAssembly>;
export function loadAssemblyFile(
  path: string | URL,
  options?: AssemblyOptions & { worker?: false },
  runtime?: InteropRuntime,
): Promise<LoadedAssembly>;
export function loadAssemblyFile(path: string | URL, options?: HostingOptions, runtime?: InteropRuntime): Promise<HostedAssembly>;
export async function loadAssemblyFile(
  path: string | URL,
  options?: HostingOptions,
  runtime: InteropRuntime = defaultRuntime,
): Promise<HostedAssembly> {
  if (String(path).startsWith("data:")) return runtime.loadAssembly(path, options);
  const file = typeof path === "string" && path.startsWith("file:") ? new URL(path) : path;
  return runtime.loadAssembly(await readFile(file), options);
}
