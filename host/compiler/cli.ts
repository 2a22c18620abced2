#!/usr/bin/env node
/**
 * `as-interop compile <entry.ts> [options]`: compile an assembly from the command line.
 * Diagnostics print as `file:line:column: error AS…: message` with a code frame.
 */
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { compile, CompileError, formatDiagnostic } from "./compile.ts";

const USAGE = `Usage: as-interop compile <entry.ts> [options]

Options:
  -o, --out <file>        where to write the wasm (default: <entry name>.wasm)
  -n, --name <name>       assembly name (default: the entry's file name)
  -O, --optimize          optimize for speed and size
  -d, --debug             keep names and write a source map next to the wasm
      --manifest <file>   also write the manifest as JSON
  -h, --help              show this help`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string", short: "o" },
      name: { type: "string", short: "n" },
      optimize: { type: "boolean", short: "O" },
      debug: { type: "boolean", short: "d" },
      manifest: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, entry] = positionals;
  if (values.help || command !== "compile" || !entry) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    const result = await compile({
      entry,
      assemblyName: values.name,
      optimize: values.optimize,
      debug: values.debug,
    });
    for (const warning of result.warnings) console.warn(formatDiagnostic(warning));
    const out = values.out ?? entry.replace(/^.*\//, "").replace(/\.ts$/, "") + ".wasm";
    await writeFile(out, result.binary);
    if (result.sourceMap) await writeFile(`${out}.map`, result.sourceMap);
    if (values.manifest) await writeFile(values.manifest, JSON.stringify(result.manifest, null, 2) + "\n");
    const methods = result.manifest.methods.map((m) => m.identifier).join(", ") || "none";
    console.log(`${out}: assembly '${result.manifest.assembly}', ${result.binary.length} bytes, methods: ${methods}`);
    return 0;
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    console.error(error.message);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
