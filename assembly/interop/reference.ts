import { holderAs, holderOf, isTracked, release, track } from "./objects";

/**
 * Blazor's `DotNetObjectReference<T>`: hands a managed object to JavaScript by reference. JS gets
 * an object whose `invokeMethod`/`invokeMethodAsync` call the `@jsInvokable` instance methods of
 * `value`, whose properties are its `@scriptableMember` fields, and whose `dispose()` releases it.
 */
export class DotNetObjectReference<T> {
  private _id: u32 = 0;

  private constructor(readonly value: T) {}

  /** A reference to `value`; the same object always gets the same reference (and id). */
  static create<T>(value: T): DotNetObjectReference<T> {
    const address = changetype<usize>(value);
    const existing = holderOf(address);
    if (existing instanceof DotNetObjectReference<T>) return changetype<DotNetObjectReference<T>>(existing);
    const reference = new DotNetObjectReference<T>(value);
    reference._id = track(reference, address);
    return reference;
  }

  /** The id JavaScript knows it by. */
  get id(): u32 {
    return this._id;
  }

  /** Stops tracking the object: JavaScript's reference fails from now on, with Blazor's message. */
  dispose(): void {
    release(this._id);
  }

  get isDisposed(): bool {
    return !isTracked(this._id);
  }

  /** Marks the class for the wire format, which passes a reference as its id. */
  __interop_reference(): void {}

  /** The class id of `T`, which tells JavaScript the methods and members of the object. */
  __interop_targetClassId(): u32 {
    return idof<T>();
  }
}

/** The reference tracked as `id`, which must be a `DotNetObjectReference<T>`. */
export function referenceTo<T>(id: u32): DotNetObjectReference<T> {
  return holderAs<DotNetObjectReference<T>>(id, `DotNetObjectReference<${nameof<T>()}>`);
}

/** The object behind reference `id`: what a generated instance-method wrapper calls the method on. */
export function target<T>(id: u32): T {
  return referenceTo<T>(id).value;
}

