/**
 * The binary format composite values cross in (the host's half is host/marshal/wire/).
 *
 * Schema-driven: both sides know the static type, so only what the type cannot say is written.
 * Little-endian, unaligned.
 *
 *   input buffer   [u8 flags] value              (written by the host, exactly sized)
 *   output buffer  [u32 used bytes] [u8 flags] value   (written here, capacity may exceed use)
 *
 *   bool                     u8 0/1
 *   i8 … u64, f32, f64, char the number itself, sizeof<T>() bytes
 *   Nullable<T>              u8 tag: 0 no value (or null), 1 the T follows; never a back-reference
 *   any reference type       u8 tag: 0 null, 1 a value follows, 2 a back-reference follows (u32 id)
 *     string                 u32 code units, UTF-16 code units
 *     Date                   f64 milliseconds since 1970-01-01T00:00:00Z
 *     Guid                   u64 high, u64 low (text order)
 *     Array, StaticArray     u32 length, the elements
 *     typed arrays           u32 byte length, the bytes
 *     Map<string, V>         u32 count, then per entry: u32 + UTF-16 key, V
 *     @dataMember class      its marked fields in declaration order
 *     a reference            u32 id (a `DotNetObjectReference`, a view, a `JSObject`); an object of a
 *                            plain class held by reference (host: a plain `objectref`), managed → JS:
 *                            u32 id, then u32 the class id of the object the reference is to
 *
 * Back-references exist only with FLAG_PRESERVE: every array, map and class instance gets the
 * next id when its tag-1 value starts, so shared and cyclic references keep their identity.
 * Without it, nesting deeper than the configured depth is an error, as System.Text.Json does.
 */

export const TAG_NULL: u8 = 0;
export const TAG_VALUE: u8 = 1;
export const TAG_REFERENCE: u8 = 2;

export const FLAG_PRESERVE: u8 = 1;

/** Set by the host at load (see `configure`). */
export let preserveReferences = false;
export let maxDepth: i32 = 64;
/** The assembly was loaded with `{ int64: "bigint" }`: 64-bit integers reach JS as BigInts. */
export let int64AsBigInt = false;

/** Called by the host once after instantiation with the assembly's reference handling. */
export function configure(preserve: bool, depth: i32, bigints: bool): void {
  preserveReferences = preserve;
  maxDepth = depth;
  int64AsBigInt = bigints;
}

/** The host's wording (host/marshal/wire/format.ts), kept identical. */
export function cycleMessage(): string {
  return (
    "A possible object cycle was detected. This can either be due to a cycle or if the object depth is larger " +
    `than the maximum allowed depth of ${maxDepth}.` +
    (preserveReferences ? "" : " Consider loading the assembly with { preserveReferences: true } to support cycles.")
  );
}
