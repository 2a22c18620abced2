/**
 * The messages between the thread that loaded an assembly with `{ worker }` (the page, or Node's
 * main thread) and the worker that runs it. Everything crosses by structured clone; the page and
 * the worker both know the manifest, so a value carries no type of its own, and a reference to a
 * managed object crosses as a number (see reference-values.ts).
 */
import type { AssemblyDiagnostics } from "../runtime/assembly.ts";
import type { ImportBinding } from "../js/typed-imports.ts";
import type { MarshalOptions } from "../marshal/codec.ts";

/**
 * What the page grants, as the worker rebuilds it: plain objects, arrays and cloned data, with a
 * {@link PageFunction} wherever the page has a function.
 */
export type GrantShape = unknown;

/** Stands for a page function in a {@link GrantShape}: the worker puts a function that calls it there. */
export interface PageFunction {
  readonly [PAGE_FUNCTION]: number;
}
/** The key that marks a {@link PageFunction} (a string: symbols do not survive structured clone). */
export const PAGE_FUNCTION = "__asInteropPageFunction";

export interface LoadRequest {
  readonly type: "load";
  readonly module: WebAssembly.Module;
  /** The name the page registers the assembly under. */
  readonly name: string;
  readonly marshal: Partial<MarshalOptions>;
  readonly importBinding: ImportBinding | undefined;
  /** The sandbox's scope (`{ scope }`): identifiers resolve from here only, through the membrane. */
  readonly scope: GrantShape | undefined;
  /** Page functions added to the worker's global scope (`{ worker: { expose } }`). */
  readonly expose: GrantShape | undefined;
  /** Where relative module URLs resolve: the page's, as in Blazor (a worker has no document). */
  readonly baseURI: string | undefined;
}

/** A static `@jsInvokable` method, by identifier. */
export interface CallRequest {
  readonly type: "call";
  readonly id: number;
  readonly identifier: string;
  readonly args: unknown[];
}

/** An operation on a reference the worker handed out (`target`, its id there). */
export interface OperationRequest {
  readonly type: "operation";
  readonly id: number;
  readonly target: number;
  readonly operation: Operation;
}

/**
 * What can be done to a reference: the members of `DotNetObject`s, views and streams, and calling
 * a delegate. `member` is checked against what the reference's kind has (operations.ts).
 */
export type Operation =
  | { readonly kind: "call"; readonly member: string; readonly args: unknown[] }
  | { readonly kind: "get"; readonly member: string }
  | { readonly kind: "set"; readonly member: string; readonly value: unknown }
  | { readonly kind: "apply"; readonly args: unknown[] }
  /** A `ManagedStream`'s bytes, piped into a stream the page reads. */
  | { readonly kind: "pipe"; readonly into: WritableStream<Uint8Array> }
  /** A dictionary view's `key in view`, `delete view[key]` and `Object.keys(view)`. */
  | { readonly kind: "has" | "delete"; readonly member: string }
  | { readonly kind: "keys" };

/**
 * The page no longer holds a reference: `count` is how many times it received it, so that a copy
 * still on its way (the worker sent it again meanwhile) keeps it alive. `dispose`: the page's
 * code disposed it, which releases it whatever is on its way.
 */
export interface ReleaseRequest {
  readonly type: "release";
  readonly target: number;
  readonly count: number;
  readonly dispose: boolean;
}

/** `WorkerAssembly.importModule`: the worker imports the ES module at `url` (absolute) into its global scope. */
export interface ImportRequest {
  readonly type: "import";
  readonly id: number;
  readonly url: string;
}

export interface DiagnosticsRequest {
  readonly type: "diagnostics";
  readonly id: number;
}

/** The answer to a {@link PageCall}. */
export interface PageCallReply {
  readonly type: "page-reply";
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: SerializedError;
}

export type ToWorker = LoadRequest | CallRequest | OperationRequest | ImportRequest | ReleaseRequest | DiagnosticsRequest | PageCallReply;

/** The assembly is loaded, or (with `error`) could not be. */
export interface Loaded {
  readonly type: "loaded";
  readonly error?: SerializedError;
}

export interface Reply {
  readonly type: "reply";
  readonly id: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: SerializedError;
}

/** Managed code trapped: the instance in the worker is unusable. */
export interface Poisoned {
  readonly type: "poisoned";
  readonly error: SerializedError;
}

/** Managed code calls a page function it was granted. */
export interface PageCall {
  readonly type: "page-call";
  readonly id: number;
  readonly function: number;
  readonly args: unknown[];
}

/**
 * Something the worker ran threw where nothing caught it: a module's timer, a promise rejected
 * with no handler. The worker lives on; the page hears of it (`assemblyerror`).
 */
export interface Uncaught {
  readonly type: "uncaught";
  readonly error: SerializedError;
}

/** Code running in the worker closed it (`close()`): it stops once this message is sent. */
export interface Closing {
  readonly type: "closing";
}

export type FromWorker = Loaded | Reply | Poisoned | PageCall | Uncaught | Closing;

/** What the worker reports of itself (see `WorkerAssembly.diagnostics`). */
export interface WorkerSideDiagnostics extends AssemblyDiagnostics {
  /** References the worker keeps alive for the page. */
  readonly exportedReferences: number;
  /** Calls to page functions not answered yet. */
  readonly pendingPageCalls: number;
}

/** An error as it crosses: what the other side needs to make the same kind of error again. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  /** `ManagedError`: managed message, file, line, column. */
  readonly managed?: readonly [string, string | null, number, number];
  /** `MarshalError`: the reason and the path inside the value. */
  readonly marshal?: readonly [string, string];
  readonly cause?: SerializedError;
  /**
   * What was thrown, when it is not an `Error` (`throw 42`, a rejection with a plain object) and
   * structured clone copies it: the other side throws the same value. `name` and `message` then
   * describe it for code that reads them.
   */
  readonly thrown?: unknown;
}
