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
import { blazorMessages, InteropError } from "./errors.ts";
import { NOT_SUSPENDABLE } from "../js/jspi.ts";


/** Runs one call; `self` is the object id for an instance method (its export takes it first). */
export type Invoker = (args: readonly unknown[], self?: number) => unknown;

type Export = (...args: WasmValue[]) => WasmValue;

/** Which value a conversion failure was about: an argument's index, the result, or none (while managed code runs). */
const RESULT = -1;
const CALLING = -2;

/** Runs one call as a promise: through `WebAssembly.promising` where JSPI lets managed code await. */
export type AsyncInvoker = (args: readonly unknown[], self?: number) => Promise<unknown>;

/**
 * A suspendable call, whose result comes boxed: a `Task<T>` result lifts to a promise, and the
 * call's own promise must not wait for it, or the instance's queue of suspendable calls would be
 * held until the task completes — a deadlock when the task waits for a later call into the same
 * instance (the seed's HelloHelper: the JS that completes the task calls `invokeMethodAsync`).
 */
export type SuspendingInvoker = (args: readonly unknown[], self?: number) => Promise<{ readonly value: unknown }>;

/**
 * The synchronous invoker and, given the promising variant of the export (JSPI), the one that
 * may suspend. Both lower, call and lift the same way; `progress.at` tracks which value is being
 * converted, for the error message.
 */
/** What every invoker of one instance shares. */
export interface InvokerContext {
  readonly heap: ManagedHeap;
  readonly boundary: CallBoundary;
  /** The assembly's `preserveReferences`: only then do calls keep identity maps (see heap.ts). */
  readonly preserveReferences: boolean;
}

export function createInvokers(
  method: MethodDescriptor,
  target: Export,
  promising: ((...args: WasmValue[]) => Promise<WasmValue>) | null,
  parameters: readonly Codec[],
  result: Codec,
  receiver: boolean,
  { heap, boundary, preserveReferences }: InvokerContext,
): { invoke: Invoker; invokeSuspending: SuspendingInvoker | null } {
  const { identifier } = method;
  const count = parameters.length;
  // With two or more managed arguments, lowering the second may collect the first: pin them.
  const pinArguments = parameters.filter((codec) => codec.reference).length > 1;
  // The common small arities skip the intermediate array.
  const smallArity = count <= 2 && !pinArguments && !receiver;
  const [first, second] = parameters;
  const progress = { at: 0 };

  const call = <R>(fn: (...args: WasmValue[]) => R, args: readonly unknown[], self: number, pinned: number[] | null): R => {
    if (smallArity) {
      progress.at = CALLING;
      if (count === 0) return fn();
      progress.at = 0;
      const a = first.lower(args[0], heap);
      progress.at = CALLING;
      if (count === 1) return fn(a);
      progress.at = 1;
      const b = second.lower(args[1], heap);
      progress.at = CALLING;
      return fn(a, b);
    }
    const lowered = new Array<WasmValue>(count);
    // An argument that views this instance's memory would be detached by an earlier one's allocation.
    const values = pinned ? args.map((arg) => heap.outsideMemory(arg)) : args;
    for (progress.at = 0; progress.at < count; ++progress.at) {
      const codec = parameters[progress.at];
      const value = codec.lower(values[progress.at], heap);
      if (pinned && codec.reference && value !== 0) {
        heap.pin(value as number);
        pinned.push(value as number);
      }
      lowered[progress.at] = value;
    }
    progress.at = CALLING;
    return receiver ? fn(self, ...lowered) : fn(...lowered);
  };

  const checkCount = (args: readonly unknown[]) => {
    if (args.length !== count) throw new InteropError(blazorMessages.argumentCount(identifier, count, args.length));
  };
  const release = (pinned: number[] | null) => {
    if (!boundary.poisoned) {
      if (pinned) for (const pointer of pinned) heap.unpin(pointer);
      heap.collectIfMuchAllocated();
    }
    boundary.leave();
  };

  const invoke: Invoker = (args, self = 0) => {
    checkCount(args);
    const saved = boundary.enter();
    const pinned = pinArguments ? [] : null;
    // Each call starts its own identity maps and gives its caller's back.
    const callerIdentity = heap.identity;
    if (preserveReferences) heap.identity = null;
    try {
      const raw = call(target, args, self, pinned);
      progress.at = RESULT;
      return result.lift(raw, heap);
    } catch (error) {
      throw boundary.fail(describeFailure(error, method, progress.at), saved);
    } finally {
      if (preserveReferences) heap.identity = callerIdentity;
      release(pinned);
    }
  };

  const invokeSuspending: SuspendingInvoker | null =
    promising &&
    (async (args, self = 0) => {
      checkCount(args);
      const saved = boundary.enter();
      const pinned = pinArguments ? [] : null;
      if (preserveReferences) heap.identity = null;
      try {
        const raw = await call(promising, args, self, pinned);
        // Other calls may have run while this one was suspended: start its result afresh.
        if (preserveReferences) heap.identity = null;
        progress.at = RESULT;
        return { value: result.lift(raw, heap) };
      } catch (error) {
        throw boundary.fail(describeFailure(error, method, progress.at), saved);
      } finally {
        release(pinned);
      }
    });

  return { invoke, invokeSuspending };
}

function describeFailure(error: unknown, method: MethodDescriptor, at: number): unknown {
  // The engine refuses to suspend a call that did not enter through a promising export.
  if (error instanceof Error && error.name === "SuspendError") return new InteropError(NOT_SUSPENDABLE, { cause: error });
  if (!(error instanceof MarshalError) || at === CALLING) return error;
  const what =
    at === RESULT
      ? "its result could not be converted"
      : `argument ${at + 1} ('${method.parameters[at].name}') could not be converted`;
  const reason = error.message.endsWith(".") ? error.message : `${error.message}.`;
  return new InteropError(`The call to '${method.identifier}' failed: ${what}: ${reason}`, { cause: error });
}
