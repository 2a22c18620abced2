/**
 * Source maps for the browser's devtools: the wasm must name its map by a URL the server answers,
 * and the map must carry its sources, since the AssemblyScript files are not served as such (Vite
 * would serve a `.ts` file compiled to JavaScript).
 */

import { vector, withCustomSection } from "../compiler/custom-sections.ts";

const SOURCE_MAPPING_URL = "sourceMappingURL";

/**
 * `binary` with its `sourceMappingURL` custom section set to `url` (or removed, for null). asc
 * writes the name of its own output file there, which means nothing once the wasm is served.
 */
export function withSourceMappingUrl(binary: Uint8Array, url: string | null): Uint8Array {
  return withCustomSection(binary, SOURCE_MAPPING_URL, url === null ? null : vector(new TextEncoder().encode(url)));
}

interface RawSourceMap {
  version: number;
  sources: string[];
  sourcesContent?: (string | null)[];
  sourceRoot?: string;
  [field: string]: unknown;
}

/**
 * The map asc wrote, with each source renamed by `rename` (asc names them as it read them:
 * `assembly/X.ts`, `~lib/rt/itcms.ts`). asc includes every source's text (it fails on a source
 * it has no text for), so devtools need fetch nothing more.
 */
export function rewriteSourceMap(json: string, rename: (source: string) => string): string {
  const map = JSON.parse(json) as RawSourceMap;
  map.sources = map.sources.map(rename);
  // asc sets it to its own output directory, which would prefix every source.
  delete map.sourceRoot;
  return JSON.stringify(map);
}
