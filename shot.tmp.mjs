import { chromium } from "@playwright/test";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.on("console", m => { if (m.type()==="error"||m.type()==="warning") console.log("CONSOLE", m.type(), m.text()); });
page.on("pageerror", e => console.log("PAGEERROR", e.message));
await page.goto(`http://localhost:5213/#/sandbox`);
for (let i = 0; i < 20; i++) { await page.waitForTimeout(500); console.log(await page.locator("#sandbox-status").textContent()); if ((await page.locator("#sandbox-status").getAttribute("data-state")) === "ready") break; }
await page.getByRole("button", { name: "Run" }).click();
await page.waitForTimeout(5000);
console.log(await page.locator("#sandbox-status").textContent());
await page.screenshot({ path: `/tmp/shots/sandbox.png`, fullPage: true });
await browser.close();
