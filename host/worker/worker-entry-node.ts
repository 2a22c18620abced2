/**
 * The script of a Node `worker_threads` worker hosting an assembly (see spawn-node.ts and
 * server.ts). Its first message is the port of the library's channel (see spawn.ts); errors
 * nothing caught are reported to the page instead of stopping the worker, as a browser's worker
 * lives on after them. (`process.exit()` stops it: the page sees the worker exit.)
 */
import { parentPort, type MessagePort } from "node:worker_threads";
import type { ToWorker } from "./protocol.ts";
import { serve } from "./server.ts";

parentPort!.once("message", (port: MessagePort) => {
  const post = port.postMessage.bind(port);
  const served = serve({
    post: (message, transfer = []) => post(message, transfer as never),
    listen: (handler) => port.on("message", (message: ToWorker) => handler(message)),
  });
  process.on("uncaughtException", (error) => served.uncaught(error));
  process.on("unhandledRejection", (reason) => served.uncaught(reason));
});
