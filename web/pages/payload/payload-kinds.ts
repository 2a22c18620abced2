/**
 * What the large-payload page can send: one entry per kind of value. Each kind moves one chunk in
 * each direction through assembly/demo/Payload.ts and reports the time the crossing call took and the
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
  /** JavaScript makes `length` units from `variant` and sends them; both sides checksum what they hold. */
  toManaged(length: number, variant: number, previous: Checksums): ChunkResult;
  /** Managed code makes `length` units from `variant` and returns them. */
  fromManaged(length: number, variant: number, previous: Checksums): ChunkResult;
  /** Drops what the managed side still holds. */
  release(): void;
}

const M = 1024 * 1024;

/**
 * A kind of value and the Payload.ts methods that move it, named by `suffix`: `Receive<suffix>`,
 * `ChecksumOfReceived<suffix>`, `Prepare<suffix>`, `Send<suffix>`, `ChecksumOfPrepared<suffix>`.
 */
function payloadKind<T>(
  kind: Omit<PayloadKind, "toManaged" | "fromManaged" | "release"> & {
    readonly suffix: string;
    make(length: number, variant: number): T;
    checksum(chunk: T, start: number): number;
  },
): PayloadKind {
  const { suffix, make, checksum } = kind;
  const call = <R>(method: string, ...args: unknown[]) => DotNet.invokeMethod<R>(PAYLOAD_ASSEMBLY, method + suffix, ...args);
  const result = (ms: number, chunk: T, previous: Checksums, checksumMethod: string): ChunkResult => ({
    ms,
    jsChecksum: checksum(chunk, previous.js),
    managedChecksum: call<number>(checksumMethod, previous.managed),
  });
  return {
    id: kind.id,
    label: kind.label,
    unit: kind.unit,
    bytesPerUnit: kind.bytesPerUnit,
    sizes: kind.sizes,
    toManaged(length, variant, previous) {
      const chunk = make(length, variant);
      const started = performance.now();
      call("Receive", chunk);
      return result(performance.now() - started, chunk, previous, "ChecksumOfReceived");
    },
    fromManaged(length, variant, previous) {
      call("Prepare", length, variant);
      const started = performance.now();
      const chunk = call<T>("Send");
      return result(performance.now() - started, chunk, previous, "ChecksumOfPrepared");
    },
    release() {
      DotNet.invokeMethod(PAYLOAD_ASSEMBLY, "Release");
    },
  };
}

const text = payloadKind<string>({
  id: "string",
  label: "string (UTF-16)",
  unit: "characters",
  bytesPerUnit: 2,
  sizes: [1 * M, 16 * M, 64 * M, 128 * M],
  suffix: "",
  make: randomText,
  checksum: checksumText,
});

const bytes = payloadKind<Uint8Array>({
  id: "bytes",
  label: "Uint8Array",
  unit: "bytes",
  bytesPerUnit: 1,
  sizes: [1 * M, 64 * M, 256 * M, 512 * M],
  suffix: "Bytes",
  make: randomBytes,
  checksum: checksumBytes,
});

export const payloadKinds: readonly PayloadKind[] = [text, bytes];

export const initialChecksums: Checksums = { js: CHECKSUM_START, managed: CHECKSUM_START };

const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éßλжक→€";
const decoder = new TextDecoder("utf-16le");

/** `length` pseudo-random characters: made as UTF-16 code units, decoded into a string in one go. */
function randomText(length: number, variant: number): string {
  const units = new Uint16Array(length);
  let state = variant | 1;
  for (let i = 0; i < length; ++i) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    units[i] = ALPHABET.charCodeAt((state >>> 0) % ALPHABET.length);
  }
  return decoder.decode(units);
}

/** `length` pseudo-random bytes: the low byte of each xorshift32 step. */
function randomBytes(length: number, variant: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = variant | 1;
  for (let i = 0; i < length; ++i) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state;
  }
  return bytes;
}
