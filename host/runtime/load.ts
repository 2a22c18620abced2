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
