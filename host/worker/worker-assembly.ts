/**
 * An assembly loaded with `{ worker }`: it runs in a Web Worker (or a Node `worker_threads`
 * worker), and this object stands for it in the runtime, under its name, so that
 * `DotNet.invokeMethodAsync` and the typed API reach it unchanged. Its methods are called
 * asynchronously only; a synchronous `invokeMethod` is an error that says why.
 *
 * A call past its time bound (`timeoutMs`) terminates the worker — the one way to stop running
 * wasm — rejects every call waiting for it with a `TimeoutError`, and loads the assembly again in a
 * new worker, with `assemblypoisoned` and `assemblyreloaded` dispatched as for a trap; calls made
 * meanwhile wait for the new worker. A trap poisons it as it poisons an assembly on this thread.
 *
 * JavaScript of the page's choosing runs next to the assembly in its worker: `importModule(url)`
 * (and `{ worker: { modules } }`) imports ES modules into the worker's global scope, where
 * `DotNet` is bound to the worker's instance (synchronous calls included) and the functions they
 * define are what managed code's calls into JS find. They are part of the assembly's setup: a new
 * worker (after a timeout, or `reloadAssembly`) imports them again, in the same order, before it
 * takes calls.
 */
import type { AssemblyDiagnostics, AssemblyOptions, InvokableMethod } from "../runtime/assembly.ts";
import type { HostingOptions } from "../runtime/registry.ts";
import { readManifest } from "../runtime/manifest.ts";
import { InteropError } from "../runtime/errors.ts";
import { baseUrl, moduleBaseOf } from "../js/calls.ts";
import type { Manifest, MethodDescriptor } from "../marshal/types.ts";
import { WorkerConnection, type ConnectionEvents, type ConnectionSetup, type PendingCall } from "./connection.ts";
import { capitalized, syncCallRefused, TimeoutError } from "./errors.ts";
import { grantShape, type PageFunctionEntry } from "./grants.ts";
import { callTimeout, type WorkerOptions } from "./options.ts";
import type { LoadRequest, WorkerSideDiagnostics } from "./protocol.ts";

/** What `diagnostics()` reports: the worker's tables, and the page's side of them. */
export interface WorkerAssemblyDiagnostics extends AssemblyDiagnostics, WorkerSideDiagnostics {
  /** Proxies the page holds for the worker's references (not disposed, not yet finalized). */
  readonly pageReferences: number;
  /** Calls and operations waiting for the worker. */
  readonly pendingCalls: number;
}

export class WorkerAssembly {
  readonly methods = new Map<string, InvokableMethod>();
  /** Called when the instance becomes unusable (a trap) or a call times out; the runtime dispatches `assemblypoisoned`. */
  onPoisoned: ((error: Error) => void) | null = null;
  /** Called when a new worker has loaded the assembly after a timeout; the runtime dispatches `assemblyreloaded`. */
  onReloaded: (() => void) | null = null;
  /**
   * Called with what code in the worker threw where nothing caught it (a module's timer, an
   * unhandled rejection); returns whether it was handled (the runtime dispatches `assemblyerror`).
   * Unhandled, it goes to this thread's console.
   */
  onUncaught: ((error: unknown) => boolean) | null = null;
  /** The worker now, or the one being started (after a timeout). */
  #connection: WorkerConnection | null;
  #starting: Promise<WorkerConnection> | null = null;
  /** Set by a trap, or when a new worker could not load the assembly: every call fails with it. */
  #poison: Error | null = null;
  #retired: InteropError | null = null;
  readonly #timeoutMs: number | undefined;
  readonly #options: HostingOptions;
  readonly #workerOptions: WorkerOptions;
  /**
   * The modules of its setup, in the order they were asked for: those of `{ worker: { modules } }`
   * and those `importModule` imported (each once it has been; a failed one is dropped).
   */
  readonly #modules: ModuleEntry[];

  private constructor(
    /** What it was loaded from, so it can be loaded again (see `InteropRuntime.reloadAssembly`). */
    readonly module: WebAssembly.Module,
    options: HostingOptions,
    readonly name: string,
    readonly manifest: Manifest,
    workerOptions: WorkerOptions,
    modules: readonly string[],
    private readonly setup: ConnectionSetup,
    connection: WorkerConnection,
  ) {
    this.#options = options;
    this.#workerOptions = workerOptions;
    this.#modules = modules.map((url) => ({ url, imported: true }));
    this.#timeoutMs = workerOptions.timeoutMs;
    this.#connection = connection;
    this.#adopt(connection);
    for (const method of manifest.methods) {
      const { identifier } = method;
      this.methods.set(identifier, {
        descriptor: method,
        invoke: () => {
          throw syncCallRefused(name, `a synchronous call to '${identifier}' (invokeMethod)`, "invokeMethodAsync");
        },
        invokeAsync: (args) => this.#call(identifier, method, args),
      });
    }
  }

  /**
   * Starts a worker, loads the assembly in it, imports `{ worker: { modules } }` in order, and
   * resolves once it is ready for calls.
   */
  static async start(module: WebAssembly.Module, options: HostingOptions, workerOptions: WorkerOptions): Promise<WorkerAssembly> {
    const manifest = readManifest(module);
    const name = options.name ?? manifest.assembly;
    const setup = prepare(module, manifest, name, options, workerOptions);
    const modules = (workerOptions.modules ?? []).map((url) => absoluteModuleUrl(url, name, setup.request.baseURI));
    let assembly: WorkerAssembly | null = null;
    const connection = await WorkerAssembly.#open(setup, modules, callTimeout(workerOptions.timeoutMs), () => assembly);
    assembly = new WorkerAssembly(module, options, name, manifest, workerOptions, modules, setup, connection);
    return assembly;
  }

  /**
   * The options it was loaded with, and as `{ worker: { modules } }` every module of its setup so
   * far: `reloadAssembly` loads it again with them.
   */
  get options(): HostingOptions {
    return { ...this.#options, worker: { ...this.#workerOptions, modules: this.#importedModules() } };
  }

  /**
   * Imports the ES module at `url` into the assembly's worker, as `import(url)` there, and
   * resolves once it has been evaluated (top-level `await` included); rejects with what it threw,
   * or with why it could not be loaded. A relative `url` is resolved against the assembly's
   * `moduleBase`, else the page's base URL (in Node, the working directory).
   *
   * The module runs in the worker's global scope with the worker's full authority: there
   * `DotNet` is bound to this assembly (`DotNet.invokeMethod` works, synchronously), and functions
   * it puts on `globalThis` are what managed code's calls into JS find (unless the assembly was
   * loaded with `{ scope }`, which is then all managed code reaches). It is bounded as a call is
   * (`timeoutMs`, `withTimeout`): past it, the worker is terminated and the assembly loaded again.
   * Once imported, it is part of the assembly's setup: a new worker imports it again.
   */
  importModule(url: string | URL): Promise<void> {
    let entry: ModuleEntry;
    try {
      entry = { url: absoluteModuleUrl(url, this.name, this.setup.request.baseURI), imported: false };
    } catch (error) {
      return Promise.reject(error);
    }
    const timeoutMs = callTimeout(this.#timeoutMs);
    const imported = this.#send((connection) => connection.importModule(entry.url, timeoutMs));
    this.#modules.push(entry);
    return imported.then(
      () => {
        entry.imported = true;
      },
      (error: unknown) => {
        this.#modules.splice(this.#modules.indexOf(entry), 1);
        throw error;
      },
    );
  }

  /** The modules of its setup that have been imported, in order: what a new worker imports again. */
  #importedModules(): string[] {
    return this.#modules.filter((entry) => entry.imported).map((entry) => entry.url);
  }

  #call(identifier: string, method: MethodDescriptor, args: readonly unknown[]): Promise<unknown> {
    // Read now: withTimeout bounds the calls made inside it, before anything is awaited.
    const timeoutMs = callTimeout(this.#timeoutMs);
    return this.#send((connection) => connection.call(identifier, method, args, timeoutMs));
  }

  /** Sends through the worker now, or through the one being started (after a timeout) once it is ready. */
  #send<T>(send: (connection: WorkerConnection) => Promise<T>): Promise<T> {
    if (this.#retired) return Promise.reject(this.#retired);
    if (this.#poison) return Promise.reject(this.#poison);
    return this.#connection ? send(this.#connection) : this.#starting!.then(send);
  }

  /** How the worker and the page are doing: every table on both sides. */
  async diagnostics(): Promise<WorkerAssemblyDiagnostics> {
    const connection = this.#connection ?? (await this.#starting);
    if (!connection || this.#retired || this.#poison) throw this.#retired ?? this.#poison ?? new InteropError(`The assembly '${this.name}' has no worker.`);
    const worker = await connection.diagnostics();
    return { ...worker, pageReferences: connection.references.liveCount, pendingCalls: connection.pendingCount };
  }

  /**
   * Ends this instance for good (the runtime unloaded or reloaded the assembly): the worker is
   * terminated, calls waiting for it reject with `error`, and so does everything it handed out.
   */
  retire(error: InteropError): void {
    this.#retired ??= error;
    this.onPoisoned = null;
    this.onReloaded = null;
    this.onUncaught = null;
    this.#connection?.close(() => error, error);
    void this.#starting?.then((connection) => connection.close(() => error, error), () => undefined);
  }

  #adopt(connection: WorkerConnection): void {
    connection.defaultTimeout = () => callTimeout(this.#timeoutMs);
  }

  /**
   * A new worker with the assembly loaded and `modules` imported in order (each bounded by
   * `timeoutMs`); if one fails, the worker is terminated and this rejects with its error.
   */
  static async #open(setup: ConnectionSetup, modules: readonly string[], timeoutMs: number | undefined, assembly: () => WorkerAssembly | null): Promise<WorkerConnection> {
    const connection = await WorkerConnection.open(setup, WorkerAssembly.#events(assembly));
    try {
      for (const url of modules) await connection.importModule(url, timeoutMs);
    } catch (error) {
      const stopped = new InteropError(`The assembly '${setup.request.name}' could not be set up in a worker: a module of its setup failed.`);
      connection.close(() => stopped, stopped);
      throw error;
    }
    return connection;
  }

  /** The connection's events, for the assembly once it exists (the first worker loads before it does). */
  static #events(assembly: () => WorkerAssembly | null): ConnectionEvents {
    return {
      poisoned: (connection, error) => {
        const current = assembly();
        if (current) current.#poisoned(connection, error);
      },
      timedOut: (connection, call, timeoutMs) => {
        const current = assembly();
        if (current && connection === current.#connection) return current.#timedOut(connection, call, timeoutMs);
        // A worker being set up (its modules imported): it will not be used.
        const error = new TimeoutError(
          `${capitalized(call.what)} did not finish within ${timeoutMs} ms while the assembly '${connection.assemblyName}' was being ` +
            `loaded in a new worker: the worker was terminated.`,
        );
        connection.close(() => error, error);
      },
      uncaught: (connection, error) => {
        // Unheard (no listener, or the assembly not registered yet), it is not lost: the console says it, as for the page's own.
        if (!assembly()?.onUncaught?.(error)) console.error("Uncaught in the worker of the assembly '%s':", connection.assemblyName, error);
      },
    };
  }

  /** A trap in the worker, or the worker stopped: as for a trap on this thread, every call fails from now on. */
  #poisoned(connection: WorkerConnection, error: Error): void {
    if (connection !== this.#connection || this.#poison || this.#retired) return;
    this.#poison = error;
    connection.close(() => error, error);
    this.onPoisoned?.(error);
  }

  /** `call` ran past `timeoutMs`: a new worker replaces this one (see the file comment). */
  #timedOut(connection: WorkerConnection, call: PendingCall, timeoutMs: number): void {
    if (connection !== this.#connection || this.#retired) return;
    const bound = `${call.what} did not finish within ${timeoutMs} ms`;
    const restart = `the assembly '${this.name}' is being loaded again in a new worker`;
    const error = new TimeoutError(`${capitalized(bound)}: the worker running it was terminated, and ${restart}.`);
    connection.close(
      (other) => (other === call ? error : new TimeoutError(`${capitalized(other.what)} was stopped: its worker was terminated because ${bound}; ${restart}.`)),
      new InteropError(
        `The assembly '${this.name}' was loaded again in a new worker after ${bound}: this object belongs to its previous instance, ` +
          `whose state is gone. Use what the reloaded assembly gives you instead.`,
      ),
    );
    this.#connection = null;
    this.onPoisoned?.(error);
    this.#starting = WorkerAssembly.#open(this.setup, this.#importedModules(), callTimeout(this.#timeoutMs), () => this);
    this.#starting.then(
      (fresh) => {
        this.#starting = null;
        if (this.#retired) return fresh.close(() => this.#retired!, this.#retired!);
        this.#adopt(fresh);
        this.#connection = fresh;
        this.onReloaded?.();
      },
      (failure: unknown) => {
        this.#starting = null;
        this.#poison = failure instanceof Error ? failure : new InteropError(String(failure));
        this.onPoisoned?.(this.#poison);
      },
    );
  }
}

/** A module of an assembly's setup: its absolute URL, and whether it has been imported (not just asked for). */
interface ModuleEntry {
  readonly url: string;
  imported: boolean;
}

/**
 * `url` as the worker imports it: absolute, resolved against `base` (the assembly's `moduleBase`,
 * else the page's base URL; in Node, the working directory).
 */
function absoluteModuleUrl(url: string | URL, assemblyName: string, base: string | undefined): string {
  try {
    return new URL(url, base ?? baseUrl()).href;
  } catch {
    throw new InteropError(`The module '${String(url)}' cannot be imported into the worker of the assembly '${assemblyName}': it is not a URL, nor one relative to the page's.`);
  }
}

/** What every worker of this assembly is sent: the module, the options that cross, the grants' shapes. */
function prepare(module: WebAssembly.Module, manifest: Manifest, name: string, options: AssemblyOptions, worker: WorkerOptions): ConnectionSetup {
  if (options.imports !== undefined) {
    throw new InteropError(
      `The assembly '${name}' cannot be given { imports } in a worker: they are functions of this thread, and wasm calls its imports ` +
        `synchronously. Declare them with @jsImport (they then resolve in the worker, or among the page functions it is granted).`,
    );
  }
  if (options.scope !== undefined && worker.expose !== undefined) {
    throw new InteropError(
      `The assembly '${name}' is given both { scope } and { worker: { expose } }: in a sandbox, the scope is all it reaches. Put the functions in the scope.`,
    );
  }
  const functions: PageFunctionEntry[] = [];
  const { int64, preserveReferences, maxDepth, maxPayloadBytes, maxHandles } = options;
  const marshal = Object.fromEntries(
    Object.entries({ int64, preserveReferences, maxDepth, maxPayloadBytes, maxHandles }).filter(([, value]) => value !== undefined),
  );
  const request: LoadRequest = {
    type: "load",
    module,
    name,
    marshal,
    importBinding: options.importBinding,
    scope: options.scope === undefined ? undefined : grantShape(options.scope, "scope", name, functions),
    expose: worker.expose === undefined ? undefined : grantShape(worker.expose, "{ worker: { expose } }", name, functions),
    // What relative module URLs resolve against in the worker, which has no page of its own.
    baseURI: moduleBaseOf(options.moduleBase, name) ?? (globalThis as { document?: { baseURI: string } }).document?.baseURI,
  };
  return { module, manifest, request, functions };
}
