import { Guid } from "../guid";
import { holderAs } from "../objects";
import { JSObject } from "../js/object";
import { FLAG_PRESERVE, TAG_NULL, TAG_REFERENCE, TAG_VALUE, cycleMessage, maxDepth, preserveReferences } from "./format";

/** Decodes what the host encoded; every read is bounds-checked, so bad input aborts cleanly. */
export class Reader {
  private position: usize;
  private readonly end: usize;
  private readonly preserve: bool;
  private readonly seen: Array<usize> = [];
  private depth: i32 = 0;

  constructor(buffer: ArrayBuffer) {
    this.position = changetype<usize>(buffer);
    this.end = this.position + <usize>buffer.byteLength;
    // Back-references only where the assembly allows them, whatever the input claims.
    this.preserve = (this.number<u8>() & FLAG_PRESERVE) != 0 && preserveReferences;
  }

  read<T>(): T {
    if (isBoolean<T>()) return <T>(this.number<u8>() != 0);
    if (isInteger<T>() || isFloat<T>()) return this.number<T>();
    const tag = this.number<u8>();
    if (tag == TAG_NULL) {
      if (isNullable<T>()) return changetype<T>(0);
      throw new TypeError(`as-interop: null where ${nameof<T>()} is not nullable`);
    }
    if (tag == TAG_REFERENCE) {
      const id = this.number<u32>();
      if (!this.preserve || id >= <u32>this.seen.length) throw new Error("as-interop: bad back-reference in input");
      return changetype<T>(unchecked(this.seen[id]));
    }
    if (tag != TAG_VALUE) throw new Error("as-interop: bad tag in input");
    if (++this.depth > maxDepth) throw new Error(cycleMessage());
    const value = this.value<NonNullable<T>>();
    --this.depth;
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
    // @ts-ignore: only DotNetObjectReference has this method
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
    // @ts-ignore: only maps have both (checked before valueof<T> is ever compiled)
    if (isDefined(changetype<T>(0).keys) && isDefined(changetype<T>(0).set)) {
      // Only string keys cross; the transform reports any other at the annotation.
      if (idof<T>() == idof<Map<string, valueof<T>>>()) {
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
    }
    // Unreachable for the types the transform accepts; it reports the others where they are written.
    throw new TypeError(`as-interop cannot decode a ${nameof<T>()}`);
  }

  private track(pointer: usize): void {
    if (this.preserve) this.seen.push(pointer);
  }

  private string(): string {
    const bytes = <usize>this.number<u32>() << 1;
    return String.UTF16.decodeUnsafe(this.take(bytes), bytes);
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

export function decode<T>(buffer: ArrayBuffer): T {
  return new Reader(buffer).read<T>();
}
