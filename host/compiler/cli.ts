#!/usr/bin/env node
/**
 * `as-interop compile <entry.ts> [options]`: compile an assembly from the command line.
 * `as-interop types <entry.ts>...`: write the TypeScript types of assemblies, without Vite.
 * Diagnostics print as `file:line:column: error AS…: message` with a code frame.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { declarationFile, writeDeclarations } from "../vite/declarations.ts";
import { UnsupportedCompilerError } from "./compiler-version.ts";
import { CompileError, formatDiagnostic } from "./diagnostics.ts";
import { loadCompiler } from "./load-compiler.ts";
import { toPosix } from "./paths.ts";

const USAGE = `Usage: as-interop compile <entry.ts> [options]
       as-interop types <entry.ts>... [options]

compile: compile an assembly to a .wasm.
  -o, --out <file>        where to write the wasm (default: <entry name>.wasm)
  -n, --name <name>       assembly name (default: the entry's file name)
  -O, --optimize          optimize for speed and size
  -d, --debug             keep names and write a source map next to the wasm
      --manifest <file>   also write the manifest as JSON

types: write <entry>.assembly.d.ts next to each entry, the TypeScript types of its
"?assembly" import (the Vite plugin writes the same files in dev and build).
  -n, --name <name>       assembly name, for a single entry (default: the entry's file name)
      --check             write nothing; fail if a file is missing or out of date (for CI)

  -h, --help              show this help`;

const OPTIONS = {
  out: { type: "string", short: "o" },
  name: { type: "string", short: "n" },
  optimize: { type: "boolean", short: "O" },
  debug: { type: "boolean", short: "d" },
  manifest: { type: "string" },
  check: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
type Values = Parsed["values"];

async function main(argv: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    // Node's own error for a misspelt option (`--optimise`) is a TypeError with its stack: say what was wrong, then how to call.
    if (!(error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS_"))) throw error;
    return misuse(error.message);
  }
  const { values, positionals } = parsed;
  const [command, ...entries] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command !== "compile" && command !== "types") return misuse(command === undefined ? "No command given." : `Unknown command '${command}'.`);
  if (entries.length === 0) return misuse(`No entry file given to ${command}.`);
  if (command === "compile" && entries.length > 1) return misuse(`compile takes one entry file, and was given ${entries.length}: ${entries.join(", ")}.`);
  try {
    return command === "compile" ? await compileCommand(entries[0], values) : await typesCommand(entries, values);
  } catch (error) {
    if (!(error instanceof CompileError || error instanceof UnsupportedCompilerError)) throw error;
    console.error(error.message);
    return 1;
  }
}

/** A command line the CLI cannot run: what was wrong, then the usage, on stderr; exit code 2. */
function misuse(problem: string): number {
  console.error(`as-interop: ${problem}\n\n${USAGE}`);
  return 2;
}

async function compileCommand(entry: string, values: Values): Promise<number> {
  const { compile } = await loadCompiler();
  const result = await compile({
    entry,
    assemblyName: values.name,
    optimize: values.optimize,
    debug: values.debug,
  });
  for (const warning of result.warnings) console.warn(formatDiagnostic(warning));
  const out = values.out ?? entry.replace(/^.*\//, "").replace(/\.ts$/, "") + ".wasm";
  await writeOutput(out, result.binary);
  if (result.sourceMap) await writeOutput(`${out}.map`, result.sourceMap);
  if (values.manifest) await writeOutput(values.manifest, JSON.stringify(result.manifest, null, 2) + "\n");
  const methods = result.manifest.methods.map((m) => m.identifier).join(", ") || "none";
  console.log(`${out}: assembly '${result.manifest.assembly}', ${result.binary.length} bytes, methods: ${methods}`);
  return 0;
}

/** Writes a file, creating its folder first, as `asc -o build/X.wasm` does (`build/` is usually not in git). */
async function writeOutput(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, data);
}

async function typesCommand(entries: string[], values: Values): Promise<number> {
  if (values.name && entries.length > 1) {
    console.error("--name names one assembly: give one entry with it.");
    return 2;
  }
  const { compile } = await loadCompiler();
  let stale = 0;
  for (const given of entries) {
    const entry = toPosix(given);
    // Unoptimized: the types need only the manifest.
    const { manifest, warnings } = await compile({ entry, assemblyName: values.name });
    for (const warning of warnings) console.warn(formatDiagnostic(warning));
    if (values.check) {
      const { path, text, current } = await declarationFile(entry, entry, manifest);
      if (current !== text) {
        console.error(`${path} is ${current === null ? "missing" : "out of date"}: run as-interop types ${entry}`);
        stale++;
      }
    } else {
      const { path, written } = await writeDeclarations(entry, entry, manifest);
      console.log(`${path}: ${written ? "written" : "up to date"} (assembly '${manifest.assembly}', ${manifest.methods.length} methods)`);
    }
  }
  return stale > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
