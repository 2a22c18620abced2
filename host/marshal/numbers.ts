/**
 * Numbers and booleans travel as wasm parameters and results; nothing touches memory.
 *
 * Integers are checked, never truncated: `1.5`, `NaN` or `300` for a `u8` is an error. 64-bit
 * integers are exact: a result beyond ±2^53 is an overflow error unless the host asked for BigInt,
 * because the HTML Bridge's `0xFFFFFFFFFFFFFFFF` → `18446744073709552000` is a silently different number.
 */
import type { ElementView, MarshalOptions, ValueCodec } from "./codec.ts";
import { MarshalError, mismatch } from "./errors.ts";
import type { IntegerKind, NumberKind } from "./types.ts";

interface IntegerSpec {
  readonly min: number | bigint;
  readonly max: number | bigint;
  readonly view: ElementView;
  /** Normalizes what wasm returns (an i32 whose upper bits may be stale) to the declared width. */
  readonly wrap: (value: number) => number;
}

const INTEGERS: Record<Exclude<IntegerKind, "i64" | "u64">, IntegerSpec> = {
  i8: { min: -0x80, max: 0x7f, view: Int8Array, wrap: (v) => (v << 24) >> 24 },
  u8: { min: 0, max: 0xff, view: Uint8Array, wrap: (v) => v & 0xff },
  i16: { min: -0x8000, max: 0x7fff, view: Int16Array, wrap: (v) => (v << 16) >> 16 },
  u16: { min: 0, max: 0xffff, view: Uint16Array, wrap: (v) => v & 0xffff },
  i32: { min: -0x80000000, max: 0x7fffffff, view: Int32Array, wrap: (v) => v | 0 },
  u32: { min: 0, max: 0xffffffff, view: Uint32Array, wrap: (v) => v >>> 0 },
};

// BigInt("…"), not literals: an app built for an older `build.target` (es2019) can use BigInt, but
// a literal like 1n is syntax its bundler has to warn about.
const LONGS = {
  i64: { min: BigInt("-9223372036854775808"), max: BigInt("9223372036854775807"), view: BigInt64Array },
  u64: { min: BigInt(0), max: BigInt("18446744073709551615"), view: BigUint64Array },
} as const;

export const voidCodec: ValueCodec = {
  type: { kind: "void" },
  reference: false,
  plain: true,
  elementView: Uint8Array,
  bulkCopy: false,
  lower: (value) => {
    throw mismatch("nothing (void)", value);
  },
  // Nothing: null, as Blazor's invokeMethod and invokeMethodAsync give for a void method.
  lift: () => null,
};

export const boolCodec: ValueCodec = {
  type: { kind: "bool" },
  reference: false,
  plain: true,
  elementView: Uint8Array,
  bulkCopy: false,
  lower(value) {
    if (value === true) return 1;
    if (value === false) return 0;
    throw mismatch("a boolean", value);
  },
  lift: (value) => value !== 0,
};

export function numberCodec(kind: NumberKind, options: MarshalOptions): ValueCodec {
  switch (kind) {
    case "f32":
    case "f64":
      return {
        type: { kind },
        reference: false,
        plain: true,
        elementView: kind === "f32" ? Float32Array : Float64Array,
        bulkCopy: true,
        lower(value) {
          if (typeof value === "number") return value;
          throw mismatch(`a number (${kind})`, value);
        },
        lift: (value) => value,
      };
    case "i64":
    case "u64":
      return longCodec(kind, options);
    case "i32":
      // The hot path of every benchmark, so it gets the cheapest possible check.
      return {
        type: { kind },
        reference: false,
        plain: true,
        elementView: Int32Array,
        bulkCopy: true,
        lower(value) {
          if (typeof value === "number" && (value | 0) === value) return value;
          throw mismatch(rangeText(kind, INTEGERS.i32), value);
        },
        lift: (value) => value,
      };
    default:
      return smallIntegerCodec(kind);
  }
}

function smallIntegerCodec(kind: Exclude<IntegerKind, "i64" | "u64">): ValueCodec {
  const spec = INTEGERS[kind];
  const { min, max, wrap } = spec;
  return {
    type: { kind },
    reference: false,
    plain: true,
    elementView: spec.view,
    bulkCopy: true,
    lower(value) {
      if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return value;
      throw mismatch(rangeText(kind, spec), value);
    },
    lift: (value) => wrap(value as number),
  };
}

function longCodec(kind: "i64" | "u64", options: MarshalOptions): ValueCodec {
  const { min, max, view } = LONGS[kind];
  const asBigInt = options.int64 === "bigint";
  return {
    type: { kind },
    reference: false,
    plain: true,
    elementView: view,
    bulkCopy: true,
    lower(value) {
      const big =
        typeof value === "bigint" ? value : typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : null;
      if (big !== null && big >= min && big <= max) return big;
      const unsafe = typeof value === "number" && Number.isInteger(value) ? " (beyond ±2^53 a number is not exact: pass a BigInt)" : "";
      throw mismatch(`${rangeText(kind, { min, max })}${unsafe}`, value);
    },
    lift(value) {
      // Wasm hands i64 to JS as a signed BigInt; a u64 needs its bits reread as unsigned.
      const big = kind === "u64" ? BigInt.asUintN(64, value as bigint) : (value as bigint);
      if (asBigInt) return big;
      if (big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(big);
      throw new MarshalError(
        `the ${kind} value ${big} is beyond ±2^53 and cannot be a JavaScript number exactly; ` +
          `load the assembly with { int64: "bigint" } to receive it as a BigInt`,
      );
    },
  };
}

function rangeText(kind: IntegerKind, { min, max }: { min: number | bigint; max: number | bigint }): string {
  return `${kind} (an integer from ${min} to ${max})`;
}
