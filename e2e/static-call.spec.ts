import { test, expect } from "./fixtures.ts";

test.beforeEach(async ({ page, consoleLog: _ }) => {
  await page.goto("/");
  await expect(page.locator("#status")).toHaveText("BlazorSample loaded");
});

test("Trigger .NET static method ReturnArrayAsync logs [1, 2, 3, 4]", async ({ page, consoleLog }) => {
  await page.getByRole("button", { name: "Trigger .NET static method ReturnArrayAsync" }).click();
  await consoleLog.waitForValue([1, 2, 3, 4]);
  await expect(page.locator("#console li").last()).toHaveText("[1, 2, 3, 4]");
});

test("the DifferentMethodName identifier reaches the renamed method", async ({ page, consoleLog }) => {
  await page.getByRole("button", { name: "Trigger .NET static method DifferentMethodName" }).click();
  await consoleLog.waitForValue([1, 2, 3, 4]);
  await expect(page.locator("#console li").last()).toHaveText("[1, 2, 3, 4]");
});

test("the seed's JavaScript runs against the global DotNet unchanged", async ({ page, consoleLog: _ }) => {
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
