/**
 * Build settings for the sandbox's compiler worker, as a Vite plugin so vite.config.ts stays one
 * line longer. AssemblyScript's compiler and binaryen are ES modules that run in browsers, but
 * they also carry Node-only branches (`await import("fs")` when `process` exists). Those branches
 * never run in a worker; this resolves their imports to an empty module instead of letting Vite
 * warn about each one, and builds workers as ES modules (the compiler uses top-level await).
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";

const NODE_ONLY_IMPORTS = new Set(["fs", "module", "path", "url", "node:module"]);
const COMPILER_PACKAGES = /[\\/]node_modules[\\/](assemblyscript|binaryen)[\\/]/;
const EMPTY_MODULE = "\0node-only-import";

/** Vite's pre-bundled copies of the compiler (dev only): `node_modules/.vite/deps/assemblyscript…js`. */
const PREBUNDLED_COMPILER = /[\\/]\.vite[\\/]deps[\\/]assemblyscript[^\\/]*\.js$/;

/** `import { compilerVersion } from "virtual:sandbox-compiler-version"`: what the compile cache is keyed on. */
const VERSION_MODULE = "virtual:sandbox-compiler-version";
const REPOSITORY = fileURLToPath(new URL("../../", import.meta.url));
/** What a compile's result depends on besides its source: the compiler, the transform, the library. */
const COMPILER_INPUTS = ["host/compiler", "host/marshal", "assembly/interop", "node_modules/assemblyscript/package.json", "node_modules/binaryen/package.json"];

export function sandboxCompiler(): Plugin[] {
  return [compilerVersion(), {
    name: "as-interop-demo:sandbox-compiler",
    config: () => ({
      worker: {
        format: "es",
        plugins: () => [emptyNodeImports()],
        // Bundling the 15 MB compiler takes seconds of the build, by nature: no need to warn.
        rolldownOptions: { checks: { bundlerTimings: false } },
      },
      // Bundled when the dev server starts, not discovered when the sandbox first asks for it
      // (a discovery reloads the page).
      optimizeDeps: { include: ["assemblyscript", "assemblyscript/asc", "assemblyscript/transform"] },
    }),
  }, withoutSourceMap()];
}

/**
 * In dev, Vite serves each pre-bundled module with its source map inlined: for the compiler that is
 * 42 MB of base64 on top of its 14 MB, which the sandbox's worker downloads (or reads from the
 * cache) and the engine scans on every visit. Nobody steps through binaryen's code in the sandbox,
 * so its map is dropped (measured: 56 MB → 14 MB a load).
 */
function withoutSourceMap(): Plugin {
  return {
    name: "as-interop-demo:compiler-without-source-map",
    apply: "serve",
    enforce: "post",
    transform(code, id) {
      if (!PREBUNDLED_COMPILER.test(id.split("?")[0])) return null;
      return { code, map: { mappings: "" } };
    },
  };
}

function emptyNodeImports(): Plugin {
  return {
    name: "as-interop-demo:empty-node-imports",
    enforce: "pre",
    resolveId(source, importer) {
      return NODE_ONLY_IMPORTS.has(source) && importer && COMPILER_PACKAGES.test(importer) ? EMPTY_MODULE : null;
    },
    load(id) {
      return id === EMPTY_MODULE ? "export default {};\n" : null;
    },
  };
}

/**
 * A hash of everything the sandbox's compiler is made of, so a compile cached by one version is
 * never taken for another's. Its files are watched: a change in dev gives the next page load a new
 * version.
 */
function compilerVersion(): Plugin {
  const files = () => COMPILER_INPUTS.flatMap((input) => listFiles(join(REPOSITORY, input))).sort();
  return {
    name: "as-interop-demo:sandbox-compiler-version",
    resolveId: (id) => (id === VERSION_MODULE ? `\0${VERSION_MODULE}` : null),
    load(id) {
      if (id !== `\0${VERSION_MODULE}`) return null;
      const hash = createHash("sha256");
      for (const file of files()) {
        this.addWatchFile(file);
        hash.update(file.slice(REPOSITORY.length)).update(readFileSync(file));
      }
      return `export const compilerVersion = ${JSON.stringify(hash.digest("hex").slice(0, 16))};\n`;
    },
  };
}

function listFiles(path: string): string[] {
  if (!path.endsWith("/") && /\.[a-z]+$/.test(path)) return [path];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}
