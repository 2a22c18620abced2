/**
 * Custom sections of a compiled wasm, rewritten after the fact: the Vite plugin sets the source
 * map's URL, and tests forge manifests. Sections are kept in order; the new one goes last.
 */

/** `binary` with every custom section named `name` removed, and one with `payload` added (unless null). */
export function withCustomSection(binary: Uint8Array, name: string, payload: Uint8Array | null): Uint8Array {
  const kept: Uint8Array[] = [binary.subarray(0, 8)];
  for (let at = 8; at < binary.length; ) {
    const start = at;
    const id = binary[at++];
    const [size, sizeLength] = readLeb128(binary, at);
    at += sizeLength;
    const end = at + size;
    if (!(id === 0 && customSectionName(binary, at) === name)) kept.push(binary.subarray(start, end));
    at = end;
  }
  if (payload !== null) kept.push(customSection(name, payload));
  return concat(kept);
}

/** A custom section: id 0, its size, its name, its payload. */
export function customSection(name: string, payload: Uint8Array): Uint8Array {
  const content = concat([vector(new TextEncoder().encode(name)), payload]);
  return concat([Uint8Array.of(0), leb128(content.length), content]);
}

/** Bytes prefixed with their length, as wasm writes strings. */
export function vector(bytes: Uint8Array): Uint8Array {
  return concat([leb128(bytes.length), bytes]);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function customSectionName(binary: Uint8Array, at: number): string {
  const [length, lengthBytes] = readLeb128(binary, at);
  return new TextDecoder().decode(binary.subarray(at + lengthBytes, at + lengthBytes + length));
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
