/** The marshaling explorer: every documented row has live examples, and every outcome is the documented one. */
import { test, expect } from "./demo-fixtures.ts";

/** The page runs every example once it loads: on a loaded 2-core machine that takes more than expect's 5 s. */
const EXAMPLES_RUN = 60_000;

test("every row of docs/marshaling.md is explored and behaves as documented", async ({ page, demo }) => {
  // One row loads the compiler into a worker to show its error; the page is long to screenshot.
  test.setTimeout(120_000);
  await demo.open("explorer", "Marshaling explorer");
  const verdict = page.locator(".verdict");
  await expect(verdict).toContainText("examples over", { timeout: EXAMPLES_RUN });
  expect(await page.locator("tr.example").count()).toBeGreaterThan(40);
  // Named rows first, so a failure says which example differs.
  const differing = await page.locator('tr.example[data-match="false"]').allInnerTexts();
  expect(differing, "examples whose outcome differs from the docs").toEqual([]);
  await expect(page.locator("tr.no-example"), "documented rows without an example").toHaveCount(0);
  await expect(verdict).not.toContainText("rows the docs no longer have");

  // The row that must not compile is compiled in the browser, on request.
  const compileRow = page.locator('tr.example[data-expected="compile error"]');
  await compileRow.getByRole("button", { name: "Compile it in your browser" }).click();
  await expect(compileRow).toHaveAttribute("data-match", "true", { timeout: 60_000 });
  await expect(compileRow).toContainText("Map<i32,~lib/string/String>");
  await expect(verdict).toHaveAttribute("data-state", "match");
  await demo.screenshot("explorer");
});

test("an example shows what was sent, what managed code saw and what came back", async ({ page, demo }) => {
  await demo.open("explorer", "Marshaling explorer");
  await expect(page.locator(".verdict")).toContainText("examples over", { timeout: EXAMPLES_RUN });
  const row = (sent: string) => page.locator("tr.example").filter({ has: page.locator("td:nth-child(2) code", { hasText: sent }) });

  // f32 rounds: managed code sees the single-precision value, and that is what comes back.
  await expect(row("0.1").locator("td").nth(2)).toHaveText("f32 0.10000000149011612");
  await expect(row("0.1").locator("td").nth(3)).toHaveText("0.10000000149011612");

  // Out of range: refused before managed code runs, with the method and argument named.
  await expect(row("300").locator("td").nth(2)).toContainText("never reached managed code");
  await expect(row("300").locator("td").nth(3)).toContainText(
    "The call to 'EchoU8' failed: argument 1 ('v') could not be converted: expected u8",
  );
  // Each row's error names the method the row shows (EchoBool), not the describing one.
  const boolRow = row("1").filter({ has: page.locator("td:first-child", { hasText: "EchoBool" }) });
  await expect(boolRow.locator("td").nth(3)).toContainText("The call to 'EchoBool' failed");

  // The HTML Bridge's UInt64 trap, exact with { int64: "bigint" }.
  await expect(row("18446744073709551615n").locator("td").nth(3)).toHaveText("18446744073709551615n");
});

test("the filter narrows the table, and the contents jump to a type", async ({ page, demo }) => {
  await demo.open("explorer", "Marshaling explorer");
  await expect(page.locator(".verdict")).toContainText("examples over", { timeout: EXAMPLES_RUN });
  const all = await page.locator("tr.example").count();
  const filter = page.getByRole("searchbox", { name: "Filter" });

  await filter.fill("Guid");
  await expect(page.locator("tr.example:visible")).toHaveCount(2);
  await expect(page.locator("tbody:visible")).toHaveCount(1);
  await expect(page.locator(".explorer-tools")).toContainText(`2 of ${all} examples shown.`);
  await demo.screenshot("explorer-filtered");

  // Words narrow further, across columns: a type and an outcome.
  await filter.fill("i32 argument error");
  const rows = page.locator("tr.example:visible");
  expect(await rows.count()).toBeGreaterThan(1);
  for (const outcome of await rows.evaluateAll((found) => found.map((row) => row.getAttribute("data-outcome")))) expect(outcome).toBe("argument error");

  await filter.fill("");
  await expect(page.locator("tr.example:visible")).toHaveCount(all);

  // The contents list every documented type; a chip scrolls its rows into view.
  const contents = page.getByRole("navigation", { name: "Types" });
  await contents.getByRole("button", { name: "Map<string, V>", exact: true }).click();
  await expect(page.locator('tbody[data-row="Map<string, V>"]')).toBeInViewport();
});
