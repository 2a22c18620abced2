/**
 * `loadAssembly(source, { worker })`: the options of an assembly hosted in a worker, and the time
 * bound of its calls.
 */

export interface WorkerOptions {
  /**
   * The longest a call may take, in milliseconds, from when it is made to when its result is back
   * (waiting behind earlier calls counts; waiting for a new worker to load does not). Past it, the
   * worker is terminated, every call waiting for it rejects with a `TimeoutError`, and the
   * assembly is loaded again in a new worker.
   * `withTimeout` sets it for single calls. Default: no bound.
   */
  readonly timeoutMs?: number;
  /**
   * Functions of this thread (the page) the assembly may call, by the paths they have in this
   * object: `{ api: { save } }` makes `api.save` reachable from the worker's global scope. Calls
   * are asynchronous (`JSRuntime.invokeAsync`, a `@jsImport` with a `Task<T>` result); arguments
   * and results are copied by structured clone. (With `{ scope }`, the scope's own functions are
   * reached this way, and nothing else is.)
   */
  readonly expose?: object;
  /**
   * ES modules imported into the worker, in order, before `loadAssembly` resolves: as
   * `WorkerAssembly.importModule` does (their `DotNet` is the worker's, bound to the assembly; the
   * functions they put on `globalThis` are what managed code's calls into JS find). A module that
   * fails to load or throws fails the load with its error.
   */
  readonly modules?: readonly (string | URL)[];
}

/** The worker options `worker` stands for, or null when the assembly runs on this thread. */
export function workerOptionsOf(worker: boolean | WorkerOptions | undefined): WorkerOptions | null {
  if (worker === undefined || worker === false) return null;
  const options = worker === true ? {} : worker;
  checkTimeout(options.timeoutMs, "{ worker: { timeoutMs } }");
  return options;
}

function checkTimeout(timeoutMs: number | undefined, where: string): void {
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0)) {
    throw new TypeError(`${where} must be a number of milliseconds greater than 0 (or Infinity), got ${String(timeoutMs)}.`);
  }
}

/** The bound `withTimeout` gives the calls started inside it. */
let scopedTimeout: number | undefined;

/**
 * Runs `start`, and bounds each call to a worker-hosted assembly that it makes before it returns
 * (through `DotNet`, the typed API or a reference) by `timeoutMs` instead of the assembly's own
 * `timeoutMs`. Returns what `start` returns:
 *
 *   const result = await withTimeout(500, () => DotNet.invokeMethodAsync("Solver", "Solve", board));
 *
 * Calls made later (after an `await` inside `start`) are not bounded by it.
 */
export function withTimeout<T>(timeoutMs: number, start: () => T): T {
  checkTimeout(timeoutMs, "withTimeout's timeoutMs");
  const outer = scopedTimeout;
  scopedTimeout = timeoutMs;
  try {
    return start();
  } finally {
    scopedTimeout = outer;
  }
}

/** The bound of a call made now: `withTimeout`'s, else the assembly's; undefined for none. */
export function callTimeout(assemblyTimeoutMs: number | undefined): number | undefined {
  const timeoutMs = scopedTimeout ?? assemblyTimeoutMs;
  return timeoutMs === Infinity ? undefined : timeoutMs;
}
