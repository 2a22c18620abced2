/**
 * The generated TypeScript types, in a fresh project that installed as-interop from its tarball:
 * `as-interop types` writes them without Vite, and `tsc --noEmit` accepts correct use of the typed
 * API and rejects misuse, each at its line.
 */
import { test } from "@playwright/test";
import { embeddingSpec, expect, type App } from "./embedding/app.ts";
import { run } from "./embedding/processes.ts";
import { readmeExamples, type Project } from "./embedding/project.ts";

let app: App;
let project: Project;

embeddingSpec("types", (made, shared) => {
  app = made;
  project = shared;
});

const DECLARATIONS = "assembly/Calculator.assembly.d.ts";

test("`as-interop types` writes the assembly's types, and `--check` tells when they are stale", async () => {
  const types = (...args: string[]) => run(app.bin("as-interop"), ["types", ...args, "assembly/Calculator.ts"], { cwd: app.dir });
  const written = await types();
  expect(written.code, written.output).toBe(0);
  const text = await app.read(DECLARATIONS);
  expect(text).toContain(`declare module ".*/Calculator.ts?assembly"`);
  expect(text).toContain("Add(a: number, b: number): number;");
  expect(text).toContain("Greet(name: string): string;");
  expect(text).toContain("Scaled(values: readonly number[] | Int32Array): number[];");
  expect(text).toContain("Total(values: readonly (number | bigint)[] | BigInt64Array): Int64;");
  expect(text).toContain(`export const name: "Calculator";`);

  expect((await types("--check")).code).toBe(0);
  await app.edit("assembly/Calculator.ts", "export function Add(", "export function Sum(");
  const stale = await types("--check");
  expect(stale.code).toBe(1);
  expect(stale.output).toContain(`${DECLARATIONS} is out of date`);
  await app.edit("assembly/Calculator.ts", "export function Sum(", "export function Add(");
  expect(await app.read(DECLARATIONS)).toBe(text);
});

test("tsc --noEmit accepts correct use of the typed API (and of the untyped DotNet API)", async () => {
  await app.write(
    "src/usage.ts",
    `import { DotNet, InteropRuntime, loadAssembly } from "as-interop";
import type { AssemblyApi } from "as-interop/api";
import calculatorUrl, { api, load, name, syncApi, type Methods } from "../assembly/Calculator.ts?assembly";

const calculator: AssemblyApi<Methods> = await load();
const sum: number = await calculator.Add(1, 2);
const greeting: string = await calculator.Greet("tsc");
const scaled: number[] = await calculator.Scaled(Int32Array.of(1, 2));
const total: number = await calculator.Total([1, 2n]);
const exact: bigint = await (await load({ int64: "bigint", runtime: new InteropRuntime() })).Total([1n]);
const direct: number = syncApi().Add(3, 4);
const later: Promise<string> = api({ name: "Calculator" }).Greet("again");
const assemblyName: "Calculator" = name;
// In a worker: every method async; 64-bit results as loaded.
const inWorker = await load({ worker: true, runtime: new InteropRuntime() });
const remoteSum: number = await inWorker.Add(1, 2);
const remoteExact: bigint = await (await load({ worker: { timeoutMs: 1000 }, int64: "bigint", runtime: new InteropRuntime() })).Total([1n]);

// The untyped API keeps working, for JavaScript written for Blazor.
await loadAssembly(calculatorUrl, { name: "Copy" });
const untyped = await DotNet.invokeMethodAsync<number[]>("Copy", "Scaled", [1]);
console.log(sum, greeting, scaled, total, exact, direct, later, assemblyName, untyped, remoteSum, remoteExact);
`,
  );
  const tsc = await run(app.bin("tsc"), ["--noEmit", "-p", "."], { cwd: app.dir });
  expect(tsc.code, tsc.output).toBe(0);
});

test("tsc knows what a managed stream's and sink's objects offer: stream(), arrayBuffer(), writeStream(), on the page's thread and from a worker", async () => {
  await app.write(
    "assembly/Files.ts",
    `import { DotNetObjectReference, ManagedStream, StreamSink } from "as-interop/assembly/interop";

class Zeros extends ManagedStream {
  read(into: Uint8Array): i32 {
    return 0;
  }
}

class Discard extends StreamSink {
  @scriptableMember written: i32 = 0;
  write(chunk: Uint8Array): void {
    this.written += chunk.length;
  }
}

@jsInvokable
export function Download(): DotNetObjectReference<ManagedStream> {
  return DotNetObjectReference.create<ManagedStream>(new Zeros());
}

@jsInvokable
export function Upload(): DotNetObjectReference<Discard> {
  return DotNetObjectReference.create(new Discard());
}
`,
  );
  const types = await run(app.bin("as-interop"), ["types", "assembly/Files.ts"], { cwd: app.dir });
  expect(types.code, types.output).toBe(0);
  await app.write(
    "src/files.ts",
    `import { InteropRuntime } from "as-interop";
import { load } from "../assembly/Files.ts?assembly";

const files = await load();
const whole: ArrayBuffer = await (await files.Download()).arrayBuffer();
const chunks: ReadableStream<Uint8Array> = await (await files.Download()).stream();
const written: number = await (await files.Upload()).writeStream(new Blob(["bytes"]));
// The same from a worker: the remote object has them too; its properties are read asynchronously.
const remote = await load({ worker: true, runtime: new InteropRuntime() });
const remoteWhole: ArrayBuffer = await (await remote.Download()).arrayBuffer();
const sink = await remote.Upload();
const remoteWritten: number = await sink.writeStream(new Blob(["bytes"]));
const counted: number = await sink.getProperty("written");
// @ts-expect-error: no synchronous property read from a worker
const read: number = sink.written;
console.log(whole, chunks, written, remoteWhole, remoteWritten, counted, read);
`,
  );
  const tsc = await run(app.bin("tsc"), ["--noEmit", "-p", "."], { cwd: app.dir });
  expect(tsc.code, tsc.output).toBe(0);
});

test("tsc --noEmit rejects misuse of the typed API, each at its line", async () => {
  // Every line marked `// TSnnnn` must fail with that code, and nothing else may fail.
  const misuse = `import { load, syncApi } from "../assembly/Calculator.ts?assembly";

const calculator = await load();
await calculator.Ad(1, 2); // TS2339 (no such method)
await calculator.Add("1", 2); // TS2345 (a string for an i32)
await calculator.Add(1); // TS2554 (one argument short)
const greeting: number = await calculator.Greet("x"); // TS2322 (Greet returns a string)
await calculator.Scaled(["a"]); // TS2322 (not a number array)
syncApi().Greet(5); // TS2345 (a number for a string)
const total: bigint = await calculator.Total([1]); // TS2322 (loaded without int64: "bigint")
const inWorker = await load({ worker: true });
const direct: number = inWorker.Add(1, 2); // TS2322 (a worker's method returns a promise)
console.log(greeting, total, direct);
`;
  await app.write("misuse/misuse.ts", misuse);
  await app.write(
    "tsconfig.misuse.json",
    JSON.stringify({ extends: "./tsconfig.json", include: ["misuse", "assembly/*.assembly.d.ts"] }),
  );
  const tsc = await run(app.bin("tsc"), ["--noEmit", "-p", "tsconfig.misuse.json"], { cwd: app.dir });
  expect(tsc.code).not.toBe(0);

  expect(reportedErrors(tsc.stdout), tsc.stdout).toEqual(markedErrors("misuse/misuse.ts", misuse));
});

/** `file:line TSnnnn` for each line of `text` marked `// TSnnnn`. */
function markedErrors(file: string, text: string): string[] {
  return text.split("\n").flatMap((line, index) => {
    const code = /\/\/ (TS\d+)/.exec(line)?.[1];
    return code ? [`${file}:${index + 1} ${code}`] : [];
  });
}

/** `file:line TSnnnn` for each error tsc reported. */
function reportedErrors(stdout: string): string[] {
  return [...stdout.matchAll(/^(\S+)\((\d+),\d+\): error (TS\d+)/gm)].map(([, file, line, code]) => `${file}:${line} ${code}`);
}

test("the README's step for Vite's older templates (tsconfig.app.json, checked by tsc -b) types the API as well", async () => {
  // What `npm create vite` wrote before create-vite 9 (vanilla-ts), with the README's two additions marked.
  await app.write(
    "tsconfig.app.json",
    JSON.stringify(
      {
        compilerOptions: {
          tsBuildInfoFile: "./node_modules/.tmp/tsconfig.app.tsbuildinfo",
          target: "ES2022",
          useDefineForClassFields: true,
          module: "ESNext",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          types: ["vite/client", "as-interop/vite/client"], // + as-interop/vite/client
          skipLibCheck: true,
          moduleResolution: "bundler",
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          moduleDetection: "force",
          noEmit: true,
          strict: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          erasableSyntaxOnly: true,
          noFallthroughCasesInSwitch: true,
          noUncheckedSideEffectImports: true,
        },
        include: ["src", "assembly/*.assembly.d.ts"], // + assembly/*.assembly.d.ts
      },
      null,
      2,
    ),
  );
  await app.write("tsconfig.template.json", JSON.stringify({ files: [], references: [{ path: "./tsconfig.app.json" }] }));
  await app.write(
    "src/template-usage.ts",
    `import { load } from "../assembly/Calculator.ts?assembly";

const calculator = await load();
const sum: number = await calculator.Add(1, 2);
// @ts-expect-error: the generated types, not the catch-all ones, check the arguments
await calculator.Add("1", 2);
console.log(sum);
`,
  );
  const tsc = await run(app.bin("tsc"), ["-b", "tsconfig.template.json"], { cwd: app.dir });
  expect(tsc.code, tsc.output).toBe(0);
});

test("the README's quick start passes tsc in the project `npm create vite --template vanilla-ts` makes today, with the README's two additions", async () => {
  // create-vite 9's vanilla-ts tsconfig.json (TypeScript 7: strict unless said otherwise), with the
  // README's additions marked; the template's `npm run build` runs `tsc` on it before `vite build`.
  await app.write(
    "tsconfig.vanilla.json",
    JSON.stringify(
      {
        compilerOptions: {
          target: "es2023",
          module: "esnext",
          lib: ["ES2023", "DOM"],
          types: ["vite/client", "as-interop/vite/client"], // + as-interop/vite/client
          allowArbitraryExtensions: true,
          skipLibCheck: true,
          moduleResolution: "bundler",
          allowImportingTsExtensions: true,
          verbatimModuleSyntax: true,
          moduleDetection: "force",
          noEmit: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          erasableSyntaxOnly: true,
          noFallthroughCasesInSwitch: true,
        },
        include: ["quick-start", "assembly/*.assembly.d.ts"], // + assembly/*.assembly.d.ts
      },
      null,
      2,
    ),
  );
  // The README as the package ships it: its setup block, as a user pastes it into src/main.ts.
  const setup = (await readmeExamples(project)).find((code) => code.includes("await loadAssembly(blazorSample)"));
  expect(setup, "the README's quick start sets up with loadAssembly(blazorSample)").toBeDefined();
  await app.write("quick-start/main.ts", setup!);
  const tsc = await run(app.bin("tsc"), ["--noEmit", "-p", "tsconfig.vanilla.json"], { cwd: app.dir });
  expect(tsc.code, tsc.stdout).toBe(0);
});

test("without skipLibCheck, the package's declarations pass tsc where a user imports them (vite.config.ts; a Node script with the compiler, the loader and the typed API), and bring no AssemblyScript declarations along", async () => {
  await app.write(
    "scripts/server.ts",
    `import { DotNet, InteropRuntime, loadAssembly } from "as-interop";
import { assemblyApi } from "as-interop/api";
import { compile, type TransformClass } from "as-interop/compiler";
import { loadAssemblyFile } from "as-interop/node";
import type { Methods } from "../assembly/Calculator.ts?assembly";

const transforms: TransformClass[] = [];
const { binary } = await compile({ entry: "assembly/Calculator.ts", optimize: true, transforms });
await loadAssembly(binary);
const sum: number = await assemblyApi<Methods>("Calculator").Add(2, 3);
const runtime = new InteropRuntime();
const inWorker = await loadAssemblyFile("Calculator.wasm", { worker: { timeoutMs: 2000 } }, runtime);
await inWorker.importModule("./setup.js");
console.log(sum, DotNet.invokeMethod<number>("Calculator", "Add", 1, 2));
`,
  );
  // The README's tsconfig.json over vite.config.ts, as Vite's older templates check it (tsconfig.node.json).
  await app.write("tsconfig.config.json", JSON.stringify({ extends: "./tsconfig.json", include: ["vite.config.ts"] }));
  // A Node server's: Node's module resolution, and the DOM lib for WebAssembly's types, as the README says.
  await app.write(
    "tsconfig.server.json",
    JSON.stringify({
      compilerOptions: { target: "ES2022", module: "nodenext", lib: ["ES2022", "DOM"], types: ["node"], strict: true, noEmit: true },
      include: ["scripts", "assembly/*.assembly.d.ts"],
    }),
  );
  for (const config of ["tsconfig.config.json", "tsconfig.server.json"]) {
    const tsc = await run(app.bin("tsc"), ["--noEmit", "-p", config], { cwd: app.dir });
    expect(tsc.code, `${config}:\n${tsc.stdout.slice(0, 4000)}`).toBe(0);
    // AssemblyScript's declarations declare globals (i32, bool, console, …) that clash with the DOM's
    // and Node's: the package's own declarations must not bring them into the user's program.
    const files = await run(app.bin("tsc"), ["--listFilesOnly", "-p", config], { cwd: app.dir });
    expect(files.code, files.output).toBe(0);
    expect(files.stdout).toContain("node_modules/as-interop/dist/host/");
    expect(files.stdout, config).not.toContain("node_modules/assemblyscript/");
  }
});

test("an editor's TypeScript, set up for AssemblyScript as asinit does (assembly/tsconfig.json), resolves as-interop/assembly/interop to the managed library", async () => {
  await app.write("assembly/tsconfig.json", JSON.stringify({ extends: "assemblyscript/std/assembly.json", include: ["./**/*.ts"] }));
  await app.write(
    "assembly/Weather.ts",
    `import { JSArgs, JSRuntime } from "as-interop/assembly/interop";

@jsInvokable
export function Report(city: string): string {
  return JSRuntime.invoke<string>("weather.today", JSArgs.of(city));
}
`,
  );
  // Resolution only: TypeScript cannot check AssemblyScript (decorators on functions, its own
  // builtins), but an editor finds the library's members and definitions through this resolution.
  const tsc = await run(app.bin("tsc"), ["-p", "assembly", "--listFilesOnly", "--traceResolution"], { cwd: app.dir });
  const resolution = /Module name 'as-interop\/assembly\/interop' was [^\n]*/.exec(tsc.stdout)?.[0];
  expect(resolution, tsc.output.slice(0, 4000)).toMatch(/successfully resolved to '[^']*\/node_modules\/as-interop\/assembly\/interop\/index\.ts'/);
});

test("an entry imported through a Vite alias is typed too: the plugin declares each such specifier, and `as-interop types` keeps them", async () => {
  await app.write(
    "vite.alias.config.ts",
    `import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import asInterop from "as-interop/vite";

export default defineConfig({
  plugins: [asInterop()],
  resolve: { alias: { "@assembly": fileURLToPath(new URL("./assembly", import.meta.url)) } },
  build: { outDir: "dist-alias", rolldownOptions: { input: "aliased/main.ts" } },
});
`,
  );
  // Every line marked \`// TSnnnn\` must fail with that code, and nothing else may fail.
  const aliased = `import { load, syncApi } from "@assembly/Calculator.ts?assembly";
// From the root: a name TypeScript cannot declare, so it has the catch-all types.
import { api } from "/assembly/Calculator.ts?assembly";

const calculator = await load();
const sum: number = await calculator.Add(1, 2);
await calculator.Ad(1, 2); // TS2339 (no such method)
syncApi().Greet(5); // TS2345 (a number for a string)
await api().Ad(1, 2);
console.log(sum);
`;
  await app.write("aliased/main.ts", aliased);
  const build = await run(app.bin("vite"), ["build", "--config", "vite.alias.config.ts"], { cwd: app.dir });
  expect(build.code, build.output).toBe(0);
  const declarations = await app.read(DECLARATIONS);
  expect(declarations).toContain(`declare module "@assembly/Calculator.ts?assembly" {\n  export * from ".*/Calculator.ts?assembly";`);
  expect(declarations).not.toContain(`declare module "/assembly/`);

  await app.write("tsconfig.aliased.json", JSON.stringify({ extends: "./tsconfig.json", include: ["aliased", "assembly/*.assembly.d.ts"] }));
  const tsc = await run(app.bin("tsc"), ["--noEmit", "-p", "tsconfig.aliased.json"], { cwd: app.dir });
  expect(reportedErrors(tsc.stdout), tsc.stdout).toEqual(markedErrors("aliased/main.ts", aliased));

  // The CLI does not know how the app imports the entry: it keeps what the file declares.
  const types = (...args: string[]) => run(app.bin("as-interop"), ["types", ...args, "assembly/Calculator.ts"], { cwd: app.dir });
  expect((await types("--check")).code).toBe(0);
  expect((await types()).output).toContain("up to date");
  expect(await app.read(DECLARATIONS)).toBe(declarations);
});
