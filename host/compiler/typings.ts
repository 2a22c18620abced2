/**
 * Generated TypeScript types for an assembly: its manifest rendered as a `.d.ts` that types the
 * `?assembly` import of its entry file, so that `api.ReturnArrayAsync()` is checked by `tsc`.
 *
 * The one mapping from a {@link TypeDescriptor} to the TypeScript type a JS caller sees lives in
 * {@link tsType}; its switch is exhaustive, so a new descriptor kind is a compile error here until
 * it gets its case.
 */
import { JS_TYPED_ARRAYS } from "../marshal/typed-arrays.ts";
import { managedSignature, type Manifest, type MethodDescriptor, type TypeDescriptor } from "../marshal/types.ts";

/**
 * Which side of a call a type is on. Arguments accept more than results return: a
 * `readonly number[]` or an `Int32Array` for `i32[]`, a bigint for an `i64`.
 */
type Position = "argument" | "result";

/**
 * 64-bit integers arrive as numbers or bigints depending on how the assembly was loaded
 * (`int64: "number" | "bigint"`), so results use this type parameter of the generated interfaces.
 */
const INT64 = "Int64";

/**
 * What the generated declarations call the manifest's named types: structs under `struct:<key>`
 * and classes held by reference under `class:<key>` (keys as in `Manifest.structs`/`classes`).
 */
type TypeNames = ReadonlyMap<string, string>;

/** What the generated declarations call things: the manifest's types, and the runtime's module. */
interface Names {
  readonly types: TypeNames;
  /** The module the runtime's types are imported from (`import("as-interop").ListView<…>`). */
  readonly runtime: string;
}

/** The TypeScript type of a value of `type`, as `position` sees it. */
function tsType(type: TypeDescriptor, position: Position, names: Names): string {
  switch (type.kind) {
    case "void":
      return "void";
    case "bool":
      return "boolean";
    case "i8":
    case "u8":
    case "i16":
    case "u16":
    case "i32":
    case "u32":
    case "f32":
    case "f64":
      return "number";
    case "i64":
    case "u64":
      return position === "argument" ? "number | bigint" : INT64;
    case "char":
      return "string";
    case "nullable":
      // Its value, or null when it has none.
      return `${tsType(type.value, position, names)} | null`;
    case "string":
    case "guid":
      return nullable("string", type.nullable);
    case "array":
    case "staticarray": {
      const element = tsType(type.element, position, names);
      const list = /[ |&]/.test(element) ? `(${element})[]` : `${element}[]`;
      if (position === "result") return nullable(list, type.nullable);
      const typedArray = TYPED_ARRAY_OF[type.element.kind as keyof typeof TYPED_ARRAY_OF];
      return nullable(typedArray ? `readonly ${list} | ${typedArray}` : `readonly ${list}`, type.nullable);
    }
    case "typedarray":
      return nullable(JS_TYPED_ARRAYS[type.name].name, type.nullable);
    case "date":
      return nullable("Date", type.nullable);
    case "map": {
      const value = tsType(type.value, position, names);
      const record = position === "argument" ? `{ readonly [key: string]: ${value} }` : `Record<string, ${value}>`;
      return nullable(record, type.nullable);
    }
    case "struct":
      // Arguments may give bigints for 64-bit fields; results have what the assembly was loaded with.
      return nullable(`${nameOf(names, "struct", type.name)}<${position === "argument" ? "number | bigint" : INT64}>`, type.nullable);
    case "objectref":
      return nullable(`${nameOf(names, "class", type.class)}<${INT64}>`, type.nullable);
    case "task": {
      // Its value if the task has completed by the time the call returns, else a promise of it.
      const result = tsType(type.result, position, names);
      return `${/[ |&]/.test(result) ? `(${result})` : result} | Promise<${result}>`;
    }
    case "jsobject":
      // A JS object managed code holds a handle to: it comes back as the same object.
      return nullable("object", type.nullable);
    case "jsstream":
      // JS data managed code reads in chunks: a reference to it, or the data itself; it comes back as the data.
      return nullable(
        position === "argument" ? `import(${names.runtime}).JSStreamReference | import(${names.runtime}).StreamData` : `import(${names.runtime}).StreamData`,
        type.nullable,
      );
    case "listref": {
      // A live array-like view (the HTML Bridge's by-reference IList wrapper).
      const element = tsType(type.element, "result", names);
      return nullable(`import(${names.runtime}).ListView<${element}>`, type.nullable);
    }
    case "dictref": {
      const value = tsType(type.value, "result", names);
      return nullable(`import(${names.runtime}).DictionaryView<${value}>`, type.nullable);
    }
    case "memoryview": {
      // A live view of managed memory; as an argument, also any typed array of its type (copied in).
      const array = JS_TYPED_ARRAYS[type.name].name;
      const view = `import(${names.runtime}).MemoryView<${array}>`;
      return nullable(position === "argument" ? `${view} | ${array}` : view, type.nullable);
    }
    case "delegate": {
      // JS calls it, so its parameters take arguments and its result is a result, whichever way it came.
      const parameters = type.parameters.map((p) => `${safeParameterName(p.name)}: ${tsType(p.type, "argument", names)}`);
      const signature = `(${parameters.join(", ")}) => ${tsType(type.returnType, "result", names)}`;
      return type.nullable ? `(${signature}) | null` : signature;
    }
    default:
      return unhandled(type);
  }
}

/** Typed arrays of an array's element type, which arguments also accept (copied in one go). */
const TYPED_ARRAY_OF = {
  i8: "Int8Array",
  u8: "Uint8Array",
  i16: "Int16Array",
  u16: "Uint16Array",
  i32: "Int32Array",
  u32: "Uint32Array",
  i64: "BigInt64Array",
  u64: "BigUint64Array",
  f32: "Float32Array",
  f64: "Float64Array",
} as const;

function nullable(type: string, isNullable: boolean): string {
  return isNullable ? `${type} | null` : type;
}

function nameOf(names: Names, namespace: "struct" | "class", key: string): string {
  // Every struct and class of the manifest is named before any declaration is written.
  return names.types.get(`${namespace}:${key}`)!;
}

function unhandled(type: never): never {
  throw new Error(`as-interop typings: no TypeScript type for descriptor ${JSON.stringify(type)}.`);
}

/**
 * `Vec2` for `struct:assembly/geometry/Vec2`: the class name as an identifier, made distinct from
 * the generated module's own names and from each other (`Vec2_2`).
 */
function typeNames(qualifiedKeys: Iterable<string>): TypeNames {
  const names = new Map<string, string>();
  const taken = new Set(RESERVED);
  for (const qualified of qualifiedKeys) {
    const key = qualified.replace(/^\w+:/, "");
    const base = key.replace(/<.*$/, "").replace(/^.*[/#]/, "").replace(/[^A-Za-z0-9_$]/g, "_") || "Type";
    let name = /^[0-9]/.test(base) ? `_${base}` : base;
    for (let n = 2; taken.has(name); ++n) name = `${base}_${n}`;
    taken.add(name);
    names.set(qualified, name);
  }
  return names;
}

/** Names the generated module already uses. */
const RESERVED = new Set(["Methods", INT64, "DotNetObject", "url", "name", "load", "api", "syncApi"]);

/** `method(a: number, b: string): boolean`, in the method-signature form an interface takes. */
function methodSignature(method: MethodDescriptor, names: Names): string {
  const parameters = method.parameters.map((p) => `${safeParameterName(p.name)}: ${tsType(p.type, "argument", names)}`);
  return `${propertyKey(method.identifier)}(${parameters.join(", ")}): ${tsType(method.returnType, "result", names)}`;
}

/** Text for a `/** … *\/` comment: an identifier may be any string, `*\/` included. */
function comment(text: string): string {
  return text.replace(/\*\//g, "*\\/").replace(/\s+/g, " ");
}

/** An identifier stays bare; anything else (`"my-method"`) is quoted, as Blazor allows any string. */
function propertyKey(identifier: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(identifier) ? identifier : JSON.stringify(identifier);
}

function safeParameterName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : "_";
}

/** `assembly/BlazorSample.ts` → `assembly/BlazorSample.assembly.d.ts`: where an entry's types go. */
export function declarationPath(entry: string): string {
  return entry.replace(/\.ts$/, "") + ".assembly.d.ts";
}

export interface DeclarationOptions {
  /** The entry file as the reader should see it (shown in comments). */
  entry: string;
  /**
   * The module that declares `LoadAssembly`, `ApiFactory`, `SyncApiFactory` and `DotNetObject`:
   * `as-interop/api`, or a relative path where as-interop is not installed as a package.
   */
  apiModule?: string;
  /**
   * The module that declares the runtime's types (`ListView`, `MemoryView`, `DotNetStream`, …):
   * `as-interop`, or a relative path where as-interop is not installed as a package.
   */
  runtimeModule?: string;
  /**
   * Other specifiers the app imports the entry by (`@/assembly/Calculator.ts?assembly`, through an
   * alias), each declared as the same module.
   */
  importedAs?: readonly string[];
}

/**
 * The `.d.ts` for one assembly: an ambient module that types `import … from "…/Entry.ts?assembly"`.
 *
 * The module name starts with `.` so that it wins over the catch-all `*?assembly` declaration of
 * `as-interop/vite/client`: TypeScript picks the matching pattern with the longest prefix before
 * the `*`, and on a tie the one it saw first, which would depend on file order. A relative import
 * (`./…` or `../…`) always starts with `.`.
 */
export function renderDeclarations(manifest: Manifest, options: DeclarationOptions): string {
  const api = JSON.stringify(options.apiModule ?? "as-interop/api");
  const module = `.*/${options.entry.replace(/^.*\//, "")}?assembly`;
  const generic = `<${INT64} extends number | bigint = number>`;
  const structs = Object.entries(manifest.structs ?? {});
  const classes = Object.entries(manifest.classes ?? {});
  const runtime = JSON.stringify(options.runtimeModule ?? "as-interop");
  const names: Names = { types: typeNames([...structs.map(([key]) => `struct:${key}`), ...classes.map(([key]) => `class:${key}`)]), runtime };
  const methods = (list: readonly MethodDescriptor[], indent: string) =>
    list.flatMap((method) => [
      `${indent}/** ${comment(`\`${managedSignature(method)}\` at ${method.declaredAt}`)} */`,
      `${indent}${methodSignature(method, names)};`,
    ]);

  const assembly = comment(manifest.assembly);
  const entry = comment(options.entry);
  const lines = [
    `// Generated by as-interop from ${entry} (assembly '${assembly}'). Do not edit: \`vite\` and`,
    `// \`vite build\` rewrite it, and \`npx as-interop types ${entry}\` does so without Vite.`,
    ``,
    `declare module ${JSON.stringify(module)} {`,
    `  /**`,
    `   * The \`@jsInvokable\` methods of '${assembly}', as \`DotNet.invokeMethod\` calls them. 64-bit`,
    `   * integers come back as \`${INT64}\`: numbers, or bigints when loaded with \`{ int64: "bigint" }\`.`,
    `   */`,
    `  export interface Methods${generic} {`,
    ...methods(manifest.methods, "    "),
    `  }`,
    ...structs.flatMap(([key, struct]) => [
      ``,
      `  /** ${comment(`The data class \`${struct.displayName}\`, by value: a plain object.`)} */`,
      `  export interface ${names.types.get(`struct:${key}`)}${generic} {`,
      ...struct.fields.map((field) => `    ${propertyKey(field.name)}: ${tsType(field.type, "result", names)};`),
      `  }`,
    ]),
    ...(classes.length ? [``, `  type DotNetObject<M> = import(${api}).DotNetObject<M>;`] : []),
    // An interface extends names only, not import() types: aliases for what streams and sinks add.
    ...(classes.some(([, cls]) => cls.stream) ? [`  type DotNetStream = import(${runtime}).DotNetStream;`] : []),
    ...(classes.some(([, cls]) => cls.sink) ? [`  type DotNetStreamSink = import(${runtime}).DotNetStreamSink;`] : []),
    ...classes.flatMap(([key, cls]) => [
      ``,
      `  /** ${comment(`A managed \`${cls.displayName}\` held by reference: its invokable methods and scriptable properties.`)} */`,
      `  export interface ${names.types.get(`class:${key}`)}${generic} extends DotNetObject<{`,
      ...methods(cls.methods, "      "),
      // A stream or sink has what the runtime adds to its object (stream(), writeStream()) too.
      `    }>${cls.stream ? ", DotNetStream" : ""}${cls.sink ? ", DotNetStreamSink" : ""} {`,
      ...cls.properties.map(
        (property) => `    ${property.setter === null ? "readonly " : ""}${propertyKey(property.name)}: ${tsType(property.type, "result", names)};`,
      ),
      `  }`,
    ]),
    ``,
    `  /** The URL of the compiled wasm: \`loadAssembly(url)\` loads it for \`DotNet\`. */`,
    `  const url: string;`,
    `  export default url;`,
    `  /** The assembly name \`DotNet.invokeMethod\` takes. */`,
    `  export const name: ${JSON.stringify(manifest.assembly)};`,
    `  /** Loads the assembly (into the default runtime, or \`options.runtime\`) and resolves to its typed API. */`,
    `  export const load: import(${api}).LoadAssembly<Methods, Methods<bigint>>;`,
    `  /** The typed API of the assembly once loaded (by \`load\` or \`loadAssembly\`); every method returns a Promise. */`,
    `  export const api: import(${api}).ApiFactory<Methods>;`,
    `  /** The same, calling synchronously as \`DotNet.invokeMethod\` does. */`,
    `  export const syncApi: import(${api}).SyncApiFactory<Methods>;`,
    `}`,
    ``,
    ...(options.importedAs ?? []).flatMap((specifier) => [
      `// ${comment(`The same module, imported as ${specifier}.`)}`,
      `declare module ${JSON.stringify(specifier)} {`,
      `  export * from ${JSON.stringify(module)};`,
      `  export { default } from ${JSON.stringify(module)};`,
      `}`,
      ``,
    ]),
  ];
  return lines.join("\n");
}

/**
 * The other specifiers a file written by {@link renderDeclarations} declares: kept when it is written
 * again, by the CLI as well, which does not know how the app imports the entry.
 */
export function importedAsIn(declarations: string): string[] {
  const found = declarations.matchAll(/^declare module ("[^"\n]*") \{\n  export \* from /gm);
  return [...found].map(([, name]) => JSON.parse(name) as string);
}
