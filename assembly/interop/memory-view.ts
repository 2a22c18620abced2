import { holderAs, isTracked, release, track } from "./objects";
import { TrackedReference } from "./reference";

/**
 * A typed array JavaScript reads and writes where it lies in linear memory, without a copy: .NET's
 * `JSType.MemoryView` over a `Span<byte>` or an `ArraySegment<T>`.
 *
 *   @jsInvokable export function Pixels(): MemoryView<Uint8Array> { return MemoryView.of(pixels); }
 *   @jsInvokable export function Checksum(data: MemoryView<Uint8Array>): u32 { … data.array … }
 *
 * As a result, JS gets an object with `length`, `slice()` (a copy), `subarray()`/`asTypedArray()`
 * (live typed arrays), `set()`, `copyTo()` and `dispose()`; the view (and so its array) is kept
 * alive for JS until JS disposes it or drops it, or managed code calls `dispose()`. As a
 * parameter, managed code gets a view of what JS passed: the very array of a view JS had from this
 * assembly (or a part of it, for a typed array such a view handed out), or a copy of any other
 * typed array of the same type.
 *
 * A view is tracked (given an id JS knows it by) when it first crosses to JS: views made for
 * arguments are not, so a call that fails part way leaves nothing tracked behind.
 */
export abstract class MemoryViewBase extends TrackedReference {
  /** The typed array's header: the host reads its `dataStart` and `byteLength`. */
  abstract get target(): usize;
  /** A new, untracked view of elements `begin` to `end` of the same memory (no copy). */
  abstract view(begin: i32, end: i32): MemoryViewBase;

  /** Stops JavaScript's access: its view fails from now on, with Blazor's message. */
  dispose(): void {
    release(this._id);
  }

  /** The id JS knows it by, tracking it first if it is not tracked (any more). */
  trackedId(): u32 {
    if (!isTracked(this._id)) this._id = track(this, changetype<usize>(this));
    return this._id;
  }
}

export class MemoryView<T> extends MemoryViewBase {
  private constructor(readonly array: T) {
    super();
  }

  /** A view of `array` (a typed array: `Uint8Array` for bytes, `Float64Array`, …). */
  static of<T>(array: T): MemoryView<T> {
    // @ts-ignore: compile-time check
    if (!isDefined(changetype<T>(0).dataStart) || isArray<T>()) ERROR("MemoryView<T> needs a typed array T (Uint8Array, Int32Array, Float64Array, …)");
    return new MemoryView<T>(array);
  }

  /** Its length in elements. */
  get length(): i32 {
    // @ts-ignore: T is a typed array
    return this.array.length;
  }

  get target(): usize {
    return changetype<usize>(this.array);
  }

  view(begin: i32, end: i32): MemoryViewBase {
    // @ts-ignore: T is a typed array
    return begin == 0 && end == this.array.length ? new MemoryView<T>(this.array) : new MemoryView<T>(this.array.subarray(begin, end));
  }

  __interop_targetClassId(): u32 {
    return idof<T>();
  }
}

// The host's entry points (re-exported by the generated glue).

/** Host: the typed array behind view `id` (its header), or Blazor's error once it is released. */
export function memoryViewData(id: u32): usize {
  return holderAs<MemoryViewBase>(id, "MemoryView").target;
}

/** Host: a new view of part of view `id`'s array, for a typed array JS passes back (no copy). */
export function memoryViewSlice(id: u32, begin: i32, end: i32): MemoryViewBase {
  return holderAs<MemoryViewBase>(id, "MemoryView").view(begin, end);
}

/** Host: the id of a view a method returned, tracking it if it is new. */
export function memoryViewTrack(view: MemoryViewBase): u32 {
  return view.trackedId();
}
