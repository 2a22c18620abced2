import { Guid } from "../guid";
import { holderAs } from "../objects";
import { maxDepth } from "../wire/format";
import { newString } from "../wire/copy";
import { OutputBuffer } from "../wire/output";
import { JSObject } from "./object";
import { JSError } from "./runtime";
import { hostReleaseUnused } from "./imports";

/**
 * The tagged (self-describing) format of values in calls to JavaScript, whose functions have no
 * signature the compiler could read. The host's half is host/js/tagged.ts; the tags must match.
 *
 *   0 undefined  1 null  2 false  3 true  4 f64  5 i64 (beyond ±2^53)  6 string (u32 + UTF-16)
 *   7 array (u32 count, values)  8 object (u32 count, then u32 + UTF-16 key and value per entry)
 *   9 Date (f64 ms)  10 bytes (u32 length, bytes)  11 DotNetObjectReference (u32 class id, u32 id)
 *   12 JS object handle (u32 id)  13 error (name, message, stack as tagged strings)
 *   14 u64 beyond i64  15 list or dictionary reference (u32 class id of the reference, u32 id):
 *   JS gets the live view
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
      // 64-bit integers beyond ±2^53 go as BigInts (unsigned ones above i64's range too), exactly.
      const unsafe = sizeof<T>() == 8 && isInteger<T>() &&
        (isSigned<T>() ? <i64>value > 9007199254740991 || <i64>value < -9007199254740991 : <u64>value > 9007199254740991);
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
    if (isString<T>()) {
      this.u8(Tag.String);
      this.string(changetype<string>(value));
    } else if (idof<T>() == idof<Date>()) {
      this.u8(Tag.Date);
      this.number<f64>(<f64>changetype<Date>(value).getTime());
    } else if (idof<T>() == idof<Guid>()) {
      this.u8(Tag.String);
      this.string(changetype<Guid>(value).toString());
    } else if (idof<T>() == idof<JSObject>()) {
      this.u8(Tag.JSObject);
      this.number<u32>(changetype<JSObject>(value).id);
      // @ts-ignore: only list and dictionary references have this method
    } else if (isDefined(value.__interop_collection)) {
      this.u8(Tag.Collection);
      this.number<u32>(idof<T>());
      // @ts-ignore: see above
      this.number<u32>(value.id);
      // @ts-ignore: only references (TrackedReference) have this method
    } else if (isDefined(value.__interop_reference)) {
      this.u8(Tag.DotNetObject);
      // @ts-ignore: see above
      this.number<u32>(value.__interop_targetClassId());
      // @ts-ignore: see above
      this.number<u32>(value.id);
      // @ts-ignore: the transform gives every @dataMember class this method
    } else if (isDefined(value.__interop_writeTagged)) {
      this.u8(Tag.Object);
      // @ts-ignore: see above
      value.__interop_writeTagged(this);
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
    this.need(1);
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
          abandonValue();
          throw new RangeError(`JavaScript returned a BigInt that does not fit ${nameof<T>()}.`);
        }
        return value;
      }
      if (tag != Tag.Number) return this.mismatch<T>(tag, "a number");
      const value = this.number<f64>();
      if (isInteger<T>()) {
        const integer = <T>value;
        if (<f64>integer != value) {
          abandonValue();
          throw new RangeError(`JavaScript returned ${value}, which is not a ${nameof<T>()}.`);
        }
        return integer;
      }
      return <T>value;
    }
    if (tag == Tag.Null || tag == Tag.Undefined) {
      if (isNullable<T>()) return changetype<T>(0);
      return this.mismatch<T>(tag, `a ${nameof<T>()} (it is not nullable)`);
    }
    return this.reference<NonNullable<T>>(tag);
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
    // @ts-ignore: only references (TrackedReference) have this method
    if (isDefined(changetype<T>(0).__interop_reference)) {
      // @ts-ignore: only list and dictionary references have this method
      if (isDefined(changetype<T>(0).__interop_collection)) {
        if (tag != Tag.Collection) return this.mismatch<T>(tag, "a list or dictionary view");
      } else if (tag != Tag.DotNetObject) return this.mismatch<T>(tag, "a DotNetObjectReference");
      this.number<u32>();
      return holderAs<T>(this.number<u32>());
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
      const from = this.take(<usize>length);
      const bytes = new Uint8Array(<i32>length);
      memory.copy(bytes.dataStart, from, <usize>length);
      return changetype<T>(bytes);
    }
    if (isArray<T>() || isArrayLike<T>()) {
      if (tag != Tag.Array) return this.mismatch<T>(tag, "an array");
      const count = this.number<u32>();
      this.need(<usize>count);
      const list = instantiate<T>(<i32>count);
      for (let i: i32 = 0; i < <i32>count; ++i) unchecked((list[i] = this.read<valueof<T>>()));
      return list;
    }
    // @ts-ignore: only maps have both (checked before valueof<T> is ever compiled)
    if (isDefined(changetype<T>(0).keys) && isDefined(changetype<T>(0).set) && idof<T>() == idof<Map<string, valueof<T>>>()) {
      if (tag != Tag.Object) return this.mismatch<T>(tag, "an object");
      const map = instantiate<T>();
      const count = this.number<u32>();
      this.need(<usize>count * 5);
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
    const tag = this.tag();
    switch (tag) {
      case Tag.Number: case Tag.BigInt: case Tag.BigUint: case Tag.Date: this.take(8); break;
      case Tag.String: this.string(); break;
      case Tag.Bytes: this.take(<usize>this.number<u32>()); break;
      case Tag.DotNetObject: case Tag.Collection: this.take(8); break;
      // A handle nobody will hold: give it back, or the host would keep the object forever.
      case Tag.JSObject: hostReleaseUnused(this.number<u32>()); break;
      case Tag.Array: { const n = this.number<u32>(); for (let i: u32 = 0; i < n; ++i) this.skip(); break; }
      case Tag.Object: { const n = this.number<u32>(); for (let i: u32 = 0; i < n; ++i) { this.string(); this.skip(); } break; }
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

  private mismatch<T>(tag: Tag, expected: string): T {
    abandonValue();
    throw new TypeError(`JavaScript returned ${describeTag(tag)} where managed code expects ${expected}.`);
  }

  private tag(): Tag {
    return <Tag>this.number<u8>();
  }

  private string(): string {
    const bytes = <usize>this.number<u32>() << 1;
    return newString(this.take(bytes), bytes);
  }

  private number<N>(): N {
    return load<N>(this.take(sizeof<N>()));
  }

  private take(bytes: usize): usize {
    const at = this.position;
    if (bytes > this.end - at) tooShort();
    this.position = at + bytes;
    return at;
  }

  private need(bytes: usize): void {
    if (bytes > this.end - this.position) tooShort();
  }
}

/**
 * The value being read cannot become a managed one: the host releases the JS objects it
 * registered for it (they would otherwise stay held for good).
 */
function abandonValue(): void {
  hostReleaseUnused(0);
}

function tooShort(): void {
  abandonValue();
  throw new Error("as-interop: a value from JavaScript ends too early");
}

const reader = changetype<TaggedReader>(memory.data(offsetof<TaggedReader>()));

/** Reads the tagged value in `buffer` (from the host) as a `T`, and gives the buffer back. */
export function readTagged<T>(buffer: ArrayBuffer): T {
  const outerPosition = reader.position;
  const outerEnd = reader.end;
  begin(buffer);
  const value = reader.read<T>();
  end(buffer, outerPosition, outerEnd);
  return value;
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
  if (size < sizeof<u32>()) tooShort();
  reader.position = start + sizeof<u32>();
  reader.end = start + size;
}

function end(buffer: ArrayBuffer, outerPosition: usize, outerEnd: usize): void {
  // Read: the host may lend this buffer again.
  store<u32>(changetype<usize>(buffer), 0);
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
