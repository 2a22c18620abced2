import { TaggedWriter } from "./tagged";

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
    this.useRoom(changetype<usize>(this) + offsetof<JSArgs>("room0"), 6 * sizeof<u64>());
    this.reserveCount();
  }
}

/**
 * What a call passes for `args`: where the encoded arguments are, or 0 for none. An address, not
 * a reference: it may point into the JSArgs object, which its caller keeps alive for the call.
 */
export function argsBuffer(args: JSArgs | null): usize {
  return args ? args.finishArgs() : 0;
}
