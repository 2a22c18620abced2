import { TaggedWriter } from "./tagged";

/**
 * The arguments of a call into JavaScript, any number of any marshalable types:
 *
 *   JSRuntime.invoke<string>("exampleJsFunctions.sayHello", JSArgs.of(objRef))
 *   JSRuntime.invokeVoid("console.log", JSArgs.of("x =").and(42))
 */
/** What a call passes for `args`: the encoded arguments, or null for none. */
export function argsBuffer(args: JSArgs | null): ArrayBuffer | null {
  return args ? args.finish() : null;
}

export class JSArgs {
  private readonly writer: TaggedWriter = new TaggedWriter();
  private count: u32 = 0;

  static of<T>(value: T): JSArgs {
    return new JSArgs().and<T>(value);
  }

  and<T>(value: T): JSArgs {
    this.writer.write<T>(value);
    ++this.count;
    return this;
  }

  /** `[u32 used][u32 count][values]`, for the host. */
  finish(): ArrayBuffer {
    const buffer = this.writer.finish();
    store<u32>(changetype<usize>(buffer), this.count, 4);
    return buffer;
  }

  /** An empty argument list reserves the count slot too. */
  constructor() {
    this.writer.reserveCount();
  }
}
