/**
 * By-value marshaling at size (issue 3's speed targets), each against the plain copy it must
 * approach, measured in the same run:
 *
 *   64 MiB Uint8Array in       vs `Uint8Array.set` into wasm memory               (target ≥ 0.5×)
 *   64 MiB Uint8Array out      vs one copy: `memory.buffer.slice`                 (target ≤ 1× the time)
 *   32M-char string in / out   vs the fastest plain copy method measured here     (target ≥ 0.8×)
 *   1M ints in + out           vs a JSON round trip of the same data              (target ≥ 20× faster)
 *   100k small structs in+out  vs JSON and AssemblyScript's esm bindings          (≥ 3× JSON, ≥ 1× bindings)
 *   64 MiB out as a memory view, read once through asTypedArray()  vs the by-value copy  (≥ 20× faster)
 *   64 MiB in as a memory-view parameter: a JS typed array (copied once), a view's own memory (in place)
 *
 * Implementations (bench/README.md): `raw` is the plain copy (the limit), `raw-node` and
 * `raw-chunks` other plain ways to copy a string, `json` Blazor's way including the managed JSON
 * parse and serialize (assembly/by-value.ts), `json-js` only the JS half of it (stringify + parse,
 * no copy, no managed work: a floor no JSON-based design can beat), `esm-bindings` what
 * `asc --bindings esm` generates, `as-interop` `runtime.invokeMethod`. Every impl has an instance
 * of its own.
 */
import { bareImports, runTopLevel } from "../bare-imports.ts";
import { compile } from "../../host/compiler/compile.ts";
import { InteropRuntime, type MemoryView } from "../../host/runtime/index.ts";
import { ASSEMBLY_NAME, esmBindings, interopBinary, type BenchBindings, type Item } from "../build.ts";
import { unusedBenchImports } from "./call-impls.ts";
import type { Callable, Impl, ImplName, Scenario } from "../harness.ts";
import { RawStrings, type BareExports } from "../memory.ts";

const MiB = 2 ** 20;
export const BYTES = 64 * MiB;
export const CHARS = 32 * MiB;
export const INTS = 1_000_000;
export const ITEMS = 100_000;

/** The bench binary's by-value exports as a bare instance sees them (pointers as numbers). */
interface ValueExports extends BareExports {
  scratch(byteLength: number): number;
  keepBytes(length: number): number;
  jsonEchoInts(json: number): number;
  jsonEchoItems(json: number): number;
}

async function bareInstance(module: WebAssembly.Module): Promise<ValueExports> {
  const { exports } = await WebAssembly.instantiate(module, bareImports(module));
  runTopLevel(exports);
  return exports as unknown as ValueExports;
}

/** Views of an instance's memory, re-derived after growth (a detached view has length 0). */
class Views {
  #u8 = new Uint8Array(0);
  constructor(readonly memory: WebAssembly.Memory) {}
  get u8(): Uint8Array {
    if (this.#u8.byteLength === 0) this.#u8 = new Uint8Array(this.memory.buffer);
    return this.#u8;
  }
  u16(at: number, length: number): Uint16Array {
    return new Uint16Array(this.u8.buffer, at, length);
  }
  i32(at: number, length: number): Int32Array {
    return new Int32Array(this.u8.buffer, at, length);
  }
}

async function asInterop(module: WebAssembly.Module): Promise<{ runtime: InteropRuntime; exports: ValueExports }> {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(module, { imports: unusedBenchImports() });
  return { runtime, exports: assembly.instance.exports as unknown as ValueExports };
}

// --- test data ------------------------------------------------------------------------------------

function pseudoRandomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  const words = new Uint32Array(bytes.buffer);
  let x = 0x2545f491;
  for (let i = 0; i < words.length; ++i) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return bytes;
}

/** Text as an app would send it: mostly ASCII, some Latin-1 and some BMP (so V8 stores it two-byte). */
function sampleText(length: number): string {
  const words = ["interop ", "wasm ", "Blazor ", "naïve ", "café ", "€uro ", "日本語 ", "data, ", "AssemblyScript. "];
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < length; ++i) {
    const word = words[(i * 7 + (i >> 3)) % words.length];
    parts.push(word);
    size += word.length;
  }
  return parts.join("").slice(0, length);
}

function sampleItems(count: number): Item[] {
  return Array.from({ length: count }, (_, i) => ({ id: i, x: i * 0.5, y: i * -0.25, name: `item-${i % 1000}` }));
}

// --- checks -------------------------------------------------------------------------------------

function fail(message: string): never {
  throw new Error(message);
}

function sameBytes(actual: unknown, expected: Uint8Array): void {
  if (!(actual instanceof Uint8Array)) fail(`returned ${Object.prototype.toString.call(actual)}, not a Uint8Array`);
  if (!Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))) {
    fail("returned different bytes");
  }
}

function sameInts(actual: unknown, expected: ArrayLike<number>): void {
  const values = actual as ArrayLike<number>;
  if (values.length !== expected.length) fail(`returned ${values.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; ++i) if (values[i] !== expected[i]) fail(`value [${i}] is ${values[i]}, expected ${expected[i]}`);
}

function sameItems(actual: unknown, expected: readonly Item[]): void {
  const items = actual as Item[];
  if (!Array.isArray(items) || items.length !== expected.length) fail(`returned ${items?.length} items, expected ${expected.length}`);
  for (let i = 0; i < expected.length; ++i) {
    const a = items[i];
    const e = expected[i];
    if (a.id !== e.id || a.x !== e.x || a.y !== e.y || a.name !== e.name || Object.keys(a).length !== 4) {
      fail(`item [${i}] is ${JSON.stringify(a)}, expected ${JSON.stringify(e)}`);
    }
  }
}

/** Set from the options: fewer runs in --quick. */
let maxRuns = 15;

function scenario<F extends Callable>(name: string, args: Parameters<F>, impls: [ImplName, F][], check: (fn: F) => void): Scenario<F> {
  // Calls take 1–1000 ms here: start calibrating at one call; 15 runs give a stable median.
  return { name, args, impls: impls.map(([impl, fn]): Impl<F> => ({ impl, fn })), check, initialCalls: 1, maxRuns };
}

// --- the scenarios ------------------------------------------------------------------------------

/**
 * `quick` times 5 runs instead of 15 and leaves out the two slowest string readers (esm-bindings'
 * and `raw-chunks`, 0.5–2 s a call), which no target is measured against.
 */
/** Every implementation's instance, for one group of scenarios. */
async function instances(module: WebAssembly.Module, esmInstance: number) {
  // Plain copies (raw, raw-node, raw-chunks) and JSON each get a bare instance of their own.
  const raw = await bareInstance(module);
  const json = await bareInstance(module);
  const ours = await asInterop(module);
  return {
    raw,
    rawViews: new Views(raw.memory),
    json,
    jsonStrings: new RawStrings(json),
    ours,
    invoke: <T>(method: string, ...args: unknown[]): T => ours.runtime.invokeMethod<T>(ASSEMBLY_NAME, method, ...args),
    bindings: (await esmBindings(esmInstance)) as BenchBindings,
  };
}

export async function byValueScenarios({ quick }: { quick: boolean }): Promise<Scenario[]> {
  maxRuns = quick ? 5 : 15;
  const module = await interopBinary();
  // Bulk data (bytes, strings) leaves hundreds of MiB of garbage: it gets instances of its own,
  // apart from the ints and structs (esm instance 0 is the call scenarios').
  return [...(await bulkScenarios(module, quick)), ...(await memoryViewScenarios()), ...(await smallValueScenarios(module))];
}

/**
 * Memory views (issue 17): the managed array's own memory, without a copy, against the by-value
 * copy of the same 64 MiB. An assembly of its own, inline (plain asc, which the esm bindings are
 * built with, does not know the managed library's types).
 */
const VIEW_SOURCE = `
import { MemoryView } from "as-interop/assembly/interop";
let kept = new Uint8Array(0);
/** Byte i is (i * 7) & 0xff. */
@jsInvokable export function Keep(length: i32): i32 {
  kept = new Uint8Array(length);
  for (let i = 0; i < length; ++i) unchecked((kept[i] = <u8>(i * 7)));
  return length;
}
@jsInvokable export function GiveCopy(): Uint8Array { return kept; }
@jsInvokable export function GiveView(): MemoryView<Uint8Array> { return MemoryView.of(kept); }
@jsInvokable export function TakeCopy(data: Uint8Array): i32 { return data.length; }
@jsInvokable export function TakeView(data: MemoryView<Uint8Array>): i32 { return data.length; }
`;

async function memoryViewScenarios(): Promise<Scenario[]> {
  const { binary } = await compile({
    entry: "BenchMemoryViews.ts",
    readFile: (path) => (path === "BenchMemoryViews.ts" ? VIEW_SOURCE : null),
    optimize: true,
    assemblyName: "BenchMemoryViews",
  });
  const runtime = new InteropRuntime();
  await runtime.loadAssembly(await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>));
  const invoke = <T>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>("BenchMemoryViews", method, ...args);
  invoke("Keep", BYTES);
  const kept = new Uint8Array(BYTES);
  for (let i = 0; i < BYTES; ++i) kept[i] = (i * 7) & 0xff;

  // The view a call returned stays valid while it is used: each call disposes the one before.
  let previous: MemoryView<Uint8Array> | null = null;
  const viewOut = scenario<() => Uint8Array>(
    "64 MiB Uint8Array out as a MemoryView, read once through asTypedArray()",
    [],
    [
      ["by-value", () => invoke<Uint8Array>("GiveCopy")],
      [
        "as-interop",
        () => {
          previous?.dispose();
          previous = invoke<MemoryView<Uint8Array>>("GiveView");
          return previous.asTypedArray();
        },
      ],
    ],
    (fn) => sameBytes(fn(), kept),
  );

  const bytes = pseudoRandomBytes(BYTES);
  const own = invoke<MemoryView<Uint8Array>>("GiveView");
  const viewIn = scenario<(data: Uint8Array) => number>(
    "64 MiB Uint8Array in as a MemoryView parameter",
    [bytes],
    [
      ["by-value", (data) => invoke<number>("TakeCopy", data)],
      // A JS typed array: copied in once, then viewed.
      ["as-interop", (data) => invoke<number>("TakeView", data)],
      // A typed array the assembly's own view handed out: its memory, in place.
      ["in-place", () => invoke<number>("TakeView", own.asTypedArray())],
    ],
    (fn) => {
      if (fn(bytes) !== BYTES) fail("did not see 64 MiB");
    },
  );
  // Both measured against the by-value copy.
  return [viewOut, viewIn].map((s) => ({ ...s, baseline: "by-value" })) as Scenario[];
}

async function bulkScenarios(module: WebAssembly.Module, quick: boolean): Promise<Scenario[]> {
  const { raw, rawViews, ours, invoke, bindings } = await instances(module, 1);

  // 64 MiB Uint8Array ------------------------------------------------------------------------------
  const bytes = pseudoRandomBytes(BYTES);
  // Managed code holds a 64 MiB array for the "out" direction: byte i is (i * 7) & 0xff.
  ours.exports.keepBytes(BYTES);
  bindings.keepBytes(BYTES);
  const kept = new Uint8Array(BYTES);
  for (let i = 0; i < BYTES; ++i) kept[i] = (i * 7) & 0xff;
  const rawKept = raw.scratch(BYTES) >>> 0;
  rawViews.u8.set(kept, rawKept);
  const rawIn = raw.scratch(BYTES) >>> 0;

  const bytesIn = scenario<(data: Uint8Array) => number>(
    "64 MiB Uint8Array in",
    [bytes],
    [
      ["raw", (data) => (rawViews.u8.set(data, rawIn), data.length)],
      ["esm-bindings", (data) => bindings.takeBytes(data)],
      ["as-interop", (data) => invoke<number>("takeBytes", data)],
    ],
    (fn) => {
      if (fn(bytes) !== BYTES) fail("did not see 64 MiB");
    },
  );

  const bytesOut = scenario<() => Uint8Array>(
    "64 MiB Uint8Array out",
    [],
    [
      ["raw", () => new Uint8Array(raw.memory.buffer.slice(rawKept, rawKept + BYTES))],
      ["esm-bindings", () => bindings.giveBytes()],
      ["as-interop", () => invoke<Uint8Array>("giveBytes")],
    ],
    (fn) => sameBytes(fn(), kept),
  );

  // 32M-character string ---------------------------------------------------------------------------
  const text = sampleText(CHARS);
  invoke("keepText", text);
  bindings.keepText(text);
  const rawText = raw.scratch(CHARS * 2) >>> 0;
  {
    const units = rawViews.u16(rawText, CHARS);
    for (let i = 0; i < CHARS; ++i) units[i] = text.charCodeAt(i);
  }
  const rawTextIn = raw.scratch(CHARS * 2) >>> 0;
  const decoder = new TextDecoder("utf-16le");

  const textIn = scenario<(s: string) => number>(
    "32M-char string in",
    [text],
    [
      [
        "raw",
        (s) => {
          // charCodeAt into a Uint16Array view: the portable way (browsers have no UTF-16 encoder).
          const units = rawViews.u16(rawTextIn, s.length);
          for (let i = 0; i < s.length; ++i) units[i] = s.charCodeAt(i);
          return s.length;
        },
      ],
      // Node's native UTF-16 writer, straight into linear memory (Node only).
      ["raw-node", (s) => Buffer.from(rawViews.u8.buffer, rawTextIn, s.length * 2).write(s, 0, "utf16le") >>> 1],
      ["esm-bindings", (s) => bindings.takeText(s)],
      ["as-interop", (s) => invoke<number>("takeText", s)],
    ],
    (fn) => {
      if (fn(text) !== CHARS) fail("did not see 32M characters");
    },
  );

  const textOutImpls: [ImplName, () => string][] = [
    ["raw", () => decoder.decode(rawViews.u16(rawText, CHARS))],
    [
      "raw-chunks",
      () => {
        const units = rawViews.u16(rawText, CHARS);
        let s = "";
        for (let at = 0; at < CHARS; at += 4096) {
          s += String.fromCharCode.apply(null, units.subarray(at, at + 4096) as unknown as number[]);
        }
        return s;
      },
    ],
    ["raw-node", () => Buffer.from(rawViews.u8.buffer, rawText, CHARS * 2).toString("utf16le")],
    ["esm-bindings", () => bindings.giveText()],
    ["as-interop", () => invoke<string>("giveText")],
  ];
  const textOut = scenario<() => string>(
    "32M-char string out",
    [],
    quick ? textOutImpls.filter(([impl]) => impl !== "esm-bindings" && impl !== "raw-chunks") : textOutImpls,
    (fn) => {
      if (fn() !== text) fail("returned a different string");
    },
  );

  return [bytesIn, bytesOut, textIn, textOut] as Scenario[];
}

async function smallValueScenarios(module: WebAssembly.Module): Promise<Scenario[]> {
  const { raw, rawViews, json, jsonStrings, invoke, bindings } = await instances(module, 2);

  // 1M ints -------------------------------------------------------------------------------------------
  const ints = Array.from({ length: INTS }, (_, i) => ((i * 2654435761) | 0) >> 8);
  const intArray = Int32Array.from(ints);
  const rawInts = raw.scratch(INTS * 4) >>> 0;

  const intsRoundTrip = scenario<(values: number[]) => number[]>(
    "1M ints in+out (number[] ↔ i32[])",
    [ints],
    [
      ["raw", (values) => {
        // The plain way to move a number[] through memory: one set in, one read loop out.
        const view = rawViews.i32(rawInts, values.length);
        view.set(values);
        const out = new Array<number>(view.length);
        for (let i = 0; i < view.length; ++i) out[i] = view[i];
        return out;
      }],
      ["esm-bindings", (values) => bindings.echoInts(values)],
      // Blazor's way: JSON text → managed String → managed parse → i32[] → managed serialize → JSON.parse.
      ["json", (values) => JSON.parse(jsonStrings.liftLong(json.jsonEchoInts(jsonStrings.lower(JSON.stringify(values)))))],
      ["json-js", (values) => JSON.parse(JSON.stringify(values))],
      ["as-interop", (values) => invoke<number[]>("echoInts", values)],
    ],
    (fn) => {
      const result = fn(ints);
      if (!Array.isArray(result)) fail("did not return an array");
      sameInts(result, ints);
    },
  );

  const typedRoundTrip = scenario<(values: Int32Array) => Int32Array>(
    "1M ints in+out (Int32Array)",
    [intArray],
    [
      ["raw", (values) => {
        rawViews.i32(rawInts, values.length).set(values);
        return new Int32Array(raw.memory.buffer.slice(rawInts, rawInts + values.byteLength));
      }],
      ["esm-bindings", (values) => bindings.echoInt32Array(values)],
      ["as-interop", (values) => invoke<Int32Array>("echoInt32Array", values)],
    ],
    (fn) => {
      const result = fn(intArray);
      if (!(result instanceof Int32Array)) fail("did not return an Int32Array");
      sameInts(result, intArray);
    },
  );

  // 100k small structs ------------------------------------------------------------------------------
  const items = sampleItems(ITEMS);
  invoke("keepItems", items);
  bindings.keepItems(items);

  const itemsRoundTrip = scenario<(values: Item[]) => Item[]>(
    "100k structs in+out",
    [items],
    [
      ["esm-bindings", (values) => bindings.echoItems(values)],
      ["json", (values) => JSON.parse(jsonStrings.liftLong(json.jsonEchoItems(jsonStrings.lower(JSON.stringify(values)))))],
      ["json-js", (values) => JSON.parse(JSON.stringify(values))],
      ["as-interop", (values) => invoke<Item[]>("echoItems", values)],
    ],
    (fn) => sameItems(fn(items), items),
  );

  const itemsIn = scenario<(values: Item[]) => number>(
    "100k structs in",
    [items],
    [
      ["esm-bindings", (values) => bindings.countItems(values)],
      ["as-interop", (values) => invoke<number>("countItems", values)],
    ],
    (fn) => {
      if (fn(items) !== ITEMS) fail("did not see 100k items");
    },
  );

  const itemsOut = scenario<() => Item[]>(
    "100k structs out",
    [],
    [
      ["esm-bindings", () => bindings.giveItems()],
      ["as-interop", () => invoke<Item[]>("giveItems")],
    ],
    (fn) => sameItems(fn(), items),
  );

  return [intsRoundTrip, typedRoundTrip, itemsRoundTrip, itemsIn, itemsOut] as Scenario[];
}
