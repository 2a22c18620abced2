/**
 * Tasks, JS side: managed `Task<T>`s that JS waits for (a method's result), and JS promises that
 * managed tasks wait for (`JSRuntime.invokeAsync`). One table per assembly, by the task's id in
 * the managed object table.
 */
import { InteropError, ManagedError } from "../runtime/errors.ts";

/** What the table needs from its assembly (calls through the call boundary). */
export interface TaskCalls {
  /** 0 pending, 1 completed, 2 faulted; from now on the managed task reports its settlement. */
  watch(id: number): number;
  error(id: number): string;
  /** Completes managed task `id` with a JS value or error (tagged bytes). */
  complete(id: number, bytes: Uint8Array, ok: boolean): void;
  /** False if the task had already completed. */
  reject(id: number, message: string): boolean;
  /** One holder (this table) is done with the id. */
  release(id: number): void;
  /** A continuation aborted: fails the tasks JS waits for in its flow; how many. */
  failFlow(message: string): number;
  /** Says on the host's console that task `id`'s continuation failed where nothing waits to hear it. */
  unreported(id: number, message: string): void;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(error: unknown): void;
  read(): unknown;
}

/**
 * The limit on pending tasks. Each one keeps a promise, its callbacks and a timer in the host's
 * heap however long it waits, and managed code can start them by the million in one call (a
 * granted function that never settles, or its own delegate returning a task it never completes):
 * an assembly loaded with `maxHandles` cannot hold more of them than of anything else.
 */
export const tooManyTasks = (limit: number) =>
  `This host allows ${limit} pending tasks at once (maxHandles): calls into JavaScript that managed code waits for, ` +
  `and managed tasks JavaScript waits for; let some settle before starting more.`;

export class TaskTable {
  /**
   * The JS callers waiting for each managed task, in the order they asked: a method may hand the
   * same task to several (one it keeps, as .NET code keeps a `Task` to share), and each is answered.
   */
  readonly #waiting = new Map<number, Waiter[]>();
  /** How many callers {@link #waiting} holds, over all tasks. */
  #waiters = 0;
  /** Managed tasks waiting for a JS promise; a canceled one leaves (managed ids are never reused). */
  readonly #calls = new Set<number>();
  /** The timers of the tasks in {@link #calls} that have one (a timeout, a delay), by task. */
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly calls: TaskCalls,
    /** The most tasks pending at once, of both kinds (the assembly's `maxHandles`). */
    private readonly maxPending = Infinity,
  ) {}

  /**
   * The value of managed task `id` (read with `read` once completed): the value itself when it has
   * already completed, else a promise of it, unless that would pass the limit (then the host lets
   * the task go and throws).
   */
  await(id: number, read: () => unknown): unknown {
    const status = this.calls.watch(id);
    if (status !== 0) return this.#finish(id, status, read);
    if (this.pending >= this.maxPending) {
      this.calls.release(id);
      throw new InteropError(tooManyTasks(this.maxPending));
    }
    return new Promise((resolve, reject) => {
      const waiters = this.#waiting.get(id);
      if (waiters) waiters.push({ resolve, reject, read });
      else this.#waiting.set(id, [{ resolve, reject, read }]);
      ++this.#waiters;
    });
  }

  /**
   * Whether managed task `id` may wait for JS (before the JS function is called): within the
   * limit it may; past it, the task fails at once with the limit's message and nothing of it is
   * kept, as a call into JS that threw leaves nothing.
   */
  roomFor(id: number): boolean {
    // A task waits for one promise: only a raw import can ask again for the same task, and each
    // ask would keep another set of callbacks (and timer) that the count, by task, would not see.
    if (this.#calls.has(id)) throw new InteropError(`Managed task ${id} already waits for a JavaScript promise; a task waits for one at a time.`);
    if (this.pending < this.maxPending) return true;
    try {
      this.calls.reject(id, tooManyTasks(this.maxPending));
    } finally {
      this.calls.release(id);
    }
    return false;
  }

  /** The managed task `id` settled (the `taskSettled` import). */
  settled(id: number): void {
    const waiters = this.#waiting.get(id);
    if (!waiters) return; // not watched yet: `await` sees it completed
    this.#waiting.delete(id);
    this.#waiters -= waiters.length;
    let status: number;
    try {
      status = this.calls.watch(id);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    // Each caller reads the value for itself, and lets go of the hold its `await` took.
    for (const waiter of waiters) {
      try {
        waiter.resolve(this.#finish(id, status, waiter.read));
      } catch (error) {
        waiter.reject(error);
      }
    }
  }

  #finish(id: number, status: number, read: () => unknown): unknown {
    try {
      if (status === 2) throw new InteropError(this.calls.error(id));
      return read();
    } finally {
      this.calls.release(id);
    }
  }

  /** Completes managed task `id` when `promise` settles (or after `timeoutMs`, unless 0). */
  follow(id: number, promise: PromiseLike<unknown>, timeoutMs: number, encode: (value: unknown) => Uint8Array, encodeError: (error: unknown) => Uint8Array): void {
    const settle = this.#settler(id);
    if (timeoutMs > 0) this.#timeOut(id, timeoutMs, () => settle(() => encodeError(timeoutError(timeoutMs)), false));
    Promise.resolve(promise).then(
      (value) => settle(() => encode(value), true),
      (error) => settle(() => encodeError(error), false),
    );
  }

  /**
   * Completes managed task `id` with `value`: now, unless it is a promise (a thenable), which it
   * follows as {@link follow} does. What a read that managed code asked for as a task (`getValueAsync`)
   * gets, where Blazor awaits the value it read: a property holding a promise gives its value.
   */
  settle(id: number, value: unknown, encode: (value: unknown) => Uint8Array, encodeError: (error: unknown) => Uint8Array): void {
    if (isThenable(value)) {
      this.follow(id, value, 0, encode, encodeError);
      return;
    }
    this.#settler(id)(() => encode(value), true);
  }

  /** Fails managed task `id` now with `error`. */
  fail(id: number, error: unknown, encodeError: (error: unknown) => Uint8Array): void {
    this.#settler(id)(() => encodeError(error), false);
  }

  /**
   * Completes managed task `id` after `delayMs` (.NET's `Task.Delay`) with what `encode` gives. Its
   * timer is the host's: canceling the task clears it, so that nothing keeps the host (a Node
   * process) waiting for a delay managed code gave up.
   */
  delay(id: number, delayMs: number, encode: () => Uint8Array): void {
    const settle = this.#settler(id);
    this.#timeOut(id, delayMs, () => settle(encode, true));
  }

  /** Runs `fire` after `ms` unless task `id` settles or is canceled first. */
  #timeOut(id: number, ms: number, fire: () => void): void {
    this.#timers.set(
      id,
      setTimeout(() => {
        this.#timers.delete(id);
        fire();
      }, ms),
    );
  }

  /** Clears task `id`'s timer, if it has one. */
  #clearTimer(id: number): void {
    // Most tasks have none: a call without a timeout.
    if (this.#timers.size === 0) return;
    const timer = this.#timers.get(id);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(id);
  }

  /** Task `id` waits for the host from now on; what completes it, once (later settlements are ignored). */
  #settler(id: number): (bytes: () => Uint8Array, ok: boolean) => void {
    this.#calls.add(id);
    return (bytes, ok) => {
      this.#clearTimer(id);
      if (!this.#calls.delete(id)) return;
      try {
        this.calls.complete(id, bytes(), ok);
      } catch (error) {
        // Its value did not fit the task's type (or a continuation failed): the task fails.
        const message = error instanceof ManagedError ? error.managedMessage : error instanceof Error ? error.message : String(error);
        // Already completed: a continuation failed after it, so the tasks JS waits for in its
        // flow fail instead. (On an instance the failure poisoned, there is nothing left to do.)
        let failed = 0;
        try {
          failed = this.calls.reject(id, message) ? 1 : this.calls.failFlow(message);
        } catch {
          failed = 0;
        }
        if (failed === 0) this.calls.unreported(id, message);
      } finally {
        try {
          this.calls.release(id);
        } catch {
          // A poisoned instance has nothing left to release.
        }
      }
    };
  }

  /** Whether managed task `id` still waits for what `follow` gave it (not settled, canceled or failed with the instance). */
  following(id: number): boolean {
    return this.#calls.has(id);
  }

  /** Managed code canceled task `id`: its JS promise is ignored from now on. */
  cancel(id: number): void {
    this.#clearTimer(id);
    if (this.#calls.delete(id)) this.calls.release(id);
  }

  /** The instance is gone (poisoned): every waiting promise rejects, no JS result is delivered. */
  failAll(error: unknown): void {
    for (const waiters of this.#waiting.values()) for (const waiter of waiters) waiter.reject(error);
    this.#waiting.clear();
    this.#waiters = 0;
    this.#calls.clear();
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Tasks JS waits for, and managed tasks waiting for JS. */
  get pending(): number {
    return this.#waiters + this.#calls.size;
  }
}

/** Whether `value` is a promise or looks like one (its `then` is a function, as `await` asks). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** Named as the web platform names it (`AbortSignal.timeout`), so managed code sees a timeout as one. */
function timeoutError(timeoutMs: number): Error {
  const error = new Error(`The JavaScript call did not settle within ${timeoutMs} ms.`);
  error.name = "TimeoutError";
  return error;
}
