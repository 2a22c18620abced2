// Types for `?assembly` imports; reference with /// <reference types="as-interop/vite/client" />.
/** `import url from "./Entry.ts?assembly"`: the URL of the compiled wasm (see host/vite). */
declare module "*?assembly" {
  const url: string;
  export default url;
}
