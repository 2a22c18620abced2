import { JSArgs, argsBuffer, doneWith } from "./args";
import { hostAwaitInvoke } from "./imports";
import { Task, zero } from "../task";
import { CancellationToken } from "../cancellation";
import { JSObject, flagsFor, readResult } from "./object";
import { tryReadTagged, readTaggedError } from "./tagged";

/** The assembly's JS scope: JSObject's id 0. */
const scope = new JSObject(0);

/**
 * Calls into JavaScript from managed code, synchronously (Blazor's `IJSInProcessRuntime`).
 *
 * `identifier` is a dotted path resolved from the assembly's scope — `globalThis` by default, or
 * the scope object the host gave the assembly — and the function is called with `this` bound to
 * its parent, so `"exampleJsFunctions.sayHello"` runs as `exampleJsFunctions.sayHello(...)`.
 * A JS exception thrown by `invoke` unwinds managed code to the JS caller of the outer
 * `invokeMethod*`, which gets the original error; `tryInvoke` returns it instead.
 */
export class JSRuntime {
  static invoke<T>(identifier: string, args: JSArgs | null = null): T {
    return scope.invoke<T>(identifier, args);
  }

  /** Like `invoke`, but a JS exception, or a value that does not fit `T`, comes back as `error` (AssemblyScript has no try/catch). */
  static tryInvoke<T>(identifier: string, args: JSArgs | null = null): JSResult<T> {
    return scope.tryInvoke<T>(identifier, args);
  }

  static invokeVoid(identifier: string, args: JSArgs | null = null): void {
    scope.invokeVoid(identifier, args);
  }

  static tryInvokeVoid(identifier: string, args: JSArgs | null = null): JSError | null {
    return scope.tryInvokeVoid(identifier, args);
  }

  /**
   * Calls a JS function that returns a promise (or a value); the task completes with its value or
   * fails with its rejection, or with a timeout after `timeoutMs` (0: none). `token` cancels the
   * task (Blazor's `InvokeAsync(identifier, cancellationToken, args)`); one canceled already
   * cancels it without calling JS.
   */
  static invokeAsync<T>(identifier: string, args: JSArgs | null = null, timeoutMs: i32 = 0, token: CancellationToken | null = null): Task<T> {
    return scope.invokeAsync<T>(identifier, args, timeoutMs, token);
  }

  /** Calls a JS function for its effect (Blazor's `InvokeVoidAsync`): the task completes when its promise settles. */
  static invokeVoidAsync(identifier: string, args: JSArgs | null = null, timeoutMs: i32 = 0, token: CancellationToken | null = null): Task {
    return scope.invokeVoidAsync(identifier, args, timeoutMs, token);
  }

  /**
   * Calls a JS function that returns a promise and waits for it, this call suspended meanwhile
   * (JSPI, in engines that have it, e.g. Chromium). The outer call must come from JS's
   * `invokeMethodAsync`; elsewhere (Node 20) this fails with a clear error, and `invokeAsync` with
   * a continuation does the same job.
   */
  static invokeAwait<T>(identifier: string, args: JSArgs | null = null): T {
    const result = hostAwaitInvoke(0, identifier, argsBuffer(args), flagsFor<T>());
    doneWith(args);
    return readResult<T>(result);
  }

  /** `new` on the constructor at `identifier` (.NET 10's `InvokeConstructor`), e.g. `"Date"`. */
  static invokeConstructor<T>(identifier: string, args: JSArgs | null = null): T {
    return scope.invokeConstructor<T>(identifier, args);
  }

  static tryInvokeConstructor<T>(identifier: string, args: JSArgs | null = null): JSResult<T> {
    return scope.tryInvokeConstructor<T>(identifier, args);
  }

  static invokeConstructorAsync<T>(identifier: string, args: JSArgs | null = null, timeoutMs: i32 = 0, token: CancellationToken | null = null): Task<T> {
    return scope.invokeConstructorAsync<T>(identifier, args, timeoutMs, token);
  }

  /** The value at a dotted path in the scope (.NET 10's `GetValue`). */
  static getValue<T>(identifier: string): T {
    return scope.getValue<T>(identifier);
  }

  static tryGetValue<T>(identifier: string): JSResult<T> {
    return scope.tryGetValue<T>(identifier);
  }

  static getValueAsync<T>(identifier: string, token: CancellationToken | null = null): Task<T> {
    return scope.getValueAsync<T>(identifier, token);
  }

  /** Sets the value at a dotted path in the scope (.NET 10's `SetValue`). */
  static setValue<T>(identifier: string, value: T): void {
    scope.setValue<T>(identifier, value);
  }

  static trySetValue<T>(identifier: string, value: T): JSError | null {
    return scope.trySetValue<T>(identifier, value);
  }

  static setValueAsync<T>(identifier: string, value: T, token: CancellationToken | null = null): Task {
    return scope.setValueAsync<T>(identifier, value, token);
  }

  /** Loads an ES module (Blazor's `InvokeAsync<IJSObjectReference>("import", url)`); call its exports on the handle. */
  static importModule(url: string, timeoutMs: i32 = 0, token: CancellationToken | null = null): Task<JSObject> {
    return JSRuntime.invokeAsync<JSObject>("import", JSArgs.of(url), timeoutMs, token);
  }

  /** A handle to the JS object at a dotted path in the scope, e.g. `"document"`. */
  static getObject(identifier: string): JSObject {
    return scope.getProperty<JSObject>(identifier);
  }
}

/**
 * A JS failure, as managed code sees it (Blazor's `JSException`): `message` reads as
 * `JSException.Message` does after a synchronous call — the JS error's `toString()` (`Error: …`) —
 * and a task's `errorMessage` as after an asynchronous one: the error's message, a newline and its
 * stack (none in a sandbox, and none for as-interop's own errors such as "Could not find …").
 */
/** What a call that caught a JS exception returned: the error, or the value as `T`. */
export function readTryResult<T>(buffer: ArrayBuffer): JSResult<T> {
  const error = readTaggedError(buffer);
  if (error) return JSResult.failure<T>(error);
  return tryReadTagged<T>(buffer);
}

export class JSError {
  constructor(
    readonly name: string,
    readonly message: string,
    readonly stack: string,
  ) {}
}

/** What `tryInvoke` returns: `value` when `ok`, else `error`. */
export class JSResult<T> {
  private constructor(
    private readonly result: T,
    readonly error: JSError | null,
  ) {}

  static success<T>(value: T): JSResult<T> {
    return new JSResult<T>(value, null);
  }

  static failure<T>(error: JSError): JSResult<T> {
    return new JSResult<T>(zero<T>(), error);
  }

  get ok(): bool {
    return this.error === null;
  }

  /** The value; reading it from a failed result aborts with the JS error's message. */
  get value(): T {
    if (!this.ok) throw new Error(`The JavaScript call failed: ${this.error!.message}`);
    return this.result;
  }
}
