import { Guid } from "./guid";
import { JSObject } from "./js/object";
import { JSStreamReference } from "./js/stream-reference";
import { holderAs } from "./objects";
import { DotNetObjectReference, existingReference, referencedObject, TrackedReference } from "./reference";
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
 * through the exports at the bottom, which dispatch to the generic subclasses. Elements that are
 * numbers or bool the host reads and writes in place instead (it learns where with `listTarget`),
 * and elements that are objects of a class without `@dataMember` fields cross by reference, as a
 * `DotNetObjectReference` to each (to each as an object of its own class, which may derive from the
 * element type: see `referenceTo`).
 *
 * A read-only reference (`readOnlyOf`, what a `readonly` scriptable member's view is made of)
 * refuses every change, here and in JavaScript.
 */
/** The list operations of the HTML Bridge's array-like wrapper; indices are checked by the host. */
export abstract class ListReferenceBase extends TrackedReference {
  constructor(readonly readOnly: bool) {
    super();
  }

  abstract get length(): i32;
  /** Where the managed list itself is (an `Array` or a `StaticArray`), for direct access. */
  abstract get target(): usize;
  abstract get(index: i32): ArrayBuffer;
  abstract set(index: i32, value: ArrayBuffer): void;
  abstract insert(index: i32, value: ArrayBuffer): void;
  /** Removes `count` elements from `index` (JS read them first: see host/refs/collections.ts). */
  abstract remove(index: i32, count: i32): void;
  abstract reverse(): void;
  abstract indexOf(value: ArrayBuffer, from: i32): i32;
  abstract lastIndexOf(value: ArrayBuffer, from: i32): i32;
  /** A copy of the whole list, encoded. */
  abstract copy(): ArrayBuffer;
  /** The HTML Bridge's `toArray()`: a new managed array (by reference) for a list, 0 (null) for an array. */
  abstract toArray(): u32;

  /** Marks a collection for the tagged format of calls into JavaScript, which passes it as a view. */
  __interop_collection(): void {}
}

export class ListReference<T> extends ListReferenceBase {
  private constructor(readonly list: Array<T>, readOnly: bool) {
    super(readOnly);
  }

  /** A live reference to `list`; the same list always gets the same reference. */
  static of<T>(list: Array<T>): ListReference<T> {
    return ListReference.tracked<T>(list, false);
  }

  /** A reference through which JavaScript can read `list` but not change it. */
  static readOnlyOf<T>(list: Array<T>): ListReference<T> {
    return ListReference.tracked<T>(list, true);
  }

  private static tracked<T>(list: Array<T>, readOnly: bool): ListReference<T> {
    const key = trackingKey(changetype<usize>(list), readOnly);
    const existing = existingReference<ListReference<T>>(key);
    if (existing) return existing;
    const reference = new ListReference<T>(list, readOnly);
    reference.trackAs(key);
    return reference;
  }

  protected typeName(): string { return `ListReference<${nameof<T>()}>`; }

  get length(): i32 { return this.list.length; }
  get target(): usize { return changetype<usize>(this.list); }
  get(index: i32): ArrayBuffer { return encodeElement<T>(this.list[index]); }
  set(index: i32, value: ArrayBuffer): void { this.list[index] = decodeElement<T>(value); }
  insert(index: i32, value: ArrayBuffer): void {
    const element = decodeElement<T>(value);
    const list = this.list;
    list.push(element);
    list.copyWithin(index + 1, index, list.length - 1);
    unchecked((list[index] = element));
  }
  remove(index: i32, count: i32): void {
    this.list.splice(index, count);
  }
  reverse(): void { this.list.reverse(); }
  indexOf(value: ArrayBuffer, from: i32): i32 { return indexIn<T, Array<T>>(this.list, decodeElement<T>(value), from, false); }
  lastIndexOf(value: ArrayBuffer, from: i32): i32 { return indexIn<T, Array<T>>(this.list, decodeElement<T>(value), from, true); }
  copy(): ArrayBuffer { return encodeElements<Array<T>>(this.list); }
  toArray(): u32 { return FixedListReference.of<T>(StaticArray.fromArray<T>(this.list)).id; }
  __interop_targetClassId(): u32 { return idof<Array<T>>(); }
}

export class FixedListReference<T> extends ListReferenceBase {
  private constructor(readonly list: StaticArray<T>, readOnly: bool) {
    super(readOnly);
  }

  static of<T>(list: StaticArray<T>): FixedListReference<T> {
    return FixedListReference.tracked<T>(list, false);
  }

  /** A reference through which JavaScript can read `list` but not change it. */
  static readOnlyOf<T>(list: StaticArray<T>): FixedListReference<T> {
    return FixedListReference.tracked<T>(list, true);
  }

  private static tracked<T>(list: StaticArray<T>, readOnly: bool): FixedListReference<T> {
    const key = trackingKey(changetype<usize>(list), readOnly);
    const existing = existingReference<FixedListReference<T>>(key);
    if (existing) return existing;
    const reference = new FixedListReference<T>(list, readOnly);
    reference.trackAs(key);
    return reference;
  }

  protected typeName(): string { return `FixedListReference<${nameof<T>()}>`; }

  get length(): i32 { return this.list.length; }
  get target(): usize { return changetype<usize>(this.list); }
  get(index: i32): ArrayBuffer { return encodeElement<T>(this.list[index]); }
  set(index: i32, value: ArrayBuffer): void { this.list[index] = decodeElement<T>(value); }
  insert(_index: i32, _value: ArrayBuffer): void { throw new Error(FIXED_SIZE); }
  remove(_index: i32, _count: i32): void { throw new Error(FIXED_SIZE); }
  reverse(): void { this.list.reverse(); }
  indexOf(value: ArrayBuffer, from: i32): i32 { return indexIn<T, StaticArray<T>>(this.list, decodeElement<T>(value), from, false); }
  lastIndexOf(value: ArrayBuffer, from: i32): i32 { return indexIn<T, StaticArray<T>>(this.list, decodeElement<T>(value), from, true); }
  copy(): ArrayBuffer { return encodeElements<StaticArray<T>>(this.list); }
  toArray(): u32 { return 0; }
  __interop_targetClassId(): u32 { return idof<StaticArray<T>>(); }
}

const FIXED_SIZE = "The list is a fixed-size array; it cannot grow or shrink.";
const READ_ONLY = "The collection is read-only: JavaScript may read it but not change it.";

/**
 * The key a reference is tracked under: the collection's address, or for a read-only reference
 * that address + 1 — which no object has (managed objects are 16-byte aligned) — so the two
 * references to one collection live side by side, each with its own id and its own JS view.
 */
function trackingKey(address: usize, readOnly: bool): usize {
  return address + <usize>readOnly;
}

/**
 * `indexOf` (or `lastIndexOf`, `backwards`) of a list. A `Nullable<T>` element is a value, found
 * by `equals` as .NET's `List<int?>.IndexOf` finds it. An element JS only ever gets copies of
 * (see {@link foundByValue}) is found by its value too, as .NET's `List<T>.IndexOf` finds a
 * struct, a `DateTime` or a `Guid`: the list's own search compares objects, and a copy is never
 * the object. A JS object (`JSObject`, `JSStreamReference`) is found by its handle's id: JS's
 * search finds the object itself, and each time JS passes one, managed code gets a new `JSObject`
 * with the id the host gave that object. Anything else (numbers, strings, references) as the
 * list's own search does.
 */
function indexIn<T, L>(list: L, value: T, from: i32, backwards: bool): i32 {
  // @ts-ignore: only the library's Nullable<T> has this method
  const nullable = isDefined(changetype<NonNullable<T>>(0).__interop_nullable);
  const handle = isJSObject<T>();
  if (!nullable && !handle && !foundByValue<T>()) {
    // @ts-ignore: L is Array<T> or StaticArray<T>
    return backwards ? list.lastIndexOf(value, from) : list.indexOf(value, from);
  }
  // Encoded once, compared with each element encoded the same way.
  const wanted: ArrayBuffer | null = nullable || handle ? null : encode<T>(value);
  // @ts-ignore: see above
  const length = list.length;
  // The same bounds as Array#indexOf and Array#lastIndexOf.
  if (backwards) {
    let at = from < 0 ? length + from : min(from, length - 1);
    // @ts-ignore: see above
    for (; at >= 0; --at) if (sameValue<T>(unchecked(list[at]), value, wanted)) return at;
  } else {
    let at = from < 0 ? max(length + from, 0) : from;
    // @ts-ignore: see above
    for (; at < length; ++at) if (sameValue<T>(unchecked(list[at]), value, wanted)) return at;
  }
  return -1;
}

/**
 * Elements that cross by value as copies of managed objects: `Date`, `Guid`, `@dataMember`
 * structs, arrays, maps and typed arrays (not strings, which compare by value already, nor
 * references, which JS holds as the objects themselves).
 */
// @ts-ignore: decorator
@inline function foundByValue<T>(): bool {
  return (
    isManaged<T>() &&
    !isString<T>() &&
    !isFunction<T>() &&
    !elementByReference<T>() &&
    !isJSObject<T>() &&
    // @ts-ignore: only references (TrackedReference) have this method
    !isDefined(changetype<T>(0).__interop_reference)
  );
}

/** Whether `T` is a JS object's handle (`JSObject`, `JSStreamReference`, nullable or not). */
// @ts-ignore: decorator
@inline function isJSObject<T>(): bool {
  return isManaged<T>() && (idof<NonNullable<T>>() == idof<JSObject>() || idof<NonNullable<T>>() == idof<JSStreamReference>());
}

/**
 * Whether `element` is `value`: by `equals` for a `Nullable<T>`, by id for a JS object's handle,
 * else by its encoding (`wanted`, `value`'s).
 */
function sameValue<T>(element: T, value: T, wanted: ArrayBuffer | null): bool {
  // @ts-ignore: only the library's Nullable<T> has this method (a compile-time branch)
  if (isDefined(changetype<NonNullable<T>>(0).__interop_nullable)) return sameNullable<T>(element, value);
  if (isJSObject<T>()) {
    if (changetype<usize>(element) == 0 || changetype<usize>(value) == 0) return changetype<usize>(element) == changetype<usize>(value);
    return changetype<JSObject>(element).id == changetype<JSObject>(value).id;
  }
  const found = encode<T>(element);
  const expected = wanted!;
  return found.byteLength == expected.byteLength && memory.compare(changetype<usize>(found), changetype<usize>(expected), <usize>found.byteLength) == 0;
}

/** `element.equals(value)`, where a null reference (in a `Nullable<T> | null` list) is no value. */
function sameNullable<T>(element: T, value: T): bool {
  // @ts-ignore: T is a Nullable<T> here
  if (changetype<usize>(element) == 0) return changetype<usize>(value) == 0 || !changetype<NonNullable<T>>(value).hasValue;
  // @ts-ignore: see above
  return changetype<NonNullable<T>>(element).equals(value);
}

/** The operations of the HTML Bridge's dictionary-like wrapper. */
export abstract class DictionaryReferenceBase extends TrackedReference {
  constructor(readonly readOnly: bool) {
    super();
  }

  abstract keys(): ArrayBuffer;
  abstract has(key: string): bool;
  abstract get(key: string): ArrayBuffer;
  abstract set(key: string, value: ArrayBuffer): void;
  abstract delete(key: string): bool;
  abstract copy(): ArrayBuffer;
  /** Numbers and bool: the value under `key` into the scratch slot; false when there is none. */
  abstract read(key: string): bool;
  /** Numbers and bool: sets an existing `key` to the scratch slot's value; false (nothing changed) when there is none. */
  abstract update(key: string): bool;

  /** See ListReferenceBase. */
  __interop_collection(): void {}
}

export class DictionaryReference<V> extends DictionaryReferenceBase {
  private constructor(readonly map: Map<string, V>, readOnly: bool) {
    super(readOnly);
  }

  static of<V>(map: Map<string, V>): DictionaryReference<V> {
    return DictionaryReference.tracked<V>(map, false);
  }

  /** A reference through which JavaScript can read `map` but not change it. */
  static readOnlyOf<V>(map: Map<string, V>): DictionaryReference<V> {
    return DictionaryReference.tracked<V>(map, true);
  }

  private static tracked<V>(map: Map<string, V>, readOnly: bool): DictionaryReference<V> {
    const key = trackingKey(changetype<usize>(map), readOnly);
    const existing = existingReference<DictionaryReference<V>>(key);
    if (existing) return existing;
    const reference = new DictionaryReference<V>(map, readOnly);
    reference.trackAs(key);
    return reference;
  }

  protected typeName(): string { return `DictionaryReference<${nameof<V>()}>`; }

  keys(): ArrayBuffer { return encode<Array<string>>(this.map.keys()); }
  has(key: string): bool { return this.map.has(key); }
  get(key: string): ArrayBuffer { return encodeElement<V>(this.map.get(key)); }
  set(key: string, value: ArrayBuffer): void { this.map.set(key, decodeElement<V>(value)); }
  delete(key: string): bool { return this.map.delete(key); }
  copy(): ArrayBuffer {
    if (elementByReference<V>()) {
      const copy = new Map<string, TrackedReference | null>();
      const keys = this.map.keys();
      for (let i = 0; i < keys.length; ++i) copy.set(unchecked(keys[i]), referenceTo<V>(this.map.get(unchecked(keys[i]))));
      return encode<Map<string, TrackedReference | null>>(copy);
    }
    return encode<Map<string, V>>(this.map);
  }
  read(key: string): bool {
    if (!this.map.has(key)) return false;
    if (isBoolean<V>() || isInteger<V>() || isFloat<V>()) store<V>(SCRATCH, this.map.get(key));
    return true;
  }
  update(key: string): bool {
    // An existing key keeps its stored string: the one passed in (a buffer the host lends) is not kept.
    if (!this.map.has(key)) return false;
    if (isBoolean<V>() || isInteger<V>() || isFloat<V>()) this.map.set(key, load<V>(SCRATCH));
    return true;
  }
  __interop_targetClassId(): u32 { return idof<Map<string, V>>(); }
}

/** Eight bytes through which a dictionary value of a number or bool type crosses without an encoding. */
const SCRATCH: usize = memory.data(8);

/**
 * A class the wire format cannot carry by value — no `@dataMember` fields, and none of the
 * library's or the standard library's marshalable classes — so its objects cross by reference.
 */
// @ts-ignore: decorator
@inline function elementByReference<T>(): bool {
  return (
    isManaged<T>() &&
    !isString<T>() &&
    !isArray<T>() &&
    !isArrayLike<T>() &&
    !isFunction<T>() &&
    idof<NonNullable<T>>() != idof<Date>() &&
    idof<NonNullable<T>>() != idof<Guid>() &&
    !isJSObject<T>() &&
    // @ts-ignore: compile-time checks of what the class has
    !isDefined(changetype<T>(0).__interop_write) && !isDefined(changetype<T>(0).__interop_reference) &&
    // @ts-ignore: see above (Nullable<T> is a value)
    !isDefined(changetype<T>(0).__interop_nullable) &&
    // @ts-ignore: see above (maps)
    !(isDefined(changetype<T>(0).keys) && isDefined(changetype<T>(0).set))
  );
}

/**
 * A reference to `value`, or null: a `DotNetObjectReference` to it as an object of its own class,
 * which may derive from `T` (as a .NET field of a base type may hold an object of a derived one,
 * and the HTML Bridge's wrapper is the object's), and the same one for the same object. The type
 * cannot name that class; the method the transform gives each of the user's classes does.
 */
function referenceTo<T>(value: T): TrackedReference | null {
  if (changetype<usize>(value) == 0) return null;
  // @ts-ignore: the transform gives each of the user's classes this method (host/compiler/glue.ts)
  if (isDefined(changetype<NonNullable<T>>(0).__interop_referenceToSelf)) return changetype<NonNullable<T>>(value).__interop_referenceToSelf();
  return DotNetObjectReference.create<NonNullable<T>>(changetype<NonNullable<T>>(value));
}

/**
 * An element of a by-reference collection, or the value of a `@scriptableMember` (the HTML
 * Bridge's by-reference side), encoded by its row, except that an object of a plain class crosses
 * by reference: as a `DotNetObjectReference` to it, whose class follows its id (wire/format.ts).
 */
export function encodeElement<T>(value: T): ArrayBuffer {
  if (elementByReference<T>()) return encode<TrackedReference | null>(referenceTo<T>(value));
  return encode<T>(value);
}

/**
 * What {@link encodeElement} encodes, decoded: for a plain class, the object the reference JS gave
 * is to, which must be a `T` (of `T`'s class or of one derived from it; the host checked it first),
 * whatever class the reference was made for.
 */
export function decodeElement<T>(buffer: ArrayBuffer): T {
  if (elementByReference<T>()) {
    const reference = decode<TrackedReference | null>(buffer);
    return changetype<T>(reference ? changetype<usize>(referencedObject<NonNullable<T>>(reference)) : 0);
  }
  return decode<T>(buffer);
}

/** A whole list (an `Array` or a `StaticArray`) encoded, each element as `encodeElement` does it. */
function encodeElements<L>(list: L): ArrayBuffer {
  if (elementByReference<valueof<L>>()) {
    // @ts-ignore: L is a list here
    const count = <i32>list.length;
    const references = new Array<TrackedReference | null>(count);
    // @ts-ignore: see above
    for (let i = 0; i < count; ++i) unchecked((references[i] = referenceTo<valueof<L>>(unchecked(list[i]))));
    return encode<Array<TrackedReference | null>>(references);
  }
  return encode<L>(list);
}

function listOf(id: u32): ListReferenceBase {
  return holderAs<ListReferenceBase>(id, "list");
}

/** A list JavaScript may change: read-only ones refuse (the host refuses first, with its own message). */
function writableList(id: u32): ListReferenceBase {
  const list = listOf(id);
  if (list.readOnly) throw new Error(READ_ONLY);
  return list;
}

function dictionaryOf(id: u32): DictionaryReferenceBase {
  return holderAs<DictionaryReferenceBase>(id, "dictionary");
}

function writableDictionary(id: u32): DictionaryReferenceBase {
  const dictionary = dictionaryOf(id);
  if (dictionary.readOnly) throw new Error(READ_ONLY);
  return dictionary;
}

// The host's entry points (re-exported by the generated glue).
export function listLength(id: u32): i32 { return listOf(id).length; }
export function listTarget(id: u32): usize { return listOf(id).target; }
// `list[i]` and `list[i] = v` are one call each, not two: out of range, get gives null and set
// changes nothing and says false.
export function listGet(id: u32, index: i32): ArrayBuffer | null {
  const list = listOf(id);
  return <u32>index < <u32>list.length ? list.get(index) : null;
}
export function listSet(id: u32, index: i32, value: ArrayBuffer): bool {
  const list = writableList(id);
  if (<u32>index >= <u32>list.length) return false;
  list.set(index, value);
  return true;
}
export function listInsert(id: u32, index: i32, value: ArrayBuffer): void { writableList(id).insert(index, value); }
export function listRemove(id: u32, index: i32, count: i32): void { writableList(id).remove(index, count); }
export function listReverse(id: u32): void { writableList(id).reverse(); }
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
export function dictionarySet(id: u32, key: string, value: ArrayBuffer): void { writableDictionary(id).set(key, value); }
export function dictionaryDelete(id: u32, key: string): bool { return writableDictionary(id).delete(key); }
export function dictionaryCopy(id: u32): ArrayBuffer { return dictionaryOf(id).copy(); }
export function dictionaryRead(id: u32, key: string): bool { return dictionaryOf(id).read(key); }
export function dictionaryUpdate(id: u32, key: string): bool { return writableDictionary(id).update(key); }
/** Host: where the scratch slot of `dictionaryRead` and `dictionaryUpdate` is. */
export function scratch(): usize { return SCRATCH; }
