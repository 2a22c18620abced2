/**
 * An entry's generated types (`Entry.assembly.d.ts`, next to it), for the plugin and for the
 * `as-interop types` command. Written only when they changed, so that watchers and `git status`
 * stay quiet.
 */
import { readFile, writeFile } from "node:fs/promises";
import { declarationPath, renderDeclarations } from "../compiler/typings.ts";
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
 */
export async function declarationFile(entryFile: string, entry: string, manifest: Manifest): Promise<DeclarationFile> {
  const path = declarationPath(entryFile);
  const text = renderDeclarations(manifest, { entry, apiModule: apiModuleForDeclarations(path) });
  return { path, text, current: await readFile(path, "utf8").catch(() => null) };
}

/** Writes the file if it changed; says whether it did. */
export async function writeDeclarations(entryFile: string, entry: string, manifest: Manifest): Promise<{ path: string; written: boolean }> {
  const { path, text, current } = await declarationFile(entryFile, entry, manifest);
  if (current === text) return { path, written: false };
  await writeFile(path, text);
  return { path, written: true };
}
