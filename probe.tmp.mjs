import { chromium } from "@playwright/test";
const dir = "/tmp/wt20/probe-" + Date.now();
for (const visit of [1, 2]) {
  const ctx = await chromium.launchPersistentContext(dir, { executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
  const page = await ctx.newPage();
  await page.goto("http://localhost:5213/#/");
  await page.waitForTimeout(1500);
  const r = await page.evaluate(async () => {
    const t0 = performance.now();
    const m = await import("/@fs/work/wt-20/host/compiler/compile.ts");
    const t1 = performance.now();
    const entries = performance.getEntriesByType("resource").filter(e => e.startTime >= t0 - 1).map(e => ({ n: e.name.slice(-60), d: Math.round(e.duration), s: Math.round(e.startTime - t0), t: e.transferSize, b: e.encodedBodySize })).filter(e => e.d > 100 || e.b > 100000);
    return { ms: Math.round(t1 - t0), entries };
  });
  console.log(`visit ${visit}`, JSON.stringify(r, null, 1));
  await ctx.close();
}
