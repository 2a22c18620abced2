/**
 * The compiler, as the sandbox's worker runs it: as-interop's `compile()` (AssemblyScript's
 * compiler, binaryen, the transform) over the editor's text, with the managed library served from
 * the bundle. Loaded by compiler.worker.ts with a dynamic import, so the worker can report the
 * download while this, the heavy part, loads.
 */
import { compile, CompileError } from "../../../host/compiler/compile.ts";
import { managedSignature } from "../../../host/marshal/types.ts";
import type { CompileRequest, CompileResponse } from "./protocol.ts";

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

export async function compileRequest({ id, source, assemblyName, optimize }: CompileRequest): Promise<CompileResponse> {
  const entry = `${assemblyName}.ts`;
  const started = performance.now();
  try {
    const result = await compile({
      entry,
      assemblyName,
      optimize,
      // The editor's text is the only user file; the standard library comes embedded in asc.
      readFile: (path) => (path === entry ? source : readManagedLibrary(path)),
    });
    return {
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
    return { id, ok: false, ms: performance.now() - started, diagnostics };
  }
}
