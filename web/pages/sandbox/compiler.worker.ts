/**
 * The sandbox's compiler worker. This entry is small on purpose: it watches the compiler's files
 * arrive (resource timing reports each one's size as it completes) and tells the page, while the
 * compiler itself — AssemblyScript's compiler with binaryen and its standard library, ~15 MB of
 * JavaScript, and as-interop's transform — loads as one dynamic import. One worker serves every
 * compile of the visit.
 */
import type { CompileRequest, CompilerMessage } from "./protocol.ts";

const post = (message: CompilerMessage, transfer: Transferable[] = []): void => postMessage(message, { transfer });

let bytes = 0;
let transferred = 0;
let files = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as PerformanceResourceTiming[]) {
    bytes += entry.encodedBodySize;
    transferred += entry.transferSize;
    files += 1;
  }
  post({ type: "progress", bytes, files, transferred });
});
observer.observe({ type: "resource", buffered: true });

const started = performance.now();
const compiler = import("./compile-in-worker.ts");
// Requests that come while the compiler loads wait for it.
addEventListener("message", (event: MessageEvent<CompileRequest>) => {
  void compiler.then(async ({ compileRequest }) => {
    const response = await compileRequest(event.data);
    post({ type: "compiled", ...response }, response.ok ? [response.binary.buffer] : []);
  });
});

compiler.then(
  () => {
    observer.disconnect();
    post({ type: "ready", bytes, transferred, ms: performance.now() - started });
  },
  (error: unknown) => post({ type: "failed", message: `The compiler could not be loaded: ${String(error)}` }),
);
