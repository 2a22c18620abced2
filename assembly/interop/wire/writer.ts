import { Guid } from "../guid";
import { JSObject } from "../js/object";
import { JSStreamReference } from "../js/stream-reference";
import { TrackedReference } from "../reference";
import { OutputBuffer } from "./output";
import { FLAG_PRESERVE, TAG_NULL, TAG_REFERENCE, TAG_VALUE, cycleMessage, maxDepth, preserveReferences } from "./format";

/** Encodes a result for the host: `[u32 used bytes][flags][value]`. */
export class Writer extends OutputBuffer {
  /**
   * The id of each value written so far, by the class it was written as: only with back-references,
   * so that no other result allocates a map. An object written as its base class (a data class's
   * value crosses as its declared type) and as its own is two values to JS, each with an id of its
   * own, as the host's encoder keys what it shares by type.
   */
  private readonly ids: Map<u64, u32> | null = preserveReferences ? new Map() : null;
  private depth: i32 = 0;

  constructor() {
    super(256);
    this.number<u8>(this.ids ? FLAG_PRESERVE : 0);
  }

  /** Room for a run of fixed-size fields (generated `__interop_write`): where they go. */
  reserveRun(bytes: usize): usize {
    return this.reserve(bytes);
  }

  /** A field of a run, `offset` bytes into it (library code, so `--noUnsafe` user files may use it). */
  // @ts-ignore: decorator
  @inline storeAt<T>(start: usize, value: T, offset: usize): void {
    store<T>(start + offset, value);
  }

  write<T>(value: T): void {
    if (isBoolean<T>()) {
      this.number<u8>(value ? 1 : 0);
    } else if (isInteger<T>() || isFloat<T>()) {
      this.number<T>(value);
      // @ts-ignore: only the library's Nullable<T> has this method
    } else if (isDefined(changetype<NonNullable<T>>(0).__interop_nullable)) {
      // Its value, or null: the null reference and a Nullable without a value are one to JS.
      const nullable = changetype<NonNullable<T>>(value);
      // @ts-ignore: see above
      if (changetype<usize>(value) == 0 || !nullable.hasValue) {
        this.number<u8>(TAG_NULL);
      } else {
        this.number<u8>(TAG_VALUE);
        // @ts-ignore: see above
        nullable.__interop_writeValue<Writer>(this);
      }
    } else {
      const pointer = changetype<usize>(value);
      if (pointer == 0) {
        this.number<u8>(TAG_NULL);
        return;
      }
      const ids = this.ids;
      if (ids && isTracked<NonNullable<T>>()) {
        // The class it is written as, and where it is (a 32-bit address): one key.
        const key = (<u64>idof<NonNullable<T>>() << 32) | <u64>pointer;
        if (ids.has(key)) {
          this.number<u8>(TAG_REFERENCE);
          this.number<u32>(ids.get(key));
          return;
        }
        ids.set(key, ids.size);
      }
      this.number<u8>(TAG_VALUE);
      if (++this.depth > maxDepth) throw new Error(cycleMessage());
      this.value<NonNullable<T>>(changetype<NonNullable<T>>(value));
      --this.depth;
    }
  }

  private value<T>(value: T): void {
    if (isString<T>()) {
      this.string(changetype<string>(value));
    } else if (idof<T>() == idof<Date>()) {
      this.number<f64>(<f64>changetype<Date>(value).getTime());
    } else if (idof<T>() == idof<Guid>()) {
      const guid = changetype<Guid>(value);
      this.number<u64>(guid.high);
      this.number<u64>(guid.low);
    } else if (idof<T>() == idof<JSObject>() || idof<T>() == idof<JSStreamReference>()) {
      this.number<u32>(changetype<JSObject>(value).id);
      // @ts-ignore: only references (TrackedReference) have these
    } else if (isDefined(value.__interop_reference)) {
      // @ts-ignore: see above (tracked again if JS let go of it: see TrackedReference)
      this.number<u32>(value.__interop_handOut());
      // Written as any reference (an object of a plain class, which may be of a derived one: see
      // collections.ts), it says what it is to, which its type does not.
      // @ts-ignore: see above
      if (idof<T>() == idof<TrackedReference>()) this.number<u32>(value.__interop_targetClassId());
      // @ts-ignore: the transform gives every @dataMember class this method
    } else if (isDefined(value.__interop_write)) {
      // @ts-ignore: see above (as a T, whatever class it is at run time: see host/compiler/data-classes.ts)
      value.__interop_write(this, idof<T>());
    } else if (isArray<T>() || isArrayLike<T>()) {
      const isElementList = isArray<T>() || idof<T>() == idof<StaticArray<valueof<T>>>();
      // @ts-ignore: T is array-like here
      const count = <u32>value.length;
      this.number<u32>(isElementList ? count : count << alignof<valueof<T>>());
      if (!isBoolean<valueof<T>>() && (isInteger<valueof<T>>() || isFloat<valueof<T>>())) {
        const bytes = <usize>count << alignof<valueof<T>>();
        const pointer = changetype<usize>(value);
        const source = isArray<T>() || !isElementList ? load<usize>(pointer, 4) : pointer;
        memory.copy(this.reserve(bytes), source, bytes);
      } else {
        // Room for the whole array at once, from what an element takes in memory (a guess for
        // strings and nested arrays), rather than doubling the buffer element by element.
        this.ensure(<usize>count * max<usize>(isManaged<valueof<T>>() ? offsetof<NonNullable<valueof<T>>>() + 1 : sizeof<valueof<T>>() + 1, 8));
        // @ts-ignore: T is array-like here
        for (let i: i32 = 0; i < <i32>count; ++i) this.write<valueof<T>>(unchecked(value[i]));
      }
    } else // @ts-ignore: only maps have both (checked before valueof<T> is ever compiled)
    if (isDefined(changetype<T>(0).keys) && isDefined(changetype<T>(0).set) && idof<T>() == idof<Map<string, valueof<T>>>()) {
      const map = changetype<Map<string, valueof<T>>>(value);
      const keys = map.keys();
      const values = map.values();
      this.number<u32>(<u32>keys.length);
      for (let i = 0; i < keys.length; ++i) {
        this.string(unchecked(keys[i]));
        this.write<valueof<T>>(unchecked(values[i]));
      }
    } else {
      // Unreachable for the types the transform accepts; it reports the others where they are written.
      throw new TypeError(`as-interop cannot encode a ${nameof<T>()}`);
    }
  }
}

/**
 * Arrays, maps and class instances have an identity worth preserving; strings and values do not,
 * and object references carry their own (their id).
 */
// @ts-ignore: decorator
@inline function isTracked<T>(): bool {
  return (
    !isString<T>() &&
    idof<T>() != idof<Date>() &&
    idof<T>() != idof<Guid>() &&
    idof<T>() != idof<JSObject>() &&
    idof<T>() != idof<JSStreamReference>() &&
    // @ts-ignore: only references (TrackedReference) have this method
    !isDefined(changetype<T>(0).__interop_reference)
  );
}

export function encode<T>(value: T): ArrayBuffer {
  const writer = new Writer();
  writer.write<T>(value);
  return writer.finish();
}
