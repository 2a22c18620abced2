/**
 * `compile()`: one AssemblyScript entry file in, one self-describing wasm out.
 *
 * Runs the AssemblyScript compiler in-process with the interop transform and turns its
 * diagnostics into data (file, line, column, code frame) that a CLI, a dev server overlay or the
 * in-browser sandbox can show as they like.
 */
import "./supported-compiler.ts";
import asc from "assemblyscript/asc";
import type { Transform } from "assemblyscript/transform";
import type { Manifest } from "../marshal/types.ts";
import { CompileError, type Diagnostic } from "./diagnostics.ts";
import { toPosix } from "./paths.ts";
import { interopTransform, TRANSFORM_NAME } from "./transform.ts";

export { CompileError, formatDiagnostic, type Diagnostic } from "./diagnostics.ts";

export interface CompileOptions {
  /** The entry file, relative to `baseDir`. */
  entry: string;
  /** Default: the entry file's name without extension (`assembly/BlazorSample.ts` → `BlazorSample`). */
  assemblyName?: string;
  /** Directory the entry and its imports are resolved from. Default: the current directory. */
  baseDir?: string;
  /** Optimize for speed and size (`-O3`). Default: false, which compiles much faster. */
  optimize?: boolean;
  /** Keep names and emit a source map so devtools show AssemblyScript sources. */
  debug?: boolean;
  /** AssemblyScript runtime. Default `incremental` (the garbage-collected one). */
  runtime?: "incremental" | "minimal" | "stub";
  /**
   * Shadow-stack size in bytes. Default 64 KiB: AssemblyScript's 16 KiB runs out decoding values
   * nested a few hundred levels deep (linked structures under `preserveReferences`), while with
   * much more, deep managed recursion overflows the engine's own stack first, which is a trap
   * that poisons the instance instead of AssemblyScript's clean "stack overflow" abort.
   */
  stackSize?: number;
  /** Memory limits in 64 KiB pages. */
  initialMemory?: number;
  maximumMemory?: number;
  /** More transforms to run after the interop transform. */
  transforms?: TransformClass[];
  /** Any other `asc` command-line flags. */
  ascFlags?: string[];
  /** Reads a source file; return null when it does not exist. Default: the file system (Node). */
  readFile?: (path: string, baseDir: string) => string | null | Promise<string | null>;
}

/**
 * A transform as `asc --transform` takes one: a class extending AssemblyScript's `Transform` (from
 * "assemblyscript/transform"), which asc instantiates itself. Typed without AssemblyScript's
 * declarations on purpose: this type is part of the declarations of `as-interop/compiler` and
 * `as-interop/vite`, and AssemblyScript's would come with it into every project that type-checks
 * its vite.config.ts, declaring globals (`i32`, `bool`, `console`, …) that clash with the DOM's and
 * Node's: thousands of errors without `skipLibCheck`.
 */
export type TransformClass = new () => object;

export interface CompileResult {
  binary: Uint8Array;
  manifest: Manifest;
  /** Source map JSON when `debug` is set. */
  sourceMap: string | null;
  warnings: Diagnostic[];
  /** Every user source file the compile read, relative to `baseDir`: what a watcher should watch. */
  files: string[];
}

/** Indexed by AssemblyScript's DiagnosticCategory: Pedantic, Info, Warning, Error. */
const CATEGORIES = ["info", "info", "warning", "error"] as const;
const DEFAULT_STACK_SIZE = 64 << 10;
const OUR_LABEL = `Transform '${TRANSFORM_NAME}': `;
/**
 * asc's AS235, "Only variables, functions and enums become WebAssembly module exports", about a
 * class the entry exports. Of a class with `@jsInvokable`, `@scriptableMember` or `@dataMember`
 * members (the README's `export class HelloHelper`) it is not true: JavaScript reaches it through
 * the transform's exports. Those are dropped; the warning stays for any other class.
 */
const CLASS_NOT_EXPORTED = 235;

export async function compile(options: CompileOptions): Promise<CompileResult> {
  const baseDir = options.baseDir ?? ".";
  const readSource = options.readFile ?? readFromDisk;
  const texts = new Map<string, string>();
  const written = new Map<string, Uint8Array | string>();
  const diagnostics: Diagnostic[] = [];
  let manifest: Manifest | null = null;
  /** `path:offset` of the name of each class JavaScript reaches through the transform. */
  let interopClassNames = new Set<string>();

  const outFile = "out.wasm";
  const flags = [
    options.entry,
    "--baseDir", baseDir,
    "--outFile", outFile,
    "--runtime", options.runtime ?? "incremental",
    "--exportRuntime",
    ...(options.optimize ? ["-O3"] : []),
    ...(options.debug ? ["--debug", "--sourceMap"] : []),
    "--stackSize", String(options.stackSize ?? DEFAULT_STACK_SIZE),
    ...(options.initialMemory ? ["--initialMemory", String(options.initialMemory)] : []),
    ...(options.maximumMemory ? ["--maximumMemory", String(options.maximumMemory)] : []),
    ...(options.ascFlags ?? []),
  ];

  const result = await asc.main(flags, {
    // asc instantiates transform classes itself (giving them the compiler's context); its typings
    // only admit instances, hence the cast.
    transforms: [
      interopTransform({
        assemblyName: options.assemblyName,
        onManifest: (m) => (manifest = m),
        onInteropClasses: (classes) => {
          interopClassNames = new Set([...classes].map(({ name }) => `${name.range.source.normalizedPath}:${name.range.start}`));
        },
      }),
      ...(options.transforms ?? []),
    ] as unknown as Transform[],
    readFile: async (path: string, dir: string) => {
      const text = (await readSource(path, dir)) ?? (await readOwnLibrary(path));
      if (text !== null) {
        texts.set(path, text);
        // Diagnostics name a package's file as `~lib/<package>/<path>`, after the last
        // node_modules of the path asc tried (which may hold several, see readOwnLibrary).
        const packageFile = /(?:^|\/)node_modules\/((?:(?!\/node_modules\/).)+)$/.exec(toPosix(path));
        if (packageFile) texts.set(`~lib/${packageFile[1]}`, text);
      }
      return text;
    },
    writeFile: (path: string, contents: Uint8Array | string) => {
      written.set(path, contents);
    },
    listFiles: () => [],
    reportDiagnostic: (d) => {
      const at = d.range?.source ? `${d.range.source.normalizedPath}:${d.range.start}` : "";
      if (d.code === CLASS_NOT_EXPORTED && interopClassNames.has(at)) return;
      diagnostics.push(toDiagnostic(d, (path) => texts.get(path) ?? asc.libraryFiles[libraryKey(path)]));
    },
  });

  const binary = written.get(outFile);
  if (result.error || !(binary instanceof Uint8Array) || !manifest) {
    if (!diagnostics.some((d) => d.category === "error")) {
      // No diagnostic explains it: the compiler or a transform crashed. Keep its stack as the cause.
      diagnostics.push({ category: "error", code: 0, message: result.error?.message ?? result.stderr.toString() });
    }
    throw new CompileError(diagnostics, { cause: result.error });
  }
  const sourceMap = written.get(`${outFile}.map`);
  return {
    binary,
    manifest,
    sourceMap: typeof sourceMap === "string" ? sourceMap : null,
    warnings: diagnostics.filter((d) => d.category !== "error"),
    files: [...texts.keys()].filter((path) => !path.startsWith("~lib/") && !path.includes("node_modules")),
  };
}

type AscDiagnostic = Parameters<NonNullable<asc.APIOptions["reportDiagnostic"]>>[0];

function toDiagnostic(d: AscDiagnostic, textOf: (path: string) => string | undefined): Diagnostic {
  const diagnostic: Diagnostic = {
    category: CATEGORIES[d.category] ?? "error",
    code: d.code,
    // Our own diagnostics need no "Transform 'as-interop':" label once they are data.
    message: d.message.startsWith(OUR_LABEL) ? d.message.slice(OUR_LABEL.length) : d.message,
  };
  const range = d.range;
  if (!range?.source) return diagnostic;
  diagnostic.file = range.source.normalizedPath;
  const text = textOf(range.source.normalizedPath);
  if (text === undefined) return diagnostic;

  const before = text.slice(0, range.start);
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = text.indexOf("\n", range.start);
  const lineText = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, "");
  diagnostic.line = before.split("\n").length;
  diagnostic.column = range.start - lineStart + 1;
  const width = Math.max(1, Math.min(range.end, lineStart + lineText.length) - range.start);
  const gutter = String(diagnostic.line);
  diagnostic.frame =
    `  ${gutter} | ${lineText}\n` + `  ${" ".repeat(gutter.length)} | ${" ".repeat(range.start - lineStart)}${"^".repeat(width)}`;
  return diagnostic;
}

function libraryKey(path: string): string {
  return path.replace(/^~lib\//, "").replace(/\.ts$/, "");
}

/** `…/node_modules/as-interop/assembly/…` as AssemblyScript looks for the managed library. */
const LIBRARY_REQUEST = /(?:^|[\\/])node_modules[\\/]as-interop[\\/](assembly[\\/].+)$/;

/**
 * Generated code imports the managed library as the package `as-interop`. A project that installed
 * the package has it in node_modules; otherwise (this repository, a linked checkout) this serves
 * the library that ships with this very module.
 */
async function readOwnLibrary(path: string): Promise<string | null> {
  const match = LIBRARY_REQUEST.exec(path);
  if (!match) return null;
  // Two levels up from host/compiler/ in the sources, three from dist/host/compiler/ when built.
  for (const root of ["../../", "../../../"]) {
    const url = new URL(root + match[1].replaceAll("\\", "/"), import.meta.url);
    if (url.protocol !== "file:") return null;
    const text = await readFromDisk(decodeURIComponent(url.pathname), "/");
    if (text !== null) return text;
  }
  return null;
}

async function readFromDisk(path: string, baseDir: string): Promise<string | null> {
  // Imported lazily and by a computed name so bundles for the browser never pull in `node:` modules.
  const fsModule = "node:fs/promises";
  const pathModule = "node:path";
  const [{ readFile }, { resolve }] = await Promise.all([
    import(/* @vite-ignore */ fsModule) as Promise<typeof import("node:fs/promises")>,
    import(/* @vite-ignore */ pathModule) as Promise<typeof import("node:path")>,
  ]);
  try {
    return await readFile(resolve(baseDir, path), "utf8");
  } catch {
    return null;
  }
}
