/**
 * Issue 19 in Chromium: references JavaScript makes. An HTML element handed over with
 * DotNet.createJSObjectReference, used by managed code and disposed from JS (Blazor's message
 * afterwards); a reference managed code disposes; a real Blob made with DotNet.createJSStreamReference
 * and read by managed code in chunks, checksum compared; a File in a @dataMember field; a Blob
 * fetched from the network as a JS call's result; the cap exceeded.
 *
 * Self-contained, as e2e/js-interop.spec.ts: the page (e2e/js-references/page.ts, bundled here with
 * esbuild), the assembly (test/fixtures/js-references.ts, compiled here) and the data are served
 * from memory on a made-up origin.
 */
import { compile } from "../host/compiler/compile.ts";
import { checksumOf, xorshiftBytes } from "../test/stream-data.ts";
import { test, expect } from "./fixtures.ts";
import { htmlPage, openServedPage, ROOT, scriptFile, wasmFile, type ServedFiles } from "./served-page.ts";

const ORIGIN = "http://js-references.as-interop.test";
const MiB = 2 ** 20;
const disposed = (id: number) => `JS object instance with ID ${id} does not exist (has it been disposed?).`;

const files: ServedFiles = new Map();
const fetched = xorshiftBytes(3 * MiB + 5, 77);

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const { binary } = await compile({ entry: "test/fixtures/js-references.ts", baseDir: ROOT, optimize: true });
  files.set("/js-references.wasm", wasmFile(binary));
  files.set("/assets/page.js", await scriptFile("e2e/js-references/page.ts"));
  files.set("/", htmlPage("JS references", "/assets/page.js", '<div id="out">empty</div>'));
  files.set("/data.bin", { type: "application/octet-stream", body: Buffer.from(fetched.buffer, fetched.byteOffset, fetched.byteLength) });
});

test.beforeEach(async ({ page, consoleLog: _ }) => {
  await openServedPage(page, ORIGIN, files);
  await page.evaluate((url) => globalThis.jsReferences.load(url), `${ORIGIN}/js-references.wasm`);
});

test("an element handed over with createJSObjectReference, used by managed code, then disposed from JS", async ({ page }) => {
  const result = await page.evaluate(() => globalThis.jsReferences.elementReference());
  expect(result).toMatchObject({
    held: result.id,
    property: "out",
    invoked: "[object HTMLDivElement]",
    returnedIsElement: true,
    jsObjects: 1,
  });
  expect(result.afterDispose.property).toBe(disposed(result.id));
  expect(result.afterDispose.again).toBe(disposed(result.id));
  expect(result.afterDispose.disposeTwice).toBe("no error");
  expect(result.afterDispose.jsObjects).toBe(0);
});

test("a reference managed code disposes ends for JS too", async ({ page }) => {
  const result = await page.evaluate(() => globalThis.jsReferences.managedDispose());
  expect(result.invoked).toBe("hi");
  expect(result.again).toMatch(/JS object instance with ID \d+ does not exist \(has it been disposed\?\)\./);
  expect(result.jsObjects).toBe(0);
});

test("a real Blob read by managed code in chunks: the checksums match and nothing is left held", async ({ page }) => {
  const size = 48 * MiB + 7;
  const result = await page.evaluate(([size]) => globalThis.jsReferences.readBlob(size, 2024), [size] as const);
  expect(result.length).toBe(size);
  // copied, total, chunks (1 MiB each), largest, closed, checksum
  expect(result.report).toBe(`${size},${size},49,${MiB},1,${result.expected}`);
  expect(result.diagnostics).toMatchObject({ jsObjects: 0, jsStreams: 0, trackedObjects: 0, pendingTasks: 0 });
  expect(result.diagnostics.memoryBytes).toBeLessThan(32 * MiB);
});

test("a File in a @dataMember field, and a Blob fetched from the network as a JS call's result", async ({ page }) => {
  const file = await page.evaluate(() => globalThis.jsReferences.readFile(200_000, 5));
  expect(file.report).toBe(`200000,200000,4,65536,1,${file.expected}`);
  const report = await page.evaluate((url) => globalThis.jsReferences.readFetched(url), `${ORIGIN}/data.bin`);
  expect(report).toBe(`${fetched.byteLength},${fetched.byteLength},4,${MiB},1,${checksumOf(fetched)}`);
});

test("over maxAllowedSize: Blazor's message", async ({ page }) => {
  expect(await page.evaluate(() => globalThis.jsReferences.overCap())).toBe(
    "The incoming data stream of length 1000 exceeds the maximum allowed length 999. (after 0 chunks, closed 0)",
  );
});
