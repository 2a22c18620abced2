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
 */
import { InteropError } from "../runtime/errors.ts";
import { tooManyHandles } from "../refs/references.ts";

/** Blazor's message for a disposed or unknown JS object reference. */
export const noJSObject = (id: number) => `JS object instance with ID ${id} does not exist (has it been disposed?).`;

export class JSObjectTable {
  readonly #byId = new Map<number, object>();
  #ids = new WeakMap<object, number>();
  /** The handles made for each value being converted now, innermost last. */
  readonly #converting: Set<number>[] = [];
  /** Made for the latest value managed code was given to read. */
  #provisional = new Set<number>();
  #nextId = 1;

  constructor(
    private readonly maxHandles = Infinity,
    /** Throws for an object managed code may not be given (the sandbox's membrane). */
    private readonly admit: (value: object) => void = () => {},
  ) {}

  /** The id of `value` (an object or function), registering it on first sight. */
  register(value: object): number {
    const known = this.#ids.get(value);
    if (known !== undefined) return known;
    this.admit(value);
    if (this.#byId.size >= this.maxHandles) throw new InteropError(tooManyHandles(this.maxHandles, "JS objects held by managed code"));
    const id = this.#nextId++;
    this.#byId.set(id, value);
    this.#ids.set(value, id);
    this.#converting.at(-1)?.add(id);
    return id;
  }

  get(id: number): object {
    const value = this.#byId.get(id);
    if (value === undefined) throw new InteropError(noJSObject(id));
    return value;
  }

  release(id: number): void {
    const value = this.#byId.get(id);
    if (value === undefined) return;
    this.#byId.delete(id);
    this.#ids.delete(value);
  }

  /**
   * Converts one value for managed code with `convert`: the handles it makes are released if it
   * throws. `toRead`: managed code reads the result with the tagged reader, so its handles stay
   * provisional until then (see the file comment).
   */
  convert<T>(convert: () => T, toRead: boolean): T {
    const made = new Set<number>();
    this.#converting.push(made);
    try {
      const result = convert();
      if (toRead) this.#provisional = made;
      return result;
    } catch (error) {
      for (const id of made) this.release(id);
      throw error;
    } finally {
      this.#converting.pop();
    }
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
    this.#byId.clear();
    this.#ids = new WeakMap();
    this.#provisional.clear();
  }

  get size(): number {
    return this.#byId.size;
  }
}
