/**
 * The by-reference playground's managed half (web/pages/by-reference): a list, a fixed-size array
 * and a dictionary that JavaScript gets by reference (the HTML Bridge's array-like and
 * dictionary-like wrappers), and methods that describe them as managed code sees them.
 * `Array<T>` plays .NET's `List<T>`, `StaticArray<T>` a .NET array, `Map<string, V>` a
 * `Dictionary<string, V>`.
 */
import { DictionaryReference, FixedListReference, ListReference } from "as-interop/assembly/interop";

/** `List<string>`: JavaScript may grow and shrink it. */
const fruits: Array<string> = [];
/** `int[4]`: JavaScript may set and reorder its elements, never resize it. */
const slots = new StaticArray<i32>(4);
/** `Dictionary<string, double>`. */
const prices = new Map<string, f64>();

@jsInvokable
export function Fruits(): ListReference<string> {
  return ListReference.of(fruits);
}

@jsInvokable
export function Slots(): FixedListReference<i32> {
  return FixedListReference.of(slots);
}

@jsInvokable
export function Prices(): DictionaryReference<f64> {
  return DictionaryReference.of(prices);
}

/** Managed code's own view of the list, read from the `Array<string>` itself. */
@jsInvokable
export function DescribeFruits(): string {
  const items = new Array<string>();
  for (let i = 0; i < fruits.length; ++i) items.push(`"${fruits[i]}"`);
  return `Array<string>(${fruits.length}) [${items.join(", ")}]`;
}

/** Managed code's own view of the fixed-size array. */
@jsInvokable
export function DescribeSlots(): string {
  const items = new Array<string>();
  for (let i = 0; i < slots.length; ++i) items.push(slots[i].toString());
  return `StaticArray<i32>(${slots.length}) [${items.join(", ")}]`;
}

/** Managed code's own view of the dictionary, in the map's order. */
@jsInvokable
export function DescribePrices(): string {
  const keys = prices.keys();
  const entries = new Array<string>();
  for (let i = 0; i < keys.length; ++i) entries.push(`"${keys[i]}" => ${prices.get(keys[i]).toString()}`);
  return `Map<string, f64>(${prices.size}) {${entries.length ? " " + entries.join(", ") + " " : ""}}`;
}

/** A change made by managed code: JavaScript's wrapper sees it at once. */
@jsInvokable
export function AddFruit(name: string): void {
  fruits.push(name);
}

/** Back to the starting contents, in place: the wrappers JavaScript holds stay valid. */
@jsInvokable
export function Reset(): void {
  fruits.length = 0;
  fruits.push("apple");
  fruits.push("banana");
  fruits.push("cherry");
  for (let i = 0; i < slots.length; ++i) slots[i] = (i + 1) * 10;
  prices.clear();
  prices.set("apple", 1.25);
  prices.set("pear", 2.5);
}
