/** Every way an app can hand an assembly to the host, in Node: bytes, module, response, URL, file. */
import { createServer, type Server } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DotNet, InteropRuntime, loadAssembly, defaultRuntime } from "../host/runtime/index.ts";
import { loadAssemblyFile } from "../host/runtime/node.ts";
import { WorkerAssembly } from "../host/worker/worker-assembly.ts";
import { compileFixture, compileVirtual } from "./helpers.ts";

let binary: Uint8Array;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  ({ binary } = await compileFixture("basics", { assemblyName: "Basics" }));
  server = createServer((request, response) => {
    if (request.url === "/basics.wasm") {
      response.writeHead(200, { "Content-Type": "application/wasm" });
      response.end(binary);
    } else if (request.url === "/basics.bin") {
      response.writeHead(200, { "Content-Type": "application/octet-stream" });
      response.end(binary);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Loads through `load` into a fresh runtime and checks the assembly answers. */
async function expectLoads(load: (runtime: InteropRuntime) => Promise<unknown>): Promise<void> {
  const runtime = new InteropRuntime();
  await load(runtime);
  expect(runtime.invokeMethod("Basics", "add", 40, 2)).toBe(42);
  expect(runtime.invokeMethod("Basics", "ReturnArrayAsync")).toEqual([1, 2, 3]);
}

describe("loading an assembly", () => {
  it("from a Uint8Array and from an ArrayBuffer", async () => {
    await expectLoads((runtime) => runtime.loadAssembly(binary));
    await expectLoads((runtime) => runtime.loadAssembly(binary.slice().buffer));
  });

  it("from a compiled WebAssembly.Module, which can be instantiated many times", async () => {
    const module = await WebAssembly.compile(binary as BufferSource);
    await expectLoads((runtime) => runtime.loadAssembly(module));
    await expectLoads((runtime) => runtime.loadAssembly(module));
  });

  it("from a Response or a promise of one, streaming when it is application/wasm", async () => {
    const wasm = () => new Response(binary as BufferSource, { headers: { "Content-Type": "application/wasm" } });
    await expectLoads((runtime) => runtime.loadAssembly(wasm()));
    await expectLoads((runtime) => runtime.loadAssembly(Promise.resolve(wasm())));
    await expectLoads((runtime) => runtime.loadAssembly(new Response(binary as BufferSource)));
  });

  it("from a URL or URL string fetched over HTTP, whatever its content type", async () => {
    await expectLoads((runtime) => runtime.loadAssembly(`${baseUrl}/basics.wasm`));
    await expectLoads((runtime) => runtime.loadAssembly(new URL("/basics.bin", baseUrl)));
  });

  it("says which URL failed and how", async () => {
    await expect(new InteropRuntime().loadAssembly(`${baseUrl}/missing.wasm`)).rejects.toThrow(
      `Could not load the assembly from '${baseUrl}/missing.wasm': HTTP 404 Not Found.`,
    );
  });

  it("from a file on disk with loadAssemblyFile (as-interop/node)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "as-interop-"));
    try {
      const path = join(dir, "basics.wasm");
      await writeFile(path, binary);
      await expectLoads((runtime) => loadAssemblyFile(path, {}, runtime));
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("from a file on disk into a worker with loadAssemblyFile(path, { worker }), which gives the WorkerAssembly loadAssembly gives", async () => {
    const dir = await mkdtemp(join(tmpdir(), "as-interop-"));
    const runtime = new InteropRuntime();
    try {
      const path = join(dir, "basics.wasm");
      await writeFile(path, binary);
      // Typed as loadAssembly's overloads are: with { worker }, a WorkerAssembly (tsc checks this line).
      const assembly: WorkerAssembly = await loadAssemblyFile(path, { worker: { timeoutMs: 60_000 } }, runtime);
      expect(assembly).toBeInstanceOf(WorkerAssembly);
      expect(await runtime.invokeMethodAsync("Basics", "add", 40, 2)).toBe(42);
      expect(() => runtime.invokeMethod("Basics", "add", 40, 2)).toThrow(/does not support synchronous calls/);
    } finally {
      runtime.unloadAssembly("Basics");
      await rm(dir, { recursive: true });
    }
  });

  it("from a data: URL, which a ?assembly import gives in Vitest and in SSR dev, with loadAssembly and with loadAssemblyFile", async () => {
    const url = `data:application/wasm;base64,${Buffer.from(binary).toString("base64")}`;
    await expectLoads((runtime) => runtime.loadAssembly(url));
    // Server code loads its import's URL with loadAssemblyFile, as a build's file: URL needs: the same code runs in dev.
    await expectLoads((runtime) => loadAssemblyFile(url, {}, runtime));
    await expectLoads((runtime) => loadAssemblyFile(new URL(url), {}, runtime));
  });

  it("from a file: URL (a server bundle's ?assembly URL) with loadAssemblyFile; fetch cannot, and says so", async () => {
    const dir = await mkdtemp(join(tmpdir(), "as-interop-"));
    try {
      const url = pathToFileURL(join(dir, "basics.wasm")).href;
      await writeFile(new URL(url), binary);
      await expectLoads((runtime) => loadAssemblyFile(url, {}, runtime));
      await expect(new InteropRuntime().loadAssembly(url)).rejects.toThrow(
        `Could not load the assembly from '${url}': fetch cannot read file: URLs. ` +
          `In Node, load it with loadAssemblyFile(url) from as-interop/node.`,
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("from a path given as a URL, in Node: says to load the file with loadAssemblyFile", async () => {
    for (const path of ["./build/basics.wasm", "build/basics.wasm", "/build/basics.wasm"]) {
      const error = await new InteropRuntime().loadAssembly(path).then(
        () => null,
        (caught: Error) => caught,
      );
      expect(error?.message).toBe(
        `Could not load the assembly from '${path}': a relative URL needs a page to resolve against, and there is none here. ` +
          `Give an absolute URL, or in Node load the file with loadAssemblyFile(path) from as-interop/node.`,
      );
      // fetch's own error, kept as the cause.
      expect((error?.cause as Error).message).toMatch(/Failed to parse URL/);
    }
  });

  it("says which declared functions the imports option must provide, and keeps the runtime usable", async () => {
    const { binary: declaring } = await compileVirtual({
      "assembly/Sensors.ts": `declare function readTemperature(): f64;
@external("hardware", "blink")
declare function blink(times: i32): void;

@jsInvokable
export function Report(): f64 {
  blink(2);
  return readTemperature();
}
`,
    });
    const runtime = new InteropRuntime();
    const message =
      "The assembly 'Sensors' declares functions that JavaScript must provide ('hardware.blink', 'Sensors.readTemperature'), " +
      "and the imports option does not give 'hardware.blink', 'Sensors.readTemperature'. " +
      'Pass them when loading it: loadAssembly(source, { imports: { "hardware": { "blink": … }, "Sensors": { "readTemperature": … } } }), ' +
      'or declare them with @jsImport("…") to bind them by name.';
    await expect(runtime.loadAssembly(declaring)).rejects.toThrow(message);
    await expect(runtime.loadAssembly(declaring, { imports: { hardware: { blink: () => {} } } })).rejects.toThrow(
      "and the imports option does not give 'Sensors.readTemperature'. ",
    );
    expect(runtime.assemblyNames).toEqual([]);

    let blinked = 0;
    await runtime.loadAssembly(declaring, {
      imports: { Sensors: { readTemperature: () => 21.5 }, hardware: { blink: (times: number) => (blinked += times) } },
    });
    expect(runtime.invokeMethod("Sensors", "Report")).toBe(21.5);
    expect(blinked).toBe(2);
  });

  it("into the default runtime that the module-level DotNet uses", async () => {
    const assembly = await loadAssembly(binary, { name: "DefaultBasics" });
    try {
      expect(assembly.name).toBe("DefaultBasics");
      expect(DotNet.invokeMethod("DefaultBasics", "add", 1, 2)).toBe(3);
      await expect(DotNet.invokeMethodAsync("DefaultBasics", "echo", "hi")).resolves.toBe("hi");
    } finally {
      defaultRuntime.unloadAssembly("DefaultBasics");
    }
    expect(() => DotNet.invokeMethod("DefaultBasics", "add", 1, 2)).toThrow(
      "There is no loaded assembly with the name 'DefaultBasics'.",
    );
  });

  it("again after unloading, and lists what is loaded", async () => {
    const runtime = new InteropRuntime();
    const first = await runtime.loadAssembly(binary);
    expect(runtime.assemblyNames).toEqual(["Basics"]);
    expect(runtime.invokeMethod("Basics", "add", 1, 1)).toBe(2);
    expect(runtime.unloadAssembly("Basics")).toBe(true);
    expect(runtime.assemblyNames).toEqual([]);
    // The call just made by this name must not lead to the unloaded instance.
    expect(() => runtime.invokeMethod("Basics", "add", 1, 1)).toThrow("There is no loaded assembly with the name 'Basics'.");
    await expect(runtime.invokeMethodAsync("Basics", "add", 1, 1)).rejects.toThrow("There is no loaded assembly with the name 'Basics'.");
    const second = await runtime.loadAssembly(binary);
    expect(runtime.invokeMethod("Basics", "add", 1, 1)).toBe(2);
    // The same by the reloaded instance: its predecessor refuses every call.
    const third = await runtime.reloadAssembly("Basics");
    expect(runtime.invokeMethod("Basics", "add", 2, 2)).toBe(4);
    expect(await runtime.invokeMethodAsync("Basics", "add", 3, 3)).toBe(6);
    for (const retired of [first, second]) expect(() => retired.methods.get("add")!.invoke([1, 1])).toThrow(/was (unloaded|reloaded)/);
    expect(third.methods.get("add")!.invoke([1, 1])).toBe(2);
  });
});

/**
 * An assembly's top-level statements run once the host has the instance (the start function is
 * exported, not run during instantiation): they may call into JavaScript, and a failure in them
 * fails the load with what happened, the assembly unregistered.
 */
describe("top-level statements", () => {
  const load = async (source: string, scope: object = {}) => {
    const { binary } = await compileVirtual({ "top.ts": source }, { optimize: true });
    const runtime = new InteropRuntime();
    const loading = runtime.loadAssembly(await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>), { name: "Top", scope });
    return { runtime, loading };
  };
  const double = (a: number) => 2 * a;

  it("call into JavaScript, by name and through a typed import, as any managed code does", async () => {
    const { runtime, loading } = await load(
      `import { JSArgs, JSRuntime } from "as-interop/assembly/interop";
@jsImport("double") declare function typedDouble(a: i32): i32;
const byName = JSRuntime.invoke<i32>("double", JSArgs.of<i32>(21));
const typed = typedDouble(50);
@jsInvokable export function Results(): string { return byName.toString() + "," + typed.toString(); }`,
      { double },
    );
    await loading;
    expect(runtime.invokeMethod("Top", "Results")).toBe("42,100");
  });

  it("fail the load with an abort's message and place, a trap, or the JS exception, and leave nothing registered", async () => {
    const cases = [
      [`const x = Math.random() < 2; if (x) throw new Error("no config");`, /^The assembly 'Top' failed while running its top-level statements: ManagedError: no config \(at top\.ts:1:\d+\)$/],
      [`const x = Math.random() < 2; if (x) unreachable();`, /^The assembly 'Top' failed while running its top-level statements: RuntimeError: unreachable$/],
      [`import { JSRuntime } from "as-interop/assembly/interop";\nJSRuntime.invokeVoid("missing");`, /^The assembly 'Top' failed while running its top-level statements: InteropError: Could not find 'missing' \('missing' was undefined\)\./],
    ] as const;
    for (const [statements, message] of cases) {
      const { runtime, loading } = await load(`${statements}\n@jsInvokable export function Ok(): i32 { return 1; }`);
      const error = await loading.then(() => null, (e: unknown) => e as Error);
      expect(error?.message).toMatch(message);
      expect(() => runtime.invokeMethod("Top", "Ok")).toThrow(/There is no loaded assembly with the name 'Top'/);
    }
  });
});
