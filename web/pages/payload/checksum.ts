/**
 * 32-bit FNV-1a over UTF-16 code units (or bytes), continued chunk to chunk: the same function
 * assembly/demo/Payload.ts computes, so both sides can vouch for what crossed.
 */
export const CHECKSUM_START = 0x811c9dc5;
const FNV_PRIME = 16777619;

export function checksumText(text: string, hash: number): number {
  for (let i = 0; i < text.length; ++i) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

export function checksumBytes(bytes: Uint8Array, hash: number): number {
  for (let i = 0; i < bytes.length; ++i) hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  return hash >>> 0;
}

export function formatChecksum(hash: number): string {
  return `0x${hash.toString(16).padStart(8, "0")}`;
}
