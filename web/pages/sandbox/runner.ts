/**
 * Runs one sandbox program on as-interop's own worker-hosted assemblies. Each run gets a runtime
 * of its own and loads the freshly compiled assembly into a worker (`loadAssembly(binary,
 * { worker })`); the console module (console-capture.ts), then the user's script, are imported
 * into that worker (`importModule`), next to the assembly: there `DotNet` is bound to it, its
 * synchronous `invokeMethod` included, and neither a managed loop nor a JavaScript one can freeze
 * the page. Stop unloads the assembly, which terminates its worker wherever the program is: wasm
 * cannot be interrupted, but a worker can always be thrown away. One worker runs one program, so
 * nothing leaks from one run to the next.
 *
 * The program's console and its errors go to the page (and only there: the browser's console stays clean).
 */
import { InteropRuntime, type WorkerAssembly } from "../../../host/runtime/index.ts";
import captureUrl from "./console-capture.ts?worker&url";
import { CONSOLE_GRANT, type ConsoleGrant, type RunnerMessage, type RunRequest } from "./protocol.ts";
import { describeError, locateSyntaxError } from "./script-errors.ts";

export interface Run {
  /** Terminates the program wherever it is, even inside a loop that never returns. */
  stop(): void;
}

export function startRun({ binary, script }: RunRequest, onMessage: (message: RunnerMessage) => void): Run {
  const runtime = new InteropRuntime();
  const scriptUrl = URL.createObjectURL(new Blob([script], { type: "text/javascript" }));
  let assembly: WorkerAssembly | null = null;
  let stopped = false;
  const send = (message: RunnerMessage) => {
    if (!stopped) onMessage(message);
  };

  // Errors the script leaves behind (a rejected promise nobody handles, a throwing timer).
  runtime.addEventListener("assemblyerror", (event) => {
    event.preventDefault();
    send({ type: "failed", phase: "async", error: describeError(event.detail.error, scriptUrl) });
  });
  const grant: ConsoleGrant = { print: (level, text) => send({ type: "console", level, text }) };

  const run = async () => {
    try {
      assembly = await runtime.loadAssembly(binary, { worker: { expose: { [CONSOLE_GRANT]: grant }, modules: [captureUrl] } });
    } catch (error) {
      send({ type: "failed", phase: "load", error: describeError(error, scriptUrl) });
      return;
    }
    if (stopped) return stop();
    send({ type: "loaded", assemblyName: assembly.name });
    try {
      await assembly.importModule(scriptUrl);
      send({ type: "finished" });
    } catch (error) {
      if (stopped) return;
      const described = describeError(error, scriptUrl);
      const location = described.location ?? (error instanceof SyntaxError ? await locateSyntaxError(script, error.message) : null);
      send({ type: "failed", phase: "script", error: { ...described, location } });
    }
  };

  const stop = () => {
    stopped = true;
    if (assembly) runtime.unloadAssembly(assembly.name);
    URL.revokeObjectURL(scriptUrl);
  };
  void run();
  return { stop };
}
