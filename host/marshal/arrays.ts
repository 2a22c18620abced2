/**
 * Arrays by value: `Array<T>` (growable) and `StaticArray<T>` (fixed) ↔ JS arrays.
 *
 * Layouts, as AssemblyScript defines them:
 *   Array<T>        a 16-byte header { buffer, dataStart, byteLength, length } + an ArrayBuffer
 *   StaticArray<T>  the elements themselves; the object's size says how many
 * Numbers are written through one typed-array view of the element type (a typed array of that
 * exact type is one bulk `set`); references (strings, nested arrays) are lowered one by one.
 *
 * GC safety: while elements are lowered, each allocation may run the collector, so the containers
 * being filled are pinned; what they reference is then found through them.
 */
import { REFERENCE_SLOT, type Codec, type WasmValue } from "./codec.ts";
import { ARRAY_BUFFER_ID, type ManagedHeap } from "./heap.ts";
import { MarshalError, mismatch, within } from "./errors.ts";
import { typeName, type TypeDescriptor } from "./types.ts";

const ARRAY_HEADER_SIZE = 16;

/** What an array parameter accepts: a JS array or a typed array (not a DataView). */
export function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

type ArrayType = Extract<TypeDescriptor, { kind: "array" | "staticarray" }>;

/**
 * With `preserve` (the assembly's `preserveReferences`), an array met twice in one call crosses
 * once: the second time is the same managed array, or the same JS array.
 */
export function arrayCodec(type: ArrayType, element: Codec, preserve = false): Codec {
  const { classId, nullable } = type;
  const growable = type.kind === "array";
  const view = element.elementView;
  const shift = Math.log2(view.BYTES_PER_ELEMENT);
  const expected = `an array for ${typeName(type)}${nullable ? " or null" : ""}`;
  /** Elements that may be typed arrays (directly or as a nested array's elements). */
  const nestsViews = ["typedarray", "array", "staticarray"].includes(element.type.kind);
  /** How many arrays deep such a typed array may sit. */
  const levels = arrayLevels(type);

  /**
   * The elements' memory. Plain values are all written before anything runs in wasm, so it need
   * not be zeroed; references are lowered one by one, and each may run the collector, which then
   * visits the elements not yet written: those must be null. (Only the incremental runtime's
   * `__new` zeroes; with the others a collection mid-fill is the out-of-memory retry's.)
   */
  const allocateElements = (heap: ManagedHeap, byteLength: number, id: number): number => {
    const pointer = heap.allocateUnzeroed(byteLength, id);
    if (element.reference) heap.u8.fill(0, pointer, pointer + byteLength);
    return pointer;
  };

  /** Writes `values` into `length` elements at `dataStart`; the container must be pinned. */
  const fill = (heap: ManagedHeap, dataStart: number, values: ArrayLike<unknown>, length: number): void => {
    if (element.bulkCopy && values instanceof view) {
      new view(heap.u8.buffer, dataStart, length).set(values as ArrayLike<WasmValue>);
      return;
    }
    let i = 0;
    try {
      if (element.reference) {
        // Each element may allocate and so move memory: index a fresh view every time.
        for (; i < length; ++i) {
          const pointer = element.lower(values[i], heap) as number;
          heap.u32[(dataStart >>> 2) + i] = pointer;
        }
      } else {
        let elements = new view(heap.u8.buffer, dataStart, length);
        for (; i < length; ++i) {
          const value = element.lower(values[i], heap);
          // Reading values[i] may run JS (a getter, a Proxy) that calls in and grows memory.
          if (elements.length === 0) elements = new view(heap.u8.buffer, dataStart, length);
          elements[i] = value;
        }
      }
    } catch (error) {
      throw within(error, `[${i}]`);
    }
  };

  function lowerArray(value: unknown, heap: ManagedHeap): number {
    // Allocating for the elements may detach a typed array that views this instance's memory, at
    // any depth of an array of arrays: copy every such view before the first allocation.
    const values = (nestsViews ? heap.outsideMemoryDeep(value, levels) : heap.outsideMemory(value)) as ArrayLike<unknown>;
    const length = values.length;
    // Multiplied, not shifted: a shift is 32-bit, and a sparse array's length costs JS nothing
    // (2^30 + 1 four-byte elements would make 4 bytes, and the elements be written past them).
    const byteLength = length * view.BYTES_PER_ELEMENT;

    if (!growable) {
      const data = allocateElements(heap, byteLength, classId);
      heap.pin(data);
      try {
        fill(heap, data, values, length);
      } finally {
        heap.unpin(data);
      }
      return data;
    }

    const buffer = allocateElements(heap, byteLength, ARRAY_BUFFER_ID);
    heap.pin(buffer);
    let header = 0;
    try {
      header = heap.allocate(ARRAY_HEADER_SIZE, classId);
      heap.pin(header);
      const fields = heap.u32;
      const at = header >>> 2;
      fields[at] = buffer;
      fields[at + 1] = buffer;
      fields[at + 2] = byteLength;
      fields[at + 3] = length;
      fill(heap, buffer, values, length);
    } finally {
      heap.unpin(buffer);
      if (header) heap.unpin(header);
    }
    return header;
  }

  function liftArray(pointer: number, heap: ManagedHeap): unknown[] {
    let dataStart = pointer;
    let length: number;
    if (growable) {
      const fields = heap.u32;
      dataStart = fields[(pointer >>> 2) + 1];
      length = fields[(pointer >>> 2) + 3];
    } else {
      length = heap.sizeOf(pointer) >>> shift;
    }
    // Its header is managed code's to write: the elements it claims must be in memory.
    const byteLength = length * view.BYTES_PER_ELEMENT;
    heap.charge(byteLength);
    if (dataStart + byteLength > heap.u8.length) throw new MarshalError("managed code returned an array that claims more than memory holds");
    // Reading never allocates, so one view serves the whole loop.
    const elements = new view(heap.u8.buffer, dataStart, length);
    const result = new Array<unknown>(length);
    if (preserve) heap.callIdentity().lifted.set(pointer, result);
    for (let i = 0; i < length; ++i) result[i] = element.lift(elements[i], heap);
    return result;
  }

  return {
    type,
    ...REFERENCE_SLOT,

    lower(value, heap) {
      if (value == null && nullable) return 0;
      if (!isArrayLike(value)) throw mismatch(expected, value);
      if (!preserve) return lowerArray(value, heap);
      const lowered = heap.callIdentity().lowered;
      let asThisClass = lowered.get(classId);
      if (!asThisClass) lowered.set(classId, (asThisClass = new Map()));
      const known = asThisClass.get(value as object);
      if (known !== undefined) return known;
      const pointer = lowerArray(value, heap);
      asThisClass.set(value as object, pointer);
      return pointer;
    },

    lift(raw, heap) {
      const pointer = (raw as number) >>> 0;
      if (pointer === 0) return null;
      if (preserve) {
        const known = heap.identity?.lifted.get(pointer);
        if (known !== undefined) return known;
      }
      return liftArray(pointer, heap);
    },
  };
}

/** How many arrays nest in `type`: 3 for `Array<Array<Array<u8>>>`, 0 for what is not an array. */
function arrayLevels(type: TypeDescriptor): number {
  return type.kind === "array" || type.kind === "staticarray" ? 1 + arrayLevels(type.element) : 0;
}
