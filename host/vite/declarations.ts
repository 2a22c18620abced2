/**
 * An entry's generated types (`Entry.assembly.d.ts`, next to it), for the plugin and for the
 * `as-interop types` command. Written only when they changed, so that watchers and `git status`
 * stay quiet.
 */
import { readFile, writeFile } from "node:fs/promises";
import { declarationPath, importedAsIn, renderDeclarations } from "../compiler/typings.ts";
import type { Manifest } from "../marshal/types.ts";
import { apiModuleForDeclarations } from "./self.ts";

export interface DeclarationFile {
  readonly path: string;
  readonly text: string;
  /** What the file holds now; null when there is none. */
  readonly current: string | null;
}

/**
 * @param entryFile the entry's path (absolute, or relative to the working directory)
 * @param entry the entry as the user names it, shown in the file's comments
 * @param importedAs specifiers through an alias the app imports the entry by (the plugin sees
 *   them); those the file declares already are kept
 */
export async function declarationFile(entryFile: string, entry: string, manifest: Manifest, importedAs: Iterable<string> = []): Promise<DeclarationFile> {
  const path = declarationPath(entryFile);
  const current = await readFile(path, "utf8").catch(() => null);
  const specifiers = [...new Set([...importedAsIn(current ?? ""), ...importedAs])].sort();
  const text = renderDeclarations(manifest, { entry, apiModule: apiModuleForDeclarations(path), importedAs: specifiers });
  return { path, text, current };
}

/** Writes the file if it changed; says whether it did. */
export async function writeDeclarations(
  entryFile: string,
  entry: string,
  manifest: Manifest,
  importedAs: Iterable<string> = [],
): Promise<{ path: string; written: boolean }> {
  const { path, text, current } = await declarationFile(entryFile, entry, manifest, importedAs);
  if (current === text) return { path, written: false };
  await writeFile(path, text);
  return { path, written: true };
}
