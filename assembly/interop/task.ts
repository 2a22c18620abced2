import { holder, holderAs, isTracked, notA, release, trackOnce, trackedId } from "./objects";
import { readTagged, readTaggedError } from "./js/tagged";
import { hostCancelTask, hostDelay, hostTaskSettled } from "./js/imports";
import { canceledAlready, CancellationToken, CancellationTokenRegistration } from "./cancellation";

/**
 * The flow of an async `@jsInvokable` call: the call itself and, later, the continuations it set
 * up, much as .NET's ExecutionContext flows into continuations. A task and a continuation belong
 * to the flow current when they were made. AssemblyScript cannot catch an abort, so when a
 * continuation aborts, the host fails the tasks JS waits for in its flow: they were waiting for
 * work that will now never run.
 */
let currentFlow: u32 = 0;
let lastFlow: u32 = 0;
/** Pending tasks JS waits for (see `taskWatch`). */
const watchedTasks = new Set<TaskBase>();

/**
 * Work that completes later (.NET's `Task<T>`). A `@jsInvokable` method may return one, and
 * JavaScript's `invokeMethodAsync` resolves when it completes; `JSRuntime.invokeAsync` returns one
 * that completes when the JS promise settles. AssemblyScript has no closures, so what runs next is
 * a function that receives the task (and, with `continueWithState`, a state object of your own).
 */
export abstract class TaskBase {
  protected status: i32 = Status.Pending;
  /** See `currentFlow`. */
  readonly flow: u32 = currentFlow;
  protected failure: string | null = null;
  /** The id under which JS waits for this task, or 0. */
  watchId: u32 = 0;
  /** How many host-side holders the id has (a JS call completing it, JS waiting for it). */
  holds: i32 = 0;
  /** The token that cancels the task while it is pending (`cancelWith`), let go once it settles. */
  private cancellation: CancellationTokenRegistration | null = null;

  get isCompleted(): bool {
    return this.status != Status.Pending;
  }

  get isFaulted(): bool {
    return this.status == Status.Faulted;
  }

  /** Why it failed (a JS rejection's message, a timeout, a cancellation); null unless faulted. */
  get errorMessage(): string | null {
    return this.failure;
  }

  /** Fails the task; nothing happens if it already completed. */
  reject(message: string): void {
    if (this.status != Status.Pending) return;
    this.status = Status.Faulted;
    this.failure = message;
    this.settled();
  }

  /** Gives up on the task: it fails with .NET's "A task was canceled." (a TaskCanceledException's message) and a pending JS call is ignored. */
  cancel(): void {
    if (this.status != Status.Pending) return;
    const id = trackedId(changetype<usize>(this));
    if (id != 0) hostCancelTask(id);
    this.reject("A task was canceled.");
  }

  /**
   * Cancels the task (as `cancel()` does) when `token` is canceled, if it is still pending then:
   * what a Blazor call given a `CancellationToken` does with its task. A token canceled already
   * cancels it at once. The registration ends when the task settles, so a long-lived token does not
   * keep the tasks it was given. No token (null, a call's default) changes nothing.
   */
  cancelWith(token: CancellationToken | null): void {
    if (token === null || this.status != Status.Pending) return;
    if (token!.isCancellationRequested) {
      this.cancel();
      return;
    }
    if (this.cancellation !== null) this.cancellation!.dispose();
    this.cancellation = token!.registerTask(this);
  }

  /** Completes the task from a JS value (tagged); the type check is the subclass's. */
  abstract completeFromJS(buffer: ArrayBuffer): void;

  protected abstract runContinuations(): void;

  /** JS hears first: a continuation that aborts must not keep a JS caller waiting forever. */
  protected settled(): void {
    const cancellation = this.cancellation;
    if (cancellation !== null) {
      this.cancellation = null;
      cancellation.dispose();
    }
    if (this.watchId != 0) {
      watchedTasks.delete(this);
      hostTaskSettled(this.watchId);
    }
    this.runContinuations();
  }
}

const enum Status {
  Pending = 0,
  Completed = 1,
  Faulted = 2,
}

/** What runs when a task completes. */
abstract class Continuation<T> {
  readonly flow: u32 = currentFlow;
  abstract run(task: Task<T>): void;
}

class PlainContinuation<T> extends Continuation<T> {
  constructor(private readonly fn: (task: Task<T>) => void) {
    super();
  }
  run(task: Task<T>): void {
    this.fn(task);
  }
}

class StatefulContinuation<S, T> extends Continuation<T> {
  constructor(
    private readonly state: S,
    private readonly fn: (state: S, task: Task<T>) => void,
  ) {
    super();
  }
  run(task: Task<T>): void {
    this.fn(this.state, task);
  }
}

/**
 * A task with a result of type `T`, or without one: `Task` (that is, `Task<void>`, .NET's
 * non-generic `Task`) completes with `complete()` and JS gets `null` when it does, as Blazor's
 * `invokeMethodAsync` gives for a method returning a `Task`.
 */
export class Task<T = void> extends TaskBase {
  // The value, kept without a field of type T: a Task<void> has none, and no field can be void.
  /** A number's bits, or an unmanaged pointer. */
  private bits: u64 = 0;
  /** A managed reference, where the collector sees it. */
  private object: Object | null = null;
  private continuations: Array<Continuation<T>> = [];

  /** A task that has already completed with `value` (.NET's `Task.FromResult`). */
  static fromResult<T>(value: T): Task<T> {
    const task = new Task<T>();
    task.resolve(value);
    return task;
  }

  /** A task that has already been canceled (.NET's `Task.FromCanceled`): a call given a token canceled already. */
  static canceled<T>(): Task<T> {
    const task = new Task<T>();
    task.cancel();
    return task;
  }

  /** A task without a result that has already completed (.NET's `Task.CompletedTask`). */
  static completed(): Task {
    const task = new Task();
    task.complete();
    return task;
  }

  /**
   * A task without a result that completes after `delayMs` milliseconds (.NET's `Task.Delay`):
   * 0 completes it at once, `-1` never (.NET's `Timeout.Infinite`: only a token cancels it). The
   * host keeps the timer; `token` (or `cancel()`) cancels the task and clears it.
   */
  static delay(delayMs: i32, token: CancellationToken | null = null): Task {
    checkDelay(delayMs);
    if (canceledAlready(token)) return Task.canceled<void>();
    const task = new Task();
    if (delayMs == 0) {
      task.complete();
      return task;
    }
    if (delayMs > 0) hostDelay(trackTask(task), delayMs);
    task.cancelWith(token);
    return task;
  }

  /** Completes the task; nothing happens if it already completed. */
  resolve(value: T): void {
    if (this.status != Status.Pending) return;
    if (isManaged<T>()) this.object = changetype<Object | null>(value);
    else this.bits = toBits<T>(value);
    this.status = Status.Completed;
    this.settled();
  }

  /** Completes a task without a result (a `Task`); nothing happens if it already completed. */
  complete(): void {
    if (!isVoid<T>()) ERROR("complete() is for a Task without a result (Task<void>): give a Task<T> its value with resolve(value).");
    if (this.status != Status.Pending) return;
    this.status = Status.Completed;
    this.settled();
  }

  /** The value; reading it before completion, or from a faulted task, aborts with why. */
  get result(): T {
    if (this.status == Status.Pending) throw new Error("The task has not completed yet.");
    if (this.status == Status.Faulted) throw new Error(this.failure!);
    if (isVoid<T>()) return;
    if (isManaged<T>()) return changetype<T>(this.object);
    return fromBits<T>(this.bits);
  }

  continueWith(fn: (task: Task<T>) => void): void {
    this.add(new PlainContinuation<T>(fn));
  }

  continueWithState<S>(state: S, fn: (state: S, task: Task<T>) => void): void {
    this.add(new StatefulContinuation<S, T>(state, fn));
  }

  /** A task without a result ignores the JS value, as Blazor's `InvokeVoidAsync` does. */
  completeFromJS(buffer: ArrayBuffer): void {
    if (isVoid<T>()) this.complete();
    else this.resolve(readTagged<T>(buffer));
  }

  private add(continuation: Continuation<T>): void {
    if (this.status == Status.Pending) this.continuations.push(continuation);
    else continuation.run(this);
  }

  protected runContinuations(): void {
    const continuations = this.continuations;
    this.continuations = [];
    for (let i = 0; i < continuations.length; ++i) {
      const continuation = unchecked(continuations[i]);
      const outer = currentFlow;
      currentFlow = continuation.flow;
      continuation.run(this);
      currentFlow = outer;
    }
  }
}

/** A number (or bool, or unmanaged pointer) as 64 bits, floats by their bit pattern. */
// @ts-ignore: decorator
@inline function toBits<T>(value: T): u64 {
  if (isFloat<T>()) return sizeof<T>() == 4 ? <u64>reinterpret<u32>(<f32>value) : reinterpret<u64>(<f64>value);
  if (isReference<T>()) return <u64>changetype<usize>(value);
  return <u64>value;
}

// @ts-ignore: decorator
@inline function fromBits<T>(bits: u64): T {
  if (isFloat<T>()) return sizeof<T>() == 4 ? <T>reinterpret<f32>(<u32>bits) : <T>reinterpret<f64>(bits);
  if (isReference<T>()) return changetype<T>(<usize>bits);
  return <T>bits;
}

/** T's zero: null for a reference type, 0 for a number. */
export function zero<T>(): T {
  if (isReference<T>()) return changetype<T>(0);
  return <T>0;
}

/** Tracks a task JS will wait for (or a JS call will complete), once per holder; returns its id. */
export function trackTask(task: TaskBase): u32 {
  ++task.holds;
  return trackOnce(task, changetype<usize>(task));
}

/** Generated code: an async `@jsInvokable` method starts a flow; returns the one to go back to. */
export function beginTaskFlow(): u32 {
  const outer = currentFlow;
  currentFlow = ++lastFlow;
  return outer;
}

/** Generated code: the method returned its task; JS will wait for it by this id. */
export function returnTask(task: TaskBase, outerFlow: u32): u32 {
  currentFlow = outerFlow;
  return trackTask(task);
}

/**
 * Host: a continuation aborted (with `message`); fails the pending tasks JS waits for in its
 * flow and returns how many.
 */
export function taskFailFlow(message: string): i32 {
  const flow = currentFlow;
  currentFlow = 0;
  if (flow == 0) return 0;
  const tasks = watchedTasks.values();
  let failed = 0;
  for (let i = 0; i < tasks.length; ++i) {
    const task = unchecked(tasks[i]);
    if (task.flow != flow || task.isCompleted) continue;
    task.reject(`A continuation failed before completing this task: ${message}`);
    ++failed;
  }
  return failed;
}

/** Host: one holder of task `id` is done with it; the last one releases it. */
export function taskRelease(id: u32): void {
  if (!isTracked(id)) return;
  const task = baseTask(id);
  if (--task.holds <= 0) {
    watchedTasks.delete(task);
    release(id);
  }
}

/** Host: the tracked task `id`. */
export function taskOf<T>(id: u32): Task<T> {
  const object = holder(id);
  if (!(object instanceof Task<T>)) throw new Error(notA(id, `Task<${nameof<T>()}>`));
  return changetype<Task<T>>(object);
}

function baseTask(id: u32): TaskBase {
  return holderAs<TaskBase>(id, "task");
}

/** Host: 0 pending, 1 completed, 2 faulted; watching starts here (JS waits on settlement). */
export function taskWatch(id: u32): i32 {
  const task = baseTask(id);
  task.watchId = id;
  if (!task.isCompleted) watchedTasks.add(task);
  return task.isCompleted ? (task.isFaulted ? 2 : 1) : 0;
}

/** Host: fails task `id`, e.g. when its JS value did not fit its type; false if it had already completed. */
export function taskReject(id: u32, message: string): bool {
  const task = baseTask(id);
  const pending = !task.isCompleted;
  task.reject(message);
  return pending;
}

/** Host: why task `id` failed. */
export function taskError(id: u32): string {
  const message = baseTask(id).errorMessage;
  return message !== null ? message : "";
}

/** Host: a JS promise settled for task `id` (its value or error, tagged). The host releases `id`. */
export function taskComplete(id: u32, buffer: ArrayBuffer, ok: bool): void {
  const task = baseTask(id);
  if (ok) task.completeFromJS(buffer);
  else {
    const error = readTaggedError(buffer)!;
    // Blazor's JSException.Message: the JS error's message and stack (see host/js/tagged.ts).
    task.reject(error.message);
  }
}

/** A delay in milliseconds as .NET takes one (`Task.Delay`, `CancelAfter`): -1 (none), 0 or more; else .NET's RangeError. */
export function checkDelay(delayMs: i32): void {
  if (delayMs < -1) throw new RangeError(`The value needs to be either -1 (signifying an infinite timeout), 0, or a positive integer, but it is ${delayMs}.`);
}
