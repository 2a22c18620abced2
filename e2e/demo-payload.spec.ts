/** The large-payload page: chunks both ways with progress, throughput and matching checksums. */
import { test, expect } from "./demo-fixtures.ts";

const M = 1024 * 1024;

test("16M characters go both ways in 4M chunks and the checksums match", async ({ page, demo }) => {
  await demo.open("payload", "Large payloads");
  await page.getByLabel("Size").selectOption(String(16 * M));
  await page.getByLabel("Chunk").selectOption(String(4 * M));
  await page.getByRole("button", { name: "Send both ways" }).click();

  for (const direction of ["to-managed", "from-managed"]) {
    const panel = page.locator(`[data-direction="${direction}"]`);
    await expect(panel).toHaveAttribute("data-state", "match", { timeout: 30_000 });
    await expect(panel.locator("progress")).toHaveJSProperty("value", 1);
    await expect(panel.locator(".payload-stats")).toHaveText(/^32\.0 MiB of 32\.0 MiB · \d+\.\d{3} s in calls · [\d,]+ MiB\/s$/);
    await expect(panel.locator(".verdict")).toContainText("✓ Checksums match");
  }
  await expect(page.getByRole("button", { name: "Send both ways" })).toBeEnabled();
  await demo.screenshot("payload");
});

test("Stop ends a transfer between chunks", async ({ page, demo }) => {
  await demo.open("payload", "Large payloads");
  await page.getByLabel("Size").selectOption(String(128 * M));
  await page.getByLabel("Chunk").selectOption(String(1 * M));
  await page.getByRole("button", { name: "Send both ways" }).click();
  await expect(page.locator('[data-direction="to-managed"]')).toHaveAttribute("data-state", "running");
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(page.locator('[data-direction="to-managed"]')).toHaveAttribute("data-state", "stopped");
  await expect(page.locator('[data-direction="from-managed"]')).toHaveAttribute("data-state", "idle");
  await expect(page.getByRole("button", { name: "Send both ways" })).toBeEnabled();
});
