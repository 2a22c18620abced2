/**
 * The contract between the two halves of as-interop.
 *
 * The compiler transform describes every `@jsInvokable` method with these descriptors and embeds
 * them in the wasm (custom section {@link MANIFEST_SECTION}); the host reads them back and builds
 * one codec per descriptor. Nothing else crosses from compile time to run time, so this file is the
 * single place where a new marshalable type is declared.
 */

/** Name of the wasm custom section that carries the {@link Manifest} as UTF-8 JSON. */
export const MANIFEST_SECTION = "as-interop";
/** The import module of calls into JavaScript (assembly/interop/js/imports.ts). */
export const CALLS_MODULE = "as-interop";
/** The import module of typed JS imports (`@jsImport`), one field per import (host/compiler/js-imports.ts). */
export const JS_IMPORTS_MODULE = "as-interop.imports";

/** The wasm export of AssemblyScript's shadow-stack pointer, which the host restores after an abort. */
export const STACK_POINTER_EXPORT = "__stack_pointer";

/** `__new` without zeroing, for the strings and buffers the host fills at once (host/compiler/unzeroed-new.ts). */
export const UNZEROED_NEW_EXPORT = "__interop_new_unzeroed";

/** Exported when the assembly uses the managed library: the host passes its reference handling. */
export const CONFIGURE_EXPORT = "__interop_configure";
/**
 * The module's start function (its top-level statements), exported instead of run while the
 * module is instantiated (asc's `exportStart`, set by the transform): the host runs it once the
 * instance is ready, so top-level code may call into JavaScript, and an abort there has its message.
 */
export const START_EXPORT = "__interop_start";
/**
 * Releases a tracked object (a `DotNetObjectReference`) by id when JS let go of it without
 * disposing it (its finalizer, a value that failed to cross): a reference managed code kept is
 * still good, and crosses again under a new id.
 */
export const RELEASE_EXPORT = "__interop_release";
/** Disposes a tracked object by id, for JS's `dispose()`: a reference managed code kept is disposed too, as in Blazor. */
export const DISPOSE_EXPORT = "__interop_dispose";
/** How many objects the managed side tracks for JS, for diagnostics. */
export const TRACKED_COUNT_EXPORT = "__interop_tracked_count";
/**
 * Where the managed side counts releases (a u32 in linear memory): what the host reads directly
 * through a view checks that nothing was released since its last look before trusting its address.
 */
export const RELEASES_EXPORT = "__interop_releases";
/** The managed library's task entry points (see assembly/interop/task.ts). */
export const TASK_EXPORTS = {
  watch: "__interop_task_watch",
  error: "__interop_task_error",
  complete: "__interop_task_complete",
  reject: "__interop_task_reject",
  release: "__interop_task_release",
  failFlow: "__interop_task_fail_flow",
} as const;

/** The managed library's by-reference collection entry points (see assembly/interop/collections.ts). */
export const COLLECTION_EXPORTS = {
  listLength: "__interop_list_length",
  listGet: "__interop_list_get",
  listSet: "__interop_list_set",
  listInsert: "__interop_list_insert",
  listRemove: "__interop_list_remove",
  listReverse: "__interop_list_reverse",
  listIndexOf: "__interop_list_index_of",
  listLastIndexOf: "__interop_list_last_index_of",
  listCopy: "__interop_list_copy",
  listToArray: "__interop_list_to_array",
  dictionaryKeys: "__interop_dictionary_keys",
  dictionaryHas: "__interop_dictionary_has",
  dictionaryGet: "__interop_dictionary_get",
  dictionarySet: "__interop_dictionary_set",
  dictionaryDelete: "__interop_dictionary_delete",
  dictionaryCopy: "__interop_dictionary_copy",
  // Direct access (numbers and bool): where a list lives, and a dictionary value through a scratch slot.
  listTarget: "__interop_list_target",
  dictionaryRead: "__interop_dictionary_read",
  dictionaryUpdate: "__interop_dictionary_update",
  scratch: "__interop_scratch",
} as const;

/** The managed library's memory-view entry points (see assembly/interop/memory-view.ts). */
export const MEMORY_VIEW_EXPORTS = {
  data: "__interop_memory_view_data",
  slice: "__interop_memory_view_slice",
  track: "__interop_memory_view_track",
} as const;

/** The managed library's stream entry points (see assembly/interop/streams.ts). */
export const STREAM_EXPORTS = {
  read: "__interop_stream_read",
  buffer: "__interop_stream_buffer",
  write: "__interop_sink_write",
  close: "__interop_sink_close",
} as const;

/**
 * Bumped whenever an older host would misread a newer wasm, or a newer host needs what an older
 * wasm lacks (4: the `UNZEROED_NEW_EXPORT` allocation; 5: typed JS imports; 6: `jsstream`; 7: tasks
 * without a result, `nullable` values, classes of generic instantiations; 8: direct collection
 * access, memory views, read-only views and `Manifest.collections`; 9: `Manifest.delegates`; 10: a
 * delegate's `classId`, and function-typed parameters; 11: `ClassDescriptor.bases`, plain `objectref`s, whose
 * class crosses with their id).
 */
export const MANIFEST_VERSION = 11;

export type IntegerKind = "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "i64" | "u64";
export type FloatKind = "f32" | "f64";
export type NumberKind = IntegerKind | FloatKind;

/** The typed arrays that cross as the same typed array, in one bulk copy. */
export const TYPED_ARRAYS = {
  Int8Array: "i8",
  Uint8Array: "u8",
  Uint8ClampedArray: "u8",
  Int16Array: "i16",
  Uint16Array: "u16",
  Int32Array: "i32",
  Uint32Array: "u32",
  Int64Array: "i64",
  Uint64Array: "u64",
  Float32Array: "f32",
  Float64Array: "f64",
} as const satisfies Record<string, NumberKind>;
export type TypedArrayName = keyof typeof TYPED_ARRAYS;

export type TypeDescriptor =
  | { readonly kind: "void" }
  | { readonly kind: "bool" }
  | { readonly kind: NumberKind }
  /** `char` from the managed library: a UTF-16 code unit, a one-character string in JS. */
  | { readonly kind: "char" }
  /**
   * The managed library's `Nullable<T>` (.NET's `int?`) of a number, `bool` or `char` (`value`):
   * its value, or `null` when it has none. A family of its own rather than a flag on the number
   * kinds: a `Nullable<T>` is a managed object (it always crosses encoded, a pointer in an array),
   * so nothing that treats a number kind as a plain wasm value may ever meet one.
   */
  | { readonly kind: "nullable"; readonly value: NullableValue }
  | { readonly kind: "string"; readonly nullable: boolean }
  /**
   * `Array<T>` (growable, like .NET's `List<T>`) or `StaticArray<T>` (fixed, like a .NET array).
   * `classId` is the runtime id of that exact instantiation, which the host needs to allocate one.
   */
  | {
      readonly kind: "array" | "staticarray";
      readonly element: TypeDescriptor;
      readonly classId: number;
      readonly nullable: boolean;
    }
  | { readonly kind: "typedarray"; readonly name: TypedArrayName; readonly classId: number; readonly nullable: boolean }
  /** AssemblyScript's `Date` (an instant, milliseconds since 1970 UTC) ↔ JS `Date`. */
  | { readonly kind: "date"; readonly nullable: boolean }
  /** The managed library's `Guid` ↔ `"382c74c3-721d-4f34-80e5-57657b6cbc27"`. */
  | { readonly kind: "guid"; readonly nullable: boolean }
  /** `Map<string, V>` ↔ a plain object (the HTML Bridge allows string keys only). */
  | { readonly kind: "map"; readonly value: TypeDescriptor; readonly nullable: boolean }
  /** A class with `@dataMember` fields ↔ a plain object; its fields are in {@link Manifest.structs}. */
  | { readonly kind: "struct"; readonly name: string; readonly nullable: boolean }
  /**
   * `DotNetObjectReference<T>` ↔ a JS object standing for the managed `T` (by reference): its
   * methods and properties are in {@link Manifest.classes} under `class`.
   *
   * `plain`: not a `DotNetObjectReference<T>` the code wrote but an object of plain class `class`
   * held by reference (a `@scriptableMember`'s value, an element of a by-reference collection: the
   * HTML Bridge's by-reference side). Such a value may be an object of a class derived from
   * `class`, as a .NET field of a base type may hold one: JS gets that object's own reference
   * (managed → JS, the class of that reference follows its id: see assembly/interop/wire/format.ts)
   * and may give back any reference whose class is `class` or one derived from it. A
   * `DotNetObjectReference<T>` is `T`'s exactly, as Blazor's type check of the generic argument is.
   */
  | { readonly kind: "objectref"; readonly class: string; readonly plain: boolean; readonly nullable: boolean }
  /**
   * The managed library's `Task<T>`, or `Task` (whose `result` is void): a result that may
   * complete later; JS gets its value (or a promise of it), `null` for a `Task` (as in Blazor).
   * `resultExport` encodes a completed task's value; null for a `Task`, which has none.
   */
  | { readonly kind: "task"; readonly result: TypeDescriptor; readonly resultExport: string | null }
  /**
   * The managed library's `ListReference<T>` (over `Array<T>`) or `FixedListReference<T>` (over
   * `StaticArray<T>`): a live array-like view in JS (by reference). `readOnly`: the view of a
   * `readonly` scriptable member, which refuses every change. An element that is a class without
   * `@dataMember` fields crosses as an `objectref` (a reference to that object).
   */
  | {
      readonly kind: "listref";
      readonly element: TypeDescriptor;
      readonly fixed: boolean;
      readonly readOnly: boolean;
      readonly nullable: boolean;
    }
  /** The managed library's `DictionaryReference<V>` (over `Map<string, V>`): a live dictionary-like view. */
  | { readonly kind: "dictref"; readonly value: TypeDescriptor; readonly readOnly: boolean; readonly nullable: boolean }
  /**
   * The managed library's `MemoryView<T>` over a typed array `T` (.NET's `JSType.MemoryView`): JS
   * reads and writes the managed array's memory without a copy. Only a method's parameter or
   * result; it crosses as the id it is tracked by. `classId` is the typed array's (for a JS typed
   * array copied in), `adopt` the generated export that wraps such a copy in a tracked view.
   */
  | {
      readonly kind: "memoryview";
      readonly name: TypedArrayName;
      readonly classId: number;
      readonly adopt: string;
      readonly nullable: boolean;
    }
  /** The managed library's `JSObject`: a handle to a JS object, which stays in JS (by reference). */
  | { readonly kind: "jsobject"; readonly nullable: boolean }
  /**
   * The managed library's `JSStreamReference` (Blazor's `IJSStreamReference`): a handle to JS data
   * (a `Blob`, an `ArrayBuffer`, a typed array) that managed code reads in chunks. Crosses as a
   * handle, like `jsobject`; managed code asks the host for its length (`streamLength`).
   */
  | { readonly kind: "jsstream"; readonly nullable: boolean }
  /**
   * A managed function (the HTML Bridge's delegate) ↔ a JS function that calls it through the
   * generated export `invoke`, which takes the function's id first, like an instance method.
   * `classId` is the runtime class of functions of this signature (`Function<F>`): JS gives back,
   * where a function is a parameter, only the very functions this instance made for that class.
   */
  | {
      readonly kind: "delegate";
      readonly invoke: string;
      readonly classId: number;
      readonly parameters: readonly ParameterDescriptor[];
      readonly returnType: TypeDescriptor;
      readonly returnEncoded: boolean;
      readonly nullable: boolean;
    };

/** What a `Nullable<T>` may hold. */
export type NullableValue = { readonly kind: NumberKind } | { readonly kind: "bool" } | { readonly kind: "char" };

export interface FieldDescriptor {
  readonly name: string;
  readonly type: TypeDescriptor;
}

export interface StructDescriptor {
  /** The class name as written in the source, for messages and generated types. */
  readonly displayName: string;
  /** The `@dataMember` fields in declaration order, which is also their order on the wire. */
  readonly fields: readonly FieldDescriptor[];
}

/** A class JS can hold by reference: its `@jsInvokable` instance methods and `@scriptableMember` fields. */
export interface ClassDescriptor {
  readonly displayName: string;
  /** The class's runtime id, which tells JS what a reference met in a JS call refers to. */
  readonly classId: number;
  /**
   * The classes of this manifest it extends, nearest first, by their keys: where a value of a
   * plain class is expected (see the `objectref` descriptor's `plain`), a reference to an object
   * of this class is one.
   */
  readonly bases: readonly string[];
  /** It extends the library's `ManagedStream` (JS can read it) or `StreamSink` (JS can write to it). */
  readonly stream: boolean;
  readonly sink: boolean;
  /** Their exports take the object's id first. */
  readonly methods: readonly MethodDescriptor[];
  readonly properties: readonly PropertyDescriptor[];
}

export interface PropertyDescriptor {
  readonly name: string;
  readonly type: TypeDescriptor;
  readonly encoded: boolean;
  readonly getter: string;
  /** Null for a `readonly` field. */
  readonly setter: string | null;
}

export interface ParameterDescriptor {
  readonly name: string;
  readonly type: TypeDescriptor;
  /**
   * How the value crosses. Direct: as a wasm value, or a managed object the host writes itself
   * (numbers, strings, arrays of them, typed arrays). Encoded: written into a buffer in the
   * binary format of `host/marshal/encoded.ts`, which generated managed code decodes.
   */
  readonly encoded: boolean;
}

export interface MethodDescriptor {
  /** What JS passes to `invokeMethod`: the decorator's argument, or the function's name. */
  readonly identifier: string;
  /** The wasm export the host calls; generated by the transform. */
  readonly exportName: string;
  readonly parameters: readonly ParameterDescriptor[];
  readonly returnType: TypeDescriptor;
  /** The result comes back as an encoded buffer (see {@link ParameterDescriptor.encoded}). */
  readonly returnEncoded: boolean;
  /** Where the method is declared, as `file:line:column`, for error messages. */
  readonly declaredAt: string;
}

/**
 * How a typed JS import's result comes back: the value itself; a `Task<T>` the host completes
 * when the JS promise settles (the import takes the task's id last and returns nothing); or a
 * `JSResult<T>` (the `tryInvoke` form: the host catches a JS exception and returns it, tagged).
 */
export type JSImportResult = "value" | "task" | "try";

/** A `@jsImport` declaration: a JS function managed code calls with a signature of its own. */
export interface JSImportDescriptor {
  /** The dotted identifier of the function, resolved as `JSRuntime.invoke`'s. */
  readonly identifier: string;
  /** The ES module (URL) it is an export of, or null for the assembly's scope. */
  readonly module: string | null;
  /** The field of the wasm import, in {@link JS_IMPORTS_MODULE}. */
  readonly importName: string;
  /** The values managed code passes; `encoded` ones arrive as output-format buffers. */
  readonly parameters: readonly ParameterDescriptor[];
  /** `T` of the result (also of a `Task<T>` or `JSResult<T>` result). */
  readonly returnType: TypeDescriptor;
  /** A `"value"` result goes back encoded (an input-format buffer). */
  readonly returnEncoded: boolean;
  readonly result: JSImportResult;
  /** Where it is declared, as `file:line:column`, for error messages. */
  readonly declaredAt: string;
}

export interface Manifest {
  readonly version: number;
  /** Blazor's assembly name: the first argument of `DotNet.invokeMethod`. */
  readonly assembly: string;
  readonly methods: readonly MethodDescriptor[];
  /** The typed JS imports (`@jsImport`) the host binds at load. */
  readonly imports: readonly JSImportDescriptor[];
  /** Every struct any method uses, directly or nested, by the name descriptors refer to it with. */
  readonly structs: Readonly<Record<string, StructDescriptor>>;
  /** Every class JS can hold by reference, by the name `objectref` descriptors refer to it with. */
  readonly classes: Readonly<Record<string, ClassDescriptor>>;
  /**
   * Every list and dictionary reference class the program uses, by its runtime class id: what a
   * collection passed to JavaScript as an argument of a call (a tagged value) is a view of.
   */
  readonly collections: Readonly<Record<string, Extract<TypeDescriptor, { kind: "listref" | "dictref" }>>>;
  /**
   * Every function type a managed function is passed to JavaScript as in a call's arguments
   * (`JSArgs.of(onTick)`), by the runtime class id of its function type: how JS calls it.
   */
  readonly delegates: Readonly<Record<string, Extract<TypeDescriptor, { kind: "delegate" }>>>;
}

/**
 * A type as one string, for keys: exact where a name is not (full struct names, nested
 * nullability); a nullable type and its non-null form share the key, being one managed class, and
 * so do a read-only view and a writable one.
 */
export function typeKey(type: TypeDescriptor): string {
  return JSON.stringify("readOnly" in type ? { ...type, nullable: false, readOnly: false } : { ...type, nullable: false });
}

/** Whether a value of `type` may hold, at any depth, a value of one of `kinds`. */
export function mayContain(
  type: TypeDescriptor,
  kinds: ReadonlySet<TypeDescriptor["kind"]>,
  structs: Readonly<Record<string, StructDescriptor>>,
  seen = new Set<string>(),
): boolean {
  if (kinds.has(type.kind)) return true;
  switch (type.kind) {
    case "array":
    case "staticarray":
    case "listref":
      return mayContain(type.element, kinds, structs, seen);
    case "map":
    case "dictref":
      return mayContain(type.value, kinds, structs, seen);
    case "task":
      return mayContain(type.result, kinds, structs, seen);
    case "struct": {
      if (seen.has(type.name)) return false;
      seen.add(type.name);
      return (structs[type.name]?.fields ?? []).some((field) => mayContain(field.type, kinds, structs, seen));
    }
    default:
      return false;
  }
}

/**
 * Whether an object of class `key` is one of class `expected`: that class, or one derived from it
 * (see {@link ClassDescriptor.bases}; `classOf` finds a class's entry). What a plain `objectref` of
 * class `expected` takes.
 */
export function isOfClass(
  classOf: (key: string) => { readonly bases: readonly string[] } | undefined,
  key: string,
  expected: string,
): boolean {
  return key === expected || (classOf(key)?.bases.includes(expected) ?? false);
}

/** The method as AssemblyScript declares it: `add(a: i32, b: i32): i32`. */
export function managedSignature(method: MethodDescriptor): string {
  const parameters = method.parameters.map((p) => `${p.name}: ${typeName(p.type)}`).join(", ");
  return `${method.identifier}(${parameters}): ${typeName(method.returnType)}`;
}

/** Renders a descriptor the way an AssemblyScript programmer would write the type. */
export function typeName(type: TypeDescriptor): string {
  switch (type.kind) {
    case "array":
      return withNull(`Array<${typeName(type.element)}>`, type.nullable);
    case "staticarray":
      return withNull(`StaticArray<${typeName(type.element)}>`, type.nullable);
    case "string":
      return withNull("string", type.nullable);
    case "typedarray":
      return withNull(type.name, type.nullable);
    case "nullable":
      return `Nullable<${typeName(type.value)}>`;
    case "date":
      return withNull("Date", type.nullable);
    case "guid":
      return withNull("Guid", type.nullable);
    case "map":
      return withNull(`Map<string, ${typeName(type.value)}>`, type.nullable);
    case "struct":
      return withNull(shortName(type.name), type.nullable);
    case "objectref":
      return withNull(`DotNetObjectReference<${shortName(type.class)}>`, type.nullable);
    case "jsobject":
      return withNull("JSObject", type.nullable);
    case "jsstream":
      return withNull("JSStreamReference", type.nullable);
    case "task":
      return type.result.kind === "void" ? "Task" : `Task<${typeName(type.result)}>`;
    case "listref":
      return withNull(`${type.fixed ? "FixedListReference" : "ListReference"}<${typeName(type.element)}>`, type.nullable);
    case "dictref":
      return withNull(`DictionaryReference<${typeName(type.value)}>`, type.nullable);
    case "memoryview":
      return withNull(`MemoryView<${type.name}>`, type.nullable);
    case "delegate": {
      const parameters = type.parameters.map((p) => `${p.name}: ${typeName(p.type)}`).join(", ");
      const signature = `(${parameters}) => ${typeName(type.returnType)}`;
      return type.nullable ? `(${signature}) | null` : signature;
    }
    default:
      return type.kind;
  }
}

/**
 * A class's internal name as a user writes the class: `assembly/Shapes/Point` → `Point`,
 * `assembly/Box<~lib/string/String|null,i32>` → `Box<string | null, i32>`.
 */
export function shortName(internalName: string): string {
  return internalName
    .replace(/~lib\/string\/String/g, "string")
    .replace(/[\w.~$-]+\//g, "")
    .replace(/,/g, ", ")
    .replace(/\|null/g, " | null");
}

function withNull(name: string, nullable: boolean): string {
  return nullable ? `${name} | null` : name;
}
