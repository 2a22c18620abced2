/**
 * The large-payload page's managed half (web/pages/payload), for each kind of payload (strings,
 * bytes). Each transfer is a call that only moves data — `Receive…` takes a chunk, `Send…` returns
 * one prepared beforehand — so the page can time the crossing alone; checksums and generating
 * data are separate calls, outside the timing.
 *
 * The checksum is 32-bit FNV-1a over UTF-16 code units (strings) or bytes, continued from the
 * previous chunk's value (web/pages/payload/checksum.ts computes the same in JavaScript).
 */

const FNV_PRIME: u32 = 16777619;

let received: string = "";
let prepared: string = "";
let receivedBytes = new Uint8Array(0);
let preparedBytes = new Uint8Array(0);

// --- strings ------------------------------------------------------------------------------------

/** JavaScript → managed: keeps the chunk (so the checksum can be taken later) and returns its length. */
@jsInvokable
export function Receive(chunk: string): i32 {
  received = chunk;
  return chunk.length;
}

/** The checksum of the chunk last received, continuing from `hash`. */
@jsInvokable
export function ChecksumOfReceived(hash: u32): u32 {
  return checksum(received, hash);
}

/** Generates `length` pseudo-random characters from `variant`, to be sent by {@link Send}. */
@jsInvokable
export function Prepare(length: i32, variant: u32): void {
  prepared = generate(length, variant);
}

/** Managed → JavaScript: the chunk {@link Prepare} made. */
@jsInvokable
export function Send(): string {
  return prepared;
}

@jsInvokable
export function ChecksumOfPrepared(hash: u32): u32 {
  return checksum(prepared, hash);
}

// --- bytes --------------------------------------------------------------------------------------

@jsInvokable
export function ReceiveBytes(chunk: Uint8Array): i32 {
  receivedBytes = chunk;
  return chunk.length;
}

@jsInvokable
export function ChecksumOfReceivedBytes(hash: u32): u32 {
  return checksumBytes(receivedBytes, hash);
}

@jsInvokable
export function PrepareBytes(length: i32, variant: u32): void {
  const bytes = new Uint8Array(length);
  let state = variant | 1;
  for (let i = 0; i < length; ++i) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    bytes[i] = <u8>state;
  }
  preparedBytes = bytes;
}

@jsInvokable
export function SendBytes(): Uint8Array {
  return preparedBytes;
}

@jsInvokable
export function ChecksumOfPreparedBytes(hash: u32): u32 {
  return checksumBytes(preparedBytes, hash);
}

// --------------------------------------------------------------------------------------------------

/** Lets the collector reclaim the last chunks once a run is over. */
@jsInvokable
export function Release(): void {
  received = "";
  prepared = "";
  receivedBytes = new Uint8Array(0);
  preparedBytes = new Uint8Array(0);
}

function checksum(text: string, hash: u32): u32 {
  const start = changetype<usize>(text);
  const end = start + (<usize>text.length << 1);
  for (let at = start; at < end; at += 2) {
    hash = (hash ^ load<u16>(at)) * FNV_PRIME;
  }
  return hash;
}

function checksumBytes(bytes: Uint8Array, hash: u32): u32 {
  const start = bytes.dataStart;
  const end = start + <usize>bytes.length;
  for (let at = start; at < end; ++at) {
    hash = (hash ^ load<u8>(at)) * FNV_PRIME;
  }
  return hash;
}

/** Letters, digits and a few characters beyond ASCII, so the text is not all one-byte characters. */
const ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 éßλжक→€";

function generate(length: i32, variant: u32): string {
  // Written code unit by code unit into a string allocated at its final size.
  const text = changetype<string>(__new(<usize>length << 1, idof<string>()));
  const base = changetype<usize>(text);
  const size = <u32>ALPHABET.length;
  let state = variant | 1;
  for (let i = 0; i < length; ++i) {
    // xorshift32: fast and good enough to make every chunk different.
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    store<u16>(base + (<usize>i << 1), ALPHABET.charCodeAt(state % size));
  }
  return text;
}
