/**
 * Typed access to one instance's linear memory and its managed (garbage-collected) heap.
 *
 * Any call into wasm that allocates may grow memory, which detaches every view of the old buffer.
 * A detached view reports a length of zero, so each accessor checks exactly that (cheaper than
 * asking the memory for its buffer, as wasm-bindgen also found) and re-derives the views when it
 * has happened. Callers never hold a view across a call that may allocate.
 */

import { decodeUtf16, encodeUtf16 } from "./utf16.ts";

/** See {@link ManagedHeap.collectIfMuchAllocated}. */
const COLLECT_AFTER_BYTES = 32 << 20;

/** Input buffers up to this size are kept for the next call (see {@link ManagedHeap.newInput}). */
const KEEP_INPUT_BYTES = 16 << 20;

/** The largest size the runtime's `__new` can be asked for: its size parameter is an i32. */
const MAX_ALLOCATION = 0x7fffffff;

import { MarshalError } from "./errors.ts";

/** Runtime exports every as-interop assembly has (the transform turns on `--exportRuntime`). */
export interface RuntimeExports {
  readonly memory: WebAssembly.Memory;
  __new(size: number, classId: number): number;
  /** `UNZEROED_NEW_EXPORT`: `__new` without zeroing (host/compiler/unzeroed-new.ts). */
  __interop_new_unzeroed(size: number, classId: number): number;
  __pin(pointer: number): number;
  __unpin(pointer: number): void;
  __collect(): void;
  /** Where AssemblyScript's runtime type information starts: after all static data. */
  readonly __rtti_base?: WebAssembly.Global;
}

/** Class ids that AssemblyScript fixes for every program. */
export const ARRAY_BUFFER_ID = 1;
export const STRING_ID = 2;

/** Size of an AssemblyScript object header; the last 4 bytes hold the payload size (`rtSize`). */
const RT_SIZE_OFFSET = 4;


/**
 * The allocator could not grow memory for a value the host was writing. It traps before it
 * changes any state, so the instance stays usable: this error fails the call, not the instance.
 */
export class OutOfMemoryError extends RangeError {
  override name = "OutOfMemoryError";
}

/** Arrays already converted in the current call, when references are preserved (see arrays.ts). */
export interface CallIdentity {
  /**
   * By the class id each was lowered as: managed code can only share an array among places of one
   * type, so a JS array met as two array types becomes a managed array of each.
   */
  readonly lowered: Map<number, Map<object, number>>;
  readonly lifted: Map<number, unknown>;
}

export class ManagedHeap {
  /** Pins the host holds right now (each released when its call ends). */
  pinned = 0;
  /** Bytes the host allocated since the last full collection it asked for. */
  #allocatedSinceCollect = 0;
  /** The current call's identity maps; each call starts without and restores its caller's. */
  identity: CallIdentity | null = null;
  /**
   * Bytes of the value being converted so far, all its parts counted (strings, buffers, elements,
   * encoded bytes; not the fixed headers), against `maxPayloadBytes`. See {@link beginValue}.
   */
  valueBytes = 0;

  /** The buffer {@link newInput} lends: pinned for good, `capacity` bytes, lent until the instance is at rest. */
  #input = { pointer: 0, capacity: 0, lent: false };
  /** The string {@link lendString} lends: pinned for good, room for `capacity` bytes. */
  #key = { pointer: 0, capacity: 0 };

  /** The current call's identity maps, made on first use. */
  callIdentity(): CallIdentity {
    return (this.identity ??= { lowered: new Map(), lifted: new Map() });
  }
  #u8!: Uint8Array;
  #u16!: Uint16Array;
  #u32!: Uint32Array;
  #view!: DataView;
  /** See {@link lendResult}. */
  #result = { pointer: 0, capacity: 0, lentSinceRest: false };
  /** Addresses below this are the module's static data (string literals), which never changes. */
  readonly staticEnd: number;

  constructor(
    readonly runtime: RuntimeExports,
    /** The largest single value the host will write (the `maxPayloadBytes` limit). */
    readonly maxPayloadBytes = Infinity,
  ) {
    this.#refresh();
    // The runtime type information sits after all static data (and before the heap).
    this.staticEnd = runtime.__rtti_base ? (runtime.__rtti_base.value as number) >>> 0 : 0;
  }

  get u8(): Uint8Array {
    if (this.#u8.byteLength === 0) this.#refresh();
    return this.#u8;
  }
  get u16(): Uint16Array {
    if (this.#u8.byteLength === 0) this.#refresh();
    return this.#u16;
  }
  get u32(): Uint32Array {
    if (this.#u8.byteLength === 0) this.#refresh();
    return this.#u32;
  }
  /** All of memory as a DataView (for the tagged format's mixed, unaligned values). */
  get view(): DataView {
    if (this.#u8.byteLength === 0) this.#refresh();
    return this.#view;
  }

  #refresh(): void {
    const buffer = this.runtime.memory.buffer as ArrayBuffer;
    this.#u8 = new Uint8Array(buffer);
    this.#u16 = new Uint16Array(buffer);
    this.#u32 = new Uint32Array(buffer);
    this.#view = new DataView(buffer);
  }

  /**
   * Allocates a managed object of `size` payload bytes; it is unrooted until stored or pinned. The
   * incremental runtime zeroes it, the minimal and stub runtimes do not.
   */
  allocate(size: number, classId: number): number {
    return this.#allocate(size, classId, this.runtime.__new);
  }

  /**
   * Allocates a string, a buffer or an array of plain values, without zeroing its payload: the
   * caller must write every byte before anything else runs in wasm (nothing reads the payload of
   * such an object, not even the collector, so a value that fails halfway is harmless garbage).
   */
  allocateUnzeroed(size: number, classId: number): number {
    this.charge(size);
    return this.#allocate(size, classId, this.runtime.__interop_new_unzeroed);
  }

  /** A new value starts: from here, its parts are counted against `maxPayloadBytes`. */
  beginValue(): void {
    this.valueBytes = 0;
  }

  /**
   * Counts `bytes` more of the current value, in either direction, and refuses the value once the
   * sum of its parts passes `maxPayloadBytes` (an array of many strings, each small, is one value).
   */
  charge(bytes: number): void {
    if (this.maxPayloadBytes === Infinity) return;
    if (this.valueBytes + bytes > this.maxPayloadBytes) {
      const error = this.overLimit(bytes);
      this.valueBytes += bytes;
      throw error;
    }
    this.valueBytes += bytes;
  }

  /**
   * What {@link charge} throws for `bytes` more than the value has counted so far, without counting
   * them: for an encoder that stops as soon as what it wrote passes the limit (`WireWriter.limitTo`).
   */
  overLimit(bytes: number): MarshalError {
    const total = this.valueBytes + bytes;
    return new MarshalError(
      `the value needs ${total} bytes${total === bytes ? "" : " (all its parts)"}, more than this host allows (maxPayloadBytes = ${this.maxPayloadBytes})`,
    );
  }

  #allocate(size: number, classId: number, newObject: (size: number, classId: number) => number): number {
    // The size crosses as an i32: beyond, it would wrap (2^32 + 4 bytes allocating 4).
    if (size > MAX_ALLOCATION) {
      throw new OutOfMemoryError(
        `Out of memory: the value needs ${size} bytes and linear memory (${this.runtime.memory.buffer.byteLength} bytes now) cannot grow enough.`,
      );
    }
    this.#allocatedSinceCollect += size;
    try {
      return newObject(size, classId) >>> 0;
    } catch (first) {
      if (!(first instanceof WebAssembly.RuntimeError)) throw first;
    }
    // Memory could not grow: collect what earlier values left behind, and try once more.
    try {
      this.runtime.__collect();
      this.#allocatedSinceCollect = 0;
      return newObject(size, classId) >>> 0;
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      const memory = this.runtime.memory.buffer.byteLength;
      throw new OutOfMemoryError(
        `Out of memory: the value needs ${size} bytes and linear memory (${memory} bytes now) cannot grow enough.`,
        { cause: error },
      );
    }
  }

  /**
   * After a call that allocated much (large arguments are garbage once it returns): a full
   * collection. The incremental collector does one step per allocation, so without this a few
   * big buffers pile up, memory keeps growing and every call touches fresh pages.
   */
  collectIfMuchAllocated(): void {
    // Most calls allocate little: decide on the counter alone before asking memory its size.
    if (this.#allocatedSinceCollect < COLLECT_AFTER_BYTES) return;
    if (this.#allocatedSinceCollect < this.runtime.memory.buffer.byteLength / 8) return;
    this.#allocatedSinceCollect = 0;
    this.runtime.__collect();
  }

  pin(pointer: number): void {
    // The lent buffers are pinned for good (see newInput), and the runtime refuses a second pin.
    if (pointer === this.#input.pointer || pointer === this.#key.pointer) return;
    this.runtime.__pin(pointer);
    ++this.pinned;
  }

  unpin(pointer: number): void {
    if (pointer === this.#input.pointer || pointer === this.#key.pointer) return;
    this.runtime.__unpin(pointer);
    --this.pinned;
  }

  /** Payload size in bytes of the managed object at `pointer`. */
  sizeOf(pointer: number): number {
    return this.u32[(pointer - RT_SIZE_OFFSET) >>> 2];
  }

  /**
   * `value` itself, or a copy when it is a view of this instance's memory: such a view is detached
   * by any allocation that grows memory, so what is to be copied in after one must not be it.
   */
  outsideMemory<T>(value: T): T {
    if (!ArrayBuffer.isView(value) || value.buffer !== this.runtime.memory.buffer) return value;
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength).slice();
    const TypedArray = value.constructor as new (buffer: ArrayBuffer) => T;
    const copy = value instanceof DataView ? (new DataView(bytes.buffer) as T) : new TypedArray(bytes.buffer);
    this.#copiedFrom.set(copy as object, value);
    return copy;
  }

  /**
   * The view of this instance's memory that {@link outsideMemory} copied `value` from, or `value`
   * itself: a parameter that takes memory in place (a memory view) still finds where it was.
   */
  originOf(value: object): object {
    return this.#copiedFrom.get(value) ?? value;
  }
  readonly #copiedFrom = new WeakMap<object, object>();

  /**
   * {@link outsideMemory} through `levels` of nested JS arrays as well, which is where an array of
   * arrays keeps its typed arrays: the array itself when nothing inside views this instance's memory.
   */
  outsideMemoryDeep(value: unknown, levels: number): unknown {
    if (levels === 0 || !Array.isArray(value)) return this.outsideMemory(value);
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; ++i) {
      const inner = this.outsideMemoryDeep(value[i], levels - 1);
      if (inner !== value[i]) (copy ??= value.slice())[i] = inner;
    }
    return copy ?? value;
  }

  /** Copies bytes into a new managed `ArrayBuffer`. */
  newBuffer(bytes: Uint8Array): number {
    const source = this.outsideMemory(bytes);
    const pointer = this.allocateUnzeroed(source.length, ARRAY_BUFFER_ID);
    this.u8.set(source, pointer);
    return pointer;
  }

  /**
   * Copies wire-format input for the current call into managed memory. Managed code only decodes
   * such a buffer and never keeps it, so one buffer serves call after call: a fresh 4 MiB buffer
   * per call made the incremental collector run as if 4 MiB of objects had been made, and so cost
   * more than the copy itself. It is lent to one call at a time, until {@link atRest}; a nested
   * call, or input above 16 MiB, gets a buffer of its own.
   */
  newInput(bytes: Uint8Array): number {
    const input = this.#input;
    const size = bytes.length;
    if (input.lent || size > KEEP_INPUT_BYTES) return this.newBuffer(bytes);
    this.charge(size);
    if (size > input.capacity) {
      const pointer = this.allocateUnzeroed(size, ARRAY_BUFFER_ID);
      this.runtime.__pin(pointer);
      if (input.pointer) this.runtime.__unpin(input.pointer);
      input.pointer = pointer;
      input.capacity = size;
    }
    input.lent = true;
    // The payload size is what the managed side reads as the buffer's byteLength.
    this.u32[(input.pointer - RT_SIZE_OFFSET) >>> 2] = size;
    this.u8.set(bytes, input.pointer);
    return input.pointer;
  }

  /**
   * Room for a result managed code reads at once with the tagged reader (a JS call's value): a
   * buffer `[u32 in use][size bytes]`, whose payload starts at the returned address + 4. One buffer
   * per instance is lent again and again, pinned for good; the reader clears its first word when
   * done, so a result needed while another is still being read (a constructor that calls JS,
   * mid-read) gets a fresh buffer, as does one above 16 MiB. The word is cleared at rest too, in
   * case an abort cut a read short.
   */
  reserveResult(size: number): number {
    this.charge(size);
    const lent = this.#result;
    const total = size + 4;
    let pointer: number;
    if (lent.pointer !== 0 && total <= lent.capacity && this.u32[lent.pointer >>> 2] === 0) {
      pointer = lent.pointer;
    } else if (total > KEEP_INPUT_BYTES || (lent.pointer !== 0 && this.u32[lent.pointer >>> 2] !== 0)) {
      pointer = this.#allocate(total, ARRAY_BUFFER_ID, this.runtime.__interop_new_unzeroed);
      this.u32[pointer >>> 2] = 0;
      return pointer;
    } else {
      pointer = this.#allocate(Math.max(total, 256), ARRAY_BUFFER_ID, this.runtime.__interop_new_unzeroed);
      this.runtime.__pin(pointer);
      if (lent.pointer) this.runtime.__unpin(lent.pointer);
      lent.pointer = pointer;
      lent.capacity = Math.max(total, 256);
    }
    const words = this.u32;
    words[pointer >>> 2] = 1;
    lent.lentSinceRest = true;
    // The payload size is what the managed side reads as the buffer's byteLength.
    words[(pointer - RT_SIZE_OFFSET) >>> 2] = total;
    return pointer;
  }

  /** {@link reserveResult} filled with `bytes`. */
  lendResult(bytes: Uint8Array): number {
    const pointer = this.reserveResult(bytes.length);
    this.u8.set(bytes, pointer + 4);
    return pointer;
  }

  /** No call into the instance is running: whatever it was given as input is decoded. */
  atRest(): void {
    this.#input.lent = false;
    const result = this.#result;
    // Only a call that lent it can have left it marked in use (most calls lend nothing).
    if (result.lentSinceRest) {
      result.lentSinceRest = false;
      this.u32[result.pointer >>> 2] = 0;
    }
    // No value is being converted any more (each conversion also starts its own count).
    this.valueBytes = 0;
  }

  /** Copies a JS string into a new managed `String`, UTF-16 code unit for code unit. */
  newString(value: string): number {
    const length = value.length;
    const pointer = this.allocateUnzeroed(length << 1, STRING_ID);
    encodeUtf16(this.u16, pointer >>> 1, value);
    return pointer;
  }

  /**
   * `value` as a managed `String` for one call that only compares or hashes it (a dictionary key
   * looked up) and never keeps it: one string, pinned for good and rewritten each time, instead
   * of a new one per lookup. Keys above 16 KiB get a string of their own.
   */
  lendString(value: string): number {
    const key = this.#key;
    const size = value.length << 1;
    if (size > KEEP_INPUT_BYTES) return this.newString(value);
    if (size > key.capacity) {
      const pointer = this.allocateUnzeroed(Math.max(size, 64), STRING_ID);
      this.runtime.__pin(pointer);
      if (key.pointer) this.runtime.__unpin(key.pointer);
      key.pointer = pointer;
      key.capacity = Math.max(size, 64);
    }
    // The payload size is the string's length, as managed code reads it.
    this.u32[(key.pointer - RT_SIZE_OFFSET) >>> 2] = size;
    encodeUtf16(this.u16, key.pointer >>> 1, value);
    return key.pointer;
  }

  /** Reads the managed `String` at `pointer`. */
  readString(pointer: number): string {
    const start = pointer >>> 1;
    return decodeUtf16(this.u16, start, start + (this.sizeOf(pointer) >>> 1));
  }

  /**
   * Reads a message managed code hands the host (an abort's, a faulted task's): the `String` at
   * `pointer`, cut to `maxPayloadBytes`. It is not refused, since the fault it reports must arrive.
   */
  readMessage(pointer: number): string {
    const size = this.sizeOf(pointer);
    if (size <= this.maxPayloadBytes) return this.readString(pointer);
    const start = pointer >>> 1;
    const kept = decodeUtf16(this.u16, start, start + Math.floor(this.maxPayloadBytes / 2));
    return `${kept}… (cut: the message is ${size} bytes, more than this host allows (maxPayloadBytes = ${this.maxPayloadBytes}))`;
  }
}
