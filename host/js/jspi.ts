/**
 * JSPI (JavaScript Promise Integration): where the engine has it (Chromium; not Node 20), managed
 * code can await a JS promise as if it were synchronous (`JSRuntime.invokeAwait`). The call must
 * have entered through a promising export (`invokeMethodAsync`), and two suspended calls must
 * never interleave on one instance, since they would share its shadow stack: such calls queue.
 */

interface JspiWebAssembly {
  Suspending: new (fn: (...args: never[]) => unknown) => object;
  promising: <F extends (...args: never[]) => unknown>(fn: F) => (...args: Parameters<F>) => Promise<ReturnType<F>>;
}

const engine = WebAssembly as unknown as Partial<JspiWebAssembly>;

/** The engine's JSPI, or null. */
export const jspi: JspiWebAssembly | null =
  typeof engine.Suspending === "function" && typeof engine.promising === "function" ? (engine as JspiWebAssembly) : null;

export const NO_JSPI =
  "JSRuntime.invokeAwait needs JSPI (WebAssembly.Suspending), which this engine does not have; " +
  "use JSRuntime.invokeAsync with a continuation instead.";
export const NOT_SUSPENDABLE =
  "JSRuntime.invokeAwait can only suspend a call that JavaScript made with invokeMethodAsync; " +
  "call the method that way, or use JSRuntime.invokeAsync with a continuation.";

/** Per instance: the queue of suspendable calls, and whether one is running on the stack now. */
export class SuspensionGate {
  #queue: Promise<unknown> = Promise.resolve();
  #nesting = 0;
  /** True while a promising call executes (not while it is suspended). */
  running = false;

  /** Runs the JS that a suspended call awaits: calls it makes into the instance are nested in it. */
  nested<T>(call: () => T): T {
    ++this.#nesting;
    try {
      return call();
    } finally {
      --this.#nesting;
    }
  }

  /**
   * Whether a call starting now is nested in a suspended one (made by the JS it awaits). It must
   * not queue behind its own caller, which would never finish; it runs at once, unable to suspend.
   */
  get isNested(): boolean {
    return this.#nesting > 0;
  }

  /** Runs `call` (a promising call) after the ones before it have finished. */
  enqueue<T>(call: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(async () => {
      this.running = true;
      try {
        return await call();
      } finally {
        this.running = false;
      }
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** Wraps the promise a suspending import returns: the call is suspended until it settles. */
  suspend<T>(promise: Promise<T>): Promise<T> {
    this.running = false;
    return promise.finally(() => {
      this.running = true;
    });
  }
}
