/**
 * What the demo's end-to-end tests share: opening a page by its route and saving a screenshot of
 * it into the test's output folder (test-results/, not committed), attached to the HTML report.
 * Using `demo` also turns on the console check of fixtures.ts: any error or warning fails.
 */
import { test as base, expect } from "./fixtures.ts";

export interface Demo {
  /** Opens `#/<path>` and waits for its heading. */
  open(path: string, heading: string | RegExp): Promise<void>;
  /** Saves `<name>.png` of the whole page under test-results/ and attaches it to the report. */
  screenshot(name: string): Promise<void>;
}

export const test = base.extend<{ demo: Demo }>({
  demo: async ({ page, consoleLog: _ }, use, testInfo) => {
    await use({
      async open(path, heading) {
        await page.goto(`/#/${path}`);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
      },
      async screenshot(name) {
        const path = testInfo.outputPath(`${name}.png`);
        // From the top: the sticky bars would otherwise be captured where a scrolled page left them.
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path, fullPage: true });
        await testInfo.attach(name, { path, contentType: "image/png" });
      },
    });
  },
});

export { expect };
