import {
  CallFlags,
  hostDiscardArguments,
  hostGetProperty,
  hostGetValueAsync,
  hostHasProperty,
  hostInvoke,
  hostManagedFunction,
  hostInvokeAsync,
  hostInvokeNumber,
  hostReleaseObject,
  hostSetProperty,
  hostTakeResult,
} from "./imports";
import { Task, trackTask } from "../task";
import { canceledAlready, CancellationToken } from "../cancellation";
import { JSArgs, argsBuffer, doneWith } from "./args";
import { numberAs, readTagged, readTaggedError, TaggedWriter } from "./tagged";
import { JSError, JSResult, readTryResult } from "./runtime";
import { JSStreamReference } from "./stream-reference";
import { functionAs } from "../delegates";

/**
 * A JavaScript object held from managed code (Blazor's `IJSObjectReference`, the HTML Bridge's
 * `ScriptObject`): an object, a function, a module, an HTML element. Passing it back to JS gives JS
 * the very same object. `dispose()` lets JS collect it; using it afterwards fails with Blazor's
 * "JS object instance with ID … does not exist (has it been disposed?)."
 *
 * Every call that can fail has a `try` form that returns the failure instead of aborting
 * (AssemblyScript cannot catch): a JS exception, and a value that does not fit `T`, alike.
 */
export class JSObject {
  constructor(
    /** The host's id for the object (0 stands for the assembly's global scope). */
    readonly id: u32,
  ) {}

  /** Calls method `name` with `this` bound to the object. */
  invoke<T>(name: string, args: JSArgs | null = null): T {
    if (isNumberResult<T>()) {
      const value = hostInvokeNumber(this.id, name, argsBuffer(args), flagsFor<T>());
      doneWith(args);
      return numberResult<T>(value);
    }
    return readResult<T>(this.call(name, args, flagsFor<T>()));
  }

  tryInvoke<T>(name: string, args: JSArgs | null = null): JSResult<T> {
    return readTryResult<T>(this.call(name, args, flagsFor<T>() | CallFlags.Catch));
  }

  /** Calls method `name`, which returns a promise; see `JSRuntime.invokeAsync`. */
  invokeAsync<T>(name: string, args: JSArgs | null = null, timeoutMs: i32 = 0, token: CancellationToken | null = null): Task<T> {
    return this.callAsync<T>(name, args, flagsFor<T>(), timeoutMs, token);
  }

  /**
   * Calls method `name`, which may return a promise, for its effect (Blazor's `InvokeVoidAsync`):
   * the task completes when the promise settles, whatever its value, or fails with its rejection.
   */
  invokeVoidAsync(name: string, args: JSArgs | null = null, timeoutMs: i32 = 0, token: CancellationToken | null = null): Task {
    return this.invokeAsync<void>(name, args, timeoutMs, token);
  }

  /** Calls method `name` for its effect: the host converts nothing back (Blazor's `InvokeVoid`). */
  invokeVoid(name: string, args: JSArgs | null = null): void {
    this.call(name, args, CallFlags.Void);
  }

  /** `invokeVoid`, returning the JS exception (or null) instead of aborting. */
  tryInvokeVoid(name: string, args: JSArgs | null = null): JSError | null {
    return caught(changetype<usize>(this.call(name, args, CallFlags.Void | CallFlags.Catch)));
  }

  /** Calls the object itself, when it is a function (the HTML Bridge's `InvokeSelf`). */
  invokeSelf<T>(args: JSArgs | null = null): T {
    return this.invoke<T>("", args);
  }

  tryInvokeSelf<T>(args: JSArgs | null = null): JSResult<T> {
    return this.tryInvoke<T>("", args);
  }

  /** `new` on the constructor at `name` (.NET 10's `InvokeConstructor`); `T` is usually `JSObject`. */
  invokeConstructor<T>(name: string, args: JSArgs | null = null): T {
    return readResult<T>(this.call(name, args, flagsFor<T>() | CallFlags.Construct));
  }

  tryInvokeConstructor<T>(name: string, args: JSArgs | null = null): JSResult<T> {
    return readTryResult<T>(this.call(name, args, flagsFor<T>() | CallFlags.Construct | CallFlags.Catch));
  }

  /** `invokeConstructor`, as a task (.NET 10's `InvokeConstructorAsync`); a failure faults it. */
  invokeConstructorAsync<T>(name: string, args: JSArgs | null = null, timeoutMs: i32 = 0, token: CancellationToken | null = null): Task<T> {
    return this.callAsync<T>(name, args, flagsFor<T>() | CallFlags.Construct, timeoutMs, token);
  }

  /** The host's call of `name` with `args`, which it has read once it returns: a lent list goes back. */
  private call(name: string, args: JSArgs | null, flags: i32): ArrayBuffer {
    const result = hostInvoke(this.id, name, argsBuffer(args), flags);
    doneWith(args);
    return result;
  }

  /**
   * The same, for a call whose result completes a task. Given a token canceled already, the call
   * is not made and the task is canceled, as Blazor's `InvokeAsync` does.
   */
  private callAsync<T>(name: string, args: JSArgs | null, flags: i32, timeoutMs: i32, token: CancellationToken | null): Task<T> {
    if (canceledAlready(token)) {
      hostDiscardArguments(argsBuffer(args));
      doneWith(args);
      return Task.canceled<T>();
    }
    const task = new Task<T>();
    hostInvokeAsync(this.id, name, argsBuffer(args), flags, trackTask(task), timeoutMs);
    doneWith(args);
    task.cancelWith(token);
    return task;
  }

  /** The value at the dotted path `name` (.NET 10's `GetValue`). */
  getProperty<T>(name: string): T {
    return readResult<T>(hostGetProperty(this.id, name, flagsFor<T>()));
  }

  tryGetProperty<T>(name: string): JSResult<T> {
    return readTryResult<T>(hostGetProperty(this.id, name, flagsFor<T>() | CallFlags.Catch));
  }

  getValue<T>(name: string): T {
    return this.getProperty<T>(name);
  }

  tryGetValue<T>(name: string): JSResult<T> {
    return this.tryGetProperty<T>(name);
  }

  /**
   * `getValue`, as a task (.NET 10's `GetValueAsync`): complete at once, faulted on a failure; a
   * property holding a promise completes it when the promise settles, as Blazor awaits the value.
   */
  getValueAsync<T>(name: string, token: CancellationToken | null = null): Task<T> {
    if (canceledAlready(token)) return Task.canceled<T>();
    const task = new Task<T>();
    hostGetValueAsync(this.id, name, flagsFor<T>(), trackTask(task));
    task.cancelWith(token);
    return task;
  }

  /** Sets the value at the dotted path `name` (.NET 10's `SetValue`). */
  setProperty<T>(name: string, value: T): void {
    hostSetProperty(this.id, name, tagged<T>(value), 0);
  }

  /** `setProperty`, returning the JS exception (or null) instead of aborting. */
  trySetProperty<T>(name: string, value: T): JSError | null {
    return caught(hostSetProperty(this.id, name, tagged<T>(value), CallFlags.Catch));
  }

  setValue<T>(name: string, value: T): void {
    this.setProperty<T>(name, value);
  }

  trySetValue<T>(name: string, value: T): JSError | null {
    return this.trySetProperty<T>(name, value);
  }

  /** `setValue`, as a task (.NET 10's `SetValueAsync`): complete at once, faulted on a failure. */
  setValueAsync<T>(name: string, value: T, token: CancellationToken | null = null): Task {
    if (canceledAlready(token)) return Task.canceled<void>();
    const error = caught(hostSetProperty(this.id, name, tagged<T>(value), CallFlags.Catch | CallFlags.AsTask));
    if (!error) return Task.completed();
    const task = new Task();
    task.reject(error.message);
    return task;
  }

  /**
   * The managed function this JS function calls, typed `F`, if it is a delegate this instance
   * handed to JavaScript (the HTML Bridge's `ManagedObject` cast back to the delegate type):
   * calling it is a direct managed call. Null (the HTML Bridge's null `ManagedObject`) for any other
   * JS value: a JS function, another instance's delegate (call those with `invokeSelf`), and a
   * delegate of another signature (where .NET's cast would throw `InvalidCastException`).
   */
  managedFunction<F>(): F | null {
    if (!isFunction<F>()) ERROR("JSObject.managedFunction<F>(): F must be a function type, such as (a: i32, b: i32) => i32");
    return functionAs<F>(hostManagedFunction(this.id));
  }

  hasProperty(name: string): bool {
    return hostHasProperty(this.id, name);
  }

  dispose(): void {
    hostReleaseObject(this.id);
  }
}

/** Results typed `JSObject` (or `JSStreamReference`) stay in JS as handles, `void` ones are not converted, the rest become `T`. */
export function flagsFor<T>(): i32 {
  if (isVoid<T>()) return CallFlags.Void;
  if (isManaged<T>()) {
    if (idof<NonNullable<T>>() == idof<JSObject>()) return CallFlags.Handle;
    if (idof<NonNullable<T>>() == idof<JSStreamReference>()) return CallFlags.Handle | CallFlags.Stream;
  }
  return CallFlags.Value;
}

/**
 * A result that can come back as an f64 itself (hostInvokeNumber): integers of up to 32 bits and
 * floats. Not `bool` (JS gives `true`, not 1) and not 64-bit integers (a BigInt beyond ±2^53).
 */
// @ts-ignore: decorator
@inline
function isNumberResult<T>(): bool {
  return isFloat<T>() || (isInteger<T>() && !isBoolean<T>() && sizeof<T>() <= 4);
}

/** What hostInvokeNumber gave, as a `T`: NaN may stand for a result that was not a number. */
function numberResult<T>(value: f64): T {
  if (value != value) {
    const other = hostTakeResult();
    if (other) return readTagged<T>(other);
  }
  return numberAs<T>(value);
}

export function readResult<T>(buffer: ArrayBuffer): T {
  // `invoke<void>`, `invokeSelf<void>`: no result is wanted (flagsFor asked the host for none).
  if (isVoid<T>()) return;
  return readTagged<T>(buffer);
}

/** A value written for the host to read (`setProperty`): `[u32 used][tagged value]`, by address. */
function tagged<T>(value: T): usize {
  const writer = new TaggedWriter();
  writer.write<T>(value);
  return changetype<usize>(writer.finish());
}

/** What a catching call that returns nothing gave back: 0, or an error the host caught. */
function caught(result: usize): JSError | null {
  return result == 0 ? null : readTaggedError(changetype<ArrayBuffer>(result));
}

