/**
 * Builds, once per method at load time, the function that runs a call: check the argument count,
 * lower each argument, call the export, lift the result, all inside the instance's
 * {@link CallBoundary}.
 */
import type { Codec, WasmValue } from "../marshal/codec.ts";
import { MarshalError } from "../marshal/errors.ts";
import type { ManagedHeap } from "../marshal/heap.ts";
import type { MethodDescriptor } from "../marshal/types.ts";
import type { CallBoundary } from "./boundary.ts";
import { blazorMessages, InteropError, ManagedError } from "./errors.ts";

/** Where AssemblyScript places the managed library's sources. */
const LIBRARY_FILES = "~lib/as-interop/";

/** Runs one call; `self` is the object id for an instance method (its export takes it first). */
export type Invoker = (args: readonly unknown[], self?: number) => unknown;

type Export = (...args: WasmValue[]) => WasmValue;

/** Which value a conversion failure was about: an argument's index, the result, or none (while managed code runs). */
const RESULT = -1;
const CALLING = -2;

export function createInvoker(
  method: MethodDescriptor,
  target: Export,
  parameters: readonly Codec[],
  result: Codec,
  heap: ManagedHeap,
  boundary: CallBoundary,
  receiver = false,
): Invoker {
  const { identifier } = method;
  const count = parameters.length;
  // With two or more managed arguments, lowering the second may collect the first: pin them.
  const pinArguments = parameters.filter((codec) => codec.reference).length > 1;
  const [first, second] = parameters;

  /** Lowers and calls; `at` tracks which value is being converted, for the error message. */
  let at = 0;
  const call = (args: readonly unknown[], self: number, pinned: number[] | null): WasmValue => {
    // The common small arities skip the intermediate array.
    if (count <= 2 && !pinArguments && !receiver) {
      at = CALLING;
      if (count === 0) return target();
      at = 0;
      const a = first.lower(args[0], heap);
      at = CALLING;
      if (count === 1) return target(a);
      at = 1;
      const b = second.lower(args[1], heap);
      at = CALLING;
      return target(a, b);
    }
    const lowered = new Array<WasmValue>(count);
    for (at = 0; at < count; ++at) {
      const codec = parameters[at];
      const value = codec.lower(args[at], heap);
      if (pinned && codec.reference && value !== 0) {
        heap.pin(value as number);
        pinned.push(value as number);
      }
      lowered[at] = value;
    }
    at = CALLING;
    return receiver ? target(self, ...lowered) : target(...lowered);
  };

  return (args, self = 0) => {
    if (args.length !== count) {
      throw new InteropError(blazorMessages.argumentCount(identifier, count, args.length));
    }
    const saved = boundary.enter();
    const pinned = pinArguments ? [] : null;
    try {
      const raw = call(args, self, pinned);
      at = RESULT;
      return result.lift(raw, heap);
    } catch (error) {
      throw boundary.fail(describeFailure(error, method, at), saved);
    } finally {
      if (pinned && !boundary.poisoned) for (const pointer of pinned) heap.unpin(pointer);
      boundary.leave();
    }
  };
}

function describeFailure(error: unknown, method: MethodDescriptor, at: number): unknown {
  // The managed library's own checks (a disposed reference, a cycle) are interop errors, whose
  // location inside the library would only distract.
  if (error instanceof ManagedError && error.fileName?.startsWith(LIBRARY_FILES)) {
    return new InteropError(error.managedMessage, { cause: error });
  }
  if (!(error instanceof MarshalError) || at === CALLING) return error;
  const what =
    at === RESULT
      ? "its result could not be converted"
      : `argument ${at + 1} ('${method.parameters[at].name}') could not be converted`;
  const reason = error.message.endsWith(".") ? error.message : `${error.message}.`;
  return new InteropError(`The call to '${method.identifier}' failed: ${what}: ${reason}`, { cause: error });
}
