/** Node-only conveniences, kept out of the main entry so browser bundles never see `node:` imports. */
import { readFile } from "node:fs/promises";
import type { AssemblyOptions, LoadedAssembly } from "./assembly.ts";
import { defaultRuntime } from "./index.ts";
import type { InteropRuntime } from "./runtime.ts";

/**
 * Loads a compiled `.wasm` file from disk into `runtime` (default: the shared one). `path` is a
 * path, or a `file:` URL (as a server bundle's `?assembly` import gives).
 */
export async function loadAssemblyFile(
  path: string | URL,
  options?: AssemblyOptions,
  runtime: InteropRuntime = defaultRuntime,
): Promise<LoadedAssembly> {
  const file = typeof path === "string" && path.startsWith("file:") ? new URL(path) : path;
  return runtime.loadAssembly(await readFile(file), options);
}
