/**
 * Starts the worker an assembly runs in: a module Web Worker in browsers, a `worker_threads`
 * worker in Node (spawn-node.ts, loaded only there, so that browser bundles hold no Node code).
 *
 * The worker's script is worker-entry.js next to this file. Bundlers that follow
 * `new Worker(new URL("…", import.meta.url))` (Vite, webpack 5, Parcel) bundle it with its imports;
 * without a bundler the browser loads it from the package as it is.
 *
 * The page and the worker talk over a `MessageChannel` of their own, whose port is the first
 * message the worker gets: code the worker runs later (the modules `importModule` imports,
 * managed code's calls into JS) shares its global scope, but never holds that port, so what it
 * posts on the worker's global channel, or listens for there, is not the library's protocol.
 */
import type { FromWorker, ToWorker } from "./protocol.ts";

export interface SpawnedWorker {
  post(message: ToWorker, transfer?: readonly Transferable[]): void;
  terminate(): void;
  /** Node: whether the worker keeps the process alive (while calls wait for it). Browsers: nothing. */
  hold(held: boolean): void;
}

export interface WorkerEvents {
  message(message: FromWorker): void;
  /**
   * The worker failed: it could not start, threw where nothing caught it, or (`fatal`) stopped.
   * A browser's worker lives on after an uncaught error; Node's stops.
   */
  failed(error: Error, fatal: boolean): void;
}

export async function spawnWorker(events: WorkerEvents): Promise<SpawnedWorker> {
  if (typeof Worker === "function") return spawnWebWorker(events);
  // Only Node gets here; the file name is not a literal, so bundlers for the browser leave it out.
  const nodeSpawner = new URL(import.meta.url.endsWith(".ts") ? "./spawn-node.ts" : "./spawn-node.js", import.meta.url).href;
  const { spawnNodeWorker } = await importNodeSpawner(nodeSpawner);
  return spawnNodeWorker(events);
}

/**
 * The module that starts Node workers, next to this one. A server bundle holding as-interop's code
 * (Vite's `ssr.noExternal`) has no such file beside it: say so, rather than leave Node's bare
 * "Cannot find module" naming a file of the bundle's folder that the user never wrote.
 */
async function importNodeSpawner(url: string): Promise<typeof import("./spawn-node.ts")> {
  try {
    return (await import(/* @vite-ignore */ url)) as typeof import("./spawn-node.ts");
  } catch (error) {
    // Node's error names the file it did not find; a file that spawn-node.js imports is another matter.
    // (Node 20.20 says which in `url`; where it does not, its message names the file's path.)
    const missing = error as { code?: unknown; url?: unknown; message?: unknown } | null;
    const named = missing?.url === undefined ? String(missing?.message).includes(decodeURIComponent(new URL(url).pathname)) : missing.url === url;
    if (missing?.code !== "ERR_MODULE_NOT_FOUND" || !named) throw error;
    throw new Error(
      `as-interop cannot start a worker here: it looks for its Node worker code at ${url}, which is not there. ` +
        `as-interop's code was bundled into this module (a server bundle built with ssr.noExternal?), and its worker ` +
        `files stay in the package. Keep it out of the bundle: ssr: { external: ["as-interop"] } in vite.config.ts.`,
      { cause: error },
    );
  }
}

function spawnWebWorker(events: WorkerEvents): SpawnedWorker {
  const worker = new Worker(new URL("./worker-entry.js", import.meta.url), { type: "module", name: "as-interop assembly" });
  const { port1: port, port2 } = new MessageChannel();
  port.addEventListener("message", (event: MessageEvent<FromWorker>) => events.message(event.data));
  port.addEventListener("messageerror", () => events.failed(new Error("A message from the assembly's worker could not be read."), false));
  port.start();
  worker.addEventListener("error", (event) => {
    events.failed(new Error(event.message || "The assembly's worker could not start (its script did not load)."), false);
  });
  worker.postMessage(port2, [port2]);
  return {
    post: (message, transfer = []) => port.postMessage(message, transfer as Transferable[]),
    terminate: () => {
      worker.terminate();
      port.close();
    },
    hold() {},
  };
}
