/**
 * What a failed compile reports, as data (file, line, column, code frame) and as text. Apart from
 * compile.ts so that code which only shows diagnostics (the Vite plugin's error path, the CLI)
 * does not load the AssemblyScript compiler to do so.
 */

export interface Diagnostic {
  category: "error" | "warning" | "info";
  /** The compiler's code: as-interop's own checks are `AS109`, the rest AssemblyScript's and TypeScript's. */
  code: number;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  /** The offending line with a caret under the column, ready to print. */
  frame?: string;
}

export class CompileError extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    options?: ErrorOptions,
  ) {
    const errors = diagnostics.filter((d) => d.category === "error");
    super(errors.map(formatDiagnostic).join("\n\n") || "Compilation failed.", options);
    this.name = "CompileError";
  }
}

/** `file:line:column: error AS102: message` followed by the code frame, like tsc and esbuild print. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.file ? (d.line === undefined ? `${d.file}: ` : `${d.file}:${d.line}:${d.column}: `) : "";
  const head = `${where}${d.category} AS${d.code}: ${d.message}`;
  return d.frame ? `${head}\n${d.frame}` : head;
}
