/**
 * Memory views (.NET's `JSType.MemoryView`, `IMemoryView` in its JS API): a managed typed array
 * JavaScript reads and writes where it lies in linear memory, without a copy.
 *
 * A `MemoryView<T>` result becomes a {@link MemoryView}: `length`, `byteLength`, `slice()` (a
 * copy), `subarray()` and `asTypedArray()` (live typed arrays over the instance's memory), `set()`,
 * `copyTo()`, `dispose()`. The live typed arrays are made afresh on each call, at the array's
 * current place in the current memory; one stays valid until the next call into the instance
 * that may allocate (growing memory detaches it) or until the view is disposed.
 *
 * A `MemoryView<T>` parameter takes, without a copy, a view from this assembly of the same type,
 * or a typed array such a view handed out (`asTypedArray()`, `subarray()`): managed code gets a view
 * of that very memory. Any other typed array of the type is copied in once, as a typed-array
 * argument is.
 */
import { REFERENCE_SLOT, type Codec } from "../marshal/codec.ts";
import { MarshalError, mismatch } from "../marshal/errors.ts";
import type { ManagedHeap } from "../marshal/heap.ts";
import { JS_TYPED_ARRAYS, typedArrayCodec, type TypedArray } from "../marshal/typed-arrays.ts";
import { MEMORY_VIEW_EXPORTS, typeName, type TypeDescriptor } from "../marshal/types.ts";
import type { CallBoundary } from "../runtime/boundary.ts";
import { TrustedAddress, type LivenessOwner } from "./direct-elements.ts";

export type MemoryViewType = Extract<TypeDescriptor, { kind: "memoryview" }>;

type Exported = (...args: number[]) => number;

/**
 * A typed array some view handed out: which view and which of its elements, to pass it back
 * without a copy. Recorded when it is made, so it holds even once growth has detached the array
 * (the managed array has not moved: only JS's window on it went stale).
 */
const handedOut = new WeakMap<TypedArray, { readonly view: MemoryView; readonly begin: number; readonly end: number }>();

/** What a view needs from its assembly. */
interface ViewContext {
  readonly heap: ManagedHeap;
  readonly owner: LivenessOwner & { dispose(id: number): void };
}

/** The constructor of typed arrays of type `T`. */
interface TypedArrayClass<T extends TypedArray> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

/** A view of a managed typed array's memory, valid until disposed (see the file comment). */
export class MemoryView<T extends TypedArray = TypedArray> {
  readonly #id: number;
  readonly #type: MemoryViewType;
  readonly #Array: TypedArrayClass<T>;
  readonly #header: TrustedAddress;
  readonly #context: ViewContext;

  /** @internal Made by the runtime for a `MemoryView<T>` a method returned. */
  constructor(id: number, type: MemoryViewType, header: TrustedAddress, context: ViewContext) {
    this.#id = id;
    this.#type = type;
    this.#Array = JS_TYPED_ARRAYS[type.name] as unknown as TypedArrayClass<T>;
    this.#header = header;
    this.#context = context;
  }

  /** Its length in elements. */
  get length(): number {
    return this.byteLength / this.#Array.BYTES_PER_ELEMENT;
  }

  get byteLength(): number {
    const header = this.#header.get();
    return this.#context.heap.u32[(header >>> 2) + 2];
  }

  /** After `dispose()`, or a release by managed code that a use of the view has since noticed. */
  get isDisposed(): boolean {
    return !this.#context.owner.isAlive(this.#id);
  }

  /** The whole array as a typed array over the instance's memory: live, valid until the next call that may allocate. */
  asTypedArray(): T {
    const header = this.#header.get();
    const { heap } = this.#context;
    const u32 = heap.u32;
    const length = u32[(header >>> 2) + 2] / this.#Array.BYTES_PER_ELEMENT;
    const array = new this.#Array(heap.runtime.memory.buffer, u32[(header >>> 2) + 1], length);
    handedOut.set(array, { view: this as MemoryView, begin: 0, end: length });
    return array;
  }

  /** Elements `start` to `end` (as `TypedArray.prototype.subarray` takes them), live like {@link asTypedArray}. */
  subarray(start?: number, end?: number): T {
    const whole = this.asTypedArray();
    const part = whole.subarray(start, end) as T;
    const begin = (part.byteOffset - whole.byteOffset) / part.BYTES_PER_ELEMENT;
    handedOut.set(part, { view: this as MemoryView, begin, end: begin + part.length });
    return part;
  }

  /** A copy of elements `start` to `end` (as `TypedArray.prototype.slice`), in a buffer of its own. */
  slice(start?: number, end?: number): T {
    return this.asTypedArray().slice(start, end) as T;
  }

  /** Copies `source`, a typed array of the same type, into the managed array from `targetOffset` on. */
  set(source: T, targetOffset?: number): void {
    const target = this.asTypedArray();
    if (!(source instanceof this.#Array)) {
      throw new TypeError(`A MemoryView<${this.#type.name}> is set from a ${this.#Array.name}, not from ${describe(source)}.`);
    }
    target.set(source as never, targetOffset);
  }

  /** Copies the managed array from `sourceOffset` on into `target`, a typed array of the same type. */
  copyTo(target: T, sourceOffset?: number): void {
    const source = this.asTypedArray();
    if (!(target instanceof this.#Array)) {
      throw new TypeError(`A MemoryView<${this.#type.name}> copies to a ${this.#Array.name}, not to ${describe(target)}.`);
    }
    target.set(source.subarray(sourceOffset) as never);
  }

  /** Lets managed code have its array back: typed arrays handed out must not be used after this. `[Symbol.dispose]` too. */
  dispose(): void {
    this.#context.owner.dispose(this.#id);
  }

  get [Symbol.toStringTag](): string {
    return `MemoryView<${this.#type.name}>`;
  }

  /**
   * @internal The view `value` is, or that handed `value` out (a typed array), with the elements it
   * covers; null for anything else. Throws what using the view would (disposed, reloaded, poisoned).
   */
  static partOf(value: unknown): { view: MemoryView; begin: number; end: number } | null {
    const part = value instanceof MemoryView ? { view: value, begin: 0, end: -1 } : ArrayBuffer.isView(value) ? handedOut.get(value as TypedArray) : undefined;
    if (!part) return null;
    // Checks the view first: a typed array it handed out is no better than the view itself.
    const length = part.view.length;
    return part.end < 0 ? { view: part.view, begin: 0, end: length } : part;
  }
}

// `[Symbol.dispose]` (for `using`) works too; it is left out of the class so that its declaration
// needs no `esnext.disposable` lib in the apps that use it (as for DotNetObject, host/api/facade.ts).
Object.defineProperty(MemoryView.prototype, Symbol.dispose, {
  value(this: MemoryView) {
    this.dispose();
  },
  writable: true,
  configurable: true,
});

function describe(value: unknown): string {
  return ArrayBuffer.isView(value) ? `a ${value.constructor.name}` : typeof value;
}

/** What the runtime keeps per assembly to make its memory views. */
export interface MemoryViews {
  /** The JS view of managed view `id`. */
  create(id: number, type: MemoryViewType): MemoryView;
}

export function memoryViews(
  exports: Record<string, unknown>,
  heap: ManagedHeap,
  boundary: CallBoundary,
  owner: ViewContext["owner"] & { guard<T>(id: number, call: () => T): T },
  releasesAt: number,
): MemoryViews {
  const data = exports[MEMORY_VIEW_EXPORTS.data] as Exported;
  const context = { heap, owner };
  return {
    create(id, type) {
      const header = new TrustedAddress(id, owner, boundary, heap, releasesAt, () => owner.guard(id, () => boundary.run(() => data(id) >>> 0)));
      return new MemoryView(id, type, header, context);
    },
  };
}

/** How a memory view finds its JS object and its id (host/refs/references.ts). */
export interface MemoryViewBridge {
  wrapMemoryView(id: number, type: MemoryViewType): MemoryView;
  /** The id of `view` if this assembly made it for a view of this type; a MarshalError otherwise. */
  memoryViewId(view: MemoryView, type: MemoryViewType): number;
}

/**
 * A `MemoryView<T>` parameter or result, which crosses as the managed view object itself: made
 * here for a parameter (a new view of the memory JS passed, or of a copy), tracked for a result.
 */
export function memoryViewCodec(
  type: MemoryViewType,
  exports: Record<string, unknown>,
  bridge: MemoryViewBridge,
): Codec {
  const slice = exports[MEMORY_VIEW_EXPORTS.slice] as Exported;
  const track = exports[MEMORY_VIEW_EXPORTS.track] as Exported;
  const adopt = exports[type.adopt] as Exported;
  const Array = JS_TYPED_ARRAYS[type.name];
  const copy = typedArrayCodec({ kind: "typedarray", name: type.name, classId: type.classId, nullable: false });
  const expected = `a MemoryView<${type.name}> from this assembly or a ${Array.name}${type.nullable ? " or null" : ""}`;
  return {
    type,
    ...REFERENCE_SLOT,
    lower(value, heap) {
      if (value == null && type.nullable) return 0;
      // With several managed arguments, the invoker has copied views of memory first: the origin counts.
      const part = MemoryView.partOf(value !== null && typeof value === "object" ? heap.originOf(value) : value);
      if (part) {
        const id = bridge.memoryViewId(part.view, type);
        // A new managed view of the same memory: nothing is copied.
        return slice(id, part.begin, part.end) >>> 0;
      }
      if (!(value instanceof Array)) throw mismatch(expected, value);
      // Any other typed array is copied in once, then wrapped; the copy is pinned while it is.
      const array = copy.lower(value, heap) as number;
      heap.pin(array);
      try {
        return adopt(array) >>> 0;
      } finally {
        heap.unpin(array);
      }
    },
    lift(raw) {
      const pointer = (raw as number) >>> 0;
      if (pointer === 0) {
        if (!type.nullable) throw new MarshalError(`managed code returned null for ${typeName(type)}, which is not nullable`);
        return null;
      }
      // The result is the callee's until here; tracking it needs no pin (its own frame roots it).
      return bridge.wrapMemoryView(track(pointer) >>> 0, type);
    },
  };
}
