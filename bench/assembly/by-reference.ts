// By-reference views (scenarios/by-reference.ts): a list, strings, a dictionary and plain-class
// elements handed to JS as live views, the by-value copies to compare with, and lists passed to
// JS functions as a view or a copy.
import { DictionaryReference, DotNetObjectReference, JSArgs, JSRuntime, ListReference } from "as-interop/assembly/interop";

let list: Array<i32> = [];

/** A new list 0, 1, …, n − 1 and a live reference to it. */
@jsInvokable export function Fill(n: i32): ListReference<i32> {
  list = new Array<i32>(n);
  for (let i = 0; i < n; ++i) unchecked((list[i] = i));
  return ListReference.of(list);
}

/** The by-value copy (Blazor's default): the whole list as a JS array. */
@jsInvokable export function Copy(): i32[] {
  return list;
}

/** Writes a by-value copy back into the same list (so the view stays on it). */
@jsInvokable export function SetAll(values: i32[]): void {
  for (let i = 0; i < values.length; ++i) list[i] = values[i];
}

@jsInvokable export function Sum(): i32 {
  let sum = 0;
  for (let i = 0; i < list.length; ++i) sum += unchecked(list[i]);
  return sum;
}

let names: Array<string> = [];
@jsInvokable export function FillNames(n: i32): ListReference<string> {
  names = new Array<string>(n);
  for (let i = 0; i < n; ++i) unchecked((names[i] = "name-" + i.toString()));
  return ListReference.of(names);
}
@jsInvokable export function CopyNames(): string[] { return names; }

let prices = new Map<string, f64>();
@jsInvokable export function FillPrices(n: i32): DictionaryReference<f64> {
  prices = new Map<string, f64>();
  for (let i = 0; i < n; ++i) prices.set("key-" + i.toString(), <f64>i);
  return DictionaryReference.of(prices);
}
@jsInvokable export function CopyPrices(): Map<string, f64> { return prices; }
@jsInvokable export function SetPrices(values: Map<string, f64>): void {
  const keys = values.keys();
  for (let i = 0; i < keys.length; ++i) prices.set(keys[i], values.get(keys[i]));
}
@jsInvokable export function SumPrices(): f64 {
  const values = prices.values();
  let sum = 0.0;
  for (let i = 0; i < values.length; ++i) sum += values[i];
  return sum;
}

/** A plain class: a list of them is a list of references in JS. */
export class Counter {
  @scriptableMember count: i32 = 0;
  constructor(count: i32) { this.count = count; }
}
let counters: Array<Counter> = [];
let counterReferences: Array<DotNetObjectReference<Counter>> = [];
@jsInvokable export function FillCounters(n: i32): ListReference<Counter> {
  counters = new Array<Counter>(n);
  counterReferences = new Array<DotNetObjectReference<Counter>>(n);
  for (let i = 0; i < n; ++i) {
    unchecked((counters[i] = new Counter(i)));
    unchecked((counterReferences[i] = DotNetObjectReference.create(counters[i])));
  }
  return ListReference.of(counters);
}
@jsInvokable export function CounterReferences(): ListReference<DotNetObjectReference<Counter>> {
  return ListReference.of(counterReferences);
}

/** Calls JS's reader(list) with the list as a live view, or (by value) as a copy. */
@jsInvokable export function PassView(reader: string): i32 {
  return JSRuntime.invoke<i32>(reader, JSArgs.of(ListReference.of(list)));
}
@jsInvokable export function PassCopy(reader: string): i32 {
  return JSRuntime.invoke<i32>(reader, JSArgs.of(list));
}
