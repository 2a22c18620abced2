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

  static of<T>(value: T): JSArgs {
    return new JSArgs().and<T>(value);
  }

  and<T>(value: T): JSArgs {
    this.write<T>(value);
    ++this.count;
    return this;
  }

  /** `[u32 used][u32 count][values]`, for the host. */
  finish(): ArrayBuffer {
    const buffer = super.finish();
    store<u32>(changetype<usize>(buffer), this.count, 4);
    return buffer;
  }

  /** An empty argument list reserves the count slot too. */
  constructor() {
    super();
    this.reserveCount();
  }
}

/** What a call passes for `args`: the encoded arguments, or null for none. */
export function argsBuffer(args: JSArgs | null): ArrayBuffer | null {
  return args ? args.finish() : null;
}
