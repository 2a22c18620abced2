/**
 * The errors a caller can see. Wording follows Blazor's `Microsoft.JSInterop` wherever Blazor has
 * a message for the same situation, so answers found for Blazor apply here too.
 */

/** A call that could not be dispatched or whose values could not be converted. */
export class InteropError extends Error {
  override name = "InteropError";
}

export const blazorMessages = {
  noAssemblyName: "Property 'AssemblyName' cannot be null, empty, or whitespace.",
  noMethodIdentifier: "Cannot be null, empty, or whitespace. (Parameter 'methodIdentifier')",
  noAssembly: (assembly: string) => `There is no loaded assembly with the name '${assembly}'.`,
  noMethod: (assembly: string, identifier: string) =>
    `The assembly '${assembly}' does not contain a public invokable method with [JSInvokableAttribute("${identifier}")].`,
  /** Blazor names the type as .NET's `Type.Name` does: a generic one by its name and arity (`Box\`1`). */
  noTypeMethod: (typeName: string, identifier: string) =>
    `The type '${dotNetTypeName(typeName)}' does not contain a public invokable method with [JSInvokableAttribute("${identifier}")].`,
  argumentCount: (identifier: string, expected: number, received: number) =>
    `The call to '${identifier}' expects '${expected}' parameters, but received '${received}'.`,
  /** Blazor's, which names the type `DotNetObjectRef` (its name before .NET Core 3.0): here, the type that exists. */
  referenceForValue: (identifier: string, type: string, index: number) =>
    `In call to '${identifier}', parameter of type '${type}' at index ${index + 1} must be declared as type ` +
    `'DotNetObjectReference<${type}>' to receive the incoming value.`,
};

/** .NET's `Type.Name` of a class as the manifest displays it: `Box<Map<string, i32>>` is `Box\`1`. */
function dotNetTypeName(displayName: string): string {
  const open = displayName.indexOf("<");
  if (open < 0) return displayName;
  let depth = 0;
  let arity = 1;
  for (const char of displayName.slice(open + 1, -1)) {
    if (char === "<") depth++;
    else if (char === ">") depth--;
    else if (char === "," && depth === 0) arity++;
  }
  return `${displayName.slice(0, open)}\`${arity}`;
}

/** Managed code aborted (`abort()`, a failed `assert`, an exception the runtime throws). */
export class ManagedError extends Error {
  override name = "ManagedError";
  constructor(
    /** The message managed code gave, without the location. */
    readonly managedMessage: string,
    /** Where it aborted, as AssemblyScript reports it: a source path relative to the compile. */
    readonly fileName: string | null,
    readonly lineNumber: number,
    readonly columnNumber: number,
  ) {
    super(fileName ? `${managedMessage} (at ${fileName}:${lineNumber}:${columnNumber})` : managedMessage);
  }
}

/**
 * The instance hit a fault it cannot be trusted after (a wasm trap: out-of-bounds access,
 * `unreachable`, stack overflow; or the worker it ran in stopped). Every later call fails fast
 * with this error until the assembly is loaded again.
 */
export class AssemblyPoisonedError extends Error {
  override name = "AssemblyPoisonedError";
  constructor(
    assembly: string,
    readonly fault: unknown,
    /** Where the fault was, in the message: a worker that stopped (say, JavaScript there called `process.exit`) is no fault of managed code's. */
    where = "in managed code",
  ) {
    super(
      `The assembly '${assembly}' is unusable after a fatal fault ${where} (${String(fault)}). ` +
        `Load it again to continue.`,
      { cause: fault },
    );
  }
}
