/**
 * The demo's assemblies, each loaded once into the page's shared runtime (the one behind the
 * global `DotNet`) however many pages ask for it.
 */
import { defaultRuntime, type AssemblyOptions, type LoadedAssembly } from "../../host/runtime/index.ts";

const loading = new Map<string, Promise<LoadedAssembly>>();

/** Loads the assembly at `url` (a `?assembly` import) once; `options.name` tells apart two loads of one wasm. */
export function useAssembly(url: string, options: AssemblyOptions = {}): Promise<LoadedAssembly> {
  const key = `${options.name ?? ""}@${url}`;
  let assembly = loading.get(key);
  if (!assembly) {
    assembly = defaultRuntime.loadAssembly(url, options);
    // A failed load may be retried by visiting the page again.
    assembly.catch(() => loading.delete(key));
    loading.set(key, assembly);
  }
  return assembly;
}
