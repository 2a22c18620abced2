/**
 * The Vite dev server of a fresh project that installed as-interop from its tarball: source maps
 * for devtools, a change to any imported AssemblyScript file reaching the open page without a
 * reload, and a compile error in the overlay and the terminal until it is fixed.
 */
import { test, type Page } from "@playwright/test";
import { embeddingSpec, expect, FILES, FIRST_RESULT, type App } from "./embedding/app.ts";
import { watchConsole } from "./embedding/console.ts";
import { startServer, type Server } from "./embedding/processes.ts";
let app: App;
let server: Server;

embeddingSpec("dev", async (made) => {
  app = made;
  server = await startServer(app.bin("vite"), [], app.dir);
});

test.afterAll(async () => {
  await server?.stop();
});

async function open(page: Page): Promise<void> {
  await page.goto(server.url);
  await expect(page.locator("body")).toHaveAttribute("data-ready", "yes");
}

async function shown(page: Page): Promise<unknown> {
  return JSON.parse((await page.locator("#out").textContent()) || "null");
}

test("devtools find the AssemblyScript sources through the wasm's source map", async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  const wasmScripts: { sourceMapURL?: string }[] = [];
  cdp.on("Debugger.scriptParsed", (script) => {
    if (script.scriptLanguage === "WebAssembly") wasmScripts.push(script);
  });
  await cdp.send("Debugger.enable");
  await open(page);
  await expect.poll(() => wasmScripts.length).toBeGreaterThan(0);

  const sourceMapURL = wasmScripts[0].sourceMapURL ?? "";
  expect(sourceMapURL).toMatch(/Calculator\.wasm\.map\?v=\w+$/);
  const response = await page.request.get(new URL(sourceMapURL, new URL("@as-interop/", server.url)).href);
  expect(response.ok()).toBe(true);
  const map = (await response.json()) as { sources: string[]; sourcesContent: string[]; mappings: string };
  expect(map.mappings.length).toBeGreaterThan(0);
  for (const file of ["assembly/Calculator.ts", "assembly/lib/scale.ts"]) {
    const index = map.sources.indexOf(`/${file}`);
    expect(index, `${file} in ${map.sources.join(", ")}`).toBeGreaterThanOrEqual(0);
    expect(map.sourcesContent[index]).toBe(FILES[file]);
  }
  // Nor does the terminal complain, e.g. of the package's own source maps.
  expect(server.output()).not.toMatch(/warn|error|sourcemap/i);
});

test("an edit to the entry or to a file it imports reaches the open page without a reload", async ({ page }) => {
  const problems = watchConsole(page);
  await open(page);
  expect(await shown(page)).toEqual(FIRST_RESULT);
  // Gone if the page reloads.
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));

  await app.edit("assembly/lib/scale.ts", "FACTOR: i32 = 10", "FACTOR: i32 = 100");
  await expect.poll(() => shown(page)).toEqual({ ...FIRST_RESULT, scaled: [100, 200, 300] });
  await app.edit("assembly/Calculator.ts", `"Hello, "`, `"Hi, "`);
  await expect.poll(() => shown(page)).toEqual({ ...FIRST_RESULT, scaled: [100, 200, 300], greet: "Hi, Vite!" });

  expect(await page.evaluate(() => "sameDocument" in window)).toBe(true);
  expect(problems).toEqual([]);
});

test("a compile error shows in the overlay and the terminal at file:line:column, and fixing it clears it", async ({ page }) => {
  await open(page);
  await page.evaluate(() => Object.assign(window, { sameDocument: true }));
  const broken = "  return value * MISSING;";
  await app.edit("assembly/lib/scale.ts", "  return value * FACTOR;", broken);
  const where = `assembly/lib/scale.ts:4:${broken.indexOf("MISSING") + 1}`;

  const overlay = page.locator("vite-error-overlay");
  await expect(overlay.locator(".file")).toContainText(where);
  await expect(overlay.locator(".message-body")).toContainText("Cannot find name 'MISSING'");
  await expect(overlay.locator(".plugin")).toContainText("as-interop");
  await expect(overlay.locator(".frame")).toContainText("value * MISSING");
  await expect.poll(() => server.output()).toContain(where);

  await app.edit("assembly/lib/scale.ts", broken, "  return value * FACTOR;");
  await expect(overlay).toHaveCount(0);
  await expect.poll(() => shown(page)).toMatchObject({ add: 5, scaled: [100, 200, 300] });
  expect(await page.evaluate(() => "sameDocument" in window)).toBe(true);
});

test("a page opened on a broken assembly shows the error, and reloads once it is fixed", async ({ page }) => {
  await app.edit("assembly/Calculator.ts", "return a + b;", "return a + ;");
  // Until the server's watcher reports the edit, it serves the module compiled before (as it would any
  // module): a page opened in between runs the old code, and the update misses it. On a loaded machine
  // that takes a while, so wait until the server itself refuses the module.
  const module = new URL("assembly/Calculator.ts?assembly", server.url).href;
  await expect.poll(async () => (await fetch(module)).status).toBe(500);
  await page.goto(server.url);
  const overlay = page.locator("vite-error-overlay");
  await expect(overlay.locator(".file")).toContainText("assembly/Calculator.ts:5:");

  await app.edit("assembly/Calculator.ts", "return a + ;", "return a + b;");
  await expect(page.locator("body")).toHaveAttribute("data-ready", "yes");
  await expect(overlay).toHaveCount(0);
  expect(await shown(page)).toMatchObject({ add: 5 });
});
