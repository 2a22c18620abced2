/**
 * as-interop's host runtime: load AssemblyScript assemblies and call their `@jsInvokable`
 * methods by name, as Blazor WebAssembly's `DotNet.invokeMethod` / `invokeMethodAsync` do.
 *
 * The module-level `DotNet` and `loadAssembly` use one shared runtime; create an
 * {@link InteropRuntime} of your own to keep sets of assemblies apart.
 */
import type { AssemblyOptions, LoadedAssembly } from "./assembly.ts";
import type { AssemblySource } from "./load.ts";
import { InteropRuntime, type DotNetApi, type HostedAssembly, type HostingOptions, type WorkerAssemblyOptions } from "./runtime.ts";
import type { WorkerAssembly } from "../worker/worker-assembly.ts";

export const defaultRuntime = new InteropRuntime();

/** Blazor's `DotNet` API on the default runtime; `globalThis.DotNet = DotNet` lets Blazor's JS run unchanged. */
export const DotNet: DotNetApi = defaultRuntime.DotNet;

export function loadAssembly(source: AssemblySource, options: WorkerAssemblyOptions): Promise<WorkerAssembly>;
export function loadAssembly(source: AssemblySource, options?: AssemblyOptions & { worker?: false }): Promise<LoadedAssembly>;
export function loadAssembly(source: AssemblySource, options?: HostingOptions): Promise<HostedAssembly>;
export function loadAssembly(source: AssemblySource, options?: HostingOptions): Promise<HostedAssembly> {
  return defaultRuntime.loadAssembly(source, options);
}

export {
  InteropRuntime,
  type AssemblyErrorDetail,
  type AssemblyEventDetail,
  type AssemblyEventMap,
  type DotNetApi,
  type HostedAssembly,
  type HostingOptions,
  type WorkerAssemblyOptions,
} from "./runtime.ts";
export { WorkerAssembly, type WorkerAssemblyDiagnostics } from "../worker/worker-assembly.ts";
export { withTimeout, type WorkerOptions } from "../worker/options.ts";
export { transfer } from "../worker/transfer.ts";
export { TimeoutError } from "../worker/errors.ts";
export type { RemoteDictionary, RemoteList, RemoteObject } from "../worker/remote-objects.ts";
export type { Remote, RemoteTuple, WorkerAssemblyApi } from "../api/remote.ts";
export { LoadedAssembly, type AssemblyDiagnostics, type AssemblyOptions, type InvokableMethod } from "./assembly.ts";
export { DotNetObject } from "../refs/dotnet-object.ts";
export { JSObjectReference, JSStreamReference, type StreamData } from "../js/object-references.ts";
export type { DictionaryView, ListView } from "../refs/collections.ts";
export { MemoryView } from "../refs/memory-view.ts";
export type { DotNetStream, DotNetStreamSink, StreamSource } from "../refs/streams.ts";
export type { AssemblySource } from "./load.ts";
export { InteropError, ManagedError, AssemblyPoisonedError } from "./errors.ts";
export { MarshalError } from "../marshal/errors.ts";
export { OutOfMemoryError } from "../marshal/heap.ts";
export type { Manifest, MethodDescriptor, TypeDescriptor } from "../marshal/types.ts";
