/**
 * `InteropRuntime`: the registry of assemblies and Blazor's static call API (registry.ts), loading
 * each assembly on this thread, or in a worker of its own when asked (`{ worker }`,
 * host/worker/worker-assembly.ts).
 */
import { LoadedAssembly } from "./assembly.ts";
import { AssemblyRegistry, type HostedAssembly, type HostingOptions } from "./registry.ts";
import { WorkerAssembly } from "../worker/worker-assembly.ts";
import { workerOptionsOf } from "../worker/options.ts";

export type { AssemblyErrorDetail, AssemblyEventDetail, AssemblyEventMap, DotNetApi, HostedAssembly, HostingOptions, WorkerAssemblyOptions } from "./registry.ts";

export class InteropRuntime extends AssemblyRegistry {
  constructor() {
    super(instantiate);
  }
}

/** An assembly on this thread, or in a worker when the options ask for one. */
function instantiate(module: WebAssembly.Module, options: HostingOptions): Promise<HostedAssembly> {
  const worker = workerOptionsOf(options.worker);
  return worker ? WorkerAssembly.start(module, options, worker) : LoadedAssembly.instantiate(module, options);
}
