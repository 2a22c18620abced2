/**
 * JS strings ↔ UTF-16 code units in memory, as fast as the engine allows for each length, and
 * exact: lone surrogates survive, as they do in JS strings.
 */

/** Strings up to this length are copied code unit by code unit; longer ones by the engine's bulk paths. */
const SHORT_STRING = 64;
const CHUNK = 4096;

const decoder = new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true });

/**
 * Node's `Buffer` copies UTF-16 several times faster than anything portable (measured in
 * bench/scenarios/by-value.ts) and keeps lone surrogates; browsers take the portable paths.
 */
interface NodeBuffer {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): {
    write(text: string, offset: number, encoding: "utf16le"): number;
    toString(encoding: "utf16le"): string;
  };
}
const nodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** The Node `Buffer` over `units` code units from byte `byteOffset` (any offset: it need not align), for a long string. */
function nodeUnits(buffer: ArrayBufferLike, byteOffset: number, units: number) {
  return nodeBuffer && units > SHORT_STRING ? nodeBuffer.from(buffer, byteOffset, units << 1) : null;
}

/** Writes `text`'s UTF-16 code units into `units` from index `start`. */
export function encodeUtf16(units: Uint16Array, start: number, text: string): void {
  const length = text.length;
  const node = nodeUnits(units.buffer, units.byteOffset + start * 2, length);
  if (node) {
    node.write(text, 0, "utf16le");
    return;
  }
  // Short strings (and every string in a browser): index the view the caller already has.
  for (let i = 0; i < length; ++i) units[start + i] = text.charCodeAt(i);
}

/** Writes `text`'s code units from byte `at` of `view`: little-endian, and unaligned (the wire format packs). */
export function writeUtf16(view: DataView, at: number, text: string): void {
  const length = text.length;
  const node = nodeUnits(view.buffer, view.byteOffset + at, length);
  if (node) {
    node.write(text, 0, "utf16le");
    return;
  }
  for (let i = 0; i < length; ++i) view.setUint16(at + i * 2, text.charCodeAt(i), true);
}

/** Reads `length` code units from byte `at` of `view`, unaligned: {@link writeUtf16}'s other half. */
export function readUtf16(view: DataView, at: number, length: number): string {
  const start = view.byteOffset + at;
  const node = nodeUnits(view.buffer, start, length);
  if (node) return node.toString("utf16le");
  if (length <= SHORT_STRING) {
    // Short strings (most keys and labels) are read in place, without making a view.
    const codes = new Array<number>(length);
    for (let i = 0; i < length; ++i) codes[i] = view.getUint16(at + i * 2, true);
    return String.fromCharCode.apply(null, codes);
  }
  // UTF-16 needs 2-byte alignment to be viewed in place; an odd offset gets an aligned copy.
  const units =
    start % 2 === 0 ? new Uint16Array(view.buffer, start, length) : new Uint16Array(view.buffer.slice(start, start + length * 2));
  return decodeUtf16(units, 0, length);
}

export function decodeUtf16(units: Uint16Array, start: number, end: number): string {
  const node = nodeUnits(units.buffer, units.byteOffset + start * 2, end - start);
  if (node) return node.toString("utf16le");
  if (end - start <= SHORT_STRING) {
    // Measured fastest for short strings: a plain array handed to fromCharCode in one go.
    const codes = new Array<number>(end - start);
    for (let i = start; i < end; ++i) codes[i - start] = units[i];
    return String.fromCharCode.apply(null, codes);
  }
  try {
    return decoder.decode(units.subarray(start, end));
  } catch {
    // The fatal decoder refuses lone surrogates; the chunked path copies them as they are.
    let text = "";
    for (let at = start; at < end; at += CHUNK) {
      text += String.fromCharCode.apply(null, units.subarray(at, Math.min(at + CHUNK, end)) as unknown as number[]);
    }
    return text;
  }
}
