/**
 * Compiles bench/assembly/bench.ts the two ways the implementations need, once per process:
 *
 *  - `interopBinary()`: as-interop's own `compile()` (the transform, `--exportRuntime`, -O3,
 *    incremental runtime). Used by as-interop, and also by raw, loader and json: the binary
 *    exports the user's functions unchanged next to the glue, and the loader needs exactly the
 *    runtime exports (`__new`, `__pin`, ...) that compile() already turns on.
 *  - `esmBindings()`: plain `asc --bindings raw` with the same -O3 and runtime, into a temp dir,
 *    then the generated .js is imported and instantiated with the JS side of the managed → JS
 *    loops as its imports. That is what a user would pick instead of as-interop. (`raw` bindings
 *    are the `esm` ones without the import of the wasm file and of the import modules by name.)
 *  - `interopOutBinary()`: calls-out.ts, as-interop's managed → JS loops, by `compile()`.
 *  - `byReferenceBinary()`: by-reference.ts, the lists and dictionaries handed out as views.
 */
import asc from "assemblyscript/asc";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../host/compiler/compile.ts";
import { BY_REFERENCE_ASSEMBLY } from "./scenarios/by-reference.ts";
import { ASSEMBLY_NAME, bindingsImports, type InstantiateBindings } from "./scenarios/call-impls.ts";

export { ASSEMBLY_NAME };

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const ENTRY = "assembly/bench.ts";
const OUT_ENTRY = "assembly/calls-out.ts";
const BY_REFERENCE_ENTRY = "assembly/by-reference.ts";
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
  callAdd(n: number): number;
  callEcho(n: number, s: string): number;
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
let interopOut: Promise<WebAssembly.Module> | undefined;
let bindings: Promise<BenchBindings[]> | undefined;

/**
 * How many separate instances of the esm bindings are made: a scenario module that moves hundreds
 * of MiB takes an instance of its own, so the garbage it leaves (and the memory it grows) never
 * lands in another scenario's timing. (The bindings also break above 2 GiB of memory: their
 * record lowering forgets `>>> 0` on pointers.)
 */
export const ESM_INSTANCES = 3;

let interopBytes: Promise<Uint8Array> | undefined;
let interopOutBytes: Promise<Uint8Array> | undefined;
let byReferenceBytes: Promise<Uint8Array> | undefined;

/** bench.ts compiled by as-interop, as bytes (a browser compiles them itself). */
export function interopBinaryBytes(): Promise<Uint8Array> {
  interopBytes ??= compile({ entry: ENTRY, baseDir: BENCH_DIR, optimize: true, assemblyName: ASSEMBLY_NAME }).then((r) => r.binary);
  return interopBytes;
}

/** calls-out.ts compiled by as-interop, as bytes. */
export function interopOutBinaryBytes(): Promise<Uint8Array> {
  interopOutBytes ??= compile({ entry: OUT_ENTRY, baseDir: BENCH_DIR, optimize: true, assemblyName: "BenchCallsOut" }).then((r) => r.binary);
  return interopOutBytes;
}

/** by-reference.ts compiled by as-interop, as bytes. */
export function byReferenceBinaryBytes(): Promise<Uint8Array> {
  byReferenceBytes ??= compile({ entry: BY_REFERENCE_ENTRY, baseDir: BENCH_DIR, optimize: true, assemblyName: BY_REFERENCE_ASSEMBLY }).then((r) => r.binary);
  return byReferenceBytes;
}

// compile() writes into a fresh (never shared) ArrayBuffer; the casts only tell TypeScript so.
export function interopBinary(): Promise<WebAssembly.Module> {
  interop ??= interopBinaryBytes().then((binary) => WebAssembly.compile(binary as Uint8Array<ArrayBuffer>));
  return interop;
}

export function interopOutBinary(): Promise<WebAssembly.Module> {
  interopOut ??= interopOutBinaryBytes().then((binary) => WebAssembly.compile(binary as Uint8Array<ArrayBuffer>));
  return interopOut;
}

export async function byReferenceBinary(): Promise<WebAssembly.Module> {
  return WebAssembly.compile((await byReferenceBinaryBytes()) as Uint8Array<ArrayBuffer>);
}

/** bench.ts through `asc --bindings raw`: the wasm and the generated JavaScript, as files' contents. */
export async function ascBindings(): Promise<{ binary: Uint8Array; js: string }> {
  const outDir = await mkdtemp(join(tmpdir(), "as-interop-bench-"));
  const outFile = join(outDir, "bench.wasm");
  try {
    const { error, stderr } = await asc.main([ENTRY, "--baseDir", BENCH_DIR, ...OPTIMIZE, "--bindings", "raw", "--outFile", outFile], {});
    if (error) throw new Error(`asc --bindings raw failed: ${error.message}\n${stderr.toString()}`);
    return { binary: await readFile(outFile), js: await readFile(join(outDir, "bench.js"), "utf8") };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Instance `instance` (0 … ESM_INSTANCES − 1) of the esm bindings; each has its own memory. */
export async function esmBindings(instance = 0): Promise<BenchBindings> {
  bindings ??= buildEsmBindings();
  return (await bindings)[instance];
}

async function buildEsmBindings(): Promise<BenchBindings[]> {
  const { binary, js } = await ascBindings();
  const module = await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>);
  // The generated module holds only functions: a data: URL imports it without a file.
  const { instantiate } = (await import(`data:text/javascript;base64,${Buffer.from(js).toString("base64")}`)) as { instantiate: InstantiateBindings };
  const instances: BenchBindings[] = [];
  for (let k = 0; k < ESM_INSTANCES; ++k) instances.push((await instantiate(module, bindingsImports())) as unknown as BenchBindings);
  return instances;
}
