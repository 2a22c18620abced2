/**
 * Direct element access: views of managed lists (and memory views) whose elements are numbers,
 * `bool` or `char` read and write linear memory where the managed object's header says the
 * elements are, instead of calling into the instance for each one.
 *
 * Layouts, as AssemblyScript defines them (see also host/marshal/arrays.ts):
 *   Array<T>        header { buffer, dataStart, byteLength, length } — `dataStart` changes when a
 *                   push reallocates the backing store, so it is read again at every access
 *   StaticArray<T>  the elements at the object's address; its size (`rtSize`) says how many
 *   typed array     header { buffer, dataStart, byteLength }, fixed for the array's life
 *
 * What makes reading an address without a call safe: the object is kept alive by the managed
 * side's table of tracked objects for as long as its id is tracked, and the collector never moves
 * objects. So before each access a view checks that its id is alive on this side, that the
 * instance is usable (not poisoned, not reloaded or unloaded), and that managed code released nothing since
 * the view last asked where its object is (a counter in memory, `RELEASES_EXPORT`); if something
 * was released, one call confirms the id (or fails with Blazor's message) and the address.
 */
import { codecFor, type Codec, type ElementArray, type ElementView, type MarshalOptions, type WasmValue } from "../marshal/codec.ts";
import type { ManagedHeap } from "../marshal/heap.ts";
import type { TypeDescriptor } from "../marshal/types.ts";
import type { CallBoundary } from "../runtime/boundary.ts";
import type { ListOperations } from "./collections.ts";

/** How many elements an iterator copies out of memory at a time. */
const RUN = 1024;

/** The element kinds a view reads in place: their values are plain bits in memory. */
const IN_PLACE = new Set<TypeDescriptor["kind"]>(["bool", "char", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64"]);

export function readsInPlace(element: TypeDescriptor): boolean {
  return IN_PLACE.has(element.kind);
}

/** What a directly read view needs from the table that keeps its id. */
export interface LivenessOwner {
  isAlive(id: number): boolean;
  /** Throws Blazor's "no tracked object" error once `id` is disposed. */
  checkAlive(id: number): void;
  /** The state of `id` whose `disposed` turns true when it is disposed (read at every access, unlike a lookup). */
  liveness(id: number): { readonly disposed: boolean } | undefined;
}

/** The address of one tracked managed object, checked before every use (see the file comment). */
export class TrustedAddress {
  #state: { readonly disposed: boolean } | undefined = undefined;
  #address = 0;
  /** The release count when the address was last confirmed; -1 before the first time. */
  #seen = -1;
  readonly #releases: number;

  constructor(
    private readonly id: number,
    private readonly owner: LivenessOwner,
    private readonly boundary: CallBoundary,
    private readonly heap: ManagedHeap,
    /** Where the managed side's release counter is. */
    releasesAt: number,
    /** One call that returns the object's address, or throws once the id is released. */
    private readonly locate: () => number,
  ) {
    this.#releases = releasesAt >>> 2;
  }

  /**
   * The object's address, once the checks pass; throws what a call would have thrown otherwise.
   * `words` is memory as the caller is about to read it (`heap.u32`); a call here re-derives it.
   */
  get(words: Uint32Array = this.heap.u32): number {
    const state = (this.#state ??= this.owner.liveness(this.id));
    if (state === undefined || state.disposed) this.owner.checkAlive(this.id);
    if (!this.boundary.usable) this.boundary.checkUsable();
    const releases = words[this.#releases];
    if (releases !== this.#seen) {
      this.#address = this.locate();
      this.#seen = releases;
    }
    return this.#address;
  }
}

/** Linear memory as elements of one type, re-derived when memory grows (which detaches the old view). */
export class ElementMemory {
  #array: ElementArray;

  constructor(
    private readonly memory: WebAssembly.Memory,
    private readonly View: ElementView,
  ) {
    this.#array = new View(memory.buffer, 0, memory.buffer.byteLength / View.BYTES_PER_ELEMENT);
  }

  get array(): ElementArray {
    if (this.#array.length === 0) {
      this.#array = new this.View(this.memory.buffer, 0, this.memory.buffer.byteLength / this.View.BYTES_PER_ELEMENT);
    }
    return this.#array;
  }
}

/** What an element's bits become in JS; null where a typed array of its type already gives it exactly. */
export function elementLift(element: TypeDescriptor, codec: Codec): ((raw: WasmValue) => unknown) | null {
  switch (element.kind) {
    case "bool":
    case "char":
    case "i64":
    case "u64":
      return codec.lift as (raw: WasmValue) => unknown;
    default:
      return null;
  }
}

/**
 * The list operations read and written in place: `length`, `[i]`, `[i] = v` and iteration.
 * Everything else (inserting, removing, searching, copying) still calls the instance, as `calls` does.
 */
export function directListOperations(
  calls: ListOperations,
  element: TypeDescriptor,
  options: MarshalOptions,
  heap: ManagedHeap,
  target: TrustedAddress,
): ListOperations {
  const codec = codecFor(element, options);
  const lift = elementLift(element, codec);
  const lower = codec.lower;
  const cells = new ElementMemory(heap.runtime.memory, codec.elementView);
  const shift = Math.log2(codec.elementView.BYTES_PER_ELEMENT);
  const fixed = calls.fixed;
  // Where the elements are and how many, from the header (an Array) or the object's size (a StaticArray).
  const lengthOf = (u32: Uint32Array, at: number) => (fixed ? u32[(at - 4) >>> 2] >>> shift : u32[(at >>> 2) + 3]);
  const dataOf = (u32: Uint32Array, at: number) => (fixed ? at : u32[(at >>> 2) + 1]);

  /** Up to RUN elements from `from` on, copied out; null past the end. */
  const run = (from: number): ElementArray | null => {
    const at = target.get();
    const u32 = heap.u32;
    const count = Math.min(RUN, lengthOf(u32, at) - from);
    if (count <= 0) return null;
    const start = (dataOf(u32, at) >>> shift) + from;
    return cells.array.slice(start, start + count);
  };

  return {
    ...calls,
    length() {
      const at = target.get();
      return lengthOf(heap.u32, at);
    },
    get(index) {
      let u32 = heap.u32;
      const at = target.get(u32);
      if (u32.length === 0) u32 = heap.u32; // a call to locate the list may have grown memory
      if (index >= lengthOf(u32, at)) return undefined;
      const raw = cells.array[(dataOf(u32, at) >>> shift) + index];
      return lift === null ? raw : lift(raw);
    },
    set(index, value) {
      const at = target.get();
      // Converted (or refused) before anything changes, with the same errors as any argument.
      const raw = lower(value, heap);
      const u32 = heap.u32;
      if (index >= lengthOf(u32, at)) return false;
      cells.array[(dataOf(u32, at) >>> shift) + index] = raw;
      return true;
    },
    iterator: () => new RunIterator(run, lift),
  };
}

/**
 * Iterates a list a run of elements at a time: each run is checked and copied out of memory at
 * once, so a change made while a run is being iterated shows from the next run on.
 */
class RunIterator implements IterableIterator<unknown> {
  #run: ElementArray | null = null;
  /** The list index of the run's first element, and of the next element to give. */
  #start = 0;
  #next = 0;
  #done = false;

  constructor(
    private readonly read: (from: number) => ElementArray | null,
    private readonly lift: ((raw: WasmValue) => unknown) | null,
  ) {}

  next(): IteratorResult<unknown> {
    let run = this.#run;
    let offset = this.#next - this.#start;
    if (run === null || offset >= run.length) {
      if (this.#done) return { value: undefined, done: true };
      run = this.#run = this.read(this.#next);
      if (run === null) {
        this.#done = true;
        return { value: undefined, done: true };
      }
      this.#start = this.#next;
      offset = 0;
    }
    ++this.#next;
    const raw = run[offset];
    return { value: this.lift === null ? raw : this.lift(raw), done: false };
  }

  [Symbol.iterator](): this {
    return this;
  }
}
