/**
 * Node's half of spawn.ts: a `worker_threads` worker running worker-entry-node.cjs. The worker does
 * not keep the process alive unless the page waits for it (`hold`), so a script that has loaded an
 * assembly in a worker still exits when it is done.
 */
import { MessageChannel, Worker } from "node:worker_threads";
import { InteropError } from "../runtime/errors.ts";
import type { SpawnedWorker, WorkerEvents } from "./spawn.ts";

export async function spawnNodeWorker(events: WorkerEvents): Promise<SpawnedWorker> {
  const worker = startWorker(await workerScript(), workerExecArgv(process.execArgv));
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

/**
 * The process's options, which a worker inherits, but `--input-type`: it concerns a main script
 * given as a string (`node --input-type=module -e …`, or on stdin), and Node refuses to start a
 * worker from a file with it ("--input-type can only be used with string input via --eval, --print,
 * or STDIN"). `undefined` when there is none: the worker then inherits them all as Node passes them.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] | undefined {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    if (execArgv[i].startsWith("--input-type=")) continue;
    if (execArgv[i] === "--input-type") {
      i++; // and its value
      continue;
    }
    kept.push(execArgv[i]);
  }
  return kept.length === execArgv.length ? undefined : kept;
}

/**
 * A worker given the process's options as a list is refused outright if the list holds one Node
 * takes only for a whole process: V8's (`--max-old-space-size=4096`, `--expose-gc`) and a few of
 * Node's. The worker has those anyway (they are its process's): start it without the ones Node
 * names.
 */
function startWorker(script: URL, execArgv: string[] | undefined): Worker {
  const options = { name: "as-interop assembly" };
  try {
    return new Worker(script, { ...options, execArgv });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    // Node's own text ("Access to this API has been restricted") names neither the API nor the flag.
    if (code === "ERR_ACCESS_DENIED") {
      throw new InteropError(
        "Node's permission model denies this process worker threads, in which { worker: true } runs the assembly: " +
          "start Node with --allow-worker, or load the assembly without { worker: true }.",
        { cause: error },
      );
    }
    if (execArgv === undefined || code !== "ERR_WORKER_INVALID_EXEC_ARGV") throw error;
    // "Initiated Worker with invalid execArgv flags: --expose-gc, --stack-size=2000"
    const refused = new Set(String((error as Error).message).split(": ").slice(1).join(": ").split(", "));
    return new Worker(script, { ...options, execArgv: execArgv.filter((option) => !refused.has(option)) });
  }
}

let bundled: Promise<URL> | undefined;

/**
 * The worker's script: worker-entry-node.cjs next to this file, which in the package is one bundled
 * script (node-entry-bundle.ts). From this repository's TypeScript sources (tests, the bench), Node
 * 20 cannot run TypeScript in a worker: the same bundle is made once per process into a temporary
 * file named by its contents, with a source map beside it, read only where source maps are enabled
 * (stacks then name the sources).
 */
export function workerScript(): Promise<URL> {
  if (!import.meta.url.endsWith(".ts")) return Promise.resolve(new URL("./worker-entry-node.cjs", import.meta.url));
  bundled ??= bundleFromSources();
  return bundled;
}

async function bundleFromSources(): Promise<URL> {
  const { pathToFileURL } = await import("node:url");
  const { existsSync, renameSync, writeFileSync } = await import("node:fs");
  const { createHash } = await import("node:crypto");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { bundleNodeWorkerEntry } = await import("./node-entry-bundle.ts");
  // Where the file will be, so that the map's paths to the sources resolve from there.
  const { code, map } = await bundleNodeWorkerEntry(join(tmpdir(), "as-interop-worker.cjs"), true);
  // Named by its contents: every process of the same sources shares one file.
  const name = `as-interop-worker-${createHash("sha256").update(code).update(map!).digest("hex").slice(0, 16)}.cjs`;
  const file = join(tmpdir(), name);
  if (!existsSync(file)) {
    // Written whole, then renamed, the map before the script: another process never starts a worker from half a file.
    for (const [path, contents] of [[`${file}.map`, map!], [file, `${code}//# sourceMappingURL=${name}.map\n`]] as const) {
      writeFileSync(`${path}.${process.pid}`, contents);
      renameSync(`${path}.${process.pid}`, path);
    }
  }
  return pathToFileURL(file);
}
