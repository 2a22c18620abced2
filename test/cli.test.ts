/**
 * The `as-interop` command line, run as a user runs it (a process of its own, from the sources through
 * tsx): a command line it cannot run says what was wrong before the usage, rather than Node's stack.
 * Compiling through it is tested on the packed package (e2e/embedding-node.spec.ts, embedding-types).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", "host/compiler/cli.ts", ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

describe("the CLI's misuse", () => {
  it.each([
    [["compile", "assembly/demo/BlazorSample.ts", "--optimise"], "as-interop: Unknown option '--optimise'."],
    [["compile", "assembly/demo/BlazorSample.ts", "-o"], "as-interop: Option '-o, --out <value>' argument missing"],
    [["build", "assembly/demo/BlazorSample.ts"], "as-interop: Unknown command 'build'."],
    [[], "as-interop: No command given."],
    [["types"], "as-interop: No entry file given to types."],
    [["compile", "a.ts", "b.ts"], "as-interop: compile takes one entry file, and was given 2: a.ts, b.ts."],
  ])("%j says what was wrong, then how to call it, with exit code 2", async (args, problem) => {
    const { code, stdout, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.startsWith(problem)).toBe(true);
    expect(stderr).toContain("Usage: as-interop compile <entry.ts> [options]");
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("--help prints the usage alone, with exit code 0", async () => {
    const { code, stdout, stderr } = await cli("--help");
    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout.startsWith("Usage: as-interop compile <entry.ts> [options]")).toBe(true);
  });
});
