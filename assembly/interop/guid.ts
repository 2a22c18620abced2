/**
 * .NET's `Guid`: 128 bits, written `382c74c3-721d-4f34-80e5-57657b6cbc27`. In JavaScript it is
 * that string (lower case); any other format is an error. Kept as two halves of the text order,
 * so `toString` and the wire format need no byte shuffling.
 */
export class Guid {
  constructor(
    /** The first 16 hex digits. */
    readonly high: u64,
    /** The last 16 hex digits. */
    readonly low: u64,
  ) {}

  static readonly empty: Guid = new Guid(0, 0);

  /** Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`; returns null for anything else. */
  static parse(text: string): Guid | null {
    if (text.length != 36) return null;
    let high: u64 = 0;
    let low: u64 = 0;
    let digits = 0;
    for (let i = 0; i < 36; ++i) {
      const c = text.charCodeAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != 0x2d) return null;
        continue;
      }
      const nibble = hexValue(c);
      if (nibble < 0) return null;
      if (digits < 16) high = (high << 4) | <u64>nibble;
      else low = (low << 4) | <u64>nibble;
      ++digits;
    }
    return new Guid(high, low);
  }

  equals(other: Guid): bool {
    return this.high == other.high && this.low == other.low;
  }

  toString(): string {
    const hex = hex16(this.high) + hex16(this.low);
    return `${hex.substring(0, 8)}-${hex.substring(8, 12)}-${hex.substring(12, 16)}-${hex.substring(16, 20)}-${hex.substring(20)}`;
  }
}

function hexValue(c: i32): i32 {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

function hex16(value: u64): string {
  return value.toString(16).padStart(16, "0");
}
