/**
 * Source maps for the browser's devtools: the wasm must name its map by a URL the server answers,
 * and the map must carry its sources, since the AssemblyScript files are not served as such (Vite
 * would serve a `.ts` file compiled to JavaScript).
 */

const SOURCE_MAPPING_URL = "sourceMappingURL";

/**
 * `binary` with its `sourceMappingURL` custom section set to `url` (or removed, for null). asc
 * writes the name of its own output file there, which means nothing once the wasm is served.
 */
export function withSourceMappingUrl(binary: Uint8Array, url: string | null): Uint8Array {
  const kept: Uint8Array[] = [binary.subarray(0, 8)];
  for (let at = 8; at < binary.length; ) {
    const start = at;
    const id = binary[at++];
    const [size, sizeLength] = readLeb128(binary, at);
    at += sizeLength;
    const end = at + size;
    if (!(id === 0 && customSectionName(binary, at) === SOURCE_MAPPING_URL)) kept.push(binary.subarray(start, end));
    at = end;
  }
  if (url !== null) kept.push(customSection(SOURCE_MAPPING_URL, vector(new TextEncoder().encode(url))));
  return concat(kept);
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
 * `assembly/X.ts`, `~lib/rt/itcms.ts`) and its text included, so devtools need fetch nothing more.
 */
export function rewriteSourceMap(json: string, rename: (source: string) => string, textOf: (source: string) => string | undefined): string {
  const map = JSON.parse(json) as RawSourceMap;
  const contents = map.sourcesContent ?? [];
  map.sourcesContent = map.sources.map((source, i) => contents[i] ?? textOf(source) ?? null);
  map.sources = map.sources.map(rename);
  // asc sets it to its own output directory, which would prefix every source.
  delete map.sourceRoot;
  return JSON.stringify(map);
}

function customSectionName(binary: Uint8Array, at: number): string {
  const [length, lengthBytes] = readLeb128(binary, at);
  return new TextDecoder().decode(binary.subarray(at + lengthBytes, at + lengthBytes + length));
}

function customSection(name: string, payload: Uint8Array): Uint8Array {
  const content = concat([vector(new TextEncoder().encode(name)), payload]);
  return concat([Uint8Array.of(0), leb128(content.length), content]);
}

function vector(bytes: Uint8Array): Uint8Array {
  return concat([leb128(bytes.length), bytes]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function readLeb128(bytes: Uint8Array, at: number): [value: number, length: number] {
  let value = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    const byte = bytes[at + length++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, length];
  }
}

function leb128(value: number): Uint8Array {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return Uint8Array.from(out);
}
