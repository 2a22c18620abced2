/**
 * as-interop embedded in a fresh Vite project, installed from its `npm pack` tarball: the package's
 * contents, `vite build`, the built app in Chromium, and the same compile + load in plain Node.
 */
import { readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "@playwright/test";
import { embeddingSpec, expect, expectQuietBuild, FILES, FIRST_RESULT, GREETER, type App } from "./embedding/app.ts";
import { watchConsole } from "./embedding/console.ts";
import { run, startServer } from "./embedding/processes.ts";
import { readmeExamples, type Project } from "./embedding/project.ts";

let project: Project;
let app: App;

embeddingSpec("build", (made, shared) => {
  app = made;
  project = shared;
});

test("the tarball holds the built package, its license and the docs its README links to; every export and the bin are in it", async () => {
  const installed = join(project.dir, "node_modules", "as-interop");
  const manifest = JSON.parse(await readFile(join(installed, "package.json"), "utf8")) as {
    license: string;
    exports: Record<string, string | Record<string, string>>;
    bin: Record<string, string>;
    dependencies?: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const targets = [
    ...Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target))),
    ...Object.values(manifest.bin),
  ].map((target) => target.replace(/^\.\//, ""));
  for (const target of targets) expect(project.packedFiles, `exported ${target}`).toContain(target);
  // Every module the README and the docs tell a user to import is in the exports map (a subpath
  // missing from it does not resolve, in Node, in bundlers, nor in an editor's TypeScript).
  const docs = await Promise.all(["README.md", ...project.packedFiles.filter((file) => file.startsWith("docs/"))].map((file) => readFile(join(installed, file), "utf8")));
  const imported = new Set(docs.flatMap((text) => [...text.matchAll(/["`](as-interop(?:\/[\w./-]+)?)["`]/g)].map(([, specifier]) => specifier)));
  expect([...imported]).toContain("as-interop/assembly/interop");
  for (const specifier of imported) expect(Object.keys(manifest.exports), `the docs import ${specifier}`).toContain(specifier.replace(/^as-interop/, "."));

  // Only the build (no source maps: they would point at TypeScript the package does not ship; the
  // Node worker's one CommonJS script, worker-entry-node.cjs, among it), the managed library, the
  // license and the docs: no sources, tests, demo or its build.
  expect(project.packedFiles).toContain("dist/host/worker/worker-entry-node.cjs");
  const stray = project.packedFiles.filter(
    (file) => !/^dist\/host\/.+\.(c?js|d\.ts)$/.test(file) && !file.startsWith("assembly/interop/"),
  );
  expect(stray.sort()).toEqual([
    "LICENSE",
    "README.md",
    "docs/architecture.md",
    "docs/embedding.md",
    "docs/marshaling.md",
    "docs/reliability.md",
    "package.json",
  ]);
  expect(manifest.license).toBe("MIT");
  expect(await readFile(join(installed, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
  const readme = await readFile(join(installed, "README.md"), "utf8");
  const links = [...readme.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map(([, link]) => link);
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(project.packedFiles, `README links to ${link}`).toContain(link);

  // The compiler is the project's own, one copy: a peer dependency, not a dependency of the package.
  expect(manifest.dependencies ?? {}).toEqual({});
  expect(manifest.peerDependencies).toMatchObject({ assemblyscript: "^0.28.20" });
  await expect(stat(join(installed, "node_modules"))).rejects.toThrow(/ENOENT/);
});

test("vite build emits an optimized, hashed wasm and browser-only code, without a warning", async () => {
  const build = await run(app.bin("vite"), ["build"], { cwd: app.dir });
  expectQuietBuild(build);

  const assets = await readdir(join(app.dir, "dist", "assets"));
  const wasms = assets.filter((file) => file.endsWith(".wasm"));
  expect(wasms).toEqual([expect.stringMatching(/^Calculator-[\w-]{8}\.wasm$/)]);
  const module = await WebAssembly.compile(await readFile(join(app.dir, "dist", "assets", wasms[0])));
  expect(WebAssembly.Module.customSections(module, "as-interop")).toHaveLength(1);
  // A release build: no debug names, no source map reference.
  expect(WebAssembly.Module.customSections(module, "name")).toHaveLength(0);
  expect(WebAssembly.Module.customSections(module, "sourceMappingURL")).toHaveLength(0);

  for (const script of assets.filter((file) => file.endsWith(".js"))) {
    const code = await readFile(join(app.dir, "dist", "assets", script), "utf8");
    expect(code, script).not.toMatch(/node:|assemblyscript|readFile/);
  }

  // The build wrote the assembly's types, the same as the CLI writes.
  const check = await run(app.bin("as-interop"), ["types", "--check", "assembly/Calculator.ts"], { cwd: app.dir });
  expect(check.code, check.output).toBe(0);
});

test("with build.sourcemap, the wasm names its map, which is beside it wherever assetFileNames puts it, and holds the AssemblyScript sources", async () => {
  await app.write(
    "vite.sourcemap.config.ts",
    `import { defineConfig } from "vite";
import asInterop from "as-interop/vite";

export default defineConfig({
  plugins: [asInterop()],
  build: { outDir: "dist-sourcemap", sourcemap: true, rolldownOptions: { output: { assetFileNames: "static/[ext]/[name]-[hash][extname]" } } },
});
`,
  );
  expectQuietBuild(await run(app.bin("vite"), ["build", "--config", "vite.sourcemap.config.ts"], { cwd: app.dir }));
  const folder = join(app.dir, "dist-sourcemap", "static", "wasm");
  const [wasm] = (await readdir(folder)).filter((file) => file.endsWith(".wasm"));
  const [section] = WebAssembly.Module.customSections(await WebAssembly.compile(await readFile(join(folder, wasm))), "sourceMappingURL");
  // A LEB128 length, then the URL: relative to the wasm, as devtools resolve it.
  const mapUrl = new TextDecoder().decode(new Uint8Array(section).subarray(1));
  expect(mapUrl).toMatch(/^Calculator-[\w-]+\.wasm\.map$/);
  const map = JSON.parse(await readFile(join(folder, mapUrl), "utf8")) as { sources: string[]; sourcesContent: string[] };
  expect(map.sources).toEqual(expect.arrayContaining(["assembly/Calculator.ts", "assembly/lib/scale.ts"]));
  expect(map.sourcesContent[map.sources.indexOf("assembly/Calculator.ts")]).toBe(FILES["assembly/Calculator.ts"]);
});

test("an app built for an older build.target (es2019) builds without a warning", async () => {
  // Its own page: es2019 has no top-level await, which the app's main.ts uses.
  await app.write("legacy.html", `<!doctype html><script type="module" src="/src/legacy.ts"></script>\n`);
  await app.write(
    "src/legacy.ts",
    `import { load } from "../assembly/Calculator.ts?assembly";

void load().then((calculator) => console.log(calculator.Add(2, 3)));
`,
  );
  await app.write(
    "vite.es2019.config.ts",
    `import { defineConfig } from "vite";
import asInterop from "as-interop/vite";

export default defineConfig({
  plugins: [asInterop()],
  build: { outDir: "dist-es2019", target: "es2019", rolldownOptions: { input: "legacy.html" } },
});
`,
  );
  expectQuietBuild(await run(app.bin("vite"), ["build", "--config", "vite.es2019.config.ts"], { cwd: app.dir }));
});

test("the built app, served by vite preview, calls the assembly in Chromium", async ({ page }) => {
  const problems = watchConsole(page);
  const server = await startServer(app.bin("vite"), ["preview"], app.dir);
  try {
    await page.goto(server.url);
    await expect(page.locator("body")).toHaveAttribute("data-ready", "yes");
    expect(JSON.parse((await page.locator("#out").textContent()) ?? "")).toEqual(FIRST_RESULT);
  } finally {
    await server.stop();
  }
  expect(problems).toEqual([]);
});

test("Node: the same compile and load work without Vite, and so does the as-interop CLI", async () => {
  // Into folders that do not exist yet, as asc -o creates them.
  const compiled = await run(
    app.bin("as-interop"),
    ["compile", "assembly/Calculator.ts", "-o", "out/wasm/Calculator.wasm", "--manifest", "out/manifests/Calculator.json"],
    { cwd: app.dir },
  );
  expect(compiled.code, compiled.output).toBe(0);
  const written = JSON.parse(await app.read("out/manifests/Calculator.json")) as { assembly: string };
  expect(written.assembly).toBe("Calculator");
  await app.write(
    "node-usage.mjs",
    `import { DotNet, InteropRuntime, loadAssembly } from "as-interop";
import { assemblyApi } from "as-interop/api";
import { compile } from "as-interop/compiler";
import { loadAssemblyFile } from "as-interop/node";

// Compiled in-process, loaded from the bytes into the shared runtime.
const { binary, manifest } = await compile({ entry: "assembly/Calculator.ts" });
await loadAssembly(binary);
const api = assemblyApi("Calculator");

// Compiled by the CLI, loaded from disk into a runtime of its own, under another name.
const runtime = new InteropRuntime();
await loadAssemblyFile("out/wasm/Calculator.wasm", { name: "FromDisk" }, runtime);

console.log(JSON.stringify({
  methods: manifest.methods.map((method) => method.identifier),
  add: await api.Add(2, 3),
  greet: DotNet.invokeMethod("Calculator", "Greet", "Node"),
  fromDisk: runtime.invokeMethod("FromDisk", "Scaled", [1, 2]),
}));
`,
  );
  const node = await run(process.execPath, ["node-usage.mjs"], { cwd: app.dir });
  expect(node.code, node.output).toBe(0);
  expect(JSON.parse(node.stdout)).toEqual({
    methods: ["Add", "Greet", "Scaled", "Total"],
    add: 5,
    greet: "Hello, Node!",
    fromDisk: [10, 20],
  });
});

test("the README's managed examples (an exported HelloHelper class, a ManagedStream) compile without a warning, and its JavaScript calls them", async () => {
  /** Compiles `code` as `assembly/<name>.ts` into `<name>.wasm` with the as-interop CLI: no warning. */
  const compileExample = async (name: string, code: string, flags: string[] = []) => {
    await app.write(`assembly/${name}.ts`, code);
    const compiled = await run(app.bin("as-interop"), ["compile", `assembly/${name}.ts`, ...flags, "-o", `${name}.wasm`], { cwd: app.dir });
    expect(compiled.code, compiled.output).toBe(0);
    expect(compiled.output).not.toMatch(/warning|AS\d+/i);
  };
  /** Runs `script` in Node as `<file>`: what it printed, as JSON. */
  const runScript = async (file: string, script: string): Promise<unknown> => {
    await app.write(file, script);
    const node = await run(process.execPath, [file], { cwd: app.dir });
    expect(node.code, node.output).toBe(0);
    return JSON.parse(node.stdout);
  };

  // Pasted from the README as the package ships it: the quick start and the by-reference example.
  const blocks = await readmeExamples(project);
  const helloHelper = blocks.find((code) => code.includes("export class HelloHelper"));
  const returnArray = blocks.find((code) => code.includes("export function ReturnArrayAsync"));
  expect(helloHelper && returnArray, "the README's HelloHelper and ReturnArrayAsync examples").toBeTruthy();
  await compileExample("BlazorSample", `${helloHelper}\n${returnArray}`, ["-O"]);
  const sample = await runScript(
    "blazor-sample.mjs",
    `import { DotNet } from "as-interop";
import { loadAssemblyFile } from "as-interop/node";

await loadAssemblyFile("BlazorSample.wasm");
const data = await DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync");
data.push(4);
const helper = await DotNet.invokeMethodAsync("BlazorSample", "CreateHelloHelper", "Blazor");
const first = await helper.invokeMethodAsync("SayHello");
helper.Name = "AssemblyScript";
const second = await helper.invokeMethodAsync("SayHello");
helper.dispose();
console.log(JSON.stringify({ data, renamed: await DotNet.invokeMethodAsync("BlazorSample", "DifferentMethodName"), first, second }));
`,
  );
  expect(sample).toEqual({ data: [1, 2, 3, 4], renamed: [1, 2, 3], first: "Hello, Blazor!", second: "Hello, AssemblyScript!" });

  // The stream example: a DotNetObjectReference<ManagedStream> that JavaScript reads as Blazor's DotNetStreamReference.
  const download = blocks.find((code) => code.includes("extends ManagedStream"));
  expect(download, "the README's ManagedStream example").toBeDefined();
  await compileExample("Download", download!);
  const read = await runScript(
    "download.mjs",
    `import { DotNet } from "as-interop";
import { loadAssemblyFile } from "as-interop/node";

await loadAssemblyFile("Download.wasm");
const whole = new Uint8Array(await (await DotNet.invokeMethodAsync("Download", "Download")).arrayBuffer());
let streamed = 0;
for await (const chunk of await (await DotNet.invokeMethodAsync("Download", "Download")).stream()) streamed += chunk.length;
console.log(JSON.stringify({ length: whole.length, last: whole[999], streamed }));
`,
  );
  expect(read).toEqual({ length: 1000, last: 999 & 0xff, streamed: 1000 });
});

test("a @jsImport module loaded by URL: vite build warns while it is outside public/, and from public/ the built app loads it in Chromium", async ({ page }) => {
  test.setTimeout(240_000); // two builds, each an optimizing compile, on a possibly loaded machine
  await app.write("assembly/Greeter.ts", GREETER);
  const greeting = "export function greet(name) { return `Hi, ${name}, from greeting.js`; }\n";
  await app.write(
    "src/main.ts",
    `import { load } from "../assembly/Greeter.ts?assembly";

const greeter = await load();
document.querySelector<HTMLElement>("#out")!.textContent = await greeter.Greet("Vite");
document.body.dataset.ready = "yes";
`,
  );
  // Where the dev server would find it, and the build would not copy it.
  await app.write("greeting.js", greeting);
  const outside = await run(app.bin("vite"), ["build"], { cwd: app.dir });
  expect(outside.code, outside.output).toBe(0);
  expect(outside.output).toContain(
    `assembly/Greeter.ts:1:1: @jsImport("greet", "./greeting.js") loads its module by URL, relative to the page, when the assembly loads; ` +
      "vite build copies only public/ as is, and public/greeting.js does not exist, so the built app will fail to load the assembly. " +
      "Put the module in public/ (or serve it at that URL yourself).",
  );

  await rm(join(app.dir, "greeting.js"));
  await app.write("public/greeting.js", greeting);
  expectQuietBuild(await run(app.bin("vite"), ["build"], { cwd: app.dir }));
  const problems = watchConsole(page);
  const server = await startServer(app.bin("vite"), ["preview"], app.dir);
  try {
    await page.goto(server.url);
    await expect(page.locator("body")).toHaveAttribute("data-ready", "yes");
    await expect(page.locator("#out")).toHaveText("Hi, Vite, from greeting.js");
  } finally {
    await server.stop();
  }
  expect(problems).toEqual([]);
});

test("a library build (build.lib) holds its wasm inline, so that it loads wherever it is imported from", async () => {
  await app.write(
    "vite.lib.config.ts",
    `import { defineConfig } from "vite";
import asInterop from "as-interop/vite";

// as-interop stays the app's (one runtime): a peer dependency of the library.
export default defineConfig({
  plugins: [asInterop()],
  build: { outDir: "dist-lib", lib: { entry: "src/lib.ts", formats: ["es"], fileName: "calculator" }, rolldownOptions: { external: [/^as-interop/] } },
});
`,
  );
  await app.write(
    "src/lib.ts",
    `import { load } from "../assembly/Calculator.ts?assembly";

export async function add(a: number, b: number): Promise<number> {
  return (await load()).Add(a, b);
}
`,
  );
  expectQuietBuild(await run(app.bin("vite"), ["build", "--config", "vite.lib.config.ts"], { cwd: app.dir }));
  // No wasm file: its own build's URL (/Calculator.wasm) would name nothing where an app bundles the library.
  expect((await readdir(join(app.dir, "dist-lib"))).filter((file) => file.endsWith(".wasm"))).toEqual([]);
  const library = join(app.dir, "dist-lib", "calculator.js");
  expect(await readFile(library, "utf8")).toContain(`"data:application/wasm;base64,`);
  const node = await run(process.execPath, ["--input-type=module", "-e", `console.log(await (await import(${JSON.stringify(library)})).add(2, 3))`], {
    cwd: tmpdir(),
  });
  expect(node.code, node.output).toBe(0);
  expect(node.stdout.trim()).toBe("5");
});
