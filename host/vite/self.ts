/**
 * Where the code the plugin generates finds as-interop's browser half. Installed, that is the
 * package (`as-interop/api`), resolved from the user's project like any import of theirs, so both
 * share one runtime. Inside this repository the plugin runs from its TypeScript sources (its own
 * URL ends in `.ts`); there is no package to resolve, and the demo imports the runtime's sources,
 * so generated code imports the sources too.
 */
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { toPosix } from "../compiler/paths.ts";

const PACKAGE_API = "as-interop/api";
const FROM_SOURCES = import.meta.url.endsWith(".ts");
const SOURCE_API = fileURLToPath(new URL("../api/index.ts", import.meta.url));

/** For the JavaScript of a `?assembly` module. */
export const apiModuleForCode: string = FROM_SOURCES ? toPosix(SOURCE_API) : PACKAGE_API;

/**
 * For a generated `.d.ts` at `declarationFile`. Ambient module declarations may not import by
 * relative path, but `import("…")` types may, which is how the declarations use it.
 */
export function apiModuleForDeclarations(declarationFile: string): string {
  if (!FROM_SOURCES) return PACKAGE_API;
  const path = toPosix(relative(dirname(declarationFile), SOURCE_API)).replace(/\.ts$/, ".js");
  return path.startsWith(".") ? path : `./${path}`;
}

/** Modules Vite must not pre-bundle: see the plugin's `config` hook. */
export const BROWSER_ENTRIES: readonly string[] = FROM_SOURCES ? [] : ["as-interop", PACKAGE_API];
