/**
 * The worker's side of an assembly hosted in a worker: it loads the module the page sent into a
 * registry of the runtime's own (so every call, conversion, fault and limit behaves as on the
 * page's thread, and `globalThis.DotNet` here is that registry's), runs the page's calls and
 * operations, imports the modules the page asks for, and sends back their results.
 *
 * What crosses: arguments and results are structured clones of what the runtime takes and gives,
 * with references as ids (reference-values.ts) and typed-array results moved, not copied
 * (transfer.ts); a memory view, a view of this worker's memory, goes as a copy of its elements.
 * Calls into JavaScript resolve in this worker's global scope, or in the scope the page granted
 * (grants.ts), through the same membrane as on the page.
 *
 * Modules the page imports (`WorkerAssembly.importModule`) run in this global scope with the
 * worker's full authority, next to the assembly: their `DotNet.invokeMethod` is synchronous, and
 * the functions they put on `globalThis` are what managed code's calls into JS find.
 */
import { LoadedAssembly } from "../runtime/assembly.ts";
import { AssemblyRegistry, type HostingOptions } from "../runtime/registry.ts";
import { blazorMessages, InteropError } from "../runtime/errors.ts";
import { setPageBase } from "../js/calls.ts";
import type { Manifest, TypeDescriptor } from "../marshal/types.ts";
import type { MemoryView } from "../refs/memory-view.ts";
import { serializeError } from "./errors.ts";
import { ExportedReferences } from "./exported-references.ts";
import { messageOf, PageCalls } from "./grants.ts";
import { operationTypes } from "./operations.ts";
import type {
  CallRequest,
  FromWorker,
  ImportRequest,
  LoadRequest,
  Operation,
  OperationRequest,
  ToWorker,
  WorkerSideDiagnostics,
} from "./protocol.ts";
import { isReferenceType, REFERENCE_KINDS, RESULT_KINDS, type SentReference, ValueWalk, type ReferenceType } from "./reference-values.ts";
import { movableBuffers } from "./transfer.ts";

/** The worker's end of its channel to the page. */
export interface WorkerPort {
  post(message: FromWorker, transfer?: readonly Transferable[]): void;
  listen(handler: (message: ToWorker) => void): void;
}

/** What the worker's script tells the server of its global scope's events. */
export interface ServedWorker {
  /** Something threw where nothing caught it (an `error` event, an unhandled rejection). */
  uncaught(error: unknown): void;
  /** Code running in the worker is closing it (`close()`). */
  closing(): void;
}

/** Serves one assembly: the first message loads it, the others act on it. */
export function serve(port: WorkerPort): ServedWorker {
  let host: AssemblyHost | null = null;
  let loading: Promise<void> | null = null;
  port.listen((message) => {
    if (message.type === "load") {
      loading = load(port, message).then((loaded) => {
        host = loaded;
      });
    } else if (host) {
      host.handle(message);
    } else {
      // Messages sent while the assembly loads wait for it, in order.
      void loading?.then(() => host?.handle(message));
    }
  });
  return {
    uncaught: (error) => port.post({ type: "uncaught", error: serializeError(error) }),
    closing: () => port.post({ type: "closing" }),
  };
}

async function load(port: WorkerPort, request: LoadRequest): Promise<AssemblyHost | null> {
  try {
    if (request.baseURI) setPageBase(request.baseURI);
    const pageCalls = new PageCalls(request.name, (message) => port.post(message));
    const scope = request.scope === undefined ? undefined : (pageCalls.build(request.scope) as object);
    if (request.expose !== undefined) {
      // Added to the worker's global scope, where identifiers resolve without a sandbox.
      for (const [key, value] of Object.entries(pageCalls.build(request.expose) as object)) {
        defineGlobal(key, value);
      }
    }
    const registry = new AssemblyRegistry(instantiateHere);
    const assembly = (await registry.loadAssembly(request.module, {
      ...request.marshal,
      name: request.name,
      scope,
      importBinding: request.importBinding,
    })) as LoadedAssembly;
    registry.addEventListener("assemblypoisoned", (event) => {
      port.post({ type: "poisoned", error: serializeError(event.detail.error) });
    });
    // Blazor's DotNet for the modules the page imports here, bound to this worker's assembly.
    defineGlobal("DotNet", registry.DotNet);
    const host = new AssemblyHost(port, assembly, pageCalls);
    port.post({ type: "loaded" });
    return host;
  } catch (error) {
    port.post({ type: "loaded", error: serializeError(error) });
    return null;
  }
}

/** A global of this worker's scope, as a script's own would be, but not enumerable. */
function defineGlobal(key: string, value: unknown): void {
  Object.defineProperty(globalThis, key, { value, writable: true, enumerable: false, configurable: true });
}

/** The worker's registry loads assemblies on this thread only: it is the worker. */
function instantiateHere(module: WebAssembly.Module, options: HostingOptions): Promise<LoadedAssembly> {
  if (options.worker) return Promise.reject(new InteropError("An assembly in a worker cannot load another one into a worker of its own."));
  return LoadedAssembly.instantiate(module, options);
}

class AssemblyHost {
  readonly #exported = new ExportedReferences();
  /** Arguments: ids become this worker's objects. */
  readonly #arguments: ValueWalk;
  /** Results: objects become ids, typed arrays are collected to move. */
  readonly #results: ValueWalk;
  readonly #manifest: Manifest;

  constructor(
    private readonly port: WorkerPort,
    private readonly assembly: LoadedAssembly,
    private readonly pageCalls: PageCalls,
  ) {
    this.#manifest = assembly.manifest;
    this.#arguments = new ValueWalk(assembly.manifest.structs, REFERENCE_KINDS);
    this.#results = new ValueWalk(assembly.manifest.structs, RESULT_KINDS);
  }

  handle(message: ToWorker): void {
    switch (message.type) {
      case "call":
        return this.#call(message);
      case "operation":
        return this.#operate(message);
      case "import":
        return this.#import(message);
      case "release":
        return this.#exported.release(message.target, message.count, message.dispose);
      case "page-reply":
        return this.pageCalls.settle(message);
      case "diagnostics": {
        const diagnostics: WorkerSideDiagnostics = {
          ...this.assembly.diagnostics(),
          exportedReferences: this.#exported.size,
          pendingPageCalls: this.pageCalls.pending,
        };
        return this.port.post({ type: "reply", id: message.id, ok: true, value: diagnostics });
      }
    }
  }

  #call({ id, identifier, args }: CallRequest): void {
    const method = this.assembly.methods.get(identifier);
    if (!method) return this.#fail(id, new InteropError(blazorMessages.noMethod(this.assembly.name, identifier)));
    let result: Promise<unknown>;
    try {
      const parameters = method.descriptor.parameters;
      for (let i = 0; i < args.length && i < parameters.length; ++i) args[i] = this.#argument(args[i], parameters[i].type);
      result = method.invokeAsync(args);
    } catch (error) {
      return this.#fail(id, error);
    }
    result.then(
      (value) => this.#reply(id, value, method.descriptor.returnType),
      (error) => this.#fail(id, error),
    );
  }

  /** Imports a module into this global scope; the reply says it was evaluated (top-level await included), or why not. */
  #import({ id, url }: ImportRequest): void {
    import(/* @vite-ignore */ url).then(
      () => this.port.post({ type: "reply", id, ok: true }),
      (error: unknown) => this.#fail(id, error),
    );
  }

  #operate({ id, target, operation }: OperationRequest): void {
    let result: Promise<unknown>;
    let resultType: TypeDescriptor;
    try {
      const { value: object, type } = this.#exported.get(target);
      const types = operationTypes(type as ReferenceType, operation, this.#manifest);
      resultType = types.result;
      result = Promise.resolve(perform(object, type as ReferenceType, this.#withArguments(operation, types.args)));
    } catch (error) {
      return this.#fail(id, error);
    }
    result.then(
      (value) => this.#reply(id, value, resultType),
      (error) => this.#fail(id, error),
    );
  }

  /** The operation with its values converted: ids to this worker's objects. */
  #withArguments(operation: Operation, types: readonly (TypeDescriptor | null)[]): Operation {
    switch (operation.kind) {
      case "call":
      case "apply":
        operation.args.forEach((arg, i) => {
          const type = types[i];
          if (type) operation.args[i] = this.#argument(arg, type);
        });
        return operation;
      case "set":
        return { ...operation, value: types[0] ? this.#argument(operation.value, types[0]) : operation.value };
      default:
        return operation;
    }
  }

  #argument(value: unknown, type: TypeDescriptor): unknown {
    return this.#arguments.map(value, type, (id) => (typeof id === "number" ? this.#exported.get(id).value : id), true);
  }

  #reply(id: number, value: unknown, type: TypeDescriptor): void {
    const views: ArrayBufferView[] = [];
    const sent: number[] = [];
    let converted: unknown;
    try {
      converted = this.#results.map(
        value,
        type,
        (item, at) => {
          if (at.kind === "memoryview") {
            // A live view of this worker's memory means nothing on the page; structured clone would
            // make it an empty object. Its elements go instead, as a typed array (moved, as any).
            // The view itself is left to the collector, as a dropped one is on the page's thread.
            const copy = (item as MemoryView).slice();
            views.push(copy);
            return copy;
          }
          if (!isReferenceType(at)) {
            if (ArrayBuffer.isView(item)) views.push(item);
            return item;
          }
          // An object of a class derived from the one declared goes as its own class (SentReference).
          const own = at.kind === "objectref" && at.plain ? this.assembly.classKeyOf(item) : undefined;
          const derived = at.kind === "objectref" && own !== undefined && own !== at.class ? { ...at, class: own } : undefined;
          const exportId = this.#exported.export(item, derived ?? at);
          sent.push(exportId);
          const reference: SentReference = derived ? [exportId, derived.class] : exportId;
          return reference;
        },
        true,
      );
      if (value instanceof ArrayBuffer) views.push(new Uint8Array(value));
      const moved = movableBuffers(views);
      this.port.post({ type: "reply", id, ok: true, value: converted }, moved);
      // Gone from this thread: a handle managed code was given for one would keep a detached husk.
      this.assembly.releaseMoved(moved);
    } catch (error) {
      // What was counted as sent never arrives.
      for (const exportId of sent) this.#exported.release(exportId, 1, false);
      this.#fail(id, new InteropError(`The result could not be sent from the worker: ${messageOf(error)}`, { cause: error }));
    }
  }

  #fail(id: number, error: unknown): void {
    this.port.post({ type: "reply", id, ok: false, error: serializeError(error) });
  }
}

/** Runs an operation `operationTypes` allowed on the worker's own object. */
function perform(object: object, type: ReferenceType, operation: Operation): unknown {
  const target = object as Record<string, unknown>;
  switch (operation.kind) {
    case "get":
      return target[operation.member];
    case "set":
      if (!Reflect.set(target, operation.member, operation.value)) throw new TypeError(`'${operation.member}' could not be set.`);
      return undefined;
    case "apply":
      return Reflect.apply(object as Function, undefined, operation.args);
    case "call":
      return Reflect.apply(target[operation.member] as Function, object, operation.args);
    case "has":
      return operation.member in target;
    case "delete":
      return delete target[operation.member];
    case "keys":
      return Object.keys(target);
    case "pipe": {
      const { into } = operation;
      return (target.stream as () => Promise<ReadableStream<Uint8Array>>)().then(
        (readable) => readable.pipeTo(into),
        (error: unknown) => {
          void into.abort(error);
          throw error;
        },
      );
    }
  }
  return unreachable(type);
}

function unreachable(type: ReferenceType): never {
  throw new InteropError(`Unknown operation on a reference of kind '${type.kind}'.`);
}
