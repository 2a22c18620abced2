/** The script of a browser's worker hosting an assembly (see spawn.ts and server.ts). */
import type { FromWorker, ToWorker } from "./protocol.ts";
import { serve } from "./server.ts";

/** The part of a dedicated worker's global scope used here (the DOM typings describe a window). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<ToWorker>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

serve({
  post: (message: FromWorker, transfer = []) => scope.postMessage(message, transfer as Transferable[]),
  listen: (handler) => scope.addEventListener("message", (event) => handler(event.data)),
});
