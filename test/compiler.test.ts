/**
 * The compiler half: what compile() collects from `@jsInvokable`, the manifest it embeds, the
 * exports it adds, and the compile errors (with exact positions) for every misuse.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { CompileError, formatDiagnostic, type Diagnostic } from "../host/compiler/compile.ts";
import { renderDeclarations } from "../host/compiler/typings.ts";
import { InteropRuntime, ManagedError } from "../host/runtime/index.ts";
import { ARRAY_BUFFER_ID, type RuntimeExports } from "../host/marshal/heap.ts";
import { MANIFEST_SECTION, MANIFEST_VERSION, STACK_POINTER_EXPORT, type Manifest, type MethodDescriptor, type TypeDescriptor } from "../host/marshal/types.ts";

type ArrayDescriptor = Extract<TypeDescriptor, { kind: "array" | "staticarray" }>;
import {
  compileErrors,
  compileFixture,
  compileVirtual,
  fixtureSource,
  locate,
  type CompiledFixture,
} from "./helpers.ts";

function sectionManifest(module: WebAssembly.Module): Manifest {
  const sections = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  expect(sections).toHaveLength(1);
  return JSON.parse(new TextDecoder().decode(sections[0])) as Manifest;
}

function method(manifest: Manifest, identifier: string): MethodDescriptor {
  const found = manifest.methods.find((m) => m.identifier === identifier);
  if (!found) throw new Error(`no method '${identifier}' in the manifest`);
  return found;
}

function exportsOf(module: WebAssembly.Module): Map<string, string> {
  return new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
}

describe("the basics fixture", () => {
  let basics: CompiledFixture;
  let renamed: CompiledFixture;
  const source = fixtureSource("basics");

  beforeAll(async () => {
    basics = await compileFixture("basics");
    renamed = await compileFixture("basics", { assemblyName: "BlazorSample" });
  });

  it("collects every @jsInvokable function, by its name or by the decorator's argument", () => {
    expect(basics.manifest.methods.map((m) => m.identifier)).toEqual([
      "ReturnArrayAsync",
      "DifferentMethodName",
      "add",
      "echo",
      "fail",
    ]);
  });

  it("names the assembly after the entry file, unless assemblyName says otherwise", () => {
    expect(basics.manifest.assembly).toBe("basics");
    expect(renamed.manifest.assembly).toBe("BlazorSample");
    expect(sectionManifest(renamed.module).assembly).toBe("BlazorSample");
    expect(renamed.manifest.methods).toEqual(basics.manifest.methods);
  });

  it("embeds the same manifest it returns, as UTF-8 JSON in the 'as-interop' custom section", () => {
    expect(sectionManifest(basics.module)).toEqual(basics.manifest);
    expect(basics.manifest.version).toBe(MANIFEST_VERSION);
    // Numbers and strings cross directly, so the basics fixture uses no struct and no wrapper.
    expect(basics.manifest.structs).toEqual({});
  });

  it("describes parameters (names and types) and return types", () => {
    const { manifest } = basics;
    expect(method(manifest, "add").parameters).toEqual([
      { name: "a", type: { kind: "i32" }, encoded: false },
      { name: "b", type: { kind: "i32" }, encoded: false },
    ]);
    expect(method(manifest, "add").returnType).toEqual({ kind: "i32" });
    expect(method(manifest, "echo").parameters).toEqual([{ name: "s", type: { kind: "string", nullable: false }, encoded: false }]);
    expect(method(manifest, "echo").returnType).toEqual({ kind: "string", nullable: false });
    expect(method(manifest, "fail").returnType).toEqual({ kind: "void" });
    // Every value of the basics fixture crosses directly: no method needs an encoded result.
    for (const m of manifest.methods) expect([m.identifier, m.returnEncoded]).toEqual([m.identifier, false]);
    expect(method(manifest, "ReturnArrayAsync").parameters).toEqual([]);
    expect(method(manifest, "ReturnArrayAsync").returnType).toMatchObject({
      kind: "array",
      element: { kind: "i32" },
      nullable: false,
    });
  });

  it("describes i32[] and Array<i32> the same way, down to the class id", () => {
    const sugar = method(basics.manifest, "ReturnArrayAsync").returnType;
    const generic = method(basics.manifest, "DifferentMethodName").returnType;
    expect(sugar).toEqual(generic);
    expect(sugar).toHaveProperty("classId");
    expect((sugar as ArrayDescriptor).classId).toBeGreaterThan(2);
  });

  it("records where each method is declared, as file:line:column", () => {
    const at = (needle: string) => {
      const { line, column } = locate(source, needle);
      return `test/fixtures/basics.ts:${line}:${column}`;
    };
    expect(method(basics.manifest, "ReturnArrayAsync").declaredAt).toBe(at("@jsInvokable\nexport function ReturnArrayAsync"));
    expect(method(basics.manifest, "DifferentMethodName").declaredAt).toBe(at('@jsInvokable("DifferentMethodName")'));
    expect(method(basics.manifest, "add").declaredAt).toBe(at("@jsInvokable\nexport function add"));
  });

  it("gives every method its own glue export, and the module exports it", () => {
    const exports = exportsOf(basics.module);
    const names = basics.manifest.methods.map((m) => m.exportName);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(exports.get(name)).toBe("function");
    // The user's own exports stay as they are.
    expect(exports.get("add")).toBe("function");
    expect(exports.get("returnArray2")).toBe("function");
  });

  it("exports the shadow-stack pointer, the memory and the runtime the host needs", () => {
    const exports = exportsOf(basics.module);
    expect(exports.get(STACK_POINTER_EXPORT)).toBe("global");
    expect(exports.get("memory")).toBe("memory");
    for (const name of ["__new", "__pin", "__unpin", "__collect"]) expect(exports.get(name)).toBe("function");
  });

  it("reports the user files it read, and no warnings", () => {
    expect(basics.files).toEqual(["test/fixtures/basics.ts"]);
    expect(basics.warnings).toEqual([]);
    expect(basics.sourceMap).toBeNull();
  });
});

describe("classes the entry exports", () => {
  it("warns of none JavaScript reaches through as-interop (the README's `export class HelloHelper`), and still of any other", async () => {
    const source = `import { DotNetObjectReference } from "as-interop/assembly/interop";

export class HelloHelper {
  @scriptableMember Name: string = "";
  @jsInvokable SayHello(): string { return "Hello, " + this.Name + "!"; }
}

export class MathHelpers {
  @jsInvokable static Multiply(a: i32, b: i32): i32 { return a * b; }
}

export class Point {
  @dataMember X: f64 = 0;
}

export class Settings {
  @scriptableMember Count: i32 = 0;
}

export class Plain {
  value: i32 = 0;
}

@jsInvokable
export function CreateHelloHelper(): DotNetObjectReference<HelloHelper> {
  return DotNetObjectReference.create(new HelloHelper());
}

@jsInvokable
export function Origin(): Point {
  return new Point();
}

@jsInvokable
export function CreateSettings(): DotNetObjectReference<Settings> {
  return DotNetObjectReference.create(new Settings());
}
`;
    const { warnings } = await compileVirtual({ "assembly/Exported.ts": source });
    expect(warnings.map(({ code, file, line, column }) => ({ code, file, line, column }))).toEqual([
      { code: 235, file: "assembly/Exported.ts", ...locate(source, "Plain") },
    ]);
  });
});

describe("types, aliases and several files", () => {
  const files = {
    "assembly/BlazorSample.ts": [
      'import { Ints, Int } from "./shapes";',
      "type Text = string;",
      "",
      "@jsInvokable export function viaSugar(a: i32[]): i32[] { return a; }",
      "@jsInvokable export function viaGeneric(a: Array<i32>): Array<i32> { return a; }",
      "@jsInvokable export function viaAlias(a: Ints, n: Int, t: Text): Int { return a.length + n + t.length; }",
      "@jsInvokable export function nullables(s: string | null, a: Array<string | null> | null): StaticArray<f64> | null { return null; }",
      "@jsInvokable export function widths(a: i8, b: u8, c: i16, d: u16, e: u32, f: i64, g: u64, h: f32, i: f64, j: bool, k: usize, l: isize): void {}",
      "@jsInvokable export function nested(a: Array<Array<string>>): StaticArray<StaticArray<u8>> { return []; }",
      "",
    ].join("\n"),
    "assembly/shapes.ts": [
      "export type Int = i32;",
      "export type Ints = Array<Int>;",
      "",
      '@jsInvokable("FromLibrary")',
      'export function helper(): string { return "from the library"; }',
      "",
    ].join("\n"),
  };
  let manifest: Manifest;
  let module: WebAssembly.Module;
  let read: string[];

  beforeAll(async () => {
    const result = await compileVirtual(files);
    manifest = result.manifest;
    module = await WebAssembly.compile(result.binary as BufferSource);
    read = result.files;
  });

  it("reports the user files it read (what a watcher should watch), at paths that exist", () => {
    // Aliases cross encoded, so this compile also reads the managed library. That is fine, but
    // `files` is documented as the user's sources relative to baseDir, and the library entries
    // come out as 'node_modules/as-interop/node_modules/as-interop/…', a path that exists nowhere.
    expect([...read].sort()).toEqual(["assembly/BlazorSample.ts", "assembly/shapes.ts"]);
  });

  it("lets aliases and library-file methods cross; what it cannot recognize from syntax crosses encoded", () => {
    expect(method(manifest, "viaSugar").parameters[0].encoded).toBe(false);
    expect(method(manifest, "viaAlias").parameters.map((p) => p.encoded)).toEqual([true, true, true]);
    expect(method(manifest, "viaAlias").returnEncoded).toBe(true);
    expect(method(manifest, "FromLibrary").returnEncoded).toBe(false);
    expect(manifest.structs).toEqual({});
  });

  it("names the assembly after the entry file: assembly/BlazorSample.ts is 'BlazorSample'", () => {
    expect(manifest.assembly).toBe("BlazorSample");
    expect(sectionManifest(module)).toEqual(manifest);
  });

  it("collects invokables from every file of the assembly", () => {
    expect(manifest.methods.map((m) => m.identifier)).toEqual([
      "viaSugar",
      "viaGeneric",
      "viaAlias",
      "nullables",
      "widths",
      "nested",
      "FromLibrary",
    ]);
    expect(method(manifest, "FromLibrary").declaredAt).toBe("assembly/shapes.ts:4:1");
    expect(method(manifest, "viaAlias").declaredAt).toBe("assembly/BlazorSample.ts:6:1");
  });

  it("describes aliases, i32[] and Array<i32> identically", () => {
    const sugar = method(manifest, "viaSugar");
    const generic = method(manifest, "viaGeneric");
    const alias = method(manifest, "viaAlias");
    expect(sugar.parameters[0].type).toEqual(generic.parameters[0].type);
    expect(alias.parameters[0].type).toEqual(generic.parameters[0].type);
    expect(sugar.returnType).toEqual(generic.returnType);
    expect(alias.parameters.map((p) => [p.name, p.type])).toEqual([
      ["a", generic.parameters[0].type],
      ["n", { kind: "i32" }],
      ["t", { kind: "string", nullable: false }],
    ]);
    expect(alias.returnType).toEqual({ kind: "i32" });
  });

  it("describes nullable strings and arrays", () => {
    const m = method(manifest, "nullables");
    expect(m.parameters[0].type).toEqual({ kind: "string", nullable: true });
    expect(m.parameters[1].type).toMatchObject({ kind: "array", nullable: true, element: { kind: "string", nullable: true } });
    expect(m.returnType).toMatchObject({ kind: "staticarray", nullable: true, element: { kind: "f64" } });
  });

  it("describes every number width, with usize and isize as 32-bit", () => {
    expect(method(manifest, "widths").parameters.map((p) => p.type.kind)).toEqual([
      "i8", "u8", "i16", "u16", "u32", "i64", "u64", "f32", "f64", "bool", "u32", "i32",
    ]);
    expect(method(manifest, "widths").returnType).toEqual({ kind: "void" });
  });

  it("describes nested arrays with a class id per instantiation", () => {
    const m = method(manifest, "nested");
    const outer = m.parameters[0].type as ArrayDescriptor;
    expect(outer).toMatchObject({ kind: "array", element: { kind: "array", element: { kind: "string" } } });
    const inner = outer.element as ArrayDescriptor;
    expect(outer.classId).not.toBe(inner.classId);
    expect(inner.classId).not.toBe((method(manifest, "viaGeneric").returnType as ArrayDescriptor).classId);
    expect(m.returnType).toMatchObject({ kind: "staticarray", element: { kind: "staticarray", element: { kind: "u8" } } });
  });

  it("produces a module the runtime can call, including the library file's method", async () => {
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(module);
    expect(runtime.invokeMethod("BlazorSample", "viaAlias", [1, 2], 10, "abc")).toBe(15);
    expect(runtime.invokeMethod("BlazorSample", "FromLibrary")).toBe("from the library");
    expect(runtime.invokeMethod("BlazorSample", "nested", [["a"]])).toEqual([]);
  });
});

describe("an optimized build (-O3)", () => {
  it("keeps the glue, the runtime exports and the stack pointer, and works", async () => {
    const optimized = await compileFixture("basics", { optimize: true, assemblyName: "Optimized" });
    const exports = exportsOf(optimized.module);
    expect(exports.get(STACK_POINTER_EXPORT)).toBe("global");
    for (const m of optimized.manifest.methods) expect(exports.get(m.exportName)).toBe("function");
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(optimized.module);
    expect(runtime.invokeMethod("Optimized", "add", 2, 3)).toBe(5);
    expect(runtime.invokeMethod("Optimized", "echo", "héllo 😀")).toBe("héllo 😀");
    expect(runtime.invokeMethod("Optimized", "ReturnArrayAsync")).toEqual([1, 2, 3]);
    expect(() => runtime.invokeMethod("Optimized", "fail", "optimized")).toThrow(ManagedError);
  });
});

describe("the allocation for strings and buffers the host fills at once", () => {
  type Allocation = RuntimeExports;

  /** Allocates a buffer, fills it, lets it be collected, and allocates again: what is in the new one? */
  function reallocated(exports: Allocation, allocate: "__new" | "__interop_new_unzeroed"): { same: boolean; bytes: Uint8Array } {
    const first = exports[allocate](4096, ARRAY_BUFFER_ID) >>> 0;
    new Uint8Array(exports.memory.buffer, first, 4096).fill(0xab);
    exports.__collect();
    const second = exports[allocate](4096, ARRAY_BUFFER_ID) >>> 0;
    return { same: first === second, bytes: new Uint8Array(exports.memory.buffer, second, 4096) };
  }

  it("skips the incremental runtime's zeroing, where __new zeroes", async () => {
    const runtime = new InteropRuntime();
    const { instance } = await runtime.loadAssembly((await compileFixture("basics")).module);
    const exports = instance.exports as unknown as Allocation;
    const unzeroed = reallocated(exports, "__interop_new_unzeroed");
    expect(unzeroed.same).toBe(true);
    expect(unzeroed.bytes.every((byte) => byte === 0xab)).toBe(true);
    const zeroed = reallocated(exports, "__new");
    expect(zeroed.same).toBe(true);
    expect(zeroed.bytes.every((byte) => byte === 0)).toBe(true);
    // The runtime's accounting holds: the instance goes on working.
    expect(runtime.invokeMethod("basics", "echo", "x".repeat(10_000))).toBe("x".repeat(10_000));
  });

  it.each(["minimal", "stub"] as const)("is the runtime's own __new with the %s runtime, which does not zero", async (name) => {
    const compiled = await compileFixture("basics", { runtime: name, assemblyName: name });
    expect(exportsOf(compiled.module).get("__interop_new_unzeroed")).toBe("function");
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(compiled.module);
    expect(runtime.invokeMethod(name, "echo", "héllo 😀".repeat(100))).toBe("héllo 😀".repeat(100));
    expect(runtime.invokeMethod(name, "add", 2, 3)).toBe(5);
  });
});

describe("--noUnsafe builds (unsafe operations refused in user code)", () => {
  // Generated code lives in the user's files and the glue, so it must use no unsafe operation
  // itself: what it needs (loads, allocation) is library code.
  it.each(["incremental", "minimal", "stub"] as const)("compile with the %s runtime, structs included, and work", async (name) => {
    const compiled = await compileFixture("by-value", { runtime: name, assemblyName: name, ascFlags: ["--noUnsafe"] });
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(compiled.module);
    expect(runtime.invokeMethod(name, "echoPoint", { x: 1.5, y: -2 })).toEqual({ x: 1.5, y: -2 });
    expect(runtime.invokeMethod(name, "echoWide", runtime.invokeMethod(name, "makeWide"))).toEqual(runtime.invokeMethod(name, "makeWide"));
  });
});

describe("a debug build (names and a source map), as the Vite plugin's dev server makes", () => {
  it("compiles an assembly whose generated code went into the user's file (structs, encoded values)", async () => {
    // The generated code's source is named 'main.generated.ts' (inject.ts); the source map must
    // not send the compiler looking for such a file.
    const result = await compileVirtual(
      { "main.ts": "export class P { @dataMember x: i32 = 0; }\n@jsInvokable\nexport function f(p: P): i32 { return p.x; }\n" },
      { debug: true },
    );
    expect(JSON.parse(result.sourceMap!).sources).toContain("main.ts");
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(result.binary);
    expect(runtime.invokeMethod("main", "f", { x: 5 })).toBe(5);
  });
});

// --- compile errors -----------------------------------------------------------------------------

interface ErrorCase {
  readonly name: string;
  readonly source: string;
  readonly line: number;
  readonly column: number;
  readonly message: string | RegExp;
}

const BLAZOR_DUPLICATE = (assembly: string, identifier: string) =>
  `The assembly '${assembly}' contains more than one [JSInvokable] method with identifier '${identifier}'. ` +
  `All [JSInvokable] methods within the same assembly must have different identifiers. ` +
  `You can pass a custom identifier as a parameter to the [JSInvokable] attribute.`;

function expectOneError(diagnostics: Diagnostic[], file: string, line: number, column: number, message: string | RegExp): Diagnostic {
  expect(diagnostics, diagnostics.map(formatDiagnostic).join("\n")).toHaveLength(1);
  const [d] = diagnostics;
  expect({ file: d.file, line: d.line, column: d.column }).toEqual({ file, line, column });
  expect(d.category).toBe("error");
  if (typeof message === "string") expect(d.message).toContain(message);
  else expect(d.message).toMatch(message);
  expect(d.frame).toContain(`${line} | `);
  return d;
}

describe("compile errors: misuse of @jsInvokable", () => {
  const cases: ErrorCase[] = [
    {
      name: "a duplicate identifier (the function name) in one file",
      source: "// dup\n@jsInvokable\nexport function Same(): i32 { return 1; }\n\n  @jsInvokable(\"Same\")\nexport function other(): i32 { return 2; }\n",
      line: 5,
      column: 3,
      message: BLAZOR_DUPLICATE("main", "Same"),
    },
    {
      name: "a duplicate explicit identifier in one file",
      source: '@jsInvokable("X") export function a(): void {}\n@jsInvokable("Y") export function b(): void {}\n@jsInvokable("X") export function c(): void {}\n',
      line: 3,
      column: 1,
      message: BLAZOR_DUPLICATE("main", "X"),
    },
    {
      name: "a non-exported function",
      source: "\n\n@jsInvokable\nfunction hidden(): i32 { return 1; }\n",
      line: 3,
      column: 1,
      message: "@jsInvokable function 'hidden' must be exported",
    },
    {
      name: "a generic function",
      source: "export const unrelated = 1;\n@jsInvokable\nexport function generic<T>(x: T): T { return x; }\n",
      line: 2,
      column: 1,
      message: "@jsInvokable function 'generic' is generic. Calling open generic methods isn't supported",
    },
    {
      name: "a class",
      source: "\n@jsInvokable\nexport class Widget {\n  size: i32 = 0;\n}\n",
      line: 2,
      column: 1,
      message: "@jsInvokable can only be applied to exported functions and class methods; 'Widget' is a class, which JavaScript cannot invoke.",
    },
    {
      name: "a variable",
      source: "export let before = 0;\n\n@jsInvokable\nexport let counter = 0;\n",
      line: 3,
      column: 1,
      message: /^@jsInvokable can only be applied to exported functions and class methods; 'counter' is a variable, which JavaScript cannot invoke\.$/,
    },
    {
      name: "a namespace member",
      source: "export namespace tools {\n  @jsInvokable\n  export function inner(): i32 { return 1; }\n}\n",
      line: 2,
      column: 3,
      message: "'inner' is a namespace member",
    },
    {
      name: "a non-string argument",
      source: "// numbers are not identifiers\n@jsInvokable(42)\nexport function numeric(): i32 { return 1; }\n",
      line: 2,
      column: 1,
      message: "@jsInvokable takes at most one argument: a non-empty string literal identifier.",
    },
    {
      name: "a constant instead of a string literal",
      source: 'const NAME = "Named";\n@jsInvokable(NAME)\nexport function named(): i32 { return 1; }\n',
      line: 2,
      column: 1,
      message: "@jsInvokable takes at most one argument: a non-empty string literal identifier.",
    },
    {
      name: "two arguments",
      source: '\n\n\n@jsInvokable("a", "b")\nexport function twoArgs(): i32 { return 1; }\n',
      line: 4,
      column: 1,
      message: "@jsInvokable takes at most one argument: a non-empty string literal identifier.",
    },
    {
      name: "an empty identifier",
      source: '@jsInvokable("")\nexport function empty(): i32 { return 1; }\n',
      line: 1,
      column: 1,
      message: "@jsInvokable takes at most one argument: a non-empty string literal identifier.",
    },
    {
      name: "an optional parameter",
      source: "@jsInvokable\nexport function optional(a: i32, b: i32 = 2): i32 { return a + b; }\n",
      line: 2,
      column: 34,
      message: "Parameter 'b' of @jsInvokable function 'optional' is optional or a rest parameter",
    },
    {
      name: "a rest parameter",
      source: "@jsInvokable\nexport function rest(first: i32, ...more: i32[]): i32 { return first; }\n",
      line: 2,
      column: 34,
      message: "Parameter 'more' of @jsInvokable function 'rest' is optional or a rest parameter",
    },
  ];

  it.each(cases)("rejects $name at its line and column", async ({ source, line, column, message }) => {
    const diagnostics = await compileErrors({ "main.ts": source });
    const d = expectOneError(diagnostics, "main.ts", line, column, message);
    expect(d.code).toBe(109);
  });

  it("uses the assemblyName option in the duplicate-identifier message", async () => {
    const source = "@jsInvokable export function a(): void {}\n@jsInvokable(\"a\") export function b(): void {}\n";
    const diagnostics = await compileErrors({ "main.ts": source }, { assemblyName: "BlazorSample" });
    expectOneError(diagnostics, "main.ts", 2, 1, BLAZOR_DUPLICATE("BlazorSample", "a"));
  });

  it("rejects a duplicate identifier across two files of one assembly", async () => {
    const diagnostics = await compileErrors({
      "app.ts": 'import { helper } from "./lib";\n\n@jsInvokable("Shared")\nexport function first(): i32 { return helper(); }\n',
      "lib.ts": '// the library\n@jsInvokable("Shared")\nexport function helper(): i32 { return 2; }\n',
    });
    // Which of the two is reported depends on the order sources are parsed: the entry comes first.
    expectOneError(diagnostics, "lib.ts", 2, 1, BLAZOR_DUPLICATE("app", "Shared"));
  });

  it("shows a code frame with a caret under the offending range, and file:line:column in the message", async () => {
    let error: unknown;
    try {
      await compileVirtual({ "frame.ts": "\n@jsInvokable(1)\nexport function f(): void {}\n" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CompileError);
    const { diagnostics, message } = error as CompileError;
    const [d] = diagnostics.filter((x) => x.category === "error");
    expect(d.frame).toBe("  2 | @jsInvokable(1)\n    | ^^^^^^^^^^^^^^^");
    expect(message).toContain("frame.ts:2:1: error AS109: @jsInvokable takes at most one argument");
    expect(message).toContain(d.frame!);
  });

  it("reports every misuse of one compile, not only the first", async () => {
    const diagnostics = await compileErrors({
      "many.ts": "@jsInvokable(1)\nexport function a(): void {}\n@jsInvokable\nfunction b(): void {}\n@jsInvokable\nexport function c(x: i32 = 1): void {}\n",
    });
    expect(diagnostics.map((d) => [d.line, d.column])).toEqual([
      [1, 1],
      [3, 1],
      [6, 19],
    ]);
  });
});

describe("compile errors: types that cannot be marshaled", () => {
  const prelude = "class Point { x: i32 = 0; }\n\n";
  const CANNOT = "cannot be marshaled between JavaScript and managed code: ";
  const ONLY =
    "only numbers, bool, char, string, Date, Guid, arrays, typed arrays, Map<string, V> and classes with " +
    "@dataMember fields cross by value.";
  const PLAIN =
    "a class without @dataMember fields crosses only by reference: write DotNetObjectReference<Point> " +
    "and pass DotNetObjectReference.create(obj), or mark the fields to copy with @dataMember.";
  const MAP_KEYS = (keys: string) =>
    "a Map crosses as a JavaScript object, whose keys are strings, so only Map<string, V> can be marshaled " +
    `(the HTML Bridge's ArgumentException rule); this one has keys of type '${keys}'.`;

  interface TypeCase extends ErrorCase {
    /** What the message should say the type belongs to, e.g. `parameter 'p' of @jsInvokable function 'f'`. */
    readonly context: string;
  }
  const cases: TypeCase[] = [
    {
      name: "a plain class parameter (no @dataMember fields)",
      source: prelude + "@jsInvokable\nexport function takesClass(p: Point): i32 { return p.x; }\n",
      line: 4,
      column: 31,
      message: `Type 'main/Point' ${CANNOT}${PLAIN}`,
      context: "parameter 'p' of @jsInvokable function 'takesClass'",
    },
    {
      name: "a plain class return type",
      source: prelude + "@jsInvokable\nexport function returnsClass(): Point { return new Point(); }\n",
      line: 4,
      column: 33,
      message: `Type 'main/Point' ${CANNOT}${PLAIN}`,
      context: "return type of @jsInvokable function 'returnsClass'",
    },
    {
      name: "a Map with non-string keys as a parameter",
      source: prelude + "@jsInvokable\nexport function takesMap(count: i32, m: Map<i32, i32>): i32 { return m.size + count; }\n",
      line: 4,
      column: 41,
      message: `Type '~lib/map/Map<i32,i32>' ${CANNOT}${MAP_KEYS("i32")}`,
      context: "parameter 'm' of @jsInvokable function 'takesMap'",
    },
    {
      name: "a Map with non-string keys as the return type",
      source: prelude + "@jsInvokable\nexport function returnsMap(): Map<i32, string> { return new Map<i32, string>(); }\n",
      line: 4,
      column: 31,
      message: `Type '~lib/map/Map<i32,~lib/string/String>' ${CANNOT}${MAP_KEYS("i32")}`,
      context: "return type of @jsInvokable function 'returnsMap'",
    },
    {
      name: "a Map with nullable string keys",
      source: prelude + "@jsInvokable\nexport function nullableKeys(m: Map<string | null, i32>): i32 { return m.size; }\n",
      line: 4,
      column: 33,
      message: MAP_KEYS("~lib/string/String | null"),
      context: "parameter 'm' of @jsInvokable function 'nullableKeys'",
    },
    {
      name: "an array of functions",
      source: prelude + "@jsInvokable\nexport function takesFns(f: Array<(x: i32) => i32>): i32 { return f[0](1); }\n",
      line: 4,
      column: 35,
      message:
        `Type '(i32) => i32' ${CANNOT}a function crosses only as a method's parameter or result, a @scriptableMember's value, ` +
        "or a value in a call into JavaScript.",
      context: "parameter 'f' of @jsInvokable function 'takesFns'",
    },
    {
      name: "an array of a plain class",
      source: prelude + "@jsInvokable\nexport function arrayOfClass(a: Array<Point>): i32 { return a.length; }\n",
      line: 4,
      column: 39,
      message: `Type 'main/Point' ${CANNOT}${PLAIN}`,
      context: "parameter 'a' of @jsInvokable function 'arrayOfClass'",
    },
    {
      name: "a ManagedStream return type (the library's own class, by reference only too)",
      source:
        'import { ManagedStream } from "as-interop/assembly/interop";\n' +
        "@jsInvokable\nexport function returnsStream(): ManagedStream { return changetype<ManagedStream>(0); }\n",
      line: 3,
      column: 34,
      message:
        `Type '~lib/as-interop/assembly/interop/streams/ManagedStream' ${CANNOT}a ManagedStream crosses only by reference: ` +
        "write DotNetObjectReference<ManagedStream> and pass DotNetObjectReference.create(stream).",
      context: "return type of @jsInvokable function 'returnsStream'",
    },
    {
      name: "a StreamSink parameter",
      source:
        'import { StreamSink } from "as-interop/assembly/interop";\n' +
        "@jsInvokable\nexport function takesSink(sink: StreamSink): void { sink.close(); }\n",
      line: 3,
      column: 33,
      message:
        `Type '~lib/as-interop/assembly/interop/streams/StreamSink' ${CANNOT}a StreamSink crosses only by reference: ` +
        "write DotNetObjectReference<StreamSink> and pass DotNetObjectReference.create(stream).",
      context: "parameter 'sink' of @jsInvokable function 'takesSink'",
    },
    {
      name: "a Set",
      source: prelude + "@jsInvokable\nexport function takesSet(s: Set<string>): i32 { return s.size; }\n",
      line: 4,
      column: 29,
      message: `Type '~lib/set/Set<~lib/string/String>' ${CANNOT}${ONLY}`,
      context: "parameter 's' of @jsInvokable function 'takesSet'",
    },
  ];

  // Each case compiles once; both tests below read its diagnostics.
  const compiled = new Map<string, Promise<Diagnostic[]>>();
  const diagnosticsOf = ({ name, source }: TypeCase) => {
    if (!compiled.has(name)) compiled.set(name, compileErrors({ "main.ts": source }));
    return compiled.get(name)!;
  };

  it.each(cases)("rejects $name at its line and column, with no follow-on errors", async (typeCase) => {
    const d = expectOneError(await diagnosticsOf(typeCase), "main.ts", typeCase.line, typeCase.column, typeCase.message);
    expect(d.code).toBe(109);
  });

  it("says in each message which parameter or return type of which function it is about", async () => {
    // The first version appended "(parameter 'p' of @jsInvokable function 'f')"; without it, a
    // message about 'main/Point' leaves the reader to find which of many signatures uses Point.
    const missing: string[] = [];
    for (const typeCase of cases) {
      const diagnostics = await diagnosticsOf(typeCase);
      if (!diagnostics.some((d) => d.message.includes(`(${typeCase.context})`))) {
        missing.push(`${typeCase.name}: ${diagnostics[0]?.message}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("reports each unmarshalable parameter and the return type of one function, and nothing else", async () => {
    const diagnostics = await compileErrors({
      "both.ts": prelude + "@jsInvokable\nexport function both(a: Point, b: i32, c: Map<i32, i32>): Point { return a; }\n",
    });
    expect(diagnostics.map((d) => [d.file, d.line, d.column])).toEqual([
      ["both.ts", 4, 25],
      ["both.ts", 4, 43],
      ["both.ts", 4, 59],
    ]);
  });
});

describe("Nullable<T>, Task without a result and generic classes: the manifest and the generated typings", () => {
  const LIBRARY = 'import { DotNetObjectReference, Nullable, Task, char } from "as-interop/assembly/interop";\n';

  it("Nullable<T> of anything but a number, bool or char is a compile error at its type, naming where it is", async () => {
    const source =
      LIBRARY +
      "@jsInvokable\nexport function takes(n: Nullable<string>): i32 { return 0; }\n";
    const diagnostics = await compileErrors({ "main.ts": source });
    const ours = diagnostics.find((d) => d.message.includes("cannot be marshaled"));
    expect(ours, diagnostics.map(formatDiagnostic).join("\n")).toBeDefined();
    expect(ours!.message).toContain("Nullable<T> holds a number, bool or char; a reference type can be null itself: write T | null.");
    expect(ours!.message).toContain("(parameter 'n' of @jsInvokable function 'takes')");
    expect([ours!.file, ours!.line]).toEqual(["main.ts", 3]);
  });

  it("the managed Nullable<T> itself refuses a reference type, wherever it is made", async () => {
    const source = LIBRARY + "export function make(): bool { return Nullable.of<string>(\"x\").hasValue; }\n";
    const diagnostics = await compileErrors({ "main.ts": source });
    expect(diagnostics.map((d) => d.message).join("\n")).toContain("Nullable<T> holds a number, bool or char");
  });

  it("types Nullable<T> as T | null, a Task as void | Promise<void>, and each generic instantiation as its own interface", async () => {
    const source =
      LIBRARY +
      "export class Box<T> {\n  @scriptableMember Value: Nullable<i32> = Nullable.none<i32>();\n  constructor(public v: T) {}\n  @jsInvokable Get(): T { return this.v; }\n}\n" +
      "@jsInvokable export function Count(n: Nullable<i32>, l: Nullable<i64>, c: Nullable<char>): Nullable<u64>[] { return []; }\n" +
      "@jsInvokable export function Save(): Task { return Task.completed(); }\n" +
      "@jsInvokable export function Strings(): DotNetObjectReference<Box<string>> { return DotNetObjectReference.create(new Box<string>(\"s\")); }\n" +
      "@jsInvokable export function Flags(): DotNetObjectReference<Box<bool>> { return DotNetObjectReference.create(new Box<bool>(true)); }\n";
    const { manifest } = await compileVirtual({ "main.ts": source }, { assemblyName: "Typed" });
    expect(method(manifest, "Save").returnType).toEqual({ kind: "task", result: { kind: "void" }, resultExport: null });
    const text = renderDeclarations(manifest, { entry: "main.ts" });
    expect(text).toContain("Count(n: number | null, l: number | bigint | null, c: string | null): (Int64 | null)[];");
    expect(text).toContain("Save(): void | Promise<void>;");
    expect(text).toContain("/** `Strings(): DotNetObjectReference<Box<string>>` at main.ts:9:1 */");
    expect(text).toContain("Strings(): Box<Int64>;");
    expect(text).toContain("Flags(): Box_2<Int64>;");
    expect(text).toContain("A managed `Box<string>` held by reference");
    expect(text).toContain("A managed `Box<bool>` held by reference");
    expect(text).toMatch(/Get\(\): string;[\s\S]*Value: number \| null;[\s\S]*Get\(\): boolean;/);
  });
});

describe("compile errors: @dataMember classes", () => {
  const cases: ErrorCase[] = [
    {
      name: "a class with @dataMember fields whose constructor has a required parameter",
      source:
        "export class P {\n  @dataMember x: i32 = 0;\n  constructor(x: i32) { this.x = x; }\n}\n" +
        "@jsInvokable\nexport function f(p: P): i32 { return p.x; }\n",
      line: 3,
      column: 3,
      message:
        "Class 'P' has @dataMember members, so JavaScript objects become new instances of it; that needs a " +
        "constructor without required parameters (System.Text.Json needs one too).",
    },
    {
      name: "@dataMember on a method",
      source: "export class P {\n  @dataMember x: i32 = 0;\n  @dataMember y(): i32 { return 1; }\n}\n@jsInvokable\nexport function f(p: P): i32 { return p.x; }\n",
      line: 3,
      column: 3,
      message: "@dataMember applies to fields and get/set properties; 'y' of class 'P' is neither.",
    },
    {
      name: "@dataMember on a property without a set accessor",
      source: "export class P {\n  @dataMember x: i32 = 0;\n  @dataMember get y(): i32 { return 1; }\n}\n@jsInvokable\nexport function f(p: P): i32 { return p.x; }\n",
      line: 3,
      column: 3,
      message:
        "@dataMember property 'y' of class 'P' has no set accessor: JavaScript objects become new instances of the class, " +
        "and each @dataMember member is set.",
    },
    {
      name: "@dataMember on a readonly field",
      source: "export class P {\n  @dataMember x: i32 = 0;\n  @dataMember readonly y: i32 = 0;\n}\n@jsInvokable\nexport function f(p: P): i32 { return p.x; }\n",
      line: 3,
      column: 3,
      message:
        "@dataMember field 'y' of class 'P' is readonly: JavaScript objects become new instances of the class, and each @dataMember member is set.",
    },
    {
      name: "@dataMember on a property whose accessors disagree on its type",
      source:
        "export class P {\n  @dataMember x: i32 = 0;\n  @dataMember get y(): i32 { return 1; }\n  set y(v: f64) {}\n}\n" +
        "@jsInvokable\nexport function f(p: P): i32 { return p.x; }\n",
      line: 4,
      column: 3,
      message:
        "@dataMember property 'y' of class 'P' is read as 'i32' but set as 'f64': JavaScript sets what it reads, so both accessors need the same type.",
    },
    {
      name: "@dataMember on a static field",
      source: "export class P {\n  @dataMember x: i32 = 0;\n  @dataMember static z: i32 = 0;\n}\n@jsInvokable\nexport function f(p: P): i32 { return p.x; }\n",
      line: 3,
      column: 3,
      message: "@dataMember field 'z' is static; only instance fields belong to a value.",
    },
    {
      name: "a @dataMember field of a plain class",
      source: "class Q { a: i32 = 0; }\nexport class P {\n  @dataMember x: i32 = 0;\n  @dataMember q: Q = new Q();\n}\n@jsInvokable\nexport function f(p: P): i32 { return p.x; }\n",
      line: 4,
      column: 18,
      message: /^Type 'main\/Q' cannot be marshaled between JavaScript and managed code: a class without @dataMember fields crosses only by reference: write DotNetObjectReference<Q>/,
    },
    {
      name: "a @dataMember field of a Map with non-string keys",
      source: "export class P {\n  @dataMember m: Map<i32, i32> = new Map();\n}\n@jsInvokable\nexport function f(): P { return new P(); }\n",
      line: 2,
      column: 18,
      message: "only Map<string, V> can be marshaled (the HTML Bridge's ArgumentException rule); this one has keys of type 'i32'.",
    },
  ];

  it.each(cases)("rejects $name at its line and column, with no follow-on errors", async ({ source, line, column, message }) => {
    const diagnostics = await compileErrors({ "main.ts": source });
    const d = expectOneError(diagnostics, "main.ts", line, column, message);
    expect(d.code).toBe(109);
  });

  it("accepts a class without @dataMember fields that is never marshaled, whatever its constructor", async () => {
    const { manifest } = await compileVirtual({
      "main.ts": "export class Helper { constructor(public n: i32) {} }\n@jsInvokable\nexport function f(n: i32): i32 { return new Helper(n).n; }\n",
    });
    expect(manifest.structs).toEqual({});
  });
});

describe("compile errors: @scriptableMember's name (the HTML Bridge's ScriptAlias) and @serializeToScriptByValue", () => {
  const NAME_ARGUMENT = "@scriptableMember takes at most one argument: the name of the JS property, a non-empty string literal.";
  const BY_VALUE = "@serializeToScriptByValue applies to @scriptableMember fields and properties that are lists or maps; ";
  const cases: ErrorCase[] = [
    {
      name: "a name that is not a string literal",
      source: "export class A {\n  @scriptableMember(1) x: i32 = 0;\n}\n",
      line: 2,
      column: 3,
      message: NAME_ARGUMENT,
    },
    {
      name: "an empty name",
      source: 'export class A {\n  @scriptableMember("") x: i32 = 0;\n}\n',
      line: 2,
      column: 3,
      message: NAME_ARGUMENT,
    },
    {
      name: "two names",
      source: 'export class A {\n  @scriptableMember("a", "b") x: i32 = 0;\n}\n',
      line: 2,
      column: 3,
      message: NAME_ARGUMENT,
    },
    {
      name: "a property named one way on its get accessor and another on its set accessor",
      source: 'export class A {\n  private v: i32 = 0;\n  @scriptableMember("a") get x(): i32 { return this.v; }\n  @scriptableMember("b") set x(value: i32) { this.v = value; }\n}\n',
      line: 4,
      column: 3,
      message: "@scriptableMember property 'x' of class 'A' is named 'a' on its get accessor and 'b' on its set accessor: it crosses as one JS property, so give its name once.",
    },
    {
      name: "two members of one class under one script name",
      source: 'export class A {\n  @scriptableMember code: i32 = 0;\n  @scriptableMember("code") key: i32 = 0;\n}\n',
      line: 3,
      column: 3,
      message:
        "The script name 'code' of @scriptableMember field 'key' of class 'A' collides with field 'code' of class 'A': a JavaScript object " +
        "of class 'A' has one property per name; give one of them another with @scriptableMember(\"name\").",
    },
    {
      name: "a member named as the reference's own dispose",
      source: 'export class A {\n  @scriptableMember("dispose") done: bool = false;\n}\n',
      line: 2,
      column: 3,
      message:
        "The script name 'dispose' of @scriptableMember field 'done' of class 'A' would hide the reference's own 'dispose' (JavaScript calls " +
        'invokeMethod, invokeMethodAsync and dispose, and reads id, of every DotNetObject); give it another with @scriptableMember("name").',
    },
    {
      name: "a member named id, without an alias",
      source: "export class A {\n  @scriptableMember id: i32 = 0;\n}\n",
      line: 2,
      column: 3,
      message: /^The script name 'id' of @scriptableMember field 'id' of class 'A' would hide the reference's own 'id' /,
    },
    {
      name: "a member named then",
      source: "export class A {\n  private v: i32 = 0;\n  @scriptableMember get then(): i32 { return this.v; }\n}\n",
      line: 3,
      column: 3,
      message:
        "The script name 'then' of @scriptableMember property 'then' of class 'A' would make every reference to an object of class 'A' a thenable, " +
        'which await calls as a promise\'s then; give it another with @scriptableMember("name").',
    },
    {
      name: "a member of a ManagedStream named as its references' stream()",
      source:
        'import { DotNetObjectReference, ManagedStream } from "as-interop/assembly/interop";\n' +
        "export class Zeros extends ManagedStream {\n  @scriptableMember stream: i32 = 0;\n  read(into: Uint8Array): i32 { return 0; }\n}\n" +
        "@jsInvokable export function open(): DotNetObjectReference<Zeros> { return DotNetObjectReference.create(new Zeros()); }\n",
      line: 3,
      column: 3,
      message:
        "The script name 'stream' of @scriptableMember field 'stream' of class 'Zeros' would hide the reference's own 'stream' " +
        '(JavaScript calls stream() and arrayBuffer() of a ManagedStream\'s references); give it another with @scriptableMember("name").',
    },
    {
      name: "a derived class's member under the script name of a base class's",
      source:
        'import { DotNetObjectReference } from "as-interop/assembly/interop";\n' +
        'export class Base {\n  @scriptableMember("label") name: string = "";\n}\n' +
        'export class Derived extends Base {\n  @scriptableMember get label(): string { return ""; }\n}\n' +
        "@jsInvokable export function make(): DotNetObjectReference<Derived> { return DotNetObjectReference.create(new Derived()); }\n",
      line: 6,
      column: 3,
      message:
        "The script name 'label' of @scriptableMember property 'label' of class 'Derived' collides with field 'name' of class 'Base': " +
        "a JavaScript object of class 'Derived' has one property per name; give one of them another with @scriptableMember(\"name\").",
    },
    {
      name: "@serializeToScriptByValue on a member that is no list or map",
      source: "export class A {\n  @scriptableMember @serializeToScriptByValue count: i32 = 0;\n}\n",
      line: 2,
      column: 21,
      message: BY_VALUE + "field 'count' of class 'A' is 'i32', which crosses as a copy already.",
    },
    {
      name: "@serializeToScriptByValue on a list field without @scriptableMember",
      source: "export class A {\n  @scriptableMember n: i32 = 0;\n  @serializeToScriptByValue items: Array<i32> = [];\n}\n",
      line: 3,
      column: 3,
      message: BY_VALUE + "'items' of class 'A' is not marked @scriptableMember.",
    },
    {
      name: "@serializeToScriptByValue on a method",
      source: "export class A {\n  @serializeToScriptByValue @jsInvokable Items(): Array<i32> { return []; }\n}\n",
      line: 2,
      column: 3,
      message: BY_VALUE + "'Items' of class 'A' is not marked @scriptableMember.",
    },
    {
      name: "@serializeToScriptByValue on a function",
      source: "@serializeToScriptByValue @jsInvokable export function items(): Array<i32> { return []; }\n",
      line: 1,
      column: 1,
      message: BY_VALUE + "this is not a member of a class.",
    },
  ];

  it.each(cases)("rejects $name at its line and column, with no follow-on errors", async ({ source, line, column, message }) => {
    const diagnostics = await compileErrors({ "main.ts": source });
    const d = expectOneError(diagnostics, "main.ts", line, column, message);
    expect(d.code).toBe(109);
  });

  it("accepts @serializeToScriptByValue on either accessor of a list property, and a nullable list field", async () => {
    const { manifest } = await compileVirtual({
      "main.ts":
        "export class A {\n  private v: Array<i32> = [1];\n  @scriptableMember get items(): Array<i32> { return this.v; }\n" +
        "  @serializeToScriptByValue set items(value: Array<i32>) { this.v = value; }\n" +
        "  @scriptableMember @serializeToScriptByValue maybe: Array<i32> | null = null;\n}\n",
    });
    expect(manifest.classes["main/A"].properties.map((p) => [p.name, p.type.kind])).toEqual([
      ["items", "array"],
      ["maybe", "array"],
    ]);
  });
});

describe("edge cases of what counts as an exported function", () => {
  it("makes an `export default function` invokable by its name", async () => {
    const { binary, manifest } = await compileVirtual({
      "main.ts": "@jsInvokable\nexport default function answer(): i32 { return 42; }\n",
    });
    expect(manifest.methods.map((m) => m.identifier)).toEqual(["answer"]);
    const runtime = new InteropRuntime();
    await runtime.loadAssembly(binary);
    expect(runtime.invokeMethod("main", "answer")).toBe(42);
  });

  it("accepts a function that is exported through an export list", async () => {
    const { manifest } = await compileVirtual({
      "main.ts": "@jsInvokable\nfunction answer(): i32 { return 42; }\nexport { answer };\n",
    });
    expect(manifest.methods.map((m) => m.identifier)).toEqual(["answer"]);
  });

  it("reserves the generated glue's export names, so no user export can shadow one", async () => {
    const error = await compileVirtual({
      "main.ts":
        "@jsInvokable export function __interop_invoke_1_g(): i32 { return 1; }\n" +
        "@jsInvokable export function g(): i32 { return 2; }\n",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompileError);
    const [d] = (error as CompileError).diagnostics.filter((x) => x.category === "error");
    expect([d.file, d.line, d.column]).toEqual(["main.ts", 1, 30]);
    expect(d.message).toBe("Names beginning with '__interop_' are reserved for as-interop's generated exports.");
  });
});
