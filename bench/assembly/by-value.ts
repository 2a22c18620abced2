// The managed side of the by-value benchmarks (bench/scenarios/by-value.ts), re-exported by
// bench.ts so that one as-interop build and one `asc --bindings esm` build cover every scenario.
//
// Setup functions (`keep…`, `scratch`) run once, outside the timed loops: the timed functions do
// as little managed work as possible, so what is measured is the marshaling.

import { QUOTE, BACKSLASH, COMMA, COLON, OPEN, CLOSE, OPEN_BRACE, CLOSE_BRACE, HEX, hexDigit } from "./json-chars";

// --- bulk data: 64 MiB Uint8Array, 32M-character string -------------------------------------------

let keptBytes = new Uint8Array(0);
let keptText = "";
const scratchBuffers: ArrayBuffer[] = [];

/** In: the host copies the argument into a new managed Uint8Array; managed code only reads its length. */
@jsInvokable export function takeBytes(data: Uint8Array): i32 { return data.length; }
/** Out: a Uint8Array managed code already holds (made once by keepBytes). */
@jsInvokable export function giveBytes(): Uint8Array { return keptBytes; }
export function keepBytes(length: i32): i32 {
  keptBytes = new Uint8Array(length);
  for (let i = 0; i < length; ++i) unchecked((keptBytes[i] = <u8>(i * 7)));
  return length;
}

@jsInvokable export function takeText(text: string): i32 { return text.length; }
@jsInvokable export function giveText(): string { return keptText; }
@jsInvokable export function keepText(text: string): i32 { keptText = text; return text.length; }

/** A managed buffer kept alive for good, for the plain-copy baselines to copy into and out of. */
export function scratch(byteLength: i32): usize {
  const buffer = new ArrayBuffer(byteLength);
  scratchBuffers.push(buffer);
  return changetype<usize>(buffer);
}

// --- 1M ints -----------------------------------------------------------------------------------

@jsInvokable export function echoInts(values: i32[]): i32[] { return values; }
@jsInvokable export function echoInt32Array(values: Int32Array): Int32Array { return values; }

/** Blazor's way: `[1,2,…]` as JSON text in, parsed into an i32[], serialized back to JSON text. */
export function jsonEchoInts(json: string): string {
  const parser = new Parser(json);
  const values = parser.intArray();
  parser.end();
  const out = new TextWriter(json.length + 16);
  out.unit(OPEN);
  for (let i = 0; i < values.length; ++i) {
    if (i > 0) out.unit(COMMA);
    out.int(unchecked(values[i]));
  }
  out.unit(CLOSE);
  return out.finish();
}

// --- 100k small structs ------------------------------------------------------------------------

/**
 * A small struct. No constructor, so `asc --bindings esm` treats it as a "plain object" and copies
 * it field by field; `@dataMember` (an unknown decorator to plain asc) makes it an as-interop struct.
 */
export class Item {
  @dataMember id: i32 = 0;
  @dataMember x: f64 = 0;
  @dataMember y: f64 = 0;
  @dataMember name: string = "";
}

let keptItems: Item[] = [];

@jsInvokable export function echoItems(items: Item[]): Item[] { return items; }
/** In: managed code touches every struct, so the decoding cannot be skipped. */
@jsInvokable export function countItems(items: Item[]): i32 { return items.length; }
/** Out: structs managed code already holds (made once by keepItems). */
@jsInvokable export function giveItems(): Item[] { return keptItems; }
@jsInvokable export function keepItems(items: Item[]): i32 { keptItems = items; return items.length; }

/** `count` items as the call benchmarks pass them (the same in every build). */
export function makeItems(count: i32): Item[] {
  const items = new Array<Item>(count);
  for (let i = 0; i < count; ++i) {
    const item = new Item();
    item.id = i;
    item.x = <f64>i * 0.5;
    item.y = -<f64>i;
    item.name = `item ${i}`;
    items[i] = item;
  }
  return items;
}

/** Blazor's way for `Item[]`: parse every object (keys in any order), serialize them back. */
export function jsonEchoItems(json: string): string {
  const parser = new Parser(json);
  const items = parser.itemArray();
  parser.end();
  return jsonItems(items, json.length + 16);
}

/** `items` as JSON text, as System.Text.Json writes them. */
export function jsonItems(items: Item[], capacity: i32 = 64): string {
  const out = new TextWriter(capacity);
  out.unit(OPEN);
  for (let i = 0; i < items.length; ++i) {
    const item = unchecked(items[i]);
    if (i > 0) out.unit(COMMA);
    out.text('{"id":');
    out.int(item.id);
    out.text(',"x":');
    out.float(item.x);
    out.text(',"y":');
    out.float(item.y);
    out.text(',"name":');
    out.jsonString(item.name);
    out.unit(CLOSE_BRACE);
  }
  out.unit(CLOSE);
  return out.finish();
}

// --- a small JSON reader and writer (real: every character is examined, escapes handled) -------

class Parser {
  at: i32 = 0;
  constructor(readonly text: string) {}

  private peek(): i32 {
    this.skipWhitespace();
    return this.at < this.text.length ? this.text.charCodeAt(this.at) : -1;
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
      this.at++;
    }
  }

  private expect(c: i32): void {
    if (this.peek() != c) throw new Error("JSON: expected '" + String.fromCharCode(c) + "' at " + this.at.toString());
    this.at++;
  }

  /** After an element: true (consuming it) if a `,` follows, false (consuming it) at `close`. */
  private more(close: i32): bool {
    if (this.peek() == COMMA) {
      this.at++;
      return true;
    }
    this.expect(close);
    return false;
  }

  end(): void {
    this.skipWhitespace();
    if (this.at != this.text.length) throw new Error("JSON: trailing characters at " + this.at.toString());
  }

  intArray(): i32[] {
    const values = new Array<i32>();
    this.expect(OPEN);
    if (this.peek() == CLOSE) {
      this.at++;
      return values;
    }
    do values.push(this.int()); while (this.more(CLOSE));
    return values;
  }

  int(): i32 {
    this.skipWhitespace();
    const text = this.text;
    let negative = false;
    if (this.at < text.length && text.charCodeAt(this.at) == 0x2d) {
      negative = true;
      this.at++;
    }
    const start = this.at;
    let value: i64 = 0;
    while (this.at < text.length) {
      const digit = text.charCodeAt(this.at) - 0x30;
      if (<u32>digit > 9) break;
      value = value * 10 + digit;
      if (value > 0x80000000) throw new Error("JSON: integer out of i32 range");
      this.at++;
    }
    if (this.at == start) throw new Error("JSON: expected a digit at " + this.at.toString());
    if (negative) value = -value;
    if (value > i32.MAX_VALUE) throw new Error("JSON: integer out of i32 range");
    return <i32>value;
  }

  /** A JSON number: scanned here, converted by the standard library's parseFloat. */
  number(): f64 {
    this.skipWhitespace();
    const text = this.text;
    const start = this.at;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      // digits, '-', '+', '.', 'e', 'E'
      if ((c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x2b || c == 0x2e || c == 0x65 || c == 0x45) this.at++;
      else break;
    }
    if (this.at == start) throw new Error("JSON: expected a number at " + start.toString());
    return parseFloat(text.substring(start, this.at));
  }

  string(): string {
    this.expect(QUOTE);
    const text = this.text;
    let result = "";
    let run = this.at;
    while (true) {
      if (this.at >= text.length) throw new Error("JSON: unterminated string");
      const c = text.charCodeAt(this.at);
      if (c == QUOTE) break;
      if (c < 0x20) throw new Error("JSON: control character in string");
      if (c != BACKSLASH) {
        this.at++;
        continue;
      }
      result += text.substring(run, this.at) + String.fromCharCode(this.escape());
      run = this.at;
    }
    result = result.length == 0 ? text.substring(run, this.at) : result + text.substring(run, this.at);
    this.at++;
    return result;
  }

  private escape(): i32 {
    const text = this.text;
    const c = text.charCodeAt(this.at + 1);
    this.at += 2;
    switch (c) {
      case QUOTE: return QUOTE;
      case BACKSLASH: return BACKSLASH;
      case 0x2f: return 0x2f;
      case 0x62: return 0x08;
      case 0x66: return 0x0c;
      case 0x6e: return 0x0a;
      case 0x72: return 0x0d;
      case 0x74: return 0x09;
      case 0x75: {
        let unit = 0;
        for (let i = 0; i < 4; i++) unit = (unit << 4) | hexDigit(text.charCodeAt(this.at++));
        return unit;
      }
    }
    throw new Error("JSON: bad escape");
  }

  itemArray(): Item[] {
    const items = new Array<Item>();
    this.expect(OPEN);
    if (this.peek() == CLOSE) {
      this.at++;
      return items;
    }
    do items.push(this.item()); while (this.more(CLOSE));
    return items;
  }

  /** `{"id":…,"x":…,"y":…,"name":"…"}` with the keys in any order; unknown keys are an error. */
  private item(): Item {
    const item = new Item();
    this.expect(OPEN_BRACE);
    if (this.peek() == CLOSE_BRACE) {
      this.at++;
      return item;
    }
    do {
      const key = this.string();
      this.expect(COLON);
      if (key == "id") item.id = this.int();
      else if (key == "x") item.x = this.number();
      else if (key == "y") item.y = this.number();
      else if (key == "name") item.name = this.string();
      else throw new Error("JSON: unknown key " + key);
    } while (this.more(CLOSE_BRACE));
    return item;
  }
}

/** UTF-16 text into one growable buffer, made a String once at the end (no quadratic `+=`). */
class TextWriter {
  private buffer: ArrayBuffer;
  private used: i32 = 0;

  constructor(capacity: i32) {
    this.buffer = new ArrayBuffer(max(capacity, 16) << 1);
  }

  private reserve(units: i32): usize {
    const needed = (this.used + units) << 1;
    if (needed > this.buffer.byteLength) {
      let capacity = this.buffer.byteLength << 1;
      while (capacity < needed) capacity <<= 1;
      const grown = new ArrayBuffer(capacity);
      memory.copy(changetype<usize>(grown), changetype<usize>(this.buffer), <usize>this.used << 1);
      this.buffer = grown;
    }
    const at = changetype<usize>(this.buffer) + (<usize>this.used << 1);
    this.used += units;
    return at;
  }

  unit(c: i32): void {
    store<u16>(this.reserve(1), <u16>c);
  }

  text(s: string): void {
    const bytes = <usize>s.length << 1;
    memory.copy(this.reserve(s.length), changetype<usize>(s), bytes);
  }

  int(value: i32): void {
    this.text(value.toString());
  }

  float(value: f64): void {
    // Integral values as integers, as JSON.stringify writes them (AS would write "1.0").
    if (value == Math.floor(value) && Math.abs(value) < 1e15) this.text((<i64>value).toString());
    else this.text(value.toString());
  }

  jsonString(s: string): void {
    this.unit(QUOTE);
    let run = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x20 && c != QUOTE && c != BACKSLASH) continue;
      this.text(s.substring(run, i));
      if (c == QUOTE) this.text("\\\"");
      else if (c == BACKSLASH) this.text("\\\\");
      else if (c == 0x0a) this.text("\\n");
      else if (c == 0x0d) this.text("\\r");
      else if (c == 0x09) this.text("\\t");
      else this.text("\\u00" + HEX.charAt(c >> 4) + HEX.charAt(c & 15));
      run = i + 1;
    }
    this.text(s.substring(run));
    this.unit(QUOTE);
  }

  finish(): string {
    return String.UTF16.decodeUnsafe(changetype<usize>(this.buffer), <usize>this.used << 1);
  }
}
