/**
 * A codec moves one type across the boundary: `lower` turns a JS value into what the wasm export
 * takes (allocating managed objects when needed), `lift` turns what it returns into a JS value.
 * Each family lives in its own file with its lower and lift side by side; {@link codecFor} picks
 * one per descriptor, once, when an assembly is loaded.
 */
import type { ManagedHeap } from "./heap.ts";
import { typeName, type StructDescriptor, type TypeDescriptor } from "./types.ts";
import { arrayCodec } from "./arrays.ts";
import { numberCodec, boolCodec, voidCodec } from "./numbers.ts";
import { charCodec, stringCodec } from "./strings.ts";
import { typedArrayCodec } from "./typed-arrays.ts";
import type { ReferenceOptions } from "./wire/format.ts";

/** What a wasm function takes and returns: i64 travels as a bigint, everything else as a number. */
export type WasmValue = number | bigint;

/** A typed array, as the element views make them. */
export interface ElementArray extends ArrayBufferView {
  readonly length: number;
  [index: number]: WasmValue;
  set(values: ArrayLike<WasmValue>): void;
  subarray(begin?: number, end?: number): ElementArray;
  slice(begin?: number, end?: number): ElementArray;
}

/** A typed-array constructor that views elements of this type where they sit in memory. */
export interface ElementView {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): ElementArray;
  readonly BYTES_PER_ELEMENT: number;
}

export interface Codec {
  readonly type: TypeDescriptor;
  /** A managed reference (a pointer the GC knows), as opposed to a plain value. */
  readonly reference: boolean;
  /** How an element of this type is laid out inside an array. */
  readonly elementView: ElementView;
  /**
   * Any bit pattern of `elementView` is a valid value (plain numbers), so a typed array of that
   * exact type may be copied in wholesale, without converting element by element.
   */
  readonly bulkCopy: boolean;
  /**
   * Set by a {@link ValueCodec} (number, bool, char, void): converting the value never touches
   * the heap or runs JS, so a call of nothing else skips the heap's per-call bookkeeping (see
   * `plainInvoker` in host/runtime/invoker.ts).
   */
  readonly plain?: true;
  lower(value: unknown, heap: ManagedHeap): WasmValue;
  lift(value: WasmValue, heap: ManagedHeap): unknown;
}

/** What a codec of a managed reference (a string, an array, a struct by pointer) is laid out as: a pointer in a u32. */
export const REFERENCE_SLOT = { reference: true, elementView: Uint32Array, bulkCopy: false } as const;

/** What a codec of an id the host gives out (a delegate's, a handle's) is laid out as: a u32 the GC does not follow. */
export const ID_SLOT = { reference: false, elementView: Uint32Array, bulkCopy: false } as const;

/**
 * A codec for a plain value (number, bool, char): it never touches the heap, and its `lower` and
 * `lift` never use `this`, so an invoker may hold and call them on their own.
 */
export interface ValueCodec extends Codec {
  readonly plain: true;
  lower(value: unknown): WasmValue;
  lift(value: WasmValue): unknown;
}

export interface MarshalOptions extends ReferenceOptions {
  /**
   * How 64-bit integers reach JS. `"number"` (default) is exact within ±2^53 and an overflow
   * error beyond; `"bigint"` is always exact. Either form is accepted as an argument.
   */
  readonly int64: "number" | "bigint";
  /**
   * Limits for embedders who run code they do not trust; unlimited by default.
   * `maxPayloadBytes`: the largest single value the host writes into managed memory.
   * `maxHandles`: the most references (each side's objects held by the other) alive at once, and
   * the most pending tasks (host/js/tasks.ts).
   */
  readonly maxPayloadBytes: number;
  readonly maxHandles: number;
}

export const defaultMarshalOptions: MarshalOptions = {
  int64: "number",
  preserveReferences: false,
  maxDepth: 64,
  maxPayloadBytes: Infinity,
  maxHandles: Infinity,
};

/**
 * How managed objects held by reference appear in JS; the runtime implements it (host/refs).
 * The marshal layer only turns ids into JS objects and back.
 */
export interface ReferenceBridge {
  /** The JS object for managed reference `id` of class `classKey`: the same object while it lives. */
  wrap(id: number, classKey: string): object;
  /**
   * `wrap` for a value of a plain `objectref` `type`, whose reference `id` managed code made for
   * the class it numbers `classId`: `type.class` or one derived from it (a `MarshalError` if not).
   */
  wrapHeld(id: number, classId: number, type: ObjectReferenceType): object;
  /**
   * The id behind a JS object `wrap` made, given for a value of `type`: for `type.class` exactly
   * (Blazor's `DotNetObjectReference<T>`), or for a plain one also for a class derived from it; a
   * `MarshalError` for anything else.
   */
  idOf(value: unknown, type: ObjectReferenceType): number;
  /** The live JS view of managed list or dictionary `id`: the same view while it lives. */
  wrapCollection(id: number, type: CollectionType): object;
  /** The id behind a view `wrapCollection` made for the same type; a `MarshalError` for anything else. */
  collectionId(value: unknown, type: CollectionType): number;
}

export type CollectionType = Extract<TypeDescriptor, { kind: "listref" | "dictref" }>;
export type ObjectReferenceType = Extract<TypeDescriptor, { kind: "objectref" }>;

/** JS objects that managed code holds by id (its `JSObject`s); the runtime implements it (host/js). */
export interface JSObjectHandles {
  /** The id of `value`, registering it on first sight. */
  register(value: object): number;
  /** The object behind `id`, given to JS as a value; an error with Blazor's message once it is disposed. */
  get(id: number): object;
  /** The id of `value` as stream data (a `JSStreamReference`), registering it; null when it is not stream data. */
  registerStream(value: object): number | null;
  /** Whether `value` is a reference that stands for `null` (Blazor's `createJSObjectReference(null)`). */
  standsForNull(value: unknown): boolean;
  /**
   * Throws unless managed code may be given `value`, as a handle or as a copy of its entries (a
   * map): in a sandbox, what the scope's membrane admits (host/js/membrane.ts).
   */
  admit(value: object): void;
  /**
   * What a struct copied from `value` reads its fields `keys` from, once `value` is admitted as
   * {@link admit} says: `value` itself, or in a sandbox the fields as the membrane's paths read them.
   */
  fieldsOf(value: object, keys: readonly string[]): object;
  /**
   * Runs `convert`, which converts a value for managed code: the handles it makes are released if
   * it throws (a value refused part way gave managed code nothing to hold), or if `kept` says its
   * result was not taken. `toRead`: see host/js/objects.ts; false outside a call's tagged values.
   */
  convert<T>(convert: () => T, toRead: boolean, kept?: (result: T) => boolean): T;
  /**
   * Runs `work`, which converts a value only for managed code to look for it (a view's `indexOf`):
   * the handles it makes are released afterwards, whatever happens, since nothing keeps them.
   */
  lookingUp<T>(work: () => T): T;
}

/** Everything the encoded codecs need besides the type. */
export interface MarshalContext {
  readonly options: MarshalOptions;
  readonly structs: Readonly<Record<string, StructDescriptor>>;
  readonly references: ReferenceBridge;
  readonly jsObjects: JSObjectHandles;
}

/** The codec for a value that crosses directly (see `ParameterDescriptor.encoded`). */
export function codecFor(type: TypeDescriptor, options: MarshalOptions): Codec {
  switch (type.kind) {
    case "void":
      return voidCodec;
    case "bool":
      return boolCodec;
    case "char":
      return charCodec;
    case "string":
      return stringCodec(type);
    case "array":
    case "staticarray":
      return arrayCodec(type, codecFor(type.element, options), options.preserveReferences);
    case "typedarray":
      return typedArrayCodec(type);
    case "date":
    case "guid":
    case "nullable":
    case "map":
    case "struct":
    case "objectref":
    case "delegate":
    case "jsobject":
    case "jsstream":
    case "task":
    case "listref":
    case "dictref":
    case "memoryview":
      throw new Error(`${typeName(type)} only crosses encoded or by id; the manifest is inconsistent.`);
    default:
      return numberCodec(type.kind, options);
  }
}
