// Types for `?assembly` imports (see host/vite). Add `"types": ["as-interop/vite/client"]` to
// tsconfig.json, or `/// <reference types="as-interop/vite/client" />`.
//
// This catch-all types any entry; the `Entry.assembly.d.ts` the plugin (or `as-interop types`)
// writes next to an entry types its methods precisely, and wins over this one (see
// host/compiler/typings.ts for why).

declare module "*?assembly" {
  /** The methods of an assembly whose generated types are not included: any name, any arguments. */
  export type Methods = import("../api/index.js").UntypedMethods;
  /** The URL of the compiled wasm: `loadAssembly(url)` loads it for `DotNet`. */
  const url: string;
  export default url;
  /** The assembly name `DotNet.invokeMethod` takes. */
  export const name: string;
  /** Loads the assembly (into the default runtime, or `options.runtime`) and resolves to its API. */
  export const load: import("../api/index.js").LoadAssembly<Methods>;
  /** The API of the assembly once loaded (by `load` or `loadAssembly`); every method returns a Promise. */
  export const api: import("../api/index.js").ApiFactory<Methods>;
  /** The same, calling synchronously as `DotNet.invokeMethod` does. */
  export const syncApi: import("../api/index.js").SyncApiFactory<Methods>;
}
