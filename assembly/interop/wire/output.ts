import { copy } from "./copy";

/**
 * What both encoders of managed values (the wire `Writer` and the tagged `TaggedWriter`) write
 * into: bytes that start with a `u32` count of the bytes used, which the host reads first. They
 * sit in a managed buffer (`buffer`), or, for a subclass with room of its own (`JSArgs`), in that
 * room until they outgrow it. Growing allocates a new buffer and lets the old one be collected,
 * so an abort midway (a cycle, a value too deep) leaks nothing.
 */
export class OutputBuffer {
  /** The buffer the bytes are in, unless they are still in the subclass's own room. */
  protected buffer: ArrayBuffer | null = null;
  /** Where the bytes are, and how many fit there. */
  protected start: usize = 0;
  protected capacity: usize = 0;
  protected used: usize = sizeof<u32>();

  /** `capacity` 0: the subclass gives the room itself (see `useRoom`). */
  constructor(capacity: i32) {
    if (capacity > 0) {
      const buffer = new ArrayBuffer(capacity);
      this.buffer = buffer;
      this.start = changetype<usize>(buffer);
      this.capacity = <usize>capacity;
    }
  }

  /** The bytes go into `bytes` bytes at `start` (inside the object itself) until they outgrow them. */
  protected useRoom(start: usize, bytes: usize): void {
    this.start = start;
    this.capacity = bytes;
  }

  /** The finished buffer, its byte count filled in. */
  finish(): ArrayBuffer {
    store<u32>(this.start, <u32>this.used);
    return changetype<ArrayBuffer>(this.start);
  }

  /** A string as its length in code units, then its UTF-16 code units. */
  protected string(text: string): void {
    const bytes = <usize>text.length << 1;
    this.number<u32>(<u32>text.length);
    copy(this.reserve(bytes), changetype<usize>(text), bytes);
  }

  // Inlined, like reserve: a struct field or element writes several of them, and a call each
  // cost more than the stores (a third of encoding 1000 small structs).
  // @ts-ignore: decorator
  @inline protected number<N>(value: N): void {
    store<N>(this.reserve(sizeof<N>()), value);
  }

  /** Makes sure `bytes` more bytes fit, growing once for what is about to be written piece by piece. */
  protected ensure(bytes: usize): void {
    if (bytes > this.capacity - this.used) this.grow(bytes);
  }

  /** Makes room for `bytes` more bytes and returns where they go. */
  // @ts-ignore: decorator
  @inline protected reserve(bytes: usize): usize {
    if (bytes > this.capacity - this.used) this.grow(bytes);
    const at = this.start + this.used;
    this.used += bytes;
    return at;
  }

  private grow(bytes: usize): void {
    let grown = max<usize>(this.capacity << 1, 64);
    while (grown - this.used < bytes) grown <<= 1;
    const next = new ArrayBuffer(<i32>grown);
    memory.copy(changetype<usize>(next), this.start, this.used);
    this.buffer = next;
    this.start = changetype<usize>(next);
    this.capacity = grown;
  }
}
