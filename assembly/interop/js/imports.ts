/**
 * What the host provides for calls into JavaScript (host/js/calls.ts). Values travel in the
 * tagged format: arguments at an address, as `[u32 used][u32 count][values]` (see JSArgs), a
 * property's value as `[u32 used][value]`; a result comes back as a buffer `[u32 in use][value]`.
 */

/** Ways to call (`flags` of `invoke`). */
export const enum CallFlags {
  /** The result is wanted as a value. */
  Value = 0,
  /** The result is wanted as a handle (`JSObject`): objects and functions stay in JS. */
  Handle = 1,
  /** Catch a JS exception and return it as a tagged error instead of throwing through. */
  Catch = 2,
  /** No result is wanted: the host converts nothing (Blazor's `InvokeVoid`). */
  Void = 4,
  /** `new` on the function rather than a call (.NET 10's `InvokeConstructor`). */
  Construct = 8,
  /** With `Handle`: the result is wanted as stream data (`JSStreamReference`). */
  Stream = 16,
  /**
   * With `Catch`: for an `…Async` form, whose JS exception reads as after an asynchronous call
   * (Blazor's `formatError`: message, newline, stack) rather than a synchronous one (`Error: …`).
   */
  AsTask = 32,
}

// @ts-ignore: decorator
@external("as-interop", "invoke")
export declare function hostInvoke(target: u32, identifier: string, args: usize, flags: i32): ArrayBuffer;

/**
 * `invoke` of a number result (`T` an integer of up to 32 bits, or a float): the number itself,
 * with no result buffer to write and read. A result that is not a number comes back as NaN, and
 * `hostTakeResult` then gives it as the tagged buffer `invoke` would have returned.
 */
// @ts-ignore: decorator
@external("as-interop", "invokeNumber")
export declare function hostInvokeNumber(target: u32, identifier: string, args: usize, flags: i32): f64;

/**
 * The arguments of a call not made (its token was canceled already): the host reads them and lets
 * go of the references they handed out, which JS would otherwise have been given.
 */
// @ts-ignore: decorator
@external("as-interop", "discardArguments")
export declare function hostDiscardArguments(args: usize): void;

/** After `hostInvokeNumber` gave NaN: the result that was not a number, or null if it was NaN itself. */
// @ts-ignore: decorator
@external("as-interop", "takeResult")
export declare function hostTakeResult(): ArrayBuffer | null;

// @ts-ignore: decorator
@external("as-interop", "getProperty")
export declare function hostGetProperty(target: u32, name: string, flags: i32): ArrayBuffer;

// @ts-ignore: decorator
@external("as-interop", "setProperty")
/** Returns 0, or with `CallFlags.Catch` the JS exception it caught (a tagged error buffer). */
export declare function hostSetProperty(target: u32, name: string, value: usize, flags: i32): usize;

// @ts-ignore: decorator
@external("as-interop", "hasProperty")
export declare function hostHasProperty(target: u32, name: string): bool;

/**
 * The id of the managed function JS object `target` is, if it is a function this instance made for
 * one of its own (a delegate handed to JS, still live), else 0; `JSObject.managedFunction` checks the type.
 */
// @ts-ignore: decorator
@external("as-interop", "managedFunction")
export declare function hostManagedFunction(target: u32): u32;

// @ts-ignore: decorator
@external("as-interop", "releaseObject")
export declare function hostReleaseObject(id: u32): void;

/** A handle in a value managed code skipped or refused: released if it was made just for that value. */
// @ts-ignore: decorator
@external("as-interop", "releaseUnused")
export declare function hostReleaseUnused(id: u32): void;

/** Calls a function and awaits its promise with this call suspended (JSPI); see JSRuntime.invokeAwait. */
// @ts-ignore: decorator
@external("as-interop", "awaitInvoke")
export declare function hostAwaitInvoke(target: u32, identifier: string, args: usize, flags: i32): ArrayBuffer;

/** Calls a function that returns a promise; the host completes task `task` when it settles. */
// @ts-ignore: decorator
@external("as-interop", "invokeAsync")
export declare function hostInvokeAsync(
  target: u32,
  identifier: string,
  args: usize,
  flags: i32,
  task: u32,
  timeoutMs: i32,
): void;

/** A task JS waits for has settled. */
// @ts-ignore: decorator
@external("as-interop", "taskSettled")
export declare function hostTaskSettled(task: u32): void;

/** Managed code canceled a task; the host ignores its JS promise from now on. */
// @ts-ignore: decorator
@external("as-interop", "cancelTask")
export declare function hostCancelTask(task: u32): void;

/** Completes task `task` (a `Task` without a result) after `delayMs` milliseconds: `Task.delay`. */
// @ts-ignore: decorator
@external("as-interop", "delay")
export declare function hostDelay(task: u32, delayMs: i32): void;

/**
 * Completes task `task` with the value at the dotted path `name` from `target` (`getValueAsync`):
 * at once, or when it settles if it is a promise; a failure to read faults the task.
 */
// @ts-ignore: decorator
@external("as-interop", "getValueAsync")
export declare function hostGetValueAsync(target: u32, name: string, flags: i32, task: u32): void;
