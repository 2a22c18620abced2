/**
 * `npm run bench -- --browser`: the call scenarios (scenarios/call-impls.ts) and the by-reference
 * views (scenarios/by-reference.ts) in Debian's Chromium
 * (or the one `CHROMIUM_PATH` names) through Playwright, where users run this: V8 in a page.
 * The binaries are built here as for Node; the page (bench/browser/page.ts, bundled with esbuild)
 * and they are served from memory on a made-up origin. Writes bench/results.browser.json in the
 * format of bench/results.json.
 */
import { build } from "esbuild";
import { chromium } from "@playwright/test";
import { fileURLToPath } from "node:url";
import { CHROMIUM_ARGS, findChromium } from "../../e2e/browser.ts";
import { ascBindings, byReferenceBinaryBytes, interopBinaryBytes, interopOutBinaryBytes } from "../build.ts";
import type { BenchOptions, Measurement } from "../harness.ts";

const ORIGIN = "http://bench.as-interop.test";

/** Runs the call and by-reference scenarios in Chromium; `log` hears what happens. */
export async function runInBrowser(
  options: BenchOptions,
  only: string | undefined,
  log: (line: string) => void,
): Promise<{ version: string; results: Measurement[] }> {
  const [interop, interopOut, byReference, bindings] = await Promise.all([
    interopBinaryBytes(),
    interopOutBinaryBytes(),
    byReferenceBinaryBytes(),
    ascBindings(),
  ]);
  const page = await build({
    entryPoints: [fileURLToPath(new URL("./page.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    target: "es2022",
    write: false,
    logLevel: "warning",
  });
  const files = new Map<string, { type: string; body: string | Buffer }>([
    ["/", { type: "text/html", body: '<!doctype html><meta charset="utf-8"><title>bench</title><body><script type="module" src="/page.js"></script>' }],
    ["/page.js", { type: "text/javascript", body: page.outputFiles[0].text }],
    ["/bindings.js", { type: "text/javascript", body: bindings.js }],
    ["/interop.wasm", { type: "application/wasm", body: Buffer.from(interop) }],
    ["/interop-out.wasm", { type: "application/wasm", body: Buffer.from(interopOut) }],
    ["/by-reference.wasm", { type: "application/wasm", body: Buffer.from(byReference) }],
    ["/bindings.wasm", { type: "application/wasm", body: Buffer.from(bindings.binary) }],
  ]);
  const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true });
  try {
    const tab = await browser.newPage();
    tab.on("pageerror", (error) => log(`page error: ${error.message}`));
    await tab.route(`${ORIGIN}/**`, (route) => {
      const file = files.get(new URL(route.request().url()).pathname);
      return file ? route.fulfill({ contentType: file.type, body: file.body }) : route.fulfill({ status: 404, body: "not found" });
    });
    await tab.goto(`${ORIGIN}/`);
    await tab.waitForFunction(() => document.body.dataset["ready"] === "true");
    log(`Chromium ${browser.version()}: running the call and by-reference scenarios in a page…`);
    const { onRun: _, ...plain } = options;
    const results = (await tab.evaluate(([opts, filter]) => globalThis.browserBench.run(opts, filter), [plain, only] as const)) as Measurement[];
    return { version: browser.version(), results };
  } finally {
    await browser.close();
  }
}
