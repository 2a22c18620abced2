/**
 * Hand-written string lowering and lifting against a bare instance: the simplest correct way a
 * caller can move a string across, with nothing in between. The "raw" implementation uses it as
 * the floor, and "json" uses it too, so that json differs from raw only by the JSON work.
 *
 *   lower: `__new(length * 2, STRING_ID)`, then one `charCodeAt` store per UTF-16 code unit
 *   lift:  read the payload size from the object header, `String.fromCharCode` over the units
 */

/** What a bare instance of the bench binary exports that these helpers use. */
export interface BareExports {
  readonly memory: WebAssembly.Memory;
  __new(size: number, classId: number): number;
}

/** AssemblyScript's fixed class id of `String`. */
const STRING_ID = 2;

const utf16 = new TextDecoder("utf-16le");

export class RawStrings {
  #buffer: ArrayBufferLike | null = null;
  #u16 = new Uint16Array(0);
  #u32 = new Uint32Array(0);

  constructor(readonly exports: BareExports) {}

  /**
   * Views are re-derived when memory has grown (which detaches the old buffer): one identity
   * check per access, which any correct caller must pay, since any allocation may grow memory.
   */
  #views(): void {
    const buffer = this.exports.memory.buffer;
    if (buffer === this.#buffer) return;
    this.#buffer = buffer;
    this.#u16 = new Uint16Array(buffer);
    this.#u32 = new Uint32Array(buffer);
  }

  /** A new managed String. Unpinned: the caller must pass it to wasm before anything allocates. */
  lower(value: string): number {
    const length = value.length;
    const pointer = this.exports.__new(length << 1, STRING_ID) >>> 0;
    this.#views();
    const u16 = this.#u16;
    const start = pointer >>> 1;
    for (let i = 0; i < length; ++i) u16[start + i] = value.charCodeAt(i);
    return pointer;
  }

  /** Any length, as one native copy (`TextDecoder`): the long-string counterpart of {@link lift}. */
  liftLong(pointer: number): string {
    this.#views();
    const start = pointer >>> 1;
    const end = start + (this.#u32[(pointer - 4) >>> 2] >>> 1);
    return utf16.decode(this.#u16.subarray(start, end));
  }

  /** Only for short strings: `fromCharCode.apply` takes every code unit as one argument. */
  lift(pointer: number): string {
    this.#views();
    const start = pointer >>> 1;
    // The header's last word (`rtSize`) is the payload size in bytes.
    const end = start + (this.#u32[(pointer - 4) >>> 2] >>> 1);
    return String.fromCharCode.apply(null, this.#u16.subarray(start, end) as unknown as number[]);
  }
}
