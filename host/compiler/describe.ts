/**
 * Turns the compiler's resolved types into the host's {@link TypeDescriptor}s, or says why a type
 * cannot cross the boundary. Resolved types make aliases, `i32[]` and `Array<i32>` describe the
 * same way; the annotation as written is walked alongside, for the one thing resolution erases
 * (`char` is a `u16`) and to point errors at the right place.
 */
import type { Class, ClassDeclaration, ClassPrototype, Program, Range, Type, TypeNode } from "assemblyscript";
import { TypeFlags, TypeKind } from "./enums.ts";
import { asFunctionType, asNamedType, memoryViewArrayType, taskResultType, typeNameOf } from "./syntax.ts";
import type { DelegateInvokers } from "./glue.ts";
import {
  shortName,
  TYPED_ARRAYS,
  type ClassDescriptor,
  type MethodDescriptor,
  type NullableValue,
  type NumberKind,
  type ParameterDescriptor,
  type PropertyDescriptor,
  type StructDescriptor,
  type TypeDescriptor,
} from "../marshal/types.ts";
import type { DataClass } from "./data-classes.ts";

const NUMBER_KINDS: ReadonlySet<string> = new Set<NumberKind>(["i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64"]);
const isNumberKind = (kind: string): kind is NumberKind => NUMBER_KINDS.has(kind);

export interface DescribeProblem {
  readonly range: Range | null;
  readonly message: string;
}

const LIBRARY_GUID = /as-interop\/assembly\/interop\/guid\/Guid$/;
const LIBRARY_REFERENCE = /as-interop\/assembly\/interop\/reference\/DotNetObjectReference$/;
const LIBRARY_JS_OBJECT = /as-interop\/assembly\/interop\/js\/object\/JSObject$/;
const LIBRARY_JS_STREAM = /as-interop\/assembly\/interop\/js\/stream-reference\/JSStreamReference$/;
const LIBRARY_TASK = /as-interop\/assembly\/interop\/task\/Task$/;
const LIBRARY_NULLABLE = /as-interop\/assembly\/interop\/nullable\/Nullable$/;
const LIBRARY_COLLECTION = /as-interop\/assembly\/interop\/collections\/(ListReference|FixedListReference|DictionaryReference)$/;
const LIBRARY_MEMORY_VIEW = /as-interop\/assembly\/interop\/memory-view\/MemoryView$/;
/** The library's classes other than data: none of them is a plain class whose objects cross by reference. */
const LIBRARY_CLASS = /as-interop\/assembly\/interop\//;

type CollectionType = Extract<TypeDescriptor, { kind: "listref" | "dictref" }>;

/**
 * Whether `cls` is the library's stream class `name` or extends it. The class itself counts: an app
 * holding streams of several kinds returns `DotNetObjectReference<ManagedStream>`, and JS must get
 * `stream()` on it as on a subclass's.
 */
function isLibraryStreamClass(cls: Class, name: "ManagedStream" | "StreamSink"): boolean {
  for (let c: Class | null = cls; c; c = c.base) {
    if (c.internalName.endsWith(`as-interop/assembly/interop/streams/${name}`)) return true;
  }
  return false;
}

/**
 * The stream and sink classes the program uses: each compiled class that extends the library's
 * `ManagedStream` or `StreamSink`, with the classes between (the library's own class included). A
 * stream no signature names still reaches JS in a call into JS (Blazor's
 * `InvokeVoidAsync("downloadFileFromStream", fileName, new DotNetStreamReference(stream))`, as a
 * `DotNetObjectReference<ManagedStream>` or of its own class), and its reference must have
 * `stream()` and `arrayBuffer()` (or `writeStream()`) there. The library's classes alone, which
 * every program compiles, are none: a program without streams has no stream in its manifest.
 */
function streamClassesOf(compiled: readonly Class[]): Set<Class> {
  const found = new Set<Class>();
  const isStream = (cls: Class | null): cls is Class => cls !== null && (isLibraryStreamClass(cls, "ManagedStream") || isLibraryStreamClass(cls, "StreamSink"));
  for (const cls of compiled) {
    // It extends one (the library's classes themselves extend nothing): it, and every class up to the library's.
    if (!isStream(cls.base)) continue;
    for (let at: Class | null = cls; isStream(at); at = at.base) found.add(at);
  }
  return found;
}

/** A class entry while it is being filled. */
type ClassEntry = Omit<ClassDescriptor, "methods" | "properties" | "bases"> & {
  methods: MethodDescriptor[];
  properties: PropertyDescriptor[];
  /** Filled in by {@link TypeDescriber.completeClasses}, once every class is known. */
  bases: string[];
};

/**
 * The most closed instantiations of one generic class JS may hold. Signatures name them, and a
 * member of `Box<T>` returning a `DotNetObjectReference<Box<Array<T>>>` names a new one for each;
 * without a bound, describing them would never end.
 */
export const MAX_INSTANTIATIONS = 64;

/**
 * The generated export `name` (a wrapper generic over the type parameters of a generic class) for
 * one closed instantiation of it, `cls`: compiled and exported under the returned name, or null
 * when it cannot be (the compiler has said why).
 */
export type Instantiate = (name: string, cls: Class) => string | null;

/** `Box`; `test/x/Pair<i32,~lib/string/String|null>` → `Pair<i32, string | null>`, as a user writes it. */
export function classDisplayName(cls: Class): string {
  return cls.typeArguments?.length ? shortName(cls.internalName) : cls.name;
}

export class TypeDescriber {
  /** Every struct described so far, by the name descriptors use. */
  readonly structs: Record<string, StructDescriptor> = {};
  /** Every class JS can hold by reference, by the name `objectref` descriptors use. */
  readonly classes: Record<string, ClassEntry> = {};
  readonly problems: DescribeProblem[] = [];
  /** The class of each entry of {@link classes}, by its key. */
  readonly #classesByKey = new Map<string, Class>();
  readonly #dataClasses: Map<ClassDeclaration, DataClass>;
  /** Classes in {@link classes} whose members are still to be described, in the order met. */
  readonly #pending: Class[] = [];
  /** Closed instantiations met so far, per generic class. */
  readonly #instantiations = new Map<ClassPrototype, number>();
  /** The instantiation whose members are being described: their generated exports are its own. */
  #instance: Class | null = null;

  constructor(
    private readonly program: Program,
    dataClasses: readonly DataClass[],
    private readonly delegates: DelegateInvokers,
    private readonly instantiate: Instantiate,
  ) {
    this.#dataClasses = new Map(dataClasses.map((c) => [c.declaration, c]));
  }

  /**
   * Runs `attempt`, which describes types that may cross but need not; if it reported a problem,
   * everything it added (problems, structs, classes and their pending members) is forgotten, and
   * the result is false. Outside {@link within}, describing instantiates no generated export.
   */
  tentatively(attempt: () => void): boolean {
    const problems = this.problems.length;
    const structs = new Set(Object.keys(this.structs));
    const classes = new Set(Object.keys(this.classes));
    const pending = this.#pending.length;
    const instantiations = new Map(this.#instantiations);
    attempt();
    if (this.problems.length === problems) return true;
    this.problems.length = problems;
    for (const key of Object.keys(this.structs)) if (!structs.has(key)) delete this.structs[key];
    for (const key of Object.keys(this.classes)) if (!classes.has(key)) delete this.classes[key];
    this.#pending.length = pending;
    this.#instantiations.clear();
    for (const [prototype, count] of instantiations) this.#instantiations.set(prototype, count);
    return false;
  }

  /** The next class met (in a signature, or by {@link classOf}) whose members are still to be described. */
  nextPending(): Class | null {
    return this.#pending.shift() ?? null;
  }

  /**
   * Runs `describe` for the members of `cls`: for a closed instantiation of a generic class, the
   * generated exports it names (delegate invokers, task readers) are that instantiation's.
   */
  within<T>(cls: Class, describe: () => T): T {
    const outer = this.#instance;
    this.#instance = cls.typeArguments?.length ? cls : null;
    try {
      return describe();
    } finally {
      this.#instance = outer;
    }
  }

  /** The name a generated export goes by in the instantiation being described (see {@link within}). */
  exported(name: string): string | null {
    return this.#instance ? this.instantiate(name, this.#instance) : name;
  }

  /**
   * Null when the type cannot cross; the reason is in {@link problems}, with `context` (what the
   * type is of, e.g. "parameter 'm' of @jsInvokable function 'f'") appended.
   */
  describe(type: Type, node: TypeNode | null, fallbackRange: Range, context = ""): TypeDescriptor | null {
    const range = node?.range ?? fallbackRange;
    const fail = (why: string): null => {
      this.problems.push({
        range,
        message:
          `Type '${type.toString()}' cannot be marshaled between JavaScript and managed code: ${why}.` +
          (context ? ` (${context})` : ""),
      });
      return null;
    };
    /** A part of this type (an element, a field) is reported with the same context. */
    const part = (inner: Type, innerNode: TypeNode | null, at: Range = range) => this.describe(inner, innerNode, at, context);

    if (type.kind === TypeKind.U16 && typeNameOf(node) === "char") return { kind: "char" };
    const numeric = this.#numberKind(type);
    if (numeric) return { kind: numeric };
    if (type.kind === TypeKind.Void) return { kind: "void" };
    if (type.kind === TypeKind.Bool) return { kind: "bool" };

    const signature = type.getSignature();
    if (signature) {
      const fnNode = asFunctionType(node);
      const generated = fnNode && this.delegates.nameOf(fnNode);
      const invoke = generated && this.exported(generated);
      const encodings = fnNode && this.delegates.encodingsOf(fnNode);
      const wrapper = type.nonNullableType.getClassOrWrapper(this.program);
      if (!fnNode || !invoke || !encodings || !wrapper) {
        return fail("a function crosses only as a method's parameter or result, a @scriptableMember's value, or a value in a call into JavaScript");
      }
      const parameters = fnNode.parameters.map((p, i) => ({
        name: p.name.text,
        type: part(signature.parameterTypes[i], p.type, p.range),
        encoded: encodings.parameterEncoded[i],
      }));
      const returnType = part(signature.returnType, fnNode.returnType);
      if (!returnType || parameters.some((p) => !p.type)) return null;
      return {
        kind: "delegate",
        invoke,
        classId: wrapper.id,
        parameters: parameters as ParameterDescriptor[],
        returnType,
        returnEncoded: encodings.returnEncoded,
        nullable: type.is(TypeFlags.Nullable),
      };
    }
    const cls = type.isReference ? type.getClass() : null;
    if (!cls) return fail("raw references have no JavaScript value");
    const nullable = type.isNullableReference;
    const program = this.program;
    const prototype = cls.prototype;
    const argumentNodes = asNamedType(node)?.typeArguments ?? [];

    if (cls === program.stringInstance) return { kind: "string", nullable };
    if (LIBRARY_REFERENCE.test(prototype.internalName)) {
      const target = cls.typeArguments![0].getClass();
      if (!target) return fail("a DotNetObjectReference must refer to an instance of a class");
      const key = this.#classEntry(target);
      if (!key) {
        return fail(tooManyInstantiations(target));
      }
      return { kind: "objectref", class: key, plain: false, nullable };
    }
    if (LIBRARY_NULLABLE.test(prototype.internalName)) {
      // `Nullable<T> | null` is the same to JS: the null reference crosses as null too.
      const value = part(cls.typeArguments![0], argumentNodes[0] ?? null);
      if (!value) return null;
      if (value.kind !== "bool" && value.kind !== "char" && !isNumberKind(value.kind)) {
        return fail("Nullable<T> holds a number, bool or char; a reference type can be null itself: write T | null");
      }
      return { kind: "nullable", value: value as NullableValue };
    }
    if (prototype.internalName === "~lib/date/Date") return { kind: "date", nullable };
    if (LIBRARY_GUID.test(prototype.internalName)) return { kind: "guid", nullable };
    if (LIBRARY_JS_OBJECT.test(prototype.internalName)) return { kind: "jsobject", nullable };
    if (LIBRARY_JS_STREAM.test(prototype.internalName)) return { kind: "jsstream", nullable };
    const collection = LIBRARY_COLLECTION.exec(prototype.internalName)?.[1];
    if (collection) {
      const element = this.#element(cls.typeArguments![0], argumentNodes[0] ?? null, range, context);
      if (!element) return null;
      if (collection === "DictionaryReference") return { kind: "dictref", value: element, readOnly: false, nullable };
      return { kind: "listref", element, fixed: collection === "FixedListReference", readOnly: false, nullable };
    }
    if (LIBRARY_MEMORY_VIEW.test(prototype.internalName)) {
      const adopt = node && this.delegates.memoryViewOf(node);
      if (!adopt) return fail("a MemoryView crosses only as a method's parameter or result, or a @scriptableMember's value");
      const array = part(cls.typeArguments![0], memoryViewArrayType(node));
      if (!array) return null;
      if (array.kind !== "typedarray") return fail("a MemoryView is a view of a typed array (Uint8Array, Int32Array, Float64Array, …)");
      return { kind: "memoryview", name: array.name, classId: array.classId, adopt, nullable };
    }
    if (LIBRARY_TASK.test(prototype.internalName)) {
      const task = taskResultType(node);
      const generated = node ? this.delegates.taskResultOf(node) : undefined;
      if (!task || generated === undefined || nullable) return fail("a Task crosses only as a method's result (not null)");
      const resultExport = generated === null ? null : this.exported(generated);
      if (generated !== null && resultExport === null) return null; // its instantiation failed, and the compiler said why
      const result = part(cls.typeArguments![0], task.result);
      return result && { kind: "task", result, resultExport };
    }

    if (prototype === program.arrayPrototype || prototype === program.staticArrayPrototype) {
      const element = part(cls.typeArguments![0], argumentNodes[0] ?? null);
      if (!element) return null;
      if (element.kind === "void") return fail("arrays of void do not exist");
      const kind = prototype === program.arrayPrototype ? "array" : "staticarray";
      return { kind, element, classId: cls.id, nullable };
    }
    if (prototype.internalName.startsWith("~lib/typedarray/") && prototype.name in TYPED_ARRAYS) {
      return { kind: "typedarray", name: prototype.name as keyof typeof TYPED_ARRAYS, classId: cls.id, nullable };
    }
    if (prototype === program.mapPrototype) {
      const [keyType, valueType] = cls.typeArguments!;
      if (keyType.getClass() !== program.stringInstance || keyType.isNullableReference) {
        return fail(
          `a Map crosses as a JavaScript object, whose keys are strings, so only Map<string, V> can be marshaled ` +
            `(the HTML Bridge's ArgumentException rule); this one has keys of type '${keyType.toString()}'`,
        );
      }
      const value = part(valueType, argumentNodes[1] ?? null);
      return value && { kind: "map", value, nullable };
    }
    if (this.#dataClassOf(cls)) return this.#struct(cls, nullable);
    if (this.#plainClass(type)) {
      // The HTML Bridge passes such objects by reference; here, as in Blazor, code says so.
      return fail(
        `a class without @dataMember fields crosses only by reference: write DotNetObjectReference<${classDisplayName(cls)}> ` +
          `and pass DotNetObjectReference.create(obj), or mark the fields to copy with @dataMember`,
      );
    }
    const streamClass = (["ManagedStream", "StreamSink"] as const).find((name) => isLibraryStreamClass(cls, name));
    if (streamClass) {
      // The library's own abstract classes are not plain classes, but they too cross by reference only.
      return fail(
        `a ${streamClass} crosses only by reference: write DotNetObjectReference<${classDisplayName(cls)}> ` +
          `and pass DotNetObjectReference.create(stream)`,
      );
    }
    return fail(
      "only numbers, bool, char, string, Date, Guid, arrays, typed arrays, Map<string, V> and classes with " +
        "@dataMember fields cross by value",
    );
  }

  /**
   * The value of a `@scriptableMember` that is not a view: as an element (below), so a member
   * typed as a plain class is that object by reference, the HTML Bridge's complex type returned
   * from a property.
   */
  describeMemberValue(type: Type, node: TypeNode, range: Range, context: string): TypeDescriptor | null {
    return this.#element(type, node, range, context);
  }

  /**
   * An element of a by-reference list or a value of a by-reference dictionary: as any value, except
   * that an object of a plain class (no `@dataMember` fields) crosses by reference, as a
   * `DotNetObjectReference` to it would (the list holds references, JS gets `DotNetObject`s), and
   * may be one of a class derived from it (a plain `objectref`).
   */
  #element(type: Type, node: TypeNode | null, range: Range, context: string): TypeDescriptor | null {
    const plain = this.#plainClass(type);
    if (!plain) return this.describe(type, node, range, context);
    const key = this.#classEntry(plain);
    if (key) return { kind: "objectref", class: key, plain: true, nullable: type.isNullableReference };
    this.problems.push({
      range: node?.range ?? range,
      message: `Type '${type.toString()}' cannot be marshaled between JavaScript and managed code: ${tooManyInstantiations(plain)}.` + (context ? ` (${context})` : ""),
    });
    return null;
  }

  /** The class of `type` when it is a plain class, whose objects JS can only hold by reference. */
  #plainClass(type: Type): Class | null {
    const cls = type.isReference && !type.getSignature() ? type.getClass() : null;
    if (!cls) return null;
    const program = this.program;
    const prototype = cls.prototype;
    const byValue =
      cls === program.stringInstance ||
      prototype === program.arrayPrototype ||
      prototype === program.staticArrayPrototype ||
      prototype === program.mapPrototype ||
      prototype.internalName.startsWith("~lib/") ||
      LIBRARY_CLASS.test(prototype.internalName) ||
      this.#dataClasses.has(prototype.declaration as ClassDeclaration);
    return byValue ? null : cls;
  }

  /**
   * A `@scriptableMember` list or map JS sees as a live view: described as the reference to it the
   * generated getter makes (`ListReference.of(member)`, or `readOnlyOf` for a `readonly` member).
   */
  describeMemberView(type: Type, node: TypeNode, range: Range, readOnly: boolean, context: string): CollectionType | null {
    const cls = type.getClass();
    const nullable = type.isNullableReference;
    const args = asNamedType(node)?.typeArguments ?? [];
    if (cls?.prototype === this.program.mapPrototype) {
      const key = cls.typeArguments![0];
      // Keys that are not strings: describing the map says why it cannot cross.
      if (key.getClass() !== this.program.stringInstance || key.isNullableReference) return this.describe(type, node, range, context) as null;
      const value = this.#element(cls.typeArguments![1], args[1] ?? null, range, context);
      return value && { kind: "dictref", value, readOnly, nullable };
    }
    const fixed = cls?.prototype === this.program.staticArrayPrototype;
    if (!cls || (!fixed && cls.prototype !== this.program.arrayPrototype)) return null;
    const element = this.#element(cls.typeArguments![0], args[0] ?? null, range, context);
    return element && { kind: "listref", element, fixed, readOnly, nullable };
  }

  /**
   * A list or dictionary reference class the program compiled, for `Manifest.collections`; null
   * (and nothing reported) when its element cannot cross: no JavaScript can then be handed one.
   */
  describeCollection(cls: Class): CollectionType | null {
    if (!LIBRARY_COLLECTION.test(cls.prototype.internalName)) return null;
    const reported = this.problems.length;
    const structs = new Set(Object.keys(this.structs));
    const described = this.describe(cls.type, null, cls.prototype.declaration.range);
    this.problems.length = reported;
    // A struct met on the way to a failure may be half described: keep none of what it added.
    if (!described) for (const key of Object.keys(this.structs)) if (!structs.has(key)) delete this.structs[key];
    return described as CollectionType | null;
  }

  /** The resolved (non-generic) class of a declaration, or null when it cannot be resolved. */
  resolveClass(declaration: ClassDeclaration): Class | null {
    const prototype = this.program.elementsByDeclaration.get(declaration) as ClassPrototype | undefined;
    return prototype ? this.program.resolver.resolveClass(prototype, null) : null;
  }

  /** The manifest entry for a class, created (and its members queued, see {@link nextPending}) on first use. */
  classOf(cls: Class): ClassEntry | null {
    const key = this.#classEntry(cls);
    return key === null ? null : this.classes[key];
  }

  /** The entry's key, or null past {@link MAX_INSTANTIATIONS} of a generic class. */
  #classEntry(cls: Class): string | null {
    const key = cls.internalName;
    if (this.classes[key]) return key;
    if (cls.typeArguments?.length) {
      const count = (this.#instantiations.get(cls.prototype) ?? 0) + 1;
      if (count > MAX_INSTANTIATIONS) return null;
      this.#instantiations.set(cls.prototype, count);
    }
    this.#enter(cls, [], []);
    this.#pending.push(cls);
    return key;
  }

  /** Enters `cls` in {@link classes} with these members (its bases come last, in completeClasses). */
  #enter(cls: Class, methods: MethodDescriptor[], properties: ClassEntry["properties"]): void {
    this.classes[cls.internalName] = {
      displayName: classDisplayName(cls),
      classId: cls.id,
      stream: isLibraryStreamClass(cls, "ManagedStream"),
      sink: isLibraryStreamClass(cls, "StreamSink"),
      methods,
      properties,
      bases: [],
    };
    this.#classesByKey.set(cls.internalName, cls);
  }

  /**
   * Completes {@link classes} once the program is compiled (`compiled`: every class it has an id
   * for). A value of a plain class may be an object of any class derived from it, and JS gets that
   * object's own reference (see the `objectref` descriptor's `plain`), so each compiled class that
   * extends a class of the manifest is in it too: one not there yet declares and inherits nothing
   * JS could reach that was described (no member of its own or of the classes between, or it is an
   * instantiation of a generic class no signature names), and has the members of the nearest class
   * it extends that is. Then each class gets its bases.
   */
  completeClasses(compiled: Iterable<Class>): void {
    const classes = [...compiled];
    const streams = streamClassesOf(classes);
    for (const cls of classes) {
      if (Object.hasOwn(this.classes, cls.internalName)) continue;
      let nearest: Pick<ClassEntry, "methods" | "properties"> | null = null;
      for (let base = cls.base; base && !nearest; base = base.base) {
        nearest = Object.hasOwn(this.classes, base.internalName) ? this.classes[base.internalName] : null;
      }
      if (!nearest && streams.has(cls)) nearest = { methods: [], properties: [] };
      if (nearest) this.#enter(cls, nearest.methods, nearest.properties);
    }
    for (const [key, entry] of Object.entries(this.classes)) {
      for (let base = this.#classesByKey.get(key)!.base; base; base = base.base) {
        if (Object.hasOwn(this.classes, base.internalName)) entry.bases.push(base.internalName);
      }
    }
  }

  /** A data class's fields cross as its generated members write them: its bases' first, then its own (data-classes.ts). */
  #struct(cls: Class, nullable: boolean): TypeDescriptor | null {
    const name = cls.internalName;
    if (!this.structs[name]) {
      // Registered before its fields are described, so recursive structs terminate.
      const fields: { name: string; type: TypeDescriptor }[] = [];
      this.structs[name] = { displayName: cls.name, fields };
      const chain: Class[] = [];
      for (let declaring: Class | null = cls; declaring && this.#dataClassOf(declaring); declaring = declaring.base) chain.unshift(declaring);
      for (const declaring of chain) {
        for (const member of this.#dataClassOf(declaring)!.fields) {
          if (fields.some((field) => field.name === member.jsName)) {
            // System.Text.Json's error for two properties of one name.
            this.problems.push({
              range: member.range,
              message: `The JSON property name for '${cls.name}.${member.name}' collides with another property.`,
            });
            return null;
          }
          // Members are resolved lazily by the compiler, so resolve the annotation in the declaring class's context.
          const resolved = this.program.resolver.resolveType(member.type, null, declaring, declaring.contextualTypeArguments);
          const context = `@dataMember ${member.kind} '${member.name}' of class '${declaring.name}'`;
          const type = resolved && this.describe(resolved, member.type, member.range, context);
          if (!type) return null;
          fields.push({ name: member.jsName, type });
        }
      }
    }
    return { kind: "struct", name, nullable };
  }

  #dataClassOf(cls: Class): DataClass | undefined {
    return this.#dataClasses.get(cls.prototype.declaration as ClassDeclaration);
  }

  #numberKind(type: Type): NumberKind | null {
    const wasm64 = this.program.options.isWasm64;
    switch (type.kind) {
      case TypeKind.I8: return "i8";
      case TypeKind.U8: return "u8";
      case TypeKind.I16: return "i16";
      case TypeKind.U16: return "u16";
      case TypeKind.I32: return "i32";
      case TypeKind.U32: return "u32";
      case TypeKind.I64: return "i64";
      case TypeKind.U64: return "u64";
      case TypeKind.Isize: return wasm64 ? "i64" : "i32";
      // A class reference is a usize too, so only a plain `usize` value counts as a number.
      case TypeKind.Usize: return type.isReference ? null : wasm64 ? "u64" : "u32";
      case TypeKind.F32: return "f32";
      case TypeKind.F64: return "f64";
      default: return null;
    }
  }
}

/** Why a reference to one more instantiation of `cls`'s generic class cannot cross. */
function tooManyInstantiations(cls: Class): string {
  return (
    `JavaScript may hold at most ${MAX_INSTANTIATIONS} instantiations of the generic class '${cls.prototype.name}', ` +
    `and the signatures name more (does a member of it return a reference to a bigger instantiation of it?)`
  );
}
