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

/** Writes `text`'s UTF-16 code units into `units` from index `start`. */
export function encodeUtf16(units: Uint16Array, start: number, text: string): void {
  const length = text.length;
  if (nodeBuffer && length > SHORT_STRING) {
    nodeBuffer.from(units.buffer, units.byteOffset + start * 2, length << 1).write(text, 0, "utf16le");
    return;
  }
  // Short strings (and every string in a browser): index the view the caller already has.
  for (let i = 0; i < length; ++i) units[start + i] = text.charCodeAt(i);
}

/** Writes `text`'s code units from byte `at` of `view`: little-endian, and unaligned (the wire format packs). */
export function writeUtf16(view: DataView, at: number, text: string): void {
  const length = text.length;
  if (nodeBuffer && length > SHORT_STRING) {
    nodeBuffer.from(view.buffer, view.byteOffset + at, length << 1).write(text, 0, "utf16le");
    return;
  }
  for (let i = 0; i < length; ++i) view.setUint16(at + i * 2, text.charCodeAt(i), true);
}

export function decodeUtf16(units: Uint16Array, start: number, end: number): string {
  if (nodeBuffer && end - start > SHORT_STRING) {
    return nodeBuffer.from(units.buffer, units.byteOffset + start * 2, (end - start) * 2).toString("utf16le");
  }
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
