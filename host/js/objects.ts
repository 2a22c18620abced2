/**
 * JS objects that managed code holds (`JSObject`, Blazor's `IJSObjectReference`): by id, for one
 * assembly. The same JS object keeps one id while it is held; ids are never reused, so a stale id
 * can only miss. Until managed code disposes a handle, the object stays reachable from here.
 *
 * Handles made while encoding one value are provisional until managed code has read it: if it
 * skips or refuses them (a property its class lacks, a type mismatch), they are released, and
 * only they, never a handle managed code already held.
 */
import { InteropError } from "../runtime/errors.ts";
import { tooManyHandles } from "../refs/references.ts";

/** Blazor's message for a disposed or unknown JS object reference. */
const noJSObject = (id: number) => `JS object instance with ID ${id} does not exist (has it been disposed?).`;

export class JSObjectTable {
  readonly #byId = new Map<number, object>();
  /** Made while encoding the latest value for managed code. */
  readonly #provisional = new Set<number>();
  readonly #ids = new WeakMap<object, number>();
  #nextId = 1;

  constructor(private readonly maxHandles = Infinity) {}

  /** The id of `value` (an object or function), registering it on first sight. */
  register(value: object): number {
    const known = this.#ids.get(value);
    if (known !== undefined) return known;
    if (this.#byId.size >= this.maxHandles) throw new InteropError(tooManyHandles(this.maxHandles, "JS objects held by managed code"));
    const id = this.#nextId++;
    this.#byId.set(id, value);
    this.#ids.set(value, id);
    this.#provisional.add(id);
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

  /** A new value is being encoded: earlier handles are no longer provisional. */
  beginValue(): void {
    this.#provisional.clear();
  }

  /** Releases `id` if it was made for the latest value and managed code did not keep it. */
  releaseUnused(id: number): void {
    if (this.#provisional.delete(id)) this.release(id);
  }

  get size(): number {
    return this.#byId.size;
  }
}
