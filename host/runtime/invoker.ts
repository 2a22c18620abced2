/**
 * Builds, once per method at load time, the function that runs a call: check the argument count,
 * lower each argument, call the export, lift the result, all inside the instance's
 * {@link CallBoundary}.
 */
import type { Codec, ValueCodec, WasmValue } from "../marshal/codec.ts";
import { MarshalError } from "../marshal/errors.ts";
import type { CallIdentity, ManagedHeap } from "../marshal/heap.ts";
import { typeName, type MethodDescriptor, type TypeDescriptor } from "../marshal/types.ts";
import { DotNetObject } from "../refs/dotnet-object.ts";
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
 * instance (Blazor's documentation sample HelloHelper: the JS that completes the task calls `invokeMethodAsync`).
 */
type SuspendingInvoker = (args: readonly unknown[], self?: number) => Promise<{ readonly value: unknown }>;

/** What every invoker of one instance shares. */
interface InvokerContext {
  readonly heap: ManagedHeap;
  readonly boundary: CallBoundary;
  /** The assembly's `preserveReferences`: only then do calls keep identity maps (see heap.ts). */
  readonly preserveReferences: boolean;
  /** Per-value bookkeeping of the handle tables (see {@link ValueGuards}). */
  readonly guards: ValueGuards;
}

/**
 * What a conversion registers in the handle tables belongs to its value: released if it fails
 * part way, so one failing value cannot fill a table for good.
 */
export interface ValueGuards {
  /** Lowers a call's arguments: the JS objects they registered as handles go if one fails. */
  lowering<T>(convert: () => T): T;
  /** Lifts a result: the managed references it wrapped go if it fails, and count against maxHandles as one. */
  lifting<T>(convert: () => T): T;
}

/** Which of a method's values may register handles, so that only those pay for the guards. */
export interface GuardedValues {
  /** An argument may hold a `JSObject`. */
  readonly arguments: boolean;
  /** The result may hold managed references (objects, functions, views). */
  readonly result: boolean;
}

/**
 * The synchronous invoker and, given the promising variant of the export (JSPI), the one that
 * may suspend. Both lower, call and lift the same way; `at` tracks which value is being
 * converted, for the error message.
 */
export function createInvokers(
  method: MethodDescriptor,
  target: Export,
  promising: ((...args: WasmValue[]) => Promise<WasmValue>) | null,
  parameters: readonly Codec[],
  result: Codec,
  receiver: boolean,
  { heap, boundary, preserveReferences, guards }: InvokerContext,
  guarded: GuardedValues,
): { invoke: Invoker; invokeSuspending: SuspendingInvoker | null } {
  const count = parameters.length;
  const valueNames = method.parameters.map((parameter) => byValueObjectName(parameter.type));
  // With two or more managed arguments, lowering the second may collect the first: pin them.
  const pinArguments = parameters.filter((codec) => codec.reference).length > 1;
  // The common small arities skip the intermediate array (instance methods too: `self` first).
  const smallArity = count <= 2 && !pinArguments && !guarded.arguments;
  let at = 0;

  /** Each argument is one value for maxPayloadBytes. */
  const lowerAt = (index: number, value: unknown): WasmValue => {
    at = index;
    const valueName = valueNames[index];
    if (valueName !== null && value instanceof DotNetObject) {
      throw new InteropError(blazorMessages.referenceForValue(method.identifier, valueName, index));
    }
    heap.beginValue();
    return parameters[index].lower(value, heap);
  };
  const lowerAll = (args: readonly unknown[], pinned: number[] | null): WasmValue[] => {
    const lowered = new Array<WasmValue>(count);
    // An argument that views this instance's memory would be detached by an earlier one's allocation.
    const values = pinned ? args.map((arg) => heap.outsideMemory(arg)) : args;
    for (let i = 0; i < count; ++i) {
      const value = lowerAt(i, values[i]);
      if (pinned && parameters[i].reference && value !== 0) {
        heap.pin(value as number);
        pinned.push(value as number);
      }
      lowered[i] = value;
    }
    return lowered;
  };

  const call = <R>(fn: (...args: WasmValue[]) => R, args: readonly unknown[], self: number, pinned: number[] | null): R => {
    if (smallArity) {
      if (count === 0) {
        at = CALLING;
        return receiver ? fn(self) : fn();
      }
      const a = lowerAt(0, args[0]);
      at = CALLING;
      if (count === 1) return receiver ? fn(self, a) : fn(a);
      const b = lowerAt(1, args[1]);
      at = CALLING;
      return receiver ? fn(self, a, b) : fn(a, b);
    }
    const lowered = guarded.arguments ? guards.lowering(() => lowerAll(args, pinned)) : lowerAll(args, pinned);
    at = CALLING;
    return receiver ? fn(self, ...lowered) : fn(...lowered);
  };

  /** The result, as one value; refused if the instance was poisoned meanwhile (by a nested call). */
  const liftResult = (raw: WasmValue): unknown => {
    boundary.checkUsable();
    at = RESULT;
    heap.beginValue();
    return guarded.result ? guards.lifting(() => result.lift(raw, heap)) : result.lift(raw, heap);
  };

  /**
   * Each call starts its own identity maps and payload count, and `release` gives the caller's
   * back (a getter read while lowering may call in, mid-value).
   */
  const ownIdentity = () => {
    const callerIdentity = heap.identity;
    if (preserveReferences) heap.identity = null;
    return callerIdentity;
  };
  const release = (pinned: number[] | null, callerIdentity: CallIdentity | null, callerBytes: number) => {
    if (preserveReferences) heap.identity = callerIdentity;
    heap.valueBytes = callerBytes;
    if (boundary.usable) {
      if (pinned) for (const pointer of pinned) heap.unpin(pointer);
      heap.collectIfMuchAllocated();
    }
    boundary.leave();
  };

  const invokeAny: Invoker = (args, self = 0) => {
    checkArgumentCount(method, count, args);
    const saved = boundary.enter();
    const pinned = pinArguments ? [] : null;
    const callerBytes = heap.valueBytes;
    const callerIdentity = ownIdentity();
    try {
      return liftResult(call(target, args, self, pinned));
    } catch (error) {
      throw boundary.fail(describeFailure(error, method, at), saved);
    } finally {
      release(pinned, callerIdentity, callerBytes);
    }
  };

  const plain = smallArity && result.plain === true && parameters.every((codec) => codec.plain);
  const invoke = plain ? plainInvoker(method, target, parameters, result, receiver, boundary) : invokeAny;

  const invokeSuspending: SuspendingInvoker | null =
    promising &&
    (async (args, self = 0) => {
      checkArgumentCount(method, count, args);
      const saved = boundary.enter();
      const pinned = pinArguments ? [] : null;
      const callerBytes = heap.valueBytes;
      const callerIdentity = ownIdentity();
      try {
        const raw = await call(promising, args, self, pinned);
        // Other calls may have run while this one was suspended: start its result afresh.
        if (preserveReferences) heap.identity = null;
        return { value: liftResult(raw) };
      } catch (error) {
        throw boundary.fail(describeFailure(error, method, at), saved);
      } finally {
        release(pinned, callerIdentity, callerBytes);
      }
    });

  return { invoke, invokeSuspending };
}

/**
 * The invoker of a method of numbers, bools and chars only, with at most two parameters: no
 * identity maps, payload count, pins or collection to save and restore, since converting such
 * values touches none of it (and a caller's counts, mid-value when a getter it reads calls in,
 * stay as they are). Its own function, not a branch of the general one: V8 shares type feedback
 * between all closures of one function, so a path shared with strings and arrays would be
 * megamorphic in every app that calls both, and the lowering here would no longer be inlined.
 */
function plainInvoker(
  method: MethodDescriptor,
  target: Export,
  parameters: readonly Codec[],
  result: Codec,
  receiver: boolean,
  boundary: CallBoundary,
): Invoker {
  const count = parameters.length;
  // A plain codec's functions never use `this` (see ValueCodec), so they are called as they are.
  const lowerFirst = parameters[0]?.lower as ValueCodec["lower"];
  const lowerSecond = parameters[1]?.lower as ValueCodec["lower"];
  const lift = result.lift as ValueCodec["lift"];
  let at = 0;
  return (args, self = 0) => {
    checkArgumentCount(method, count, args);
    const saved = boundary.enter();
    try {
      let raw: WasmValue;
      if (count === 0) {
        at = CALLING;
        raw = receiver ? target(self) : target();
      } else {
        at = 0;
        const a = lowerFirst(args[0]);
        if (count === 1) {
          at = CALLING;
          raw = receiver ? target(self, a) : target(a);
        } else {
          at = 1;
          const b = lowerSecond(args[1]);
          at = CALLING;
          raw = receiver ? target(self, a, b) : target(a, b);
        }
      }
      // Refused if the instance was poisoned meanwhile (by a nested call).
      boundary.checkUsable();
      at = RESULT;
      return lift(raw);
    } catch (error) {
      throw boundary.fail(describeFailure(error, method, at), saved);
    } finally {
      boundary.leave();
    }
  };
}

/**
 * Exactly as many arguments as parameters; a method without parameters ignores what it is given,
 * as Blazor's dispatcher does (it reads no arguments for one).
 */
function checkArgumentCount(method: MethodDescriptor, count: number, args: readonly unknown[]): void {
  if (args.length !== count && count !== 0) throw new InteropError(blazorMessages.argumentCount(method.identifier, count, args.length));
}

/**
 * The name of a parameter's type if it is one that takes a plain object as a value (a
 * `@dataMember` class, a map), which a reference must not be read as: Blazor refuses one there
 * (a `DotNetObject`'s scriptable members would otherwise be copied as if they were its fields).
 */
function byValueObjectName(type: TypeDescriptor): string | null {
  return type.kind === "struct" || type.kind === "map" ? typeName({ ...type, nullable: false }) : null;
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
