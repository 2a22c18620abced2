/**
 * Errors of worker-hosted assemblies, and errors crossing between the threads: structured clone
 * keeps only the standard error classes (and drops their fields), so each side sends what the
 * other needs to make the same error again — an `InteropError` is an `InteropError` on the page,
 * a `ManagedError` keeps its file and line, a `MarshalError` its path — with the worker's stack.
 */
import { MarshalError } from "../marshal/errors.ts";
import { OutOfMemoryError } from "../marshal/heap.ts";
import { AssemblyPoisonedError, InteropError, ManagedError } from "../runtime/errors.ts";
import type { SerializedError } from "./protocol.ts";

/**
 * A call to a worker-hosted assembly ran past its time bound (`timeoutMs`): the worker was
 * terminated, every call waiting for it rejects with this error, and the assembly is loaded again
 * in a new worker. Named as the web platform names a timeout (`AbortSignal.timeout`).
 */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

/**
 * Why a synchronous call cannot reach an assembly in a worker, and what to call instead: Blazor's
 * message where its dispatcher cannot call .NET synchronously (Blazor Server), then the reason.
 */
export function syncCallRefused(assembly: string, call: string, instead: string): InteropError {
  return new InteropError(
    `The current dispatcher does not support synchronous calls from JS to .NET. Use ${instead} instead: ` +
      `the assembly '${assembly}' runs in a worker (it was loaded with { worker }), and ${call} cannot wait for another thread.`,
  );
}

/** `text` with its first letter in upper case: messages start with the call they are about. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** How deep a chain of causes is sent along. */
const MAX_CAUSES = 4;

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    const described = { name: "Error", message: describeThrown(error), stack: undefined };
    return isCloneable(error) ? { ...described, thrown: error } : described;
  }
  const serialized: { -readonly [K in keyof SerializedError]: SerializedError[K] } = {
    name: error.name,
    message: error.message,
    stack: error.stack,
  };
  if (error instanceof ManagedError) {
    serialized.managed = [error.managedMessage, error.fileName, error.lineNumber, error.columnNumber];
  }
  if (error instanceof MarshalError) serialized.marshal = [error.reason, error.path];
  if (error.cause !== undefined && depth < MAX_CAUSES) serialized.cause = serializeError(error.cause, depth + 1);
  return serialized;
}

/**
 * A value thrown that is not an `Error`, in words: `42`, `{"code":7}`, a symbol's description. A
 * function is its tag: its text is its source, the code of the side that threw it, and the other
 * side may be a sandbox (a page function's rejection reaches the worker's managed code).
 */
function describeThrown(value: unknown): string {
  if (typeof value === "function") return Object.prototype.toString.call(value);
  if (typeof value === "object" && value !== null) {
    try {
      const json = JSON.stringify(value);
      if (json !== undefined) return json;
    } catch {
      // A cycle, a BigInt: String() says what it can.
    }
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

function isCloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the other side threw, as it was thrown: the same kind of `Error` (see `deserializeError`),
 * or the value itself when it was not an `Error` and could be copied.
 */
export function deserializeThrown(serialized: SerializedError, assemblyName: string): unknown {
  return "thrown" in serialized ? serialized.thrown : deserializeError(serialized, assemblyName);
}

/** The same kind of error as the one serialized, with its message, fields, cause and stack. */
export function deserializeError(serialized: SerializedError, assemblyName: string): Error {
  const cause = serialized.cause && deserializeError(serialized.cause, assemblyName);
  const error = make(serialized, assemblyName, cause);
  // Classes that compute their message from their fields are given back the message sent.
  error.message = serialized.message;
  if (error.name !== serialized.name) error.name = serialized.name;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}

function make(serialized: SerializedError, assemblyName: string, cause: Error | undefined): Error {
  const { name, message } = serialized;
  const options = cause === undefined ? undefined : { cause };
  switch (name) {
    case "InteropError":
      return new InteropError(message, options);
    case "ManagedError": {
      const [managedMessage, fileName, line, column] = serialized.managed ?? [message, null, 0, 0];
      return new ManagedError(managedMessage, fileName, line, column);
    }
    case "MarshalError": {
      const [reason, path] = serialized.marshal ?? [message, ""];
      const error = new MarshalError(reason);
      error.path = path;
      return error;
    }
    case "AssemblyPoisonedError":
      return new AssemblyPoisonedError(assemblyName, cause ?? new Error(message));
    case "OutOfMemoryError":
      return new OutOfMemoryError(message);
    case "TimeoutError":
      return new TimeoutError(message, options);
    case "RuntimeError":
      return new WebAssembly.RuntimeError(message);
    case "TypeError":
      return new TypeError(message, options);
    case "RangeError":
      return new RangeError(message, options);
    case "SyntaxError":
      return new SyntaxError(message, options);
    case "ReferenceError":
      return new ReferenceError(message, options);
    default:
      return new Error(message, options);
  }
}
