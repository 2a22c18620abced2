/**
 * The by-reference playground: JavaScript drives a managed list, fixed-size array and dictionary
 * through the HTML Bridge's wrapper operations, and managed code's own view follows every change.
 */
import type { Page } from "@playwright/test";
import { test, expect } from "./demo-fixtures.ts";

function collection(page: Page, name: "fruits" | "slots" | "prices") {
  const panel = page.locator(`[data-collection="${name}"]`);
  return {
    run: (code: string) => panel.getByRole("button", { name: code, exact: true }).click(),
    js: panel.locator('[data-view="js"]'),
    managed: panel.locator('[data-view="managed"]'),
  };
}

/** The newest row of the log: expression, result, outcome. */
async function expectLogged(page: Page, code: string, result: string, outcome: "ok" | "expected-error") {
  const row = page.getByRole("table", { name: "Log" }).locator("tbody tr").first();
  await expect(row.locator("td").first()).toHaveText(code);
  await expect(row.locator("td").nth(1)).toHaveText(result);
  await expect(row).toHaveAttribute("data-outcome", outcome);
}

test("the list: the HTML Bridge's operations, seen by managed code at once", async ({ page, demo }) => {
  await demo.open("by-reference", "By-reference collections");
  const fruits = collection(page, "fruits");
  await expect(fruits.js).toHaveText('["apple", "banana", "cherry"]');
  await expect(fruits.managed).toHaveText('Array<string>(3) ["apple", "banana", "cherry"]');

  const steps: [code: string, result: string, js: string][] = [
    ['fruits.push("date", "elderberry")', "5", '["apple", "banana", "cherry", "date", "elderberry"]'],
    ["fruits.pop()", '"elderberry"', '["apple", "banana", "cherry", "date"]'],
    ["fruits.shift()", '"apple"', '["banana", "cherry", "date"]'],
    ['fruits.unshift("fig", "grape")', "5", '["fig", "grape", "banana", "cherry", "date"]'],
    ['fruits.splice(1, 2, "kiwi")', '["grape", "banana"]', '["fig", "kiwi", "cherry", "date"]'],
    ["fruits.reverse()", 'fruits itself: ["date", "cherry", "kiwi", "fig"]', '["date", "cherry", "kiwi", "fig"]'],
    ['fruits.indexOf("cherry")', "1", '["date", "cherry", "kiwi", "fig"]'],
    ['fruits[0] = "avocado"', '"avocado"', '["avocado", "cherry", "kiwi", "fig"]'],
    ["fruits[1]", '"cherry"', '["avocado", "cherry", "kiwi", "fig"]'],
    ["fruits.toArray()", 'a new managed array, by reference: ["avocado", "cherry", "kiwi", "fig"]', '["avocado", "cherry", "kiwi", "fig"]'],
    ['AddFruit("mango")', "null", '["avocado", "cherry", "kiwi", "fig", "mango"]'],
  ];
  for (const [code, result, js] of steps) {
    await fruits.run(code);
    await expectLogged(page, code, result, "ok");
    await expect(fruits.js).toHaveText(js);
    // Managed code describes its own Array<string>: the same elements, in the same order.
    await expect(fruits.managed).toHaveText(`Array<string>(${JSON.parse(js).length}) ${js}`);
  }

  // A value of the wrong type is refused, and the list is unchanged.
  await fruits.run("fruits[0] = 42");
  await expectLogged(page, "fruits[0] = 42", "MarshalError: expected a string, got number 42", "expected-error");
  await expect(fruits.managed).toHaveText('Array<string>(5) ["avocado", "cherry", "kiwi", "fig", "mango"]');
  await demo.screenshot("by-reference-list");
});

test("the fixed-size array: set and reverse work, resizing and a wrong type are errors", async ({ page, demo }) => {
  await demo.open("by-reference", "By-reference collections");
  const slots = collection(page, "slots");
  await expect(slots.managed).toHaveText("StaticArray<i32>(4) [10, 20, 30, 40]");

  await slots.run("slots[1] = 25");
  await expectLogged(page, "slots[1] = 25", "25", "ok");
  await slots.run("slots.reverse()");
  await expect(slots.managed).toHaveText("StaticArray<i32>(4) [40, 30, 25, 10]");
  await expect(slots.js).toHaveText("[40, 30, 25, 10]");
  await slots.run("slots.indexOf(30)");
  await expectLogged(page, "slots.indexOf(30)", "1", "ok");
  // The HTML Bridge: toArray() on an array (not a list) does nothing and returns null.
  await slots.run("slots.toArray()");
  await expectLogged(page, "slots.toArray()", "null", "ok");

  for (const operation of ["push", "pop", "shift", "unshift", "splice"]) {
    const code = { push: "slots.push(50)", pop: "slots.pop()", shift: "slots.shift()", unshift: "slots.unshift(0)", splice: "slots.splice(0, 1)" }[operation]!;
    await slots.run(code);
    await expectLogged(
      page,
      code,
      `TypeError: ${operation} is not supported on this list: it is a fixed-size array (StaticArray), which cannot grow or shrink.`,
      "expected-error",
    );
  }
  await slots.run('slots[0] = "ten"');
  await expectLogged(page, 'slots[0] = "ten"', 'MarshalError: expected i32 (an integer from -2147483648 to 2147483647), got the string "ten"', "expected-error");
  await expect(slots.managed).toHaveText("StaticArray<i32>(4) [40, 30, 25, 10]");
  await demo.screenshot("by-reference-fixed");
});

test("the dictionary: keys set, read, deleted and listed; a wrong type is an error", async ({ page, demo }) => {
  await demo.open("by-reference", "By-reference collections");
  const prices = collection(page, "prices");
  await expect(prices.managed).toHaveText('Map<string, f64>(2) { "apple" => 1.25, "pear" => 2.5 }');

  await prices.run("prices.kiwi = 3.75");
  await prices.run('prices["apple"] = 1.5');
  await expect(prices.managed).toHaveText('Map<string, f64>(3) { "apple" => 1.5, "pear" => 2.5, "kiwi" => 3.75 }');
  await prices.run("prices.apple");
  await expectLogged(page, "prices.apple", "1.5", "ok");
  await prices.run("delete prices.pear");
  await expectLogged(page, "delete prices.pear", "true", "ok");
  await expect(prices.managed).toHaveText('Map<string, f64>(2) { "apple" => 1.5, "kiwi" => 3.75 }');
  await expect(prices.js).toHaveText("{apple: 1.5, kiwi: 3.75}");
  await prices.run('"kiwi" in prices');
  await expectLogged(page, '"kiwi" in prices', "true", "ok");
  await prices.run("Object.keys(prices)");
  await expectLogged(page, "Object.keys(prices)", '["apple", "kiwi"]', "ok");
  await prices.run("JSON.stringify(prices)");
  await expectLogged(page, "JSON.stringify(prices)", '"{\\"apple\\":1.5,\\"kiwi\\":3.75}"', "ok");
  await prices.run('prices.apple = "cheap"');
  await expectLogged(page, 'prices.apple = "cheap"', 'MarshalError: expected a number (f64), got the string "cheap"', "expected-error");
  await expect(prices.managed).toHaveText('Map<string, f64>(2) { "apple" => 1.5, "kiwi" => 3.75 }');

  // Reset puts managed code's collections back, in place: the wrappers JavaScript holds follow.
  await page.getByRole("button", { name: "Reset the managed collections" }).click();
  await expect(prices.js).toHaveText("{apple: 1.25, pear: 2.5}");
  await demo.screenshot("by-reference-dictionary");
});
