// The managed side of the call benchmarks. One source, compiled both by as-interop's compile()
// (with its transform) and by plain asc with `--bindings esm` (where `@jsInvokable` is an unknown
// decorator that compiles silently), so every implementation calls the very same functions.

import { QUOTE, BACKSLASH, COMMA, OPEN, CLOSE, MINUS, ZERO, HEX, hexDigit } from "./json-chars";
import { jsonItems, makeItems } from "./by-value";

@jsInvokable
export function add(a: i32, b: i32): i32 {
  return a + b;
}

@jsInvokable
export function echo(s: string): string {
  return s;
}

// ---------------------------------------------------------------------------------------------
// The "json" implementation: marshal the way Blazor WebAssembly does. JS sends the arguments as
// JSON text in a managed String; these entry points parse it, call the method, and return the
// result as JSON text. The parser and serializer are real (every character is examined, escapes
// are decoded and encoded), but cover only the shapes the benchmark sends: an array of integers,
// and an array of JSON strings.

/** `[a, b]` → `add(a, b)` → its JSON. */
export function jsonAdd(argsJson: string): string {
  const args = parseIntArray(argsJson);
  if (args.length != 2) throw new Error("add expects 2 arguments");
  return add(args[0], args[1]).toString();
}

/** `["…"]` → `echo(s)` → its JSON. */
export function jsonEcho(argsJson: string): string {
  const args = parseStringArray(argsJson);
  if (args.length != 1) throw new Error("echo expects 1 argument");
  return stringifyString(echo(args[0]));
}

// The parser's cursor. Module globals rather than a class instance: nothing to allocate per call.
let text = "";
let at = 0;

function begin(json: string): void {
  text = json;
  at = 0;
}

function skipWhitespace(): void {
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) break;
    at++;
  }
}

function expect(c: i32): void {
  skipWhitespace();
  if (at >= text.length || text.charCodeAt(at) != c) {
    throw new Error("JSON: expected '" + String.fromCharCode(c) + "' at " + at.toString());
  }
  at++;
}

/** After an element: true if a `,` follows (and consumes it), false at the closing `]`. */
function more(): bool {
  skipWhitespace();
  if (at < text.length && text.charCodeAt(at) == COMMA) {
    at++;
    return true;
  }
  expect(CLOSE);
  return false;
}

/** True (and consumes `]`) if the array is empty. */
function emptyArray(): bool {
  skipWhitespace();
  if (at < text.length && text.charCodeAt(at) == CLOSE) {
    at++;
    return true;
  }
  return false;
}

function end(): void {
  skipWhitespace();
  if (at != text.length) throw new Error("JSON: trailing characters at " + at.toString());
  text = "";
}

function parseIntArray(json: string): i32[] {
  begin(json);
  const values = new Array<i32>();
  expect(OPEN);
  if (!emptyArray()) {
    do values.push(parseInt32()); while (more());
  }
  end();
  return values;
}

function parseInt32(): i32 {
  skipWhitespace();
  let negative = false;
  if (at < text.length && text.charCodeAt(at) == MINUS) {
    negative = true;
    at++;
  }
  const start = at;
  let value: i64 = 0;
  while (at < text.length) {
    const digit = text.charCodeAt(at) - ZERO;
    if (<u32>digit > 9) break;
    value = value * 10 + digit;
    if (value > 0x80000000) throw new Error("JSON: integer out of i32 range");
    at++;
  }
  if (at == start) throw new Error("JSON: expected a digit at " + at.toString());
  if (negative) value = -value;
  if (value > i32.MAX_VALUE) throw new Error("JSON: integer out of i32 range");
  return <i32>value;
}

function parseStringArray(json: string): string[] {
  begin(json);
  const values = new Array<string>();
  expect(OPEN);
  if (!emptyArray()) {
    do values.push(parseString()); while (more());
  }
  end();
  return values;
}

/** A JSON string literal; runs without escapes are copied as whole substrings. */
function parseString(): string {
  expect(QUOTE);
  let result = "";
  let run = at;
  while (true) {
    if (at >= text.length) throw new Error("JSON: unterminated string");
    const c = text.charCodeAt(at);
    if (c == QUOTE) break;
    if (c < 0x20) throw new Error("JSON: control character in string at " + at.toString());
    if (c != BACKSLASH) {
      at++;
      continue;
    }
    result += text.substring(run, at);
    result += String.fromCharCode(parseEscape());
    run = at;
  }
  // Without escapes the literal is one substring (AS's concatenation would copy it once more).
  result = result.length == 0 ? text.substring(run, at) : result + text.substring(run, at);
  at++; // the closing quote
  return result;
}

/** At a backslash: decodes one escape and returns its UTF-16 code unit. */
function parseEscape(): i32 {
  if (at + 1 >= text.length) throw new Error("JSON: unterminated escape");
  const c = text.charCodeAt(at + 1);
  at += 2;
  switch (c) {
    case QUOTE: return QUOTE;
    case BACKSLASH: return BACKSLASH;
    case 0x2f: return 0x2f; // \/
    case 0x62: return 0x08; // \b
    case 0x66: return 0x0c; // \f
    case 0x6e: return 0x0a; // \n
    case 0x72: return 0x0d; // \r
    case 0x74: return 0x09; // \t
    case 0x75: { // \uXXXX
      if (at + 4 > text.length) throw new Error("JSON: short \\u escape");
      let unit = 0;
      for (let i = 0; i < 4; i++) unit = (unit << 4) | hexDigit(text.charCodeAt(at++));
      return unit;
    }
  }
  throw new Error("JSON: bad escape at " + (at - 1).toString());
}

/**
 * A string as a JSON string literal, escaping what JSON.stringify escapes (except lone surrogates,
 * which it writes as \uDXXX and this passes through raw: JSON.parse accepts both).
 */
function stringifyString(s: string): string {
  let result = "\"";
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let escape = "";
    if (c == QUOTE) escape = "\\\"";
    else if (c == BACKSLASH) escape = "\\\\";
    else if (c == 0x0a) escape = "\\n";
    else if (c == 0x0d) escape = "\\r";
    else if (c == 0x09) escape = "\\t";
    else if (c == 0x08) escape = "\\b";
    else if (c == 0x0c) escape = "\\f";
    else if (c < 0x20) escape = "\\u00" + HEX.charAt(c >> 4) + HEX.charAt(c & 15);
    else continue;
    result += s.substring(run, i) + escape;
    run = i + 1;
  }
  return result + s.substring(run) + "\"";
}

// ---------------------------------------------------------------------------------------------
// Managed → JavaScript: each loop makes `n` calls into JavaScript one way, so a timed call from
// JS costs n crossings (the scenario divides). The same two operations as above, the other way:
// add(i, 40) and echo of a string. `raw` and the esm bindings use these imports (the bindings
// wrap them with their own string lifting); `json` sends the arguments as JSON text to one
// import and parses the JSON text it returns, as Blazor's JS interop does.

@external("bench", "add") declare function jsAdd(a: i32, b: i32): i32;
@external("bench", "echo") declare function jsEcho(s: string): string;
/** Calls the JS function `identifier` with the arguments in `argsJson`; its result comes back as `[result]`. */
@external("bench", "invokeJson") declare function invokeJson(identifier: string, argsJson: string): string;

export function callAdd(n: i32): i32 {
  let sum = 0;
  for (let i = 0; i < n; ++i) sum += jsAdd(i, 40);
  return sum;
}

export function callEcho(n: i32, s: string): i32 {
  let total = 0;
  for (let i = 0; i < n; ++i) total += jsEcho(s).length;
  return total;
}

export function callAddJson(n: i32): i32 {
  let sum = 0;
  for (let i = 0; i < n; ++i) {
    const result = parseIntArray(invokeJson("add", "[" + i.toString() + ",40]"));
    sum += result[0];
  }
  return sum;
}

/** Hands JS the structs as JSON text, which JS parses: Blazor's way for `IJSRuntime.Invoke(…, items)`. */
@external("bench", "takeItemsJson") declare function takeItemsJson(json: string): i32;

const callItems = makeItems(1000);

/** Passes the 1000 structs to JS `n` times, as JSON text. */
export function callItemsJson(n: i32): i32 {
  let total = 0;
  for (let i = 0; i < n; ++i) total += takeItemsJson(jsonItems(callItems));
  return total;
}

export function callEchoJson(n: i32, s: string): i32 {
  let total = 0;
  const args = "[" + stringifyString(s) + "]";
  for (let i = 0; i < n; ++i) total += parseStringArray(invokeJson("echo", args))[0].length;
  return total;
}

// The by-value benchmarks' functions, exported from this entry so that both builds include them.
export {
  takeBytes, giveBytes, keepBytes, takeText, giveText, keepText, scratch,
  echoInts, echoInt32Array, jsonEchoInts,
  echoItems, countItems, giveItems, keepItems, jsonEchoItems,
} from "./by-value";
