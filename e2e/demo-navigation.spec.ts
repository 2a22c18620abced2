/** The frame around the pages: the overview, the navigation, unknown routes, and a phone-sized screen. */
import { test, expect } from "./demo-fixtures.ts";

const PAGES = [
  { link: "Static method call", heading: "Static method call" },
  { link: "DifferentMethodName", heading: "DifferentMethodName" },
  { link: "HelloHelper.SayHello", heading: "HelloHelper.SayHello" },
  { link: "JSInteropComponent", heading: "JSInteropComponent" },
  { link: "Sarah Jane", heading: "Sarah Jane" },
  { link: "Four ListItems", heading: "Four ListItems" },
  { link: "JS modules", heading: "JS modules" },
  { link: "Marshaling explorer", heading: "Marshaling explorer" },
  { link: "By-reference collections", heading: "By-reference collections" },
  { link: "Async calls", heading: "Async calls" },
  { link: "Large payloads", heading: "Large payloads" },
  { link: "Performance", heading: "Performance" },
  { link: "Sandbox", heading: "Sandbox" },
  { link: "Overview", heading: "JavaScript ↔ AssemblyScript, the Blazor way" },
];

test("the overview introduces the demo and links every page", async ({ page, demo }) => {
  await demo.open("", "JavaScript ↔ AssemblyScript, the Blazor way");
  await expect(page).toHaveTitle("Overview · as-interop");
  await expect(page.locator("#status")).toHaveText("BlazorSample loaded");
  await expect(page.locator(".cards li")).toHaveCount(PAGES.length - 1);
  // Every sample of Blazor's documentation has its page: none is listed as waiting for a feature.
  await expect(page.locator("table.planned")).toHaveCount(0);
  await expect(page.locator(".sidebar .planned")).toHaveCount(0);
  // The public documents, linked by their titles; no workshop words.
  await expect(page.getByRole("link", { name: "Call .NET methods from JavaScript functions in ASP.NET Core Blazor" })).toHaveAttribute(
    "href",
    "https://learn.microsoft.com/aspnet/core/blazor/javascript-interoperability/call-dotnet-from-javascript",
  );
  await expect(page.getByRole("link", { name: "Returning or Passing Managed Types to JavaScript" })).toHaveAttribute("href", /cc645074\(v=vs\.95\)$/);
  await expect(page.locator("body")).not.toContainText(/seed|APP ASSEMBLY/i);
  // The example runs, and prints where every page prints: the console docked below.
  await page.getByRole("button", { name: "Run this JavaScript" }).click();
  await expect(demo.console).toHaveText("[1, 2, 3, 4]");
  await demo.screenshot("overview");
});

test("the navigation reaches every page and marks the current one; a screenshot of each", async ({ page, demo }) => {
  test.setTimeout(120_000);
  await demo.open("", "JavaScript ↔ AssemblyScript, the Blazor way");
  const nav = page.getByRole("navigation", { name: "Pages" });
  for (const { link, heading } of PAGES) {
    await nav.getByRole("link", { name: link, exact: true }).click();
    // A page's module loads on its first visit (the Sandbox's brings the compiler): on a loaded
    // two-core machine that took more than the default 5 s once.
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading, { timeout: 30_000 });
    await expect(nav.getByRole("link", { name: link, exact: true })).toHaveAttribute("aria-current", "page");
    // Every page as a newcomer first sees it (test-results/screenshots/page-<route>.png).
    await expect(page.locator("#status")).toHaveText("BlazorSample loaded");
    await page.waitForLoadState("networkidle");
    const route = new URL(page.url()).hash.replace(/^#\/?/, "") || "overview";
    await demo.screenshot(`page-${route}`);
  }
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sandbox");
});

test("an unknown route says so and links back", async ({ page, demo }) => {
  await demo.open("no-such-page", "No such page");
  await page.getByRole("link", { name: "Back to Overview" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("JavaScript ↔ AssemblyScript, the Blazor way");
});

test("on a phone-sized screen the pages stack and still work", async ({ page, consoleLog, demo }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await demo.open("static-call", "Static method call");
  await page.getByRole("button", { name: "Trigger .NET static method ReturnArrayAsync" }).click();
  await consoleLog.waitForValue([1, 2, 3, 4]);
  // Nothing is wider than the screen: the page never scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await demo.screenshot("static-call-phone");
});
