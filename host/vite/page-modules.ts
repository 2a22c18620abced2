/**
 * The ES modules a `@jsImport("fn", "./module.js")` names are loaded by URL when the assembly
 * loads, relative to the page, as Blazor's `import` is: Vite never sees them. The dev server
 * serves any file of the project, so one at the project's root works there; `vite build` copies
 * only `public/` as is, and the built app then fails to load the assembly ("… which did not
 * load"). A build warns of each such module that is not in `public/`.
 */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import type { Manifest } from "../marshal/types.ts";
import { toPosix } from "../compiler/paths.ts";

/** A warning for each module a page loads by a relative or root-relative URL that `publicDir` does not hold. */
export function missingPageModules(manifest: Manifest, publicDir: string, root: string): string[] {
  const warnings: string[] = [];
  for (const { identifier, module, declaredAt } of manifest.imports) {
    // `./`, `../` or `/`; not `//host/…`, which is another site's.
    if (module === null || !/^(\.{1,2}\/|\/(?!\/))/.test(module)) continue;
    // Where the URL points from a page at the site's root: a path under public/.
    const path = filePath(new URL(module, "http://page/").pathname);
    if (publicDir && existsSync(join(publicDir, path))) continue;
    const folder = toPosix(relative(root, publicDir || join(root, "public"))) || ".";
    warnings.push(
      `${declaredAt}: @jsImport("${identifier}", "${module}") loads its module by URL, relative to the page, when the ` +
        `assembly loads; vite build copies only ${folder}/ as is, and ${folder}${path} does not exist, so the built ` +
        `app will fail to load the assembly. Put the module in ${folder}/ (or serve it at that URL yourself).`,
    );
  }
  return warnings;
}

/** A URL's path as a file's: escapes decoded, unless they do not decode (then no file has that name either). */
function filePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
