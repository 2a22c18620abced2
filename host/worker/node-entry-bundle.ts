/**
 * The Node worker's script as one CommonJS script: worker-entry-node.ts and everything it imports,
 * bundled with esbuild (a development dependency). `npm pack` ships this bundle as
 * dist/host/worker/worker-entry-node.cjs (scripts/bundle-node-worker.ts), and this repository's
 * TypeScript sources (tests, the bench) run the same bundle (spawn-node.ts), so the bench measures
 * the worker users get.
 *
 * Why a bundle: a worker loads it in about half the time (63 against 110 ms) and with about half
 * the heap (0.8 against 1.4 MB over an empty worker) of the modules it is made of. The heap is what
 * every full collection in the worker marks, and V8 starts one whenever more than 64 MB of
 * external memory arrives, as a large transferred `ArrayBuffer` does.
 *
 * Why CommonJS: a worker that runs an ES module starts Node's ES module loader, 0.23 MB of heap of
 * its own, as much again as this bundle's code. A worker that has loaded an assembly held 4.52 MB
 * with the ES module and 4.24 MB with this script (an empty worker: 3.37 MB), and a full collection
 * took 4.2 against 3.9 ms (`--single-threaded-gc`, one core). The loader starts only if managed
 * code imports a JavaScript module (`JSRuntime.import`), which needs it anyway.
 *
 * Comments are left out: one non-Latin-1 character among them makes V8 keep the whole script at
 * two bytes a character. The source map, when asked for, is a file of its own without the
 * sources' text: inline, it stayed in the worker's heap as the script's `sourceMappingURL`.
 */
import { fileURLToPath } from "node:url";

export interface NodeWorkerBundle {
  code: string;
  /** The source map (paths relative to `outfile`), when `sourcemap` was asked for. */
  map?: Uint8Array;
}

export async function bundleNodeWorkerEntry(outfile: string, sourcemap: boolean): Promise<NodeWorkerBundle> {
  // Not a literal: bundlers of an app that imports the package leave esbuild out.
  const esbuild = "esbuild";
  const { build } = (await import(/* @vite-ignore */ esbuild)) as typeof import("esbuild");
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./worker-entry-node.ts", import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    minifyWhitespace: true,
    legalComments: "none",
    charset: "ascii",
    sourcemap: sourcemap ? "external" : false,
    sourcesContent: false,
    write: false,
    logLevel: "warning",
  });
  const code = result.outputFiles.find((file) => file.path.endsWith(".cjs"))!.text;
  const map = result.outputFiles.find((file) => file.path.endsWith(".map"))?.contents;
  return map ? { code, map } : { code };
}
