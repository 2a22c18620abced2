/** The script of a Node `worker_threads` worker hosting an assembly (see spawn-node.ts and server.ts). */
import { parentPort } from "node:worker_threads";
import type { ToWorker } from "./protocol.ts";
import { serve } from "./server.ts";

const port = parentPort!;
serve({
  post: (message, transfer = []) => port.postMessage(message, transfer as never),
  listen: (handler) => port.on("message", (message: ToWorker) => handler(message)),
});
