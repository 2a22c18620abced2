/**
 * The sandbox attacked by an outside tester, seventh round: the built-ins a realistic scope grants
 * (a "standard library" of the realm's namespaces, functions that convert, iterate or clone), the
 * delegates managed code hands to JavaScript, errors, and the worker's sandbox.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileFixture, compileVirtual } from "./helpers.ts";
import { installCanaries, touched } from "./sandbox-attacks.ts";
import { loadInWorker } from "./worker-helpers.ts";

const ran: string[] = [];
/** The attacker of rounds five and six: its calls into JavaScript take any arguments (see the fixture). */
const NAME = "sandbox-probe";
let probe: WebAssembly.Module;
beforeAll(async () => {
  (globalThis as { __sandboxRan?: (what: string) => void }).__sandboxRan = (what) => void ran.push(what);
  probe = (await compileFixture(NAME)).module;
  const canaries = installCanaries();
  return () => canaries.remove();
});

async function load(options: AssemblyOptions) {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(probe, options);
  return { runtime, assembly, call: <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod(NAME, method, ...args) as T };
}

/**
 * A WebAssembly module of 105 bytes, written by hand:
 *
 *   (import "constructor" "constructor" (func $Function (param externref) (result externref)))
 *   (import "constructor" "from" (func $from (param externref externref) (result externref)))
 *   (import "0" "code" (global $code externref))
 *   (start: $from($code, $Function($code)))
 *
 * Instantiated with an array as its imports, the engine finds `constructor` on `Array.prototype`:
 * `Array`, whose `constructor` is `Function` and whose `from` calls the function it makes.
 */
const ESCAPE = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 15, 3, 96, 1, 111, 1, 111, 96, 2, 111, 111, 1, 111, 96, 0, 0, 2, 56, 3, 11, 99, 111, 110, 115, 116,
  114, 117, 99, 116, 111, 114, 11, 99, 111, 110, 115, 116, 114, 117, 99, 116, 111, 114, 0, 0, 11, 99, 111, 110, 115, 116, 114, 117,
  99, 116, 111, 114, 4, 102, 114, 111, 109, 0, 1, 1, 48, 4, 99, 111, 100, 101, 3, 111, 0, 3, 2, 1, 2, 8, 1, 2, 10, 13, 1, 11, 0, 35,
  0, 35, 0, 16, 0, 16, 1, 26, 11,
];

describe("WebAssembly.instantiate runs a module whose imports are looked up past the scope", () => {
  // A scope granting the realm's namespaces (`{ JSON, Math, WebAssembly }`, "data as ever") let
  // managed code instantiate a module of its own bytes with imports of its own choosing: the engine
  // looks each import up with property reads, through built-in prototypes, so an array (from a
  // granted `JSON.parse`) gave the module `Function` and `Array.from`, and the module ran managed
  // code's text as the host's code.
  const source = `
    import { JSArgs, JSObject } from "as-interop/assembly/interop";
    const BYTES: u8[] = [${ESCAPE.join(", ")}];
    function bytes(): Uint8Array {
      const bytes = new Uint8Array(BYTES.length);
      for (let i = 0; i < BYTES.length; ++i) bytes[i] = BYTES[i];
      return bytes;
    }
    @jsInvokable export function Escape(path: string): string {
      const scope = new JSObject(0);
      const imports = scope.invoke<JSObject>("std.JSON.parse", JSArgs.of<string>('[{"code":"globalThis.__sandboxRan(\\'module\\')"}]'));
      const result = scope.tryInvoke<JSObject | null>(path, JSArgs.of<Uint8Array>(bytes()).and<JSObject>(imports));
      return result.error != null ? result.error!.message : "instantiated";
    }
    @jsInvokable export function Validate(): bool {
      return new JSObject(0).invoke<bool>("std.WebAssembly.validate", JSArgs.of<Uint8Array>(bytes()));
    }`;
  const refused = (name: string) =>
    `The assembly 'escape' cannot be given the built-in function '${name}', which runs a WebAssembly module with imports looked up ` +
    `past the scope (through built-in prototypes: Function): its scope does not grant it by name.`;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

  it("refused, bound or not, unless granted by name; the namespace's other functions are granted as before", async () => {
    ran.length = 0;
    const { binary } = await compileVirtual({ "escape.ts": source });
    const runtime = new InteropRuntime();
    const tools = { run: WebAssembly.instantiate.bind(WebAssembly) };
    await runtime.loadAssembly(binary, { scope: { std: { JSON, Math, WebAssembly }, tools } });
    const escape = (path: string) => runtime.invokeMethod("escape", "Escape", path);
    expect(escape("std.WebAssembly.instantiate")).toBe(refused("instantiate"));
    expect(escape("tools.run")).toBe(refused("instantiate"));
    expect(escape("std.WebAssembly.instantiateStreaming")).toBe(refused("instantiateStreaming"));
    await settle();
    expect(ran).toEqual([]);
    expect(runtime.invokeMethod("escape", "Validate")).toBe(true);
  });

  it("granted by name, it runs: the host's explicit choice", async () => {
    ran.length = 0;
    const { binary } = await compileVirtual({ "escape.ts": source });
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(binary, { scope: { std: { JSON }, instantiate: WebAssembly.instantiate } });
    expect(runtime.invokeMethod("escape", "Escape", "instantiate")).toBe("instantiated");
    await settle();
    expect(ran.length).toBeGreaterThan(0);
  });
});

describe("JSON.stringify with a list of keys reads them past the scope", () => {
  // A granted `JSON` is data, and `JSON.stringify` is what a host grants it for. Given a list of
  // keys as its replacer, it reads each of them from every object it meets by [[Get]]: an error's
  // own `stack`, which the membrane shows managed code as empty (the host's file paths), and through
  // built-in prototypes, running their accessors (here, a bait on Object.prototype).
  const refusedList = (name: string) =>
    `The assembly '${NAME}' cannot call '${name}' with a list of keys: it reads each of them from every object it meets past what its ` +
    `scope grants (through built-in prototypes, and an error's stack). Pass a replacer function, or none.`;
  const scope = () => ({
    std: { JSON, stringify: JSON.stringify.bind(JSON) },
    api: { fail: () => new Error("granted code failed"), settings: { theme: "dark", size: 2 } },
  });

  it("called with a list of keys: refused, bound or not; without one, it works as before", async () => {
    touched.length = 0;
    const { call } = await load({ scope: scope() });
    const error = call<number>("Call", 0, "api.fail", []);
    const keys = call<number>("Call", 0, "std.JSON.parse", ['["message","stack","__bait"]']);
    expect(() => call("CallText", 0, "std.JSON.stringify", [`#${error}`, `#${keys}`])).toThrow(refusedList("JSON.stringify"));
    const settings = call<number>("Get", 0, "api.settings");
    expect(() => call("CallText", 0, "std.JSON.stringify", [`#${settings}`, `#${keys}`])).toThrow(refusedList("JSON.stringify"));
    expect(() => call("CallText", 0, "std.stringify", [`#${error}`, `#${keys}`])).toThrow(refusedList("stringify"));
    expect(touched).toEqual([]);
    // Without a list, what a path reads: own enumerable properties.
    expect(call("CallText", 0, "std.JSON.stringify", [`#${settings}`])).toBe('{"theme":"dark","size":2}');
    expect(call("CallText", 0, "std.JSON.stringify", [`#${error}`])).toBe("{}");
  });

  it("through a typed import too", async () => {
    const { binary } = await compileVirtual({
      "typed.ts": `
        import { JSArgs, JSObject } from "as-interop/assembly/interop";
        @jsImport("std.JSON.stringify") declare function stringify(value: JSObject, keys: JSObject): string;
        @jsInvokable export function Leak(): string {
          const scope = new JSObject(0);
          const error = scope.invoke<JSObject>("api.fail");
          return stringify(error, scope.invoke<JSObject>("std.JSON.parse", JSArgs.of<string>('["stack"]')));
        }`,
    });
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(binary, { scope: scope() });
    expect(() => runtime.invokeMethod("typed", "Leak")).toThrow(refusedList("JSON.stringify").replace(NAME, "typed"));
  });

  it("in a worker, the page refuses it as the membrane does", async () => {
    // The worker's stand-in is a function of its own; the page calls the real one with the worker's
    // arguments: an error that reached the worker is cloned with its stack, which the key list read.
    const worker = { std: { parse: JSON.parse, stringify: JSON.stringify }, api: { fail: () => new Error("granted code failed") } };
    const { call } = await loadInWorker(probe, { worker: true, scope: worker, importBinding: "first-call" });
    const handle = async (path: string, args: string[]) => Number((await call<string>("CallAsync", 0, path, args)).replace("completed: ", ""));
    const error = await handle("api.fail", []);
    const keys = await handle("std.parse", ['["stack"]']);
    expect(await call("CallAsync", 0, "std.stringify", [`#${error}`, `#${keys}`])).toBe(`faulted: ${refusedList("JSON.stringify")}`);
  });

  it("granted by name, it takes a list: the host's explicit choice", async () => {
    const { call } = await load({ scope: { ...scope(), stringify: JSON.stringify } });
    const settings = call<number>("Get", 0, "api.settings");
    const keys = call<number>("Call", 0, "std.JSON.parse", ['["theme"]']);
    expect(call("CallText", 0, "stringify", [`#${settings}`, `#${keys}`])).toBe('{"theme":"dark"}');
  });
});
