/**
 * Self-contained test pages, served from memory on a made-up origin: a page script bundled with
 * esbuild, the assemblies it loads, and a little HTML. The specs that drive the library in a real
 * page without the demo (e2e/js-interop, js-references, sandbox, worker) share this plumbing.
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import { expect } from "./fixtures.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface ServedFile {
  readonly type: string;
  readonly body: string | Buffer;
}

/** What a page's origin serves, by path. */
export type ServedFiles = Map<string, ServedFile>;

/** The repository's file `entry` (a path from its root), bundled as an ES module. */
export async function scriptFile(entry: string): Promise<ServedFile> {
  const result = await build({ entryPoints: [`${ROOT}${entry}`], bundle: true, format: "esm", target: "es2022", write: false, logLevel: "warning" });
  return { type: "text/javascript", body: result.outputFiles[0].text };
}

/** An HTML page titled `title`, with `body` before its module `script`. */
export function htmlPage(title: string, script: string, body = ""): ServedFile {
  return {
    type: "text/html",
    body: `<!doctype html><meta charset="utf-8"><title>${title}</title><body>${body}<script type="module" src="${script}"></script>`,
  };
}

export function wasmFile(binary: Uint8Array): ServedFile {
  return { type: "application/wasm", body: Buffer.from(binary) };
}

/** Serves `files` on `origin` to `page`, opens its root and waits for its script to be ready. */
export async function openServedPage(page: Page, origin: string, files: ServedFiles): Promise<void> {
  await page.route(`${origin}/**`, (route) => {
    const file = files.get(new URL(route.request().url()).pathname);
    return file ? route.fulfill({ contentType: file.type, body: file.body }) : route.fulfill({ status: 404, body: "not found" });
  });
  await page.goto(`${origin}/`);
  await expect(page.locator("body")).toHaveAttribute("data-ready", "true");
}
