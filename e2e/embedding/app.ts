/**
 * The small app each embedding spec writes into the shared project (project.ts): what a user
 * would write after following the README's "Embed in your Vite project". One assembly,
 * `assembly/Calculator.ts`, which imports `assembly/lib/scale.ts`; a page that loads it through
 * the typed API and shows what three calls and one `DotNet` call return.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { expect as baseExpect, test } from "@playwright/test";
import type { Finished } from "./processes.ts";
import { sharedProject, type Project } from "./project.ts";

// Each step compiles AssemblyScript or runs a tool, which a loaded two-core machine makes slow.
export const expect = baseExpect.configure({ timeout: 30_000 });

/** `vite build` (or any build) succeeded and printed no warning: Rolldown's start with their code, as `[PLUGIN_TIMINGS]`. */
export function expectQuietBuild(build: Finished): void {
  expect(build.code, build.output).toBe(0);
  expect(build.output).not.toMatch(/warn|\(!\)/i);
  expect(build.output).not.toMatch(/\[[A-Z_]+\]/);
}

/**
 * What every embedding spec starts with: its tests run in order, with generous timeouts, around its
 * own copy of the app (`apps/<name>`), which `ready` receives before the first test.
 */
export function embeddingSpec(name: string, ready: (app: App, project: Project) => void | Promise<void>): void {
  test.describe.configure({ mode: "serial", timeout: 120_000 });
  test.beforeAll(async () => {
    test.setTimeout(240_000);
    const project = await sharedProject();
    await ready(await createApp(project, name), project);
  });
}

export interface App {
  readonly dir: string;
  /** A command the packages installed, as `npx <name>` would run it. */
  readonly bin: (name: "vite" | "tsc" | "as-interop" | "vitest" | "asc") => string;
  /** Replaces `from` (which must occur) with `to` in the app's file `path`. */
  edit(path: string, from: string, to: string): Promise<void>;
  write(path: string, text: string): Promise<void>;
  read(path: string): Promise<string>;
}

/** What the page shows once loaded, with the app as written. */
export const FIRST_RESULT = { add: 5, greet: "Hello, Vite!", scaled: [10, 20, 30], dotnet: 42, wasm: true };

/** An assembly whose `Greet` calls `greet` of the ES module `./greeting.js`, loaded by URL (a `@jsImport`). */
export const GREETER = `@jsImport("greet", "./greeting.js")
declare function greet(name: string): string;

@jsInvokable
export function Greet(name: string): string {
  return greet(name);
}
`;

export const FILES: Readonly<Record<string, string>> = {
  "assembly/Calculator.ts": `import { scale } from "./lib/scale";

@jsInvokable
export function Add(a: i32, b: i32): i32 {
  return a + b;
}

@jsInvokable
export function Greet(name: string): string {
  return "Hello, " + name + "!";
}

@jsInvokable("Scaled")
export function ScaledValues(values: i32[]): i32[] {
  const result = new Array<i32>(values.length);
  for (let i = 0; i < values.length; i++) result[i] = scale(values[i]);
  return result;
}

@jsInvokable
export function Total(values: i64[]): i64 {
  let sum: i64 = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}
`,
  "assembly/lib/scale.ts": `export const FACTOR: i32 = 10;

export function scale(value: i32): i32 {
  return value * FACTOR;
}
`,
  "index.html": `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Calculator</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <button id="run" type="button">Run</button>
    <pre id="out"></pre>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`,
  "vite.config.ts": `import { defineConfig } from "vite";
import asInterop from "as-interop/vite";

export default defineConfig({ plugins: [asInterop()] });
`,
  "src/main.ts": `import { DotNet } from "as-interop";
import calculatorUrl, { load, name } from "../assembly/Calculator.ts?assembly";

const api = await load();
const out = document.querySelector<HTMLElement>("#out")!;

async function render(): Promise<void> {
  const result = {
    add: await api.Add(2, 3),
    greet: await api.Greet("Vite"),
    scaled: await api.Scaled([1, 2, 3]),
    dotnet: await DotNet.invokeMethodAsync<number>(name, "Add", 40, 2),
    wasm: calculatorUrl.includes(".wasm"),
  };
  out.textContent = JSON.stringify(result);
}

// The plugin swaps a recompiled assembly in during development; show what the new code returns.
addEventListener("as-interop:reload", () => void render());
document.querySelector("#run")!.addEventListener("click", () => void render());
await render();
document.body.dataset.ready = "yes";
`,
  "tsconfig.json": `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "bundler",
    "lib": ["ES2022", "DOM"],
    "types": ["vite/client", "as-interop/vite/client"],
    "strict": true,
    "noEmit": true,
    "isolatedModules": true
  },
  "include": ["src", "assembly/*.assembly.d.ts"]
}
`,
};

/** Writes the app into `apps/<name>` of the project (afresh: an earlier run's copy is replaced). */
async function createApp(project: Project, name: string): Promise<App> {
  const dir = join(project.dir, "apps", name);
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  };
  const read = (path: string) => readFile(join(dir, path), "utf8");
  await rm(dir, { recursive: true, force: true });
  for (const [path, text] of Object.entries(FILES)) await write(path, text);
  return {
    dir,
    bin: (tool) => join(project.dir, "node_modules", ".bin", tool),
    write,
    read,
    async edit(path, from, to) {
      const text = await read(path);
      if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
      await write(path, text.replace(from, to));
    },
  };
}
