import { holder, holderOf, isTracked, notA, release, track } from "./objects";

/**
 * What JavaScript holds by reference, which the wire format passes as its id: a
 * `DotNetObjectReference`, or a list or dictionary reference (collections.ts).
 */
export abstract class TrackedReference {
  protected _id: u32 = 0;

  /** The id JavaScript knows it by. */
  get id(): u32 {
    return this._id;
  }

  /** Marks the class for the wire format, which passes a reference as its id. */
  __interop_reference(): void {}

  /** The class id of what it refers to, which tells JavaScript what that is. */
  abstract __interop_targetClassId(): u32;
}

/** The `R` already made for the object at `target` (the same object always gets the same reference). */
export function existingReference<R>(target: usize): R | null {
  const existing = holderOf(target);
  return existing instanceof R ? changetype<R>(existing) : null;
}

/**
 * Blazor's `DotNetObjectReference<T>`: hands a managed object to JavaScript by reference. JS gets
 * an object whose `invokeMethod`/`invokeMethodAsync` call the `@jsInvokable` instance methods of
 * `value`, whose properties are its `@scriptableMember` fields, and whose `dispose()` releases it.
 */
export class DotNetObjectReference<T> extends TrackedReference {
  private constructor(readonly value: T) {
    super();
  }

  /** A reference to `value`; the same object always gets the same reference (and id). */
  static create<T>(value: T): DotNetObjectReference<T> {
    const address = changetype<usize>(value);
    const existing = existingReference<DotNetObjectReference<T>>(address);
    if (existing) return existing;
    const reference = new DotNetObjectReference<T>(value);
    reference._id = track(reference, address);
    return reference;
  }

  /** Stops tracking the object: JavaScript's reference fails from now on, with Blazor's message. */
  dispose(): void {
    release(this._id);
  }

  get isDisposed(): bool {
    return !isTracked(this._id);
  }

  /** The class id of `T`, which tells JavaScript the methods and members of the object. */
  __interop_targetClassId(): u32 {
    return idof<T>();
  }
}

/** The reference tracked as `id`, which must be a `DotNetObjectReference<T>`. */
@inline function referenceTo<T>(id: u32): DotNetObjectReference<T> {
  const object = holder(id);
  if (!(object instanceof DotNetObjectReference<T>)) throw new Error(notA(id, `DotNetObjectReference<${nameof<T>()}>`));
  return changetype<DotNetObjectReference<T>>(object);
}

/** The object behind reference `id`: what a generated instance-method wrapper calls the method on. */
@inline export function target<T>(id: u32): T {
  return referenceTo<T>(id).value;
}

