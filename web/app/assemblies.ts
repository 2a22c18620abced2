/**
 * The demo's assemblies, each loaded once into its runtime — the page's shared one (behind the
 * global `DotNet`) unless a page brings its own — however many times pages ask for it.
 */
import { defaultRuntime, type AssemblyOptions, type InteropRuntime, type LoadedAssembly } from "../../host/runtime/index.ts";

const loading = new WeakMap<InteropRuntime, Map<string, Promise<LoadedAssembly>>>();

/** Loads the assembly at `url` (a `?assembly` import) once; `options.name` tells apart two loads of one wasm. */
export function useAssembly(url: string, options: AssemblyOptions = {}, runtime: InteropRuntime = defaultRuntime): Promise<LoadedAssembly> {
  let loads = loading.get(runtime);
  if (!loads) loading.set(runtime, (loads = new Map()));
  const key = `${options.name ?? ""}@${url}`;
  let assembly = loads.get(key);
  if (!assembly) {
    assembly = runtime.loadAssembly(url, options);
    // A failed load may be retried by visiting the page again.
    assembly.catch(() => loads.delete(key));
    loads.set(key, assembly);
  }
  return assembly;
}
