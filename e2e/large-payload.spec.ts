/**
 * Issue 3, "No size limits", in Chromium: a 512 MiB Uint8Array and a 128M-character string
 * round-trip JS → managed → JS intact (checksummed by managed code and compared in the page),
 * with linear memory growing during the call. Self-contained: the page, its script (bundled here
 * from e2e/pages/large-payload.ts) and the assembly are served from memory on a made-up origin,
 * so this needs neither the demo nor its dev server.
 */
import { test, expect } from "@playwright/test";
import { build, type Rolldown } from "vite";
import { fileURLToPath } from "node:url";
import { compile } from "../host/compiler/compile.ts";
import type { RoundTrip } from "./pages/large-payload.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ORIGIN = "http://large-payload.as-interop.test";
const MiB = 2 ** 20;

let script = "";
let wasm: Uint8Array;

test.describe.configure({ mode: "serial", timeout: 300_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  wasm = (await compile({ entry: "test/fixtures/large.ts", baseDir: ROOT, optimize: true })).binary;
  const output = await build({
    configFile: false,
    root: ROOT,
    logLevel: "warn",
    build: {
      write: false,
      minify: false,
      target: "es2022",
      lib: { entry: "e2e/pages/large-payload.ts", formats: ["es"], fileName: "large-payload" },
    },
  });
  const [result] = Array.isArray(output) ? output : [output as Rolldown.RolldownOutput];
  script = result.output.find((chunk) => chunk.type === "chunk")!.code;
});

test.beforeEach(async ({ page }) => {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("crash", () => problems.push("the page crashed"));
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === "/") {
      return route.fulfill({
        contentType: "text/html",
        body: '<!doctype html><meta charset="utf-8"><title>large payloads</title><body><script type="module" src="/main.js"></script>',
      });
    }
    if (path === "/main.js") return route.fulfill({ contentType: "text/javascript", body: script });
    if (path === "/large.wasm") return route.fulfill({ contentType: "application/wasm", body: Buffer.from(wasm) });
    return route.fulfill({ status: 404 });
  });
  await page.goto(`${ORIGIN}/`);
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
  const initial = await page.evaluate((url) => globalThis.largePayload.load(url), `${ORIGIN}/large.wasm`);
  expect(initial).toBeLessThan(MiB);
  expect(problems).toEqual([]);
});

function expectIntact(result: RoundTrip, length: number, grownBy: number): void {
  expect(result.managed, "managed code's checksum of what it received").toBe(result.expected);
  expect(result.returned, "checksum of what came back").toBe(result.expected);
  expect(result.equal, "what came back equals what was sent").toBe(true);
  expect(result.length).toBe(length);
  expect(result.memoryAfter - result.memoryBefore, "linear memory grew during the call").toBeGreaterThanOrEqual(grownBy);
  expect(result.detachedFromMemory).toBe(true);
}

test("a 512 MiB Uint8Array round-trips intact while memory grows", async ({ page }) => {
  const result = await page.evaluate((size) => globalThis.largePayload.bytes(size), 512 * MiB);
  expectIntact(result, 512 * MiB, 512 * MiB);
  console.log(`Chromium roundTripBytes(512 MiB): ${result.callMs.toFixed(0)} ms in the call`);
});

test("a 128M-character string round-trips intact while memory grows", async ({ page }) => {
  const result = await page.evaluate((length) => globalThis.largePayload.string(length), 128 * MiB);
  expectIntact(result, 128 * MiB, 256 * MiB);
  console.log(`Chromium roundTripString(128M characters): ${result.callMs.toFixed(0)} ms in the call`);
});
