/**
 * The sandbox's compiler: AssemblyScript's compiler (with binaryen and its embedded standard
 * library) and as-interop's transform, in a worker so compiling never blocks the page. One
 * worker serves every compile, so the ~15 MB compiler is loaded once.
 */
import { compile, CompileError } from "../../../host/compiler/compile.ts";
import { managedSignature } from "../../../host/marshal/types.ts";
import type { CompileRequest, CompileResponse, CompilerMessage } from "./protocol.ts";

/**
 * as-interop's managed library (assembly/interop), bundled as text: sources import it as the
 * package `as-interop/assembly/interop`, and the code the transform generates for composite
 * types does too. There is no node_modules in a browser, so it is served from here.
 */
const managedLibrary = import.meta.glob<string>("../../../assembly/interop/**/*.ts", {
  query: "?raw",
  import: "default",
  eager: true,
});
const LIBRARY_REQUEST = /(?:^|\/)node_modules\/as-interop\/(assembly\/.+)$/;

function readManagedLibrary(path: string): string | null {
  const request = LIBRARY_REQUEST.exec(path.replaceAll("\\", "/"));
  return request ? (managedLibrary[`../../../${request[1]}`] ?? null) : null;
}

function post(message: CompilerMessage, transfer: Transferable[] = []): void {
  postMessage(message, { transfer });
}

addEventListener("message", async (event: MessageEvent<CompileRequest>) => {
  const { id, source, assemblyName, optimize } = event.data;
  const entry = `${assemblyName}.ts`;
  const started = performance.now();
  let response: CompileResponse;
  try {
    const result = await compile({
      entry,
      assemblyName,
      optimize,
      // The editor's text is the only user file; the standard library comes embedded in asc.
      readFile: (path) => (path === entry ? source : readManagedLibrary(path)),
    });
    response = {
      id,
      ok: true,
      ms: performance.now() - started,
      // A copy of its own, so its buffer can be transferred without touching the compiler's memory.
      binary: result.binary.slice(),
      methods: result.manifest.methods.map(managedSignature),
      warnings: result.warnings,
    };
  } catch (error) {
    const diagnostics =
      error instanceof CompileError
        ? error.diagnostics
        : [{ category: "error" as const, code: 0, message: `The compiler failed: ${String(error)}` }];
    response = { id, ok: false, ms: performance.now() - started, diagnostics };
  }
  post({ type: "compiled", ...response }, response.ok ? [response.binary.buffer] : []);
});

post({ type: "ready" });
