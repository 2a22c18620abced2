/**
 * The demo's managed code: the seed's Blazor samples ("Call .NET methods from JavaScript
 * functions"), written in AssemblyScript. The assembly is named `BlazorSample`, the seed's
 * `{APP ASSEMBLY}`, after this file.
 */

/** Blazor: `[JSInvokable] public static Task<int[]> ReturnArrayAsync()`. */
@jsInvokable
export function ReturnArrayAsync(): i32[] {
  return [1, 2, 3];
}

/** Blazor: `[JSInvokable("DifferentMethodName")]`: JS calls it by that identifier, not its name. */
@jsInvokable("DifferentMethodName")
export function ReturnArrayAsyncRenamed(): i32[] {
  return [1, 2, 3];
}
