/** Turns whatever the app has in hand (a URL, bytes, a fetch response, a module) into a module. */

export type AssemblySource =
  | WebAssembly.Module
  | ArrayBuffer
  | ArrayBufferView
  | Response
  | PromiseLike<Response>
  | URL
  | string;

export async function compileModule(source: AssemblySource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source as BufferSource);
  if ((typeof source === "string" || source instanceof URL) && String(source).startsWith("file:")) {
    // Node's fetch reads no files; a server bundle's `?assembly` URL is one (its load() reads it).
    throw new Error(
      `Could not load the assembly from '${source}': fetch cannot read file: URLs. ` +
        `In Node, load it with loadAssemblyFile(url) from as-interop/node.`,
    );
  }
  const response = await (typeof source === "string" || source instanceof URL ? fetchAssembly(source) : source);
  if (!response.ok) {
    throw new Error(`Could not load the assembly from '${response.url}': HTTP ${response.status} ${response.statusText}.`);
  }
  // Streaming compiles while downloading, but insists on the `application/wasm` content type.
  if (response.headers.get("content-type")?.startsWith("application/wasm")) {
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (error) {
      // A fetch other than the engine's (happy-dom's, in a Vitest environment) gives a Response its
      // compileStreaming refuses, unread ("must be an instance of Response"): compile the bytes.
      if (!(error instanceof TypeError) || response.bodyUsed) throw error;
    }
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

/**
 * `fetch(url)`, where a relative URL without a page to resolve it against (Node: no `location`) is
 * an error that says what to do, not `fetch`'s "Failed to parse URL": a path given as a URL is the
 * likely mistake there (`loadAssembly("./build/X.wasm")`).
 *
 * A worker started from a `blob:` URL (Vite's `?worker&inline`) has a location no path resolves
 * against, but the origin of the page that made the blob: a root-relative URL (what a build gives
 * a `?assembly` import, `/assets/X-….wasm`) is fetched from there.
 */
async function fetchAssembly(url: string | URL): Promise<Response> {
  if (typeof url === "string" && url.startsWith("/") && !url.startsWith("//") && typeof location !== "undefined" && location.protocol === "blob:") {
    return fetch(new URL(url, location.origin));
  }
  try {
    return await fetch(url);
  } catch (error) {
    if (typeof url !== "string" || typeof location !== "undefined" || isAbsoluteUrl(url)) throw error;
    throw new Error(
      `Could not load the assembly from '${url}': a relative URL needs a page to resolve against, and there is none here. ` +
        `Give an absolute URL, or in Node load the file with loadAssemblyFile(path) from as-interop/node.`,
      { cause: error },
    );
  }
}

function isAbsoluteUrl(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}
