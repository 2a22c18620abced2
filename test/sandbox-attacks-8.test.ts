/**
 * The sandbox attacked by an outside tester, eighth round: the built-ins a realistic host grants
 * whole or in part (`Object`'s statics one by one, `Error.captureStackTrace`, the realm's `JSON`),
 * each given values managed code chose — objects it made with them, and what granted objects hold.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileFixture, compileVirtual } from "./helpers.ts";
import { installCanaries, touched } from "./sandbox-attacks.ts";

/** The attacker of rounds five to seven: its calls into JavaScript take any arguments (see the fixture). */
const NAME = "sandbox-probe";
let probe: WebAssembly.Module;
beforeAll(async () => {
  probe = (await compileFixture(NAME)).module;
  const canaries = installCanaries();
  return () => canaries.remove();
});

type Probe = Awaited<ReturnType<typeof load>>;
async function load(options: AssemblyOptions) {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(probe, options);
  return { runtime, assembly, call: <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod(NAME, method, ...args) as T };
}

function thrownError(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

const NOT_READABLE = /^The property '.*' is not defined or is not readable\. The assembly 'sandbox-probe' can reach only what its scope grants\.$/;

describe("what a path reads through an object's prototype is judged where it is found", () => {
  // A granted `Object.create` (a "standard library" of Object's statics, one by one) makes an
  // object whose prototype is any object managed code holds. The membrane judged a read by the
  // object it starts from: a plain object's `caller` is no machinery, so through one inheriting
  // from a granted sloppy-mode function it read the function's own `caller` — while the function
  // runs, the host function that called it — and through one inheriting from that, its
  // `arguments` (a password).
  it("an object inheriting from a sloppy-mode function does not lend its caller or its arguments", async () => {
    let sandbox: Probe | null = null;
    const seen: unknown[] = [];
    const host = new Function(
      "callAssembly",
      `
      function emit(name) { return callAssembly(name); }
      function saveUser(user, password) { return emit("saved"); }
      return { emit, saveUser };`,
    ) as (callAssembly: (name: string) => unknown) => { emit: (name: string) => unknown; saveUser: (user: string, password: string) => unknown };
    const { emit, saveUser } = host((name) => {
      const { call } = sandbox!;
      const heir = call<number>("Call", 0, "std.create", [`#${call<number>("Get", 0, "events.emit")}`]);
      for (const key of ["caller", "arguments"]) {
        seen.push(call("Has", heir, key));
        seen.push(thrownError(() => call("Get", heir, key)).message);
      }
      seen.push(thrownError(() => call("SetText", heir, "caller", "x")).message);
      return name;
    });
    sandbox = await load({ scope: { std: { create: Object.create }, events: { emit } } });
    expect(saveUser("ada", "s3cret")).toBe("saved");
    expect(seen).toHaveLength(5);
    for (const i of [0, 2]) {
      expect(seen[i]).toBe(false);
      expect(seen[i + 1]).toMatch(NOT_READABLE);
    }
    expect(seen[4]).toMatch(/^The assembly 'sandbox-probe' cannot set 'caller': it leads to the language's machinery/);
  });

  it("an object inheriting from an error reads its stack as empty, and a JavaScript class's members as before", async () => {
    class Session {
      user = "ada";
      get greeting(): string {
        return `hello ${this.user}`;
      }
    }
    const { call } = await load({ scope: { std: { create: Object.create }, api: { fail: () => new Error("granted code failed"), session: new Session() } } });
    const error = call<number>("Call", 0, "api.fail", []);
    const heir = call<number>("Call", 0, "std.create", [`#${error}`]);
    expect(call("GetText", heir, "stack")).toBe("");
    expect(call("GetText", heir, "message")).toBe("granted code failed");
    const session = call<number>("Call", 0, "std.create", [`#${call<number>("Get", 0, "api.session")}`]);
    expect(call("GetText", session, "user")).toBe("ada");
    expect(call("GetText", session, "greeting")).toBe("hello ada");
  });
});

describe("Error.captureStackTrace writes the host's stack onto any object", () => {
  // V8's `Error.captureStackTrace` (granted alone, or with a "standard library" of error helpers)
  // writes the stack where it is called, the host's file paths, as an own `stack` of any object:
  // on a plain object from a granted `JSON.parse`, a path read it (the membrane shows an error's as
  // empty); on a granted `Math`, it wrote a property of the realm's own object past the write rules.
  const refused = (name: string) =>
    `The assembly '${name}' cannot be given the built-in function 'Error.captureStackTrace', which writes the host's stack (its file ` +
    `paths) onto any object: its scope does not grant it by name.`;

  it("refused, bound or not, unless granted by name", async () => {
    const scope = {
      std: { JSON, Math, captureStackTrace: Error.captureStackTrace, capture: Error.captureStackTrace.bind(Error) },
      errors: { capture: (Error as { captureStackTrace: (o: object) => void }).captureStackTrace },
    };
    const { call } = await load({ scope });
    const plain = call<number>("Call", 0, "std.JSON.parse", ["{}"]);
    const math = call<number>("Get", 0, "std.Math");
    for (const path of ["std.captureStackTrace", "std.capture", "errors.capture"]) {
      expect(thrownError(() => call("Call", 0, path, [`#${plain}`])).message, path).toBe(refused(NAME));
      expect(thrownError(() => call("Call", 0, path, [`#${math}`])).message, path).toBe(refused(NAME));
    }
    expect(call("Has", plain, "stack")).toBe(false);
    expect(Object.hasOwn(Math, "stack")).toBe(false);
  });

  it("granted by name, it writes: the host's explicit choice", async () => {
    const { call } = await load({ scope: { std: { JSON }, captureStackTrace: Error.captureStackTrace } });
    const plain = call<number>("Call", 0, "std.JSON.parse", ["{}"]);
    call("Call", 0, "captureStackTrace", [`#${plain}`]);
    expect(call("Has", plain, "stack")).toBe(true);
  });
});

describe("JSON.stringify walks only into what a path could reach", () => {
  // A granted `JSON` is data, and `JSON.stringify` reads own enumerable properties, as paths do —
  // but all the way down, where a path stops at an object the assembly may not be given. A granted
  // settings store holding `localStorage`, or (here) a logger holding Node's `process`: the path
  // `store.proc` is refused, yet `JSON.stringify(store)` gave `process.env`, the host's secrets.
  class Logger {
    level = "info";
    constructor(readonly proc: object) {}
  }
  const refused = (key: string) =>
    `The assembly '${NAME}' cannot call 'JSON.stringify' on a value that holds a platform object (process) (at '${key}'): it would read ` +
    `what its scope does not grant.`;

  it("refused where it would enter an object the assembly may not be given; as before where it would not", async () => {
    touched.length = 0;
    const scope = {
      std: { JSON, stringify: JSON.stringify.bind(JSON) },
      api: {
        logger: new Logger(process),
        nested: { deep: [{ runtime: process }] },
        // What a toJSON gives is walked as well.
        report: { toJSON: () => ({ runtime: process }) },
        settings: { theme: "dark", size: 2, tags: ["a", "b"], at: new Date(0) },
      },
    };
    const { call } = await load({ scope });
    expect(thrownError(() => call("Get", 0, "api.logger.proc")).message).toMatch(/cannot be given a platform object \(process\)/);
    const stringify = (path: string, of: string) => call<string>("CallText", 0, path, [`#${call<number>("Get", 0, of)}`]);
    expect(thrownError(() => stringify("std.JSON.stringify", "api.logger")).message).toBe(refused("proc"));
    expect(thrownError(() => stringify("std.stringify", "api.logger")).message).toBe(refused("proc").replace("'JSON.stringify'", "'stringify'"));
    expect(thrownError(() => stringify("std.JSON.stringify", "api.nested")).message).toBe(refused("runtime"));
    expect(thrownError(() => stringify("std.JSON.stringify", "api.report")).message).toBe(refused("runtime"));
    expect(touched).toEqual([]);
    expect(stringify("std.JSON.stringify", "api.settings")).toBe('{"theme":"dark","size":2,"tags":["a","b"],"at":"1970-01-01T00:00:00.000Z"}');
    // Its other arguments as before.
    const tags = `#${call<number>("Get", 0, "api.settings.tags")}`;
    expect(call("CallText", 0, "std.JSON.stringify", [tags, "!0", "!1"])).toBe('[\n "a",\n "b"\n]');
  });

  it("through a typed import too; granted by name, it walks where the host lets it", async () => {
    const { binary } = await compileVirtual({
      "typed.ts": `
        import { JSObject } from "as-interop/assembly/interop";
        @jsImport("std.JSON.stringify") declare function stringify(value: JSObject): string;
        @jsInvokable export function Leak(): string {
          return stringify(new JSObject(0).getProperty<JSObject>("api.logger"));
        }`,
    });
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(binary, { scope: { std: { JSON }, api: { logger: new Logger(process) } } });
    expect(() => runtime.invokeMethod("typed", "Leak")).toThrow(refused("proc").replace(NAME, "typed"));
    const { call } = await load({ scope: { stringify: JSON.stringify, api: { logger: new Logger(process) } } });
    const text = call<string>("CallText", 0, "stringify", [`#${call<number>("Get", 0, "api.logger")}`]);
    expect(JSON.parse(text)).toMatchObject({ proc: { version: process.version }, level: "info" });
  });
});

describe("Object.freeze, seal and preventExtensions change no object of the engine's own", () => {
  // Granted one by one (a "standard library" of Object's statics: `keys`, `entries`, `freeze`),
  // they changed what the write rules keep from managed code: the realm's `Math`, `JSON` and
  // `console`, and built-in functions, which the host and every assembly share. Frozen, the host's
  // own later writes there (a polyfill, a test's mock of `console.log`) fail.
  const refused = (name: string) =>
    `The assembly '${NAME}' cannot call '${name}' on an object of the engine's own (a built-in function, or a namespace of them such ` +
    `as Math, JSON or console), which the whole realm shares: its scope grants calling it, not changing it.`;

  it("refused on the realm's objects, bound or not; a host's object, or managed code's own, as before", async () => {
    const scope = {
      std: { JSON, Math, console, freeze: Object.freeze, seal: Object.seal, preventExtensions: Object.preventExtensions },
      util: { lock: Object.freeze.bind(Object), settle: Reflect.preventExtensions.bind(Reflect) },
      api: { settings: { theme: "dark" } },
    };
    const { call } = await load({ scope });
    const targets = ["std.Math", "std.JSON", "std.console", "std.JSON.parse"].map((path) => [path, call<number>("Get", 0, path)] as const);
    const fixers = [["std.freeze", "Object.freeze"], ["std.seal", "Object.seal"], ["std.preventExtensions", "Object.preventExtensions"], ["util.lock", "freeze"], ["util.settle", "preventExtensions"]];
    for (const [path, name] of fixers) {
      for (const [target, handle] of targets) {
        expect(thrownError(() => call("Call", 0, path, [`#${handle}`])).message, `${path}(${target})`).toBe(refused(name));
      }
    }
    for (const shared of [Math, JSON, console, JSON.parse]) expect(Object.isExtensible(shared)).toBe(true);
    call("Call", 0, "std.freeze", [`#${call<number>("Get", 0, "api.settings")}`]);
    expect(Object.isFrozen(scope.api.settings)).toBe(true);
    const own = call<number>("Call", 0, "std.JSON.parse", ["{}"]);
    expect(call("Call", 0, "util.lock", [`#${own}`])).toBe(own);
  });
});
