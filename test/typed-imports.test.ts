/**
 * Typed JS imports (issue 15): `@jsImport` declarations over every family of the marshaling
 * table, both ways (each import is an echo, called from a method JS calls: JS → managed → JS →
 * managed → JS); managed functions as arguments, `Task<T>` and `JSResult<T>` results, ES modules;
 * binding at load or at first call; the sandbox's rules; compile errors at file:line; run-time
 * errors (missing function, wrong result type, JS exception). The fixture is
 * test/fixtures/typed-imports.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InteropError, InteropRuntime, type LoadedAssembly } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileErrors, compileFixture, compileVirtual, fixtureSource, locate, rejection, thrown } from "./helpers.ts";

const NAME = "typed-imports";
let module: WebAssembly.Module;

/** What each echo import received, last call first. */
const seen: unknown[] = [];
const echo = new Proxy(
  {},
  {
    get: (_, name) => (value: unknown) => {
      seen.unshift({ name, value });
      return value;
    },
  },
);

class Counter {
  total = 0;
  add(by: number): number {
    return (this.total += by);
  }
}

function jsFunctions() {
  return {
    echo: Object.fromEntries(
      ["bool", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64", "char", "enum", "string", "nullableString", "date", "guid", "ints", "fixed", "strings", "bytes", "doubles", "map", "point", "points", "jagged", "helper", "object", "list"].map(
        (name) => [name, (echo as Record<string, (v: unknown) => unknown>)[name]],
      ),
    ),
    js: {
      apply: (fn: (x: number) => number, x: number) => fn(x) + fn.call(null, 1),
      later: (x: number) => new Promise((resolve) => setTimeout(() => resolve(x * 10), 1)),
      risky: (x: number) => {
        if (x < 0) throw new RangeError(`negative: ${x}`);
        return `fine ${x}`;
      },
      throws: () => {
        throw new TypeError("thrown by JS");
      },
      wrongResult: () => "not a number",
      wrongPoint: () => ({ x: "one", y: 2 }),
      counter: new Counter(),
    },
  };
}

beforeAll(async () => {
  module = (await compileFixture(NAME)).module;
});

async function load(options: AssemblyOptions = {}): Promise<{ runtime: InteropRuntime; assembly: LoadedAssembly; call<T = unknown>(method: string, ...args: unknown[]): T }> {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(module, { scope: jsFunctions(), ...options });
  return { runtime, assembly, call: (method, ...args) => runtime.invokeMethod(NAME, method, ...args) };
}

describe("every family crosses a typed import both ways", () => {
  const cases: [string, unknown, unknown?][] = [
    ["Bool", true],
    ["I8", -128],
    ["U8", 255],
    ["I16", -32768],
    ["U16", 65535],
    ["I32", -2147483648],
    ["U32", 4294967295],
    ["I64", -9007199254740991],
    ["U64", 9007199254740991],
    ["F32", 1.5],
    ["F64", Math.PI],
    ["Char", "é"],
    ["EnumValue", 4],
    ["Str", "a string with 😀 and a lone \ud800 surrogate"],
    ["NullableStr", null],
    ["NullableStr", "not null"],
    ["DateValue", new Date(Date.UTC(2020, 1, 29, 12, 30))],
    ["GuidValue", "382c74c3-721d-4f34-80e5-57657b6cbc27"],
    ["Ints", [1, -2, 3]],
    ["Fixed", [0.5, 1.5]],
    ["Strings", ["a", "", "ccc"]],
    ["Bytes", new Uint8Array([0, 1, 255])],
    ["Doubles", new Float64Array([Infinity, -0, NaN])],
    ["MapValue", { a: 1, b: -2 }],
    ["PointValue", { x: 1, y: 2, label: "p" }],
    ["Points", [{ x: 1, y: 2, label: null }, { x: 3, y: 4, label: "q" }]],
    ["Jagged", [[1], [], [2, 3]]],
  ];
  for (const [method, value] of cases) {
    it(`${method}: ${String(value).slice(0, 40)}`, async () => {
      const { call, assembly } = await load();
      expect(call(method, value)).toEqual(value);
      // The JS function saw the JS value, not a pointer.
      const { value: received } = seen[0] as { value: unknown };
      expect(received).toEqual(value);
      expect(assembly.diagnostics()).toMatchObject({ jsObjects: 0, jsReferences: 0, pinned: 0 });
    });
  }

  it("64-bit values follow the assembly's int64 option, in imports as in results", async () => {
    const { call } = await load({ int64: "bigint" });
    expect(call("I64", -(2n ** 63n))).toBe(-(2n ** 63n));
    expect((seen[0] as { value: unknown }).value).toBe(-(2n ** 63n));
    expect(call("U64", 2n ** 64n - 1n)).toBe(2n ** 64n - 1n);
    const numbers = await load();
    expect(() => numbers.call("I64", 2n ** 62n)).toThrow(/The call to the JavaScript function 'echo\.i64' failed: argument 1 \('v'\) could not be converted: the i64 value 4611686018427387904 is beyond ±2\^53/);
  });

  it("a DotNetObjectReference crosses as the JS object standing for it, and comes back as the same managed object", async () => {
    let greeting = "";
    const scope = jsFunctions();
    scope.echo["helper"] = (helper: unknown) => {
      greeting = (helper as { invokeMethod(id: string): string }).invokeMethod("Hello");
      return helper;
    };
    const { call, assembly } = await load({ scope });
    expect(call("HelperRoundTrip", "typed")).toBe("typed");
    expect(greeting).toBe("Hello, typed!");
    expect(assembly.diagnostics().trackedObjects).toBe(0); // managed code disposed it
  });

  it("a JSObject crosses as the very JS object", async () => {
    const { call, assembly } = await load();
    const object = { some: "object" };
    expect(call("ObjectRoundTrip", object)).toBe(object);
    expect((seen[0] as { value: unknown }).value).toBe(object);
    expect(assembly.diagnostics().jsObjects).toBe(1);
  });

  it("a ListReference crosses as the live view: what JS does to it, managed code sees", async () => {
    const scope = jsFunctions();
    scope.echo["list"] = (view: unknown) => (view as number[]).push((view as number[]).length + 1);
    const { call } = await load({ scope });
    expect(call("ListToJS")).toBe("1,2,3,4");
  });
});

describe("functions, promises and exceptions", () => {
  it("a managed function arrives as a callable JS function (the HTML Bridge's delegates), by position", async () => {
    const { call } = await load();
    expect(call("ApplyTwice", 20)).toBe(42);
  });

  it("a call whose function is not there lets go of the managed function its arguments handed out", async () => {
    const scope = jsFunctions();
    const { apply: _, ...withoutApply } = scope.js;
    const { call, assembly } = await load({ importBinding: "first-call", scope: { ...scope, js: withoutApply } });
    expect(() => call("ApplyTwice", 20)).toThrow("could not find 'js.apply' ('apply' was undefined) in its scope");
    expect(assembly.diagnostics().trackedObjects).toBe(0);
  });

  it("a Task<T> result completes when the JS promise settles", async () => {
    const { runtime, assembly } = await load();
    await expect(runtime.invokeMethodAsync(NAME, "Later", 4)).resolves.toBe(40);
    expect(assembly.diagnostics().pendingTasks).toBe(0);
  });

  it("a JSResult<T> result catches the JS exception, as tryInvoke does", async () => {
    const { call } = await load();
    expect(call("TryRisky", 1)).toBe("ok: fine 1");
    expect(call("TryRisky", -1)).toBe("RangeError: negative: -1");
  });

  it("an uncaught JS exception reaches the JS caller as the original error, and the instance keeps working", async () => {
    const { call } = await load();
    for (let i = 0; i < 100; ++i) {
      const error = thrown(() => call("Throws"));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe("thrown by JS");
    }
    expect(call("I32", 7)).toBe(7);
  });

  it("a result of the wrong type is a clear error naming the function and what it expected", async () => {
    const { call } = await load();
    expect(() => call("WrongResult")).toThrow(
      new InteropError(
        "The call to the JavaScript function 'js.wrongResult' failed: its result (i32) could not be converted: expected i32 (an integer from -2147483648 to 2147483647), got the string \"not a number\".",
      ),
    );
    expect(() => call("WrongPoint")).toThrow(/The call to the JavaScript function 'js\.wrongPoint' failed: its result \(Point\) could not be converted: at \.x: expected a number \(f64\), got the string "one"\./);
    expect(call("I32", 7)).toBe(7);
  });

  it("the function is called with `this` bound to its parent", async () => {
    const { call } = await load();
    expect(call("CounterAdd", 2)).toBe(2);
    expect(call("CounterAdd", 3)).toBe(5);
  });
});

describe("binding", () => {
  it("a missing function fails the load, naming it and where it is imported", async () => {
    const scope = jsFunctions() as Record<string, unknown>;
    delete (scope["js"] as Record<string, unknown>)["throws"];
    const error = await new InteropRuntime().loadAssembly(module, { scope }).then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(InteropError);
    expect((error as Error).message).toBe(
      `The assembly '${NAME}' imports 'js.throws' (@jsImport at test/fixtures/typed-imports.ts:${locate(fixtureSource(NAME), '@jsImport("js.throws")').line}:1), ` +
        `but could not find 'js.throws' ('throws' was undefined) in its scope. Define it before loading the assembly, ` +
        `or load it with { importBinding: "first-call" } to look it up when it is first called.`,
    );
  });

  it("with importBinding: 'first-call' the function is looked up at its first call, then kept", async () => {
    const scope = jsFunctions() as { js: Record<string, unknown> };
    const throws = scope.js["throws"];
    delete scope.js["throws"];
    const { call } = await load({ scope, importBinding: "first-call" });
    expect(call("I32", 1)).toBe(1);
    expect(() => call("Throws")).toThrow(/could not find 'js\.throws' \('throws' was undefined\)/);
    scope.js["throws"] = () => 41;
    expect(call("Throws")).toBe(42);
    scope.js["throws"] = throws; // bound once: a later change is not seen, as with .NET's [JSImport]
    expect(call("Throws")).toBe(42);
  });

  it("a value that is not a function fails the load", async () => {
    const scope = jsFunctions();
    (scope.js as Record<string, unknown>)["throws"] = 5;
    await expect(new InteropRuntime().loadAssembly(module, { scope })).rejects.toThrow(/imports 'js\.throws' .*, but the value 'js\.throws' is not a function\./);
  });

  it("in a sandbox, imports resolve through the membrane: nothing the scope does not grant", async () => {
    const scope = { ...jsFunctions(), js: { ...jsFunctions().js, throws: eval } };
    await expect(new InteropRuntime().loadAssembly(module, { scope })).rejects.toThrow(
      /cannot be given the built-in function 'eval', which runs text as code: its scope does not grant it by name\./,
    );
    const climbing = { ...jsFunctions(), js: Object.assign(Object.create({ throws: () => 1 }) as object, jsFunctions().js, { throws: undefined }) };
    await expect(new InteropRuntime().loadAssembly(module, { scope: climbing })).rejects.toThrow(/could not find 'js\.throws'/);
  });

  it("from an ES module, by URL, imported once at load", async () => {
    const dir = mkdtempSync(join(tmpdir(), "as-interop-typed-"));
    try {
      const file = join(dir, "greeting.mjs");
      writeFileSync(file, "export function greet(name) { return `Hello from a module, ${name}!`; }\nexport const nested = { twice: (x) => x * 2 };\n");
      const url = pathToFileURL(file).href;
      const { binary } = await compileVirtual({
        "modules.ts": `
          @jsImport("greet", ${JSON.stringify(url)}) declare function greet(name: string): string;
          @jsImport("nested.twice", ${JSON.stringify(url)}) declare function twice(x: i32): i32;
          @jsInvokable export function Greet(name: string): string { return greet(name) + " " + twice(21).toString(); }`,
      });
      const runtime = new InteropRuntime();
      await runtime.loadAssembly(binary);
      expect(runtime.invokeMethod("modules", "Greet", "Blazor")).toBe("Hello from a module, Blazor! 42");
      // Sandboxed, only the scope's own `import` loads modules.
      await expect(new InteropRuntime().loadAssembly(binary, { scope: {} })).rejects.toThrow(/from the module '.*greeting\.mjs', which did not load: .*'import' function its scope grants/);
      const imported: string[] = [];
      const sandbox = new InteropRuntime();
      await sandbox.loadAssembly(binary, { scope: { import: (u: string) => (imported.push(u), import(u)) } });
      expect(sandbox.invokeMethod("modules", "Greet", "sandbox")).toBe("Hello from a module, sandbox! 42");
      expect(imported).toEqual([url]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a relative module URL resolves against { moduleBase }, on this thread and in a worker; without it, against the working directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "as-interop-base-"));
    try {
      writeFileSync(join(dir, "greeting.mjs"), "export function greet(name) { return `Hello from public/, ${name}!`; }\n");
      const { binary } = await compileVirtual({
        "relative.ts": `
          import { JSObject, JSRuntime, Task } from "as-interop/assembly/interop";
          @jsImport("greet", "./greeting.mjs") declare function greet(name: string): string;
          @jsInvokable export function Greet(name: string): string { return greet(name); }
          @jsInvokable export function ImportAgain(): Task<JSObject> { return JSRuntime.importModule("./greeting.mjs"); }`,
      });
      const moduleBase = pathToFileURL(dir + "/");
      for (const worker of [false, true]) {
        const runtime = new InteropRuntime();
        await runtime.loadAssembly(binary, { moduleBase, worker });
        await expect(runtime.invokeMethodAsync("relative", "Greet", worker ? "worker" : "thread")).resolves.toBe(`Hello from public/, ${worker ? "worker" : "thread"}!`);
        // JSRuntime.importModule takes the same base, and gives the same module (a worker's stays there).
        if (!worker) {
          const imported = await runtime.invokeMethodAsync<Record<string, unknown>>("relative", "ImportAgain");
          expect(imported).toBe(await import(new URL("greeting.mjs", moduleBase).href));
        }
        runtime.unloadAssembly("relative");
      }
      // The default is the working directory, which holds no such module: the load fails, naming it, and says how to look elsewhere.
      for (const worker of [false, true]) {
        const error = await rejection(new InteropRuntime().loadAssembly(binary, { worker }));
        // Node names the file as a URL on this thread (Vitest's import), as a path in the worker's script.
        expect(error.message).toMatch(new RegExp(`from the module '\\./greeting\\.mjs', which did not load: .*'(file://)?${process.cwd()}/greeting\\.mjs'`));
        expect(error.message).toMatch(
          new RegExp(
            `\\. With no page to resolve it against, a relative module URL resolves against the working directory \\(${pathToFileURL(process.cwd()).href}/\\): ` +
              `load the assembly with \\{ moduleBase \\}, the file: URL of the folder that holds the module, to resolve it there\\.$`,
          ),
        );
      }
      // A module that is there but fails is its own error, without the hint.
      writeFileSync(join(dir, "broken.mjs"), "throw new Error('broken at load');\n");
      const broken = await compileVirtual({
        "broken.ts": `@jsImport("greet", "./broken.mjs") declare function greet(name: string): string;
          @jsInvokable export function Greet(name: string): string { return greet(name); }`,
      });
      const failed = await rejection(new InteropRuntime().loadAssembly(broken.binary, { moduleBase }));
      expect(failed.message).toBe("The assembly 'broken' imports 'greet' (@jsImport at broken.ts:1:1) from the module './broken.mjs', which did not load: Error: broken at load");
      await expect(new InteropRuntime().loadAssembly(binary, { moduleBase: "public/" })).rejects.toThrow(
        "The { moduleBase } of the assembly 'relative' must be an absolute URL (say, a file: URL in Node), not 'public/'.",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("compile errors, at file:line", () => {
  const cases: [string, string, string, RegExp][] = [
    ["on a function with a body", `@jsImport("f") export function f(): i32 { return 1; }`, `@jsImport("f")`, /@jsImport can only be applied to a top-level 'declare function'; 'f' is not one/],
    ["without an identifier", `@jsImport() declare function f(): i32;`, `@jsImport()`, /@jsImport takes the JavaScript function's identifier and, optionally, the ES module/],
    ["with a non-literal", `const id = "f";\n@jsImport(id) declare function f(): i32;`, `@jsImport(id)`, /@jsImport takes the JavaScript function's identifier/],
    ["generic", `@jsImport("f") declare function f<T>(x: T): T;`, `@jsImport("f") declare function f<T>`, /@jsImport function 'f' is generic/],
    ["with an optional parameter", `@jsImport("f") declare function f(x: i32, y: i32 = 1): i32;`, `y: i32 = 1`, /Parameter 'y' of @jsImport function 'f' is optional or a rest parameter/],
    ["with a type that cannot cross", `class Plain { x: i32 = 0; }\n@jsImport("f") declare function f(p: Plain): void;`, `Plain): void`, /Type '.*Plain' cannot be marshaled between JavaScript and managed code: .*\(parameter 'p' of @jsImport function 'f'\)/],
    ["with a Map of non-string keys", `@jsImport("f") declare function f(): Map<i32, i32>;`, `Map<i32, i32>`, /only Map<string, V> can be marshaled.*\(return type of @jsImport function 'f'\)/],
  ];
  for (const [what, code, at, message] of cases) {
    it(what, async () => {
      const errors = await compileErrors({ "errors.ts": code });
      expect(errors.map((e) => e.message).join("\n")).toMatch(message);
      const { line, column } = locate(code, at);
      const error = errors.find((e) => message.test(e.message))!;
      expect([error.file, error.line]).toEqual(["errors.ts", line]);
      if (!what.startsWith("with a type") && !what.startsWith("with a Map")) expect(error.column).toBe(column);
    });
  }
});

afterAll(() => {
  seen.length = 0;
});

