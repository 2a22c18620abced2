/**
 * The operations behind a list or dictionary view: the managed library's collection exports
 * (assembly/interop/collections.ts), called through the call boundary, with elements crossing
 * by value in the wire format. Values are checked before anything changes, so a wrong element
 * type is an error and the collection stays as it was.
 */
import type { CollectionType, MarshalContext } from "../marshal/codec.ts";
import { MarshalError } from "../marshal/errors.ts";
import type { ManagedHeap } from "../marshal/heap.ts";
import { COLLECTION_EXPORTS, typeKey } from "../marshal/types.ts";
import { wireCodec, type WireCodec } from "../marshal/wire/codec.ts";
import type { CallBoundary } from "../runtime/boundary.ts";
import type { DictionaryOperations, ListOperations } from "./collections.ts";

type Exported = (...args: number[]) => number;

/** Indices cross as i32: a larger one is past the end of any list. */
const MAX_INDEX = 0x7fffffff;

/** What keeps a view's id: every operation is checked against it, and disposing goes through it. */
export interface CollectionOwner {
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
): (id: number, type: CollectionType) => ListOperations | DictionaryOperations {
  const call = (name: keyof typeof COLLECTION_EXPORTS) => exports[COLLECTION_EXPORTS[name]] as Exported;
  /** `work` for view `id`, checked by the owner; `run` also inside the call boundary. */
  const guarded = <T>(id: number, work: () => T): T => owner.guard(id, work);
  const run = <T>(id: number, work: () => T): T => owner.guard(id, () => boundary.run(work));
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

  const list = (id: number, type: Extract<CollectionType, { kind: "listref" }>): ListOperations => {
    const { item, whole } = codecsFor(type);
    /** JS's indexOf finds nothing for a value that is not even of the element type. */
    const search = (name: "listIndexOf" | "listLastIndexOf", value: unknown, from: number) =>
      guarded(id, () => {
        let bytes: Uint8Array;
        try {
          bytes = item.bytes(value);
        } catch (error) {
          if (error instanceof MarshalError) return -1;
          throw error;
        }
        return boundary.run(() => call(name)(id, heap.newBuffer(bytes), from));
      });
    return {
      fixed: type.fixed,
      length: () => run(id, () => call("listLength")(id)),
      get: (index) => {
        if (index > MAX_INDEX) return guarded(id, () => undefined);
        return run(id, () => {
          const element = call("listGet")(id, index) >>> 0;
          return element === 0 ? undefined : item.lift(element, heap);
        });
      },
      set: (index, value) => {
        if (index <= MAX_INDEX) return run(id, () => call("listSet")(id, index, item.lower(value, heap))) !== 0;
        // Still checked: a wrong value is its own error, wherever it goes.
        return guarded(id, () => (item.bytes(value), false));
      },
      prepare: (values) => guarded(id, () => ({ bytes: values.map((value) => item.bytes(value)) })),
      insert: (index, values) =>
        run(id, () => values.bytes.forEach((bytes, k) => call("listInsert")(id, index + k, heap.newBuffer(bytes)))),
      removeAt: (index) => run(id, () => item.lift(call("listRemoveAt")(id, index) >>> 0, heap)),
      reverse: () => void run(id, () => call("listReverse")(id)),
      indexOf: (value, from) => search("listIndexOf", value, from),
      lastIndexOf: (value, from) => search("listLastIndexOf", value, from),
      copy: () => run(id, () => whole.lift(call("listCopy")(id) >>> 0, heap)) as unknown[],
      toArray: () => {
        const copy = run(id, () => call("listToArray")(id)) >>> 0;
        return copy === 0 ? null : context.references.wrapCollection(copy, { ...type, fixed: true, nullable: false });
      },
      dispose: () => owner.dispose(id),
    };
  };

  const dictionary = (id: number, type: Extract<CollectionType, { kind: "dictref" }>): DictionaryOperations => {
    const { item: value, whole } = codecsFor(type);
    /** Runs `work` with a new managed string for `text`, pinned in case `work` allocates first. */
    const withKey = <T>(text: string, work: (key: number) => T): T =>
      run(id, () => {
        const key = heap.newString(text);
        heap.pin(key);
        try {
          return work(key);
        } finally {
          heap.unpin(key);
        }
      });
    return {
      keys: () => run(id, () => keysCodec.lift(call("dictionaryKeys")(id) >>> 0, heap)) as string[],
      has: (key) => withKey(key, (k) => call("dictionaryHas")(id, k) !== 0),
      get: (key) =>
        withKey(key, (k) => {
          const stored = call("dictionaryGet")(id, k) >>> 0;
          return stored === 0 ? undefined : value.lift(stored, heap);
        }),
      set: (key, item) => void withKey(key, (k) => call("dictionarySet")(id, k, value.lower(item, heap))),
      delete: (key) => withKey(key, (k) => call("dictionaryDelete")(id, k) !== 0),
      copy: () => run(id, () => whole.lift(call("dictionaryCopy")(id) >>> 0, heap)) as Record<string, unknown>,
      dispose: () => owner.dispose(id),
    };
  };

  return (id, type) => (type.kind === "listref" ? list(id, type) : dictionary(id, type));
}
