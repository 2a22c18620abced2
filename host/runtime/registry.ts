/**
 * The registry of loaded assemblies and Blazor's static call API on top of it.
 *
 *   runtime.invokeMethod("BlazorSample", "ReturnArrayAsync")        // synchronous
 *   runtime.invokeMethodAsync("BlazorSample", "ReturnArrayAsync")   // a Promise, never throws
 *
 * `runtime.DotNet` is the same API as an object that can be installed as `globalThis.DotNet`, so
 * JavaScript written for Blazor runs unchanged.
 *
 * How an assembly is instantiated is given to the registry: `InteropRuntime` (runtime.ts) on this
 * thread or in a worker of its own; the worker hosting an assembly (host/worker/server.ts) on its
 * own thread only. So the worker's script holds the registry and `DotNet` without the code that
 * starts workers (a bundler would see a worker that starts itself).
 */
import type { LoadedAssembly, AssemblyOptions, InvokableMethod } from "./assembly.ts";
import { blazorMessages, InteropError } from "./errors.ts";
import { compileModule, type AssemblySource } from "./load.ts";
import type { WorkerAssembly } from "../worker/worker-assembly.ts";
import { DotNetObject } from "../refs/dotnet-object.ts";
import type { WorkerOptions } from "../worker/options.ts";

/** What the runtime holds under a name: an assembly on this thread, or one in a worker (`{ worker }`). */
export type HostedAssembly = LoadedAssembly | WorkerAssembly;

/** The options of `loadAssembly`: an assembly's, and where it runs. */
export interface HostingOptions extends AssemblyOptions {
  /**
   * Run the assembly in a worker of its own (a Web Worker, or a Node `worker_threads` worker), so
   * that no call can block this thread: `true`, or `{ timeoutMs, expose }` (see `WorkerOptions`).
   * Its methods are then called asynchronously only.
   */
  worker?: boolean | WorkerOptions;
}

/** Options that load the assembly into a worker. */
export type WorkerAssemblyOptions = AssemblyOptions & { worker: true | WorkerOptions };
import {
  createJSObjectReference,
  createJSStreamReference,
  disposeJSObjectReference,
  type JSObjectReference,
  type JSStreamReference,
  type StreamData,
} from "../js/object-references.ts";

export interface DotNetApi {
  invokeMethod<T = unknown>(assemblyName: string, methodIdentifier: string, ...args: unknown[]): T;
  invokeMethodAsync<T = unknown>(assemblyName: string, methodIdentifier: string, ...args: unknown[]): Promise<T>;
  /**
   * A reference to `jsObject` (an object or function) to pass to managed code, where it arrives as
   * a `JSObject`: `{ __jsObjectId }`. `null`/`undefined` give a reference that arrives as `null`.
   */
  createJSObjectReference(jsObject: unknown): JSObjectReference;
  /** A reference to data managed code reads in chunks (a `JSStreamReference`): an `ArrayBuffer`, a typed array, a `Blob`. */
  createJSStreamReference(streamReference: StreamData): JSStreamReference;
  /** Ends a reference made by `createJSObjectReference`/`createJSStreamReference`; anything else is ignored. */
  disposeJSObjectReference(jsObjectReference: unknown): void;
  /** The class of the objects standing for managed ones (Blazor's `DotNet.DotNetObject`): `ref instanceof DotNet.DotNetObject`. */
  readonly DotNetObject: typeof DotNetObject;
}

/** Dispatched by a runtime (`InteropRuntime`): `assemblypoisoned` and `assemblyreloaded`. */
export interface AssemblyEventDetail {
  readonly assembly: string;
  /** The fault, for `assemblypoisoned`. */
  readonly error?: Error;
}

/**
 * Dispatched by a runtime as `assemblyerror` (cancelable): code running in the worker of an
 * assembly loaded with `{ worker }` — a module `importModule` imported, after it finished — threw
 * where nothing caught it (a timer's callback, a promise rejected with no handler). The worker
 * lives on. Unless a listener calls `preventDefault()`, the error also goes to this thread's console.
 */
export interface AssemblyErrorDetail {
  readonly assembly: string;
  /** What was thrown: an `Error` of its class, with its stack, or the value itself if it was not an `Error`. */
  readonly error: unknown;
}

/** The events a runtime dispatches, so that a listener reads `event.detail` without a cast. */
export interface AssemblyEventMap {
  /** Its `error` is always there: the fault. */
  assemblypoisoned: CustomEvent<Required<AssemblyEventDetail>>;
  assemblyreloaded: CustomEvent<AssemblyEventDetail>;
  assemblyerror: CustomEvent<AssemblyErrorDetail>;
}

/** What a call through an unloaded or reloaded instance's references says. */
const retiredMessage = (name: string, what: "unloaded" | "reloaded") =>
  `The assembly '${name}' was ${what}: this object belongs to its previous instance, whose state is gone. ` +
  (what === "reloaded" ? "Use what the reloaded assembly gives you instead." : "Load the assembly again to continue.");

/** Makes an assembly of a module, as the options say (on this thread, or in a worker). */
export type Instantiate = (module: WebAssembly.Module, options: HostingOptions) => Promise<HostedAssembly>;

// Merged into the class: EventTarget's own signatures type every event as a plain `Event`.
export interface AssemblyRegistry {
  addEventListener<K extends keyof AssemblyEventMap>(
    type: K,
    listener: (this: AssemblyRegistry, event: AssemblyEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof AssemblyEventMap>(
    type: K,
    listener: (this: AssemblyRegistry, event: AssemblyEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

export class AssemblyRegistry extends EventTarget {
  readonly #assemblies = new Map<string, HostedAssembly>();
  readonly #instantiate: Instantiate;
  /**
   * The method last called by name: calls come in runs (a loop, a handler), and two map lookups
   * are a good part of a call of numbers. Forgotten whenever a name is registered or unregistered.
   */
  #lastMethod: { readonly assemblyName: string; readonly methodIdentifier: string; readonly method: InvokableMethod } | null = null;

  constructor(instantiate: Instantiate) {
    super();
    this.#instantiate = instantiate;
  }

  /** Blazor's `DotNet` object, bound to this runtime. */
  readonly DotNet: DotNetApi = {
    invokeMethod: <T>(assemblyName: string, methodIdentifier: string, ...args: unknown[]) =>
      this.#invoke(assemblyName, methodIdentifier, args) as T,
    invokeMethodAsync: <T>(assemblyName: string, methodIdentifier: string, ...args: unknown[]) =>
      this.#invokeAsync(assemblyName, methodIdentifier, args) as Promise<T>,
    // Not bound to a runtime: any assembly may be given a reference (see host/js/object-references.ts).
    createJSObjectReference,
    createJSStreamReference,
    disposeJSObjectReference,
    DotNetObject,
  };

  /**
   * Loads, instantiates and registers an assembly under its compiled-in (or the given) name; with
   * `{ worker }`, in a worker of its own (see host/worker/worker-assembly.ts).
   */
  loadAssembly(source: AssemblySource, options: WorkerAssemblyOptions): Promise<WorkerAssembly>;
  loadAssembly(source: AssemblySource, options?: AssemblyOptions & { worker?: false }): Promise<LoadedAssembly>;
  loadAssembly(source: AssemblySource, options?: HostingOptions): Promise<HostedAssembly>;
  async loadAssembly(source: AssemblySource, options: HostingOptions = {}): Promise<HostedAssembly> {
    const assembly = await this.#instantiate(await compileModule(source), options);
    if (this.#assemblies.has(assembly.name)) {
      const error = new InteropError(
        `An assembly named '${assembly.name}' is already loaded. Unload it first, or load this one with another { name }.`,
      );
      // Not registered, so never unloaded: ended here (a worker-hosted one would keep its worker).
      assembly.retire(error);
      throw error;
    }
    this.#register(assembly);
    return assembly;
  }

  /**
   * Loads an assembly again from the same module and options, with fresh memory: the way back
   * after a fault poisoned it (listen for `assemblypoisoned`). References into the old instance
   * are gone; calls by name work at once.
   */
  async reloadAssembly<A extends HostedAssembly = LoadedAssembly>(name: string): Promise<A> {
    const old = this.#assemblies.get(name);
    if (!old) throw new InteropError(blazorMessages.noAssembly(name));
    const fresh = await this.#instantiate(old.module, old.options);
    old.retire(new InteropError(retiredMessage(name, "reloaded")));
    this.#register(fresh);
    this.dispatchEvent(new CustomEvent<AssemblyEventDetail>("assemblyreloaded", { detail: { assembly: name } }));
    return fresh as A;
  }

  #register(assembly: HostedAssembly): void {
    this.#assemblies.set(assembly.name, assembly);
    this.#lastMethod = null;
    assembly.onPoisoned = (error: Error) =>
      this.dispatchEvent(
        new CustomEvent<AssemblyEventDetail>("assemblypoisoned", { detail: { assembly: assembly.name, error } }),
      );
    if ("onReloaded" in assembly) {
      // After a call timed out, a worker-hosted assembly loads itself again in a new worker.
      assembly.onReloaded = () =>
        this.dispatchEvent(new CustomEvent<AssemblyEventDetail>("assemblyreloaded", { detail: { assembly: assembly.name } }));
      // Handled when a listener called preventDefault().
      assembly.onUncaught = (error) =>
        !this.dispatchEvent(new CustomEvent<AssemblyErrorDetail>("assemblyerror", { detail: { assembly: assembly.name, error }, cancelable: true }));
    }
  }

  /**
   * Forgets an assembly; later calls to it fail as calls to an unknown assembly do, and what it
   * handed out (references, functions, views) fails with a clear error.
   */
  unloadAssembly(name: string): boolean {
    const assembly = this.#assemblies.get(name);
    if (!assembly) return false;
    this.#assemblies.delete(name);
    this.#lastMethod = null;
    assembly.retire(new InteropError(retiredMessage(name, "unloaded")));
    return true;
  }

  /**
   * The assembly registered under `name`. The type parameter says which kind it was loaded as:
   * `getAssembly<WorkerAssembly>(name)` for one loaded with `{ worker }`.
   */
  getAssembly<A extends HostedAssembly = LoadedAssembly>(name: string): A | undefined {
    return this.#assemblies.get(name) as A | undefined;
  }

  get assemblyNames(): string[] {
    return [...this.#assemblies.keys()];
  }

  invokeMethod<T = unknown>(assemblyName: string, methodIdentifier: string, ...args: unknown[]): T {
    return this.#invoke(assemblyName, methodIdentifier, args) as T;
  }

  invokeMethodAsync<T = unknown>(assemblyName: string, methodIdentifier: string, ...args: unknown[]): Promise<T> {
    return this.#invokeAsync(assemblyName, methodIdentifier, args) as Promise<T>;
  }

  #invoke(assemblyName: string, methodIdentifier: string, args: readonly unknown[]): unknown {
    return this.#method(assemblyName, methodIdentifier).invoke(args);
  }

  /** Rejects, never throws; with JSPI, managed code may await JS inside it (see host/js/jspi.ts). */
  #invokeAsync(assemblyName: string, methodIdentifier: string, args: readonly unknown[]): Promise<unknown> {
    try {
      return this.#method(assemblyName, methodIdentifier).invokeAsync(args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #method(assemblyName: string, methodIdentifier: string): InvokableMethod {
    const last = this.#lastMethod;
    if (last !== null && last.assemblyName === assemblyName && last.methodIdentifier === methodIdentifier) return last.method;
    const method = this.#lookUp(assemblyName, methodIdentifier);
    this.#lastMethod = { assemblyName, methodIdentifier, method };
    return method;
  }

  #lookUp(assemblyName: string, methodIdentifier: string): InvokableMethod {
    // Blazor's checks, in its order: the names must say something.
    if (isBlank(assemblyName)) throw new InteropError(blazorMessages.noAssemblyName);
    if (isBlank(methodIdentifier)) throw new InteropError(blazorMessages.noMethodIdentifier);
    const assembly = this.#assemblies.get(assemblyName);
    if (!assembly) throw new InteropError(blazorMessages.noAssembly(assemblyName));
    const method = assembly.methods.get(methodIdentifier);
    if (!method) throw new InteropError(blazorMessages.noMethod(assemblyName, methodIdentifier));
    return method;
  }
}

/** .NET's `string.IsNullOrWhiteSpace`, for what JavaScript may pass as a name. */
function isBlank(name: unknown): boolean {
  return name === null || name === undefined || (typeof name === "string" && name.trim() === "");
}
