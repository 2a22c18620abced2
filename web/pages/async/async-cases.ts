/**
 * The async page's cases, one entry each: what JavaScript runs (shown as written, and run by
 * `run`), which managed method answers (an excerpt of assembly/demo/AsyncCalls.ts), and what should
 * come back: a value, or an error whose message is known.
 */

const ASSEMBLY = "AsyncCalls";

export interface AsyncCase {
  readonly id: string;
  readonly title: string;
  /** `backticks` mark code. */
  readonly description: string;
  /** The JavaScript `run` executes, as it reads. */
  readonly js: string;
  readonly run: () => Promise<unknown>;
  /** A second button while the case runs, e.g. Cancel. */
  readonly interrupt?: { readonly label: string; readonly js: string; readonly run: () => unknown };
  /** Lines of assembly/demo/AsyncCalls.ts that answer (excerpt markers). */
  readonly managed: readonly string[];
  readonly expected: { readonly value: unknown } | { readonly error: string };
  /** Needs JSPI (`WebAssembly.Suspending`); the page says so where the engine has none. */
  readonly jspi?: boolean;
}

export const asyncCases: readonly AsyncCase[] = [
  {
    id: "continuation",
    title: "A task completed by a continuation",
    description:
      "`FetchDoubled` returns a `Task<i32>` at once. It starts `asyncDemo.echoLater(21, 500)`, a promise that resolves " +
      "after half a second, with `JSRuntime.invokeAsync`; the continuation doubles the value and completes the task, " +
      "which resolves JavaScript's promise.",
    js: `await DotNet.invokeMethodAsync("AsyncCalls", "FetchDoubled", 21, 500)`,
    run: () => DotNet.invokeMethodAsync(ASSEMBLY, "FetchDoubled", 21, 500),
    managed: ["class Doubling {", "function onEchoed(", "function FetchDoubled("],
    expected: { value: 42 },
  },
  {
    id: "rejection",
    title: "A rejected promise",
    description: "The JavaScript promise rejects; the managed task fails with its error, and so does JavaScript's call.",
    js: `await DotNet.invokeMethodAsync("AsyncCalls", "FetchRejected", 300)`,
    run: () => DotNet.invokeMethodAsync(ASSEMBLY, "FetchRejected", 300),
    managed: ["function FetchRejected("],
    expected: { error: "The server said no." },
  },
  {
    id: "timeout",
    title: "A timeout",
    description: "`invokeAsync`'s third argument: a promise that never settles is given up after 300 ms.",
    js: `await DotNet.invokeMethodAsync("AsyncCalls", "WaitWithTimeout", 300)`,
    run: () => DotNet.invokeMethodAsync(ASSEMBLY, "WaitWithTimeout", 300),
    managed: ["function WaitWithTimeout("],
    expected: { error: "The JavaScript call did not settle within 300 ms." },
  },
  {
    id: "cancellation",
    title: "A cancellation",
    description:
      "`StartWait` waits for a promise that never settles. Select Cancel: `CancelWait` calls `task.cancel()`, the task " +
      "fails, and JavaScript's call with it.",
    js: `await DotNet.invokeMethodAsync("AsyncCalls", "StartWait")`,
    run: () => DotNet.invokeMethodAsync(ASSEMBLY, "StartWait"),
    interrupt: {
      label: "Cancel",
      js: `DotNet.invokeMethod("AsyncCalls", "CancelWait")`,
      run: () => DotNet.invokeMethod(ASSEMBLY, "CancelWait"),
    },
    managed: ["let waiting:", "function StartWait(", "function CancelWait("],
    expected: { error: "A task was canceled." },
  },
  {
    id: "concurrent",
    title: "A thousand at once",
    description:
      "1000 calls of `FetchDoubled` in flight together, each waiting for its own JavaScript promise (0–50 ms): every one " +
      "settles, with its own value.",
    js: `const calls = Array.from({ length: 1000 }, (_, i) =>
  DotNet.invokeMethodAsync("AsyncCalls", "FetchDoubled", i, i % 50));
const results = await Promise.all(calls);
results.filter((value, i) => value === i * 2).length`,
    run: async () => {
      const calls = Array.from({ length: 1000 }, (_, i) => DotNet.invokeMethodAsync<number>(ASSEMBLY, "FetchDoubled", i, i % 50));
      const results = await Promise.all(calls);
      return results.filter((value, i) => value === i * 2).length;
    },
    managed: ["function FetchDoubled("],
    expected: { value: 1000 },
  },
  {
    id: "jspi",
    title: "JSPI: await without a continuation",
    description:
      "`AwaitDoubled` calls `JSRuntime.invokeAwait`, which returns the promise's value as if the call were synchronous: " +
      "the engine suspends the managed call until the promise settles (JSPI), and the page stays responsive meanwhile.",
    js: `await DotNet.invokeMethodAsync("AsyncCalls", "AwaitDoubled", 21, 500)`,
    run: () => DotNet.invokeMethodAsync(ASSEMBLY, "AwaitDoubled", 21, 500),
    managed: ["function AwaitDoubled("],
    expected: { value: 42 },
    jspi: true,
  },
  {
    id: "jspi-sync",
    title: "JSPI needs invokeMethodAsync",
    description:
      "Called with the synchronous `invokeMethod`, there is nothing to suspend: `invokeAwait` fails with a clear error " +
      "(and the instance keeps working).",
    js: `DotNet.invokeMethod("AsyncCalls", "AwaitDoubled", 21, 500)`,
    run: async () => DotNet.invokeMethod(ASSEMBLY, "AwaitDoubled", 21, 500),
    managed: ["function AwaitDoubled("],
    expected: {
      error:
        "JSRuntime.invokeAwait can only suspend a call that JavaScript made with invokeMethodAsync; " +
        "call the method that way, or use JSRuntime.invokeAsync with a continuation.",
    },
    jspi: true,
  },
];
