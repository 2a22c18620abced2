/**
 * The operations behind a list or dictionary view: the managed library's collection exports
 * (assembly/interop/collections.ts), called through the call boundary, with elements crossing
 * by value in the wire format. Values are checked before anything changes, so a wrong element
 * type is an error and the collection stays as it was.
 *
 * Lists of numbers, `bool` and `char` read and write their elements in place instead
 * (direct-elements.ts); dictionaries of them pass a value through a scratch slot rather than an
 * encoded buffer. Keys that are only looked up go in a string the heap lends, not a new one.
 */
import type { CollectionType, MarshalContext } from "../marshal/codec.ts";
import { codecFor } from "../marshal/codec.ts";
import { MarshalError } from "../marshal/errors.ts";
import type { ManagedHeap } from "../marshal/heap.ts";
import { COLLECTION_EXPORTS, typeKey } from "../marshal/types.ts";
import { wireCodec, type WireCodec } from "../marshal/wire/codec.ts";
import type { CallBoundary } from "../runtime/boundary.ts";
import { elementsByCall, type DictionaryOperations, type ListOperations } from "./collections.ts";
import { directListOperations, elementLift, ElementMemory, readsInPlace, TrustedAddress, type LivenessOwner } from "./direct-elements.ts";

type Exported = (...args: number[]) => number;

/** Indices cross as i32: a larger one is past the end of any list. */
const MAX_INDEX = 0x7fffffff;

/** What keeps a view's id: every operation is checked against it, and disposing goes through it. */
export interface CollectionOwner extends LivenessOwner {
  /** Runs `call` if `id` is alive (else Blazor's disposed error), noticing a failure that ends it. */
  guard<T>(id: number, call: () => T): T;
  dispose(id: number): void;
}

export function collectionOperations(
  exports: Record<string, unknown>,
  heap: ManagedHeap,
  boundary: CallBoundary,
  context: MarshalContext,
  owner: CollectionOwner,
  /** Where the managed side counts releases (see direct-elements.ts). */
  releasesAt: number,
): (id: number, type: CollectionType) => ListOperations | DictionaryOperations {
  const call = (name: keyof typeof COLLECTION_EXPORTS) => exports[COLLECTION_EXPORTS[name]] as Exported;
  /** `work` for view `id`, checked by the owner; `run` also inside the call boundary. */
  const guarded = <T>(id: number, work: () => T): T => owner.guard(id, work);
  const run = <T>(id: number, work: () => T): T => owner.guard(id, () => boundary.run(work));
  /**
   * `work`, which converts a value for the collection to keep: a JS object's handle it made goes
   * if the value is refused, or `kept` says the collection did not take it (see JSObjectHandles.convert).
   */
  const keeping = <T>(work: () => T, kept?: (result: T) => boolean): T => context.jsObjects.convert(work, false, kept);
  const keysCodec = wireCodec({ kind: "array", element: { kind: "string", nullable: false }, classId: 0, nullable: false }, context);
  /** A type's codecs depend on the type alone: built once, shared by every view of it. */
  const codecs = new Map<string, { item: WireCodec; whole: WireCodec }>();
  const codecsFor = (type: CollectionType) => {
    const key = typeKey(type);
    let known = codecs.get(key);
    if (!known) {
      known =
        type.kind === "listref"
          ? {
              item: wireCodec(type.element, context),
              whole: wireCodec({ kind: type.fixed ? "staticarray" : "array", element: type.element, classId: 0, nullable: false }, context),
            }
          : { item: wireCodec(type.value, context), whole: wireCodec({ kind: "map", value: type.value, nullable: false }, context) };
      codecs.set(key, known);
    }
    return known;
  };
  /** Where a dictionary value of a number type crosses (see assembly/interop/collections.ts). */
  let scratch = -1;
  const scratchAt = () => (scratch < 0 ? (scratch = call("scratch")() >>> 0) : scratch);

  const list = (id: number, type: Extract<CollectionType, { kind: "listref" }>): ListOperations => {
    const { item, whole } = codecsFor(type);
    /**
     * JS's indexOf finds nothing for a value that is not even of the element type. A JS object
     * looked for is given a handle for the search alone: nothing keeps it afterwards.
     */
    const search = (name: "listIndexOf" | "listLastIndexOf", value: unknown, from: number) =>
      guarded(id, () =>
        context.jsObjects.lookingUp(() => {
          let bytes: Uint8Array;
          try {
            bytes = item.bytes(value);
          } catch (error) {
            if (error instanceof MarshalError) return -1;
            throw error;
          }
          return boundary.run(() => call(name)(id, heap.newBuffer(bytes), from));
        }),
      );
    const get = (index: number): unknown => {
      if (index > MAX_INDEX) return guarded(id, () => undefined);
      return run(id, () => {
        const element = call("listGet")(id, index) >>> 0;
        return element === 0 ? undefined : item.lift(element, heap);
      });
    };
    const byCall: ListOperations = {
      fixed: type.fixed,
      readOnly: type.readOnly,
      length: () => run(id, () => call("listLength")(id)),
      get,
      set: (index, value) => {
        if (index <= MAX_INDEX) {
          // Past the end, managed code refuses the element (0): a JS object in it was converted for nothing.
          return run(id, () => keeping(() => call("listSet")(id, index, item.lower(value, heap)), (stored) => stored !== 0)) !== 0;
        }
        // Still checked: a wrong value is its own error, wherever it goes.
        return guarded(id, () => context.jsObjects.lookingUp(() => (item.bytes(value), false)));
      },
      // Its handles belong to the change it is part of (`changing`), which releases them if it fails.
      prepare: (values) => guarded(id, () => ({ bytes: values.map((value) => item.bytes(value)) })),
      changing: keeping,
      insert: (index, values) =>
        run(id, () => values.bytes.forEach((bytes, k) => call("listInsert")(id, index + k, heap.newBuffer(bytes)))),
      remove: (index, count) => void run(id, () => call("listRemove")(id, index, count)),
      reverse: () => void run(id, () => call("listReverse")(id)),
      indexOf: (value, from) => search("listIndexOf", value, from),
      lastIndexOf: (value, from) => search("listLastIndexOf", value, from),
      copy: () => run(id, () => whole.lift(call("listCopy")(id) >>> 0, heap)) as unknown[],
      toArray: () => {
        const copy = run(id, () => call("listToArray")(id)) >>> 0;
        return copy === 0 ? null : context.references.wrapCollection(copy, { ...type, fixed: true, readOnly: false, nullable: false });
      },
      iterator: () => elementsByCall(get),
      dispose: () => owner.dispose(id),
    };
    if (!readsInPlace(type.element)) return byCall;
    const target = new TrustedAddress(id, owner, boundary, heap, releasesAt, () => run(id, () => call("listTarget")(id) >>> 0));
    return directListOperations(byCall, type.element, context.options, heap, target);
  };

  const dictionary = (id: number, type: Extract<CollectionType, { kind: "dictref" }>): DictionaryOperations => {
    const { item: value, whole } = codecsFor(type);
    /** Runs `work` with `text` as a managed string: lent (see ManagedHeap.lendString) when it is only looked up. */
    const withKey = <T>(text: string, work: (key: number) => T, stored = false): T =>
      run(id, () => {
        if (!stored) return work(heap.lendString(text));
        const key = heap.newString(text);
        // Pinned in case `work` allocates before managed code has stored it.
        heap.pin(key);
        try {
          return work(key);
        } finally {
          heap.unpin(key);
        }
      });
    const set = (key: string, item: unknown) =>
      void withKey(key, (k) => keeping(() => call("dictionarySet")(id, k, value.lower(item, heap))), true);
    const byCall: DictionaryOperations = {
      readOnly: type.readOnly,
      keys: () => run(id, () => keysCodec.lift(call("dictionaryKeys")(id) >>> 0, heap)) as string[],
      has: (key) => withKey(key, (k) => call("dictionaryHas")(id, k) !== 0),
      get: (key) =>
        withKey(key, (k) => {
          const stored = call("dictionaryGet")(id, k) >>> 0;
          return stored === 0 ? undefined : value.lift(stored, heap);
        }),
      set,
      delete: (key) => withKey(key, (k) => call("dictionaryDelete")(id, k) !== 0),
      copy: () => run(id, () => whole.lift(call("dictionaryCopy")(id) >>> 0, heap)) as Record<string, unknown>,
      dispose: () => owner.dispose(id),
    };
    if (!readsInPlace(type.value)) return byCall;
    // A number or bool value crosses through the scratch slot: no buffer encoded, none allocated.
    const codec = codecFor(type.value, context.options);
    const lift = elementLift(type.value, codec);
    const cells = new ElementMemory(heap.runtime.memory, codec.elementView);
    const slot = () => scratchAt() / codec.elementView.BYTES_PER_ELEMENT;
    return {
      ...byCall,
      get: (key) =>
        withKey(key, (k) => {
          if (call("dictionaryRead")(id, k) === 0) return undefined;
          const raw = cells.array[slot()];
          return lift === null ? raw : lift(raw);
        }),
      set: (key, item) => {
        const updated = withKey(key, (k) => {
          cells.array[slot()] = codec.lower(item, heap);
          return call("dictionaryUpdate")(id, k) !== 0;
        });
        // A new key: the map stores the key string, so it must be one of its own.
        if (!updated) set(key, item);
      },
    };
  };

  return (id, type) => (type.kind === "listref" ? list(id, type) : dictionary(id, type));
}
