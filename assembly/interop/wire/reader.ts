import { Guid } from "../guid";
import { holderAs } from "../objects";
import { JSObject } from "../js/object";
import { streamReferenceOf, JSStreamReference } from "../js/stream-reference";
import { OBJECT, TOTAL_OVERHEAD } from "~lib/rt/common";
import { newString } from "./copy";
import { FLAG_PRESERVE, TAG_NULL, TAG_REFERENCE, TAG_VALUE, cycleMessage, maxDepth, preserveReferences } from "./format";

/**
 * Decodes what the host encoded; every read is bounds-checked, so bad input aborts cleanly.
 *
 * Unmanaged, and one for all decoding (see `decode`): the collector never needs to see it, so
 * code holding it keeps no shadow-stack copy. A managed reader was stored to the shadow stack
 * around every allocation of every decoded value, and that was a tenth of decoding 100k structs.
 */
@unmanaged @final
export class Reader {
  position: usize = 0;
  end: usize = 0;
  depth: i32 = 0;

  read<T>(): T {
    if (isBoolean<T>()) return <T>(this.number<u8>() != 0);
    if (isInteger<T>() || isFloat<T>()) return this.number<T>();
    // @ts-ignore: only the library's Nullable<T> has this method
    if (isDefined(changetype<NonNullable<T>>(0).__interop_nullable)) return changetype<T>(this.nullable<NonNullable<T>>());
    const tag = this.number<u8>();
    if (tag != TAG_VALUE) return changetype<T>(this.notAValue(tag, isNullable<T>(), nameof<T>(), idof<NonNullable<T>>()));
    if (++this.depth > maxDepth) throw new Error(cycleMessage());
    const value = this.value<NonNullable<T>>();
    --this.depth;
    return value;
  }

  /** A `Nullable<T>`: null is one without a value (never the null reference); it has no identity to share. */
  private nullable<N>(): N {
    const tag = this.number<u8>();
    const nullable = instantiate<N>();
    // @ts-ignore: N is a Nullable<T> here
    if (tag == TAG_VALUE) nullable.__interop_readValue<Reader>(this);
    else if (tag != TAG_NULL) throw new Error("as-interop: bad tag in input");
    return nullable;
  }

  /**
   * A reference that is not a value: null, or a back-reference, or bad input. Apart from `read`,
   * whose every call site then needs less stack for its locals.
   */
  private notAValue(tag: u8, nullable: bool, type: string, classId: u32): usize {
    if (tag == TAG_NULL) {
      if (nullable) return 0;
      throw new TypeError(`as-interop: null where ${type} is not nullable`);
    }
    if (tag != TAG_REFERENCE) throw new Error("as-interop: bad tag in input");
    const id = this.number<u32>();
    const decoded = seen;
    if (!decoded || id >= <u32>decoded.length) throw new Error("as-interop: bad back-reference in input");
    const value = unchecked(decoded[id]);
    // Of the class expected here, exactly as the host shares values: input made by hand could name another.
    if (changetype<OBJECT>(value - TOTAL_OVERHEAD).rtId != classId) throw new Error("as-interop: bad back-reference in input");
    return value;
  }

  /** Reads a non-null reference's payload. Branches are compile-time: only T's is compiled. */
  private value<T>(): T {
    if (isString<T>()) return changetype<T>(this.string());
    if (idof<T>() == idof<Date>()) return changetype<T>(new Date(<i64>this.number<f64>()));
    if (idof<T>() == idof<Guid>()) {
      const high = this.number<u64>();
      return changetype<T>(new Guid(high, this.number<u64>()));
    }
    if (idof<T>() == idof<JSObject>()) return changetype<T>(new JSObject(this.number<u32>()));
    if (idof<T>() == idof<JSStreamReference>()) {
      const stream = streamReferenceOf(this.number<u32>());
      // The host checked that it is stream data when it encoded it.
      if (!stream) throw new TypeError("as-interop: a JSStreamReference that is not stream data");
      return changetype<T>(stream);
    }
    // @ts-ignore: only references (TrackedReference) have this method
    if (isDefined(changetype<T>(0).__interop_reference)) {
      return holderAs<T>(this.number<u32>());
    }
    // @ts-ignore: the transform gives every @dataMember class this method
    if (isDefined(changetype<T>(0).__interop_read)) {
      const object = instantiate<T>();
      this.track(changetype<usize>(object));
      // @ts-ignore: see above
      object.__interop_read(this);
      return object;
    }
    if (isArray<T>() || isArrayLike<T>()) {
      const isElementList = isArray<T>() || idof<T>() == idof<StaticArray<valueof<T>>>();
      const count = isElementList ? this.number<u32>() : this.number<u32>() >>> alignof<valueof<T>>();
      // Every element takes at least a byte: refuse a count the input cannot hold before allocating.
      const least: usize = isElementList && (isInteger<valueof<T>>() || isFloat<valueof<T>>()) ? sizeof<valueof<T>>() : 1;
      if (<usize>count * least > this.end - this.position) throw new Error("as-interop: input ends too early");
      const list = instantiate<T>(<i32>count);
      this.track(changetype<usize>(list));
      if (!isBoolean<valueof<T>>() && (isInteger<valueof<T>>() || isFloat<valueof<T>>())) {
        // Plain numbers: one copy.
        const bytes = <usize>count << alignof<valueof<T>>();
        const target = isArray<T>() || !isElementList ? load<usize>(changetype<usize>(list), 4) : changetype<usize>(list);
        memory.copy(target, this.take(bytes), bytes);
      } else {
        for (let i: i32 = 0; i < <i32>count; ++i) unchecked((list[i] = this.read<valueof<T>>()));
      }
      return list;
    }
    // Only string keys cross; the transform reports any other at the annotation.
    // @ts-ignore: only maps have both (checked before valueof<T> is ever compiled)
    if (isDefined(changetype<T>(0).keys) && isDefined(changetype<T>(0).set) && idof<T>() == idof<Map<string, valueof<T>>>()) {
      const map = instantiate<T>();
      this.track(changetype<usize>(map));
      const count = this.number<u32>();
      if (<usize>count * 5 > this.end - this.position) throw new Error("as-interop: input ends too early");
      for (let i: u32 = 0; i < count; ++i) {
        const key = this.string();
        // @ts-ignore: T is a Map<string, V> here
        map.set(key, this.read<valueof<T>>());
      }
      return map;
    }
    // Unreachable for the types the transform accepts; it reports the others where they are written.
    throw new TypeError(`as-interop cannot decode a ${nameof<T>()}`);
  }

  @inline private track(pointer: usize): void {
    const decoded = seen;
    if (decoded) decoded.push(pointer);
  }

  private string(): string {
    const bytes = <usize>this.number<u32>() << 1;
    return newString(this.take(bytes), bytes);
  }

  @inline private number<T>(): T {
    return load<T>(this.take(sizeof<T>()));
  }

  /** A number at `offset` in the bytes `take` returned (for the generated `__interop_read`). */
  @inline loadAt<T>(start: usize, offset: usize): T {
    return load<T>(start + offset);
  }

  /** Consumes `bytes` bytes and returns where they start (public for the generated `__interop_read`). */
  @inline take(bytes: usize): usize {
    const at = this.position;
    if (bytes > this.end - at) throw new Error("as-interop: input ends too early");
    this.position = at + bytes;
    return at;
  }
}

const reader = changetype<Reader>(memory.data(offsetof<Reader>()));
/**
 * The current decode's arrays, maps and class instances, by id: only with FLAG_PRESERVE. A global,
 * so that the collector sees it (it cannot see into the unmanaged reader).
 */
let seen: Array<usize> | null = null;

/**
 * Decodes one value from `buffer`. Decoding can nest: a decoded class's constructor may call
 * JavaScript, which may call back in with a value of its own. So the outer decode's state is
 * put aside and restored, and each decode has its own back-reference list.
 */
export function decode<T>(buffer: ArrayBuffer): T {
  const outerPosition = reader.position;
  const outerEnd = reader.end;
  const outerDepth = reader.depth;
  const outerSeen = seen;
  reader.position = changetype<usize>(buffer);
  reader.end = reader.position + <usize>buffer.byteLength;
  reader.depth = 0;
  // Back-references only where the assembly allows them, whatever the input claims.
  const preserve = (reader.read<u8>() & FLAG_PRESERVE) != 0 && preserveReferences;
  seen = preserve ? new Array<usize>() : null;
  const value = reader.read<T>();
  reader.position = outerPosition;
  reader.end = outerEnd;
  reader.depth = outerDepth;
  seen = outerSeen;
  return value;
}
