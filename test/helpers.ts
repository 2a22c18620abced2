/** Shared helpers for the unit tests: compiling fixtures, virtual sources, finding source positions. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, expect } from "vitest";
import { compile, CompileError, type CompileOptions, type CompileResult, type Diagnostic } from "../host/compiler/compile.ts";
import { concat, customSection, withCustomSection } from "../host/compiler/custom-sections.ts";
import { MANIFEST_SECTION, STACK_POINTER_EXPORT } from "../host/marshal/types.ts";
import { InteropError, MarshalError, type LoadedAssembly } from "../host/runtime/index.ts";

/** The repository root: fixtures compile from here, so their paths read `test/fixtures/<name>.ts`. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface CompiledFixture extends CompileResult {
  readonly module: WebAssembly.Module;
}

/** Compiles `test/fixtures/<name>.ts` from the repository root. */
export async function compileFixture(name: string, options: Partial<CompileOptions> = {}): Promise<CompiledFixture> {
  const result = await compile({ entry: fixturePath(name), baseDir: ROOT, ...options });
  return { ...result, module: await WebAssembly.compile(result.binary as BufferSource) };
}

export function fixturePath(name: string): string {
  return `test/fixtures/${name}.ts`;
}

export function fixtureSource(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}.ts`, import.meta.url), "utf8");
}

/** A `readFile` for compile() that serves in-memory sources (and nothing else, like asconfig.json). */
export function virtualFiles(files: Record<string, string>): NonNullable<CompileOptions["readFile"]> {
  return (path) => (Object.hasOwn(files, path) ? files[path] : null);
}

/** Compiles in-memory sources; `entry` defaults to the first file. */
export function compileVirtual(files: Record<string, string>, options: Partial<CompileOptions> = {}): Promise<CompileResult> {
  return compile({ entry: Object.keys(files)[0], readFile: virtualFiles(files), ...options });
}

/** Compiles sources that must fail, and returns the error diagnostics. */
export async function compileErrors(files: Record<string, string>, options: Partial<CompileOptions> = {}): Promise<Diagnostic[]> {
  try {
    await compileVirtual(files, options);
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    return error.diagnostics.filter((d) => d.category === "error");
  }
  throw new Error("expected the compile to fail, but it succeeded");
}

/** 1-based line and column of the only occurrence of `needle` in `source`. */
export function locate(source: string, needle: string): { line: number; column: number } {
  const at = source.indexOf(needle);
  if (at < 0 || source.indexOf(needle, at + 1) >= 0) {
    throw new Error(`expected exactly one occurrence of ${JSON.stringify(needle)}`);
  }
  const before = source.slice(0, at);
  const lineStart = before.lastIndexOf("\n") + 1;
  return { line: before.split("\n").length, column: at - lineStart + 1 };
}

/** Position of `needle` inside the line that contains `marker` (both must be unique enough). */
export function locateOnLine(source: string, marker: string, needle: string): { line: number; column: number } {
  const { line } = locate(source, marker);
  const text = source.split("\n")[line - 1];
  const column = text.indexOf(needle);
  if (column < 0) throw new Error(`${JSON.stringify(needle)} is not on the line of ${JSON.stringify(marker)}`);
  return { line, column: column + 1 };
}

/** A wasm module holding nothing but custom sections. */
export function moduleWithCustomSections(sections: Record<string, string>): Uint8Array {
  const header = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  const encoder = new TextEncoder();
  return concat([header, ...Object.entries(sections).map(([name, payload]) => customSection(name, encoder.encode(payload)))]);
}

/** `binary` with its 'as-interop' custom section replaced by `manifest` (any other section is kept). */
export function withManifest(binary: Uint8Array, manifest: string): Uint8Array {
  return withCustomSection(binary, MANIFEST_SECTION, new TextEncoder().encode(manifest));
}

/**
 * Returns `install(globals)`, which puts values on globalThis (where JS calls from managed code
 * resolve) for the current test only: they are removed after each test of the calling file.
 */
export function globalInstaller(): (globals: Record<string, unknown>) => void {
  const g = globalThis as Record<string, unknown>;
  const installed = new Set<string>();
  afterEach(() => {
    for (const key of installed) delete g[key];
    installed.clear();
  });
  return (globals) => {
    for (const [key, value] of Object.entries(globals)) {
      g[key] = value;
      installed.add(key);
    }
  };
}

/** What `run` threw; the test fails if it returned. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

/** What `run` threw, which must be an `Error`. */
export function thrownError(run: () => unknown): Error {
  const error = thrown(run);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** What `promise` rejected with, which must be an `Error`; the test fails if it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error("expected a rejection, but it resolved");
}

/** Blazor's message for an id that tracks no object (never one, or disposed). */
export const noTrackedObject = (id: number | string) =>
  `There is no tracked object with id '${id}'. Perhaps the DotNetObjectReference instance was already disposed.`;

/** The InteropError a bad argument gets: naming the method and the argument, caused by a MarshalError. */
export function expectArgumentError(error: unknown, method: string, index: number, name: string, detail?: string | RegExp): void {
  expect(error).toBeInstanceOf(InteropError);
  const message = (error as Error).message;
  expect(message).toContain(`The call to '${method}' failed: argument ${index} ('${name}') could not be converted: `);
  expect((error as Error).cause).toBeInstanceOf(MarshalError);
  if (detail !== undefined) expect(message).toMatch(detail);
}

/** The instance's shadow-stack pointer, which every call must leave where it found it. */
export function stackPointerOf(assembly: LoadedAssembly): WebAssembly.Global {
  return (assembly.instance.exports as Record<string, unknown>)[STACK_POINTER_EXPORT] as WebAssembly.Global;
}
