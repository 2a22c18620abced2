/**
 * Runs one sandbox program: instantiates the freshly compiled assembly in a runtime of its own,
 * binds `DotNet` to it, and runs the user's JavaScript as a module. It lives in a worker so that
 * a managed loop that never returns can be stopped by terminating the worker, which is the only
 * way to interrupt wasm. One worker runs one program, so nothing leaks from one run to the next.
 *
 * The program's console goes to the page (and only there: the browser's console stays clean).
 */
import { InteropRuntime } from "../../../host/runtime/index.ts";
import { formatForConsole } from "../../app/format.ts";
import type { ConsoleLevel } from "../../app/console-mirror.ts";
import type { ErrorReport, RunnerMessage, RunRequest, ScriptLocation } from "./protocol.ts";

const post = (message: RunnerMessage): void => postMessage(message);

/** `console.debug` stays the browser's: the dev server's client in the worker uses it. */
const CONSOLE_LEVELS = ["log", "info", "warn", "error"] as const satisfies readonly ConsoleLevel[];

function captureConsole(): void {
  for (const level of CONSOLE_LEVELS) {
    console[level] = (...values: unknown[]) => post({ type: "console", level, text: values.map(formatForConsole).join(" ") });
  }
}

addEventListener(
  "message",
  async (event: MessageEvent<RunRequest>) => {
    const { binary, script } = event.data;
    captureConsole();
    const scriptUrl = URL.createObjectURL(new Blob([script], { type: "text/javascript" }));
    const report = (error: unknown): ErrorReport => describe(error, scriptUrl);

    // Errors the script leaves behind (a rejected promise nobody handles, a throwing timer).
    addEventListener("unhandledrejection", (rejection) => {
      rejection.preventDefault();
      post({ type: "failed", phase: "async", error: report(rejection.reason) });
    });
    addEventListener("error", (uncaught) => {
      uncaught.preventDefault();
      post({ type: "failed", phase: "async", error: report(uncaught.error ?? uncaught.message) });
    });

    const runtime = new InteropRuntime();
    try {
      const assembly = await runtime.loadAssembly(binary);
      globalThis.DotNet = runtime.DotNet;
      post({ type: "loaded", assemblyName: assembly.name });
    } catch (error) {
      post({ type: "failed", phase: "load", error: report(error) });
      return;
    }

    try {
      await import(/* @vite-ignore */ scriptUrl);
      post({ type: "finished" });
    } catch (error) {
      const described = report(error);
      const location =
        described.location ?? (error instanceof SyntaxError ? await locateSyntaxError(script, error.message) : null);
      post({ type: "failed", phase: "script", error: { ...described, location } });
    }
  },
  { once: true },
);

function describe(error: unknown, scriptUrl: string): ErrorReport {
  if (!(error instanceof Error)) return { name: "Error", message: formatForConsole(error), location: null };
  return { name: error.name, message: error.message, location: locationIn(error.stack ?? "", scriptUrl) };
}

/** The first frame of the user's script in a stack trace: `blob:…:3:11` → line 3, column 11. */
function locationIn(stack: string, scriptUrl: string): ScriptLocation | null {
  const at = stack.indexOf(`${scriptUrl}:`);
  if (at < 0) return null;
  const match = /^:(\d+):(\d+)/.exec(stack.slice(at + scriptUrl.length));
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

/**
 * Module syntax errors carry no position, but a classic script's do: parse the script once more
 * as the body of a classic worker, behind a first line that stops it before it could run. Module
 * syntax (`import`, top-level `await`) fails there differently, so only an error with the same
 * message is trusted.
 */
function locateSyntaxError(script: string, message: string): Promise<ScriptLocation | null> {
  const url = URL.createObjectURL(new Blob([`throw null;\n${script}`], { type: "text/javascript" }));
  const parser = new Worker(url);
  return new Promise<ScriptLocation | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 2000);
    parser.addEventListener("error", (event) => {
      event.preventDefault();
      clearTimeout(timer);
      const sameError = event.lineno > 1 && event.message.endsWith(message);
      resolve(sameError ? { line: event.lineno - 1, column: event.colno } : null);
    });
  }).finally(() => {
    parser.terminate();
    URL.revokeObjectURL(url);
  });
}
