/** Child processes for the embedding tests: commands that run to the end, and servers we stop. */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** Plain output (no colors) that assertions can read. */
const ENV = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", CI: "1" };

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
}

export function run(command: string, args: string[], options: { cwd: string }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, output }));
  });
}

export interface Server {
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `command <args>` on a free port of 127.0.0.1 and resolves once it answers. */
export async function startServer(command: string, args: string[], cwd: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(command, [...args, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd,
    env: ENV,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that stopping it also stops whatever it started.
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk));
  const url = `http://127.0.0.1:${port}/`;
  const server: Server = { url, output: () => output, stop: () => stop(child) };
  try {
    await waitUntilAnswering(url, child, () => output);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`The server did not answer at ${url} within 30 s:\n${output()}`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.on("exit", () => resolve());
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
