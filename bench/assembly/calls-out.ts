// Managed → JavaScript through as-interop: the same loops as bench.ts's callAdd and callEcho,
// with `JSRuntime.invoke` (Blazor's `IJSInProcessRuntime.Invoke`) instead of a plain import. A
// separate entry: the esm-bindings build of bench.ts is plain asc, which has no as-interop library.
import { JSArgs, JSRuntime } from "as-interop/assembly/interop";

@jsInvokable
export function CallAdd(n: i32): i32 {
  let sum = 0;
  for (let i = 0; i < n; ++i) sum += JSRuntime.invoke<i32>("add", JSArgs.of<i32>(i).and<i32>(40));
  return sum;
}

@jsInvokable
export function CallEcho(n: i32, s: string): i32 {
  let total = 0;
  for (let i = 0; i < n; ++i) total += JSRuntime.invoke<string>("echo", JSArgs.of<string>(s)).length;
  return total;
}
