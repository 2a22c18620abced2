/**
 * The checksum test/fixtures/large.ts computes in managed code, in JS, and the data the large
 * payload tests send. Shared by the Node test and the Chromium e2e (which runs it in the page).
 */
import { checksumOf, xorshiftBytes } from "./stream-data.ts";

/** FNV-1a over little-endian 32-bit words, then the trailing bytes, then xor the byte length. */
export const checksumBytes = (bytes: Uint8Array): number => checksumOf(bytes);

/** The same over a string's UTF-16 code units (little-endian, as in wasm memory). */
export function checksumString(text: string): number {
  const length = text.length;
  let h = 0x811c9dc5;
  let i = 0;
  for (; i + 1 < length; i += 2) h = Math.imul(h ^ (text.charCodeAt(i) | (text.charCodeAt(i + 1) << 16)), 0x01000193);
  if (i < length) {
    h = Math.imul(h ^ (text.charCodeAt(i) & 0xff), 0x01000193);
    h = Math.imul(h ^ (text.charCodeAt(i) >>> 8), 0x01000193);
  }
  return (h ^ (length * 2)) >>> 0;
}

/** `length` pseudo-random bytes (xorshift32), fast enough for hundreds of MiB. */
export function randomBytes(length: number, seed = 0x9e3779b9): Uint8Array {
  const bytes = xorshiftBytes(length, seed >>> 0 || 1);
  for (let i = length & ~3; i < length; ++i) bytes[i] = i;
  return bytes;
}

/**
 * A well-formed string of `length` UTF-16 code units, mostly outside Latin-1 (so V8 keeps it
 * two-byte), with surrogate pairs, built from distinct chunks so a shifted copy cannot pass.
 */
export function randomString(length: number, seed = 0x1234567): string {
  const CHUNK = 1 << 16;
  const units = new Uint16Array(CHUNK);
  const parts: string[] = [];
  let x = seed >>> 0 || 1;
  for (let done = 0; done < length; done += CHUNK) {
    const size = Math.min(CHUNK, length - done);
    for (let i = 0; i < size; ++i) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      let unit = x & 0xffff;
      if (unit >= 0xd800 && unit <= 0xdfff) {
        // A surrogate pair when there is room for one, otherwise a plain BMP character.
        if (i + 1 < size) {
          units[i++] = 0xd800 | (unit & 0x3ff);
          unit = 0xdc00 | ((x >>> 16) & 0x3ff);
        } else {
          unit = 0x4e00 | (unit & 0xff);
        }
      }
      units[i] = unit;
    }
    let text = "";
    for (let at = 0; at < size; at += 4096) {
      text += String.fromCharCode.apply(null, units.subarray(at, Math.min(at + 4096, size)) as unknown as number[]);
    }
    parts.push(text);
  }
  return parts.join("");
}
