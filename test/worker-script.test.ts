/**
 * The script of a Node worker run from this repository's TypeScript sources (host/worker/spawn-node.ts):
 * an esbuild bundle that should hold the worker's heap to what the package's modules would. Its
 * text stays in the worker's heap for as long as the worker lives, so it is one-byte text (a single
 * character past Latin-1 doubles it), and its source map is a file beside it, without the sources'
 * text (inline, the map stayed in the heap too: nearly 3 MB of a 9 MB worker).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerExecArgv, workerScript } from "../host/worker/spawn-node.ts";
import { compileFixture } from "./helpers.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

describe("the worker's script from the sources", () => {
  it("is a CommonJS script: a worker that runs it does not start Node's ES module loader and its heap", async () => {
    const script = await workerScript();
    expect(script.pathname).toMatch(/\.cjs$/);
    expect(readFileSync(script, "utf8")).not.toMatch(/^(import|export)\b/m);
  });

  it("is ASCII text, with its source map in a file beside it that names the sources without their text", async () => {
    const script = await workerScript();
    const code = readFileSync(script, "utf8");
    expect(code.match(/[^\x00-\x7f]/g) ?? []).toEqual([]);
    const links = [...code.matchAll(/^\/\/# sourceMappingURL=(.*)$/gm)].map((match) => match[1]);
    expect(links).toHaveLength(1);
    expect(links[0]).not.toMatch(/^data:/);
    const mapUrl = new URL(links[0], script);
    const map = JSON.parse(readFileSync(mapUrl, "utf8")) as { sources: string[]; sourcesContent?: unknown };
    expect(map.sourcesContent).toBeUndefined();
    const sources = map.sources.map((source) => fileURLToPath(new URL(source, mapUrl)));
    expect(sources).toContain(fileURLToPath(new URL("../host/worker/server.ts", import.meta.url)));
  });
});

describe("the worker's options", () => {
  it("are the process's, but --input-type, which Node refuses for a worker started from a file", () => {
    expect(workerExecArgv(["--input-type=module", "-e", "code", "--enable-source-maps"])).toEqual(["-e", "code", "--enable-source-maps"]);
    expect(workerExecArgv(["--input-type", "module", "--conditions=development"])).toEqual(["--conditions=development"]);
  });

  it("are inherited as Node passes them when there is nothing to leave out", () => {
    expect(workerExecArgv([])).toBeUndefined();
    expect(workerExecArgv(["--max-old-space-size=4096", "--enable-source-maps"])).toBeUndefined();
  });
});

/**
 * Node refuses a worker whose options, given as a list, hold one of V8's (`--max-old-space-size`,
 * `--expose-gc`): an app started with one, as many servers are, could not load an assembly in a
 * worker. Real processes, since the options are the process's own.
 */
describe("an assembly in a worker, from a process started with V8's options", () => {
  let directory: string;
  let wasm: string;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "as-interop-execargv-"));
    wasm = join(directory, "worker.wasm");
    writeFileSync(wasm, (await compileFixture("worker")).binary);
  }, 120_000);

  afterAll(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const script = () => `
    import { readFileSync } from "node:fs";
    const { InteropRuntime } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "host/runtime/index.ts")).href)});
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(await WebAssembly.compile(readFileSync(${JSON.stringify(wasm)})), { name: "W", worker: true });
    console.log(await runtime.invokeMethodAsync("W", "add", 2, 40));`;
  const run = async (args: string[]) => {
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, timeout: 120_000 });
    return stdout.trim();
  };

  it("loads it from a file, the worker inheriting the options", async () => {
    const file = join(directory, "main.mjs");
    writeFileSync(file, script());
    expect(await run(["--max-old-space-size=4096", "--expose-gc", "--import", "tsx", file])).toBe("42");
  }, 150_000);

  it("loads it from a string (--input-type), the worker given the options Node allows it", async () => {
    expect(await run(["--max-old-space-size=4096", "--expose-gc", "--import", "tsx", "--input-type=module", "-e", script()])).toBe("42");
  }, 150_000);
});
