/**
 * JS objects that managed code holds (`JSObject`, Blazor's `IJSObjectReference`): by id, for one
 * assembly. The same JS object keeps one id while it is held; ids are never reused, so a stale id
 * can only miss. Until managed code disposes a handle, the object stays reachable from here.
 *
 * Handles are made while a value is converted for managed code, and belong to that value:
 * - if the conversion fails part way, every handle it made is released at once;
 * - once it succeeded, they are provisional until managed code has read it: the handles it skips
 *   (a property its class lacks) are released, and all of them if its read fails (a type
 *   mismatch), never a handle managed code held before.
 *
 * A reference JS made explicitly (`DotNet.createJSObjectReference`, object-references.ts) is held
 * under its own id, apart from the object it refers to: disposed from either side, it goes from
 * every table holding it. Stream references and data read as one (`JSStreamReference`) are
 * counted apart too, for diagnostics.
 */
import { InteropError } from "../runtime/errors.ts";
import { tooManyHandles } from "../refs/references.ts";
import { openAccess, type JSAccess } from "./membrane.ts";
import { asReference, newObjectId, NULL_REFERENCE, streamLengthOf, type JSObjectReference, type ReferenceHolder } from "./object-references.ts";

/** Blazor's message for a call on a disposed or unknown JS object reference (its `findJSFunction`). */
export const noJSObject = (id: number) => `JS object instance with ID ${id} does not exist (has it been disposed?).`;

/**
 * Blazor's message for a disposed or unknown JS object reference given to JavaScript as a value
 * (an argument of a call into JS, a result, stream data being read): its JSON reviver's.
 */
export const noJSObjectValue = (id: number) => `JS object instance with Id '${id}' does not exist. It may have been disposed.`;

export class JSObjectTable implements ReferenceHolder {
  readonly #byId = new Map<number, object>();
  #ids = new WeakMap<object, number>();
  /** The explicit references held, by their id (also in `#byId`, with their target). */
  readonly #references = new Map<number, JSObjectReference>();
  /** The handles managed code reads as stream data (`JSStreamReference`). */
  readonly #streams = new Set<number>();
  /** The handles made for each value being converted now, innermost last. */
  readonly #converting: Set<number>[] = [];
  /** Made for the latest value managed code was given to read. */
  #provisional = new Set<number>();

  constructor(
    private readonly maxHandles = Infinity,
    /** What managed code may be given and read (the sandbox's membrane, or open access). */
    private readonly access: Pick<JSAccess, "sandboxed" | "admit" | "read"> = openAccess,
  ) {}

  admit(value: object): void {
    this.access.admit(value);
  }

  /**
   * What a copy of `value`'s fields `keys` (a struct's) reads, once `value` is admitted: `value`
   * itself, or in a sandbox each key as a path reads it — no key that climbs to the language's
   * machinery (an arguments object's `callee`), nothing a built-in prototype holds (its accessors
   * never run), an error's stack as none. Read by name with `value[key]`, a copy would have reached
   * all of these past the membrane.
   */
  fieldsOf(value: object, keys: readonly string[]): object {
    this.admit(value);
    if (!this.access.sandboxed) return value;
    // Without a prototype, a key named `__proto__` is an own property like the others.
    const fields = Object.create(null) as Record<string, unknown>;
    for (const key of keys) fields[key] = this.access.read(value, key);
    return fields;
  }

  /**
   * The id of `value` (an object or function), registering it on first sight. An explicit
   * reference is held under its own id, and admitted for what it refers to.
   */
  register(value: object): number {
    const reference = asReference(value);
    if (reference) return this.#registerReference(reference);
    const known = this.#ids.get(value);
    if (known !== undefined) return known;
    this.admit(value);
    this.#checkRoom();
    const id = newObjectId();
    this.#byId.set(id, value);
    this.#ids.set(value, id);
    this.#converting.at(-1)?.add(id);
    return id;
  }

  #registerReference(reference: JSObjectReference): number {
    const id = reference.__jsObjectId;
    const target = reference.target;
    // Disposed: managed code still gets a handle under its id, as Blazor's .NET side gets an
    // `IJSObjectReference` for any id JS sends, but one that names nothing here, so that each use
    // of it fails with Blazor's message (`target` and `get` below).
    if (target === null) return id;
    if (this.#references.has(id)) return id;
    this.admit(target);
    this.#checkRoom();
    this.#byId.set(id, target);
    this.#references.set(id, reference);
    reference.heldBy(this);
    this.#converting.at(-1)?.add(id);
    return id;
  }

  #checkRoom(): void {
    if (this.#byId.size >= this.maxHandles) throw new InteropError(tooManyHandles(this.maxHandles, "JS objects held by managed code"));
  }

  /**
   * The id of `value` as stream data (a `Blob`, an `ArrayBuffer`, a view; or a reference to one),
   * registering it; null when it is not stream data.
   */
  registerStream(value: object): number | null {
    const reference = asReference(value);
    if (reference?.disposed) throw new InteropError(noJSObject(reference.__jsObjectId));
    if (streamLengthOf(reference ? reference.target : value) < 0) return null;
    const id = this.register(value);
    this.#streams.add(id);
    return id;
  }

  standsForNull(value: unknown): boolean {
    return value === NULL_REFERENCE;
  }

  /** The byte length of handle `id` as stream data (and it is counted as one), or -1 if it is none. */
  streamLength(id: number): number {
    const length = streamLengthOf(this.get(id));
    if (length >= 0) this.#streams.add(id);
    return length;
  }

  /** The object behind handle `id`, given to JavaScript as a value (an argument, a result, stream data). */
  get(id: number): object {
    const value = this.#byId.get(id);
    if (value === undefined) throw new InteropError(noJSObjectValue(id));
    return value;
  }

  /** The object behind handle `id`, which managed code calls a function of (or reads, or writes). */
  target(id: number): object {
    const value = this.#byId.get(id);
    if (value === undefined) throw new InteropError(noJSObject(id));
    return value;
  }

  /** Lets handle `id` go from this table (a failed conversion, an unused handle, a disposal). */
  release(id: number): void {
    const value = this.#byId.get(id);
    if (value === undefined) return;
    this.#byId.delete(id);
    this.#streams.delete(id);
    const reference = this.#references.get(id);
    if (reference) {
      this.#references.delete(id);
      reference.releasedBy(this);
    } else {
      this.#ids.delete(value);
    }
  }

  /**
   * The handle `value` has as itself goes, if it has one (an explicit reference to it is the
   * reference's owner's to dispose). For a buffer that moved to another thread: what stays here is
   * an empty, detached husk, and a table that kept it would grow by one with every buffer that
   * passes through.
   */
  releaseObject(value: object): void {
    const id = this.#ids.get(value);
    if (id !== undefined) this.release(id);
  }

  /**
   * Managed code disposed handle `id`: it goes, and an explicit reference ends everywhere, as a
   * Blazor `IJSObjectReference` disposed from .NET does.
   */
  dispose(id: number): void {
    const reference = this.#references.get(id);
    if (reference) reference.dispose();
    else this.release(id);
  }

  /**
   * Converts one value for managed code with `convert`: the handles it makes are released if it
   * throws, or if `kept` says that what it converted for was not taken (a list view's set past its
   * end). `toRead`: managed code reads the result with the tagged reader, so its handles stay
   * provisional until then (see the file comment).
   */
  convert<T>(convert: () => T, toRead: boolean, kept: (result: T) => boolean = always): T {
    const made = new Set<number>();
    this.#converting.push(made);
    // From now on the latest value is this one: an earlier value's handles are no longer
    // provisional, even if this conversion fails (a failure must release only what it made).
    if (toRead) this.#provisional = made;
    let result: T;
    try {
      result = convert();
      // A nested conversion (a getter calling in) may have taken its place meanwhile.
      if (toRead) this.#provisional = made;
    } catch (error) {
      this.#releaseAll(made);
      throw error;
    } finally {
      this.#converting.pop();
    }
    if (!kept(result)) this.#releaseAll(made);
    return result;
  }

  /** See {@link JSObjectHandles.lookingUp}. */
  lookingUp<T>(work: () => T): T {
    return this.convert(work, false, never);
  }

  #releaseAll(made: Set<number>): void {
    for (const id of made) this.release(id);
    made.clear();
  }

  /**
   * The latest value for managed code to read made no handles (a number, a string: converted
   * without `convert`), so a failure to read it must release none of an earlier value's.
   */
  plainValue(): void {
    if (this.#provisional.size) this.#provisional = new Set();
  }

  /** Releases `id` if it was made for the latest value and managed code did not keep it. */
  releaseUnused(id: number): void {
    if (this.#provisional.delete(id)) this.release(id);
  }

  /** Managed code could not read the latest value: none of the handles made for it is held. */
  abandonValue(): void {
    for (const id of this.#provisional) this.release(id);
    this.#provisional.clear();
  }

  /** Every handle goes (the assembly was unloaded or reloaded). */
  clear(): void {
    for (const reference of this.#references.values()) reference.releasedBy(this);
    this.#references.clear();
    this.#streams.clear();
    this.#byId.clear();
    this.#ids = new WeakMap();
    this.#provisional.clear();
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Handles managed code holds as stream data (`JSStreamReference`s not yet disposed). */
  get streams(): number {
    return this.#streams.size;
  }
}

const always = (): boolean => true;
const never = (): boolean => false;
