/** The seed's static-call samples, with the seed's labels and outputs, and the code shown beside them. */
import { test, expect } from "./demo-fixtures.ts";

const SCENARIOS = [
  { path: "static-call", heading: "Static method call", button: "Trigger .NET static method ReturnArrayAsync", managed: "export function ReturnArrayAsync(): i32[]", js: '"ReturnArrayAsync"' },
  { path: "different-method-name", heading: "DifferentMethodName", button: "Trigger .NET static method DifferentMethodName", managed: '@jsInvokable("DifferentMethodName")', js: '"DifferentMethodName"' },
];

for (const scenario of SCENARIOS) {
  test(`${scenario.button} logs [1, 2, 3, 4]`, async ({ page, consoleLog, demo }) => {
    await demo.open(scenario.path, scenario.heading);
    await page.getByRole("button", { name: scenario.button }).click();
    await consoleLog.waitForValue([1, 2, 3, 4]);

    // The same line in the page's console, in the scenario's own output, and the seed's verdict.
    await expect(page.locator("#console li").last()).toHaveText("[1, 2, 3, 4]");
    await expect(page.getByRole("list", { name: "Output" })).toHaveText("[1, 2, 3, 4]");
    await expect(page.locator(".verdict")).toContainText("✓ [1, 2, 3, 4]");

    // The code shown is the code that ran, read from the real files.
    await expect(page.locator('figure[data-language="AssemblyScript"]')).toContainText(scenario.managed);
    await expect(page.locator('figure[data-language="JavaScript"]')).toContainText(scenario.js);
    await demo.screenshot(scenario.path);
  });
}

test("the seed's JavaScript runs against the global DotNet unchanged", async ({ page, demo }) => {
  await demo.open("static-call", "Static method call");
  await expect(page.locator("#status")).toHaveText("BlazorSample loaded");
  const result = await page.evaluate(() => DotNet.invokeMethod("BlazorSample", "ReturnArrayAsync"));
  expect(result).toEqual([1, 2, 3]);
  const error = await page.evaluate(() =>
    DotNet.invokeMethodAsync("BlazorSample", "Missing").then(
      () => "resolved",
      (e: Error) => e.message,
    ),
  );
  expect(error).toBe(
    `The assembly 'BlazorSample' does not contain a public invokable method with [JSInvokableAttribute("Missing")].`,
  );
});
