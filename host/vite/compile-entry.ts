/**
 * One compile of one `?assembly` entry, for the plugin: `compile()` with a file reader that
 * records what the compiler read (the files to watch) and what it looked for and did not find (an
 * import of a file not written yet, which should trigger a compile once it is).
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { CompileOptions, CompileResult } from "../compiler/compile.ts";
import { CompileError } from "../compiler/diagnostics.ts";
import { loadCompiler } from "../compiler/load-compiler.ts";
import { toPosix } from "../compiler/paths.ts";

export interface ReadLog {
  /** Absolute paths of the files the compiler read. */
  readonly files: ReadonlySet<string>;
  /** Absolute paths it tried and did not find. */
  readonly misses: ReadonlySet<string>;
}

export type EntryCompile =
  | { readonly ok: true; readonly result: CompileResult; readonly reads: ReadLog }
  | { readonly ok: false; readonly error: CompileError; readonly reads: ReadLog };

export async function compileEntry(options: CompileOptions & { baseDir: string }): Promise<EntryCompile> {
  const files = new Set<string>();
  const misses = new Set<string>();
  const reads: ReadLog = { files, misses };
  const { compile } = await loadCompiler();
  try {
    const result = await compile({
      ...options,
      async readFile(path, baseDir) {
        // Forward slashes, as Vite names files.
        const absolute = toPosix(resolve(baseDir, path));
        try {
          const text = await readFile(absolute, "utf8");
          files.add(absolute);
          return text;
        } catch {
          misses.add(absolute);
          return null;
        }
      },
    });
    return { ok: true, result, reads };
  } catch (error) {
    if (error instanceof CompileError) return { ok: false, error, reads };
    throw error;
  }
}
