/**
 * The marshaling explorer's examples, as data. `row` names the row of docs/marshaling.md an
 * example illustrates (the first `code` in the row's first column, or the column's text), and
 * `outcome` is what the docs say must happen.
 *
 * Most examples are one value sent to two methods of assembly/demo/Explorer.ts with the same parameter
 * type: `describe` says what managed code received, `echo` returns it. A type that must not
 * compile is a `CompileExample`: a snippet the page compiles in the browser on request. Adding a
 * type to the table is one entry here (and its two methods in Explorer.ts).
 */

export type Outcome =
  /** Managed code receives the value and the result comes back. */
  | "ok"
  /** The argument is refused before managed code runs. */
  | "argument error"
  /** Managed code runs, but its result cannot be given to JavaScript. */
  | "result error"
  /** The compiler refuses the method. */
  | "compile error";

export interface MarshalExample {
  readonly row: string;
  readonly describe: string;
  readonly echo: string;
  /**
   * The arguments, given to both methods; none for the `void` row. A function makes them when the
   * example runs (a reference has to be obtained from managed code first).
   */
  readonly args: readonly unknown[] | (() => readonly unknown[]);
  /** How the arguments are made, shown when `args` is a function. */
  readonly sent?: string;
  /** What JavaScript does next with what came back, e.g. call the function it got. */
  readonly then?: { readonly label: string; readonly run: (back: unknown) => unknown };
  readonly outcome: Outcome;
  /** Why it behaves so, when it is not obvious. */
  readonly note?: string;
  /** Call the copy of the assembly loaded with `{ int64: "bigint" }`. */
  readonly int64AsBigInt?: boolean;
}

export interface CompileExample {
  readonly row: string;
  /** A whole AssemblyScript file that must not compile. */
  readonly source: string;
  /** Part of the message the compiler must give. */
  readonly error: string;
  readonly outcome: "compile error";
  readonly note?: string;
}

export type Example = MarshalExample | CompileExample;

export function isCompileExample(example: Example): example is CompileExample {
  return "source" in example;
}

const bool = { row: "bool", describe: "DescribeBool", echo: "EchoBool" };
const u8 = { row: "i8", describe: "DescribeU8", echo: "EchoU8" };
const i16 = { row: "i8", describe: "DescribeI16", echo: "EchoI16" };
const i32 = { row: "i8", describe: "DescribeI32", echo: "EchoI32" };
const u32 = { row: "i8", describe: "DescribeU32", echo: "EchoU32" };
const i64 = { row: "i64", describe: "DescribeI64", echo: "EchoI64" };
const u64 = { row: "i64", describe: "DescribeU64", echo: "EchoU64" };
const isize = { row: "isize", describe: "DescribeIsize", echo: "EchoIsize" };
const usize = { row: "isize", describe: "DescribeUsize", echo: "EchoUsize" };
const f32 = { row: "f32", describe: "DescribeF32", echo: "EchoF32" };
const f64 = { row: "f32", describe: "DescribeF64", echo: "EchoF64" };
const color = { row: "enums", describe: "DescribeColor", echo: "EchoColor" };
const char = { row: "char", describe: "DescribeChar", echo: "EchoChar" };
const nullableI32 = { row: "Nullable<T>", describe: "DescribeNullableI32", echo: "EchoNullableI32" };
const nullableBool = { row: "Nullable<T>", describe: "DescribeNullableBool", echo: "EchoNullableBool" };
const string = { row: "string", describe: "DescribeString", echo: "EchoString" };
const nullableString = { row: "string | null", describe: "DescribeNullableString", echo: "EchoNullableString" };
const date = { row: "Date", describe: "DescribeDate", echo: "EchoDate" };
const guid = { row: "Guid", describe: "DescribeGuid", echo: "EchoGuid" };
const i32Array = { row: "Array<T>", describe: "DescribeI32Array", echo: "EchoI32Array" };
const u8Array = { row: "Array<T>", describe: "DescribeU8Array", echo: "EchoU8Array" };
const nestedArray = { row: "arrays of arrays", describe: "DescribeNestedArray", echo: "EchoNestedArray" };
const stringArray = { row: "Array<T>", describe: "DescribeNullableStringArray", echo: "EchoNullableStringArray" };
const staticArray = { row: "StaticArray<T>", describe: "DescribeStaticArray", echo: "EchoStaticArray" };
const bytes = { row: "Int8Array", describe: "DescribeBytes", echo: "EchoBytes" };
const float64s = { row: "Int8Array", describe: "DescribeFloat64s", echo: "EchoFloat64s" };
const map = { row: "Map<string, V>", describe: "DescribeMap", echo: "EchoMap" };
const point = { row: "@dataMember", describe: "DescribePoint", echo: "EchoPoint" };
const nullableArray = { row: "T | null", describe: "DescribeNullableArray", echo: "EchoNullableArray" };
const nullableDate = { row: "T | null", describe: "DescribeNullableDate", echo: "EchoNullableDate" };

/** What a `DotNetObjectReference` is to JavaScript, as far as these examples use it. */
interface ManagedObject {
  invokeMethod(identifier: string, ...args: unknown[]): unknown;
  dispose(): void;
}
const counter = { row: "DotNetObjectReference<T>", describe: "DescribeCounter", echo: "EchoCounter" };
const newCounter = () => DotNet.invokeMethod<ManagedObject>("Explorer", "NewCounter");

const givenFunction = { row: "(x: i32) => i32", describe: "DescribeFunction", echo: "EchoFunction" };
const jsObject = { row: "JSObject", describe: "DescribeJSObject", echo: "EchoJSObject" };
const madeByJS = { row: "JSObject, from a reference JS made", describe: "DescribeJSObject", echo: "EchoJSObject" };
const stream = { row: "JSStreamReference", describe: "DescribeStream", echo: "EchoStream" };
const task = { row: "Task<T>", describe: "DescribeTaskResult", echo: "EchoTask" };
const faultedTask = { row: "Task<T>", describe: "DescribeFaultedTask", echo: "EchoFaultedTask" };
const voidTask = { row: "Task<T>", describe: "DescribeVoidTask", echo: "EchoVoidTask" };
const ints = { row: "ListReference<T>", describe: "DescribeInts", echo: "EchoInts" };
const prices = { row: "DictionaryReference<V>", describe: "DescribePrices", echo: "EchoPrices" };
const memoryView = { row: "MemoryView<T>", describe: "DescribeView", echo: "EchoView" };

const NON_STRING_KEYS = `// Compiled in your browser by the sandbox's compiler.
@jsInvokable
export function CountKeys(m: Map<i32, string>): i32 {
  return m.size;
}
`;

export const examples: readonly Example[] = [
  { ...bool, args: [true], outcome: "ok" },
  { ...bool, args: [1], outcome: "argument error", note: "only true and false are booleans" },

  { ...i32, args: [42], outcome: "ok" },
  { ...i32, args: [-2147483648], outcome: "ok", note: "i32's lowest value" },
  { ...u32, args: [4294967295], outcome: "ok", note: "u32's highest value" },
  { ...u8, args: [255], outcome: "ok" },
  { ...u8, args: [300], outcome: "argument error", note: "out of u8's range: never truncated to 44" },
  { ...i32, args: [1.5], outcome: "argument error", note: "not an integer: never truncated to 1" },
  { ...i32, args: [NaN], outcome: "argument error" },
  { ...i16, args: [Infinity], outcome: "argument error" },
  { ...i32, args: ["42"], outcome: "argument error", note: "a string is not a number" },

  { ...i64, args: [Number.MAX_SAFE_INTEGER], outcome: "ok", note: "2^53 − 1, the largest exact number" },
  { ...i64, args: [2 ** 53 + 2], outcome: "argument error", note: "beyond ±2^53 a number may not be exact: pass a BigInt" },
  { ...i64, args: [2n ** 60n], outcome: "result error", note: "arrives exactly, but 2^60 is no exact number on the way back" },
  { ...i64, args: [2n ** 60n], outcome: "ok", int64AsBigInt: true, note: "with { int64: \"bigint\" } it comes back as a BigInt" },
  { ...u64, args: [0xffffffffffffffffn], outcome: "ok", int64AsBigInt: true, note: "the HTML Bridge's UInt64 trap, round-tripped exactly" },
  { ...u64, args: [-1n], outcome: "argument error", note: "out of u64's range" },
  { ...i64, args: [1.5], outcome: "argument error" },

  { ...isize, args: [-7], outcome: "ok" },
  { ...usize, args: [-1], outcome: "argument error", note: "usize is unsigned" },

  { ...f32, args: [0.1], outcome: "ok", note: "rounded to single precision" },
  { ...f64, args: [NaN], outcome: "ok" },
  { ...f64, args: [-Infinity], outcome: "ok" },
  { ...f64, args: ["1.5"], outcome: "argument error" },

  { ...color, args: [1], outcome: "ok" },
  { ...color, args: [7], outcome: "ok", note: "any i32: an enum is a number" },
  { ...color, args: [1.5], outcome: "argument error" },

  { ...char, args: ["A"], outcome: "ok" },
  { ...char, args: ["\ud83d"], outcome: "ok", note: "half a surrogate pair is one code unit" },
  { ...char, args: ["ab"], outcome: "argument error", note: "two characters" },
  { ...char, args: [""], outcome: "argument error" },

  { ...nullableI32, args: [42], outcome: "ok", note: "AssemblyScript has no i32 | null: Nullable<i32> is .NET's int?" },
  { ...nullableI32, args: [null], outcome: "ok", note: "null (or undefined) is one without a value, and comes back as null" },
  { ...nullableI32, args: ["42"], outcome: "argument error", note: "the value converts as an i32 does, with its error" },
  { ...nullableBool, args: [false], outcome: "ok", note: "false is a value, not null" },

  { ...string, args: ["Hello, Blazor!"], outcome: "ok" },
  { ...string, args: ["héllo 😀"], outcome: "ok", note: "the emoji is a surrogate pair: two code units" },
  { ...string, args: ["\ud800"], outcome: "ok", note: "a lone surrogate arrives unchanged" },
  { ...string, args: [null], outcome: "argument error", note: "string is not nullable" },
  { ...string, args: [42], outcome: "argument error" },

  { ...nullableString, args: [null], outcome: "ok" },
  { ...nullableString, args: [undefined], outcome: "ok", note: "undefined becomes null" },
  { ...nullableString, args: ["text"], outcome: "ok" },

  { ...date, args: [new Date(Date.UTC(2020, 7, 12, 9, 30, 15, 250))], outcome: "ok", note: "the instant, to the millisecond" },
  { ...date, args: [new Date(NaN)], outcome: "argument error", note: "an invalid Date" },
  { ...date, args: ["2020-08-12"], outcome: "argument error", note: "a string is not a Date" },

  { ...guid, args: ["382C74C3-721D-4F34-80E5-57657B6CBC27"], outcome: "ok", note: "either case in, lower case out" },
  { ...guid, args: ["382c74c3721d4f3480e557657b6cbc27"], outcome: "argument error", note: "not the 8-4-4-4-12 format" },

  { ...i32Array, args: [[1, 2, 3]], outcome: "ok" },
  { ...i32Array, args: [Int32Array.of(1, 2, 3)], outcome: "ok", note: "the same element type: one bulk copy" },
  { ...i32Array, args: [[1, "2", 3]], outcome: "argument error", note: "the error names the element" },
  { ...u8Array, args: [[0, 255, 256]], outcome: "argument error" },
  { ...i32Array, args: ["1,2,3"], outcome: "argument error" },
  { ...stringArray, args: [["a", null, "c"]], outcome: "ok" },

  { ...staticArray, args: [[1, 2, 3]], outcome: "ok" },

  { ...nestedArray, args: [[[1, 2], [3]]], outcome: "ok", note: "jagged: each inner array its own length" },
  { ...i32Array, args: [[[1, 2]]], outcome: "argument error", note: "no multidimensional arrays: the error is at [0]" },

  { ...bytes, args: [Uint8Array.of(1, 2, 255)], outcome: "ok", note: "one bulk copy each way" },
  { ...float64s, args: [Float64Array.of(0.5, -1, Infinity)], outcome: "ok" },
  { ...bytes, args: [[1, 2, 3]], outcome: "argument error", note: "a plain array is not a typed array" },
  { ...bytes, args: [Int8Array.of(1, 2, 3)], outcome: "argument error", note: "another kind of typed array" },

  { ...map, args: [{ a: 1, b: 2 }], outcome: "ok" },
  { ...map, args: [new Map([["x", 10]])], outcome: "ok", note: "a JS Map with string keys too" },
  { ...map, args: [{ a: "1" }], outcome: "argument error", note: "the value converts by its own row" },

  {
    row: "Map<K, V>",
    source: NON_STRING_KEYS,
    error: "cannot be marshaled",
    outcome: "compile error",
    note: "JavaScript object keys are strings",
  },

  { ...point, args: [{ x: 1, y: 2, extra: true }], outcome: "ok", note: "other properties are ignored" },
  { ...point, args: [{ x: 1 }], outcome: "argument error", note: "a missing property is an error naming its path" },

  { ...nullableArray, args: [null], outcome: "ok" },
  { ...nullableArray, args: [[4, 5]], outcome: "ok" },
  { ...nullableDate, args: [undefined], outcome: "ok", note: "undefined becomes null" },

  {
    ...counter,
    args: () => [newCounter()],
    sent: 'DotNet.invokeMethod("Explorer", "NewCounter")',
    outcome: "ok",
    note: "the same JS object comes back for the same reference",
    then: { label: 'ref.invokeMethod("Increment")', run: (ref) => (ref as ManagedObject).invokeMethod("Increment") },
  },
  { ...counter, args: [{ id: 1 }], outcome: "argument error", note: "a forged { id } is no reference" },
  {
    ...counter,
    args: () => {
      const ref = newCounter();
      ref.dispose();
      return [ref];
    },
    sent: "a reference after ref.dispose()",
    outcome: "argument error",
    note: "Blazor's message for a disposed reference",
  },

  {
    row: "(x: i32) => i32",
    describe: "DescribeDoubler",
    echo: "Doubler",
    args: [],
    outcome: "ok",
    note: "a managed function, returned by reference",
    then: { label: "fn(21)", run: (fn) => (fn as (x: number) => number)(21) },
  },
  {
    ...givenFunction,
    args: () => [DotNet.invokeMethod("Explorer", "Doubler")],
    sent: 'DotNet.invokeMethod("Explorer", "Doubler")',
    outcome: "ok",
    note: "a delegate given back is the managed function again (the HTML Bridge's cast back to the delegate type), and the same JS function comes back",
    then: { label: "fn(21)", run: (fn) => (fn as (x: number) => number)(21) },
  },
  {
    ...givenFunction,
    args: [(x: number) => x * 2],
    sent: "(x) => x * 2",
    outcome: "argument error",
    note: "a JS function never becomes a managed one: managed code takes it as a JSObject and calls it with invokeSelf",
  },

  { ...jsObject, args: [{ label: "a JS object" }], outcome: "ok", note: "the same JS object comes back, not a copy" },
  {
    ...jsObject,
    args: [() => 42],
    sent: "() => 42",
    outcome: "ok",
    note: "a JS function is a JSObject too (managed code calls it with invokeSelf)",
    then: { label: "fn()", run: (fn) => (fn as () => number)() },
  },

  {
    ...madeByJS,
    args: () => [DotNet.createJSObjectReference({ label: "made by JS" })],
    sent: 'DotNet.createJSObjectReference({ label: "made by JS" })',
    outcome: "ok",
    note: "Blazor's explicit reference: managed code gets a handle, JS gets the object itself back",
  },
  {
    ...madeByJS,
    args: () => {
      const reference = DotNet.createJSObjectReference({ label: "gone" });
      DotNet.disposeJSObjectReference(reference);
      return [reference];
    },
    sent: "a reference after DotNet.disposeJSObjectReference(reference)",
    outcome: "result error",
    note: "it arrives, as in Blazor, but names nothing: a call on it fails with \"JS object instance with ID … does not exist (has it been disposed?).\", and handed back, with Blazor's \"JS object instance with Id '…' does not exist. It may have been disposed.\"",
  },

  {
    ...stream,
    args: () => [DotNet.createJSStreamReference(Uint8Array.of(1, 2, 3))],
    sent: "DotNet.createJSStreamReference(Uint8Array.of(1, 2, 3))",
    outcome: "ok",
    note: "managed code knows its length and reads it in chunks; JS gets the data itself back",
  },
  { ...stream, args: () => [new Blob(["hello"])], sent: 'new Blob(["hello"])', outcome: "ok", note: "a Blob is read through slice(), never whole" },
  { ...stream, args: ["text"], outcome: "argument error", note: "a string is not stream data" },

  { ...task, args: [21], outcome: "ok", note: "completed when the method returns: its value (invokeMethodAsync also waits for a later one)" },
  { ...faultedTask, args: ["no luck"], outcome: "result error", note: "a faulted task fails the call with its message" },
  { ...voidTask, args: [], outcome: "ok", note: "a Task without a result (.NET's Task): null once it completed, as in Blazor" },

  {
    ...ints,
    args: () => [DotNet.invokeMethod("Explorer", "NewInts")],
    sent: 'DotNet.invokeMethod("Explorer", "NewInts")',
    outcome: "ok",
    note: "the same live view comes back; see the by-reference page",
    then: { label: "view.push(4), then the managed list", run: (view) => ((view as number[]).push(4), DotNet.invokeMethod("Explorer", "DescribeInts", view)) },
  },
  { ...ints, args: [[1, 2, 3]], outcome: "argument error", note: "a plain array is not a view of a managed list" },
  {
    ...prices,
    args: () => [DotNet.invokeMethod("Explorer", "NewPrices")],
    sent: 'DotNet.invokeMethod("Explorer", "NewPrices")',
    outcome: "ok",
    then: {
      label: "view.pear = 2.5, then the managed map",
      run: (view) => (((view as Record<string, number>).pear = 2.5), DotNet.invokeMethod("Explorer", "DescribePrices", view)),
    },
  },
  { ...prices, args: [{ apple: 1.25 }], outcome: "argument error", note: "a plain object is not a view of a managed map" },
  {
    ...memoryView,
    args: () => [DotNet.invokeMethod("Explorer", "NewView")],
    sent: 'DotNet.invokeMethod("Explorer", "NewView")',
    outcome: "ok",
    note: "a view from this assembly crosses without a copy",
    then: {
      label: "view.asTypedArray()[0] = 9, then the managed array",
      run: (view) => ((view as { asTypedArray(): Uint8Array }).asTypedArray()[0] = 9, DotNet.invokeMethod("Explorer", "DescribeView", view)),
    },
  },
  { ...memoryView, args: [Uint8Array.of(7, 8)], outcome: "ok", note: "any other Uint8Array is copied in once" },
  { ...memoryView, args: [[7, 8]], outcome: "argument error", note: "a plain array is neither a view nor a typed array" },

  { row: "void", describe: "DescribeVoidCall", echo: "Nothing", args: [], outcome: "ok" },
];
