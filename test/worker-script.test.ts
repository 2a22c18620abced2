/**
 * The script of a Node worker run from this repository's TypeScript sources (host/worker/spawn-node.ts):
 * an esbuild bundle that should hold the worker's heap to what the package's modules would. Its
 * text stays in the worker's heap for as long as the worker lives, so it is one-byte text (a single
 * character past Latin-1 doubles it), and its source map is a file beside it, without the sources'
 * text (inline, the map stayed in the heap too: nearly 3 MB of a 9 MB worker).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { workerExecArgv, workerScript } from "../host/worker/spawn-node.ts";

describe("the worker's script from the sources", () => {
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
    expect(workerExecArgv([])).toEqual([]);
  });
});
