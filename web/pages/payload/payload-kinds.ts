/**
 * What the large-payload page can send: one entry per kind of value. Each kind moves one chunk in
 * each direction through assembly/Payload.ts and reports the time the crossing call took and the
 * checksum each side computed. Another kind is one more entry here (and its methods in Payload.ts).
 */
import { CHECKSUM_START, checksumBytes, checksumText } from "./checksum.ts";

export const PAYLOAD_ASSEMBLY = "Payload";

export interface ChunkResult {
  /** Milliseconds the crossing call took, and nothing else (no generating, no checksums). */
  readonly ms: number;
  readonly jsChecksum: number;
  readonly managedChecksum: number;
}

export interface Checksums {
  readonly js: number;
  readonly managed: number;
}

export interface PayloadKind {
  readonly id: string;
  readonly label: string;
  /** What sizes count: "characters", "bytes". */
  readonly unit: string;
  readonly bytesPerUnit: number;
  /** Sizes offered, in units; the largest is what this kind can carry in one run. */
  readonly sizes: readonly number[];
  /** JavaScript makes `length` units from `seed` and sends them; both sides checksum what they hold. */
  toManaged(length: number, seed: number, previous: Checksums): ChunkResult;
  /** Managed code makes `length` units from `seed` and returns them. */
  fromManaged(length: number, seed: number, previous: Checksums): ChunkResult;
  /** Drops what the managed side still holds. */
  release(): void;
}

const M = 1024 * 1024;

const text: PayloadKind = {
  id: "string",
  label: "string (UTF-16)",
  unit: "characters",
  bytesPerUnit: 2,
  sizes: [1 * M, 16 * M, 64 * M, 128 * M],
  toManaged(length, seed, previous) {
    const chunk = randomText(length, seed);
    const started = performance.now();
    DotNet.invokeMethod(PAYLOAD_ASSEMBLY, "Receive", chunk);
    const ms = performance.now() - started;
    return {
      ms,
      jsChecksum: checksumText(chunk, previous.js),
      managedChecksum: DotNet.invokeMethod<number>(PAYLOAD_ASSEMBLY, "ChecksumOfReceived", previous.managed),
    };
  },
  fromManaged(length, seed, previous) {
    DotNet.invokeMethod(PAYLOAD_ASSEMBLY, "Prepare", length, seed);
    const started = performance.now();
    const chunk = DotNet.invokeMethod<string>(PAYLOAD_ASSEMBLY, "Send");
    const ms = performance.now() - started;
    return {
      ms,
      jsChecksum: checksumText(chunk, previous.js),
      managedChecksum: DotNet.invokeMethod<number>(PAYLOAD_ASSEMBLY, "ChecksumOfPrepared", previous.managed),
    };
  },
  release() {
    DotNet.invokeMethod(PAYLOAD_ASSEMBLY, "Release");
  },
};

const bytes: PayloadKind = {
  id: "bytes",
  label: "Uint8Array",
  unit: "bytes",
  bytesPerUnit: 1,
  sizes: [1 * M, 64 * M, 256 * M, 512 * M],
  toManaged(length, seed, previous) {
    const chunk = randomBytes(length, seed);
    const started = performance.now();
    DotNet.invokeMethod(PAYLOAD_ASSEMBLY, "ReceiveBytes", chunk);
    const ms = performance.now() - started;
    return {
      ms,
      jsChecksum: checksumBytes(chunk, previous.js),
      managedChecksum: DotNet.invokeMethod<number>(PAYLOAD_ASSEMBLY, "ChecksumOfReceivedBytes", previous.managed),
    };
  },
  fromManaged(length, seed, previous) {
    DotNet.invokeMethod(PAYLOAD_ASSEMBLY, "PrepareBytes", length, seed);
    const started = performance.now();
    const chunk = DotNet.invokeMethod<Uint8Array>(PAYLOAD_ASSEMBLY, "SendBytes");
    const ms = performance.now() - started;
    return {
      ms,
      jsChecksum: checksumBytes(chunk, previous.js),
      managedChecksum: DotNet.invokeMethod<number>(PAYLOAD_ASSEMBLY, "ChecksumOfPreparedBytes", previous.managed),
    };
  },
  release() {
    DotNet.invokeMethod(PAYLOAD_ASSEMBLY, "Release");
  },
};

export const payloadKinds: readonly PayloadKind[] = [text, bytes];

export const initialChecksums: Checksums = { js: CHECKSUM_START, managed: CHECKSUM_START };

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éßλжक→€";
const decoder = new TextDecoder("utf-16le");

/** `length` pseudo-random characters: made as UTF-16 code units, decoded into a string in one go. */
function randomText(length: number, seed: number): string {
  const units = new Uint16Array(length);
  let state = seed | 1;
  for (let i = 0; i < length; ++i) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    units[i] = ALPHABET.charCodeAt((state >>> 0) % ALPHABET.length);
  }
  return decoder.decode(units);
}

/** `length` pseudo-random bytes: the low byte of each xorshift32 step. */
function randomBytes(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = seed | 1;
  for (let i = 0; i < length; ++i) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state;
  }
  return bytes;
}
