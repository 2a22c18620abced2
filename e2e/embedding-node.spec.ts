/**
 * as-interop where the code runs in Node, in a fresh project that installed it from its tarball:
 * a Vitest test importing `?assembly`, server-side rendering in dev (`ssrLoadModule`) and from a
 * `vite build --ssr` bundle, plain `asc --transform as-interop/transform`, and what the compiler
 * says about a misuse inside the library's code and about a missing or unsupported AssemblyScript.
 */
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "@playwright/test";
import { embeddingSpec, expect, expectQuietBuild, GREETER, type App } from "./embedding/app.ts";
import { run } from "./embedding/processes.ts";
import type { Project } from "./embedding/project.ts";

let project: Project;
let app: App;

embeddingSpec("node", async (made, shared) => {
  app = made;
  project = shared;
  await app.write("src/render.ts", RENDER);
});

/** A server-side render: what a page would show, as HTML. */
const RENDER = `import { DotNet } from "as-interop";
import calculatorUrl, { load, name } from "../assembly/Calculator.ts?assembly";

export async function render(): Promise<string> {
  const calculator = await load();
  const result = {
    add: await calculator.Add(2, 3),
    greet: await calculator.Greet("server"),
    scaled: await calculator.Scaled([1, 2, 3]),
    dotnet: await DotNet.invokeMethodAsync<number>(name, "Add", 40, 2),
    url: calculatorUrl.slice(0, calculatorUrl.indexOf(":")),
  };
  return \`<pre id="out">\${JSON.stringify(result)}</pre>\`;
}
`;

const RENDERED = { add: 5, greet: "Hello, server!", scaled: [10, 20, 30], dotnet: 42 };

function rendered(output: string): unknown {
  const json = /<pre id="out">(.*)<\/pre>/.exec(output)?.[1];
  if (!json) throw new Error(`no render in:\n${output}`);
  return JSON.parse(json);
}

test("Vitest: a test that imports ?assembly loads and calls the assembly", async () => {
  await app.write(
    "test/calculator.test.ts",
    `import { expect, test } from "vitest";
import { DotNet } from "as-interop";
import calculatorUrl, { load, name } from "../assembly/Calculator.ts?assembly";

test("the calculator adds, greets and scales", async () => {
  const calculator = await load();
  expect(await calculator.Add(2, 3)).toBe(5);
  expect(await calculator.Greet("Vitest")).toBe("Hello, Vitest!");
  expect(await calculator.Scaled(Int32Array.of(1, 2))).toEqual([10, 20]);
  expect(DotNet.invokeMethod(name, "Add", 40, 2)).toBe(42);
  // Inlined: Node cannot fetch the dev server's root-relative URL.
  expect(calculatorUrl).toMatch(/^data:application\\/wasm;base64,/);
});
`,
  );
  const vitest = await run(app.bin("vitest"), ["run"], { cwd: app.dir });
  expect(vitest.code, vitest.output).toBe(0);
  expect(vitest.output).toMatch(/Tests\s+1 passed/);
});

test("Vitest: an @jsImport module in public/ is found as the page finds it, with or without a document", async () => {
  await app.write("public/greeting.js", "export function greet(name) { return `Hello from public/, ${name}!`; }\n");
  await app.write("assembly/Greeter.ts", GREETER);
  await app.write(
    "test/greeter.test.ts",
    `import { expect, test } from "vitest";
import { load } from "../assembly/Greeter.ts?assembly";

test("the greeter greets through public/greeting.js", async () => {
  const greeter = await load();
  expect(await greeter.Greet("Vitest")).toBe("Hello from public/, Vitest!");
});

test("and so it does where a DOM environment gives a document (jsdom's base URL is its page's)", async () => {
  Object.assign(globalThis, { document: { baseURI: "http://localhost:3000/" } });
  const greeter = await load({ name: "GreeterInDom" });
  expect(await greeter.Greet("jsdom")).toBe("Hello from public/, jsdom!");
});
`,
  );
  const vitest = await run(app.bin("vitest"), ["run", "test/greeter"], { cwd: app.dir });
  expect(vitest.code, vitest.output).toBe(0);
  expect(vitest.output).toMatch(/Tests\s+2 passed/);
});

test("Vitest in a DOM environment (jsdom, happy-dom): an assembly loads, calls the page's JS and a module in public/, reads a Blob and streams back, here and in a worker", async () => {
  // happy-dom puts its own fetch and Response in place of Node's, whose compileStreaming refused them.
  await app.write("public/greeting.js", "export function greet(name) { return `Hello from public/, ${name}!`; }\n");
  await app.write(
    "assembly/Page.ts",
    `import { DotNetObjectReference, JSRuntime, JSStreamReference, ManagedStream, MemoryStream, StreamSink, Task } from "as-interop/assembly/interop";

@jsImport("greet", "./greeting.js")
declare function greet(name: string): string;

@jsInvokable
export function Greet(name: string): string {
  return greet(name);
}

@jsInvokable
export function Title(): string {
  return JSRuntime.invoke<string>("getTitle");
}

class Discard extends StreamSink {
  write(chunk: Uint8Array): void {}
}

/** The bytes copied from the stream. */
@jsInvokable
export function Copied(stream: JSStreamReference): Task<i64> {
  return stream.openReadStream().copyTo(new Discard());
}

@jsInvokable
export function Bytes(): DotNetObjectReference<ManagedStream> {
  return DotNetObjectReference.create<ManagedStream>(new MemoryStream(Uint8Array.wrap(String.UTF8.encode("managed bytes"))));
}
`,
  );
  const domTest = (environment: string) => `// @vitest-environment ${environment}
import { expect, test } from "vitest";
import { DotNet } from "as-interop";
import { load } from "../assembly/Page.ts?assembly";

test("${environment}", async () => {
  document.title = "The ${environment} page";
  Object.assign(window, { getTitle: () => document.title });
  const page = await load();
  expect(await page.Title()).toBe("The ${environment} page");
  expect(await page.Greet("${environment}")).toBe("Hello from public/, ${environment}!");
  expect(await page.Copied(DotNet.createJSStreamReference(new Blob([new Uint8Array(70_000)])))).toBe(70_000);
  expect(await new Response(await (await page.Bytes()).stream()).text()).toBe("managed bytes");

  const inWorker = await load({ name: "PageInWorker", worker: { expose: { getTitle: () => "from the page" } } });
  expect(await inWorker.Greet("a worker")).toBe("Hello from public/, a worker!");
  expect(await inWorker.Copied(DotNet.createJSStreamReference(new Uint8Array(5)))).toBe(5);
});
`;
  await app.write("test/dom-jsdom.test.ts", domTest("jsdom"));
  await app.write("test/dom-happy-dom.test.ts", domTest("happy-dom"));
  const vitest = await run(app.bin("vitest"), ["run", "test/dom-"], { cwd: app.dir });
  expect(vitest.code, vitest.output).toBe(0);
  expect(vitest.output).toMatch(/Tests\s+2 passed/);
});

test("SSR in dev: ssrLoadModule renders with the assembly, and with the new code once a file it imports is edited", async () => {
  const scale = await app.read("assembly/lib/scale.ts");
  await app.write(
    "ssr-dev.mjs",
    `import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "vite";

const server = await createServer({ server: { middlewareMode: true }, appType: "custom" });
const render = async () => (await server.ssrLoadModule("/src/render.ts")).render();
try {
  const first = await render();
  console.log(first);
  // An edit while the server runs: the next requests render with the recompiled assembly.
  await writeFile("assembly/lib/scale.ts", (await readFile("assembly/lib/scale.ts", "utf8")).replace("FACTOR: i32 = 10", "FACTOR: i32 = 7"));
  const deadline = Date.now() + 60_000;
  let next = first;
  while (next === first && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    next = await render();
  }
  console.log(next);
} finally {
  await server.close();
}
`,
  );
  try {
    const ssr = await run(process.execPath, ["ssr-dev.mjs"], { cwd: app.dir });
    expect(ssr.code, ssr.output).toBe(0);
    // Vite logs its update between the two.
    const [before, after] = ssr.stdout.split("\n").filter((line) => line.startsWith("<pre"));
    expect(rendered(before)).toEqual({ ...RENDERED, url: "data" });
    expect(rendered(after)).toEqual({ ...RENDERED, scaled: [7, 14, 21], url: "data" });
  } finally {
    await app.write("assembly/lib/scale.ts", scale);
  }
});

test("SSR build: vite build --ssr emits the wasm next to the server bundle, which renders from anywhere", async () => {
  const build = await run(app.bin("vite"), ["build", "--ssr", "src/render.ts", "--outDir", "dist/server"], { cwd: app.dir });
  expectQuietBuild(build);
  const assets = await readdir(join(app.dir, "dist", "server", "assets"));
  expect(assets).toEqual([expect.stringMatching(/^Calculator-[\w-]{8}\.wasm$/)]);

  // Run from another directory: the bundle finds its wasm by its own location.
  const bundle = join(app.dir, "dist", "server", "render.js");
  const node = await run(process.execPath, ["--input-type=module", "-e", `console.log(await (await import(${JSON.stringify(bundle)})).render())`], {
    cwd: tmpdir(),
  });
  expect(node.code, node.output).toBe(0);
  expect(rendered(node.stdout)).toEqual({ ...RENDERED, url: "file" });
});

test("SSR build: an @jsImport module in public/ is found in the bundle's copy of public/, wherever the server is started from", async () => {
  // The Vitest test above wrote public/greeting.js and assembly/Greeter.ts. Imported on demand, the
  // assembly's module is a chunk of its own, which may sit in a folder below the bundle's.
  await app.write("public/greeting.js", "export function greet(name) { return `Hello from public/, ${name}!`; }\n");
  await app.write("assembly/Greeter.ts", GREETER);
  await app.write(
    "src/greet.ts",
    `export async function greet(name: string): Promise<string> {
  const { load } = await import("../assembly/Greeter.ts?assembly");
  return (await load()).Greet(name);
}
`,
  );
  expectQuietBuild(await run(app.bin("vite"), ["build", "--ssr", "src/greet.ts", "--outDir", "dist/greet"], { cwd: app.dir }));
  expect(await readFile(join(app.dir, "dist", "greet", "greeting.js"), "utf8")).toContain("Hello from public/");
  const bundle = join(app.dir, "dist", "greet", "greet.js");
  const greet = `console.log(await (await import(${JSON.stringify(bundle)})).greet("server"))`;
  // From the project (\`node dist/greet/greet.js\`, as a server is usually started), and from elsewhere.
  for (const cwd of [app.dir, tmpdir()]) {
    const node = await run(process.execPath, ["--input-type=module", "-e", greet], { cwd });
    expect(node.code, node.output).toBe(0);
    expect(node.stdout.trim(), cwd).toBe("Hello from public/, server!");
  }
});

test("SSR build bundling as-interop (ssr.noExternal): an assembly loads on the server's thread, and one with { worker } fails saying to keep as-interop external", async () => {
  await app.write(
    "vite.bundled.config.ts",
    `import { defineConfig } from "vite";
import asInterop from "as-interop/vite";

export default defineConfig({ plugins: [asInterop()], ssr: { noExternal: true } });
`,
  );
  await app.write(
    "src/render-in-worker.ts",
    `import { InteropRuntime } from "as-interop";
import { load } from "../assembly/Calculator.ts?assembly";

export async function render(): Promise<string> {
  const here = await (await load()).Add(2, 3);
  const worker = await load({ runtime: new InteropRuntime(), worker: true }).then(
    (calculator) => calculator.Add(2, 3),
    (error: Error) => error.message,
  );
  return JSON.stringify({ here, worker });
}
`,
  );
  const build = await run(app.bin("vite"), ["build", "--config", "vite.bundled.config.ts", "--ssr", "src/render-in-worker.ts", "--outDir", "dist/bundled"], {
    cwd: app.dir,
  });
  expectQuietBuild(build);
  const bundle = join(app.dir, "dist", "bundled", "render-in-worker.js");
  const node = await run(process.execPath, ["--input-type=module", "-e", `console.log(await (await import(${JSON.stringify(bundle)})).render())`], {
    cwd: tmpdir(),
  });
  expect(node.code, node.output).toBe(0);
  const { here, worker } = JSON.parse(node.stdout) as { here: number; worker: string };
  expect(here).toBe(5);
  expect(worker).toBe(
    `as-interop cannot start a worker here: it looks for its Node worker code at ${pathToFileURL(join(app.dir, "dist", "bundled", "spawn-node.js")).href}, ` +
      "which is not there. as-interop's code was bundled into this module (a server bundle built with ssr.noExternal?), and its worker " +
      `files stay in the package. Keep it out of the bundle: ssr: { external: ["as-interop"] } in vite.config.ts.`,
  );

  // As the message says: everything else bundled, as-interop external, and the worker starts.
  await app.edit("vite.bundled.config.ts", "ssr: { noExternal: true }", `ssr: { noExternal: true, external: ["as-interop"] }`);
  expectQuietBuild(await run(app.bin("vite"), ["build", "--config", "vite.bundled.config.ts", "--ssr", "src/render-in-worker.ts", "--outDir", "dist/bundled"], { cwd: app.dir }));
  const external = await run(process.execPath, ["--input-type=module", "-e", `console.log(await (await import(${JSON.stringify(bundle)})).render())`], {
    cwd: tmpdir(),
  });
  expect(external.code, external.output).toBe(0);
  expect(JSON.parse(external.stdout)).toEqual({ here: 5, worker: 5 });
});

test("plain asc --transform as-interop/transform builds a wasm that loadAssemblyFile loads, callbacks typed void included", async () => {
  await app.write(
    "assembly/Notifier.ts",
    `import { JSArgs, JSObject } from "as-interop/assembly/interop";

@jsInvokable
export function Notify(callback: JSObject, value: i32): void {
  callback.invokeSelf<void>(JSArgs.of(value * 2));
}
`,
  );
  for (const entry of ["Calculator", "Notifier"]) {
    const asc = await run(app.bin("asc"), [`assembly/${entry}.ts`, "--transform", "as-interop/transform", "-O", "-o", `build/${entry}.wasm`], {
      cwd: app.dir,
    });
    expect(asc.code, asc.output).toBe(0);
  }
  await app.write(
    "plain-asc.mjs",
    `import { DotNet } from "as-interop";
import { loadAssemblyFile } from "as-interop/node";

await loadAssemblyFile("build/Calculator.wasm");
await loadAssemblyFile("build/Notifier.wasm");
const notified = [];
DotNet.invokeMethod("Notifier", "Notify", (value) => notified.push(value), 21);
console.log(JSON.stringify({ add: DotNet.invokeMethod("Calculator", "Add", 2, 3), scaled: DotNet.invokeMethod("Calculator", "Scaled", [4]), notified }));
`,
  );
  const node = await run(process.execPath, ["plain-asc.mjs"], { cwd: app.dir });
  expect(node.code, node.output).toBe(0);
  expect(JSON.parse(node.stdout)).toEqual({ add: 5, scaled: [40], notified: [42] });
});

test("a Node script loads an assembly into a worker thread from the package's one-script worker, and exits when done", async () => {
  // The package's worker script is one bundled CommonJS script: it requires only Node's own modules.
  const script = await readFile(join(project.dir, "node_modules", "as-interop", "dist", "host", "worker", "worker-entry-node.cjs"), "utf8");
  expect(script).toContain("parentPort");
  expect(script).not.toMatch(/^(import|export)\b/m);
  expect([...script.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]).filter((specifier) => !specifier.startsWith("node:"))).toEqual([]);

  const asc = await run(app.bin("asc"), ["assembly/Calculator.ts", "--transform", "as-interop/transform", "-O", "-o", "build/WorkerCalculator.wasm"], {
    cwd: app.dir,
  });
  expect(asc.code, asc.output).toBe(0);
  await app.write(
    "worker-thread.mjs",
    `import { isMainThread } from "node:worker_threads";
import { DotNet } from "as-interop";
import { loadAssemblyFile } from "as-interop/node";

await loadAssemblyFile("build/WorkerCalculator.wasm", { worker: true });
const sum = await DotNet.invokeMethodAsync("Calculator", "Add", 40, 2);
const scaled = await DotNet.invokeMethodAsync("Calculator", "Scaled", [1, 2]);
let sync;
try {
  DotNet.invokeMethod("Calculator", "Add", 1, 1);
} catch (error) {
  sync = error.message;
}
// No exit call: a worker that waits for nothing does not keep the process alive.
console.log(JSON.stringify({ isMainThread, sum, scaled, sync }));
`,
  );
  const node = await run(process.execPath, ["worker-thread.mjs"], { cwd: app.dir });
  expect(node.code, node.output).toBe(0);
  const result = JSON.parse(node.stdout) as { isMainThread: boolean; sum: number; scaled: number[]; sync: string };
  expect(result).toMatchObject({ isMainThread: true, sum: 42, scaled: [10, 20] });
  expect(result.sync).toMatch(/^The current dispatcher does not support synchronous calls from JS to \.NET\. Use .*invokeMethodAsync/);

  // The same script given as a string (node --input-type=module -e): a worker does not inherit --input-type, which Node refuses for it.
  const evaluated = await run(process.execPath, ["--input-type=module", "-e", await app.read("worker-thread.mjs")], { cwd: app.dir });
  expect(evaluated.code, evaluated.output).toBe(0);
  expect(JSON.parse(evaluated.stdout)).toEqual(result);

  // A server started with V8's options, which Node refuses in a worker's list of options.
  for (const args of [["--max-old-space-size=4096", "worker-thread.mjs"], ["--max-old-space-size=4096", "--input-type=module", "-e", await app.read("worker-thread.mjs")]]) {
    const withV8Options = await run(process.execPath, args, { cwd: app.dir });
    expect(withV8Options.code, withV8Options.output).toBe(0);
    expect(JSON.parse(withV8Options.stdout)).toEqual(result);
  }

  // Node's permission model without --allow-worker: an error that says what to do, and the runtime
  // still loads the assembly in-thread.
  await app.write(
    "worker-denied.mjs",
    `import { DotNet } from "as-interop";
import { loadAssemblyFile } from "as-interop/node";

try {
  await loadAssemblyFile("build/WorkerCalculator.wasm", { worker: true });
} catch (error) {
  console.log(\`\${error.name}: \${error.message}\`);
}
await loadAssemblyFile("build/WorkerCalculator.wasm");
console.log(DotNet.invokeMethod("Calculator", "Add", 40, 2));
`,
  );
  const denied = await run(process.execPath, ["--experimental-permission", "--allow-fs-read=*", "worker-denied.mjs"], { cwd: app.dir });
  expect(denied.code, denied.output).toBe(0);
  expect(denied.stdout.trim().split("\n")).toEqual([
    "InteropError: Node's permission model denies this process worker threads, in which { worker: true } runs the assembly: " +
      "start Node with --allow-worker, or load the assembly without { worker: true }.",
    "42",
  ]);
});

test("CommonJS: require() reaches the runtime's entries, and the compiler, which is ES modules only, is import()ed as Node's error says", async () => {
  await app.write(
    "commonjs.cjs",
    `const { DotNet, loadAssembly } = require("as-interop");
const { loadAssemblyFile } = require("as-interop/node");
const { assemblyApi } = require("as-interop/api");
const asInterop = require("as-interop/vite").default;

let required;
try {
  require("as-interop/compiler");
} catch (error) {
  required = error.message.split("\\n")[0];
}
(async () => {
  const { compile } = await import("as-interop/compiler");
  await loadAssembly((await compile({ entry: "assembly/Calculator.ts" })).binary);
  console.log(JSON.stringify({
    add: await assemblyApi("Calculator").Add(2, 3),
    sync: DotNet.invokeMethod("Calculator", "Add", 40, 2),
    loadAssemblyFile: typeof loadAssemblyFile,
    plugin: asInterop().name,
    required,
  }));
})();
`,
  );
  const node = await run(process.execPath, ["commonjs.cjs"], { cwd: app.dir });
  expect(node.code, node.output).toBe(0);
  expect(JSON.parse(node.stdout)).toEqual({
    add: 5,
    sync: 42,
    loadAssemblyFile: "function",
    plugin: "as-interop",
    // AssemblyScript's compiler, which it loads, awaits at its top level.
    required: expect.stringMatching(/^require\(\) cannot be used on an ESM graph with top-level await\. Use import\(\) instead\./),
  });
});

test("the CLI reports an error inside the library's code at the user's call", async () => {
  const source = `import { JSRuntime } from "as-interop/assembly/interop";

@jsInvokable
export function Ask(): void {
  JSRuntime.tryInvoke<void>("question");
}
`;
  await app.write("assembly/Misuse.ts", source);
  const compile = await run(app.bin("as-interop"), ["compile", "assembly/Misuse.ts", "-o", "build/Misuse.wasm"], { cwd: app.dir });
  expect(compile.code).toBe(1);
  expect(compile.output).toContain(`assembly/Misuse.ts:5:3: error`);
  expect(compile.output).toMatch(/\(at ~lib\/as-interop\/assembly\/interop\/js\/runtime\.ts:\d+:\d+, in as-interop's library code compiled for this call\)/);
  expect(compile.output).not.toContain("undefined");
});

test("without AssemblyScript, or with an unsupported one, compiling says what to install", async () => {
  // Outside the project, where no node_modules above holds the project's compiler.
  const elsewhere = await mkdtemp(join(tmpdir(), "as-interop-no-compiler-"));
  try {
    const modules = join(elsewhere, "node_modules");
    await cp(join(project.dir, "node_modules", "as-interop"), join(modules, "as-interop"), { recursive: true });
    await writeFile(join(elsewhere, "Empty.ts"), "");
    const cli = join(modules, "as-interop", "dist", "host", "compiler", "cli.js");
    const install = "npm install --save-dev assemblyscript@^0.28.20";

    const missing = await run(process.execPath, [cli, "compile", "Empty.ts"], { cwd: elsewhere });
    expect(missing.code).toBe(1);
    expect(missing.output.trim()).toBe(`as-interop compiles with AssemblyScript ^0.28.20, which the project must install (it is a peer dependency): ${install}`);

    // The project's compiler, reporting itself as an older release.
    const compiler = join(modules, "assemblyscript");
    await cp(join(project.dir, "node_modules", "assemblyscript"), compiler, { recursive: true });
    const asc = join(compiler, "dist", "asc.js");
    const version = JSON.parse(await readFile(join(compiler, "package.json"), "utf8")).version as string;
    await writeFile(asc, (await readFile(asc, "utf8")).replace(`"${version}"`, `"0.27.37"`));
    for (const dependency of ["binaryen", "long"]) await symlink(join(project.dir, "node_modules", dependency), join(modules, dependency), "dir");

    const old = await run(process.execPath, [cli, "compile", "Empty.ts"], { cwd: elsewhere });
    expect(old.code).toBe(1);
    expect(old.output.trim()).toBe(`as-interop needs AssemblyScript ^0.28.20, but the project has assemblyscript@0.27.37. Install a supported version: ${install}`);
  } finally {
    await rm(elsewhere, { recursive: true, force: true });
  }
});
