/**
 * Node's half of spawn.ts: a `worker_threads` worker running worker-entry-node.js. The worker does
 * not keep the process alive unless the page waits for it (`hold`), so a script that has loaded an
 * assembly in a worker still exits when it is done.
 */
import { MessageChannel, Worker } from "node:worker_threads";
import type { SpawnedWorker, WorkerEvents } from "./spawn.ts";

export async function spawnNodeWorker(events: WorkerEvents): Promise<SpawnedWorker> {
  const worker = new Worker(await entry(), { name: "as-interop assembly" });
  // The channel of the library's messages (see spawn.ts): its port is the worker's first message.
  const { port1: port, port2 } = new MessageChannel();
  let terminated = false;
  port.on("message", events.message);
  port.on("messageerror", () => events.failed(new Error("A message from the assembly's worker could not be read."), false));
  worker.on("error", (error) => events.failed(error, false));
  worker.on("exit", (code) => {
    if (!terminated) events.failed(new Error(`The assembly's worker stopped (exit code ${code}).`), true);
  });
  worker.postMessage(port2, [port2]);
  worker.unref();
  port.unref();
  return {
    post: (message, transfer = []) => port.postMessage(message, transfer as never),
    terminate: () => {
      terminated = true;
      port.close();
      void worker.terminate();
    },
    hold: (held) => {
      const hold = held ? "ref" : "unref";
      worker[hold]();
      port[hold]();
    },
  };
}

let bundled: Promise<URL> | undefined;

/**
 * The worker's script. From the package, worker-entry-node.js next to this file. From this
 * repository's TypeScript sources (tests, the bench), Node 20 cannot run TypeScript in a worker:
 * the entry and what it imports are bundled once per process with esbuild (a development
 * dependency) into a temporary file named by its contents, with a source map so that stacks name the sources.
 */
function entry(): Promise<URL> {
  if (!import.meta.url.endsWith(".ts")) return Promise.resolve(new URL("./worker-entry-node.js", import.meta.url));
  bundled ??= bundleEntry();
  return bundled;
}

async function bundleEntry(): Promise<URL> {
  const esbuild = "esbuild";
  const { build } = (await import(/* @vite-ignore */ esbuild)) as typeof import("esbuild");
  const { fileURLToPath, pathToFileURL } = await import("node:url");
  const { existsSync, renameSync, writeFileSync } = await import("node:fs");
  const { createHash } = await import("node:crypto");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./worker-entry-node.ts", import.meta.url))],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "inline",
    write: false,
    logLevel: "warning",
  });
  const contents = result.outputFiles[0].contents;
  // Named by its contents: every process of the same sources shares one file.
  const file = join(tmpdir(), `as-interop-worker-${createHash("sha256").update(contents).digest("hex").slice(0, 16)}.mjs`);
  if (!existsSync(file)) {
    // Written whole, then renamed: another process never starts a worker from half a file.
    writeFileSync(`${file}.${process.pid}`, contents);
    renameSync(`${file}.${process.pid}`, file);
  }
  return pathToFileURL(file);
}
