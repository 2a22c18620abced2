import { copy } from "./copy";

/**
 * What both encoders of managed values (the wire `Writer` and the tagged `TaggedWriter`) write
 * into: a growable managed buffer that starts with a `u32` count of the bytes used, which the host
 * reads first. Growing allocates a new buffer and lets the old one be collected, so an abort
 * midway (a cycle, a value too deep) leaks nothing.
 */
export class OutputBuffer {
  protected buffer: ArrayBuffer;
  protected used: usize = sizeof<u32>();

  constructor(capacity: i32) {
    this.buffer = new ArrayBuffer(capacity);
  }

  /** The finished buffer, its byte count filled in. */
  finish(): ArrayBuffer {
    store<u32>(changetype<usize>(this.buffer), <u32>this.used);
    return this.buffer;
  }

  /** A string as its length in code units, then its UTF-16 code units. */
  protected string(text: string): void {
    const bytes = <usize>text.length << 1;
    this.number<u32>(<u32>text.length);
    copy(this.reserve(bytes), changetype<usize>(text), bytes);
  }

  protected number<N>(value: N): void {
    store<N>(this.reserve(sizeof<N>()), value);
  }

  /** Makes room for `bytes` more bytes and returns where they go. */
  protected reserve(bytes: usize): usize {
    const capacity = <usize>this.buffer.byteLength;
    if (bytes > capacity - this.used) {
      let grown = capacity << 1;
      while (grown - this.used < bytes) grown <<= 1;
      const next = new ArrayBuffer(<i32>grown);
      memory.copy(changetype<usize>(next), changetype<usize>(this.buffer), this.used);
      this.buffer = next;
    }
    const at = changetype<usize>(this.buffer) + this.used;
    this.used += bytes;
    return at;
  }
}
