/**
 * The worker's side of references held by the page: the worker's own objects (its runtime's
 * `DotNetObject`s, delegate functions and views) kept alive here for as long as the page holds a
 * proxy for them, by the id the page knows them by.
 *
 * Ids count up and are never reused, so a stale id can only miss. Each time an object is sent its
 * count goes up; the page, when it drops its proxy, says how many times it received it, and the
 * object goes only when every copy sent has been accounted for — a copy still on its way gets a new
 * proxy on the page, which will be released in its turn.
 */
import { noTrackedObject } from "../refs/references.ts";
import { InteropError } from "../runtime/errors.ts";
import type { ReferenceType } from "./reference-values.ts";

interface Exported {
  readonly value: object;
  /** The type it was sent as, which says what the page may do with it. */
  readonly type: ReferenceType;
  /** Times sent and not yet accounted for by a release. */
  sent: number;
}

export class ExportedReferences {
  readonly #byId = new Map<number, Exported>();
  readonly #ids = new WeakMap<object, number>();
  #nextId = 1;

  /** The id `value` crosses as; it stays alive here until the page releases it. */
  export(value: object, type: ReferenceType): number {
    let id = this.#ids.get(value);
    if (id === undefined) this.#ids.set(value, (id = this.#nextId++));
    const exported = this.#byId.get(id);
    if (exported) ++exported.sent;
    else this.#byId.set(id, { value, type, sent: 1 });
    return id;
  }

  /** The object behind `id` and its type, for an operation or an argument; Blazor's message once it is gone. */
  get(id: number): { readonly value: object; readonly type: ReferenceType } {
    const exported = this.#byId.get(id);
    if (!exported) throw new InteropError(noTrackedObject(id));
    return exported;
  }

  /**
   * The page dropped a proxy that had received `id` `count` times. With `dispose`, its code
   * disposed it: the object is released whatever is on its way.
   */
  release(id: number, count: number, dispose: boolean): void {
    const exported = this.#byId.get(id);
    if (!exported) return;
    exported.sent -= count;
    if (exported.sent > 0 && !dispose) return;
    this.#byId.delete(id);
    this.#ids.delete(exported.value);
    // Disposed by the page's code: disposed here (views and DotNetObjects; functions have no
    // dispose, here as on the page). Dropped by the page: left to the worker's collector, whose
    // finalizer releases it as a dropped object, not disposed (a reference managed code kept
    // crosses again, as in Blazor).
    if (dispose && exported.type.kind !== "delegate") (exported.value as { dispose(): void }).dispose();
  }

  get size(): number {
    return this.#byId.size;
  }
}
