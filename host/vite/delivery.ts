/**
 * How a `?assembly` module gets its wasm, by where it runs. Vite's own `?init` and vite-plugin-wasm
 * do the same: a page fetches a URL from the web server; Node (SSR, Vitest) cannot fetch a
 * root-relative URL, so there the wasm is inlined or read from a file next to the server bundle.
 *
 * | where                                    | delivery |
 * | ---------------------------------------- | -------- |
 * | a page, dev                              | `served`: from memory by the dev server's middleware |
 * | a page or a worker, build                | `asset`: emitted as a hashed asset, fetched by its URL |
 * | Vitest (any environment), SSR dev        | `inline`: a `data:` URL in the module, compiled in memory |
 * | SSR build                                | `file`: emitted next to the server bundle, read by path |
 * | SSR build for a web worker runtime       | `inline`: such runtimes have no file system |
 * | library build (`build.lib`)              | `inline`: the app that bundles the library decides where files go |
 */

import { pathToFileURL } from "node:url";

export type Delivery = "served" | "asset" | "inline" | "file";

export function deliveryFor(
  consumer: "client" | "server",
  isBuild: boolean,
  inVitest: boolean,
  ssrTarget: "node" | "webworker" | undefined,
  library: boolean,
): Delivery {
  // A library's asset URL would be the library's own build's (`/Calculator.wasm`), which means
  // nothing where an app bundles it: Vite inlines every asset of a library build, and so do we.
  if (inVitest || (isBuild && library)) return "inline";
  if (consumer === "client") return isBuild ? "asset" : "served";
  return isBuild && ssrTarget !== "webworker" ? "file" : "inline";
}

/**
 * What the assembly's relative module URLs (`@jsImport` modules, `JSRuntime.importModule`) resolve
 * against where it runs in Node during development (Vitest, `ssrLoadModule`): the project's public
 * directory (its root, if it has none), which the dev server serves at the page's root, so a module
 * the page finds is found there too. A server bundle finds its copy of that directory by its own
 * location ({@link serverFileExpression}); other builds keep the default, the working directory.
 */
export function moduleBaseInNode(delivery: Delivery, isBuild: boolean, publicDir: string, root: string): string | undefined {
  if (delivery !== "inline" || isBuild) return undefined;
  return pathToFileURL(publicDir || root).href.replace(/\/?$/, "/");
}

/** A `data:` URL holding the wasm, which `fetch` (and so `loadAssembly`) reads in Node and in browsers. */
export function inlineUrl(binary: Uint8Array): string {
  return `data:application/wasm;base64,${Buffer.from(binary.buffer, binary.byteOffset, binary.byteLength).toString("base64")}`;
}

/**
 * What a server bundle's `?assembly` module knows of where it is, as an expression in the chunk
 * that holds it: `{ url, publicDir }`, the `file:` URL of its wasm (`wasmPath`, from that chunk)
 * and of the bundle's folder, into which `vite build` copied `public/` (`publicDirPath`, from that
 * chunk, ending in `/`; null when it copied none). Relative module URLs resolve against that folder, as in
 * development against `public/` itself, wherever the server is started from.
 */
export function serverFileExpression(wasmPath: string, publicDirPath: string | null, format: string): string | null {
  const url = fileUrlExpression(wasmPath, format);
  if (url === null) return null;
  return publicDirPath === null ? `({ url: ${url} })` : `({ url: ${url}, publicDir: ${fileUrlExpression(publicDirPath, format)} })`;
}

/** The `file:` URL of a path relative to the chunk this expression is in (a folder's, `./` or `../`, ends in `/`). */
function fileUrlExpression(relativePath: string, format: string): string | null {
  const path = JSON.stringify(relativePath);
  if (format === "es") return `new URL(${path}, import.meta.url).href`;
  if (format === "cjs") return `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${path})).href`;
  return null;
}
