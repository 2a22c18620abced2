/**
 * UTF-16 code units in memory → a JS string, as fast as the engine allows for each length, and
 * exact: lone surrogates survive, as they do in JS strings.
 */

/** Strings up to this length are decoded with `String.fromCharCode`, longer ones by `TextDecoder`. */
const SHORT_STRING = 64;
const CHUNK = 4096;

const decoder = new TextDecoder("utf-16le", { fatal: true, ignoreBOM: true });

export function decodeUtf16(units: Uint16Array, start: number, end: number): string {
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
