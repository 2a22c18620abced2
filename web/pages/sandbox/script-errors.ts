/**
 * What the sandbox says of an error of the user's script: its class, message, and where in the
 * script it was thrown (the first frame of the script's blob URL in its stack). A module's syntax
 * error carries no position: it is found by parsing the script once more as a classic script.
 */
import { formatForConsole } from "../../app/format.ts";
import type { ErrorReport, ScriptLocation } from "./protocol.ts";

/** `error` (an Error of its class with the worker's stack, or a value thrown as it was) as the page reports it. */
export function describeError(error: unknown, scriptUrl: string): ErrorReport {
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
export function locateSyntaxError(script: string, message: string): Promise<ScriptLocation | null> {
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
