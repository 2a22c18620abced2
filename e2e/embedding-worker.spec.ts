/**
 * A module worker that imports `?assembly`, in a fresh project that installed as-interop from its
 * tarball, built with the configuration the README documents (`worker: { format: "es" }`; the
 * plugin adds itself to the worker's plugins) and run in Chromium.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { test } from "@playwright/test";
import { embeddingSpec, expect, expectQuietBuild, type App } from "./embedding/app.ts";
import { watchConsole } from "./embedding/console.ts";
import { run, startServer } from "./embedding/processes.ts";

let app: App;

embeddingSpec("worker", async (made) => {
  app = made;
  await app.write(
    "vite.config.ts",
    `import { defineConfig } from "vite";
import asInterop from "as-interop/vite";

export default defineConfig({
  plugins: [asInterop()],
  worker: { format: "es" },
});
`,
  );
  await app.write(
    "src/calculator.worker.ts",
    `import { load } from "../assembly/Calculator.ts?assembly";

const calculator = await load();
self.onmessage = async (event: MessageEvent<number[]>) => {
  const [a, b] = event.data;
  self.postMessage({ add: await calculator.Add(a, b), scaled: await calculator.Scaled(event.data) });
};
self.postMessage("ready");
`,
  );
  await app.write(
    "src/main.ts",
    `const worker = new Worker(new URL("./calculator.worker.ts", import.meta.url), { type: "module" });
worker.onmessage = (event: MessageEvent) => {
  if (event.data === "ready") return worker.postMessage([4, 5]);
  document.querySelector<HTMLElement>("#out")!.textContent = JSON.stringify(event.data);
  document.body.dataset.ready = "yes";
};
worker.onerror = (event) => {
  document.querySelector<HTMLElement>("#out")!.textContent = "worker error: " + event.message;
};
`,
  );
});

test("a module worker importing ?assembly builds, without a warning, and calls the assembly in Chromium", async ({ page }) => {
  const build = await run(app.bin("vite"), ["build"], { cwd: app.dir });
  expectQuietBuild(build);
  const assets = await readdir(join(app.dir, "dist", "assets"));
  expect(assets.filter((file) => file.endsWith(".wasm"))).toEqual([expect.stringMatching(/^Calculator-[\w-]{8}\.wasm$/)]);
  expect(assets.filter((file) => file.startsWith("calculator.worker-"))).toHaveLength(1);

  const problems = watchConsole(page);
  const server = await startServer(app.bin("vite"), ["preview"], app.dir);
  try {
    await page.goto(server.url);
    await expect(page.locator("body")).toHaveAttribute("data-ready", "yes");
    expect(JSON.parse((await page.locator("#out").textContent()) ?? "")).toEqual({ add: 9, scaled: [40, 50] });
  } finally {
    await server.stop();
  }
  expect(problems).toEqual([]);
});
