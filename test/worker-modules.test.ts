/**
 * Issue 18: JavaScript of the page's choosing runs next to a worker-hosted assembly, in its worker
 * (`WorkerAssembly.importModule`, `{ worker: { modules } }`), in Node's `worker_threads`
 * (e2e/worker.spec.ts shows the same in Chromium's Web Workers). There `DotNet` reaches the
 * assembly synchronously, and managed code's calls into JS find what the modules define; a module
 * is bounded as a call is, and part of the assembly's setup when a new worker replaces the old one;
 * what it throws reaches the page as it was thrown, during its import or after; and what it does to
 * the worker's global scope does not reach the library's channel.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AssemblyPoisonedError,
  InteropError,
  TimeoutError,
  withTimeout,
  type HostingOptions,
} from "../host/runtime/index.ts";
import { compileFixture, rejection } from "./helpers.ts";
import { disposableRuntime, loadInWorker, runtimeEvents, until } from "./worker-helpers.ts";
import { LEAVES_ERRORS_BEHIND, THROWS_WHILE_EVALUATED } from "./worker-module-sources.ts";

const NAME = "worker";
let module: WebAssembly.Module;
let folder: string;

beforeAll(async () => {
  module = (await compileFixture("worker")).module;
  folder = mkdtempSync(join(tmpdir(), "as-interop-modules-"));
});

let written = 0;
/** An ES module file with `source`, as the URL the worker imports it from. */
function moduleFile(source: string): string {
  const file = join(folder, `module-${++written}.mjs`);
  writeFileSync(file, source);
  return pathToFileURL(file).href;
}

/** What `promise` rejected with, whatever it is (the test fails if it resolved). */
async function rejectionValue(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection, but it resolved");
    },
    (reason: unknown) => reason,
  );
}

/** A page function a module reports to (granted with expose), and what it was given. */
function reporter() {
  const reports: unknown[] = [];
  return {
    reports,
    expose: {
      report: (value: unknown) => {
        reports.push(value);
      },
    },
    /** Resolves once `count` reports have arrived. */
    reported: (count: number) => until(() => reports.length >= count, `${count} reports`),
  };
}

/** Module A and B of a setup: each appends its letter to `order`; A defines the functions managed code calls. */
const setupModules = () => ({
  a: moduleFile(`globalThis.order = (globalThis.order ?? "") + "A";
globalThis.orderOf = () => globalThis.order;
globalThis.shout = (text) => text.toUpperCase() + "!";
`),
  b: moduleFile(`globalThis.order += "B";\n`),
});

const load = (options: HostingOptions) => loadInWorker(module, options);

describe("a module runs next to the assembly, in its worker", () => {
  it("its DotNet reaches the worker's instance synchronously, and managed code finds the functions it defines", async () => {
    const { expose, reports, reported } = reporter();
    const { assembly, call } = await load({ worker: { expose } });
    await assembly.importModule(
      moduleFile(`const counter = DotNet.invokeMethod("worker", "makeCounter", "module");
counter.invokeMethod("Add", 2);
globalThis.shout = (text) => text.toUpperCase() + "!";
await report({
  sum: DotNet.invokeMethod("worker", "add", 40, 2),
  total: counter.invokeMethod("Add", 3),
  echoed: await DotNet.invokeMethodAsync("worker", "echo", "héllo 🌍"),
  counted: DotNet.invokeMethod("worker", "count"),
  reference: DotNet.createJSObjectReference({}).__jsObjectId > 0,
});
`),
    );
    await reported(1);
    expect(reports[0]).toEqual({ sum: 42, total: 5, echoed: "héllo 🌍", counted: 1, reference: true });
    // One instance: the page's calls see the state the module's calls left.
    expect(await call("count")).toBe(2);
    expect(await call("callSync", "shout", "managed")).toBe("MANAGED!");
  });

  it("resolves once the module has been evaluated, top-level await included; imports happen in order", async () => {
    const { assembly, call } = await load({ worker: true });
    const { a, b } = setupModules();
    await assembly.importModule(a);
    await assembly.importModule(moduleFile(`await new Promise((resolve) => setTimeout(resolve, 50));\nglobalThis.order += "T";\n`));
    await assembly.importModule(new URL(b));
    expect(await call("callSync", "orderOf", "")).toBe("ATB");
    // The same URL again is the same module: evaluated once, as import() does.
    await assembly.importModule(b);
    expect(await call("callSync", "orderOf", "")).toBe("ATB");
  });

  it("{ worker: { modules } } are imported in order before loadAssembly resolves", async () => {
    const { a, b } = setupModules();
    const { assembly, call } = await load({ worker: { modules: [a, new URL(b)] } });
    expect(await call("callSync", "orderOf", "")).toBe("AB");
    expect((assembly.options.worker as { modules: string[] }).modules).toEqual([a, b]);
  });

  it("a module of { worker: { modules } } that fails fails the load with its error", async () => {
    const runtime = disposableRuntime();
    const error = await rejection(runtime.loadAssembly(module, { worker: { modules: [moduleFile(`throw new RangeError("no setup");\n`)] } }));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("no setup");
    expect(runtime.assemblyNames).toEqual([]);
    // A failed load leaves nothing behind: the name is free.
    await runtime.loadAssembly(module, { worker: true });
    expect(await runtime.invokeMethodAsync(NAME, "add", 1, 1)).toBe(2);
  });

  it("an assembly refused because its name is taken does not keep its worker", async () => {
    const { runtime } = await load({ worker: true });
    const { expose, reports } = reporter();
    const ticking = moduleFile(`setInterval(() => report("tick"), 20);\n`);
    const error = await rejection(runtime.loadAssembly(module, { worker: { expose, modules: [ticking] } }));
    expect(error.message).toMatch(/An assembly named 'worker' is already loaded/);
    // Its worker was terminated: the module's timer ticks no more.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const seen = reports.length;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reports.length).toBe(seen);
  });
});

describe("what a module throws reaches the page as it was thrown", () => {
  it("an Error keeps its class, message and stack, which names the module's line", async () => {
    const { assembly, call } = await load({ worker: true });
    const url = moduleFile(THROWS_WHILE_EVALUATED);
    const error = await rejection(assembly.importModule(url));
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toBe("module failed");
    expect(error.stack).toContain(`${url}:3:7`);
    // The library's errors keep their class too, and the assembly works on.
    const interop = await rejection(assembly.importModule(moduleFile(`DotNet.invokeMethod("worker", "NoSuchMethod");\n`)));
    expect(interop).toBeInstanceOf(InteropError);
    expect(interop.message).toBe(`The assembly 'worker' does not contain a public invokable method with [JSInvokableAttribute("NoSuchMethod")].`);
    expect(await call("add", 2, 2)).toBe(4);
    // A failed module is not part of the setup.
    expect((assembly.options.worker as { modules: string[] }).modules).toEqual([]);
  });

  it("a syntax error, and a module that cannot be found", async () => {
    const { assembly } = await load({ worker: true });
    const syntax = await rejection(assembly.importModule(moduleFile(`console.log(1);\nlet broken = ;\n`)));
    expect(syntax).toBeInstanceOf(SyntaxError);
    expect(syntax.message).toMatch(/Unexpected token ';'/);
    const missing = await rejection(assembly.importModule(pathToFileURL(join(folder, "missing.mjs"))));
    expect(missing.message).toMatch(/Cannot find module/);
    expect(await rejection(assembly.importModule("http://[not a url"))).toBeInstanceOf(InteropError);
  });

  it("a value that is not an Error is rejected with as it is (or described, if it cannot be copied)", async () => {
    const { assembly } = await load({ worker: true });
    expect(await rejectionValue(assembly.importModule(moduleFile(`throw 42;\n`)))).toBe(42);
    expect(await rejectionValue(assembly.importModule(moduleFile(`throw { code: 7, reason: "plain" };\n`)))).toEqual({ code: 7, reason: "plain" });
    expect(await rejectionValue(assembly.importModule(moduleFile(`throw undefined;\n`)))).toBeUndefined();
    const described = await rejectionValue(assembly.importModule(moduleFile(`throw { run() {} };\n`)));
    expect(described).toBeInstanceOf(Error);
    expect((described as Error).message).toBe("{}");
  });

  it("errors left behind after a module finished: assemblyerror, or this thread's console when nothing handles it", async () => {
    const { runtime, assembly, call } = await load({ worker: true });
    const heard = runtimeEvents(runtime, "assemblyerror");
    const handle = (event: Event) => event.preventDefault();
    runtime.addEventListener("assemblyerror", handle);
    const console = vi.spyOn(globalThis.console, "error").mockImplementation(() => undefined);
    try {
      const url = moduleFile(LEAVES_ERRORS_BEHIND);
      await assembly.importModule(url);
      await until(() => heard.length === 3, "three assemblyerror events");
      const byMessage = (message: string) => heard.find((detail) => detail.error instanceof Error && detail.error.message === message)?.error as Error;
      expect(heard.every((detail) => detail.assembly === NAME)).toBe(true);
      expect(byMessage("late")).toBeInstanceOf(RangeError);
      expect(byMessage("late").stack).toContain(`${url}:2:9`);
      expect(byMessage("unhandled")).toBeInstanceOf(TypeError);
      expect(heard.map((detail) => detail.error)).toContain(42);
      expect(console).not.toHaveBeenCalled();

      // Nobody handles it: the console says it, and the worker lives on.
      runtime.removeEventListener("assemblyerror", handle);
      await assembly.importModule(moduleFile(`setTimeout(() => { throw new Error("nobody listens"); }, 0);\n`));
      await until(() => console.mock.calls.length === 1, "the console");
      // The assembly's name is an argument of the console's format, not part of it (as a trace's text is).
      expect(console.mock.calls[0].slice(0, 2)).toEqual(["Uncaught in the worker of the assembly '%s':", "worker"]);
      expect((console.mock.calls[0][2] as Error).message).toBe("nobody listens");
      expect(await call("add", 1, 2)).toBe(3);
    } finally {
      console.mockRestore();
    }
  });
});

describe("a module is bounded as a call is, and part of the assembly's setup", () => {
  it("one that never finishes: TimeoutError, a new worker, and the modules imported before imported again, in order", async () => {
    const { expose, reported } = reporter();
    const { runtime, assembly, call } = await load({ worker: { expose } });
    const poisoned = runtimeEvents(runtime, "assemblypoisoned");
    const reloaded = runtimeEvents(runtime, "assemblyreloaded");
    const { a, b } = setupModules();
    await assembly.importModule(a);
    await assembly.importModule(b);
    expect(await call("count")).toBe(1);

    const loop = moduleFile(`report("looping");\nwhile (true) {}\n`);
    const importing = rejection(withTimeout(2000, () => assembly.importModule(loop)));
    await reported(1);
    const waiting = rejection(call("add", 1, 2));
    const error = await importing;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      `The import of '${loop}' did not finish within 2000 ms: the worker running it was terminated, and the assembly 'worker' is being loaded again in a new worker.`,
    );
    expect((await waiting).message).toMatch(new RegExp(`^The call to 'add' was stopped: its worker was terminated because the import of '.*' did not finish within 2000 ms`));
    expect(poisoned.map((detail) => detail.error)).toEqual([error]);

    // Calls made meanwhile wait for the new worker, which has imported A and B again (not the loop).
    expect(await call("callSync", "orderOf", "")).toBe("AB");
    expect(await call("callSync", "shout", "again")).toBe("AGAIN!");
    expect(await call("count")).toBe(1);
    await until(() => reloaded.length === 1, "assemblyreloaded");
    expect((assembly.options.worker as { modules: string[] }).modules).toEqual([a, b]);
  });

  it("a module imported while the new worker starts waits for it, and comes after the setup", async () => {
    const { assembly, call } = await load({ worker: { timeoutMs: 60_000 } });
    const { a, b } = setupModules();
    await assembly.importModule(a);
    await rejection(withTimeout(300, () => call("spin")));
    await assembly.importModule(b);
    expect(await call("callSync", "orderOf", "")).toBe("AB");
  });

  it("a module of the setup that fails in the new worker leaves the assembly poisoned, saying why", async () => {
    const { runtime, assembly, call } = await load({ worker: true });
    const poisoned = runtimeEvents(runtime, "assemblypoisoned");
    // Fine once, then it throws: the file changes between the two workers.
    const file = join(folder, "changing.mjs");
    writeFileSync(file, `globalThis.fine = true;\n`);
    await assembly.importModule(pathToFileURL(file));
    writeFileSync(file, `throw new Error("not this time");\n`);
    await rejection(withTimeout(300, () => call("spin")));
    await until(() => poisoned.length === 2, "the second assemblypoisoned");
    expect(poisoned[1].error?.message).toBe("not this time");
    expect((await rejection(call("add", 1, 1))).message).toBe("not this time");
    await runtime.reloadAssembly(NAME).catch(() => undefined);
  });

  it("unloading the assembly ends a module that never finishes", async () => {
    const { expose, reported } = reporter();
    const { runtime, assembly } = await load({ worker: { expose } });
    const looping = assembly.importModule(moduleFile(`report("started");\nwhile (true) {}\n`));
    await reported(1);
    runtime.unloadAssembly(NAME);
    expect((await rejection(looping)).message).toMatch(/^The assembly 'worker' was unloaded/);
    expect((await rejection(assembly.importModule(moduleFile(`1;\n`)))).message).toMatch(/was unloaded/);
    expect(runtime.assemblyNames).toEqual([]);
  });

  it("reloadAssembly imports the modules of the setup again into the new instance", async () => {
    const { runtime, assembly, call } = await load({ worker: true });
    const { a, b } = setupModules();
    await assembly.importModule(a);
    await assembly.importModule(b);
    expect(await rejection(call("trap"))).toBeInstanceOf(AssemblyPoisonedError);
    const fresh = await runtime.reloadAssembly<typeof assembly>(NAME);
    expect(await call("callSync", "orderOf", "")).toBe("AB");
    expect((fresh.options.worker as { modules: string[] }).modules).toEqual([a, b]);
    expect((await rejection(assembly.importModule(b))).message).toMatch(/was reloaded/);
  });
});

describe("a module shares the worker's global scope, not the library's channel", () => {
  afterEach(() => vi.restoreAllMocks());

  it("forged messages, a replaced postMessage, removed listeners and a replaced DotNet do not reach the page's calls", async () => {
    const { runtime, assembly, call } = await load({ worker: true });
    const poisoned = runtimeEvents(runtime, "assemblypoisoned");
    await assembly.importModule(moduleFile(`globalThis.slow = (text) => new Promise((resolve) => setTimeout(() => resolve(text + " answered"), 200));\n`));
    const pending = call("callAsync", "slow", "the call");
    await assembly.importModule(
      moduleFile(`import { parentPort } from "node:worker_threads";
// Forged replies, a forged poisoning and a forged close, on the worker's own channel.
for (let id = 0; id < 100; ++id) parentPort.postMessage({ type: "reply", id, ok: true, value: "forged" });
parentPort.postMessage({ type: "poisoned", error: { name: "Error", message: "forged", stack: undefined } });
parentPort.postMessage({ type: "closing" });
parentPort.removeAllListeners("message");
// What the library sends from now on would be lost, were its port's postMessage looked up again.
MessagePort.prototype.postMessage = function () {};
globalThis.DotNet = null;
`),
    );
    expect(await call("add", 20, 22)).toBe(42);
    expect(await call("echo", "still the assembly")).toBe("still the assembly");
    await assembly.importModule(moduleFile(`globalThis.after = () => "imported after";\n`));
    expect(await call("callSync", "after", "")).toBe("imported after");
    expect(poisoned).toEqual([]);
    // The call made before waits for its own reply: a forged one never settled it.
    expect(await pending).toBe("the call answered");
  });

  it("a module that ends the worker (process.exit) poisons the assembly instead of leaving calls waiting", async () => {
    const { runtime, assembly, call } = await load({ worker: true });
    const poisoned = runtimeEvents(runtime, "assemblypoisoned");
    const exiting = assembly.importModule(moduleFile(`process.exit(3);\n`));
    expect(await rejection(exiting)).toBeInstanceOf(AssemblyPoisonedError);
    await until(() => poisoned.length === 1, "assemblypoisoned");
    expect(poisoned[0].error?.message).toMatch(/is unusable after a fatal fault in its worker \(Error: The assembly's worker stopped \(exit code 3\)\.\)/);
    expect(await rejection(call("add", 1, 1))).toBeInstanceOf(AssemblyPoisonedError);
  });
});
