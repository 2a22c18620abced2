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

/** A small struct of the by-value benchmarks (`Item` in assembly/by-value.ts). */
export interface Item {
  id: number;
  x: number;
  y: number;
  name: string;
}

/** The plain exports of bench.ts as the esm bindings wrap them. */
export interface BenchBindings {
  add(a: number, b: number): number;
  echo(s: string): string;
  jsonAdd(argsJson: string): string;
  jsonEcho(argsJson: string): string;
  // by-value (assembly/by-value.ts)
  takeBytes(data: Uint8Array): number;
  giveBytes(): Uint8Array;
  keepBytes(length: number): number;
  takeText(text: string): number;
  giveText(): string;
  keepText(text: string): number;
  echoInts(values: number[]): number[];
  echoInt32Array(values: Int32Array): Int32Array;
  echoItems(items: Item[]): Item[];
  countItems(items: Item[]): number;
  giveItems(): Item[];
  keepItems(items: Item[]): number;
}

let interop: Promise<WebAssembly.Module> | undefined;
let bindings: Promise<BenchBindings[]> | undefined;

/**
 * How many separate instances of the esm bindings are made: a scenario module that moves hundreds
 * of MiB takes an instance of its own, so the garbage it leaves (and the memory it grows) never
 * lands in another scenario's timing. (The bindings also break above 2 GiB of memory: their
 * record lowering forgets `>>> 0` on pointers.)
 */
export const ESM_INSTANCES = 3;

export function interopBinary(): Promise<WebAssembly.Module> {
  interop ??= compile({ entry: ENTRY, baseDir: BENCH_DIR, optimize: true, assemblyName: ASSEMBLY_NAME }).then(
    // compile() writes into a fresh (never shared) ArrayBuffer; the cast only tells TypeScript so.
    ({ binary }) => WebAssembly.compile(binary as Uint8Array<ArrayBuffer>),
  );
  return interop;
}

/** Instance `instance` (0 … ESM_INSTANCES − 1) of the esm bindings; each has its own memory. */
export async function esmBindings(instance = 0): Promise<BenchBindings> {
  bindings ??= buildEsmBindings();
  return (await bindings)[instance];
}

async function buildEsmBindings(): Promise<BenchBindings[]> {
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
    // A query makes each import a module (and so an instance) of its own.
    const href = pathToFileURL(join(outDir, "bench.js")).href;
    const instances: BenchBindings[] = [];
    for (let k = 0; k < ESM_INSTANCES; ++k) instances.push((await import(`${href}?instance=${k}`)) as BenchBindings);
    return instances;
  } finally {
    // Once imported, the module has read and instantiated the wasm: nothing needs the files.
    await rm(outDir, { recursive: true, force: true });
  }
}
