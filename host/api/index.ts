/**
 * `as-interop/api`: typed access to an assembly's `@jsInvokable` methods.
 *
 *   const api = assemblyApi<Methods>("BlazorSample");
 *   const data = await api.ReturnArrayAsync();          // number[], checked by tsc
 *
 * `Methods` is the interface generated from the assembly's manifest (see host/compiler/typings.ts):
 * the `?assembly` import of the Vite plugin exports it, and `as-interop types` writes it without
 * Vite. The API calls through the runtime by name, exactly as `DotNet.invokeMethodAsync` does, so it
 * reaches whichever instance is loaded under that name now (a hot-reloaded one included).
 */
export {
  assemblyApi,
  syncAssemblyApi,
  type ApiTarget,
  type AssemblyApi,
  type DotNetObject,
  type SyncAssemblyApi,
  type UntypedMethods,
} from "./facade.ts";
export type { Remote, RemoteTuple, WorkerAssemblyApi } from "./remote.ts";
export type { RemoteDictionary, RemoteList, RemoteObject } from "../worker/remote-objects.ts";
export {
  assemblyImport,
  hotReload,
  type ApiFactory,
  type AssemblyImport,
  type LoadAssembly,
  type LoadOptions,
  type SyncApiFactory,
} from "./assembly-import.ts";
