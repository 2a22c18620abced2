/**
 * The playground's buttons, one entry each: the JavaScript expression as it reads (the button's
 * label) and the function that evaluates exactly that expression on the live wrappers. An entry
 * marked `error` is one the HTML Bridge's rules say must fail (a fixed-size array cannot grow; a value of the
 * wrong type is refused and the collection is unchanged).
 */
import type { DictionaryView, ListView } from "../../../host/runtime/index.ts";

export interface Wrappers {
  readonly fruits: ListView<string>;
  readonly slots: ListView<number>;
  readonly prices: DictionaryView<number>;
}

export type CollectionName = keyof Wrappers;

export interface Operation {
  /** The expression, as JavaScript reads; also the button's label. */
  readonly code: string;
  readonly run: (wrappers: Wrappers) => unknown;
  /** The HTML Bridge's rules say this fails. */
  readonly error?: true;
  /** Made by managed code instead of JavaScript. */
  readonly managed?: true;
}

export interface Collection {
  readonly name: CollectionName;
  readonly title: string;
  /** What the managed side holds and how JavaScript gets it. */
  readonly managedType: string;
  readonly getter: string;
  readonly describe: string;
  readonly operations: readonly Operation[];
}

export const collections: readonly Collection[] = [
  {
    name: "fruits",
    title: "A list",
    managedType: "Array<string> (.NET's List<string>)",
    getter: "Fruits",
    describe: "DescribeFruits",
    operations: [
      { code: `fruits.push("date", "elderberry")`, run: ({ fruits }) => fruits.push("date", "elderberry") },
      { code: "fruits.pop()", run: ({ fruits }) => fruits.pop() },
      { code: "fruits.shift()", run: ({ fruits }) => fruits.shift() },
      { code: `fruits.unshift("fig", "grape")`, run: ({ fruits }) => fruits.unshift("fig", "grape") },
      { code: `fruits.splice(1, 2, "kiwi")`, run: ({ fruits }) => fruits.splice(1, 2, "kiwi") },
      { code: "fruits.reverse()", run: ({ fruits }) => fruits.reverse() },
      { code: `fruits.indexOf("cherry")`, run: ({ fruits }) => fruits.indexOf("cherry") },
      { code: `fruits.lastIndexOf("apple", 1)`, run: ({ fruits }) => fruits.lastIndexOf("apple", 1) },
      { code: `fruits[0] = "avocado"`, run: ({ fruits }) => (fruits[0] = "avocado") },
      { code: "fruits[1]", run: ({ fruits }) => fruits[1] },
      { code: "fruits.toArray()", run: ({ fruits }) => fruits.toArray() },
      { code: "fruits[0] = 42", run: ({ fruits }) => ((fruits as unknown as ListView<unknown>)[0] = 42), error: true },
      { code: `AddFruit("mango")`, run: () => DotNet.invokeMethod("ByReference", "AddFruit", "mango"), managed: true },
    ],
  },
  {
    name: "slots",
    title: "A fixed-size array",
    managedType: "StaticArray<i32> (a .NET int[4])",
    getter: "Slots",
    describe: "DescribeSlots",
    operations: [
      { code: "slots[1] = 25", run: ({ slots }) => (slots[1] = 25) },
      { code: "slots.reverse()", run: ({ slots }) => slots.reverse() },
      { code: "slots.indexOf(30)", run: ({ slots }) => slots.indexOf(30) },
      { code: "slots.toArray()", run: ({ slots }) => slots.toArray() },
      { code: "slots.push(50)", run: ({ slots }) => slots.push(50), error: true },
      { code: "slots.pop()", run: ({ slots }) => slots.pop(), error: true },
      { code: "slots.shift()", run: ({ slots }) => slots.shift(), error: true },
      { code: "slots.unshift(0)", run: ({ slots }) => slots.unshift(0), error: true },
      { code: "slots.splice(0, 1)", run: ({ slots }) => slots.splice(0, 1), error: true },
      { code: `slots[0] = "ten"`, run: ({ slots }) => ((slots as unknown as ListView<unknown>)[0] = "ten"), error: true },
    ],
  },
  {
    name: "prices",
    title: "A dictionary",
    managedType: "Map<string, f64> (.NET's Dictionary<string, double>)",
    getter: "Prices",
    describe: "DescribePrices",
    operations: [
      { code: "prices.kiwi = 3.75", run: ({ prices }) => (prices.kiwi = 3.75) },
      { code: `prices["apple"] = 1.5`, run: ({ prices }) => (prices["apple"] = 1.5) },
      { code: "prices.apple", run: ({ prices }) => prices.apple },
      { code: "delete prices.pear", run: ({ prices }) => delete prices.pear },
      { code: `"kiwi" in prices`, run: ({ prices }) => "kiwi" in prices },
      { code: "Object.keys(prices)", run: ({ prices }) => Object.keys(prices) },
      { code: "JSON.stringify(prices)", run: ({ prices }) => JSON.stringify(prices) },
      { code: `prices.apple = "cheap"`, run: ({ prices }) => ((prices as DictionaryView<unknown>).apple = "cheap"), error: true },
    ],
  },
];
