import { checkDelay, Task, TaskBase } from "./task";

/**
 * .NET's cancellation, for the calls into JavaScript that return a task (Blazor's
 * `InvokeAsync(identifier, cancellationToken, args)` and its kin): a `CancellationTokenSource`
 * cancels its `token`, and every call given that token whose task is still pending is canceled
 * ("A task was canceled."); a call given a token canceled already is not made at all, as in
 * Blazor. The JavaScript a canceled call started runs on (cancel it there too, with a registered
 * callback: Blazor's "abort a long-running JavaScript function" sample).
 *
 *   const cts = new CancellationTokenSource();
 *   cts.token.register(stopLongRunning);          // runs when it is canceled
 *   JSRuntime.invokeVoidAsync("Helpers.longRunningFn", null, 0, cts.token);
 *   cts.cancel();                                  // or cts.cancelAfter(5000)
 *
 * AssemblyScript has no closures: a callback is a function, or a function and a state object
 * (`registerWithState`).
 */
export class CancellationTokenSource {
  private canceled: bool = false;
  /** The registrations still to run, in the order they were made. */
  private readonly registrations: Set<CancellationTokenRegistration> = new Set<CancellationTokenRegistration>();
  /** `cancelAfter`'s pending delay, if any (canceled when rescheduled or disposed). */
  private timer: Task | null = null;
  /** The token, made when first asked for (it refers back to this source). */
  private made: CancellationToken | null = null;

  /** `delayMs` ≥ 0: canceled after that many milliseconds (.NET's `new CancellationTokenSource(delay)`); -1: only by `cancel()`. */
  constructor(delayMs: i32 = -1) {
    if (delayMs != -1) this.cancelAfter(delayMs);
  }

  /** The token this source cancels. */
  get token(): CancellationToken {
    let token = this.made;
    if (token === null) this.made = token = new CancellationToken(this);
    return token!;
  }

  get isCancellationRequested(): bool {
    return this.canceled;
  }

  /**
   * Cancels the token: each callback registered on it runs once, the last registered first (as
   * .NET runs them), and the tasks of the calls given it that are still pending are canceled.
   * Nothing happens the second time.
   */
  cancel(): void {
    if (this.canceled) return;
    this.canceled = true;
    this.stopTimer();
    const registrations = this.registrations.values();
    this.registrations.clear();
    for (let i = registrations.length - 1; i >= 0; --i) unchecked(registrations[i]).run();
  }

  /**
   * Cancels the token after `delayMs` milliseconds, replacing any earlier schedule; 0 cancels it at
   * once, -1 (.NET's `Timeout.Infinite`) only stops the schedule. Nothing happens once canceled.
   */
  cancelAfter(delayMs: i32): void {
    checkDelay(delayMs);
    if (this.canceled) return;
    this.stopTimer();
    if (delayMs == 0) {
      this.cancel();
      return;
    }
    if (delayMs == -1) return;
    const timer = Task.delay(delayMs);
    this.timer = timer;
    timer.continueWithState<CancellationTokenSource>(this, cancelWhenDue);
  }

  /**
   * Stops a pending `cancelAfter` and forgets the registrations, which will never run; the token
   * stays as it is (canceled or not). Call it when the source is no longer needed, as .NET's
   * `Dispose`.
   */
  dispose(): void {
    this.stopTimer();
    this.registrations.clear();
  }

  /** Adds `registration`, or runs it at once if the token is canceled already (as .NET's `Register` does). */
  add(registration: CancellationTokenRegistration): CancellationTokenRegistration {
    if (this.canceled) registration.run();
    else this.registrations.add(registration);
    return registration;
  }

  /** Takes `registration` back, if it has not run. */
  remove(registration: CancellationTokenRegistration): void {
    this.registrations.delete(registration);
  }

  /** Registrations waiting to run (to see that settled calls let go of theirs). */
  get registrationCount(): i32 {
    return this.registrations.size;
  }

  private stopTimer(): void {
    const timer = this.timer;
    if (timer === null) return;
    this.timer = null;
    timer.cancel();
  }

  /** `cancelAfter`'s delay completed (a canceled one, replaced or disposed, does nothing). */
  timerDue(timer: Task): void {
    if (this.timer !== timer || timer.isFaulted) return;
    this.timer = null;
    this.cancel();
  }
}

function cancelWhenDue(source: CancellationTokenSource, timer: Task): void {
  source.timerDue(timer);
}

/**
 * What a call is given to be canceled by (.NET's `CancellationToken`): the `token` of a
 * `CancellationTokenSource`, or `CancellationToken.none`, which is never canceled.
 */
export class CancellationToken {
  /** A token that is never canceled (.NET's `CancellationToken.None`). */
  static readonly none: CancellationToken = new CancellationToken(null);

  constructor(private readonly source: CancellationTokenSource | null) {}

  get isCancellationRequested(): bool {
    const source = this.source;
    return source !== null && source.isCancellationRequested;
  }

  /** Whether it can ever be canceled (false for `none`). */
  get canBeCanceled(): bool {
    return this.source !== null;
  }

  /** Runs `callback` when the token is canceled, or at once if it is already; `dispose()` the registration to take it back. */
  register(callback: () => void): CancellationTokenRegistration {
    return this.add(new PlainRegistration(this.source, callback));
  }

  /** `register`, with a state object the callback receives (AssemblyScript has no closures). */
  registerWithState<S>(state: S, callback: (state: S) => void): CancellationTokenRegistration {
    return this.add(new StatefulRegistration<S>(this.source, state, callback));
  }

  /** Cancels `task` when the token is canceled (see `TaskBase.cancelWith`). */
  registerTask(task: TaskBase): CancellationTokenRegistration {
    return this.add(new TaskRegistration(this.source, task));
  }

  private add(registration: CancellationTokenRegistration): CancellationTokenRegistration {
    const source = this.source;
    return source === null ? registration : source.add(registration);
  }
}

/** A callback registered on a token (.NET's `CancellationTokenRegistration`). */
export abstract class CancellationTokenRegistration {
  constructor(private source: CancellationTokenSource | null) {}

  /** Takes the callback back: it will not run (nothing happens if it has run). */
  dispose(): void {
    const source = this.source;
    if (source === null) return;
    this.source = null;
    source.remove(this);
  }

  /** The token was canceled. */
  run(): void {
    this.source = null;
    this.invoke();
  }

  protected abstract invoke(): void;
}

class PlainRegistration extends CancellationTokenRegistration {
  constructor(
    source: CancellationTokenSource | null,
    private readonly callback: () => void,
  ) {
    super(source);
  }

  protected invoke(): void {
    this.callback();
  }
}

class StatefulRegistration<S> extends CancellationTokenRegistration {
  constructor(
    source: CancellationTokenSource | null,
    private readonly state: S,
    private readonly callback: (state: S) => void,
  ) {
    super(source);
  }

  protected invoke(): void {
    this.callback(this.state);
  }
}

class TaskRegistration extends CancellationTokenRegistration {
  constructor(
    source: CancellationTokenSource | null,
    private readonly task: TaskBase,
  ) {
    super(source);
  }

  protected invoke(): void {
    this.task.cancel();
  }
}

/** Whether `token` is given and canceled already: a call given it is not made (Blazor's). */
// @ts-ignore: decorator
@inline export function canceledAlready(token: CancellationToken | null): bool {
  return token !== null && token.isCancellationRequested;
}
