/**
 * Imports for instantiating a compiled assembly without as-interop's runtime (the raw, loader and
 * JSON baselines): `env.abort` throws, and every other import the module declares (the managed
 * library's calls into the host) is a stub that says it is not available. The baselines never
 * reach those paths; the stubs only let the module instantiate.
 */
import { START_EXPORT } from "../host/marshal/types.ts";

export function bareImports(module: WebAssembly.Module): WebAssembly.Imports {
  const imports: Record<string, Record<string, WebAssembly.ImportValue>> = {
    env: {
      abort(): never {
        throw new Error("managed abort");
      },
    },
  };
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== "function" || imports[from]?.[name]) continue;
    (imports[from] ??= {})[name] = () => {
      throw new Error(`${from}.${name} is not available without as-interop's runtime`);
    };
  }
  return imports;
}

/**
 * Runs the module's top-level statements, which as-interop's compiler exports (START_EXPORT)
 * instead of leaving them to instantiation: a bare instance must call them itself.
 */
export function runTopLevel(exports: WebAssembly.Exports): void {
  (exports[START_EXPORT] as (() => void) | undefined)?.();
}
