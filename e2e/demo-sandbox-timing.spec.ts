/**
 * How fast the sandbox compiles its first example, on a first visit (nothing cached) and on a
 * second one (a new page in the same browser: the compiler's files in the HTTP cache, the earlier
 * compile in the compile cache), and for an edited program on the second visit (the compiler
 * loaded from the HTTP cache and really run). Each figure is the time from opening the page to
 * the compiled result, pressing Compile at once as a user would. The figures are written to
 * test-results/sandbox-timings.json and the report; the goal is ≤ 3 s for the second visit, and
 * the assertion leaves a wide margin for a loaded machine.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { test, expect } from "./demo-fixtures.ts";

test.describe.configure({ timeout: 300_000 });

async function compileOnOpening(page: Page, edit?: (source: string) => string): Promise<number> {
  const started = Date.now();
  await page.goto("/#/sandbox");
  const editor = page.getByRole("textbox", { name: "AssemblyScript" });
  if (edit) {
    const source = await editor.innerText();
    await editor.click();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.insertText(edit(source));
  }
  await page.getByRole("button", { name: "Compile" }).click();
  await expect(page.locator("#sandbox-status")).toHaveAttribute("data-state", "compiled", { timeout: 240_000 });
  return Date.now() - started;
}

test("the sandbox compiles its first example fast on a second visit", async ({ page, context, demo: _ }, testInfo) => {
  const firstVisit = await compileOnOpening(page);
  await expect(page.locator(".compile-info")).not.toContainText("compile cache");
  await page.close();

  const second = await context.newPage();
  const secondVisit = await compileOnOpening(second);
  await expect(second.locator(".compile-info")).toContainText("from the compile cache");
  await second.close();

  const third = await context.newPage();
  const secondVisitEdited = await compileOnOpening(third, (source) => source.replace("return [1, 2, 3];", "return [4, 5, 6];"));
  await expect(third.locator(".compile-info")).not.toContainText("compile cache");
  await expect(third.locator("#sandbox-status")).toHaveAttribute("data-state", "compiled");
  const loaded = (await third.locator(".compile-info").innerText()).trim();

  const figures = { firstVisitMs: firstVisit, secondVisitMs: secondVisit, secondVisitEditedMs: secondVisitEdited, editedCompile: loaded };
  mkdirSync("test-results", { recursive: true });
  writeFileSync("test-results/sandbox-timings.json", `${JSON.stringify(figures, null, 2)}\n`);
  for (const [type, value] of Object.entries(figures)) testInfo.annotations.push({ type, description: String(value) });
  console.log(`sandbox timings: ${JSON.stringify(figures)}`);
  // The goal is 3 s; a loaded two-core machine gets five times that before this fails.
  expect(secondVisit).toBeLessThan(15_000);
});
