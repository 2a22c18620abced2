/**
 * Timing, statistics and reporting for side-by-side benchmarks.
 *
 * A scenario is one operation done several ways ("implementations"). Each implementation is
 * checked once, warmed up, calibrated to a loop of N calls that takes about `runMs`, and then
 * timed `runs` times; the figure reported is the median ns per call across runs. Runs of the
 * implementations are interleaved (run 1 of each, then run 2 of each, ...), so that a noisy
 * stretch on the machine hits all of them alike instead of one implementation's whole sample:
 * the ratios between them are what this harness is for.
 *
 * It runs in Node (`npm run bench`) and in a browser's worker (the demo's performance page): time
 * is `performance.now()`, which both have.
 */

export const IMPLS = [
  "raw", "raw-node", "raw-chunks", "esm-bindings", "loader", "json", "json-js", "as-interop",
  // Calls into JavaScript (scenarios/call-impls.ts): a plain import, and as-interop's two ways.
  "raw-import", "as-interop-typed", "as-interop-dynamic",
  // The limits of instance calls and awaited calls: a static method of the same shape, a bare await.
  "static-call", "bare-await",
  // By-reference views (scenarios/by-reference.ts) and memory views (scenarios/by-value.ts).
  "js-array", "by-value", "proxy-floor", "bare-proxy", "at(i)", "references", "in-place",
  // Assemblies in a worker (scenarios/worker.ts): a hand-written postMessage floor, the same call on this thread.
  "postMessage", "in-thread", "worker",
] as const;
export type ImplName = (typeof IMPLS)[number];

/** Any function; each scenario narrows it to the signature its implementations share. */
export type Callable = (...args: any[]) => unknown;

export interface Impl<F extends Callable = Callable> {
  impl: ImplName;
  /** The implementation's own function, timed as `fn(...scenario.args)`: no wrapper in between. */
  fn: F;
}

export interface Scenario<F extends Callable = Callable> {
  name: string;
  /** What every timed call is passed. */
  args: Parameters<F>;
  impls: Impl<F>[];
  /** Throws (or rejects), with a message that says what went wrong, if `fn` does not do what it should. */
  check(fn: F): void | Promise<void>;
  /**
   * Calls in the first calibration loop (default 100). Operations on tens of MiB take
   * milliseconds each, so their scenarios start at 1 to keep warm-up and calibration short.
   */
  initialCalls?: number;
  /** At most this many timed runs (fewer than `BenchOptions.runs` for operations of ~100 ms). */
  maxRuns?: number;
  /**
   * Operations one call of `fn` makes (default 1): a managed loop that calls JavaScript n times is
   * one call from JS, and its figures are per operation.
   */
  perCall?: number;
  /** `fn` returns a promise, and each call is awaited before the next. */
  async?: boolean;
  /** What the table's ratio column divides by: the limit this scenario is measured against (default `raw`). */
  baseline?: ImplName;
  /**
   * An implementation whose time over the baseline's is reported too, with a 95 % interval: the
   * median of the differences between the two in each timed run (runs are interleaved, so each
   * pair ran at nearly the same moment). For costs of milliseconds whose spread dwarfs a ratio's
   * meaning, as a worker's round trip with a 512 MiB buffer.
   */
  overhead?: ImplName;
}

export interface BenchOptions {
  /** Called after each timed run, with how many of the scenario's runs are done (a progress bar). */
  onRun?: (done: number, total: number) => void;
  /** Timed runs per implementation. */
  runs: number;
  /** Target duration of one timed run. */
  runMs: number;
  /** Time spent calling an implementation before anything is timed, so it is optimized first. */
  warmupMs: number;
}

export interface Measurement {
  scenario: string;
  impl: ImplName;
  /** ns per call, one entry per timed run. */
  samples: number[];
  median: number;
  /** Calls per timed run, as calibrated. */
  calls: number;
  /** The implementation its scenario is measured against (see `Scenario.baseline`). */
  baseline: ImplName;
  /** Its time over the baseline's, if the scenario asks (see `Scenario.overhead`). */
  overhead?: Overhead;
}

/** ns per call more than the baseline: the median of per-run differences, and its 95 % interval. */
export interface Overhead {
  median: number;
  low: number;
  high: number;
}

/** One entry of bench/results.json. */
export interface ResultRecord {
  scenario: string;
  impl: ImplName;
  median_ns: number;
  runs: number;
  /** ns per call over the scenario's baseline, with its 95 % interval (see `Scenario.overhead`). */
  overhead_ns?: number;
  overhead_interval_ns?: [number, number];
}

type Loop = (fn: Callable, n: number, ...args: unknown[]) => unknown;

/**
 * Each implementation gets a loop compiled from its own source text, calling `fn` with the
 * scenario's arguments spelled out (`fn(a0, a1)`). A loop function shared by all implementations
 * would see all of them at its one call site and go megamorphic, and so would a shared wrapper
 * like `(i) => add(i, 40)`: that costs ~4 ns a call, more than a raw export call itself. The text
 * names the scenario and the implementation: V8 caches what `new Function` compiles by its text,
 * so loops of the same text shared one compiled function and its feedback (a raw export's call
 * measured 8 ns through a loop the other implementations had used, 3.5 ns through its own).
 */
function makeLoop(arity: number, awaits: boolean, owner: string): Loop {
  const params = Array.from({ length: arity }, (_, k) => `a${k}`);
  const call = `${awaits ? "await " : ""}fn(${params.join(", ")})`;
  const body = `// ${owner.replace(/[\r\n\u2028\u2029]/g, " ")}\nlet sink; for (let i = 0; i < n; i++) sink = ${call}; return sink;`;
  const AsyncFunction = (async () => {}).constructor as FunctionConstructor;
  return new (awaits ? AsyncFunction : Function)("fn", "n", ...params, body) as Loop;
}

/** Results land here so that no engine can prove them unused. */
export let sink: unknown;

interface Timed {
  loop: Loop;
  fn: Callable;
  args: readonly unknown[];
}

/** Nanoseconds. Browsers coarsen performance.now() (to 0.1 ms or 5 µs): runs last tens of ms, so it is fine. */
async function timeLoop({ loop, fn, args }: Timed, n: number): Promise<number> {
  const start = performance.now();
  sink = loop(fn, n, ...args);
  // An async loop's own promise: awaited inside the timing (a sync one's result is not a promise).
  if (sink instanceof Promise) sink = await sink;
  return (performance.now() - start) * 1e6;
}

/**
 * Warms up for `warmupMs`, then returns the N that makes one run last about `runMs`. N comes from
 * the fastest call seen in loops long enough for the timer, and is only taken once a loop of about
 * N calls has itself been long enough: one loop slowed by a collection, a busy machine or the
 * scheduler (a thread descheduled for 10 ms) makes a call look hundreds of times dearer than it is,
 * and an N worked out from it alone made runs so short that they fit inside one tick of a browser's
 * coarse clock and measured 0 ns (the demo's chart then drew NaN bars, failing its e2e under CI load).
 */
async function calibrate(timed: Timed, options: BenchOptions, initialCalls = 100): Promise<number> {
  const runNs = options.runMs * 1e6;
  const longEnough = runNs / 4;
  const warmupEnd = performance.now() + options.warmupMs;
  let n = initialCalls;
  let fastest = Infinity;
  for (;;) {
    const elapsed = await timeLoop(timed, n);
    if (elapsed < longEnough) {
      n *= 2; // too short for the clock to tell anything
      continue;
    }
    fastest = Math.min(fastest, elapsed / n);
    const planned = Math.max(1, Math.round(runNs / fastest));
    // A loop of at most the planned calls, and at least half of them, was long enough: the estimate
    // holds. (A stalled loop plans fewer calls than it made; the loop after it makes the planned
    // ones, and `fastest` only falls, so the plan it gives is never below them.)
    if (performance.now() >= warmupEnd && planned / 2 <= n && n <= planned) return planned;
    n = planned;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * A 95 % interval for the median of `values` that assumes nothing about their distribution: the
 * k-th smallest and k-th largest values, k as large as keeps each tail's chance below 2.5 % (each
 * value falls below the median with chance ½, so how many do is binomial; the sign test's interval).
 */
function medianInterval(values: readonly number[]): [number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  let below = 0; // P(fewer than k of n values fall below the median)
  let term = 0.5 ** n; // P(exactly k of them do), for the k the loop is at
  let k = 0;
  while (k < n >> 1 && below + term <= 0.025) {
    below += term;
    term = (term * (n - k)) / (k + 1);
    k++;
  }
  return [sorted[Math.max(0, k - 1)], sorted[n - Math.max(1, k)]];
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

export async function runScenario(scenario: Scenario, options: BenchOptions): Promise<Measurement[]> {
  const entries: { impl: ImplName; timed: Timed; n: number; samples: number[] }[] = [];
  for (const { impl, fn } of scenario.impls) {
    try {
      await scenario.check(fn);
    } catch (error) {
      throw new Error(`${scenario.name} / ${impl}: correctness check failed: ${(error as Error).message}`, { cause: error });
    }
    const timed: Timed = { loop: makeLoop(scenario.args.length, scenario.async ?? false, `${scenario.name} / ${impl}`), fn, args: scenario.args };
    entries.push({ impl, timed, n: await calibrate(timed, options, scenario.initialCalls), samples: [] });
  }
  const runs = Math.min(options.runs, scenario.maxRuns ?? options.runs);
  const perCall = scenario.perCall ?? 1;
  for (let run = 0; run < runs; run++) {
    // Rotate the order too, so no implementation always runs right after the same other one.
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[(run + k) % entries.length];
      entry.samples.push((await timeLoop(entry.timed, entry.n)) / entry.n / perCall);
      options.onRun?.(run * entries.length + k + 1, runs * entries.length);
    }
  }
  const baseline = entries.find((entry) => entry.impl === (scenario.baseline ?? "raw"));
  return entries.map(({ impl, samples, n }) => {
    const measurement: Measurement = { scenario: scenario.name, impl, samples, median: median(samples), calls: n, baseline: scenario.baseline ?? "raw" };
    if (impl === scenario.overhead && baseline) {
      const differences = samples.map((sample, run) => sample - baseline.samples[run]);
      const [low, high] = medianInterval(differences);
      measurement.overhead = { median: median(differences), low, high };
    }
    return measurement;
  });
}

/** The table for one scenario: absolute medians, their spread, and the ratios that matter. */
export function formatTable(results: readonly Measurement[]): string {
  const baselineName = results[0]?.baseline ?? "raw";
  const baseline = results.find((r) => r.impl === baselineName);
  const ours = results.find((r) => r.impl === "as-interop");
  const header = ["impl", "median ns/call", "q1–q3 ns", `× ${baselineName}`, "as-interop vs impl"];
  const rows = results.map((r) => [
    r.impl,
    formatNs(r.median),
    `${formatNs(quantile(r.samples, 0.25))}–${formatNs(quantile(r.samples, 0.75))}`,
    baseline ? `${(r.median / baseline.median).toFixed(2)}×` : "",
    ours && r !== ours ? compare(ours.median, r.median) : "",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("   ");
  const first = results[0];
  const title = first ? `${first.scenario}   (median of ${first.samples.length} timed runs per impl)` : "";
  const overheads = results.flatMap(({ impl, overhead }) =>
    overhead
      ? [`${impl} over ${baselineName}: ${formatSigned(overhead.median)} ns/call, 95 % interval ${formatSigned(overhead.low)} to ${formatSigned(overhead.high)} (differences of runs side by side)`]
      : [],
  );
  return [title, line(header), ...rows.map(line), ...overheads].join("\n");
}

function formatSigned(ns: number): string {
  return `${ns < 0 ? "−" : "+"}${formatNs(Math.abs(ns))}`;
}

/** `2.50× slower` or `3.10× faster`: how the first time compares with the second. */
function compare(ns: number, otherNs: number): string {
  return ns >= otherNs ? `${(ns / otherNs).toFixed(2)}× slower` : `${(otherNs / ns).toFixed(2)}× faster`;
}

function formatNs(ns: number): string {
  return ns >= 100 ? ns.toFixed(0) : ns >= 10 ? ns.toFixed(1) : ns.toFixed(2);
}
