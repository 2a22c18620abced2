/**
 * Node's half of spawn.ts: a `worker_threads` worker running worker-entry-node.js. The worker does
 * not keep the process alive unless the page waits for it (`hold`), so a script that has loaded an
 * assembly in a worker still exits when it is done.
 */
import { MessageChannel, Worker } from "node:worker_threads";
import type { SpawnedWorker, WorkerEvents } from "./spawn.ts";

export async function spawnNodeWorker(events: WorkerEvents): Promise<SpawnedWorker> {
  const worker = new Worker(await workerScript(), { name: "as-interop assembly" });
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
 * dependency) into a temporary file named by its contents.
 *
 * So that the worker's heap holds about what the package's modules would: the bundle's comments
 * are left out (one non-Latin-1 character among them made V8 keep the whole script at two bytes a
 * character, 1.8 MB), and its source map is a file of its own, without the sources' text, read only
 * where source maps are enabled (stacks then name the sources). Inline, the map stayed in the heap
 * as the script's `sourceMappingURL` and, where source maps were enabled, was parsed again with
 * every source's text: with the script, nearly 3 MB of the worker's 9.
 */
export function workerScript(): Promise<URL> {
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
    // Where the file will be, so that the map's paths to the sources resolve from there.
    outfile: join(tmpdir(), "as-interop-worker.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minifyWhitespace: true,
    sourcemap: "external",
    sourcesContent: false,
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles.find((file) => file.path.endsWith(".mjs"))!.text;
  const map = result.outputFiles.find((file) => file.path.endsWith(".map"))!.contents;
  // Named by its contents: every process of the same sources shares one file.
  const name = `as-interop-worker-${createHash("sha256").update(code).update(map).digest("hex").slice(0, 16)}.mjs`;
  const file = join(tmpdir(), name);
  if (!existsSync(file)) {
    // Written whole, then renamed, the map before the script: another process never starts a worker from half a file.
    for (const [path, contents] of [[`${file}.map`, map], [file, `${code}//# sourceMappingURL=${name}.map\n`]] as const) {
      writeFileSync(`${path}.${process.pid}`, contents);
      renameSync(`${path}.${process.pid}`, path);
    }
  }
  return pathToFileURL(file);
}
