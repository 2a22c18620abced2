/** The async page: Task ↔ Promise both ways, a rejection, a timeout, a cancellation, and JSPI in Chromium. */
import { test, expect } from "./demo-fixtures.ts";

const CASES = [
  { id: "continuation", came: "42" },
  { id: "rejection", came: "InteropError: The server said no." },
  { id: "timeout", came: "InteropError: The JavaScript call did not settle within 300 ms." },
  { id: "concurrent", came: "1000" },
  { id: "jspi", came: "42" },
  {
    id: "jspi-sync",
    came:
      "InteropError: JSRuntime.invokeAwait can only suspend a call that JavaScript made with invokeMethodAsync; " +
      "call the method that way, or use JSRuntime.invokeAsync with a continuation.",
  },
];

test("every async case comes back as expected, JSPI included", async ({ page, demo }) => {
  await demo.open("async", "Async calls");
  await expect(page.locator(".jspi-status")).toHaveAttribute("data-jspi", "yes");
  await expect(page.locator(".verdict")).toHaveText("AsyncCalls loaded: select Run on any case.");

  // Started together: the page stays responsive while they wait.
  for (const { id } of CASES) await page.locator(`[data-case="${id}"]`).getByRole("button", { name: "Run" }).click();
  for (const { id, came } of CASES) {
    const card = page.locator(`[data-case="${id}"]`);
    await expect(card.locator(".badge").last(), id).toHaveText("as expected");
    await expect(card.locator(".async-result")).toHaveText(came);
  }
  // The continuation waited for the JavaScript promise (500 ms), not less.
  const elapsed = await page.locator('[data-case="continuation"] .async-outcome .hint').textContent();
  expect(Number(/after (\d+) ms/.exec(elapsed ?? "")?.[1])).toBeGreaterThanOrEqual(500);

  // The instance kept working after the error case: JSPI again.
  await page.locator('[data-case="jspi"]').getByRole("button", { name: "Run" }).click();
  await expect(page.locator('[data-case="jspi"] .async-result')).toHaveText("42");
  await demo.screenshot("async");
});

test("a cancellation fails the waiting task, and nothing stays pending", async ({ page, demo }) => {
  await demo.open("async", "Async calls");
  const card = page.locator('[data-case="cancellation"]');
  const cancel = card.getByRole("button", { name: "Cancel" });
  await expect(cancel).toBeDisabled();
  await card.getByRole("button", { name: "Run" }).click();
  await expect(card.locator(".badge").last()).toHaveText("running…");
  await cancel.click();
  await expect(card.locator(".async-result")).toHaveText("InteropError: A task was canceled.");
  await expect(card.locator(".badge").last()).toHaveText("as expected");
  await expect(cancel).toBeDisabled();
  await demo.screenshot("async-cancelled");
});
