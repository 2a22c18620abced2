import { chromium } from "@playwright/test";
const dir = "/tmp/wt20/profile-" + Date.now();
for (const visit of [1, 2, 3]) {
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto("http://localhost:5213/#/sandbox");
  await page.locator('#sandbox-status[data-state="ready"]').waitFor({ timeout: 180000 });
  const t1 = Date.now();
  await page.getByRole("button", { name: "Compile" }).click();
  await page.locator('#sandbox-status[data-state="compiled"]').waitFor({ timeout: 180000 });
  const t2 = Date.now();
  console.log(`visit ${visit}: ready ${(t1 - t0)} ms, compile ${(t2 - t1)} ms, total ${(t2 - t0)} ms`, await page.locator(".compile-info").textContent());
  await ctx.close();
}
