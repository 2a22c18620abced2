/**
 * The sandbox attacked by an outside tester, fifth round: hosts that grant what a realistic app
 * grants (a session object whose methods keep state on `this`, a settings object, a logger, an
 * event emitter, a scheduler) driven by managed code that stores, re-binds and calls what it was
 * given. The attacker is test/fixtures/sandbox-probe.ts.
 */
import { format } from "node:util";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileFixture } from "./helpers.ts";
import { loadInWorker } from "./worker-helpers.ts";

const NAME = "sandbox-probe";
let module: WebAssembly.Module;
beforeAll(async () => {
  module = (await compileFixture(NAME)).module;
});

async function load(options: AssemblyOptions) {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(module, options);
  return { runtime, assembly, call: <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod(NAME, method, ...args) as T };
}

const refused = (what: string) => new RegExp(`^The assembly '${NAME}' cannot be given ${what}: its scope does not grant it by name\\.$`);

describe("what the scope grants by name is what it held when the assembly was loaded", () => {
  // A refused object (the global object, `process`, a DOM node, `eval`) may be given when the scope
  // holds it as one of its own properties: the host's explicit choice. That was looked up at each
  // admission, in the scope as it was then; but managed code writes the scope's own properties, and
  // a granted method it stores there and calls runs with the scope as `this`: what host code then
  // wrote to `this` was granted by name.
  class Session {
    runtime: unknown = null;
    global: unknown = null;
    /** Keeps what it works with on `this`, as classes do. */
    begin(): string {
      this.runtime = process;
      this.global = globalThis;
      return "begun";
    }
  }

  it("a granted method stored on the scope and called there: what it writes to `this` is not granted", async () => {
    const { call } = await load({ scope: { session: new Session() } });
    expect(call("CallText", 0, "session.begin", [])).toBe("begun");
    expect(() => call("Get", 0, "session.runtime")).toThrow(refused("a platform object \\(process\\)"));
    // Stored on the scope and called there, `this.runtime = process` writes the scope's own property.
    call("SetHandle", 0, "begin", call<number>("Get", 0, "session.begin"));
    expect(call("CallText", 0, "begin", [])).toBe("begun");
    expect(() => call("Get", 0, "runtime")).toThrow(refused("a platform object \\(process\\)"));
    expect(() => call("GetText", 0, "runtime.version")).toThrow(refused("a platform object \\(process\\)"));
    expect(call("Has", 0, "runtime.exit")).toBe(false);
    // The instance works on.
    expect(call("CallText", 0, "session.begin", [])).toBe("begun");
  });

  it("a scope that is a class instance: what its own methods keep on it later is not granted either", async () => {
    class Host {
      version = "1.0";
      connect(): string {
        this.runtime = process;
        return "connected";
      }
      runtime: unknown = null;
    }
    const { call } = await load({ scope: new Host() });
    expect(call("CallText", 0, "connect", [])).toBe("connected");
    expect(() => call("Get", 0, "runtime")).toThrow(refused("a platform object \\(process\\)"));
    expect(call("GetText", 0, "version")).toBe("1.0");
  });

  it("nor after a reload, or given to another assembly: a scope grants by name what it held when it was first given", async () => {
    // Written to the scope by the first instance, then read by the next one, which the host loads
    // again (after a trap, say) with the same options, or by another assembly given the same scope.
    const scope = { session: new Session() };
    const { call, runtime } = await load({ scope });
    call("SetHandle", 0, "begin", call<number>("Get", 0, "session.begin"));
    expect(call("CallText", 0, "begin", [])).toBe("begun");
    // A scope holding the global object is refused at load; written there later, it does not stop the reload.
    await runtime.reloadAssembly(NAME);
    expect(() => call("GetText", 0, "runtime.version")).toThrow(refused("a platform object \\(process\\)"));
    expect(() => call("Get", 0, "global")).toThrow(refused("the global object"));
    const other = await load({ scope, name: "other" });
    expect(() => other.runtime.invokeMethod("other", "Get", 0, "runtime")).toThrow(/^The assembly 'other' cannot be given a platform object \(process\): its scope does not grant it by name\.$/);
  });

  it("what the scope held at load stays granted by name", async () => {
    const { call } = await load({ scope: { runtime: process, setTimeout } });
    expect(call<number>("Get", 0, "runtime")).toBeGreaterThan(0);
    expect(call<number>("Get", 0, "setTimeout")).toBeGreaterThan(0);
  });
});

describe("Reflect is refused as the built-in constructors are", () => {
  // A plain object to look at, admitted as data, whose functions do on any object managed code holds
  // what the membrane keeps from it: run a built-in prototype's accessors, read an error's stack,
  // write a key a built-in defines. `Object`, whose statics do the same, was always refused.
  const scope = () => ({
    std: { JSON, Math, Reflect },
    api: {
      tools: () => Reflect,
      frame: () => new Uint8Array(64).fill(7).subarray(8, 16),
      fail: () => new Error("granted code failed"),
    },
  });
  const refusedReflect = refused("the built-in namespace 'Reflect', whose functions reach past the scope \\(a built-in constructor's statics\\)");

  it("read, returned, or handed in: refused; the instance works on", async () => {
    const { call, assembly } = await load({ scope: scope() });
    expect(() => call("Get", 0, "std.Reflect")).toThrow(refusedReflect);
    expect(() => call("Call", 0, "api.tools", [])).toThrow(refusedReflect);
    expect(() => call("CallText", 0, "std.Reflect.get", [])).toThrow(refusedReflect);
    expect(() => call("Take", Reflect)).toThrow(refusedReflect);
    expect(assembly.diagnostics().jsObjects).toBe(0);
    // What it would have read: a granted subarray's whole buffer, an error's stack.
    const frame = call<number>("Call", 0, "api.frame", []);
    expect(call("Has", frame, "buffer")).toBe(false);
    const error = call<number>("Call", 0, "api.fail", []);
    expect(call("GetText", error, "stack")).toBe("");
    // The other namespaces are data as ever.
    expect(call("CallText", 0, "std.JSON.stringify", ["text"])).toBe('"text"');
    expect(call("CallNumber", 0, "std.Math.max", ["!1", "!2"])).toBe(2);
  });

  it("granted by name, it may be given", async () => {
    const { call } = await load({ scope: { Reflect } });
    expect(call<number>("Get", 0, "Reflect")).toBeGreaterThan(0);
  });
});

describe("a trace reaches the host's console with its control characters escaped", () => {
  // AssemblyScript's `trace` is an import every module has: the host prints it (console.log; in
  // Node, standard output, often a terminal or a log file) though the scope grants no console.
  // Printed as managed code wrote it, a newline forged lines of the host's log and ESC sent the
  // terminal escape sequences (a cleared screen, a window title, in some terminals the clipboard).
  afterEach(() => void vi.restoreAllMocks());
  const hostile = "done\n[server] admin logged in\u001b]52;c;cm0gLXJmIH4=\u0007\u001b[2J\u202eevil";

  it("in a sandbox, controls, separators and bidirectional overrides are written as escapes", async () => {
    const { call } = await load({ scope: {} });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    call("Trace", hostile);
    expect(log).toHaveBeenCalledTimes(1);
    expect(log.mock.calls[0]).toEqual(["trace: %s", "done\\u000a[server] admin logged in\\u001b]52;c;cm0gLXJmIH4=\\u0007\\u001b[2J\\u202eevil", 42]);
  });

  it("so is a continuation's failure that nothing waits for, which the host's console reports", async () => {
    const { call } = await load({ scope: { api: { later: () => Promise.resolve(null) } } });
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    call("FailLater", "api.later", hostile);
    await vi.waitFor(() => expect(error).toHaveBeenCalledTimes(1));
    const reported = format(...(error.mock.calls[0] as [string]));
    expect(reported).toMatch(/^as-interop: a continuation of task \d+ failed: done\\u000a\[server\] admin logged in\\u001b\]52;/);
    expect(reported).not.toMatch(/[\u0000-\u001f\u202e]/);
  });

  it("without a scope, as before: the text as it is", async () => {
    const { call } = await load({});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    call("Trace", hostile);
    expect(log.mock.calls[0]).toEqual(["trace: %s", hostile, 42]);
  });

  it("is printed as written: a console's format directives in it (%d, %c, %o) take none of the values", async () => {
    const { call } = await load({ scope: {} });
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    call("Trace", "%d items%c");
    // As the console prints it: the text, then the value. Given as the format, it read "42 items".
    expect(format(...(log.mock.calls[0] as [string]))).toBe("trace: %d items%c 42");
  });
});

describe("in a worker, the page refuses to run for the sandbox what the membrane refuses on the page", () => {
  // A worker's sandbox reaches the scope's functions as stand-ins that ask the page to call them:
  // the membrane in the worker sees a function of its own realm, never what the page will run. On
  // the page, `{ api: { run: eval } }` is refused when managed code reaches it; in a worker, the page
  // ran `eval` on managed code's text, with the page's authority.
  const ran: string[] = [];
  const code = (what: string) => `globalThis.__sandboxRan?.(${JSON.stringify(what)})`;
  beforeAll(() => {
    (globalThis as { __sandboxRan?: (what: string) => void }).__sandboxRan = (what) => void ran.push(what);
  });

  it("a code runner in the scope, not granted by name: its call is refused with the page's message", async () => {
    ran.length = 0;
    const scope = { api: { run: eval, make: Map, info: () => ({ ok: true }) } };
    const { call } = await loadInWorker(module, { worker: true, scope, importBinding: "first-call" });
    expect(await call("CallAsync", 0, "api.run", [code("eval")])).toBe(
      `faulted: The assembly '${NAME}' cannot be given the built-in function 'eval', which runs text as code: its scope does not grant it by name.`,
    );
    expect(await call("CallAsync", 0, "api.make", [])).toBe(`faulted: The assembly '${NAME}' cannot be given the built-in constructor 'Map': its scope does not grant it by name.`);
    expect(ran).toEqual([]);
    // The grant's other functions, and the worker, work on.
    expect(await call("CallAsync", 0, "api.info", [])).toMatch(/^completed: [1-9]\d*$/);
  });

  it("granted by name, it runs, as on the page", async () => {
    ran.length = 0;
    const { call } = await loadInWorker(module, { worker: true, scope: { run: eval }, importBinding: "first-call" });
    expect(await call("CallAsync", 0, "run", [code("by name")])).toBe("completed: 0");
    expect(ran).toEqual(["by name"]);
  });
});

