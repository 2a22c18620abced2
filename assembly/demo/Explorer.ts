/**
 * The marshaling explorer's managed half (web/pages/explorer): for each type of the marshaling
 * table, a method that describes what managed code received (`Describe…`, returning text) and
 * one that hands the value straight back (`Echo…`), so the page can show both directions.
 *
 * A new type is two methods here and one example in web/pages/explorer/examples.ts.
 */
import { char, DictionaryReference, DotNetObjectReference, Guid, JSObject, JSStreamReference, ListReference, MemoryView, Nullable, Task } from "as-interop/assembly/interop";

// --- bool and integers --------------------------------------------------------------------------

@jsInvokable export function DescribeBool(v: bool): string { return "bool " + (v ? "true" : "false"); }
@jsInvokable export function EchoBool(v: bool): bool { return v; }

@jsInvokable export function DescribeU8(v: u8): string { return "u8 " + v.toString(); }
@jsInvokable export function EchoU8(v: u8): u8 { return v; }

@jsInvokable export function DescribeI16(v: i16): string { return "i16 " + v.toString(); }
@jsInvokable export function EchoI16(v: i16): i16 { return v; }

@jsInvokable export function DescribeI32(v: i32): string { return "i32 " + v.toString(); }
@jsInvokable export function EchoI32(v: i32): i32 { return v; }

@jsInvokable export function DescribeU32(v: u32): string { return "u32 " + v.toString(); }
@jsInvokable export function EchoU32(v: u32): u32 { return v; }

@jsInvokable export function DescribeI64(v: i64): string { return "i64 " + v.toString(); }
@jsInvokable export function EchoI64(v: i64): i64 { return v; }

@jsInvokable export function DescribeU64(v: u64): string { return "u64 " + v.toString(); }
@jsInvokable export function EchoU64(v: u64): u64 { return v; }

@jsInvokable export function DescribeIsize(v: isize): string { return "isize " + v.toString(); }
@jsInvokable export function EchoIsize(v: isize): isize { return v; }

@jsInvokable export function DescribeUsize(v: usize): string { return "usize " + v.toString(); }
@jsInvokable export function EchoUsize(v: usize): usize { return v; }

// --- floating point -----------------------------------------------------------------------------

/** Shows the single-precision value exactly, as the double it widens to. */
@jsInvokable export function DescribeF32(v: f32): string { return "f32 " + (<f64>v).toString(); }
@jsInvokable export function EchoF32(v: f32): f32 { return v; }

@jsInvokable export function DescribeF64(v: f64): string { return "f64 " + v.toString(); }
@jsInvokable export function EchoF64(v: f64): f64 { return v; }

// --- enums and char -----------------------------------------------------------------------------

export enum Color { Red, Green, Blue }

@jsInvokable export function DescribeColor(c: Color): string {
  const name = c == Color.Red ? "Color.Red" : c == Color.Green ? "Color.Green" : c == Color.Blue ? "Color.Blue" : "no Color member";
  return name + " (" + (<i32>c).toString() + ")";
}
@jsInvokable export function EchoColor(c: Color): Color { return c; }

@jsInvokable export function DescribeChar(c: char): string {
  return "char U+" + (<i32>c).toString(16).toUpperCase().padStart(4, "0") + " " + quote(String.fromCharCode(c));
}
@jsInvokable export function EchoChar(c: char): char { return c; }

// --- Nullable<T> (.NET's int?) -------------------------------------------------------------------

@jsInvokable export function DescribeNullableI32(n: Nullable<i32>): string {
  return n.hasValue ? "Nullable<i32> with the value " + n.value.toString() : "Nullable<i32> without a value (hasValue false)";
}
@jsInvokable export function EchoNullableI32(n: Nullable<i32>): Nullable<i32> { return n; }

@jsInvokable export function DescribeNullableBool(n: Nullable<bool>): string {
  return n.hasValue ? "Nullable<bool> with the value " + (n.value ? "true" : "false") : "Nullable<bool> without a value (hasValue false)";
}
@jsInvokable export function EchoNullableBool(n: Nullable<bool>): Nullable<bool> { return n; }

// --- strings ------------------------------------------------------------------------------------

@jsInvokable export function DescribeString(s: string): string { return describeString(s); }
@jsInvokable export function EchoString(s: string): string { return s; }

@jsInvokable export function DescribeNullableString(s: string | null): string {
  return s === null ? "null" : describeString(s);
}
@jsInvokable export function EchoNullableString(s: string | null): string | null { return s; }

// --- Date and Guid ------------------------------------------------------------------------------

@jsInvokable export function DescribeDate(d: Date): string {
  return "Date " + d.toISOString() + " (" + d.getTime().toString() + " ms since 1970)";
}
@jsInvokable export function EchoDate(d: Date): Date { return d; }

@jsInvokable export function DescribeGuid(g: Guid): string { return "Guid " + g.toString(); }
@jsInvokable export function EchoGuid(g: Guid): Guid { return g; }

// --- arrays -------------------------------------------------------------------------------------

@jsInvokable export function DescribeI32Array(a: Array<i32>): string {
  return "Array<i32> of " + a.length.toString() + ": [" + a.join(", ") + "]";
}
@jsInvokable export function EchoI32Array(a: Array<i32>): Array<i32> { return a; }

@jsInvokable export function DescribeU8Array(a: Array<u8>): string {
  return "Array<u8> of " + a.length.toString() + ": [" + a.join(", ") + "]";
}
@jsInvokable export function EchoU8Array(a: Array<u8>): Array<u8> { return a; }

@jsInvokable export function DescribeNullableStringArray(a: Array<string | null>): string {
  const parts = new Array<string>(a.length);
  for (let i = 0; i < a.length; ++i) {
    const item = a[i];
    parts[i] = item === null ? "null" : quote(item);
  }
  return "Array<string | null> of " + a.length.toString() + ": [" + parts.join(", ") + "]";
}
@jsInvokable export function EchoNullableStringArray(a: Array<string | null>): Array<string | null> { return a; }

@jsInvokable export function DescribeNestedArray(a: Array<Array<i32>>): string {
  const parts = new Array<string>(a.length);
  for (let i = 0; i < a.length; ++i) parts[i] = "[" + a[i].join(", ") + "]";
  return "Array<Array<i32>> of " + a.length.toString() + ": [" + parts.join(", ") + "]";
}
@jsInvokable export function EchoNestedArray(a: Array<Array<i32>>): Array<Array<i32>> { return a; }

@jsInvokable export function DescribeStaticArray(a: StaticArray<i32>): string {
  const parts = new Array<string>(a.length);
  for (let i = 0; i < a.length; ++i) parts[i] = a[i].toString();
  return "StaticArray<i32> of " + a.length.toString() + ": [" + parts.join(", ") + "]";
}
@jsInvokable export function EchoStaticArray(a: StaticArray<i32>): StaticArray<i32> { return a; }

@jsInvokable export function DescribeNullableArray(a: Array<i32> | null): string {
  return a === null ? "null" : "Array<i32> of " + a.length.toString() + ": [" + a.join(", ") + "]";
}
@jsInvokable export function EchoNullableArray(a: Array<i32> | null): Array<i32> | null { return a; }

// --- typed arrays -------------------------------------------------------------------------------

@jsInvokable export function DescribeBytes(a: Uint8Array): string {
  const parts = new Array<string>(a.length);
  for (let i = 0; i < a.length; ++i) parts[i] = a[i].toString();
  return "Uint8Array of " + a.length.toString() + ": [" + parts.join(", ") + "]";
}
@jsInvokable export function EchoBytes(a: Uint8Array): Uint8Array { return a; }

@jsInvokable export function DescribeFloat64s(a: Float64Array): string {
  const parts = new Array<string>(a.length);
  for (let i = 0; i < a.length; ++i) parts[i] = a[i].toString();
  return "Float64Array of " + a.length.toString() + ": [" + parts.join(", ") + "]";
}
@jsInvokable export function EchoFloat64s(a: Float64Array): Float64Array { return a; }

// --- Map<string, V> -----------------------------------------------------------------------------

@jsInvokable export function DescribeMap(m: Map<string, i32>): string {
  const keys = m.keys();
  const parts = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; ++i) parts[i] = quote(keys[i]) + " → " + m.get(keys[i]).toString();
  return "Map<string, i32> of " + keys.length.toString() + ": {" + parts.join(", ") + "}";
}
@jsInvokable export function EchoMap(m: Map<string, i32>): Map<string, i32> { return m; }

// --- @dataMember classes ------------------------------------------------------------------------

class Point {
  @dataMember x: f64 = 0;
  @dataMember y: f64 = 0;
  /** Not a data member: never crosses; JS → managed it keeps what the constructor gave it. */
  hidden: i32 = 7;
}

@jsInvokable export function DescribePoint(p: Point): string {
  return "Point { x: " + p.x.toString() + ", y: " + p.y.toString() + " } (unmarked field hidden = " + p.hidden.toString() + ")";
}
@jsInvokable export function EchoPoint(p: Point): Point { return p; }

@jsInvokable export function DescribeNullableDate(d: Date | null): string {
  return d === null ? "null" : "Date " + d.toISOString();
}
@jsInvokable export function EchoNullableDate(d: Date | null): Date | null { return d; }

// --- by reference: objects and functions ---------------------------------------------------------

class Counter {
  count: i32 = 0;

  @jsInvokable Increment(): i32 { return ++this.count; }
}

@jsInvokable export function NewCounter(): DotNetObjectReference<Counter> {
  return DotNetObjectReference.create(new Counter());
}
@jsInvokable export function DescribeCounter(ref: DotNetObjectReference<Counter>): string {
  return "the Counter tracked as id " + ref.id.toString() + ", count " + ref.value.count.toString();
}
@jsInvokable export function EchoCounter(ref: DotNetObjectReference<Counter>): DotNetObjectReference<Counter> { return ref; }

@jsInvokable export function DescribeDoubler(): string { return "called with no arguments"; }
@jsInvokable export function Doubler(): (x: i32) => i32 { return (x: i32): i32 => x * 2; }
/** A delegate given back is the managed function itself (the HTML Bridge's cast back to the delegate type). */
@jsInvokable export function DescribeFunction(fn: (x: i32) => i32): string {
  return "the managed function itself, called directly: fn(21) = " + fn(21).toString();
}
@jsInvokable export function EchoFunction(fn: (x: i32) => i32): (x: i32) => i32 { return fn; }

// --- by reference: JS objects, tasks and collections ------------------------------------------------

@jsInvokable export function DescribeJSObject(o: JSObject): string {
  return o.hasProperty("label") ? "a JSObject handle; its label is " + quote(o.getProperty<string>("label")) : "a JSObject handle";
}
@jsInvokable export function EchoJSObject(o: JSObject): JSObject { return o; }

@jsInvokable export function DescribeStream(s: JSStreamReference): string {
  return "a JSStreamReference of " + s.length.toString() + " bytes (read with openReadStream(max).copyTo(sink))";
}
@jsInvokable export function EchoStream(s: JSStreamReference): JSStreamReference { return s; }

@jsInvokable export function DescribeTaskResult(x: i32): string { return "i32 " + x.toString() + ", for a Task<i32> completed at once"; }
@jsInvokable export function EchoTask(x: i32): Task<i32> { return Task.fromResult<i32>(x); }
@jsInvokable export function DescribeVoidTask(): string { return "a Task without a result, completed at once"; }
@jsInvokable export function EchoVoidTask(): Task { return Task.completed(); }
@jsInvokable export function DescribeFaultedTask(message: string): string { return "a Task<i32> to fail with " + quote(message); }
@jsInvokable export function EchoFaultedTask(message: string): Task<i32> {
  const task = new Task<i32>();
  task.reject(message);
  return task;
}

let explorerInts: Array<i32> = [];
@jsInvokable export function NewInts(): ListReference<i32> {
  explorerInts = [1, 2, 3];
  return ListReference.of(explorerInts);
}
@jsInvokable export function DescribeInts(list: ListReference<i32>): string {
  return "a view of the managed Array<i32> [" + list.list.join(", ") + "]";
}
@jsInvokable export function EchoInts(list: ListReference<i32>): ListReference<i32> { return list; }

let explorerPrices = new Map<string, f64>();
@jsInvokable export function NewPrices(): DictionaryReference<f64> {
  explorerPrices = new Map<string, f64>();
  explorerPrices.set("apple", 1.25);
  return DictionaryReference.of(explorerPrices);
}
@jsInvokable export function DescribePrices(prices: DictionaryReference<f64>): string {
  const keys = prices.map.keys();
  return "a view of the managed Map<string, f64> with the keys " + keys.join(", ");
}
@jsInvokable export function EchoPrices(prices: DictionaryReference<f64>): DictionaryReference<f64> { return prices; }

let explorerView = new Uint8Array(0);
@jsInvokable export function NewView(): MemoryView<Uint8Array> {
  explorerView = new Uint8Array(3);
  for (let i = 0; i < 3; ++i) explorerView[i] = <u8>(i + 1);
  return MemoryView.of(explorerView);
}
@jsInvokable export function DescribeView(view: MemoryView<Uint8Array>): string {
  const own = view.array.buffer === explorerView.buffer;
  return "a view of " + view.length.toString() + " bytes [" + view.array.join(", ") + "], " + (own ? "managed code's own array (no copy)" : "a copy");
}
@jsInvokable export function EchoView(view: MemoryView<Uint8Array>): MemoryView<Uint8Array> { return view; }

// --- void ---------------------------------------------------------------------------------------

let voidCalls = 0;
@jsInvokable export function DescribeVoidCall(): string { return "called with no arguments"; }
@jsInvokable export function Nothing(): void { ++voidCalls; }

// --- helpers ------------------------------------------------------------------------------------

function describeString(s: string): string {
  return "string of " + s.length.toString() + " code units: " + quote(s);
}

/** Quotes a string, spelling out surrogates as \uXXXX so a pair or a lone one can be seen. */
function quote(s: string): string {
  let text = '"';
  for (let i = 0; i < s.length; ++i) {
    const unit = s.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdfff) text += "\\u" + unit.toString(16).toUpperCase();
    else if (unit == 0x22 || unit == 0x5c) text += "\\" + String.fromCharCode(unit);
    else text += String.fromCharCode(unit);
  }
  return text + '"';
}
