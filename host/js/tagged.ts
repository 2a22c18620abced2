/**
 * The tagged format of values in calls into JavaScript (the managed half and the tag list are in
 * assembly/interop/js/tagged.ts). JS values carry no static type, so every value says what it is.
 *
 * JS → managed: plain objects and arrays are copied; any other object or function (a class
 * instance, a DOM element, a module) stays in JS and crosses as a handle, as does any object when
 * managed code asked for a `JSObject`.
 */
import { isArrayLike } from "../marshal/arrays.ts";
import { MarshalError } from "../marshal/errors.ts";
import { OutOfMemoryError } from "../marshal/heap.ts";
import { AssemblyPoisonedError, InteropError, ManagedError } from "../runtime/errors.ts";
import { cycleMessage } from "../marshal/wire/format.ts";
import { WireWriter, type PayloadLimit } from "../marshal/wire/encode.ts";
import { readUtf16 } from "../marshal/utf16.ts";
import { DotNetObject } from "../refs/dotnet-object.ts";
import type { JSAccess } from "./membrane.ts";
import { NULL_REFERENCE } from "./object-references.ts";
import type { ManagedHeap } from "../marshal/heap.ts";

const Tag = {
  Undefined: 0,
  Null: 1,
  False: 2,
  True: 3,
  Number: 4,
  BigInt: 5,
  String: 6,
  Array: 7,
  Object: 8,
  Date: 9,
  Bytes: 10,
  DotNetObject: 11,
  JSObject: 12,
  Error: 13,
  BigUint: 14,
  Collection: 15,
  Delegate: 16,
} as const;

export interface TaggedContext {
  /** Registers a JS object managed code will hold, returning its handle id. */
  handle(value: object): number;
  /** Throws unless `value` may be given to managed code (the sandbox's admission): a copy is made only of what could be. */
  admit(value: object): void;
  /** The JS object behind a handle id. */
  object(id: number): object;
  /** The id of a `DotNetObject` this assembly made (Blazor's message if it was disposed). */
  referenceId(value: DotNetObject): number;
  /** The `DotNetObject` for managed reference `id` to an instance of class `classId`. */
  reference(classId: number, id: number): object;
  /** The live view of managed list or dictionary reference `id`, of reference class `classId`. */
  collection(classId: number, id: number): object;
  /** A JS function calling managed function `id`, whose function type is class `classId`. */
  delegate(classId: number, id: number): (...args: unknown[]) => unknown;
  /** The id of `value` if it is a collection view of this assembly, else null. */
  collectionId(value: unknown): number | null;
  readonly maxDepth: number;
  /** How 64-bit integers from managed code reach JS (the assembly's `int64` option). */
  readonly int64?: "number" | "bigint";
  /** What a value encoded for managed code is counted against as it is written (its `maxPayloadBytes`); none: unlimited. */
  readonly heap?: PayloadLimit;
}

/** One writer, reused from value to value; an encode that nests (a getter calling in) makes its own. */
let spare: WireWriter | null = null;
/** Writers above this size are dropped after use rather than kept. */
const KEEP_WRITER_BYTES = 1 << 20;

/**
 * Encodes a value for managed code: `[tagged value]`. `asHandle`: objects stay in JS. The bytes are
 * valid until the next encode: copy them (into managed memory) at once.
 */
export function encodeTagged(value: unknown, context: TaggedContext, asHandle: boolean): Uint8Array {
  const writer = spare ?? new WireWriter();
  spare = null;
  try {
    writer.used = 0;
    writer.depth = 0;
    writer.limitTo(context.heap ?? null);
    if (asHandle && ((typeof value === "object" && value !== null && value !== NULL_REFERENCE) || typeof value === "function")) {
      writer.u8(Tag.JSObject);
      writer.u32(context.handle(value));
    } else {
      writeValue(writer, value, context, 0);
    }
    return writer.bytes.subarray(0, writer.used);
  } finally {
    if (writer.bytes.length <= KEEP_WRITER_BYTES) spare = writer;
  }
}

/**
 * A JS value as a tagged result in managed memory (see `ManagedHeap.reserveResult`): numbers,
 * booleans, null and undefined are written in place, anything else through {@link encodeTagged}.
 */
export function writeTaggedResult(value: unknown, context: TaggedContext, asHandle: boolean, heap: ManagedHeap): number {
  switch (typeof value) {
    case "number": {
      const pointer = heap.reserveResult(9);
      const view = heap.view;
      view.setUint8(pointer + 4, Tag.Number);
      view.setFloat64(pointer + 5, value, true);
      return pointer;
    }
    case "boolean":
    case "undefined": {
      const pointer = heap.reserveResult(1);
      heap.u8[pointer + 4] = value === undefined ? Tag.Undefined : value ? Tag.True : Tag.False;
      return pointer;
    }
  }
  if (value === null) {
    const pointer = heap.reserveResult(1);
    heap.u8[pointer + 4] = Tag.Null;
    return pointer;
  }
  return heap.lendResult(encodeTagged(value, context, asHandle));
}

/** How the assembly's access to JS shows a JS exception to managed code: its stack, and the text of what is not a string. */
export type ErrorView = Pick<JSAccess, "sandboxed" | "stackOf" | "textOf">;

/**
 * A JS exception as managed code sees it (a `JSError`: `tryInvoke`, a faulted task): its name, its
 * message as Blazor's `JSException.Message` reads, and its stack (as `view` shows it: a sandbox
 * sees none). Blazor's message depends on how the call was made: after an asynchronous one
 * (`InvokeAsync`, a faulted task) it is the error's message, a newline and its stack (its
 * `formatError`); after a synchronous one (`IJSInProcessRuntime.Invoke`, a `[JSImport]`) it is
 * what the .NET WebAssembly runtime makes of the error, its `toString()` (`Error: …`). Errors
 * as-interop makes itself ("Could not find …", "… is not a function", a timeout) are their
 * message alone, as Blazor's are. A thrown value that is not an `Error`, and a name or message
 * that is not a string (managed code may write an error's message), read as `view` says: in a
 * sandbox, without running the value's code.
 */
export function encodeError(error: unknown, view: ErrorView, synchronous = false): Uint8Array {
  const writer = new WireWriter();
  const text = (value: unknown): string => (typeof value === "string" ? value : view.textOf(value));
  let parts: [string, string, string];
  if (!(error instanceof Error)) {
    parts = ["Error", error ? view.textOf(error) : "null", ""];
  } else if (isOwnError(error)) {
    parts = [text(error.name), text(error.message), ""];
  } else {
    const stack = view.stackOf(error);
    const name = text(error.name);
    const message = text(error.message);
    // In a sandbox, `toString()` is composed as Error.prototype's composes it, from the name and
    // message as `text` read them: managed code may have set the message to a function, whose
    // conversion would give its source (the host's code).
    const shown = synchronous ? (view.sandboxed ? errorToString(name, message) : String(error)) : stack ? `${message}\n${stack}` : message;
    parts = [name, shown, stack];
  }
  writer.u8(Tag.Error);
  for (const part of parts) writer.string(part, Tag.String);
  return writer.bytes.subarray(0, writer.used);
}

/** What Error.prototype.toString gives for an error of this name and message. */
function errorToString(name: string, message: string): string {
  if (name === "") return message;
  return message === "" ? name : `${name}: ${message}`;
}

/** Errors of as-interop's own making: what they say is all there is to say. */
const OWN_ERRORS: readonly (abstract new (...args: never[]) => Error)[] = [InteropError, MarshalError, ManagedError, AssemblyPoisonedError, OutOfMemoryError];
function isOwnError(error: Error): boolean {
  return OWN_ERRORS.some((type) => error instanceof type) || error.name === "TimeoutError";
}

function writeValue(w: WireWriter, value: unknown, context: TaggedContext, depth: number): void {
  switch (typeof value) {
    case "undefined":
      return w.u8(Tag.Undefined);
    case "boolean":
      return w.u8(value ? Tag.True : Tag.False);
    case "number": {
      w.u8(Tag.Number);
      const at = w.reserve(8);
      return w.view.setFloat64(at, value, true);
    }
    case "bigint": {
      // Signed if it fits i64, else unsigned if it fits u64; the managed side checks its own type.
      const signed = value === BigInt.asIntN(64, value);
      if (!signed && value !== BigInt.asUintN(64, value)) throw new MarshalError(`the BigInt ${value} does not fit 64 bits`);
      w.u8(signed ? Tag.BigInt : Tag.BigUint);
      const at = w.reserve(8);
      return w.view.setBigUint64(at, BigInt.asUintN(64, value), true);
    }
    case "string":
      return w.string(value, Tag.String);
    case "function":
      w.u8(Tag.JSObject);
      return w.u32(context.handle(value));
    case "symbol":
      throw new MarshalError("a symbol has no managed value");
  }
  // Blazor's createJSObjectReference(null) stands for null.
  if (value === null || value === NULL_REFERENCE) return w.u8(Tag.Null);
  if (depth >= context.maxDepth) throw new MarshalError(cycleMessage(context.maxDepth));
  const object = value as object;
  const prototype = Object.getPrototypeOf(object) as object | null;
  // Without a prototype is not always data: a window or a location of another origin shows none,
  // and throws at any other look (with the page's origin in its message). So it is admitted first.
  if (prototype === null) context.admit(object);
  if (value instanceof DotNetObject) {
    w.u8(Tag.DotNetObject);
    w.u32(0);
    return w.u32(context.referenceId(value));
  }
  const collection = context.collectionId(value);
  if (collection !== null) {
    // A view passed back is the managed collection itself (the reader checks its class).
    w.u8(Tag.Collection);
    w.u32(0);
    return w.u32(collection);
  }
  if (value instanceof Date) {
    w.u8(Tag.Date);
    const at = w.reserve(8);
    return w.view.setFloat64(at, value.getTime(), true);
  }
  if (value instanceof Uint8Array) {
    w.u8(Tag.Bytes);
    w.u32(value.byteLength);
    return w.bytesOf(value);
  }
  if (isArrayLike(value)) {
    const items = value as ArrayLike<unknown>;
    w.u8(Tag.Array);
    w.u32(items.length);
    for (let i = 0; i < items.length; ++i) writeValue(w, items[i], context, depth + 1);
    return;
  }
  if (prototype === Object.prototype || prototype === null) {
    const entries = Object.entries(object);
    w.u8(Tag.Object);
    w.u32(entries.length);
    for (const [key, item] of entries) {
      w.string(key);
      writeValue(w, item, context, depth + 1);
    }
    return;
  }
  // Class instances, DOM nodes, maps, promises, modules: not data, so they stay in JS.
  w.u8(Tag.JSObject);
  w.u32(context.handle(object));
}

/**
 * Decodes the arguments managed code wrote at `at` (`size` bytes) of `view`, a view of the whole
 * memory: `[u32 used][u32 count][values]`.
 */
export function decodeArguments(view: DataView, at: number, size: number, context: TaggedContext): unknown[] {
  const end = at + size;
  const count = view.getUint32(at + 4, true);
  // Each argument takes at least its tag byte.
  if (count > size - 8) throw new MarshalError("the arguments from managed code claim more than they hold");
  const cursor = enter(view, at + 8, end);
  try {
    const args = new Array<unknown>(count);
    for (let i = 0; i < count; ++i) args[i] = readValue(cursor, context);
    return args;
  } finally {
    leave(cursor);
  }
}

/**
 * The common case of {@link decodeArguments}, without its general reader: arguments that are all
 * numbers (`JSArgs.of(i).and(40)`), which wrap no references. Null when any argument is not one.
 */
export function decodeNumberArguments(view: DataView, at: number, size: number): number[] | null {
  const count = view.getUint32(at + 4, true);
  // Each number is its tag and eight bytes, after the `[u32 used][u32 count]` header.
  if (size !== 8 + 9 * count) return null;
  const args = new Array<number>(count);
  for (let i = 0, offset = at + 8; i < count; ++i, offset += 9) {
    if (view.getUint8(offset) !== Tag.Number) return null;
    args[i] = view.getFloat64(offset + 1, true);
  }
  return args;
}

/** Decodes one tagged value managed code wrote at `at` after a `[u32 used]` header (a property's value). */
export function decodeValue(view: DataView, at: number, size: number, context: TaggedContext): unknown {
  const cursor = enter(view, at + 4, at + size);
  try {
    return readValue(cursor, context);
  } finally {
    leave(cursor);
  }
}

/** Where decoding is; one per nesting level, reused (a value's JS objects may call in, mid-decode). */
interface Cursor {
  view: DataView;
  offset: number;
  end: number;
  depth: number;
}

const cursors: Cursor[] = [];
let cursorsInUse = 0;

function enter(view: DataView, offset: number, end: number): Cursor {
  const cursor = (cursors[cursorsInUse++] ??= { view, offset, end, depth: 0 });
  cursor.view = view;
  cursor.offset = offset;
  cursor.end = end;
  cursor.depth = 0;
  return cursor;
}

function leave(cursor: Cursor): void {
  --cursorsInUse;
  cursor.view = EMPTY_VIEW;
}

const EMPTY_VIEW = new DataView(new ArrayBuffer(0));

function u32(r: Cursor): number {
  const value = r.view.getUint32(r.offset, true);
  r.offset += 4;
  return value;
}

/** A count of things each at least `size` bytes long must fit in what is left. */
function count(r: Cursor, size: number): number {
  const n = u32(r);
  if (n * size > r.end - r.offset) throw new MarshalError("a value from managed code claims more than it holds");
  return n;
}

function string(r: Cursor): string {
  const length = u32(r);
  const at = r.offset;
  r.offset += length * 2;
  if (r.offset > r.end) throw new MarshalError("a value from managed code ends too early");
  return readUtf16(r.view, at, length);
}

/** Containers nest no deeper than the assembly's maxDepth. */
function deeper(r: Cursor, context: TaggedContext): void {
  if (++r.depth > context.maxDepth) throw new MarshalError(cycleMessage(context.maxDepth));
}

/**
 * A 64-bit integer as the assembly's `int64` option says, as method results do: a BigInt, or a
 * number, which beyond ±2^53 would not be exact and is refused.
 */
function int64Value(value: bigint, context: TaggedContext): bigint | number {
  if (context.int64 !== "number") return value;
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  throw new MarshalError(
    `the 64-bit value ${value} is beyond ±2^53 and cannot be a JavaScript number exactly; ` +
      `load the assembly with { int64: "bigint" } to receive it as a BigInt`,
  );
}

function readValue(r: Cursor, context: TaggedContext): unknown {
  const view = r.view;
  if (r.offset >= r.end) throw new MarshalError("a value from managed code ends too early");
  const tag = view.getUint8(r.offset++);
  switch (tag) {
    case Tag.Undefined: return undefined;
    case Tag.Null: return null;
    case Tag.False: return false;
    case Tag.True: return true;
    case Tag.Number: {
      const value = view.getFloat64(r.offset, true);
      r.offset += 8;
      return value;
    }
    case Tag.BigInt:
    case Tag.BigUint: {
      const value = tag === Tag.BigInt ? view.getBigInt64(r.offset, true) : view.getBigUint64(r.offset, true);
      r.offset += 8;
      return int64Value(value, context);
    }
    case Tag.String: return string(r);
    case Tag.Date: {
      const value = new Date(view.getFloat64(r.offset, true));
      r.offset += 8;
      return value;
    }
    case Tag.Bytes: {
      const length = count(r, 1);
      const start = view.byteOffset + r.offset;
      r.offset += length;
      return new Uint8Array(view.buffer.slice(start, start + length));
    }
    case Tag.Array: {
      deeper(r, context);
      const length = count(r, 1);
      const items = new Array<unknown>(length);
      for (let i = 0; i < length; ++i) items[i] = readValue(r, context);
      --r.depth;
      return items;
    }
    case Tag.Object: {
      deeper(r, context);
      const entries = count(r, 5);
      const object: Record<string, unknown> = {};
      for (let i = 0; i < entries; ++i) {
        const key = string(r);
        const value = readValue(r, context);
        // An own property even for "__proto__", as JSON.parse would make it.
        if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
        else object[key] = value;
      }
      --r.depth;
      return object;
    }
    case Tag.DotNetObject: {
      const classId = u32(r);
      return context.reference(classId, u32(r));
    }
    case Tag.JSObject: return context.object(u32(r));
    case Tag.Collection: {
      const classId = u32(r);
      return context.collection(classId, u32(r));
    }
    case Tag.Delegate: {
      const classId = u32(r);
      return context.delegate(classId, u32(r));
    }
    default:
      throw new MarshalError(`a value from managed code has a bad tag (${tag})`);
  }
}
