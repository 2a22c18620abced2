/**
 * The sandbox attacked by an outside tester, sixth round: what one sandboxed assembly can do to
 * what another sees (the membrane's verdicts on shared objects), to the realm's own objects a scope
 * grants (Math, JSON, console), and through the rest of the host's machinery. The attacker is
 * test/fixtures/sandbox-probe.ts, loaded under several names.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileFixture, compileVirtual } from "./helpers.ts";

const NAME = "sandbox-probe";
let module: WebAssembly.Module;
beforeAll(async () => {
  module = (await compileFixture(NAME)).module;
});

async function load(options: AssemblyOptions) {
  const runtime = new InteropRuntime();
  const name = options.name ?? NAME;
  const assembly = await runtime.loadAssembly(module, options);
  return { runtime, assembly, call: <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod(name, method, ...args) as T };
}

const notFound = (name: string, path: string, key: string) =>
  `Could not find '${path}' ('${key}' was undefined). The assembly '${name}' can reach only what its scope grants.`;

describe("what one assembly does to a shared object decides nothing of what another reaches", () => {
  // An object without a constructor of its own that holds a function of the engine's is taken for
  // an engine's prototype (an iterator's), whose members are not reachable. The verdict was taken
  // once, for every membrane: an assembly granted such an object could store a built-in function
  // there (a granted `console.log`, `Math.max`) and so hide its members, for good, from every other
  // assembly whose objects inherit from it.
  const shape = () => {
    const base = {
      describe(): string {
        return "base";
      },
    };
    return { base, item: Object.create(base) as object };
  };

  it("a built-in function one assembly stores in a prototype does not hide the prototype's members from another", async () => {
    const { base, item } = shape();
    const writer = await load({ name: "writer", scope: { shared: base, mine: Object.create(base), tools: { log: console.log, max: Math.max } } });
    writer.call("SetHandle", 0, "shared.log", writer.call<number>("Get", 0, "tools.log"));
    writer.call("SetHandle", 0, "shared.max", writer.call<number>("Get", 0, "tools.max"));
    expect(base).toHaveProperty("log", console.log);
    const reader = await load({ name: "reader", scope: { item } });
    expect(reader.call("CallText", 0, "item.describe", [])).toBe("base");
    // Nor from the writer itself: what it stored there is its own doing, not the engine's.
    expect(writer.call("CallText", 0, "mine.describe", [])).toBe("base");
  });

  it("nor does the moment an assembly first asks: each membrane takes its own verdict", async () => {
    const { base, item } = shape();
    const first = await load({ name: "first", scope: { item } });
    expect(first.call("CallText", 0, "item.describe", [])).toBe("base");
    // The host borrows an engine function for the prototype: from now on it is judged an engine's.
    Object.assign(base, { now: Date.now });
    const later = await load({ name: "later", scope: { item } });
    expect(() => later.call("CallText", 0, "item.describe", [])).toThrow(notFound("later", "item.describe", "describe"));
    // The first keeps what it was given.
    expect(first.call("CallText", 0, "item.describe", [])).toBe("base");
  });
});

describe("a granted Math, JSON or console is the realm's: calling its functions is granted, changing them is not", () => {
  // Writes reach own properties of granted objects, and a namespace's functions are its own: a scope
  // granting `{ JSON, Math, console }` let managed code replace `JSON.stringify`, `Math.random` or
  // `console.error` for the whole realm — the host and every other assembly — and so receive what
  // they were given (every error the host's console printed, another assembly's included).
  const cannotSet = (key: string) =>
    `The assembly '${NAME}' cannot set '${key}': the object is one of the engine's own (a built-in function, or a namespace of them such as ` +
    `Math, JSON or console), which the whole realm shares: its scope grants calling it, not changing it.`;

  it("its functions are not replaced, nor keys added to it or to a built-in function; the instance works on", async () => {
    const { call } = await load({ scope: { std: { Math, JSON }, console, tools: { log: console.log } } });
    const stringify = call<number>("Get", 0, "std.JSON.stringify");
    const [max, error, random] = [Math.max, console.error, Math.random];
    expect(() => call("SetHandle", 0, "std.Math.max", stringify)).toThrow(cannotSet("max"));
    expect(() => call("SetHandle", 0, "std.Math.random", stringify)).toThrow(cannotSet("random"));
    expect(() => call("SetHandle", 0, "console.error", stringify)).toThrow(cannotSet("error"));
    expect(() => call("SetText", 0, "std.JSON.note", "from the sandbox")).toThrow(cannotSet("note"));
    expect(() => call("SetText", stringify, "note", "from the sandbox")).toThrow(cannotSet("note"));
    expect(() => call("SetText", 0, "tools.log.note", "from the sandbox")).toThrow(cannotSet("note"));
    expect([Math.max, console.error, Math.random]).toEqual([max, error, random]);
    expect(Object.hasOwn(JSON, "note") || Object.hasOwn(JSON.stringify, "note") || Object.hasOwn(console.log, "note")).toBe(false);
    // Calling them is what the scope grants; the host's own object holding one stays the host's to be written.
    expect(call("CallNumber", 0, "std.Math.max", ["!1", "!2"])).toBe(2);
    expect(call("CallText", 0, "std.JSON.stringify", ["text"])).toBe('"text"');
    call("SetText", 0, "tools.log", "replaced");
    expect(call("GetText", 0, "tools.log")).toBe("replaced");
  });
});

describe("the scope's import is found and called as JSRuntime.invoke('import') finds and calls it", () => {
  // A load, and every reload, imports the modules an assembly's typed imports name by calling the
  // scope's `import` with the URLs the assembly chose. It was read from the live scope and called
  // as it was, unadmitted and without a `this`: a function that landed there since the first load
  // (host code writing `this.import`, run with the scope as `this`) ran the assembly's text.
  const ran: string[] = [];
  beforeAll(() => {
    (globalThis as { __sandboxRan?: (what: string) => void }).__sandboxRan = (what) => void ran.push(what);
  });
  const source = `
    import { JSObject } from "as-interop/assembly/interop";
    @jsImport("ready", "globalThis.__sandboxRan('reload')") declare function ready(): void;
    @jsInvokable export function Ready(): void { ready(); }
    @jsInvokable export function Install(): void {
      const scope = new JSObject(0);
      scope.setProperty<JSObject>("install", scope.getProperty<JSObject>("session.install"));
      scope.invokeVoid("install");
    }
    @jsInvokable export function Trap(): void { unreachable(); }`;
  class Session {
    install(): void {
      // Stored on the scope and called there, `this` is the scope.
      (this as unknown as { import: unknown }).import = eval;
    }
  }

  it("a reload with a refused function at the scope's import fails with the refusal, and never calls it", async () => {
    ran.length = 0;
    const { binary } = await compileVirtual({ "loader.ts": source });
    const imported: { url: string; self: unknown }[] = [];
    const scope = {
      import(this: unknown, url: string) {
        imported.push({ url, self: this });
        return Promise.resolve({ ready: () => {} });
      },
      session: new Session(),
    };
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(binary, { scope });
    // Called on the scope, as a path's function is.
    expect(imported).toEqual([{ url: "globalThis.__sandboxRan('reload')", self: scope }]);
    runtime.invokeMethod("loader", "Install");
    expect(scope.import).toBe(eval);
    expect(() => runtime.invokeMethod("loader", "Trap")).toThrow(/unreachable/);
    await expect(runtime.reloadAssembly("loader")).rejects.toThrow(
      "The assembly 'loader' cannot be given the built-in function 'eval', which runs text as code: its scope does not grant it by name.",
    );
    expect(ran).toEqual([]);
  });
});

describe("a module imports what the host gives it, not what every object inherits", () => {
  // The engine finds an import by [[Get]] on the import objects, which were ordinary objects: a
  // module (AssemblyScript's `@external`, with reference types for what is not a number) imported
  // `Object` as `constructor.*`, its statics (`defineProperty`, `getOwnPropertyDescriptor`,
  // `setPrototypeOf`), `Object.prototype` as a global and `Function` as `constructor.constructor`,
  // none of which a scope grants, and changed the realm's built-ins for the host and every assembly.
  const refTypes = { ascFlags: ["--enable", "reference-types"] };

  it("Object.defineProperty on Object.prototype, from a sandbox granted nothing: the load is refused", async () => {
    const { binary } = await compileVirtual(
      {
        "pollute.ts": `
          @external("constructor", "defineProperty") declare function defineProperty(o: externref, key: externref, d: externref): externref;
          @external("constructor", "getOwnPropertyDescriptor") declare function descriptor(o: externref, key: externref): externref;
          @external("constructor", "prototype") declare const objectPrototype: externref;
          @external("constructor", "name") declare const objectName: externref;
          @external("toString", "name") declare const toStringName: externref;
          @jsInvokable export function Pollute(): void {
            // Object.prototype.Object = Object.prototype.toString, for every object of the realm.
            defineProperty(objectPrototype, objectName, descriptor(objectPrototype, toStringName));
          }`,
      },
      refTypes,
    );
    const runtime = new InteropRuntime();
    try {
      const error = await runtime.loadAssembly(binary, { scope: {} }).then(
        () => (runtime.invokeMethod("pollute", "Pollute"), null),
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(
        /^The assembly 'pollute' declares functions that JavaScript must provide \(.*\), and the imports option does not give 'constructor\.getOwnPropertyDescriptor', 'constructor\.defineProperty', 'constructor\.prototype', 'constructor\.name', 'toString\.name'\./,
      );
      expect(Object.hasOwn(Object.prototype, "Object")).toBe(false);
    } finally {
      delete (Object.prototype as { Object?: unknown }).Object;
    }
  });

  it("nor from the runtime's own modules: env, the calls into JS, the typed imports", async () => {
    const { binary } = await compileVirtual(
      {
        "inherit.ts": `
          @external("env", "constructor") declare function fromEnv(x: externref): externref;
          @jsInvokable export function Run(): void { fromEnv(null); }`,
      },
      refTypes,
    );
    await expect(new InteropRuntime().loadAssembly(binary, { scope: {} })).rejects.toThrow(/the imports option does not give 'env\.constructor'\./);
    for (const module of ["as-interop", "as-interop.imports"]) {
      const { binary } = await compileVirtual({
        "inherit.ts": `
          @external(${JSON.stringify(module)}, "toString") declare function inherited(): void;
          @jsInvokable export function Run(): void { inherited(); }`,
      });
      await expect(new InteropRuntime().loadAssembly(binary, { scope: {} })).rejects.toThrow(
        `The assembly 'inherit' imports '${module}.toString', which as-interop does not provide: compile it again with this version of as-interop.`,
      );
    }
  });
});

describe("a write runs a setter with managed code's value, as a call does: a setter the membrane refuses is not run", () => {
  // Functions the membrane refuses (a code runner, a bound innerHTML setter) were refused as values
  // and as calls, but an object may hold one as the setter of an accessor (`{ set: eval }`, a
  // setter borrowed from an element and bound to it): a write ran it with managed code's text.
  const ran: string[] = [];
  beforeAll(() => {
    (globalThis as { __sandboxRan?: (what: string) => void }).__sandboxRan = (what) => void ran.push(what);
  });

  it("refused unless granted by name; a setter written in JavaScript runs as before", async () => {
    ran.length = 0;
    const config = Object.defineProperty({ level: 0 }, "script", { set: eval, enumerable: true });
    class Settings {
      #theme = "light";
      get theme(): string {
        return this.#theme;
      }
      set theme(value: string) {
        this.#theme = value;
      }
    }
    const { call } = await load({ scope: { config, settings: new Settings() } });
    expect(() => call("SetText", 0, "config.script", "globalThis.__sandboxRan('setter')")).toThrow(
      `The assembly '${NAME}' cannot set 'script': its setter is the built-in function 'eval', which runs text as code, which its scope does not grant by name.`,
    );
    expect(ran).toEqual([]);
    call("SetText", 0, "settings.theme", "dark");
    expect(call("GetText", 0, "settings.theme")).toBe("dark");
    call("SetText", 0, "config.level", "2");
    expect(config.level).toBe("2");
    // The host's explicit choice: granted by name.
    const named = await load({ name: "named", scope: { script: eval, config } });
    named.runtime.invokeMethod("named", "SetText", 0, "config.script", "globalThis.__sandboxRan('by name')");
    expect(ran).toEqual(["by name"]);
  });
});

describe("Reflect's functions, and their twins among Object's statics, are refused one by one as Reflect is", () => {
  // `Reflect` is refused: its functions read and write any object's properties past the membrane's
  // rules. Granted one by one (a "describe", a "merge", a "prototype of"), they and `Object`'s twins
  // were admitted: `getOwnPropertyDescriptor(error, "stack")` read the stack (the host's file paths),
  // `getPrototypeOf(session)` gave the class's prototype, shared by every instance, to be written.
  class Session {
    isAdmin(): boolean {
      return false;
    }
  }
  const refusedReflection = (name: string) =>
    `The assembly '${NAME}' cannot be given the built-in function '${name}', which reaches past the scope (it reads or writes any ` +
    `object's properties, as Reflect's functions do): its scope does not grant it by name.`;

  it("read, called or handed in: refused; the instance works on", async () => {
    const scope = {
      util: {
        describe: Object.getOwnPropertyDescriptor,
        prototypeOf: Object.getPrototypeOf,
        merge: Object.assign,
        get: Reflect.get,
        boundDescribe: Object.getOwnPropertyDescriptor.bind(Object),
        keys: Object.keys,
      },
      api: { fail: () => new Error("granted code failed"), session: new Session() },
    };
    const { call, assembly } = await load({ scope });
    const error = call<number>("Call", 0, "api.fail", []);
    const session = call<number>("Get", 0, "api.session");
    expect(() => call("Call", 0, "util.describe", [`#${error}`, "stack"])).toThrow(refusedReflection("Object.getOwnPropertyDescriptor"));
    expect(() => call("CallText", 0, "util.get", [`#${error}`, "stack"])).toThrow(refusedReflection("Reflect.get"));
    expect(() => call("Call", 0, "util.prototypeOf", [`#${session}`])).toThrow(refusedReflection("Object.getPrototypeOf"));
    expect(() => call("Get", 0, "util.merge")).toThrow(refusedReflection("Object.assign"));
    expect(() => call("Call", 0, "util.boundDescribe", [`#${error}`, "stack"])).toThrow(refusedReflection("getOwnPropertyDescriptor"));
    expect(() => call("Take", Reflect.ownKeys)).toThrow(refusedReflection("Reflect.ownKeys"));
    expect(Object.hasOwn(Session.prototype, "isAdmin") && Session.prototype.isAdmin()).toBe(false);
    // What reads no more than a path does is admitted as before.
    expect(call<number>("Call", 0, "util.keys", [`#${session}`])).toBeGreaterThan(0);
    expect(call("GetText", error, "stack")).toBe("");
    expect(assembly.diagnostics().jsObjects).toBe(3);
  });

  it("granted by name, it may be given", async () => {
    const { call } = await load({ scope: { describe: Object.getOwnPropertyDescriptor } });
    expect(call<number>("Get", 0, "describe")).toBeGreaterThan(0);
  });
});
