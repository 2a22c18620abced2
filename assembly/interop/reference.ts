import { holder, holderOf, isTracked, notA, release, track } from "./objects";

/**
 * What JavaScript holds by reference, which the wire format passes as its id: a
 * `DotNetObjectReference`, or a list or dictionary reference (collections.ts).
 *
 * Its tracking ends two ways. Disposed (by managed code, or by JavaScript's `dispose()`), it is
 * dead for good, as a Blazor `DotNetObjectReference` is. Released because JavaScript let go of
 * its object without disposing it (JS's garbage collector, or a value that failed to cross), it
 * is still good, as Blazor's is until disposed: managed code that kept it (a component's `objRef`,
 * handed to JS at every call) hands it out again under a new id.
 */
export abstract class TrackedReference {
  protected _id: u32 = 0;
  /** What it is tracked under (objects.ts `track`): its object's address, or a collection's key. */
  private _key: usize = 0;
  private _disposed: bool = false;

  /** The id JavaScript knows it by. */
  get id(): u32 {
    return this._id;
  }

  /** Tracks it, for the object at `key`, under a new id. */
  protected trackAs(key: usize): void {
    this._key = key;
    this._id = track(this, key);
  }

  /** Whether it was disposed, from either side. */
  protected get disposed(): bool {
    return this._disposed;
  }

  /** Ends it for good (see the class comment). */
  protected disposeTracking(): void {
    this._disposed = true;
    release(this._id);
  }

  /**
   * The id to hand JavaScript: its own, or a new one when JavaScript let go of its object while
   * nobody disposed it (see the class comment). A disposed one cannot be handed out: .NET's
   * `ObjectDisposedException`, as Blazor's `DotNetObjectReference` throws when it is passed to JS.
   */
  __interop_handOut(): u32 {
    if (this._disposed) throw new Error(this.disposedMessage());
    if (this._key != 0 && !isTracked(this._id)) this._id = track(this, this._key);
    return this._id;
  }

  /** .NET's `ObjectDisposedException` message, naming the reference's type. */
  protected disposedMessage(): string {
    return `Cannot access a disposed object.\nObject name: '${this.typeName()}'.`;
  }

  /** The reference's type, for messages. */
  protected typeName(): string {
    return "TrackedReference";
  }

  /** JavaScript disposed it (see `disposeTracked`). */
  __interop_markDisposed(): void {
    this._disposed = true;
  }

  /** Marks the class for the wire format, which passes a reference as its id. */
  __interop_reference(): void {}

  /** The class id of what it refers to, which tells JavaScript what that is. */
  abstract __interop_targetClassId(): u32;

  /** The managed object it refers to, for a call of a member its class inherits (see `target`); 0 when it is no object's. */
  __interop_targetAddress(): usize {
    return 0;
  }
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
  private constructor(private readonly _value: T) {
    super();
  }

  /** A reference to `value`; the same object always gets the same reference (and id). */
  static create<T>(value: T): DotNetObjectReference<T> {
    const address = changetype<usize>(value);
    const existing = existingReference<DotNetObjectReference<T>>(address);
    if (existing) return existing;
    const reference = new DotNetObjectReference<T>(value);
    reference.trackAs(address);
    return reference;
  }

  /** The object; once disposed, .NET's `ObjectDisposedException` message. */
  get value(): T {
    if (this.disposed) throw new Error(this.disposedMessage());
    return this._value;
  }

  /**
   * The object, without `value`'s check: for a reference found by its id, which is tracked, so not
   * disposed (disposing releases the id). Inlined into every instance-method call from JavaScript.
   */
  @inline __interop_target(): T {
    return this._value;
  }

  /** Stops tracking the object: JavaScript's reference fails from now on, with Blazor's message. */
  dispose(): void {
    this.disposeTracking();
  }

  /** As .NET names it: `ThrowIfDisposed` passes `GetType().Name`, which is the generic type's name, without its argument. */
  protected typeName(): string {
    return "DotNetObjectReference`1";
  }

  /** Disposed, by managed code or by JavaScript (not merely let go by JavaScript: see TrackedReference). */
  get isDisposed(): bool {
    return this.disposed;
  }

  /** The class id of `T`, which tells JavaScript the methods and members of the object. */
  __interop_targetClassId(): u32 {
    return idof<T>();
  }

  __interop_targetAddress(): usize {
    return changetype<usize>(this._value);
  }
}

/**
 * The object behind reference `id`: what a generated instance-method wrapper calls the method on.
 * A `DotNetObjectReference<T>`, or one to an object of a class derived from `T`, whose JS object
 * calls the members `T` declares as well as its own (Blazor calls a base class's `[JSInvokable]`
 * methods on a derived object).
 */
@inline export function target<T>(id: u32): T {
  const object = holder(id);
  if (object instanceof DotNetObjectReference<T>) return changetype<DotNetObjectReference<T>>(object).__interop_target();
  return inheritedTarget<T>(id, object);
}

/** The object behind `id` as a `T` it derives from; aborts as `target` always did for anything else. */
function inheritedTarget<T>(id: u32, object: Object): T {
  const address = object instanceof TrackedReference ? changetype<TrackedReference>(object).__interop_targetAddress() : 0;
  if (address == 0 || !(changetype<Object>(address) instanceof T)) throw new Error(notA(id, `DotNetObjectReference<${nameof<T>()}>`));
  return changetype<T>(address);
}

/**
 * The object `reference` is to, as a `T`: what JavaScript gave where a value of a plain class `T`
 * is expected (a `@scriptableMember`'s, an element of a by-reference collection), a reference to an
 * object of `T` or of a class derived from it, whatever class the reference was made for. Aborts
 * for anything else (a view, a sibling class's object), which the host refuses first.
 */
export function referencedObject<T>(reference: TrackedReference): T {
  const address = reference.__interop_targetAddress();
  if (address == 0 || !(changetype<Object>(address) instanceof T)) throw new Error(notA(reference.id, `reference to a ${nameof<T>()}`));
  return changetype<T>(address);
}

/**
 * Host: JavaScript disposed `id` (its `dispose()`). A reference is then disposed for managed code
 * too, as Blazor's `__Dispose` disposes the .NET `DotNetObjectReference`; then the id is released.
 */
export function disposeTracked(id: u32): void {
  if (!isTracked(id)) return;
  const tracked = holder(id);
  if (tracked instanceof TrackedReference) changetype<TrackedReference>(tracked).__interop_markDisposed();
  release(id);
}
