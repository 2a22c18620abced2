/**
 * `npm run bench`: bundles run.ts and everything it imports (the library's sources included) with
 * esbuild, then runs the bundle in a fresh Node process with the arguments given.
 *
 * Why not run run.ts under tsx directly: tsx compiles each file with esbuild's `keepNames`, which
 * wraps every function and class it creates in a `__name(…)` call that redefines its `name`. That
 * is free at load but not on the hot paths that create closures or call through functions whose
 * shape changed; calls into JavaScript measured ~40 % slower under tsx than the same sources as
 * users run them: tsc's output in the published package, or their bundler's output (Vite, esbuild,
 * Rollup, none of which keep names by default). The bundle here is that: types stripped, nothing
 * renamed or wrapped, one file.
 *
 * The bundle registers tsx's loader itself, for what it imports by a computed path at run time (a
 * Node worker's spawner, `host/worker/spawn.ts`); `import.meta.url` keeps meaning the source file's
 * own URL in every module, so paths relative to a source file still resolve. Registered from the
 * bundle, not with `--import` on the command line: a worker inherits the command line's options,
 * so an assembly's worker loaded tsx too, as users' workers do not (nor the floor's, started from a
 * string): 2.3 MB of its heap, and a full collection there took 1.5× the bare worker's, not 1.1×.
 */
import { build, transform, type Plugin } from "esbuild";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const OUT_FILE = fileURLToPath(new URL("../node_modules/.cache/as-interop-bench/run.mjs", import.meta.url));

/** Each of this repository's TypeScript modules sees its own source URL as `import.meta.url`. */
const ownImportMetaUrl: Plugin = {
  name: "own-import-meta-url",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      if (path.includes("/node_modules/")) return undefined;
      const source = await readFile(path, "utf8");
      // `define` replaces the expression in code only, never inside strings (host/vite writes it into generated code).
      const { code } = await transform(source, {
        loader: "ts",
        format: "esm",
        target: "node20",
        define: { "import.meta.url": JSON.stringify(pathToFileURL(path).href) },
        sourcefile: path,
      });
      return { contents: code, loader: "js" };
    });
  },
};

await build({
  entryPoints: [fileURLToPath(new URL("./run.ts", import.meta.url))],
  outfile: OUT_FILE,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // Packages load from node_modules as they are; only this repository's sources are bundled.
  packages: "external",
  plugins: [ownImportMetaUrl],
  banner: { js: 'import { register as registerTsx } from "tsx/esm/api";\nregisterTsx();' },
  logLevel: "warning",
  absWorkingDir: ROOT,
});

const child = spawn(process.execPath, [OUT_FILE, ...process.argv.slice(2)], { stdio: "inherit" });
child.on("exit", (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
