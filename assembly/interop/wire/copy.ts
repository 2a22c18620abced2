/** Strings up to this size are copied by a loop (see `copy`). */
const SHORT_COPY_BYTES: usize = 64;

/**
 * `memory.copy` for the strings the wire format moves. In V8 `memory.copy` is a call out of wasm,
 * about 2 ns, which for the few bytes of a short string is twice what a loop takes. `bytes` is even.
 */
@inline export function copy(to: usize, from: usize, bytes: usize): void {
  if (bytes <= SHORT_COPY_BYTES) {
    let at: usize = 0;
    for (; at + 8 <= bytes; at += 8) store<u64>(to + at, load<u64>(from + at));
    for (; at < bytes; at += 2) store<u16>(to + at, load<u16>(from + at));
  } else {
    memory.copy(to, from, bytes);
  }
}

/** A new string of the `bytes` bytes of UTF-16 at `from`, for the readers. */
@inline export function newString(from: usize, bytes: usize): string {
  // Unzeroed, since every byte is copied over it at once (host/compiler/unzeroed-new.ts).
  // @ts-ignore: the transform puts this function into the runtime
  const text = isDefined(__interop_unzeroedNew) ? __interop_unzeroedNew(bytes, idof<string>()) : __new(bytes, idof<string>());
  copy(text, from, bytes);
  return changetype<string>(text);
}
