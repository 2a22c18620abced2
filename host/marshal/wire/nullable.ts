/**
 * `Nullable<T>` (the managed library's, .NET's `int?`): a number, `bool` or `char`, or none.
 * JS → managed: `null` and `undefined` are a `Nullable` without a value; anything else converts
 * by T's own row, with T's own error (`expected i32 …, got the string "5"`). Managed → JS: the
 * value, or `null`. On the wire: a tag (null or value), then the T; it has no identity to share.
 */
import { MarshalError } from "../errors.ts";
import type { Decoder, WireReader } from "./decode.ts";
import type { Encoder } from "./encode.ts";
import { TAG_NULL, TAG_VALUE } from "./format.ts";

/** `value` writes and checks the T. */
export function nullableEncoder(value: Encoder): Encoder {
  return (w, v) => {
    if (v === null || v === undefined) return w.u8(TAG_NULL);
    w.u8(TAG_VALUE);
    value(w, v);
  };
}

/** `value` reads the T. */
export function nullableDecoder(value: Decoder): Decoder {
  return (r: WireReader) => {
    const tag = r.take(1, r.view.getUint8(r.offset));
    if (tag === TAG_NULL) return null;
    if (tag !== TAG_VALUE) throw new MarshalError(`the encoded value has a bad tag (${tag})`);
    return value(r);
  };
}
