import { Guid } from "../guid";
import { holderAs, holderIs } from "../objects";
import { int64AsBigInt, maxDepth } from "../wire/format";
import { newString } from "../wire/copy";
import { OutputBuffer } from "../wire/output";
import { JSObject } from "./object";
import { JSError, JSResult } from "./runtime";
import { zero } from "../task";
import { JSStreamReference, streamReferenceOf } from "./stream-reference";
import { hostReleaseUnused } from "./imports";
import { functionClassOf, trackFunction } from "../delegates";

/**
 * The tagged (self-describing) format of values in calls to JavaScript, whose functions have no
 * signature the compiler could read. The host's half is host/js/tagged.ts; the tags must match.
 *
 *   0 undefined  1 null  2 false  3 true  4 f64  5 i64 (beyond ±2^53)  6 string (u32 + UTF-16)
 *   7 array (u32 count, values)  8 object (u32 count, then u32 + UTF-16 key and value per entry)
 *   9 Date (f64 ms)  10 bytes (u32 length, bytes)  11 DotNetObjectReference (u32 class id, u32 id)
 *   12 JS object handle (u32 id)  13 error (name, message, stack as tagged strings)
 *   14 u64 beyond i64  15 list or dictionary reference (u32 class id of the reference, u32 id):
 *   JS gets the live view  16 managed function (u32 class id of its function type, u32 id): JS
 *   gets a function that calls it (the compiler describes each such type in the manifest)
 */
export const enum Tag {
  Undefined = 0,
  Null = 1,
  False = 2,
  True = 3,
  Number = 4,
  BigInt = 5,
  String = 6,
  Array = 7,
  Object = 8,
  Date = 9,
  Bytes = 10,
  DotNetObject = 11,
  JSObject = 12,
  Error = 13,
  /** A u64 above i64's range (the bits as i64). */
  BigUint = 14,
  Collection = 15,
  Delegate = 16,
}

export class TaggedWriter extends OutputBuffer {
  private depth: i32 = 0;

  /** `capacity` 0: a subclass gives room of its own (JSArgs). */
  constructor(capacity: i32 = 64) {
    super(capacity);
  }

  write<T>(value: T): void {
    if (isBoolean<T>()) {
      this.u8(value ? Tag.True : Tag.False);
    } else if (isInteger<T>() || isFloat<T>()) {
      // 64-bit integers go as BigInts when the assembly asked for them ({ int64: "bigint" }), and
      // beyond ±2^53 always (the host refuses those as numbers), exactly.
      const unsafe = sizeof<T>() == 8 && isInteger<T>() && (int64AsBigInt ||
        (isSigned<T>() ? <i64>value > 9007199254740991 || <i64>value < -9007199254740991 : <u64>value > 9007199254740991));
      // The tag and the value after one reservation.
      const at = this.reserve(9);
      if (unsafe) {
        store<u8>(at, isSigned<T>() ? Tag.BigInt : Tag.BigUint);
        store<i64>(at, <i64>value, 1);
      } else {
        store<u8>(at, Tag.Number);
        store<f64>(at, <f64>value, 1);
      }
    } else if (changetype<usize>(value) == 0) {
      this.u8(Tag.Null);
    } else {
      if (++this.depth > maxDepth) throw new Error(`A value passed to JavaScript is nested deeper than ${maxDepth}.`);
      this.reference<NonNullable<T>>(changetype<NonNullable<T>>(value));
      --this.depth;
    }
  }

  private reference<T>(value: T): void {
    if (isFunction<T>()) {
      // A managed function (the HTML Bridge's delegate): its type says how JS calls it.
      this.u8(Tag.Delegate);
      // The class of the function object itself, as the compiler numbered it for the manifest.
      this.number<u32>(functionClassOf<T>(value));
      this.number<u32>(trackFunction<T>(value));
      // @ts-ignore: only the library's Nullable<T> has this method
    } else if (isDefined(value.__interop_nullable)) {
      // A Nullable<T> is its value, or null.
      // @ts-ignore: see above
      if (value.hasValue) value.__interop_writeValue<TaggedWriter>(this);
      else this.u8(Tag.Null);
    } else if (isString<T>()) {
      this.u8(Tag.String);
      this.string(changetype<string>(value));
    } else if (idof<T>() == idof<Date>()) {
      this.u8(Tag.Date);
      this.number<f64>(<f64>changetype<Date>(value).getTime());
    } else if (idof<T>() == idof<Guid>()) {
      this.u8(Tag.String);
      this.string(changetype<Guid>(value).toString());
    } else if (idof<T>() == idof<JSObject>() || idof<T>() == idof<JSStreamReference>()) {
      this.u8(Tag.JSObject);
      this.number<u32>(changetype<JSObject>(value).id);
      // @ts-ignore: only list and dictionary references have this method
    } else if (isDefined(value.__interop_collection)) {
      this.u8(Tag.Collection);
      this.number<u32>(idof<T>());
      // @ts-ignore: see above (tracked again if JS let go of it: see TrackedReference)
      this.number<u32>(value.__interop_handOut());
      // @ts-ignore: only references (TrackedReference) have this method
    } else if (isDefined(value.__interop_reference)) {
      this.u8(Tag.DotNetObject);
      // @ts-ignore: see above
      this.number<u32>(value.__interop_targetClassId());
      // @ts-ignore: see above (tracked again if JS let go of it: see TrackedReference)
      this.number<u32>(value.__interop_handOut());
      // @ts-ignore: the transform gives every @dataMember class this method
    } else if (isDefined(value.__interop_writeTagged)) {
      this.u8(Tag.Object);
      // @ts-ignore: see above (as a T, whatever class it is at run time: see host/compiler/data-classes.ts)
      value.__interop_writeTagged(this, idof<T>());
    } else if (idof<T>() == idof<Uint8Array>()) {
      const bytes = changetype<Uint8Array>(value);
      this.u8(Tag.Bytes);
      this.number<u32>(<u32>bytes.length);
      memory.copy(this.reserve(<usize>bytes.length), bytes.dataStart, <usize>bytes.length);
    } else if (isArray<T>() || isArrayLike<T>()) {
      this.u8(Tag.Array);
      // @ts-ignore: T is array-like here
      const count = <i32>value.length;
      this.number<u32>(<u32>count);
      // @ts-ignore: T is array-like here
      for (let i = 0; i < count; ++i) this.write<valueof<T>>(unchecked(value[i]));
    } else // @ts-ignore: only maps have both (checked before valueof<T> is ever compiled)
    if (isDefined(changetype<T>(0).keys) && isDefined(changetype<T>(0).set) && idof<T>() == idof<Map<string, valueof<T>>>()) {
      const map = changetype<Map<string, valueof<T>>>(value);
      const keys = map.keys();
      const values = map.values();
      this.u8(Tag.Object);
      this.number<u32>(<u32>keys.length);
      for (let i = 0; i < keys.length; ++i) {
        this.string(unchecked(keys[i]));
        this.write<valueof<T>>(unchecked(values[i]));
      }
    } else {
      throw new TypeError(`as-interop cannot pass a ${nameof<T>()} to JavaScript`);
    }
  }

  /** Keeps 4 bytes after the header for an argument count (see JSArgs). */
  reserveCount(): void {
    this.reserve(4);
  }

  /** For generated struct members: the property count, then `key` + value pairs. */
  beginObject(count: i32): void {
    this.number<u32>(<u32>count);
  }

  key(name: string): void {
    this.string(name);
  }

  private u8(value: i32): void {
    this.number<u8>(<u8>value);
  }
}

/**
 * Reads a tagged value the host wrote into the static type `T`, refusing what does not fit.
 *
 * The host writes each value as `[u32 in use][tagged value]` (host/marshal/heap.ts
 * `reserveResult`): usually into one buffer it lends again and again, whose first word this
 * reader clears once the value is read. Unmanaged, and one for all reading, like the wire
 * `Reader`: reading nests (a constructor may call JS), so `readTagged` puts the outer state aside.
 */
@unmanaged @final
export class TaggedReader {
  position: usize = 0;
  end: usize = 0;

  peekTag(): Tag {
    if (!this.need(1)) return Tag.Undefined;
    return <Tag>load<u8>(this.position);
  }

  read<T>(): T {
    const tag = this.tag();
    if (isBoolean<T>()) {
      if (tag == Tag.True) return <T>true;
      if (tag == Tag.False) return <T>false;
      return this.mismatch<T>(tag, "a boolean");
    }
    if (isInteger<T>() || isFloat<T>()) {
      if (tag == Tag.BigInt || tag == Tag.BigUint) {
        const bits = this.number<i64>();
        if (isFloat<T>()) return <T>(tag == Tag.BigUint ? <f64><u64>bits : <f64>bits);
        // Exact or refused: read back at T's width, it must be the same number (and the same sign).
        const value = <T>bits;
        const signed = tag == Tag.BigInt;
        if (<i64>value != bits || (isSigned<T>() && !signed && bits < 0) || (!isSigned<T>() && signed && bits < 0)) {
          return fail<T>(RANGE_ERROR, `JavaScript returned a BigInt that does not fit ${nameof<T>()}.`);
        }
        return value;
      }
      if (tag != Tag.Number) return this.mismatch<T>(tag, "a number");
      return numberAs<T>(this.number<f64>());
    }
    // @ts-ignore: only the library's Nullable<T> has this method
    if (isDefined(changetype<NonNullable<T>>(0).__interop_nullable)) return changetype<T>(this.nullable<NonNullable<T>>(tag));
    if (tag == Tag.Null || tag == Tag.Undefined) {
      if (isNullable<T>()) return changetype<T>(0);
      return this.mismatch<T>(tag, `a ${nameof<T>()} (it is not nullable)`);
    }
    return this.reference<NonNullable<T>>(tag);
  }

  /** A `Nullable<T>`: null and undefined are one without a value; anything else is read as a T. */
  private nullable<N>(tag: Tag): N {
    const nullable = instantiate<N>();
    if (tag != Tag.Null && tag != Tag.Undefined) {
      --this.position; // the T reads its own tag
      // @ts-ignore: N is a Nullable<T> here
      nullable.__interop_readValue<TaggedReader>(this);
    }
    return nullable;
  }

  private reference<T>(tag: Tag): T {
    if (isString<T>()) {
      if (tag != Tag.String) return this.mismatch<T>(tag, "a string");
      return changetype<T>(this.string());
    }
    if (idof<T>() == idof<Date>()) {
      if (tag != Tag.Date) return this.mismatch<T>(tag, "a Date");
      return changetype<T>(new Date(<i64>this.number<f64>()));
    }
    if (idof<T>() == idof<JSObject>()) {
      if (tag != Tag.JSObject) return this.mismatch<T>(tag, "a JS object");
      return changetype<T>(new JSObject(this.number<u32>()));
    }
    if (idof<T>() == idof<JSStreamReference>()) {
      const expected = "a Blob, an ArrayBuffer or a typed array (a JSStreamReference)";
      if (tag != Tag.JSObject) return this.mismatch<T>(tag, expected);
      // The host says whether the handle is stream data, and how long; its id is read already.
      const stream = streamReferenceOf(this.number<u32>());
      if (!stream) return fail<T>(TYPE_ERROR, `JavaScript returned ${describeTag(tag)} where managed code expects ${expected}.`);
      return changetype<T>(stream);
    }
    // @ts-ignore: only references (TrackedReference) have this method
    if (isDefined(changetype<T>(0).__interop_reference)) {
      // @ts-ignore: only list and dictionary references have this method
      if (isDefined(changetype<T>(0).__interop_collection)) {
        if (tag != Tag.Collection) return this.mismatch<T>(tag, "a list or dictionary view");
      } else if (tag != Tag.DotNetObject) return this.mismatch<T>(tag, "a DotNetObjectReference");
      this.number<u32>();
      const id = this.number<u32>();
      if (softly && !holderIs<T>(id)) return fail<T>(TYPE_ERROR, `JavaScript returned a DotNetObjectReference that is not a ${nameof<T>()} this assembly holds.`);
      return holderAs<T>(id);
    }
    // @ts-ignore: the transform gives every @dataMember class this method
    if (isDefined(changetype<T>(0).__interop_readTagged)) {
      if (tag != Tag.Object) return this.mismatch<T>(tag, `an object for ${nameof<T>()}`);
      const object = instantiate<T>();
      const count = this.number<u32>();
      for (let i: u32 = 0; i < count; ++i) {
        const key = this.string();
        // @ts-ignore: see above
        if (!object.__interop_readTagged(this, key)) this.skip();
      }
      return object;
    }
    if (idof<T>() == idof<Uint8Array>()) {
      if (tag != Tag.Bytes) return this.mismatch<T>(tag, "bytes (a Uint8Array)");
      const length = this.number<u32>();
      // Taken before allocating: a length the input cannot hold is refused first.
      if (!this.need(<usize>length)) return changetype<T>(0);
      const from = this.take(<usize>length);
      const bytes = new Uint8Array(<i32>length);
      memory.copy(bytes.dataStart, from, <usize>length);
      return changetype<T>(bytes);
    }
    if (isArray<T>() || isArrayLike<T>()) {
      if (tag != Tag.Array) return this.mismatch<T>(tag, "an array");
      const count = this.number<u32>();
      if (!this.need(<usize>count)) return changetype<T>(0);
      const list = instantiate<T>(<i32>count);
      for (let i: i32 = 0; i < <i32>count; ++i) unchecked((list[i] = this.read<valueof<T>>()));
      return list;
    }
    // @ts-ignore: only maps have both (checked before valueof<T> is ever compiled)
    if (isDefined(changetype<T>(0).keys) && isDefined(changetype<T>(0).set) && idof<T>() == idof<Map<string, valueof<T>>>()) {
      if (tag != Tag.Object) return this.mismatch<T>(tag, "an object");
      const map = instantiate<T>();
      const count = this.number<u32>();
      if (!this.need(<usize>count * 5)) return changetype<T>(0);
      for (let i: u32 = 0; i < count; ++i) {
        const key = this.string();
        // @ts-ignore: T is a Map<string, V> here
        map.set(key, this.read<valueof<T>>());
      }
      return map;
    }
    throw new TypeError(`as-interop cannot read a ${nameof<T>()} from JavaScript`);
  }

  /** Skips one value (an object property the class does not have). */
  private skip(): void {
    this.skipPayload(this.tag());
  }

  /** Skips the rest of a value whose tag was read. */
  private skipPayload(tag: Tag): void {
    switch (tag) {
      case Tag.Number: case Tag.BigInt: case Tag.BigUint: case Tag.Date: this.take(8); break;
      case Tag.String: this.string(); break;
      case Tag.Bytes: { const n = <usize>this.number<u32>(); if (this.need(n)) this.take(n); break; }
      case Tag.DotNetObject: case Tag.Collection: case Tag.Delegate: this.take(8); break;
      // A handle nobody will hold: give it back, or the host would keep the object forever.
      case Tag.JSObject: hostReleaseUnused(this.number<u32>()); break;
      case Tag.Array: { const n = this.number<u32>(); for (let i: u32 = 0; i < n && this.position < this.end; ++i) this.skip(); break; }
      case Tag.Object: { const n = this.number<u32>(); for (let i: u32 = 0; i < n && this.position < this.end; ++i) { this.string(); this.skip(); } break; }
      case Tag.Error: this.skip(); this.skip(); this.skip(); break;
      default: break;
    }
  }

  /** A JS error the host encoded (host/js/tagged.ts `encodeError`): its name, message and stack. */
  error(): JSError {
    this.take(1);
    const name = this.text();
    const message = this.text();
    return new JSError(name, message, this.text());
  }

  /** A tagged string, or "" for anything else (an error's parts). */
  private text(): string {
    const tag = this.tag();
    if (tag != Tag.String) return "";
    return this.string();
  }

  /** The value is not what `T` needs: an abort, or in a soft read (`tryReadTagged`) the reason, once its bytes are skipped. */
  private mismatch<T>(tag: Tag, expected: string): T {
    const message = `JavaScript returned ${describeTag(tag)} where managed code expects ${expected}.`;
    if (softly) this.skipPayload(tag);
    return fail<T>(TYPE_ERROR, message);
  }

  private tag(): Tag {
    return <Tag>this.number<u8>();
  }

  private string(): string {
    const bytes = <usize>this.number<u32>() << 1;
    if (!this.need(bytes)) return "";
    return newString(this.take(bytes), bytes);
  }

  private number<N>(): N {
    return load<N>(this.take(sizeof<N>()));
  }

  /** Consumes `bytes` bytes and returns where they are; past the end, a few bytes of nothing (soft). */
  private take(bytes: usize): usize {
    const at = this.position;
    if (bytes > this.end - at) {
      tooShort();
      this.position = this.end;
      return NOTHING;
    }
    this.position = at + bytes;
    return at;
  }

  /** Whether `bytes` more are there (else: an abort, or in a soft read, false). */
  private need(bytes: usize): bool {
    if (bytes <= this.end - this.position) return true;
    tooShort();
    this.position = this.end;
    return false;
  }
}

/** Zeroed bytes a soft read past the end reads from (the largest number it reads at once). */
const NOTHING = memory.data(16);

/** Error names, for the `JSError` a soft read reports. */
const TYPE_ERROR = "TypeError";
const RANGE_ERROR = "RangeError";

/**
 * Whether reading reports what does not fit instead of aborting (`tryReadTagged`), and the first
 * such thing it found. AssemblyScript cannot catch an abort, so a read that must not fail records
 * the reason and reads on, skipping, to the end of the value.
 */
let softly = false;
let softFailure: JSError | null = null;

/** The value does not fit: aborts, or in a soft read records the first reason and gives a zero. */
function fail<T>(name: string, message: string): T {
  if (softly) {
    if (softFailure === null) softFailure = new JSError(name, message, "");
    return zero<T>();
  }
  abandonValue();
  if (name == RANGE_ERROR) throw new RangeError(message);
  throw new TypeError(message);
}

/**
 * The value being read cannot become a managed one: the host releases the JS objects it
 * registered for it (they would otherwise stay held for good).
 */
function abandonValue(): void {
  hostReleaseUnused(0);
}

function tooShort(): void {
  fail<i32>("Error", "as-interop: a value from JavaScript ends too early");
}

const reader = changetype<TaggedReader>(memory.data(offsetof<TaggedReader>()));

/** A JS number as a `T` (an integer or a float type): an integer must be exactly one of `T`'s. */
export function numberAs<T>(value: f64): T {
  if (isInteger<T>()) {
    const integer = <T>value;
    if (<f64>integer != value) return fail<T>(RANGE_ERROR, `JavaScript returned ${value}, which is not a ${nameof<T>()}.`);
    return integer;
  }
  return <T>value;
}

/** Reads the tagged value in `buffer` (from the host) as a `T`, and gives the buffer back. */
export function readTagged<T>(buffer: ArrayBuffer): T {
  const outerPosition = reader.position;
  const outerEnd = reader.end;
  const outerSoftly = softly;
  softly = false;
  begin(buffer);
  const value = reader.read<T>();
  end(buffer, outerPosition, outerEnd);
  softly = outerSoftly;
  return value;
}

/**
 * Reads the tagged value in `buffer` as a `T` without aborting: what does not fit (`null` for a
 * type that is not nullable, a handle where a value was expected, a number out of range) comes
 * back as the `JSError` it would have aborted with. The handles the value brought are released.
 */
export function tryReadTagged<T>(buffer: ArrayBuffer): JSResult<T> {
  const outerPosition = reader.position;
  const outerEnd = reader.end;
  const outerSoftly = softly;
  const outerFailure = softFailure;
  softly = true;
  softFailure = null;
  begin(buffer);
  const value = reader.read<T>();
  end(buffer, outerPosition, outerEnd);
  const failure = softFailure;
  softly = outerSoftly;
  softFailure = outerFailure;
  if (failure) {
    abandonValue();
    return JSResult.failure<T>(failure);
  }
  return JSResult.success<T>(value);
}

/** Reads `buffer` as a JS error (`Tag.Error`) if it is one, else null; gives the buffer back if so. */
export function readTaggedError(buffer: ArrayBuffer): JSError | null {
  const outerPosition = reader.position;
  const outerEnd = reader.end;
  begin(buffer);
  if (reader.peekTag() != Tag.Error) {
    reader.position = outerPosition;
    reader.end = outerEnd;
    return null;
  }
  const error = reader.error();
  end(buffer, outerPosition, outerEnd);
  return error;
}

function begin(buffer: ArrayBuffer): void {
  const start = changetype<usize>(buffer);
  const size = <usize>buffer.byteLength;
  reader.position = start + sizeof<u32>();
  reader.end = start + size;
  if (size < sizeof<u32>()) {
    reader.position = reader.end;
    tooShort();
  }
}

function end(buffer: ArrayBuffer, outerPosition: usize, outerEnd: usize): void {
  // Read: the host may lend this buffer again.
  if (<usize>buffer.byteLength >= sizeof<u32>()) store<u32>(changetype<usize>(buffer), 0);
  reader.position = outerPosition;
  reader.end = outerEnd;
}

function describeTag(tag: Tag): string {
  switch (tag) {
    case Tag.Undefined: return "undefined";
    case Tag.Null: return "null";
    case Tag.False: case Tag.True: return "a boolean";
    case Tag.Number: case Tag.BigInt: case Tag.BigUint: return "a number";
    case Tag.String: return "a string";
    case Tag.Array: return "an array";
    case Tag.Object: return "an object";
    case Tag.Date: return "a Date";
    case Tag.Bytes: return "a Uint8Array";
    case Tag.DotNetObject: return "a DotNetObjectReference";
    case Tag.Collection: return "a list or dictionary view";
    case Tag.JSObject: return "a JS object handle";
    default: return "an error";
  }
}
