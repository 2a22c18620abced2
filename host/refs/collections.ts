/**
 * The HTML Bridge's by-reference wrappers, to the letter (its "By-Reference Marshaling" rules):
 * a live array-like view of a managed list and a dictionary-like view of a managed map. Every
 * operation goes to the managed collection at once, so both sides always see the same contents.
 *
 * Array-like: `length`, `[i]` get and set, `toArray()`, `pop`, `push`, `reverse`, `indexOf`,
 * `lastIndexOf`, `shift`, `unshift`, `splice`; what changes the size is an error on a fixed-size
 * array (`StaticArray`). Beyond the HTML Bridge: iteration, spread, `Array.from`, and `JSON.stringify`
 * giving the by-value copy. Dictionary-like: `view[key]`, `view.key`, adding keys, `in`,
 * `Object.keys`, `delete`, `Object.entries`, `JSON.stringify`.
 */
/** A live view of a managed list (`ListReference<T>` / `FixedListReference<T>`). */
export interface ListView<T> extends Iterable<T> {
  readonly length: number;
  [index: number]: T;
  /** For a growable list: a by-reference copy as a fixed-size array. For a fixed-size array: null. */
  toArray(): ListView<T> | null;
  /**
   * `Array.prototype.at`: the element at `index` (negative counts from the end). The same as
   * `view[i]`, but a method call, which V8 makes several times faster than a Proxy's element access.
   */
  at(index: number): T | undefined;
  pop(): T | undefined;
  push(...items: T[]): number;
  reverse(): this;
  indexOf(item: T, start?: number): number;
  lastIndexOf(item: T, start?: number): number;
  shift(): T | undefined;
  unshift(...items: T[]): number;
  splice(start: number, count?: number, ...items: T[]): T[];
  /** The by-value copy (what `JSON.stringify` uses). */
  toJSON(): T[];
  dispose(): void;
}

/**
 * A live view of a managed `Map<string, V>` (`DictionaryReference<V>`): use it as a plain object.
 * It also has `dispose()` and `toJSON()`, not enumerable, which a stored key of that name hides.
 */
export type DictionaryView<V> = { [key: string]: V } & {
  /** The by-value copy (what `JSON.stringify` uses). */
  toJSON(): Record<string, V>;
  dispose(): void;
};

/** One list's operations on the managed side; values are checked before anything changes. */
export interface ListOperations {
  readonly fixed: boolean;
  /** The view of a `readonly` member: every change is refused before it reaches managed code. */
  readonly readOnly: boolean;
  length(): number;
  /** The element at `index`, or `undefined` past the end (no element decodes to `undefined`). */
  get(index: number): unknown;
  /** Converts `value` (a wrong one throws) and stores it at `index`; false, and nothing changed, past the end. */
  set(index: number, value: unknown): boolean;
  /** Converts and checks `values` (nothing changes yet), for `insert`, inside {@link changing}. */
  prepare(values: readonly unknown[]): Prepared;
  /**
   * Runs a change that prepares values: the JS object handles they made go unless it completes
   * (a value refused, an element removed that fails to reach JS, an insertion that fails).
   */
  changing<T>(change: () => T): T;
  /** Inserts prepared values at `index`, in order. */
  insert(index: number, values: Prepared): void;
  /** Removes `count` elements from `index`, without reading them (see {@link createListView}'s `take`). */
  remove(index: number, count: number): void;
  reverse(): void;
  indexOf(value: unknown, from: number): number;
  lastIndexOf(value: unknown, from: number): number;
  copy(): unknown[];
  /** The HTML Bridge's toArray(): a new fixed-size list, or null. */
  toArray(): object | null;
  /** The elements in order, for `for…of`; it ends at the end of the list as it is then. */
  iterator(): Iterator<unknown>;
  dispose(): void;
}

export interface DictionaryOperations {
  readonly readOnly: boolean;
  keys(): string[];
  has(key: string): boolean;
  /** The value under `key`, or `undefined` when there is none. */
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): boolean;
  copy(): Record<string, unknown>;
  dispose(): void;
}

/** Values converted and checked for the managed list (their wire bytes), not yet inserted. */
export interface Prepared {
  readonly bytes: readonly Uint8Array[];
}

const FIXED = "it is a fixed-size array (StaticArray), which cannot grow or shrink";
const READ_ONLY = "it is read-only (the view of a readonly member): JavaScript can read it but not change it";

/** ECMAScript's ToIntegerOrInfinity, which Array.prototype applies to its index arguments. */
function toInteger(value: unknown): number {
  const number = Number(value);
  return Number.isNaN(number) ? 0 : Math.trunc(number);
}

/** A relative index (negative counts from the end), clamped to 0..length, as splice's start. */
function relative(value: unknown, length: number): number {
  const index = toInteger(value);
  return index < 0 ? Math.max(length + index, 0) : Math.min(index, length);
}

function fixedError(operation: string): TypeError {
  return new TypeError(`${operation} is not supported on this list: ${FIXED}.`);
}

function readOnlyError(what: string, operation: string): TypeError {
  return new TypeError(`${operation} is not supported on this ${what}: ${READ_ONLY}.`);
}

/**
 * A non-negative integer-like property key (`"3"`), as array indices are. Every `view[i]` asks,
 * so the common short key is parsed by hand: a regular expression here cost more than the read.
 */
function indexOf(key: string | symbol): number | null {
  if (typeof key !== "string") return null;
  const length = key.length;
  if (length === 0 || length > 15) return length > 15 && /^[1-9]\d*$/.test(key) ? Number(key) : null;
  let index = 0;
  for (let i = 0; i < length; ++i) {
    const digit = key.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return null;
    index = index * 10 + digit;
  }
  // "0" is an index, "01" is not.
  return length > 1 && key.charCodeAt(0) === 48 ? null : index;
}

/**
 * What every view refuses so that it keeps the Proxy invariants: a view's properties are the
 * managed collection's, which managed code may change at any time, so it can never be made
 * non-extensible (then `Object.keys` would have to throw) or given another prototype.
 */
export function invariantTraps(what: string): Pick<ProxyHandler<object>, "preventExtensions" | "setPrototypeOf" | "isExtensible"> {
  return {
    preventExtensions() {
      throw new TypeError(`Cannot prevent extensions of ${what}: its properties are managed code's, which can change at any time.`);
    },
    setPrototypeOf() {
      throw new TypeError(`Cannot set the prototype of ${what}.`);
    },
    isExtensible: () => true,
  };
}

export function createListView(ops: ListOperations): ListView<unknown> {
  const growable = (operation: string) => {
    if (ops.readOnly) throw readOnlyError("list", operation);
    if (ops.fixed) throw fixedError(operation);
  };
  const writable = (operation: string) => {
    if (ops.readOnly) throw readOnlyError("list", operation);
  };
  /**
   * Removes `count` elements from `index` and gives them: each is read first, so that one that
   * cannot reach JS (an `i64` past 2^53 with numbers, a reference past `maxHandles`) fails the
   * operation with the list as it was, instead of leaving the list without it.
   */
  const take = (index: number, count: number): unknown[] => {
    const taken = Array.from({ length: count }, (_, k) => ops.get(index + k));
    if (count > 0) ops.remove(index, count);
    return taken;
  };
  const members = {
    toArray: () => ops.toArray(),
    at(index: unknown) {
      const relative = toInteger(index);
      if (relative >= 0) return ops.get(relative);
      const length = ops.length();
      return length + relative < 0 ? undefined : ops.get(length + relative);
    },
    pop() {
      growable("pop");
      const length = ops.length();
      return length === 0 ? undefined : take(length - 1, 1)[0];
    },
    push(...items: unknown[]) {
      growable("push");
      ops.changing(() => ops.insert(ops.length(), ops.prepare(items)));
      return ops.length();
    },
    reverse() {
      writable("reverse");
      ops.reverse();
      return view;
    },
    indexOf(item: unknown, ...from: unknown[]) {
      const length = ops.length();
      const start = from.length === 0 ? 0 : toInteger(from[0]);
      const k = start >= 0 ? start : Math.max(length + start, 0);
      return k >= length ? -1 : ops.indexOf(item, k);
    },
    lastIndexOf(item: unknown, ...from: unknown[]) {
      const length = ops.length();
      const start = from.length === 0 ? length - 1 : toInteger(from[0]);
      const k = start >= 0 ? Math.min(start, length - 1) : length + start;
      return k < 0 ? -1 : ops.lastIndexOf(item, k);
    },
    shift() {
      growable("shift");
      return ops.length() === 0 ? undefined : take(0, 1)[0];
    },
    unshift(...items: unknown[]) {
      growable("unshift");
      ops.changing(() => ops.insert(0, ops.prepare(items)));
      return ops.length();
    },
    // Arguments convert as Array.prototype.splice converts them; new values are checked before
    // anything is removed, so a wrong one leaves the list as it was.
    splice(...args: unknown[]) {
      growable("splice");
      const length = ops.length();
      const from = args.length === 0 ? length : relative(args[0], length);
      const removing =
        args.length === 0 ? 0 : args.length === 1 ? length - from : Math.min(Math.max(toInteger(args[1]), 0), length - from);
      return ops.changing(() => {
        const inserting = ops.prepare(args.slice(2));
        const removed = take(from, removing);
        if (inserting.bytes.length > 0) ops.insert(from, inserting);
        return removed;
      });
    },
    toJSON: () => ops.copy(),
    dispose: () => ops.dispose(),
    [Symbol.iterator]: () => ops.iterator(),
  };
  const target: object = Object.create(Array.prototype, Object.getOwnPropertyDescriptors(members));

  const view: ListView<unknown> = new Proxy(target, {
    get(target, key) {
      if (key === "length") return ops.length();
      const index = indexOf(key);
      if (index !== null) return ops.get(index);
      return Reflect.get(target, key);
    },
    set(_target, key, value) {
      const index = indexOf(key);
      if (index === null) {
        throw new TypeError(`Only elements can be set on a list view ('${String(key)}' is not an index).`);
      }
      if (ops.readOnly) writable(`Setting [${index}]`);
      if (!ops.set(index, value)) throw new RangeError(`Index ${index} is out of range: the list has ${ops.length()} elements.`);
      return true;
    },
    has(target, key) {
      const index = indexOf(key);
      return index !== null ? index < ops.length() : Reflect.has(target, key);
    },
    ownKeys() {
      return [...Array.from({ length: ops.length() }, (_, i) => String(i)), "length"];
    },
    getOwnPropertyDescriptor(_target, key) {
      // Configurable, as Proxy invariants require of what the target does not itself have.
      if (key === "length") return { value: ops.length(), writable: false, enumerable: false, configurable: true };
      const index = indexOf(key);
      const value = index === null ? undefined : ops.get(index);
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
    deleteProperty(_target, key) {
      throw new TypeError(`Cannot delete '${String(key)}' from a list view; use splice.`);
    },
    defineProperty(_target, key) {
      throw new TypeError(`Cannot define '${String(key)}' on a list view.`);
    },
    ...invariantTraps("a list view"),
  }) as unknown as ListView<unknown>;
  return view;
}

/** The elements of a list one call at a time (what a list of anything but numbers and bool does). */
export function* elementsByCall(get: (index: number) => unknown): Generator<unknown> {
  // Past the end, `get` says so itself.
  for (let i = 0; ; ++i) {
    const element = get(i);
    if (element === undefined) return;
    yield element;
  }
}

/** Members a dictionary view has besides its keys (not enumerable, like an object's methods). */
const DICTIONARY_MEMBERS = new Set<string | symbol>(["toJSON", "dispose"]);

export function createDictionaryView(ops: DictionaryOperations): DictionaryView<unknown> {
  // Configurable, so `ownKeys` may leave them out: only the keys are the view's own properties.
  const target = Object.create(null, {
    toJSON: { value: () => ops.copy(), configurable: true },
    dispose: { value: () => ops.dispose(), configurable: true },
  }) as object;
  const key = (key: string | symbol): string => {
    if (typeof key !== "string") throw new TypeError("A dictionary view's keys are strings.");
    if (ops.readOnly) throw readOnlyError("dictionary", `Setting '${key}'`);
    return key;
  };
  return new Proxy(target, {
    get(target, property) {
      // A stored key wins over the view's own members: they are only there for keys not stored.
      const stored = typeof property === "string" ? ops.get(property) : undefined;
      if (stored !== undefined) return stored;
      return DICTIONARY_MEMBERS.has(property) ? Reflect.get(target, property) : undefined;
    },
    set(_target, property, value) {
      ops.set(key(property), value);
      return true;
    },
    has(_target, property) {
      return typeof property === "string" && ops.has(property);
    },
    deleteProperty(_target, property) {
      if (typeof property !== "string") return true;
      if (ops.readOnly) throw readOnlyError("dictionary", `Deleting '${property}'`);
      ops.delete(property);
      return true;
    },
    ownKeys() {
      return ops.keys();
    },
    getOwnPropertyDescriptor(_target, property) {
      const value = typeof property === "string" ? ops.get(property) : undefined;
      return value === undefined ? undefined : { value, writable: true, enumerable: true, configurable: true };
    },
    defineProperty(_target, property, descriptor) {
      if (!("value" in descriptor)) throw new TypeError("A dictionary view holds values, not accessors.");
      const name = key(property);
      // An entry is the managed map's, which managed code may change or delete at any time: it
      // cannot be made read-only, hidden or permanent (a proxy claiming so would break the
      // engine's invariants, and one ignoring it would report a success it did not keep).
      if (descriptor.writable === false || descriptor.enumerable === false || descriptor.configurable === false) {
        throw new TypeError(
          `Cannot define '${name}' on a dictionary view other than as a writable, enumerable, configurable entry: its entries are the managed map's.`,
        );
      }
      ops.set(name, descriptor.value);
      return true;
    },
    ...invariantTraps("a dictionary view"),
  }) as DictionaryView<unknown>;
}
