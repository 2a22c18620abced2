/**
 * The async page's managed half (web/pages/async): Task ↔ Promise both ways. A `@jsInvokable`
 * method returns a `Task<T>` that JavaScript's `invokeMethodAsync` waits for; managed code starts
 * async JavaScript calls with `JSRuntime.invokeAsync` and continues when they settle, gives up on
 * them after a timeout or when cancelled, and — where the engine has JSPI — simply waits for them
 * with `JSRuntime.invokeAwait`.
 */
import { JSArgs, JSRuntime, Task } from "as-interop/assembly/interop";

// --- A continuation completes the task JavaScript waits for --------------------------------------

/** What the continuation needs (AssemblyScript has no closures): the task to complete. */
class Doubling {
  constructor(readonly result: Task<i32>) {}
}

function onEchoed(doubling: Doubling, echoed: Task<i32>): void {
  if (echoed.isFaulted) doubling.result.reject(echoed.errorMessage!);
  else doubling.result.resolve(echoed.result * 2);
}

/** Asks JavaScript for `value` back after `delayMs`, and completes with twice that. */
@jsInvokable
export function FetchDoubled(value: i32, delayMs: i32): Task<i32> {
  const result = new Task<i32>();
  JSRuntime.invokeAsync<i32>("asyncDemo.echoLater", JSArgs.of(value).and(delayMs)).continueWithState<Doubling>(new Doubling(result), onEchoed);
  return result;
}

// --- A rejected promise --------------------------------------------------------------------------

/** JavaScript's promise rejects after `delayMs`: the task fails with its error. */
@jsInvokable
export function FetchRejected(delayMs: i32): Task<string> {
  return JSRuntime.invokeAsync<string>("asyncDemo.failLater", JSArgs.of(delayMs));
}

// --- A timeout ------------------------------------------------------------------------------------

/** A JS promise that never settles, given up after `timeoutMs`. */
@jsInvokable
export function WaitWithTimeout(timeoutMs: i32): Task<string> {
  return JSRuntime.invokeAsync<string>("asyncDemo.never", null, timeoutMs);
}

// --- A cancellation -------------------------------------------------------------------------------

let waiting: Task<string> | null = null;

/** Starts waiting for a JS promise that never settles; `CancelWait` gives up on it. */
@jsInvokable
export function StartWait(): Task<string> {
  const task = JSRuntime.invokeAsync<string>("asyncDemo.never");
  waiting = task;
  return task;
}

/** Cancels the wait `StartWait` started: its task fails with "A task was canceled.". */
@jsInvokable
export function CancelWait(): bool {
  const task = waiting;
  if (!task) return false;
  waiting = null;
  task.cancel();
  return true;
}

// --- JSPI: waiting without a continuation -----------------------------------------------------------

/**
 * The same as `FetchDoubled`, written as if the JS call were synchronous: the call is suspended
 * until the promise settles (JSPI). Only for calls JavaScript made with `invokeMethodAsync`.
 */
@jsInvokable
export function AwaitDoubled(value: i32, delayMs: i32): i32 {
  const echoed = JSRuntime.invokeAwait<i32>("asyncDemo.echoLater", JSArgs.of(value).and(delayMs));
  return echoed * 2;
}
