/**
 * The sandbox's first example: the two static methods of Blazor's documentation ("Call .NET
 * methods from JavaScript functions in ASP.NET Core Blazor"), alone, so a first compile is quick.
 * The demo's whole `BlazorSample` is assembly/demo/BlazorSample.ts.
 */

/** Blazor: `[JSInvokable] public static Task<int[]> ReturnArrayAsync()`. */
@jsInvokable
export function ReturnArrayAsync(): i32[] {
  return [1, 2, 3];
}

/** Blazor: `[JSInvokable("DifferentMethodName")]`: JavaScript calls it by that identifier, not its name. */
@jsInvokable("DifferentMethodName")
export function ReturnArrayAsyncRenamed(): i32[] {
  return [1, 2, 3];
}
