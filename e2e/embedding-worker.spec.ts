/**
 * A module worker that imports `?assembly` (from its own file, and inline: `?worker&inline`), in a
 * fresh project that installed as-interop from its tarball, built with the configuration the README
 * documents (`worker: { format: "es" }`; the plugin adds itself to the worker's plugins) and run in
 * Chromium; and an assembly loaded into a worker of its own (`load({ worker: true })`), with Vite's
 * default configuration.
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
    `import InlineWorker from "./calculator.worker.ts?worker&inline";

/** What the worker answers to [4, 5], once it is ready. */
function ask(worker: Worker): Promise<unknown> {
  return new Promise((resolve) => {
    worker.onmessage = (event: MessageEvent) => {
      if (event.data === "ready") return worker.postMessage([4, 5]);
      resolve(event.data);
    };
    worker.onerror = (event) => resolve("worker error: " + event.message);
  });
}

const result = {
  module: await ask(new Worker(new URL("./calculator.worker.ts", import.meta.url), { type: "module" })),
  // Vite's inline worker runs from a blob: URL, which the wasm's root-relative URL cannot be resolved against.
  inline: await ask(new InlineWorker()),
};
document.querySelector<HTMLElement>("#out")!.textContent = JSON.stringify(result);
document.body.dataset.ready = "yes";
`,
  );
});

test("a module worker importing ?assembly, from its own file or inline (?worker&inline), builds without a warning and calls the assembly in Chromium", async ({ page }) => {
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
    const answer = { add: 9, scaled: [40, 50] };
    expect(JSON.parse((await page.locator("#out").textContent()) ?? "")).toEqual({ module: answer, inline: answer });
  } finally {
    await server.stop();
  }
  expect(problems).toEqual([]);
});

test("an assembly loaded into a worker of its own (load({ worker: true })) builds with Vite's default worker format, without a warning, and runs in Chromium", async ({ page }) => {
  // The runtime starts the worker itself: nothing in the project's config is about workers.
  await app.write(
    "vite.config.ts",
    `import { defineConfig } from "vite";
import asInterop from "as-interop/vite";

export default defineConfig({ plugins: [asInterop()], build: { outDir: "dist-worker-assembly" } });
`,
  );
  await app.write(
    "src/main.ts",
    `import { DotNet } from "as-interop";
import { load } from "../assembly/Calculator.ts?assembly";

const calculator = await load({ worker: true });
let sync = "";
try {
  DotNet.invokeMethod("Calculator", "Add", 1, 2);
} catch (error) {
  sync = (error as Error).message;
}
const result = {
  add: await calculator.Add(2, 3),
  scaled: await calculator.Scaled([1, 2]),
  greet: await DotNet.invokeMethodAsync<string>("Calculator", "Greet", "worker"),
  sync,
};
document.querySelector<HTMLElement>("#out")!.textContent = JSON.stringify(result);
document.body.dataset.ready = "yes";
`,
  );
  const build = await run(app.bin("vite"), ["build"], { cwd: app.dir });
  expectQuietBuild(build);

  const problems = watchConsole(page);
  const server = await startServer(app.bin("vite"), ["preview"], app.dir);
  try {
    await page.goto(server.url);
    await expect(page.locator("body")).toHaveAttribute("data-ready", "yes");
    expect(JSON.parse((await page.locator("#out").textContent()) ?? "")).toEqual({
      add: 5,
      scaled: [10, 20],
      greet: "Hello, worker!",
      // Only an assembly in a worker refuses synchronous calls: Blazor's message for such a dispatcher.
      sync: expect.stringMatching(/^The current dispatcher does not support synchronous calls from JS to \.NET\. Use invokeMethodAsync instead/),
    });
  } finally {
    await server.stop();
  }
  expect(problems).toEqual([]);
});
