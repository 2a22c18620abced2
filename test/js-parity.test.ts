/**
 * Blazor's JS-side API from managed code (issue 19): every call that can fail has a `try` form
 * (on `JSRuntime` and on `JSObject`) that returns a JS exception, and a result that does not fit
 * the type asked for, as an error instead of aborting; failures read as Blazor's
 * `JSException.Message` does; constructors (`InvokeConstructor`), values by identifier
 * (`GetValue`/`SetValue`) and their async forms. The fixture is test/fixtures/js-parity.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime, type LoadedAssembly } from "../host/runtime/index.ts";
import { compileErrors, compileFixture, locate, rejection } from "./helpers.ts";

const NAME = "js-parity";
let module: WebAssembly.Module;

beforeAll(async () => {
  module = (await compileFixture(NAME)).module;
});

class Widget {
  constructor(readonly label: string) {}
  describe(): string {
    return `widget ${this.label}`;
  }
}

/** `promise`, its rejection marked handled (it is read later, by managed code). */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

function scope() {
  const error = new RangeError("thrown by JS");
  return {
    error,
    values: {
      text: () => "text",
      number: () => 7,
      big: () => 2 ** 40,
      fraction: () => 1.5,
      nothing: () => null,
      missing: () => undefined,
      instance: () => new Widget("w"),
      strings: () => ["a", "b"],
      mixed: () => ["a", 5],
      handles: () => [new Widget("1"), new Widget("2"), "not an object"],
      throws: () => {
        throw error;
      },
      thrownString: () => {
        throw "a plain reason";
      },
      frozen: Object.freeze({ value: 1 }),
      sealed: Object.preventExtensions({ kept: 1 }),
      unset: undefined as unknown,
      counter: 1,
      effects: [] as string[],
      later: (text: string) => new Promise((resolve) => setTimeout(() => resolve(`ignored ${text}`), 1)),
      rejectLater: () => new Promise((_, reject) => setTimeout(() => reject(new Error("effect failed")), 1)),
      never: () => new Promise(() => {}),
      ready: Promise.resolve(5),
      readyLater: new Promise((resolve) => setTimeout(() => resolve(6), 5)),
      instanceLater: Promise.resolve(new Widget("promised")),
      failed: handled(Promise.reject(new Error("not ready"))),
    },
    tool: {
      count: 1,
      frozen: Object.freeze({ value: 1 }),
      greet: (name: string) => `hello ${name}`,
      fail: () => {
        throw new TypeError("tool failed");
      },
    },
    shout: (text: string) => text.toUpperCase(),
    callbacks: {
      callTwice: (fn: (n: number) => number, step: number) => fn(step) + fn(step),
      callWith: (fn: (value: unknown) => unknown, value: unknown) => fn(value),
      handler: null as ((n: number) => number) | null,
    },
    Widget,
    Failing: class {
      constructor() {
        throw new Error("constructor failed");
      }
    },
    Date,
    notAConstructor: () => ({}),
  };
}

/** The scope, with a property that has only a getter and one that has only a setter. */
function scopeWithAccessors() {
  const granted = scope();
  Object.defineProperty(granted.values, "readOnly", { get: () => "got", enumerable: true });
  Object.defineProperty(granted.values, "writeOnly", { set: () => {}, enumerable: true });
  return granted;
}

async function load(): Promise<{ call<T = unknown>(method: string, ...args: unknown[]): T; assembly: LoadedAssembly; scope: ReturnType<typeof scope>; runtime: InteropRuntime }> {
  const runtime = new InteropRuntime();
  const granted = scope();
  const assembly = await runtime.loadAssembly(module, { scope: granted });
  return { runtime, assembly, scope: granted, call: (method, ...args) => runtime.invokeMethod(NAME, method, ...args) };
}

describe("every failure can be caught: tryInvoke and its kin", () => {
  it("a JS exception comes back with Blazor's JSException text after a synchronous call: the error's toString()", async () => {
    const { call } = await load();
    // What .NET's WebAssembly runtime makes of a JS error a synchronous call threw: `${error}`.
    expect(call("TryString", "values.throws")).toBe("RangeError|RangeError: thrown by JS");
    expect(call("TryString", "values.thrownString")).toBe("Error|a plain reason");
    // as-interop's own errors are their message, as Blazor's are (no name prefix).
    expect(call("TryString", "no.such")).toBe(
      "InteropError|Could not find 'no.such' ('no' was undefined). The assembly 'js-parity' can reach only what its scope grants.",
    );
    // Outside a sandbox too; the stack is the JSError's `stack` (TryString shows name and message).
    const open = new InteropRuntime();
    await open.loadAssembly(module);
    const g = globalThis as Record<string, unknown>;
    const error = new TypeError("open failure");
    g["parityFailing"] = () => {
      throw error;
    };
    try {
      expect(open.invokeMethod(NAME, "TryString", "parityFailing")).toBe("TypeError|TypeError: open failure");
    } finally {
      delete g["parityFailing"];
    }
  });

  it("a result that does not fit T is an error, not an abort: null, a handle, a wrong element, out of range", async () => {
    const { call, assembly } = await load();
    expect(call("TryString", "values.text")).toBe("ok:text");
    expect(call("TryString", "values.nothing")).toBe("TypeError|JavaScript returned null where managed code expects a String (it is not nullable).");
    expect(call("TryString", "values.missing")).toBe("TypeError|JavaScript returned undefined where managed code expects a String (it is not nullable).");
    expect(call("TryString", "values.instance")).toBe("TypeError|JavaScript returned a JS object handle where managed code expects a string.");
    expect(call("TryI32", "values.fraction")).toBe("RangeError|JavaScript returned 1.5, which is not a i32.");
    expect(call("TryU8", "values.big")).toBe("RangeError|JavaScript returned 1099511627776.0, which is not a u8.");
    expect(call("TryStrings", "values.mixed")).toBe("TypeError|JavaScript returned a number where managed code expects a string.");
    expect(call("TryStrings", "values.strings")).toBe("ok:a,b");
    // The handles the refused value brought are let go.
    expect(call("TryHandles", "values.handles")).toBe("TypeError|JavaScript returned a string where managed code expects a JS object.");
    expect(assembly.diagnostics().jsObjects).toBe(0);
    // The instance is fine: a value that fits is read as ever.
    expect(call("TryI32", "values.number")).toBe("ok:7");
  });

  it("a result wanted as a JSObject that is not an object is Blazor's error (its createJSObjectReference of the result)", async () => {
    const { call, assembly } = await load();
    expect(call("TryHandle", "values.number")).toBe("InteropError|Cannot create a JSObjectReference from the value '7'.");
    expect(call("TryHandle", "values.text")).toBe("InteropError|Cannot create a JSObjectReference from the value 'text'.");
    expect(call("TryHandle", "values.instance")).toBe("ok:handle");
    expect(assembly.diagnostics().jsObjects).toBe(0);
  });

  it("tryInvokeVoid, tryGetValue and trySetValue on the runtime", async () => {
    const { call, scope } = await load();
    expect(call("TryVoid", "values.text")).toBe("ok");
    expect(call("TryVoid", "values.throws")).toBe("RangeError|RangeError: thrown by JS");
    expect(call("TryGet", "values.counter")).toBe("TypeError|JavaScript returned a number where managed code expects a string.");
    expect(call("TryGet", "values.none.deeper")).toMatch(/^InteropError\|Could not find 'values\.none\.deeper' \('none' was undefined\)\./);
    expect(call("TrySet", "values.counter", "two")).toBe("ok");
    expect(scope.values.counter).toBe("two");
    expect(call("TrySet", "values.frozen.value", "x")).toBe("InteropError|The property 'values.frozen.value' is not writable.");
    expect(call("TrySet", "values.__proto__", "x")).toMatch(/^InteropError\|The assembly 'js-parity' cannot set '__proto__'/);
  });

  it("the same on a JSObject: tryInvoke, tryGetProperty, trySetProperty, tryInvokeVoid; getValue and setValue", async () => {
    const { call, scope, assembly } = await load();
    expect(call<string>("ObjectForms", "tool").split(";")).toEqual([
      "ok:hello x",
      "TypeError|TypeError: tool failed",
      "ok:1",
      "InteropError|Could not find 'missing.deeper' ('missing' was undefined). The assembly 'js-parity' can reach only what its scope grants.",
      "ok",
      "InteropError|The property 'frozen.value' is not writable.",
      "TypeError|TypeError: tool failed",
      "5",
      "7",
    ]);
    expect(scope.tool.count).toBe(7);
    expect(assembly.diagnostics().jsObjects).toBe(0);
  });

  it("tryInvokeSelf on a function held as a JSObject", async () => {
    const { call } = await load();
    expect(call("TrySelf", "shout", "quiet")).toBe("ok:QUIET");
    expect(call("TrySelf", "values.throws", "x")).toBe("RangeError|RangeError: thrown by JS");
  });
});

describe("constructors and values by identifier (.NET 10's InvokeConstructor, GetValue, SetValue)", () => {
  it("getValue: Blazor's error for a property that is not there or has no getter; a property holding undefined reads as it", async () => {
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(module, { scope: scopeWithAccessors() });
    const call = (method: string, ...args: unknown[]) => runtime.invokeMethod(NAME, method, ...args);
    const sandboxed = " The assembly 'js-parity' can reach only what its scope grants.";
    expect(call("TryGet", "values.none")).toBe(`InteropError|The property 'values.none' is not defined or is not readable.${sandboxed}`);
    expect(call("TryGet", "values.writeOnly")).toBe(`InteropError|The property 'values.writeOnly' is not defined or is not readable.${sandboxed}`);
    expect(call("TryGet", "values.readOnly")).toBe("ok:got");
    // There, and undefined: JavaScript's undefined, which a nullable type reads as null.
    expect(call("TryGetNullable", "values.unset")).toBe("ok:null");
    expect(call("TryGet", "values.unset")).toBe("TypeError|JavaScript returned undefined where managed code expects a String (it is not nullable).");
    // A part of the path before the last that is not there: Blazor's "Could not find", naming the whole identifier.
    expect(call("TryGet", "values.none.deeper")).toBe(`InteropError|Could not find 'values.none.deeper' ('none' was undefined).${sandboxed}`);
    // Outside a sandbox, the message alone, as Blazor's.
    const open = new InteropRuntime();
    await open.loadAssembly(module);
    const g = globalThis as Record<string, unknown>;
    g["parityValues"] = { unset: undefined };
    try {
      expect(open.invokeMethod(NAME, "TryGet", "parityValues.none")).toBe("InteropError|The property 'parityValues.none' is not defined or is not readable.");
      expect(open.invokeMethod(NAME, "TryGetNullable", "parityValues.unset")).toBe("ok:null");
    } finally {
      delete g["parityValues"];
    }
  });

  it("setValue: Blazor's error for a property that cannot be written (read-only, a getter alone, a new key of an object that cannot grow)", async () => {
    const runtime = new InteropRuntime();
    const granted = scopeWithAccessors();
    await runtime.loadAssembly(module, { scope: granted });
    const call = (method: string, ...args: unknown[]) => runtime.invokeMethod(NAME, method, ...args);
    expect(call("TrySet", "values.readOnly", "x")).toBe("InteropError|The property 'values.readOnly' is not writable.");
    expect(call("TrySet", "values.sealed.added", "x")).toBe("InteropError|The property 'values.sealed.added' is not writable.");
    expect(call("TrySet", "values.sealed.kept", "x")).toBe("ok");
    expect(call("TrySet", "values.writeOnly", "x")).toBe("ok");
    expect(call("TrySet", "values.added", "x")).toBe("ok");
    expect(granted.values).toMatchObject({ sealed: { kept: "x" }, added: "x" });
    expect(call("TrySet", "values.none.deeper", "x")).toMatch(/^InteropError\|Could not find 'values\.none\.deeper' \('none' was undefined\)\./);
  });

  it("invokeConstructor makes a new JS object: a built-in, a JavaScript class", async () => {
    const { call } = await load();
    // Outside a sandbox: a Date's methods are on a built-in prototype, which a sandbox never reaches.
    const open = new InteropRuntime();
    await open.loadAssembly(module);
    expect(open.invokeMethod(NAME, "NewDate", 1_700_000_000_123)).toBe(1_700_000_000_123);
    expect(call("Construct", "Widget", "made")).toBe("widget made");
    expect(call("Construct", "notAConstructor", "x")).toBe("InteropError|The value 'notAConstructor' is not a constructor.");
  });

  it("invokeConstructorAsync completes a task with the new object", async () => {
    const { call } = await load();
    call("ConstructLater", "Widget", "later");
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(call("Finished")).toBe("completed:widget later");
    call("ConstructLater", "values.throws", "x");
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(call("Finished")).toBe("faulted:The value 'values.throws' is not a constructor.");
    call("ConstructLater", "Failing", "x");
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(call("Finished")).toBe("faulted:constructor failed");
  });

  it("getValueAsync and setValueAsync complete at once, or fault with the error", async () => {
    const { call, scope } = await load();
    expect(call<string>("ValueTasks", "values.counter").split(";")).toEqual([
      "1",
      "set",
      "42",
      "Could not find 'no.such.value' ('no' was undefined). The assembly 'js-parity' can reach only what its scope grants.",
    ]);
    expect(scope.values.counter).toBe(42);
  });

  it("getValueAsync of a property holding a promise gives the promise's value, as Blazor awaits what it read (navigator.serviceWorker.ready)", async () => {
    const { call, runtime } = await load();
    const callAsync = <T>(method: string, ...args: unknown[]) => runtime.invokeMethodAsync<T>(NAME, method, ...args);
    expect(await callAsync("ValueLater", "values.ready")).toBe(5);
    expect(call("ValueAtOnce", "values.readyLater")).toBe(false);
    expect(await callAsync("ValueLater", "values.readyLater")).toBe(6);
    expect(await callAsync("ObjectLater", "values.instanceLater")).toBe("widget promised");
    // A rejection faults it with the JS message (a sandbox sees no stack).
    expect((await rejection(callAsync("ValueLater", "values.failed"))).message).toBe("not ready");
    // A value that is not a promise still completes the task at once.
    expect(call("ValueAtOnce", "values.counter")).toBe(true);
  });

  it("invokeVoidAsync returns a Task that completes when the promise settles, whatever its value, or fails", async () => {
    const { call } = await load();
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    call("StartEffect", "values.later", "x");
    expect(call("EffectDone")).toBe("pending");
    await settle();
    expect(call("EffectDone")).toBe("completed");
    call("StartEffect", "values.rejectLater", "x");
    await settle();
    expect(call("EffectDone")).toBe("faulted:effect failed");
    call("StartEffect", "values.text", "x"); // a plain value completes it too
    await settle();
    expect(call("EffectDone")).toBe("completed");
    call("StartEffectOn", "values", "never", 5);
    await settle();
    expect(call("EffectDone")).toBe("faulted:The JavaScript call did not settle within 5 ms.");
    expect(call("SetFrozenAsync", "values.frozen.value")).toBe("The property 'values.frozen.value' is not writable.");
  });
});

describe("managed functions passed to JavaScript (the HTML Bridge's delegates)", () => {
  it("arrive as JS functions that call back, parameters and result by position, by name, expression, variable, parameter or given type", async () => {
    const { call } = await load();
    expect(call("PassFunction", 2)).toBe(2 + 4);
    expect(call("PassOthers")).toBe("hi?;HI!;YO!");
    expect(call("PassOn", ["a", "b", "c"])).toBe(3);
  });

  it("a function JS keeps is the same JS function each time, callable after the call that gave it", async () => {
    const { call, scope } = await load();
    call("KeepHandler");
    const handler = scope.callbacks.handler!;
    expect(typeof handler).toBe("function");
    expect(handler(5)).toBe(5);
    expect(handler(1)).toBe(6);
    expect(call("Ticks")).toBe(6);
    call("KeepHandler");
    expect(scope.callbacks.handler).toBe(handler);
  });

  it("a write that fails before JS gets the value (no object at the path) lets go of the function it handed out", async () => {
    const { call, scope, assembly } = await load();
    delete (scope as { callbacks?: unknown }).callbacks;
    expect(() => call("KeepHandler")).toThrow("Could not find 'callbacks.handler' ('callbacks' was undefined).");
    expect(assembly.diagnostics().trackedObjects).toBe(0);
  });

  it("a function whose signature the compiler cannot read where it is passed is a compile error at the argument", async () => {
    const code = [
      'import { JSArgs, JSRuntime } from "as-interop/assembly/interop";',
      "class Holder { constructor(public callback: (n: i32) => void) {} }",
      "function nothing(n: i32): void {}",
      "@jsInvokable",
      "export function Bad(): void {",
      "  const holder = new Holder(nothing);",
      '  JSRuntime.invokeVoid("f", JSArgs.of(holder.callback));',
      "}",
    ].join("\n");
    const errors = await compileErrors({ "bad.ts": code });
    const error = errors.find((e) => e.message.includes("A managed function passed to JavaScript"))!;
    expect(error.message).toContain("JSArgs.of<(arg0: i32) => void>(value)");
    expect([error.file, error.line, error.column]).toEqual(["bad.ts", locate(code, "holder.callback)").line, locate(code, "holder.callback)").column]);
  });
});
