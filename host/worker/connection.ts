/**
 * One worker running an assembly, seen from the page: its load, the calls and operations waiting
 * for their replies (each with its time bound), the page functions the worker calls, and the
 * references it handed out. A `WorkerAssembly` talks to one at a time; a timeout replaces it with
 * a new one.
 */
import { MarshalError } from "../marshal/errors.ts";
import type { Manifest, MethodDescriptor, TypeDescriptor } from "../marshal/types.ts";
import { AssemblyPoisonedError, InteropError } from "../runtime/errors.ts";
import { capitalized, deserializeError, deserializeThrown, syncCallRefused } from "./errors.ts";
import { answerPageCall, messageOf, type PageFunctionEntry } from "./grants.ts";
import { operationTypes } from "./operations.ts";
import type { FromWorker, LoadRequest, Operation, Reply, ToWorker, WorkerSideDiagnostics } from "./protocol.ts";
import { ARGUMENT_KINDS, isReferenceType, referencedData, REFERENCE_KINDS, ValueWalk, type ReferenceType } from "./reference-values.ts";
import { RemoteReferences, type RemoteOwner } from "./remote-references.ts";
import { spawnWorker, type SpawnedWorker } from "./spawn.ts";
import { transferablesOf } from "./transfer.ts";

/** Everything a worker needs to load the assembly; made once, reused by every worker it gets. */
export interface ConnectionSetup {
  readonly module: WebAssembly.Module;
  readonly manifest: Manifest;
  readonly request: LoadRequest;
  readonly functions: readonly PageFunctionEntry[];
}

/** A call or operation waiting for the worker's reply. */
export interface PendingCall {
  readonly id: number;
  /** `the call to 'Spin'`, for messages. */
  readonly what: string;
  readonly result: TypeDescriptor;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

export interface ConnectionEvents {
  /** Managed code trapped in the worker, or the worker stopped: the instance is unusable. */
  poisoned(connection: WorkerConnection, error: Error): void;
  /** A call ran past its time bound. */
  timedOut(connection: WorkerConnection, call: PendingCall, timeoutMs: number): void;
  /** Something the worker ran threw where nothing caught it (a module's timer, an unhandled rejection). */
  uncaught(connection: WorkerConnection, error: unknown): void;
}

/** A value of no type worth a look: nothing to convert. */
const PLAIN: TypeDescriptor = { kind: "void" };

export class WorkerConnection implements RemoteOwner {
  readonly references = new RemoteReferences(this);
  readonly assemblyName: string;
  readonly manifest: Manifest;
  readonly #pending = new Map<number, PendingCall>();
  /** Results: the worker's references in them become the page's proxies. */
  readonly #results: ValueWalk;
  /** Arguments: the page's proxies become the worker's ids, its explicit references their data. */
  readonly #arguments: ValueWalk;
  #nextId = 1;
  #worker: SpawnedWorker | null = null;
  /** Set once the worker is gone: what later calls fail with. */
  #closed: Error | null = null;
  #loading: { resolve(): void; reject(error: Error): void } | null = null;

  private constructor(
    private readonly setup: ConnectionSetup,
    private readonly events: ConnectionEvents,
  ) {
    this.assemblyName = setup.request.name;
    this.manifest = setup.manifest;
    this.#results = new ValueWalk(setup.manifest.structs, REFERENCE_KINDS);
    this.#arguments = new ValueWalk(setup.manifest.structs, ARGUMENT_KINDS);
  }

  /** Starts a worker and loads the assembly in it; rejects with the load's error. */
  static async open(setup: ConnectionSetup, events: ConnectionEvents): Promise<WorkerConnection> {
    const connection = new WorkerConnection(setup, events);
    const loaded = new Promise<void>((resolve, reject) => (connection.#loading = { resolve, reject }));
    const worker = await spawnWorker({
      message: (message) => connection.#receive(message),
      failed: (error, fatal) => connection.#failed(error, fatal),
    });
    connection.#worker = worker;
    worker.hold(true);
    try {
      worker.post(setup.request);
      await loaded;
    } catch (error) {
      worker.terminate();
      throw error;
    }
    if (connection.#pending.size === 0) worker.hold(false);
    return connection;
  }

  /** Calls static method `method` by `identifier`. */
  call(identifier: string, method: MethodDescriptor, args: readonly unknown[], timeoutMs: number | undefined): Promise<unknown> {
    const what = `the call to '${identifier}'`;
    let sent: unknown[];
    try {
      sent = this.#outgoing(args, method.parameters.map((p) => p.type), (i) => `argument ${i + 1} ('${method.parameters[i]?.name}')`, what);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#request((id) => ({ type: "call", id, identifier, args: sent }), transferablesOf(args), method.returnType, what, timeoutMs, args);
  }

  /** Has the worker import the ES module at `url` (absolute); resolves once it has been evaluated. */
  importModule(url: string, timeoutMs: number | undefined): Promise<void> {
    return this.#request((id) => ({ type: "import", id, url }), [], PLAIN, `the import of '${url}'`, timeoutMs, [url]) as Promise<void>;
  }

  /** Runs `operation` on worker reference `id` (RemoteOwner). */
  operate(id: number, type: ReferenceType, operation: Operation, transfer: readonly Transferable[], timeoutMs?: number): Promise<unknown> {
    const what = describeOperation(operation, type, this.manifest);
    let sent: Operation;
    let result: TypeDescriptor;
    try {
      const types = operationTypes(type, operation, this.manifest);
      result = types.result;
      sent = this.#outgoingOperation(operation, types.args, what);
    } catch (error) {
      return Promise.reject(error);
    }
    const values = operation.kind === "set" ? [operation.value] : "args" in operation ? operation.args : [];
    return this.#request((requestId) => ({ type: "operation", id: requestId, target: id, operation: sent }), transfer, result, what, timeoutMs ?? this.defaultTimeout(), values);
  }

  /** The time bound of an operation on a reference made now (set by the assembly). */
  defaultTimeout: () => number | undefined = () => undefined;

  /** The page dropped or disposed reference `id` (RemoteOwner). */
  release(id: number, count: number, dispose: boolean): void {
    if (!this.#closed) this.#worker?.post({ type: "release", target: id, count, dispose });
  }

  syncRefused(call: string, instead: string): Error {
    return syncCallRefused(this.assemblyName, call, instead);
  }

  diagnostics(): Promise<WorkerSideDiagnostics> {
    return this.#request((id) => ({ type: "diagnostics", id }), [], PLAIN, "diagnostics()", undefined, []) as Promise<WorkerSideDiagnostics>;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Ends this worker: terminates it, rejects each waiting call with `reject(call)`, and retires its
   * references (their calls fail with `retired`, as later calls through this connection do).
   */
  close(reject: (call: PendingCall) => Error, retired: Error): void {
    if (this.#closed) return;
    this.#closed = retired;
    this.#worker?.terminate();
    this.references.retire(retired);
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) {
      clearTimeout(call.timer);
      call.reject(reject(call));
    }
  }

  #request(
    message: (id: number) => ToWorker,
    transfer: readonly Transferable[],
    result: TypeDescriptor,
    what: string,
    timeoutMs: number | undefined,
    values: readonly unknown[],
  ): Promise<unknown> {
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      try {
        this.#worker!.post(message(id), transfer);
      } catch (error) {
        reject(unsendable(what, values, error));
        return;
      }
      const call: PendingCall = { id, what, result, resolve, reject, timer: undefined };
      if (timeoutMs !== undefined) call.timer = setTimeout(() => this.events.timedOut(this, call, timeoutMs), timeoutMs);
      this.#pending.set(id, call);
      if (this.#pending.size === 1) this.#worker!.hold(true);
    });
  }

  #receive(message: FromWorker): void {
    switch (message.type) {
      case "reply":
        return this.#settle(message);
      case "loaded":
        if (message.error) this.#loading?.reject(deserializeError(message.error, this.assemblyName));
        else this.#loading?.resolve();
        this.#loading = null;
        return;
      case "poisoned":
        return this.events.poisoned(this, deserializeError(message.error, this.assemblyName));
      case "page-call":
        void answerPageCall(message, this.setup.functions, (reply, transfer) => {
          if (!this.#closed) this.#worker!.post(reply, transfer);
        });
        return;
      case "uncaught":
        if (!this.#closed) this.events.uncaught(this, deserializeThrown(message.error, this.assemblyName));
        return;
      case "closing":
        return this.#failed(new Error("The assembly's worker was closed by code running in it (close())."), true);
    }
  }

  #settle(reply: Reply): void {
    const call = this.#pending.get(reply.id);
    if (!call) return;
    this.#pending.delete(reply.id);
    clearTimeout(call.timer);
    if (this.#pending.size === 0) this.#worker!.hold(false);
    if (!reply.ok) return call.reject(deserializeThrown(reply.error!, this.assemblyName));
    try {
      call.resolve(this.#results.map(reply.value, call.result, (sent, type) => this.references.wrap(sent, type as ReferenceType), true));
    } catch (error) {
      call.reject(error);
    }
  }

  #failed(error: Error, fatal: boolean): void {
    if (this.#loading) {
      this.#loading.reject(new InteropError(`The assembly '${this.assemblyName}' could not be loaded in a worker: ${error.message}`, { cause: error }));
      this.#loading = null;
      return;
    }
    // A browser's worker lives on after an uncaught error (the browser reports it); a stopped one does not.
    if (fatal && !this.#closed) this.events.poisoned(this, new AssemblyPoisonedError(this.assemblyName, error, "in its worker"));
  }

  /**
   * Arguments as they are sent: the page's proxies become the worker's ids, and the page's explicit
   * references their data (the caller's values are left as they are).
   */
  #outgoing(args: readonly unknown[], types: readonly (TypeDescriptor | null)[], name: (index: number) => string, what: string): unknown[] {
    let sent = args as unknown[];
    for (let i = 0; i < args.length; ++i) {
      const type = types[i];
      if (!type || !this.#arguments.holds(type)) continue;
      let value: unknown;
      try {
        value = this.#arguments.map(args[i], type, (given, at) => (isReferenceType(at) ? this.references.idOf(given, at) : referencedData(given)), false);
      } catch (error) {
        if (!(error instanceof MarshalError)) throw error;
        throw new InteropError(`${capitalized(what)} failed: ${name(i)} could not be converted: ${error.message}`, { cause: error });
      }
      if (value !== args[i]) {
        if (sent === args) sent = [...args];
        sent[i] = value;
      }
    }
    return sent;
  }

  #outgoingOperation(operation: Operation, types: readonly (TypeDescriptor | null)[], what: string): Operation {
    switch (operation.kind) {
      case "call":
      case "apply":
        return { ...operation, args: this.#outgoing(operation.args, types, (i) => `argument ${i + 1}`, what) };
      case "set":
        return { ...operation, value: this.#outgoing([operation.value], types, () => "the value", what)[0] };
      default:
        return operation;
    }
  }
}

/** Why a message could not be posted: the first value structured clone refuses, named. */
function unsendable(what: string, values: readonly unknown[], error: unknown): InteropError {
  const index = values.findIndex((value) => {
    try {
      structuredClone(value);
      return false;
    } catch {
      return true;
    }
  });
  const which = index < 0 ? "its values" : `argument ${index + 1}`;
  return new InteropError(
    `${capitalized(what)} failed: ${which} could not be sent to the worker: ${messageOf(error)} ` +
      `(values cross to an assembly in a worker as structured clones: functions, DOM nodes and class instances' methods cannot).`,
    { cause: error },
  );
}

function describeOperation(operation: Operation, type: ReferenceType, manifest: Manifest): string {
  const owner = type.kind === "objectref" ? (manifest.classes[type.class]?.displayName ?? type.class) : type.kind === "listref" ? "a list view" : type.kind === "dictref" ? "a dictionary view" : "a managed function";
  switch (operation.kind) {
    case "call":
      return operation.member === "invokeMethodAsync" ? `the call to '${String(operation.args[0])}' on ${owner}` : `${operation.member}() on ${owner}`;
    case "apply":
      return "the call to a managed function";
    case "get":
    case "set":
    case "has":
    case "delete":
      return `${operation.kind} '${operation.member}' on ${owner}`;
    default:
      return `${operation.kind} on ${owner}`;
  }
}
