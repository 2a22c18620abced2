/**
 * What the demo's end-to-end tests share: opening a page by its route, the docked console every
 * page prints into, and full-page screenshots saved to test-results/screenshots/ (gitignored),
 * one file per name, also attached to the HTML report. Using `demo` also turns on the console
 * check of fixtures.ts: any error or warning fails.
 */
import { fileURLToPath } from "node:url";
import type { Locator } from "@playwright/test";
import { test as base, expect } from "./fixtures.ts";

/** Where every demo screenshot lands, by name: look at them before calling a change done. */
export const SCREENSHOTS = fileURLToPath(new URL("../test-results/screenshots/", import.meta.url));

export interface Demo {
  /** Opens `#/<path>` and waits for its heading. */
  open(path: string, heading: string | RegExp): Promise<void>;
  /** Saves `<name>.png` of the whole page under test-results/screenshots/ and attaches it to the report. */
  screenshot(name: string): Promise<void>;
  /** The console docked at the bottom of every page: the one place where pages print. */
  readonly console: Locator;
}

export const test = base.extend<{ demo: Demo }>({
  demo: async ({ page, consoleLog: _ }, use, testInfo) => {
    await use({
      async open(path, heading) {
        await page.goto(`/#/${path}`);
        // A cold dev server transforms a page's modules on first request; under CI load (two
        // workers, each compiling assemblies) that alone took over expect's default 5 s.
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading, { timeout: 30_000 });
      },
      async screenshot(name) {
        const path = `${SCREENSHOTS}${name}.png`;
        // From the top: the sticky bars would otherwise be captured where a scrolled page left them.
        await page.evaluate(() => window.scrollTo(0, 0));
        // A window as tall as the page, so the console docked at the window's bottom is drawn at the
        // page's end, where it belongs, instead of across the middle of the picture.
        const viewport = page.viewportSize();
        const height = await page.evaluate(() => document.documentElement.scrollHeight);
        if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
        await page.screenshot({ path, fullPage: true });
        if (viewport) await page.setViewportSize(viewport);
        await testInfo.attach(name, { path, contentType: "image/png" });
      },
      console: page.getByRole("list", { name: "Console" }),
    });
  },
});

export { expect };
