/**
 * Starts a sandbox program in a fresh runner worker and stops it by terminating that worker:
 * wasm on any thread cannot be interrupted, but a worker can always be thrown away.
 */
import type { RunnerMessage, RunRequest } from "./protocol.ts";

export interface Run {
  /** Terminates the program wherever it is, even inside a managed loop that never returns. */
  stop(): void;
}

export function startRun(request: RunRequest, onMessage: (message: RunnerMessage) => void): Run {
  const worker = new Worker(new URL("./runner.worker.ts", import.meta.url), { type: "module", name: "as-interop sandbox run" });
  worker.addEventListener("message", (event: MessageEvent<RunnerMessage>) => onMessage(event.data));
  worker.addEventListener("error", (event) => {
    // Reported on the page instead of the browser's console.
    event.preventDefault();
    onMessage({
      type: "failed",
      phase: "load",
      error: { name: "Error", message: event.message || "The runner worker could not start.", location: null },
    });
  });
  // A copy, so the page keeps its binary for the next run.
  const binary = request.binary.slice();
  worker.postMessage({ binary, script: request.script } satisfies RunRequest, [binary.buffer]);
  return { stop: () => worker.terminate() };
}
