/**
 * Node's half of spawn.ts: a `worker_threads` worker running worker-entry-node.js. The worker does
 * not keep the process alive unless the page waits for it (`hold`), so a script that has loaded an
 * assembly in a worker still exits when it is done.
 */
import { Worker } from "node:worker_threads";
import type { SpawnedWorker, WorkerEvents } from "./spawn.ts";

export async function spawnNodeWorker(events: WorkerEvents): Promise<SpawnedWorker> {
  const worker = new Worker(await entry(), { name: "as-interop assembly" });
  let terminated = false;
  worker.on("message", events.message);
  worker.on("messageerror", () => events.failed(new Error("A message from the assembly's worker could not be read."), false));
  worker.on("error", (error) => events.failed(error, false));
  worker.on("exit", (code) => {
    if (!terminated) events.failed(new Error(`The assembly's worker stopped (exit code ${code}).`), true);
  });
  worker.unref();
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer as never),
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
    hold: (held) => (held ? worker.ref() : worker.unref()),
  };
}

let bundled: Promise<URL> | undefined;

/**
 * The worker's script. From the package, worker-entry-node.js next to this file. From this
 * repository's TypeScript sources (tests, the bench), Node 20 cannot run TypeScript in a worker:
 * the entry and what it imports are bundled once per process with esbuild (a development
 * dependency) and run from a data: URL.
 */
function entry(): Promise<URL> {
  if (!import.meta.url.endsWith(".ts")) return Promise.resolve(new URL("./worker-entry-node.js", import.meta.url));
  bundled ??= bundleEntry();
  return bundled;
}

async function bundleEntry(): Promise<URL> {
  const esbuild = "esbuild";
  const { build } = (await import(/* @vite-ignore */ esbuild)) as typeof import("esbuild");
  const { fileURLToPath } = await import("node:url");
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./worker-entry-node.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    logLevel: "warning",
  });
  return new URL(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].contents).toString("base64")}`);
}
