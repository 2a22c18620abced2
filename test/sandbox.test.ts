/**
 * The sandbox (issue 14), attacked as untrusted managed code and hostile JS input would: the
 * capability scope as a membrane (host/js/membrane.ts), limits counted per value in every
 * direction, nothing left registered by a failure, faults and reloads that leave no way back into
 * an instance. The managed attacker is test/fixtures/sandbox.ts; the attack model, shared with the
 * Chromium suite (e2e/sandbox.spec.ts), is test/sandbox-attacks.ts.
 *
 * FUZZ_RUNS sets the sequences per property (default 200), FUZZ_SEED replays a failure.
 */
import fc from "fast-check";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AssemblyPoisonedError, DotNetObject, InteropError, InteropRuntime } from "../host/runtime/index.ts";
import { thrown, thrownError } from "./helpers.ts";
import { countFromEnv } from "./reliability-helpers.ts";
import { attacks, CODE, exhaustiveAttacks, hostPlacesIn, mustNotHold, pathsOf, realmChanges, runAttacks, snapshotRealm, touched } from "./sandbox-attacks.ts";
import { NAME, useSandboxFixture } from "./sandbox-fixture.ts";

const RUNS = countFromEnv("FUZZ_RUNS", 200);
const SEED = process.env["FUZZ_SEED"] === undefined ? undefined : Number(process.env["FUZZ_SEED"]);

/** Where the host's code is: what an error's stack would name. */
const HOST_PLACES = [fileURLToPath(new URL("..", import.meta.url)), "node:internal", "file://"];

const sandbox = useSandboxFixture();
const { load } = sandbox;

/** A JavaScript class, whose members the grant includes. */
class Counter {
  count = 0;
  increment(by: string): Counter {
    this.count += Number(by) || 1;
    return this;
  }
  get double(): number {
    return this.count * 2;
  }
}

class Store extends Map<string, string> {
  label = "store";
  describe(): string {
    return `store of ${this.size}`;
  }
}

/** A JavaScript error class (its [[Prototype]] is `Error`, whose statics it must not lend). */
class AppError extends Error {}

/** Objects the sandboxed assembly must never hold, whatever it does. */
function forbidden(): Set<unknown> {
  return new Set<unknown>([
    globalThis, Function, eval, Object, Reflect, process, setTimeout, setInterval, Map, Promise,
    Object.prototype, Function.prototype, Array.prototype, Map.prototype, Promise.prototype,
    Object.getPrototypeOf(async () => {}).constructor, sandbox.canaries.secret,
  ]);
}

/**
 * A scope with a bit of everything: plain data, functions, class instances, built-in data
 * structures, a frozen object, a proxy; and granted functions and properties that lead to what
 * must not cross (the global object, `Function`, `eval`, `process`, built-in prototypes).
 */
function attackScope(reported: unknown[]) {
  const leaks = {
    global: () => globalThis,
    fn: () => Function,
    eval: () => eval,
    boundEval: () => eval.bind(null),
    process: () => process,
    proto: () => Object.prototype,
    mapProto: () => Map.prototype,
    ctor: () => Map,
    timer: () => setTimeout,
    asyncCtor: () => Object.getPrototypeOf(async () => {}).constructor,
    get viaGetter() {
      return globalThis;
    },
    holder: { win: globalThis },
  };
  const scope = {
    api: {
      version: () => "1.0",
      settings: { theme: "dark" },
      echo: (x: unknown) => x,
      make: () => new Counter(),
      list: () => [1, "two", { three: 3 }],
      fail: () => {
        throw new Error("granted code failed");
      },
      // An error as a value (its stack names this file), with another as its cause.
      error: () => new Error("an error value", { cause: new TypeError("its cause") }),
      // A sloppy-mode function: its `caller` and `arguments`, and its arguments' `callee`.
      sloppy: new Function("a", "return arguments;") as (a: unknown) => IArguments,
      // A generator function: what it makes is an iterator, whose prototypes are the engine's.
      *pages() {
        yield new Counter();
      },
    },
    // Granted classes that extend built-ins: their statics are theirs, not Map's or Error's.
    Store,
    AppError,
    counter: new Counter(),
    store: new Store([["k", "v"]]),
    promise: Promise.resolve(1),
    asyncFn: async () => "async",
    frozen: Object.freeze({ fixed: 1 }),
    proxy: new Proxy({ inner: { deep: "yes" } }, {}),
    leaks,
  };
  Object.defineProperty(scope, "report", { value: (o: unknown) => void reported.push(o), enumerable: false });
  return scope;
}

describe("the scope is a membrane: what is reachable is what was granted", () => {
  it(`survives ${RUNS} random sequences of attacks: no canary or bait touched, nothing forbidden held`, async () => {
    let tried = 0;
    let succeeded = 0;
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(attacks([...pathsOf(attackScope([])), "counter.increment", "counter.double", "store.describe"]), async (sequence) => {
        const reported: unknown[] = [];
        const { call, runtime } = await load({ scope: attackScope(reported) });
        const before = snapshotRealm();
        const outcome = runAttacks(call, sequence);
        expect(realmChanges(before, snapshotRealm()), "the realm, after the attacks").toEqual([]);
        expect(hostPlacesIn(outcome.texts, HOST_PLACES), "texts naming the host's files").toEqual([]);
        tried += outcome.tried;
        succeeded += outcome.succeeded;
        ++sequences;
        expect(touched).toEqual([]);
        // Everything the assembly holds, handed back to JS: none of it is outside the grant.
        call("ReportHeld", "report");
        const outside = forbidden();
        for (const object of reported) expect(mustNotHold(object, outside), `held: ${String(object)}`).toBe(false);
        runtime.unloadAssembly(NAME);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`sandbox attacks (Node): ${sequences} sequences, ${tried} attacks, ${succeeded} allowed by the grant, ${tried - succeeded} refused; none escaped`);
    expect(succeeded).toBeGreaterThan(0);
    expect(tried - succeeded).toBeGreaterThan(0);
  }, 300_000);

  it("every two-step path out of the grant (read or called, then any key an attacker tries): nothing escapes", async () => {
    const reported: unknown[] = [];
    const { call } = await load({ scope: attackScope(reported) });
    const before = snapshotRealm();
    const outcome = exhaustiveAttacks(call, [...pathsOf(attackScope([])), "counter.increment", "counter.double", "store.describe"]);
    expect(realmChanges(before, snapshotRealm()), "the realm, after the attacks").toEqual([]);
    expect(hostPlacesIn(outcome.texts, HOST_PLACES), "texts naming the host's files").toEqual([]);
    expect(touched).toEqual([]);
    call("ReportHeld", "report");
    const outside = forbidden();
    for (const object of reported) expect(mustNotHold(object, outside), `held: ${String(object)}`).toBe(false);
    console.log(`sandbox, two steps out of the grant: ${outcome.tried} attempts, ${outcome.succeeded} allowed by the grant; none escaped`);
    expect(outcome.succeeded).toBeGreaterThan(0);
  }, 300_000);

  it("paths follow own properties and JavaScript classes' members, never a built-in prototype", async () => {
    const reported: unknown[] = [];
    const { call } = await load({ scope: attackScope(reported) });
    expect(call("GetString", 0, "api.settings.theme")).toBe("dark");
    expect(call("CallForString", 0, "api.version", "")).toBe("1.0");
    const counter = call<number>("CallForHandle", 0, "counter.increment", "2");
    expect(call("Has", counter, "count")).toBe(true);
    expect(call<number>("GetHandle", counter, "increment")).toBeGreaterThan(0); // a class's method
    expect(call("CallForString", 0, "store.describe", "")).toBe("store of 1");
    for (const path of [
      "api.version.constructor", "api.__proto__", "api.toString", "api.version.call", "api.version.bind",
      "counter.constructor", "store.get", "store.size", "promise.then", "api.__lookupGetter__", "api.__bait",
      "api.version.__bait", "api.list.__bait", "store.__bait", "promise.__bait", "globalThis", "__canary",
    ]) {
      const error = thrownError(() => call("GetHandle", 0, path));
      expect(error, path).toBeInstanceOf(InteropError);
      // Blazor's messages: a part before the last that is not there, or a last that is not (GetValue).
      expect(error.message, path).toMatch(
        /^(Could not find '.*' \('.*' was undefined\)|The property '.*' is not defined or is not readable)\. The assembly 'sandbox' can reach only what its scope grants\.$/,
      );
    }
    expect(touched).toEqual([]);
  });

  it("the report's escape is closed: `api.version.constructor` cannot reach Function", async () => {
    const { call } = await load({ scope: { api: { version: () => "1.0" } } });
    expect(() => call("CallForHandle", 0, "api.version.constructor", `return ${CODE}`)).toThrow(/Could not find 'api\.version\.constructor'/);
    expect(touched).toEqual([]);
  });

  it("values entering the sandbox are refused when they lead out of it, whichever way they come", async () => {
    const reported: unknown[] = [];
    const { call, assembly } = await load({ scope: attackScope(reported) });
    const refused: [string, string, RegExp][] = [
      ["leaks.global", "call", /cannot be given the global object/],
      ["leaks.fn", "call", /the built-in function 'Function', which runs text as code/],
      ["leaks.eval", "call", /the built-in function 'eval', which runs text as code/],
      ["leaks.boundEval", "call", /the built-in function 'eval', which runs text as code/],
      ["leaks.timer", "call", /the built-in function 'setTimeout', which runs text as code/],
      ["leaks.process", "call", /a platform object \(process\)/],
      ["leaks.proto", "call", /the prototype of the built-in 'Object'/],
      ["leaks.mapProto", "call", /the prototype of the built-in 'Map'/],
      ["leaks.ctor", "call", /the built-in constructor 'Map'/],
      ["leaks.asyncCtor", "call", /the built-in function 'AsyncFunction', which runs text as code/],
      ["leaks.viaGetter", "get", /cannot be given the global object/],
      ["leaks.holder", "copy", /cannot be given the global object/],
      ["leaks.holder.win", "get", /cannot be given the global object/],
    ];
    // A path cannot pass through what may not be given: not even to a plain object beyond it.
    expect(() => call("GetHandle", 0, "leaks.holder.win.__secret")).toThrow(/cannot be given the global object/);
    const before = assembly.diagnostics().jsObjects;
    for (const [path, how, message] of refused) {
      const error = thrownError(() =>
        how === "call" ? call("CallForHandle", 0, path, "") : how === "copy" ? call("GetString", 0, path) : call("GetHandle", 0, path),
      );
      expect(error, path).toBeInstanceOf(InteropError);
      expect(error.message, path).toMatch(message);
      expect(error.message, path).toMatch(/^The assembly 'sandbox' cannot be given .*: its scope does not grant it by name\.$/);
    }
    // Refused values leave no handle behind.
    expect(assembly.diagnostics().jsObjects).toBe(before);
    // What the grant does give crosses: instances, built-in data structures, functions.
    for (const path of ["counter", "store", "promise", "asyncFn", "frozen", "proxy", "api.echo"]) {
      expect(call<number>("GetHandle", 0, path), path).toBeGreaterThan(0);
    }
    expect(call<number>("CallForHandle", 0, "api.make", "")).toBeGreaterThan(0);
    expect(touched).toEqual([]);
  });

  it("a function the scope grants by name may be given, even a built-in one", async () => {
    const byName = await load({ scope: { setTimeout } });
    expect(byName.call<number>("GetHandle", 0, "setTimeout")).toBeGreaterThan(0);
    const { call } = await load({ scope: { Map, nested: { setTimeout } } });
    expect(call<number>("GetHandle", 0, "Map")).toBeGreaterThan(0);
    // Only by name: a function one level down is not granted by name.
    expect(() => call("GetHandle", 0, "nested.setTimeout")).toThrow(/cannot be given the built-in function 'setTimeout'/);
    expect(() => call("CallForString", 0, "nested.setTimeout", CODE)).toThrow(/cannot be given the built-in function 'setTimeout'/);
    expect(touched).toEqual([]);
  });

  it("arguments JS passes in (a callback's, say) go through the same membrane", async () => {
    const { call, assembly } = await load({ scope: {} });
    expect(() => call("Take", globalThis)).toThrow(/cannot be given the global object/);
    expect(() => call("Take", Function)).toThrow(/'Function', which runs text as code/);
    expect(() => call("TakeAll", [{}, new Counter(), process])).toThrow(/a platform object \(process\)/);
    expect(assembly.diagnostics().jsObjects).toBe(0);
    expect(call<number>("Take", new Counter())).toBeGreaterThan(0);
  });

  it("writes reach own properties only: not __proto__, constructor, prototype, nor what a built-in defines", async () => {
    const reported: unknown[] = [];
    const scope = attackScope(reported);
    const { call } = await load({ scope });
    const prototypeBefore = Object.getPrototypeOf(scope.api.settings);
    for (const path of ["api.settings.__proto__", "api.settings.constructor", "api.version.prototype", "api.settings.toString", "api.settings.__baitSet", "counter.__bait"]) {
      const error = thrownError(() => call("SetString", 0, path, "x"));
      expect(error, path).toBeInstanceOf(InteropError);
      expect(error.message, path).toMatch(/^The assembly 'sandbox' cannot set '.*': .*, and its scope grants only own properties\.$/);
    }
    expect(Object.getPrototypeOf(scope.api.settings)).toBe(prototypeBefore);
    expect(Object.hasOwn(scope.api.settings, "constructor")).toBe(false);
    // Not through an object that may not be given, nor on one (the global object here).
    expect(() => call("SetString", 0, "leaks.holder.win.written", "x")).toThrow(/cannot be given the global object/);
    expect("written" in globalThis).toBe(false);
    expect(call("Has", 0, "leaks.holder.win.__secret")).toBe(false);
    // Own properties and new ones are fine; a class's own setter would run.
    call("SetString", 0, "api.settings.theme", "light");
    call("SetString", 0, "api.settings.added", "yes");
    expect(scope.api.settings).toEqual({ theme: "light", added: "yes" });
    // A frozen object says so.
    expect(() => call("SetString", 0, "frozen.fixed", "2")).toThrow("The property 'frozen.fixed' is not writable.");
    expect(touched).toEqual([]);
  });

  it("its own references handed back to it lead nowhere new: not their prototypes, constructor or unbound members", async () => {
    const { call } = await load({ scope: { api: { version: () => "1.0" } } });
    type Helper = DotNetObject & { name: string; invokeMethod(id: string): string; dispose(): void };
    const helper = call<Helper>("MakeHelper", "h");
    const other = call<Helper>("MakeHelper", "o");
    const handle = call<number>("Take", helper);
    // What it reaches: the scriptable members and the methods of DotNetObject, a JavaScript class.
    expect(call("GetString", handle, "name")).toBe("h");
    expect(call("Has", handle, "invokeMethod")).toBe(true);
    for (const path of ["constructor", "__proto__", "prototype", "toString", "hasOwnProperty", "valueOf", "stream", "missing"]) {
      expect(call("Has", handle, path), path).toBe(false);
      expect(thrownError(() => call("GetHandle", handle, path)), path).toBeInstanceOf(InteropError);
    }
    // A method taken off the reference is not bound to it: called alone, it reaches no object.
    const unbound = call<number>("GetHandle", handle, "invokeMethod");
    expect(() => call("CallSelf", unbound, "Hello")).toThrow(/#id/);
    // Writes: a scriptable member's setter runs; the shared members are frozen, and no key can be added.
    call("SetString", handle, "name", "renamed");
    expect(helper.name).toBe("renamed");
    for (const path of ["invokeMethod", "dispose", "id", "extra", "toString", "constructor", "__proto__"]) {
      expect(() => call("SetString", handle, path, "x"), path).toThrow();
    }
    // Nothing changed for another reference, nor for the host.
    expect(other.invokeMethod("Hello")).toBe("Hello, o!");
    expect(Object.getPrototypeOf(other)).toBe(Object.getPrototypeOf(helper));
    expect(other.invokeMethod).toBe(helper.invokeMethod);
    expect(Object.isFrozen(DotNetObject.prototype) && Object.isFrozen(helper)).toBe(true);
    expect(touched).toEqual([]);
  });

  it("hasProperty answers exactly for what a read would reach", async () => {
    const { call } = await load({ scope: attackScope([]) });
    for (const path of ["api", "api.version", "api.settings.theme", "counter.increment", "counter.double", "store.label"]) {
      expect(call("Has", 0, path), path).toBe(true);
    }
    for (const path of ["api.__proto__", "api.constructor", "api.toString", "api.version.call", "store.get", "api.__bait", "globalThis", "api.missing"]) {
      expect(call("Has", 0, path), path).toBe(false);
    }
    expect(touched).toEqual([]);
  });

  it("an error reaches the sandbox with its name and message, and a stack without the host's files", async () => {
    const { call } = await load({ scope: { api: { fail: () => { throw new TypeError("granted code failed"); } } } });
    const [name, message, stack] = call<string>("CaughtError", "api.fail").split("|");
    // The message as Blazor's JSException reads after a synchronous call (the error's toString()), and no stack.
    expect([name, message, stack]).toEqual(["TypeError", "TypeError: granted code failed", ""]);
    // Outside a sandbox, managed code sees the whole stack, as Blazor's JSException does.
    const open = new InteropRuntime();
    await open.loadAssembly(sandbox.module);
    (globalThis as Record<string, unknown>)["sandboxTestFail"] = () => {
      throw new TypeError("open failure");
    };
    try {
      expect(open.invokeMethod<string>(NAME, "CaughtError", "sandboxTestFail")).toMatch(/sandbox\.test\.ts/);
    } finally {
      delete (globalThis as Record<string, unknown>)["sandboxTestFail"];
    }
  });

  it("a scope cannot hold the global object (nor, in a browser, a document or a DOM node)", async () => {
    const runtime = new InteropRuntime();
    for (const scope of [{ g: globalThis }, { window: globalThis }]) {
      const error = await runtime.loadAssembly(sandbox.module, { scope }).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(InteropError);
      expect((error as Error).message).toMatch(/^The scope of the assembly 'sandbox' grants '(g|window)', the global object\. A sandbox cannot hold global objects, documents, DOM nodes or locations/);
    }
    expect(runtime.assemblyNames).toEqual([]);
    // `scope: globalThis` is no sandbox at all: Blazor's default.
    await runtime.loadAssembly(sandbox.module, { scope: globalThis });
  });
});

describe("limits count every part of a value, in every direction", () => {
  it("maxPayloadBytes: an array of arrays of small strings is one value, as an argument", async () => {
    const { call, assembly } = await load({ maxPayloadBytes: 4096 });
    const small = Array.from({ length: 10 }, () => Array.from({ length: 10 }, () => "s".repeat(10)));
    expect(call("CountStrings", small)).toBe(100);
    const large = Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => "s".repeat(10)));
    expect(() => call("CountStrings", large)).toThrow(/the value needs \d+ bytes \(all its parts\), more than this host allows \(maxPayloadBytes = 4096\)/);
    expect(assembly.diagnostics().pinned).toBe(0);
    expect(call("CountStrings", small)).toBe(100);
  });

  it("maxPayloadBytes: a call of numbers only, made while a value is converted, leaves that value's count as it was", async () => {
    // Such a call skips the per-call bookkeeping (host/runtime/invoker.ts); it must not restart the count either.
    const { call } = await load({ maxPayloadBytes: 4096 });
    const doubler = call<(x: number) => number>("MakeDoubler");
    const inner = () => Array.from({ length: 60 }, () => "s".repeat(10)); // 1,440 bytes with the array's
    const nestedCalls = { byName: 0, delegate: 0 };
    const middle = inner();
    Object.defineProperty(middle, 0, {
      get() {
        // The first 1,440 bytes are counted; a fresh count here would let the 4,320 through.
        nestedCalls.byName += call<number>("Add", 1, 2);
        nestedCalls.delegate += doubler(3);
        return "s".repeat(10);
      },
    });
    expect(() => call("CountStrings", [inner(), middle, inner()])).toThrow(
      /the value needs \d+ bytes \(all its parts\), more than this host allows \(maxPayloadBytes = 4096\)/,
    );
    expect(nestedCalls.byName).toBeGreaterThan(0);
    expect(nestedCalls.delegate).toBe(2 * nestedCalls.byName);
    expect(call("CountStrings", [inner(), middle])).toBe(120);
  });

  it("maxPayloadBytes: a result, a JS call's arguments and a JS call's result are each one value too", async () => {
    const large = Array.from({ length: 100 }, () => Array.from({ length: 100 }, () => "s".repeat(10)));
    const scope = { data: { large: () => large, small: () => [["a"]] }, sink: { take: (values: string[]) => values.length } };
    const { call } = await load({ maxPayloadBytes: 4096, scope });
    const limit = /more than this host allows \(maxPayloadBytes = 4096\)/;
    expect(call("MakeStrings", 10, 10)).toHaveLength(10);
    expect(() => call("MakeStrings", 100, 100)).toThrow(limit); // 100 strings of 200 bytes: each fits, the value not
    expect(call("ReadStrings", "data.small")).toBe(1);
    expect(() => call("ReadStrings", "data.large")).toThrow(limit);
    call("SendStrings", "sink.take", 10, 10);
    expect(() => call("SendStrings", "sink.take", 100, 100)).toThrow(limit);
    expect(call("MakeStrings", 10, 10)).toHaveLength(10);
  });

  it("maxHandles: a JS call's result that fails part way (over the limit, or a wrong element) leaves no handle", async () => {
    // Class instances cross as handles (plain objects would be copied).
    const objects = Array.from({ length: 10 }, () => new Counter());
    const scope = { data: { many: () => objects, two: () => objects.slice(0, 2), mixed: () => [new Counter(), new Counter(), 5] } };
    const { call, assembly } = await load({ maxHandles: 4, scope });
    expect(() => call("ReadHandles", "data.many")).toThrow("This host allows 4 live JS objects held by managed code at once (maxHandles); dispose some before making more.");
    expect(assembly.diagnostics().jsObjects).toBe(0);
    expect(() => call("ReadHandles", "data.mixed")).toThrow(/JavaScript returned a number where managed code expects a JS object/);
    expect(assembly.diagnostics().jsObjects).toBe(0);
    // The table is not filled for good: values that fit still cross, again and again.
    for (let i = 0; i < 5; ++i) expect(call("ReadHandles", "data.two")).toBe(2);
  });

  it("a result that fails to read (a string where a handle is expected) releases none of the handles held before it", async () => {
    // Found by the random sequences: the failed read gave back the handle of the previous value.
    const reported: unknown[] = [];
    const { call, assembly } = await load({ scope: { api: { echo: (x: unknown) => x }, report: (o: unknown) => void reported.push(o) } });
    const echo = call<number>("GetHandle", 0, "api.echo");
    const held = assembly.diagnostics().jsObjects;
    expect(() => call("CallSelf", echo, "")).toThrow("Cannot create a JSObjectReference from the value ''.");
    expect(() => call("CallSelf", echo, "")).toThrow("Cannot create a JSObjectReference from the value ''.");
    expect(assembly.diagnostics().jsObjects).toBe(held);
    expect(call("ReportHeld", "report")).toBe(1);
    expect(typeof reported[0]).toBe("function");
  });

  it("maxHandles: arguments that fail part way leave no handle", async () => {
    const { call, assembly } = await load({ maxHandles: 3 });
    const some = (n: number) => Array.from({ length: n }, () => new Counter());
    expect(() => call("TakeAll", some(5))).toThrow(/This host allows 3 live JS objects/);
    expect(assembly.diagnostics().jsObjects).toBe(0);
    expect(call("TakeAll", some(3))).toBe(3);
    expect(assembly.diagnostics().jsObjects).toBe(3);
  });

  it("maxHandles: an array of managed references over the limit part way is released on both sides", async () => {
    const { call, assembly } = await load({ maxHandles: 3 });
    expect(() => call("MakeHelpers", 5)).toThrow("This host allows 3 live references to managed objects at once (maxHandles); dispose some before making more.");
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsReferences: 0 });
    const helpers = call<{ invokeMethod(id: string): string; dispose(): void }[]>("MakeHelpers", 3);
    expect(helpers.map((h) => h.invokeMethod("Hello"))).toEqual(["Hello, h0!", "Hello, h1!", "Hello, h2!"]);
    for (const helper of helpers) helper.dispose();
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsReferences: 0 });
  });
});

describe("faults and reloads leave no way back into an instance", () => {
  const outerCalls: [string, unknown[]][] = [
    ["CallThenAnswer", ["js.trapAndCatch"]],
    ["AnswerAfterJS", []], // numbers only: the plain invoker checks too
  ];
  it.each(outerCalls)("a nested call that traps poisons the outer call (%s) too, even when the JS in between catches it", async (method, args) => {
    let caught: unknown;
    const runtime = new InteropRuntime();
    const scope = {
      js: {
        trapAndCatch: () => {
          try {
            runtime.invokeMethod(NAME, "Trap");
          } catch (error) {
            caught = error;
          }
        },
      },
    };
    await runtime.loadAssembly(sandbox.module, { scope });
    const error = thrown(() => runtime.invokeMethod(NAME, method, ...args));
    expect(caught).toBeInstanceOf(AssemblyPoisonedError);
    expect(error).toBe(caught);
    expect(() => runtime.invokeMethod(NAME, "MakeHelper", "x")).toThrow(AssemblyPoisonedError);
    expect(() => runtime.invokeMethod(NAME, "Add", 1, 2)).toThrow(AssemblyPoisonedError);
  });

  for (const how of ["reloadAssembly", "unloadAssembly"] as const) {
    it(`${how}: references, functions, views and waiting calls of the old instance fail clearly`, async () => {
      const runtime = new InteropRuntime();
      const old = await runtime.loadAssembly(sandbox.module, { scope: {} });
      const helper = runtime.invokeMethod<{ invokeMethod(id: string): string; name: string }>(NAME, "MakeHelper", "old");
      const doubler = runtime.invokeMethod<(x: number) => number>(NAME, "MakeDoubler");
      const numbers = runtime.invokeMethod<number[]>(NAME, "Numbers");
      expect([helper.invokeMethod("Hello"), doubler(2), numbers[1]]).toEqual(["Hello, old!", 4, 2]);
      const fresh = how === "reloadAssembly" ? await runtime.reloadAssembly(NAME) : (runtime.unloadAssembly(NAME), null);
      const what = how === "reloadAssembly" ? "reloaded" : "unloaded";
      const gone = new RegExp(`^The assembly 'sandbox' was ${what}: this object belongs to its previous instance, whose state is gone\\.`);
      expect(() => helper.invokeMethod("Hello")).toThrow(gone);
      expect(() => helper.name).toThrow(gone);
      expect(() => doubler(2)).toThrow(gone);
      expect(() => numbers[1]).toThrow(gone);
      expect(() => old.methods.get("MakeHelper")!.invoke(["x"])).toThrow(gone);
      expect(old.diagnostics().jsObjects).toBe(0);
      if (fresh) expect(runtime.invokeMethod<{ invokeMethod(id: string): string }>(NAME, "MakeHelper", "new").invokeMethod("Hello")).toBe("Hello, new!");
      else expect(() => runtime.invokeMethod(NAME, "MakeHelper", "new")).toThrow("There is no loaded assembly with the name 'sandbox'.");
    });
  }
});

describe("by-value results cannot reshape JS objects", () => {
  it("a @dataMember field named __proto__ is an own property, not the object's prototype", async () => {
    const { call } = await load({});
    const odd = call<Record<string, unknown>>("MakeOdd");
    expect(Object.getPrototypeOf(odd)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(odd, "__proto__")?.value).toBe("a field");
    expect(Object.keys(odd)).toEqual(["__proto__", "constructor_"]);
    // Into managed code, only an own property counts (not every object's prototype).
    const input = JSON.parse('{"__proto__": "given", "constructor_": 5}') as object;
    const echoed = call<Record<string, unknown>>("EchoOdd", input);
    expect(Object.getOwnPropertyDescriptor(echoed, "__proto__")?.value).toBe("given");
    expect(() => call("EchoOdd", { constructor_: 5 })).toThrow(/__proto__/);
  });
});
