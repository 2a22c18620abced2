// Managed → JavaScript through as-interop (issue 15): the same loops as bench.ts's callAdd,
// callEcho and callItemsJson, through a typed JS import (`@jsImport`, .NET's [JSImport]) and
// through `JSRuntime.invoke` (Blazor's `IJSInProcessRuntime.Invoke`); and JS → managed calls on
// an object held by reference. A separate entry: the bindings build of bench.ts is plain asc,
// which has no as-interop library.
import { DotNetObjectReference, JSArgs, JSRuntime } from "as-interop/assembly/interop";
import { Item, makeItems } from "./by-value";

@jsImport("add") declare function typedAdd(a: i32, b: i32): i32;
@jsImport("echo") declare function typedEcho(s: string): string;
@jsImport("takeItems") declare function typedTakeItems(items: Item[]): i32;

@jsInvokable
export function CallAddTyped(n: i32): i32 {
  let sum = 0;
  for (let i = 0; i < n; ++i) sum += typedAdd(i, 40);
  return sum;
}

@jsInvokable
export function CallAdd(n: i32): i32 {
  let sum = 0;
  for (let i = 0; i < n; ++i) sum += JSRuntime.invoke<i32>("add", JSArgs.of<i32>(i).and<i32>(40));
  return sum;
}

@jsInvokable
export function CallEchoTyped(n: i32, s: string): i32 {
  let total = 0;
  for (let i = 0; i < n; ++i) total += typedEcho(s).length;
  return total;
}

@jsInvokable
export function CallEcho(n: i32, s: string): i32 {
  let total = 0;
  for (let i = 0; i < n; ++i) total += JSRuntime.invoke<string>("echo", JSArgs.of<string>(s)).length;
  return total;
}

const items = makeItems(1000);

@jsInvokable
export function CallItemsTyped(n: i32): i32 {
  let total = 0;
  for (let i = 0; i < n; ++i) total += typedTakeItems(items);
  return total;
}

@jsInvokable
export function CallItems(n: i32): i32 {
  let total = 0;
  for (let i = 0; i < n; ++i) total += JSRuntime.invoke<i32>("takeItems", JSArgs.of<Item[]>(items));
  return total;
}

// ---------------------------------------------------------------------------------------------
// JS → managed on an object held by reference, against a static method of the same shape.

export class Counter {
  @scriptableMember count: i32 = 0;
  @jsInvokable Increment(by: i32): i32 {
    this.count += by;
    return this.count;
  }
}

const counter = new Counter();

@jsInvokable
export function CreateCounter(): DotNetObjectReference<Counter> {
  return DotNetObjectReference.create(counter);
}

@jsInvokable
export function IncrementStatic(by: i32): i32 {
  counter.count += by;
  return counter.count;
}

@jsInvokable
export function CountStatic(): i32 {
  return counter.count;
}
