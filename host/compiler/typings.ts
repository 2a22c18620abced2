/**
 * Generated TypeScript types for an assembly: its manifest rendered as a `.d.ts` that types the
 * `?assembly` import of its entry file, so that `api.ReturnArrayAsync()` is checked by `tsc`.
 *
 * The one mapping from a {@link TypeDescriptor} to the TypeScript type a JS caller sees lives in
 * {@link tsType}; its switch is exhaustive, so a new descriptor kind is a compile error here until
 * it gets its case.
 */
import type { Manifest, MethodDescriptor, TypeDescriptor } from "../marshal/types.ts";

/**
 * Which side of a call a type is on. Arguments accept more than results return: a
 * `readonly number[]` or an `Int32Array` for `i32[]`, a bigint for an `i64`.
 */
export type Position = "argument" | "result";

/**
 * 64-bit integers arrive as numbers or bigints depending on how the assembly was loaded
 * (`int64: "number" | "bigint"`), so results use this type parameter of the generated interfaces.
 */
const INT64 = "Int64";

/** The TypeScript type of a value of `type`, as `position` sees it. */
export function tsType(type: TypeDescriptor, position: Position): string {
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
    case "guid":
      return nullable("string", "nullable" in type && type.nullable);
    case "string":
      return nullable("string", type.nullable);
    case "array":
    case "staticarray": {
      const element = tsType(type.element, position);
      const list = /[ |&]/.test(element) ? `(${element})[]` : `${element}[]`;
      if (position === "result") return nullable(list, type.nullable);
      const typedArray = TYPED_ARRAY_OF[type.element.kind as keyof typeof TYPED_ARRAY_OF];
      return nullable(typedArray ? `readonly ${list} | ${typedArray}` : `readonly ${list}`, type.nullable);
    }
    case "typedarray":
      return nullable(JS_TYPED_ARRAY[type.name] ?? type.name, type.nullable);
    case "date":
      return nullable("Date", type.nullable);
    case "map": {
      const value = tsType(type.value, position);
      const record = position === "argument" ? `{ readonly [key: string]: ${value} }` : `Record<string, ${value}>`;
      return nullable(record, type.nullable);
    }
    case "struct":
      // Arguments take bigints for 64-bit fields too; results have what the assembly was loaded with.
      return nullable(`${structTypeName(type.name)}<${position === "argument" ? "number | bigint" : INT64}>`, type.nullable);
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

/** AssemblyScript's names for the 64-bit typed arrays differ from JavaScript's. */
const JS_TYPED_ARRAY: Readonly<Record<string, string>> = { Int64Array: "BigInt64Array", Uint64Array: "BigUint64Array" };

function nullable(type: string, isNullable: boolean): string {
  return isNullable ? `${type} | null` : type;
}

function unhandled(type: never): never {
  throw new Error(`as-interop typings: no TypeScript type for descriptor ${JSON.stringify(type)}.`);
}

/** `Vec2` for a struct key such as `assembly/geometry/Vec2`: a valid, distinct identifier. */
export function structTypeName(key: string): string {
  const name = key.replace(/^.*[/#]/, "").replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(name) || RESERVED.has(name) ? `${name}_` : name;
}

/** Names the generated module already uses. */
const RESERVED = new Set(["Methods", "Int64", "url", "name", "load", "api", "syncApi"]);

/** `method(a: number, b: string): boolean`, in the method-signature form an interface takes. */
export function methodSignature(method: MethodDescriptor): string {
  const parameters = method.parameters.map((p) => `${safeParameterName(p.name)}: ${tsType(p.type, "argument")}`);
  return `${propertyKey(method.identifier)}(${parameters.join(", ")}): ${tsType(method.returnType, "result")}`;
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
   * The module that declares `LoadAssembly`, `ApiFactory` and `SyncApiFactory`: `as-interop/api`,
   * or a relative path when as-interop itself is not installed as a package (this repository).
   */
  apiModule?: string;
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
  const file = options.entry.replace(/^.*\//, "");
  const generic = `<${INT64} extends number | bigint = number>`;
  const lines = [
    `// Generated by as-interop from ${options.entry} (assembly '${manifest.assembly}'). Do not edit: \`vite\` and`,
    `// \`vite build\` rewrite it, and \`npx as-interop types ${options.entry}\` does so without Vite.`,
    ``,
    `declare module ${JSON.stringify(`.*/${file}?assembly`)} {`,
    `  /**`,
    `   * The \`@jsInvokable\` methods of '${manifest.assembly}', as \`DotNet.invokeMethod\` calls them. 64-bit`,
    `   * integers come back as \`${INT64}\`: numbers, or bigints when loaded with \`{ int64: "bigint" }\`.`,
    `   */`,
    `  export interface Methods${generic} {`,
    ...manifest.methods.flatMap((method) => [
      `    /** \`${method.identifier}\`, declared at ${method.declaredAt}. */`,
      `    ${methodSignature(method)};`,
    ]),
    `  }`,
    ...Object.entries(manifest.structs ?? {}).flatMap(([key, struct]) => [
      ``,
      `  /** The data class \`${struct.displayName}\`, as a plain object. */`,
      `  export interface ${structTypeName(key)}${generic} {`,
      ...struct.fields.map((field) => `    ${propertyKey(field.name)}: ${tsType(field.type, "result")};`),
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
  ];
  return lines.join("\n");
}
