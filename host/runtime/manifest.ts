/** Reads the manifest the transform embedded in the wasm's custom section. */
import { MANIFEST_SECTION, MANIFEST_VERSION, type Manifest } from "../marshal/types.ts";

export function readManifest(module: WebAssembly.Module): Manifest {
  const [section] = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
  if (!section) {
    throw new Error(
      `This wasm module has no '${MANIFEST_SECTION}' section, so it was not compiled with as-interop: ` +
        `compile it with as-interop's compile() or \`asc --transform as-interop/transform\`.`,
    );
  }
  const manifest = JSON.parse(new TextDecoder().decode(section)) as Manifest;
  if (manifest.version !== MANIFEST_VERSION) {
    throw new Error(
      `The assembly '${manifest.assembly}' was compiled for as-interop manifest version ${manifest.version}, ` +
        `but this host reads version ${MANIFEST_VERSION}: compile it again with this version of as-interop.`,
    );
  }
  // Hand-made manifests (tests, tools) may leave out what is empty.
  return { ...manifest, imports: manifest.imports ?? [] };
}
