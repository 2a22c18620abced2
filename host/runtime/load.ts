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
  const response = await (typeof source === "string" || source instanceof URL ? fetch(source) : source);
  if (!response.ok) {
    throw new Error(`Could not load the assembly from '${response.url}': HTTP ${response.status} ${response.statusText}.`);
  }
  // Streaming compiles while downloading, but insists on the `application/wasm` content type.
  if (response.headers.get("content-type")?.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}
