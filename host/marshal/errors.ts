/** Errors raised while converting a value, before or after managed code runs. */

/** Longer paths (a deep or cyclic value) show their innermost part only. */
const MAX_PATH = 60;

export class MarshalError extends TypeError {
  override name = "MarshalError";
  /** Where inside the value the problem is, e.g. `[3].points["a"].x`; empty at the top. */
  path = "";

  constructor(readonly reason: string) {
    super(reason);
  }

  /** Records that the problem is inside `segment` (called as the error leaves each container). */
  within(segment: string): this {
    this.path = segment + this.path;
    const shown = this.path.length > MAX_PATH ? `…${this.path.slice(-MAX_PATH)}` : this.path;
    this.message = `at ${shown}: ${this.reason}`;
    return this;
  }
}

/** Attributes a conversion error thrown inside `segment` of a value to it (used in `catch`). */
export function within(error: unknown, segment: string): unknown {
  return error instanceof MarshalError ? error.within(segment) : error;
}

/** `expected an i32 …, got 1.5`: the second half of every conversion error. */
export function mismatch(expected: string, value: unknown): MarshalError {
  return new MarshalError(`expected ${expected}, got ${describeValue(value)}`);
}

export function describeValue(value: unknown): string {
  switch (typeof value) {
    case "string": {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      return `the string ${JSON.stringify(shown)}${value.length > 40 ? ` (${value.length} characters)` : ""}`;
    }
    case "number":
    case "bigint":
    case "boolean":
      return `${typeof value} ${String(value)}${typeof value === "bigint" ? "n" : ""}`;
    case "undefined":
      return "undefined";
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    default:
      if (value === null) return "null";
      if (Array.isArray(value)) return `an array of length ${value.length}`;
      if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
      return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  }
}

/**
 * The engine's own stack-overflow message, learned once at load: recognizing it must not need
 * stack itself (a regular expression, run on an exhausted stack, fails).
 */
const STACK_OVERFLOW_MESSAGE = (() => {
  const recurse = (): number => recurse() + 1;
  try {
    return String(recurse());
  } catch (error) {
    return error instanceof Error ? error.message : "";
  }
})();

/** The engine's stack overflow: inside wasm it can strike mid-allocation, like a trap. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && error.message === STACK_OVERFLOW_MESSAGE;
}
