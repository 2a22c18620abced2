/**
 * Build settings for the sandbox's compiler worker, as a Vite plugin so vite.config.ts stays one
 * line longer. AssemblyScript's compiler and binaryen are ES modules that run in browsers, but
 * they also carry Node-only branches (`await import("fs")` when `process` exists). Those branches
 * never run in a worker; this resolves their imports to an empty module instead of letting Vite
 * warn about each one, and builds workers as ES modules (the compiler uses top-level await).
 */
import type { Plugin } from "vite";

const NODE_ONLY_IMPORTS = new Set(["fs", "module", "path", "url", "node:module"]);
const COMPILER_PACKAGES = /[\\/]node_modules[\\/](assemblyscript|binaryen)[\\/]/;
const EMPTY_MODULE = "\0node-only-import";

export function sandboxCompiler(): Plugin {
  return {
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
