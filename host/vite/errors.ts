/**
 * A failed compile as Vite reports errors: `loc` and `frame` put the file, line, column and code
 * under the message in the browser's error overlay and in the terminal.
 */
import { resolve } from "node:path";
import type { CompileError } from "../compiler/diagnostics.ts";

export interface ViteCompileError extends Error {
  plugin: string;
  id?: string;
  loc?: { file: string; line: number; column: number };
  frame?: string;
}

export function toViteError(error: CompileError, baseDir: string, plugin: string): ViteCompileError {
  const first = error.diagnostics.find((d) => d.category === "error");
  const file = first?.file ? resolve(baseDir, first.file) : undefined;
  const viteError: ViteCompileError = Object.assign(new Error(first?.message ?? error.message), { plugin });
  if (file) {
    viteError.id = file;
    if (first?.line !== undefined && first.column !== undefined) viteError.loc = { file, line: first.line, column: first.column };
  }
  if (first?.frame) viteError.frame = first.frame;
  // Every diagnostic, formatted as `file:line:column: error AS…: message` + frame.
  viteError.stack = error.message;
  return viteError;
}
