import { holderAs, track } from "./objects";
import { existingReference, TrackedReference } from "./reference";
import { decode } from "./wire/reader";
import { encode } from "./wire/writer";

/**
 * Lists and maps handed to JavaScript by reference (the HTML Bridge's by-reference `IList` and
 * `IDictionary` wrappers): JS gets a live view, so a change on either side is seen at once by the
 * other. `Array<T>` plays .NET's `List<T>` (growable), `StaticArray<T>` a .NET array (fixed size),
 * `Map<string, V>` a `Dictionary<string, V>`.
 *
 *   @jsInvokable export function Items(): ListReference<i32> { return ListReference.of(items); }
 *
 * Elements cross by value in the wire format, one operation per call; the host drives every list
 * through the exports at the bottom, which dispatch to the generic subclasses.
 */
/** The list operations of the seed's array-like wrapper; indices are checked by the host. */
export abstract class ListReferenceBase extends TrackedReference {
  abstract get length(): i32;
  abstract get(index: i32): ArrayBuffer;
  abstract set(index: i32, value: ArrayBuffer): void;
  abstract insert(index: i32, value: ArrayBuffer): void;
  abstract removeAt(index: i32): ArrayBuffer;
  abstract reverse(): void;
  abstract indexOf(value: ArrayBuffer, from: i32): i32;
  abstract lastIndexOf(value: ArrayBuffer, from: i32): i32;
  /** A copy of the whole list, encoded. */
  abstract copy(): ArrayBuffer;
  /** The seed's `toArray()`: a new managed array (by reference) for a list, 0 (null) for an array. */
  abstract toArray(): u32;
}

export class ListReference<T> extends ListReferenceBase {
  private constructor(readonly list: Array<T>) {
    super();
  }

  /** A live reference to `list`; the same list always gets the same reference. */
  static of<T>(list: Array<T>): ListReference<T> {
    const existing = existingReference<ListReference<T>>(changetype<usize>(list));
    if (existing) return existing;
    const reference = new ListReference<T>(list);
    reference._id = track(reference, changetype<usize>(list));
    return reference;
  }

  get length(): i32 { return this.list.length; }
  get(index: i32): ArrayBuffer { return encode<T>(this.list[index]); }
  set(index: i32, value: ArrayBuffer): void { this.list[index] = decode<T>(value); }
  insert(index: i32, value: ArrayBuffer): void {
    const element = decode<T>(value);
    const list = this.list;
    list.push(element);
    list.copyWithin(index + 1, index, list.length - 1);
    unchecked((list[index] = element));
  }
  removeAt(index: i32): ArrayBuffer {
    const removed = this.list.splice(index, 1);
    return encode<T>(removed[0]);
  }
  reverse(): void { this.list.reverse(); }
  indexOf(value: ArrayBuffer, from: i32): i32 { return indexIn<T, Array<T>>(this.list, decode<T>(value), from, false); }
  lastIndexOf(value: ArrayBuffer, from: i32): i32 { return indexIn<T, Array<T>>(this.list, decode<T>(value), from, true); }
  copy(): ArrayBuffer { return encode<Array<T>>(this.list); }
  toArray(): u32 { return FixedListReference.of<T>(StaticArray.fromArray<T>(this.list)).id; }
  __interop_targetClassId(): u32 { return idof<Array<T>>(); }
}

export class FixedListReference<T> extends ListReferenceBase {
  private constructor(readonly list: StaticArray<T>) {
    super();
  }

  static of<T>(list: StaticArray<T>): FixedListReference<T> {
    const existing = existingReference<FixedListReference<T>>(changetype<usize>(list));
    if (existing) return existing;
    const reference = new FixedListReference<T>(list);
    reference._id = track(reference, changetype<usize>(list));
    return reference;
  }

  get length(): i32 { return this.list.length; }
  get(index: i32): ArrayBuffer { return encode<T>(this.list[index]); }
  set(index: i32, value: ArrayBuffer): void { this.list[index] = decode<T>(value); }
  insert(_index: i32, _value: ArrayBuffer): void { throw new Error(FIXED_SIZE); }
  removeAt(_index: i32): ArrayBuffer { throw new Error(FIXED_SIZE); }
  reverse(): void { this.list.reverse(); }
  indexOf(value: ArrayBuffer, from: i32): i32 { return indexIn<T, StaticArray<T>>(this.list, decode<T>(value), from, false); }
  lastIndexOf(value: ArrayBuffer, from: i32): i32 { return indexIn<T, StaticArray<T>>(this.list, decode<T>(value), from, true); }
  copy(): ArrayBuffer { return encode<StaticArray<T>>(this.list); }
  toArray(): u32 { return 0; }
  __interop_targetClassId(): u32 { return idof<StaticArray<T>>(); }
}

const FIXED_SIZE = "The list is a fixed-size array; it cannot grow or shrink.";

/**
 * `indexOf` (or `lastIndexOf`, `backwards`) of a list. A `Nullable<T>` element is a value, found
 * by `equals` as .NET's `List<int?>.IndexOf` finds it; anything else as the list's own search does.
 */
function indexIn<T, L>(list: L, value: T, from: i32, backwards: bool): i32 {
  // @ts-ignore: only the library's Nullable<T> has this method
  if (!isDefined(changetype<NonNullable<T>>(0).__interop_nullable)) {
    // @ts-ignore: L is Array<T> or StaticArray<T>
    return backwards ? list.lastIndexOf(value, from) : list.indexOf(value, from);
  }
  // @ts-ignore: see above
  const length = list.length;
  // The same bounds as Array#indexOf and Array#lastIndexOf.
  if (backwards) {
    let at = from < 0 ? length + from : min(from, length - 1);
    // @ts-ignore: see above
    for (; at >= 0; --at) if (sameNullable<T>(unchecked(list[at]), value)) return at;
  } else {
    let at = from < 0 ? max(length + from, 0) : from;
    // @ts-ignore: see above
    for (; at < length; ++at) if (sameNullable<T>(unchecked(list[at]), value)) return at;
  }
  return -1;
}

/** `element.equals(value)`, where a null reference (in a `Nullable<T> | null` list) is no value. */
function sameNullable<T>(element: T, value: T): bool {
  // @ts-ignore: T is a Nullable<T> here
  if (changetype<usize>(element) == 0) return changetype<usize>(value) == 0 || !changetype<NonNullable<T>>(value).hasValue;
  // @ts-ignore: see above
  return changetype<NonNullable<T>>(element).equals(value);
}

/** The operations of the seed's dictionary-like wrapper. */
export abstract class DictionaryReferenceBase extends TrackedReference {
  abstract keys(): ArrayBuffer;
  abstract has(key: string): bool;
  abstract get(key: string): ArrayBuffer;
  abstract set(key: string, value: ArrayBuffer): void;
  abstract delete(key: string): bool;
  abstract copy(): ArrayBuffer;
}

export class DictionaryReference<V> extends DictionaryReferenceBase {
  private constructor(readonly map: Map<string, V>) {
    super();
  }

  static of<V>(map: Map<string, V>): DictionaryReference<V> {
    const existing = existingReference<DictionaryReference<V>>(changetype<usize>(map));
    if (existing) return existing;
    const reference = new DictionaryReference<V>(map);
    reference._id = track(reference, changetype<usize>(map));
    return reference;
  }

  keys(): ArrayBuffer { return encode<Array<string>>(this.map.keys()); }
  has(key: string): bool { return this.map.has(key); }
  get(key: string): ArrayBuffer { return encode<V>(this.map.get(key)); }
  set(key: string, value: ArrayBuffer): void { this.map.set(key, decode<V>(value)); }
  delete(key: string): bool { return this.map.delete(key); }
  copy(): ArrayBuffer { return encode<Map<string, V>>(this.map); }
  __interop_targetClassId(): u32 { return idof<Map<string, V>>(); }
}

function listOf(id: u32): ListReferenceBase {
  return holderAs<ListReferenceBase>(id, "list");
}

function dictionaryOf(id: u32): DictionaryReferenceBase {
  return holderAs<DictionaryReferenceBase>(id, "dictionary");
}

// The host's entry points (re-exported by the generated glue).
export function listLength(id: u32): i32 { return listOf(id).length; }
// `list[i]` and `list[i] = v` are one call each, not two: out of range, get gives null and set
// changes nothing and says false.
export function listGet(id: u32, index: i32): ArrayBuffer | null {
  const list = listOf(id);
  return <u32>index < <u32>list.length ? list.get(index) : null;
}
export function listSet(id: u32, index: i32, value: ArrayBuffer): bool {
  const list = listOf(id);
  if (<u32>index >= <u32>list.length) return false;
  list.set(index, value);
  return true;
}
export function listInsert(id: u32, index: i32, value: ArrayBuffer): void { listOf(id).insert(index, value); }
export function listRemoveAt(id: u32, index: i32): ArrayBuffer { return listOf(id).removeAt(index); }
export function listReverse(id: u32): void { listOf(id).reverse(); }
export function listIndexOf(id: u32, value: ArrayBuffer, from: i32): i32 { return listOf(id).indexOf(value, from); }
export function listLastIndexOf(id: u32, value: ArrayBuffer, from: i32): i32 { return listOf(id).lastIndexOf(value, from); }
export function listCopy(id: u32): ArrayBuffer { return listOf(id).copy(); }
export function listToArray(id: u32): u32 { return listOf(id).toArray(); }
export function dictionaryKeys(id: u32): ArrayBuffer { return dictionaryOf(id).keys(); }
export function dictionaryHas(id: u32, key: string): bool { return dictionaryOf(id).has(key); }
/** The value under `key` encoded, or null when there is none: JS's `view[key]` in one call. */
export function dictionaryGet(id: u32, key: string): ArrayBuffer | null {
  const dictionary = dictionaryOf(id);
  return dictionary.has(key) ? dictionary.get(key) : null;
}
export function dictionarySet(id: u32, key: string, value: ArrayBuffer): void { dictionaryOf(id).set(key, value); }
export function dictionaryDelete(id: u32, key: string): bool { return dictionaryOf(id).delete(key); }
export function dictionaryCopy(id: u32): ArrayBuffer { return dictionaryOf(id).copy(); }
