/**
 * A fresh Vite project that installs as-interop the way a user does: from the tarball `npm pack`
 * makes (which runs `prepack`, building dist/), with vite, assemblyscript, typescript, vitest,
 * @types/node (for type-checking vite.config.ts and Node scripts), jsdom and happy-dom (Vitest's DOM
 * environments) from the registry at the versions of this repository's lockfile. Nothing links back into the repository.
 *
 * Installing takes a while, so one project serves every embedding spec of a test run: the first
 * worker to get here builds it, the others wait for it. Each spec then writes its own app into
 * `apps/<name>/` beside the shared node_modules (see app.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { run } from "./processes.ts";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));

export interface Project {
  readonly dir: string;
  /** The files `npm pack` put in the tarball, as npm lists them. */
  readonly packedFiles: readonly string[];
}

/**
 * The TypeScript examples of the README as the package ships it (its ```ts blocks), for tests that
 * paste them as a user would.
 */
export async function readmeExamples(project: Project): Promise<string[]> {
  const readme = await readFile(join(project.dir, "node_modules", "as-interop", "README.md"), "utf8");
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => code);
}

const PREFIX = "as-interop-embedding-";
const READY = "ready.json";
const FAILED = "failed.txt";

/** The project of this test run (workers are children of one runner process). */
export async function sharedProject(): Promise<Project> {
  removeStaleProjects();
  const dir = join(tmpdir(), `${PREFIX}${process.ppid}`);
  const lock = join(dir, ".lock");
  await mkdir(dir, { recursive: true });
  let builder = false;
  try {
    await mkdir(lock);
    builder = true;
  } catch {
    // Another worker is building it.
  }
  if (builder) {
    try {
      const packedFiles = await scaffold(dir);
      await writeAtomically(join(dir, READY), JSON.stringify({ packedFiles }));
    } catch (error) {
      await writeAtomically(join(dir, FAILED), String(error instanceof Error ? (error.stack ?? error.message) : error));
      throw error;
    }
  }
  for (;;) {
    if (existsSync(join(dir, READY))) {
      const { packedFiles } = JSON.parse(await readFile(join(dir, READY), "utf8")) as { packedFiles: string[] };
      return { dir, packedFiles };
    }
    if (existsSync(join(dir, FAILED))) throw new Error(`Scaffolding the project failed:\n${await readFile(join(dir, FAILED), "utf8")}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Other workers poll for the file: they must never see it half-written. */
async function writeAtomically(path: string, text: string): Promise<void> {
  await writeFile(`${path}.partial`, text);
  await rename(`${path}.partial`, path);
}

async function scaffold(dir: string): Promise<string[]> {
  const pack = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: REPO });
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.output}`);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  // A copy under a fixed name, so the project's package.json can name it.
  await copyFile(join(dir, packed.filename), join(dir, "as-interop.tgz"));

  // jsdom and happy-dom: the DOM environments a Vitest test asks for (`@vitest-environment`).
  const versions = lockedVersions(["vite", "assemblyscript", "typescript", "vitest", "@types/node", "jsdom", "happy-dom"]);
  const packageJson = {
    name: "embedding-app",
    private: true,
    type: "module",
    dependencies: { "as-interop": "file:as-interop.tgz" },
    devDependencies: versions,
  };
  await writeFile(join(dir, "package.json"), JSON.stringify(packageJson, null, 2) + "\n");
  const install = await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: dir });
  if (install.code !== 0) throw new Error(`npm install failed:\n${install.output}`);
  return packed.files.map((file) => file.path);
}

/** The exact versions this repository's lockfile installs, so the project tests what we test. */
function lockedVersions(names: string[]): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  return Object.fromEntries(
    names.map((name) => {
      const version = lock.packages[`node_modules/${name}`]?.version;
      if (!version) throw new Error(`${name} is not in package-lock.json`);
      return [name, version];
    }),
  );
}

/** Projects of earlier runs whose runner has exited; a live run's project is left alone. */
function removeStaleProjects(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number(name.slice(PREFIX.length));
    if (pid === process.ppid || isAlive(pid)) continue;
    void rm(join(tmpdir(), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
