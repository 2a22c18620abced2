/**
 * The performance page's binaries, built by the benchmarks' own code (bench/build.ts) when the
 * page first asks for them, in dev and in a build alike:
 *
 *   virtual:bench-assemblies   bench.ts and calls-out.ts compiled by as-interop (-O3, always: a
 *                              debug build would misstate every ratio), and bench.ts built by plain
 *                              asc for its bindings; the wasm bytes inlined (tens of KB)
 *   virtual:bench-bindings     the JavaScript asc --bindings raw generated for that build
 *
 * The page loads them in its benchmark worker only, so no other page downloads them.
 */
import type { Plugin } from "vite";
import { compile } from "../../host/compiler/compile.ts";

const ASSEMBLIES = "virtual:bench-assemblies";
const BINDINGS = "virtual:bench-bindings";
const BENCH_DIR = new URL("../../bench/", import.meta.url);

interface Built {
  readonly assemblies: string;
  readonly bindings: string;
}

export function benchAssemblies(): Plugin {
  const plugin = virtualModules();
  // The modules are imported by a worker, which a build bundles with the worker's own plugins.
  return { ...plugin, config: () => ({ worker: { plugins: () => [virtualModules()] } }) };
}

function virtualModules(): Plugin {
  let built: Promise<Built> | null = null;
  const build = async (): Promise<Built> => {
    // Imported here, not at the top: vite.config.ts should not load the benchmarks to serve other pages.
    const { ascBindings } = await import("../../bench/build.ts");
    const baseDir = BENCH_DIR.pathname;
    const [interop, interopOut, bindings] = await Promise.all([
      compile({ entry: "assembly/bench.ts", baseDir, optimize: true, assemblyName: "Bench" }),
      compile({ entry: "assembly/calls-out.ts", baseDir, optimize: true, assemblyName: "BenchCallsOut" }),
      ascBindings(),
    ]);
    const bytes = (binary: Uint8Array) => `Uint8Array.from(atob(${JSON.stringify(Buffer.from(binary).toString("base64"))}), (c) => c.charCodeAt(0))`;
    return {
      assemblies: [
        `export const interop = ${bytes(interop.binary)};`,
        `export const interopOut = ${bytes(interopOut.binary)};`,
        `export const bindings = ${bytes(bindings.binary)};`,
      ].join("\n"),
      bindings: bindings.js,
    };
  };
  return {
    name: "as-interop-demo:bench-assemblies",
    resolveId: (id) => (id === ASSEMBLIES || id === BINDINGS ? `\0${id}` : null),
    async load(id) {
      if (id !== `\0${ASSEMBLIES}` && id !== `\0${BINDINGS}`) return null;
      built ??= build();
      const { assemblies, bindings } = await built;
      return id === `\0${ASSEMBLIES}` ? assemblies : bindings;
    },
  };
}
