import { zero } from "./task";

/**
 * .NET's `Nullable<T>` (C#'s `int?`): a number, `bool` or `char` that may have no value.
 * AssemblyScript cannot say `i32 | null` (only references can be null), so this class says it.
 * It crosses to JavaScript as its value, or `null` when it has none; from JavaScript, `null` and
 * `undefined` become a `Nullable` without a value, and anything else converts as a `T` does.
 *
 *   const some = Nullable.of<i32>(42);          // int? some = 42;
 *   const none = Nullable.none<i32>();          // int? none = null;
 *   if (some.hasValue) use(some.value);         // some.HasValue, some.Value
 *   const n = none.getValueOrDefault(-1);       // none.GetValueOrDefault(-1)
 *
 * A `Nullable<T>` is a value, as in .NET: compare two with `equals`, not `==` (which compares the
 * objects). A variable typed `Nullable<T> | null` may also hold `null`, which crosses as `null` too.
 */
export class Nullable<T> {
  private present: bool = false;
  private content: T = zero<T>();

  /** A `Nullable` without a value (`new int?()`); `Nullable.of` gives one with a value. */
  constructor() {
    if (!isInteger<T>() && !isFloat<T>()) {
      ERROR("Nullable<T> holds a number, bool or char; a reference type can be null itself: write T | null.");
    }
  }

  /** One with `value` (C#'s `int? n = value;`). */
  static of<T>(value: T): Nullable<T> {
    const nullable = new Nullable<T>();
    nullable.content = value;
    nullable.present = true;
    return nullable;
  }

  /** One without a value (C#'s `int? n = null;`). */
  static none<T>(): Nullable<T> {
    return new Nullable<T>();
  }

  /** .NET's `HasValue`. */
  get hasValue(): bool {
    return this.present;
  }

  /** .NET's `Value`: reading it when there is none aborts with .NET's message. */
  get value(): T {
    if (!this.present) throw new Error("Nullable object must have a value.");
    return this.content;
  }

  /** The value, or `defaultValue` (T's zero unless given) when there is none. */
  getValueOrDefault(defaultValue: T = zero<T>()): T {
    return this.present ? this.content : defaultValue;
  }

  /** Both without a value, or both with the same value; `null` counts as no value. */
  equals(other: Nullable<T> | null): bool {
    const otherPresent = other !== null && other.present;
    if (this.present != otherPresent) return false;
    return !this.present || this.content == other!.content;
  }

  /** The value's text, or "" when there is none, as .NET's `ToString()`. */
  toString(): string {
    if (!this.present) return "";
    if (isBoolean<T>()) return this.content ? "true" : "false";
    // @ts-ignore: every number type has toString
    return this.content.toString();
  }

  /** Marks the class for the wire formats, which write a `Nullable` as its value or null. */
  __interop_nullable(): void {}

  /** For the readers (wire and tagged): the value follows, as a `T`. */
  __interop_readValue<R>(reader: R): void {
    // @ts-ignore: both readers have read<T>()
    this.content = reader.read<T>();
    this.present = true;
  }

  /** For the writers (wire and tagged), once they know there is a value. */
  __interop_writeValue<W>(writer: W): void {
    // @ts-ignore: both writers have write<T>()
    writer.write<T>(this.content);
  }
}
