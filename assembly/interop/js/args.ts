import { TaggedWriter } from "./tagged";
import { JSObject } from "./object";
import { JSStreamReference } from "./stream-reference";

/**
 * The arguments of a call into JavaScript, any number of any marshalable types:
 *
 *   JSRuntime.invoke<string>("exampleJsFunctions.sayHello", JSArgs.of(objRef))
 *   JSRuntime.invokeVoid("console.log", JSArgs.of("x =").and(42))
 *
 * Written straight into the buffer the host reads: `[u32 used][u32 count][values]`.
 */
export class JSArgs extends TaggedWriter {
  private count: u32 = 0;
  /** Borrowed by `lend`: the call it is passed to gives it back. */
  private lent: bool = false;
  // Room for the common few arguments inside the object itself, so that a call allocates one
  // object, not two (`[u32 used][u32 count]` and three numbers, say); more moves to a buffer.
  private room0: u64 = 0;
  private room1: u64 = 0;
  private room2: u64 = 0;
  private room3: u64 = 0;
  private room4: u64 = 0;
  private room5: u64 = 0;

  static of<T>(value: T): JSArgs {
    return new JSArgs().and<T>(value);
  }

  /**
   * `of`, for an argument list written directly in a `JSRuntime` call, which nothing else can
   * hold: the compiler writes `JSArgs.of` there as `lend` (host/compiler/lent-arguments.ts says
   * why). The list is one given back before, if any, and the call gives it back once the host
   * has read it. Written by hand it is a compile error (as is `lendFor`): the list could be held
   * after that.
   */
  static lend<T>(value: T): JSArgs {
    return JSArgs.borrow().and<T>(value);
  }

  /**
   * The empty start of a list written directly in a call on `receiver` (`module.invoke("f",
   * JSArgs.of(x))` compiles as `JSArgs.lendFor(module).and(x)`): lent when the receiver is a
   * `JSObject` or `JSStreamReference`, whose methods give it back; a new list for anything else.
   */
  static lendFor<R>(receiver: R): JSArgs {
    if (isManaged<R>()) {
      if (idof<NonNullable<R>>() == idof<JSObject>() || idof<NonNullable<R>>() == idof<JSStreamReference>()) return JSArgs.borrow();
    }
    return new JSArgs();
  }

  private static borrow(): JSArgs {
    const args = freeCount > 0 ? unchecked(freeLists[--freeCount])! : new JSArgs();
    args.lent = true;
    return args;
  }

  and<T>(value: T): JSArgs {
    this.write<T>(value);
    ++this.count;
    return this;
  }

  /** Where `[u32 used][u32 count][values]` are, for the host. */
  finishArgs(): usize {
    const at = changetype<usize>(this.finish());
    store<u32>(at, this.count, 4);
    return at;
  }

  /** An empty argument list reserves the count slot too. */
  constructor() {
    super(0);
    this.useOwnRoom();
  }

  /** Writes go to the room inside the object, after the count slot. */
  private useOwnRoom(): void {
    this.useRoom(changetype<usize>(this) + offsetof<JSArgs>("room0"), 6 * sizeof<u64>());
    this.reserveCount();
  }

  /** No arguments, in the object's own room (a buffer grown for a long one is let go). */
  private empty(): void {
    if (this.buffer) this.buffer = null;
    this.used = sizeof<u32>();
    this.count = 0;
    this.useOwnRoom();
  }

  /** Free again (its call has returned), if `lend` handed it out. */
  giveBack(): void {
    if (!this.lent) return;
    this.lent = false;
    this.empty();
    if (freeCount < MAX_FREE) unchecked((freeLists[freeCount++] = this));
  }
}

/**
 * The lists `lend` may hand out again: `freeLists[0 … freeCount)`. A list is out while its call runs
 * (a call into JS whose JS calls back into managed code, which calls JS again, has two out). One
 * whose call a JS exception unwound is never given back: no frame is left to use it, and it is
 * collected like any object.
 */
const MAX_FREE = 8;
const freeLists = new StaticArray<JSArgs | null>(MAX_FREE);
let freeCount = 0;

/**
 * What a call passes for `args`: where the encoded arguments are, or 0 for none. An address, not
 * a reference: it may point into the JSArgs object, which its caller keeps alive for the call.
 */
export function argsBuffer(args: JSArgs | null): usize {
  return args ? args.finishArgs() : 0;
}

/** After the host has read `args` (its call into JS has returned): a lent list is free again. */
export function doneWith(args: JSArgs | null): void {
  if (args) args.giveBack();
}
