/**
 * The script of a browser's worker hosting an assembly (see spawn.ts and server.ts). Its first
 * message is the port of the library's channel; everything else it sets up before any module the
 * page imports runs, since those share this global scope: the port's `postMessage` is bound now,
 * errors nothing caught are reported to the page (and kept out of the browser's console), and a
 * `close()` tells the page before the worker stops, instead of leaving its calls waiting.
 */
import type { FromWorker, ToWorker } from "./protocol.ts";
import { serve, type ServedWorker } from "./server.ts";

/** The part of a dedicated worker's global scope used here (the DOM typings describe a window). */
interface WorkerScope {
  addEventListener(type: "message", listener: (event: MessageEvent<MessagePort>) => void, options: { once: true }): void;
  addEventListener(type: "error", listener: (event: ErrorEvent) => void): void;
  addEventListener(type: "unhandledrejection", listener: (event: PromiseRejectionEvent) => void): void;
}
const scope = globalThis as unknown as WorkerScope;

scope.addEventListener("message", (event) => connect(event.data), { once: true });

function connect(port: MessagePort): void {
  const post = port.postMessage.bind(port);
  const served = serve({
    post: (message: FromWorker, transfer = []) => post(message, transfer as Transferable[]),
    listen: (handler) => {
      port.addEventListener("message", (event: MessageEvent<ToWorker>) => handler(event.data));
      port.start();
    },
  });
  scope.addEventListener("error", (event) => {
    event.preventDefault();
    served.uncaught(event.error ?? new Error(event.message));
  });
  scope.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    served.uncaught(event.reason);
  });
  announceClose(served);
}

/**
 * Wraps the global scope's `close()` so that the page hears of it first. Where it is: a global
 * scope's operations are its own properties (WebIDL's [Global]), but look up the chain all the same.
 */
function announceClose(served: ServedWorker): void {
  for (let owner: object | null = globalThis; owner; owner = Object.getPrototypeOf(owner) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(owner, "close");
    if (typeof descriptor?.value !== "function") continue;
    const close = descriptor.value as (this: unknown) => void;
    Object.defineProperty(owner, "close", {
      ...descriptor,
      value: function (this: unknown) {
        served.closing();
        return Reflect.apply(close, this, []);
      },
    });
    return;
  }
}
