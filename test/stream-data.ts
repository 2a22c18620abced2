/**
 * Data and checks for the stream tests (test/streams.test.ts, test/streams-8gib.test.ts), mirroring
 * test/fixtures/streams.ts: the streaming checksum its ChecksumSink computes, and the blocks its
 * BlockStream produces.
 */

/**
 * FNV-1a over a stream's little-endian 32-bit words, across chunk boundaries, then the 0–3
 * trailing bytes one at a time, then xor the byte length (mod 2^32). Feed it chunks in order.
 */
export class StreamChecksum {
  #h = 0x811c9dc5;
  #carry = 0;
  #carried = 0;
  #total = 0;

  update(chunk: Uint8Array): this {
    let h = this.#h;
    let at = 0;
    const end = chunk.byteLength;
    while (this.#carried > 0 && this.#carried < 4 && at < end) {
      this.#carry |= chunk[at++] << (8 * this.#carried);
      this.#carried++;
    }
    if (this.#carried === 4) {
      h = Math.imul(h ^ this.#carry, 0x01000193);
      this.#carry = 0;
      this.#carried = 0;
    }
    const words = (end - at) >>> 2;
    if (words > 0) {
      const start = chunk.byteOffset + at;
      // Aligned word reads need a 4-byte-aligned offset; copy the (rare) unaligned case.
      const view =
        start % 4 === 0 ? new Uint32Array(chunk.buffer, start, words) : new Uint32Array(chunk.slice(at, at + words * 4).buffer);
      for (let i = 0; i < words; ++i) h = Math.imul(h ^ view[i], 0x01000193);
      at += words * 4;
    }
    for (; at < end; at++) {
      this.#carry |= chunk[at] << (8 * this.#carried);
      this.#carried++;
    }
    this.#h = h;
    this.#total += end;
    return this;
  }

  digest(): number {
    let h = this.#h;
    for (let i = 0; i < this.#carried; i++) h = Math.imul(h ^ ((this.#carry >>> (8 * i)) & 0xff), 0x01000193);
    return (h ^ this.#total) >>> 0;
  }
}

export function checksumOf(...chunks: Uint8Array[]): number {
  const sum = new StreamChecksum();
  for (const chunk of chunks) sum.update(chunk);
  return sum.digest();
}

/** `length` pseudo-random bytes (xorshift32 words from `seed`, little-endian), as BlockStream's pattern. */
export function xorshiftBytes(length: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  const words = new Uint32Array(bytes.buffer, 0, length >>> 2);
  let x = seed >>> 0;
  for (let i = 0; i < words.length; ++i) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return bytes;
}

/** Block `index` of a block stream: the pattern with the index in its first word. */
export function block(pattern: Uint8Array, index: number, length = pattern.byteLength): Uint8Array<ArrayBuffer> {
  const out = pattern.slice(0, length);
  for (let i = 0; i < Math.min(length, 4); i++) out[i] = (index >>> (8 * i)) & 0xff;
  return out;
}

/**
 * Checks a block stream's bytes as they arrive, in chunks split anywhere: every byte is compared
 * (at memcmp speed) with what BlockStream(total, pattern.length, seed) must produce.
 */
export class BlockVerifier {
  #position = 0;
  readonly #blockSize: number;
  readonly #pattern: Buffer;
  readonly #header = new Uint8Array(4);

  constructor(pattern: Uint8Array) {
    this.#blockSize = pattern.byteLength;
    this.#pattern = Buffer.from(pattern.buffer, pattern.byteOffset, pattern.byteLength);
  }

  get position(): number {
    return this.#position;
  }

  /** Throws at the first byte that differs. */
  update(chunk: Uint8Array): void {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = 0;
    while (at < bytes.length) {
      const index = Math.floor(this.#position / this.#blockSize);
      const offset = this.#position - index * this.#blockSize;
      const length = Math.min(bytes.length - at, this.#blockSize - offset);
      // The first word holds the block's index; the rest is the pattern.
      for (let i = 0; i < 4; i++) this.#header[i] = (index >>> (8 * i)) & 0xff;
      let i = 0;
      for (; offset + i < 4 && i < length; i++) {
        if (bytes[at + i] !== this.#header[offset + i]) this.#fail(i, this.#header[offset + i], bytes[at + i]);
      }
      if (i < length && bytes.compare(this.#pattern, offset + i, offset + length, at + i, at + length) !== 0) {
        for (; i < length; i++) {
          if (bytes[at + i] !== this.#pattern[offset + i]) this.#fail(i, this.#pattern[offset + i], bytes[at + i]);
        }
      }
      at += length;
      this.#position += length;
    }
  }

  /** `offset`: from the current position. */
  #fail(offset: number, expected: number, actual: number): never {
    throw new Error(`byte ${this.#position + offset} differs: expected ${expected}, got ${actual}`);
  }
}
