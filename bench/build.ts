/**
 * Compiles bench/assembly/bench.ts the two ways the implementations need, once per process:
 *
 *  - `interopBinary()`: as-interop's own `compile()` (the transform, `--exportRuntime`, -O3,
 *    incremental runtime). Used by as-interop, and also by raw, loader and json: the binary
 *    exports the user's functions unchanged next to the glue, and the loader needs exactly the
 *    runtime exports (`__new`, `__pin`, ...) that compile() already turns on.
 *  - `esmBindings()`: plain `asc --bindings esm` with the same -O3 and runtime, into a temp dir,
 *    then the generated .js is imported. That is what a user would pick instead of as-interop.
 */
import asc from "assemblyscript/asc";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compile } from "../host/compiler/compile.ts";

export const ASSEMBLY_NAME = "Bench";
const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const ENTRY = "assembly/bench.ts";
/** The optimization flags every build shares, so the wasm code itself is never what differs. */
const OPTIMIZE = ["-O3", "--runtime", "incremental"];

/** The plain exports of bench.ts as the esm bindings wrap them. */
export interface BenchBindings {
  add(a: number, b: number): number;
  echo(s: string): string;
  jsonAdd(argsJson: string): string;
  jsonEcho(argsJson: string): string;
}

let interop: Promise<WebAssembly.Module> | undefined;
let bindings: Promise<BenchBindings> | undefined;

export function interopBinary(): Promise<WebAssembly.Module> {
  interop ??= compile({ entry: ENTRY, baseDir: BENCH_DIR, optimize: true, assemblyName: ASSEMBLY_NAME }).then(
    // compile() writes into a fresh (never shared) ArrayBuffer; the cast only tells TypeScript so.
    ({ binary }) => WebAssembly.compile(binary as Uint8Array<ArrayBuffer>),
  );
  return interop;
}

export function esmBindings(): Promise<BenchBindings> {
  bindings ??= buildEsmBindings();
  return bindings;
}

async function buildEsmBindings(): Promise<BenchBindings> {
  const outDir = await mkdtemp(join(tmpdir(), "as-interop-bench-"));
  const outFile = join(outDir, "bench.wasm");
  const { error, stderr } = await asc.main(
    [ENTRY, "--baseDir", BENCH_DIR, ...OPTIMIZE, "--bindings", "esm", "--outFile", outFile],
    {},
  );
  if (error) throw new Error(`asc --bindings esm failed: ${error.message}\n${stderr.toString()}`);
  // asc writes bench.js next to bench.wasm: an ES module that instantiates the wasm at import
  // (top-level await). Outside any package, Node and tsx would take the .js for CommonJS.
  await writeFile(join(outDir, "package.json"), '{ "type": "module" }\n');
  try {
    return (await import(pathToFileURL(join(outDir, "bench.js")).href)) as BenchBindings;
  } finally {
    // Once imported, the module has read and instantiated the wasm: nothing needs the files.
    await rm(outDir, { recursive: true, force: true });
  }
}
