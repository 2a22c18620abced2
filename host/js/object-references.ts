/**
 * References JavaScript makes explicitly, as in Blazor: `DotNet.createJSObjectReference(obj)` and
 * `DotNet.createJSStreamReference(bufferOrBlob)` give JS an object `{ __jsObjectId }` (and
 * `__jsStreamReferenceLength` for a stream) to pass to managed code, where it arrives as a
 * `JSObject` (or a `JSStreamReference`), and `DotNet.disposeJSObjectReference(ref)` ends it.
 *
 * A reference is not bound to one assembly: any assembly of any runtime may be given it. Each
 * assembly that is given it holds it in its own JS object table (objects.ts), under the
 * reference's own id: JS object ids come from one counter for the whole page (this file's
 * {@link newObjectId}), so the id JS reads from `__jsObjectId` is the id managed code's `JSObject`
 * has, and the one Blazor's message names once the reference is disposed. A reference has one
 * lifetime: disposed by JS, or by managed code disposing its `JSObject`, it is gone from every
 * assembly that held it; given to managed code again, it arrives as a handle that names nothing,
 * whose every use fails with Blazor's message.
 *
 * Only the object `createJSObjectReference` returned is a reference: a copy of it (through JSON,
 * or `{ __jsObjectId: 3 }` written by hand) is a plain object, so no id can be forged into a
 * reference to an object JS never handed over.
 */

let nextObjectId = 1;

/**
 * The next id for a JS object managed code holds. One counter for every table and every explicit
 * reference, and never reused, so that an id means one object wherever it is met.
 */
export function newObjectId(): number {
  return nextObjectId++;
}

/** What holds a reference (an assembly's JS object table): told when the reference ends. */
export interface ReferenceHolder {
  release(id: number): void;
}

/** Blazor's reference to a JS object (`{ __jsObjectId }`), made by `DotNet.createJSObjectReference`. */
export class JSObjectReference {
  /** Blazor's key: the id managed code's handle has. -1 stands for `null`. */
  readonly __jsObjectId: number;
  #target: object | null;
  readonly #holders = new Set<ReferenceHolder>();

  /** @internal Use `DotNet.createJSObjectReference`. */
  constructor(target: object | null, id: number) {
    this.#target = target;
    this.__jsObjectId = id;
  }

  /** The object it refers to; null once disposed (and for the null reference). */
  get target(): object | null {
    return this.#target;
  }

  get disposed(): boolean {
    return this.#target === null;
  }

  /** An assembly now holds it (under `__jsObjectId`). */
  heldBy(holder: ReferenceHolder): void {
    this.#holders.add(holder);
  }

  /** An assembly no longer holds it. */
  releasedBy(holder: ReferenceHolder): void {
    this.#holders.delete(holder);
  }

  /** Ends it: every assembly holding it lets it go. Twice is harmless. */
  dispose(): void {
    if (this.#target === null) return;
    this.#target = null;
    const holders = [...this.#holders];
    this.#holders.clear();
    for (const holder of holders) holder.release(this.__jsObjectId);
  }
}

/** Blazor's reference to JS data managed code reads as a stream (`DotNet.createJSStreamReference`). */
export class JSStreamReference extends JSObjectReference {
  /** Blazor's key: the byte length of the data. */
  readonly __jsStreamReferenceLength: number;

  /** @internal Use `DotNet.createJSStreamReference`. */
  constructor(data: StreamData, id: number) {
    super(data, id);
    this.__jsStreamReferenceLength = streamLengthOf(data);
  }
}

/** Blazor's `createJSObjectReference(null)`: managed code receives `null`. */
export const NULL_REFERENCE = frozen(new JSObjectReference(null, -1));

/** The reference `value` is, if it is one (the object `createJSObjectReference` returned). */
export function asReference(value: unknown): JSObjectReference | null {
  return value instanceof JSObjectReference ? value : null;
}

/** Blazor's `DotNet.createJSObjectReference`: for an object or a function; `null`/`undefined` give a reference to null. */
export function createJSObjectReference(value: unknown): JSObjectReference {
  if (value === null || value === undefined) return NULL_REFERENCE;
  if (typeof value === "object" || typeof value === "function") return frozen(new JSObjectReference(value, newObjectId()));
  throw new Error(notAnObject(value));
}

/**
 * Blazor's `DotNet.createJSStreamReference`: an `ArrayBuffer` (read as a `Uint8Array` over it), a
 * typed array or `DataView`, or a `Blob` (a `File`), which managed code reads in chunks.
 */
export function createJSStreamReference(value: unknown): JSStreamReference {
  const data = value instanceof ArrayBuffer ? new Uint8Array(value) : value;
  if (streamLengthOf(data) < 0) throw new Error(NOT_STREAM_DATA);
  return frozen(new JSStreamReference(data as StreamData, newObjectId()));
}

/** Blazor's `DotNet.disposeJSObjectReference`: anything but a live reference is ignored, as there. */
export function disposeJSObjectReference(reference: unknown): void {
  asReference(reference)?.dispose();
}

/** A reference's keys cannot be changed (its state is private). */
function frozen<T extends object>(value: T): T {
  Object.freeze(value);
  return value;
}

/** Blazor's message for what is not stream data. */
export const NOT_STREAM_DATA = "Supplied value is not a typed array or blob.";

/** Blazor's message for a value no `JSObjectReference` can be made of (not an object or a function). */
export const notAnObject = (value: unknown) => `Cannot create a JSObjectReference from the value '${String(value)}'.`;

/** What a JS stream reference reads. */
export type StreamData = Blob | ArrayBuffer | ArrayBufferView;

/**
 * The byte length of `value` as stream data: a `Blob`'s size, an `ArrayBuffer`'s or a view's
 * byte length (over an `ArrayBuffer`, as Blazor requires); -1 for anything else.
 */
export function streamLengthOf(value: unknown): number {
  if (typeof Blob !== "undefined" && value instanceof Blob) return value.size;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) return value.byteLength;
  return -1;
}
