/**
 * Memory views (issue 17; .NET's `JSType.MemoryView`), against real compiled wasm
 * (test/fixtures/views.ts): a `MemoryView<T>` result is a view of the managed typed array's own
 * memory (length, slice, subarray, asTypedArray, set, copyTo, dispose), with its lifetime rules —
 * live typed arrays re-derived on each access, valid until memory grows; an error after dispose
 * (from either side), after a trap and after a reload; released by the finalizer — and as a
 * parameter, the memory JS passes: no copy for a view (or a typed array a view handed out), one
 * copy for any other typed array.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AssemblyPoisonedError,
  DotNetObject,
  InteropError,
  InteropRuntime,
  MemoryView,
  type LoadedAssembly,
} from "../host/runtime/index.ts";
import { renderDeclarations } from "../host/compiler/typings.ts";
import { compileErrors, compileFixture, thrownError, type CompiledFixture } from "./helpers.ts";
import { collectUntil, exposeGc } from "./reliability-helpers.ts";

const NAME = "Views";
const NO_TRACKED_OBJECT = /^There is no tracked object with id '\d+'\. Perhaps the DotNetObjectReference instance was already disposed\.$/;

let fixture: CompiledFixture;
let runtime: InteropRuntime;
let assembly: LoadedAssembly;

beforeAll(async () => {
  fixture = await compileFixture("views", { assemblyName: NAME });
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(fixture.module);
});

afterAll(() => runtime.unloadAssembly(NAME));

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const bytes = (n: number) => call<MemoryView<Uint8Array>>("Bytes", n);
const memory = () => assembly.heap.runtime.memory;

describe("a MemoryView<T> result: the managed array's memory, no copy", () => {
  it("length and byteLength; asTypedArray() views the instance's memory where the managed array is", () => {
    const view = bytes(300);
    expect(view).toBeInstanceOf(MemoryView);
    expect(view.length).toBe(300);
    expect(view.byteLength).toBe(300);
    const array = view.asTypedArray();
    expect(array).toBeInstanceOf(Uint8Array);
    expect(array.buffer).toBe(memory().buffer); // not a copy
    expect(Array.from(array.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect(array[299]).toBe(299 & 0xff);
    expect(Object.prototype.toString.call(view)).toBe("[object MemoryView<Uint8Array>]");
  });

  it("is live both ways: managed writes show in the typed array, JS writes reach managed code", () => {
    const view = bytes(8);
    const array = view.asTypedArray();
    call("SetByte", 3, 200);
    expect(array[3]).toBe(200);
    array[4] = 99;
    expect(call<Uint8Array>("BytesNow")[4]).toBe(99);
    view.subarray(6)[0] = 77;
    expect(call<Uint8Array>("BytesNow")[6]).toBe(77);
  });

  it("slice() is a copy; subarray() is live; both take TypedArray's arguments", () => {
    const view = bytes(10);
    const copy = view.slice(2, 5);
    expect(Array.from(copy)).toEqual([2, 3, 4]);
    expect(copy.buffer).not.toBe(memory().buffer);
    copy[0] = 100;
    expect(view.asTypedArray()[2]).toBe(2);
    expect(Array.from(view.slice(-2))).toEqual([8, 9]);
    const part = view.subarray(-3, -1);
    expect(Array.from(part)).toEqual([7, 8]);
    part[0] = 0;
    expect(call<Uint8Array>("BytesNow")[7]).toBe(0);
  });

  it("set(source, offset) and copyTo(target, offset), with a typed array of the view's type only", () => {
    const view = bytes(6);
    view.set(Uint8Array.of(9, 8, 7), 2);
    expect(Array.from(call<Uint8Array>("BytesNow"))).toEqual([0, 1, 9, 8, 7, 5]);
    expect(() => view.set(Uint8Array.of(1, 2), 5)).toThrow(RangeError); // past the end, nothing written
    const target = new Uint8Array(4);
    view.copyTo(target, 2);
    expect(Array.from(target)).toEqual([9, 8, 7, 5]);
    expect(() => view.copyTo(new Uint8Array(2))).toThrow(RangeError);
    expect(thrownError(() => view.set([1, 2] as unknown as Uint8Array)).message).toBe(
      "A MemoryView<Uint8Array> is set from a Uint8Array, not from object.",
    );
    expect(thrownError(() => view.copyTo(new Int8Array(6) as unknown as Uint8Array)).message).toBe(
      "A MemoryView<Uint8Array> copies to a Uint8Array, not to a Int8Array.",
    );
  });

  it("views of Float64Array and Int64Array (BigInt64Array in JS)", () => {
    const doubles = call<MemoryView<Float64Array>>("Doubles", [0.5, -1, NaN]);
    expect(doubles.asTypedArray()).toBeInstanceOf(Float64Array);
    expect(Array.from(doubles.asTypedArray())).toEqual([0.5, -1, NaN]);
    doubles.set(Float64Array.of(2.5), 2);
    expect(Array.from(call<Float64Array>("DoublesNow"))).toEqual([0.5, -1, 2.5]);
    const longs = call<MemoryView<BigInt64Array>>("Longs", 3);
    expect(Array.from(longs.asTypedArray())).toEqual([0n, -(1n << 40n), -(2n << 40n)]);
    expect(longs.byteLength).toBe(24);
  });

  it("the same managed view is the same JS view while it lives; a null result is null", () => {
    const view = bytes(4);
    expect(call("LastView")).toBe(view);
    expect(call("BytesAgain")).not.toBe(view); // another MemoryView of the same array
    expect(call("NoBytes")).toBeNull();
  });

  it("a live typed array is valid until memory grows; asTypedArray() after that re-derives it", () => {
    const view = bytes(16);
    const before = view.asTypedArray();
    call("GrowMemory", 2);
    expect(before.length).toBe(0); // detached, as documented
    const after = view.asTypedArray();
    expect(after.length).toBe(16);
    expect(after[15]).toBe(15);
    expect(after.buffer).toBe(memory().buffer);
  });
});

describe("lifetimes", () => {
  it("dispose() and [Symbol.dispose](): every later use fails with Blazor's message; isDisposed says so", () => {
    const { trackedObjects } = assembly.diagnostics();
    const view = bytes(4);
    expect(assembly.diagnostics().trackedObjects).toBe(trackedObjects + 1);
    expect(view.isDisposed).toBe(false);
    (view as unknown as Disposable)[Symbol.dispose]();
    expect(view.isDisposed).toBe(true);
    expect(assembly.diagnostics().trackedObjects).toBe(trackedObjects);
    const uses = [() => view.length, () => view.asTypedArray(), () => view.slice(), () => view.subarray(1), () => view.set(new Uint8Array(1)), () => view.copyTo(new Uint8Array(4))];
    for (const use of uses) {
      const error = thrownError(use);
      expect(error).toBeInstanceOf(InteropError);
      expect(error.message).toMatch(NO_TRACKED_OBJECT);
    }
    view.dispose(); // twice is harmless
  });

  it("after managed code disposes its view, JS's view fails with Blazor's message at its next use", () => {
    const view = bytes(4);
    expect(view.length).toBe(4);
    call("DisposeLastView");
    expect(thrownError(() => view.asTypedArray()).message).toMatch(NO_TRACKED_OBJECT);
    expect(view.isDisposed).toBe(true);
  });

  it("a poisoned instance: AssemblyPoisonedError; a reloaded one: a clear InteropError", async () => {
    const own = new InteropRuntime();
    await own.loadAssembly(fixture.module);
    const view = own.invokeMethod<MemoryView<Uint8Array>>(NAME, "Bytes", 4);
    expect(view.length).toBe(4);
    expect(() => own.invokeMethod(NAME, "Trap")).toThrow(AssemblyPoisonedError);
    expect(thrownError(() => view.asTypedArray())).toBeInstanceOf(AssemblyPoisonedError);

    await own.reloadAssembly(NAME);
    const fresh = own.invokeMethod<MemoryView<Uint8Array>>(NAME, "Bytes", 4);
    expect(fresh.length).toBe(4);
    await own.reloadAssembly(NAME);
    const error = thrownError(() => fresh.asTypedArray());
    expect(error).toBeInstanceOf(InteropError);
    expect(error.message).toBe(
      `The assembly '${NAME}' was reloaded: this object belongs to its previous instance, whose state is gone. Use what the reloaded assembly gives you instead.`,
    );
    expect(thrownError(() => own.invokeMethod(NAME, "SumBytes", fresh)).message).toContain("was reloaded");
    own.unloadAssembly(NAME);
  });

  it("a view JS drops without dispose() is released by the FinalizationRegistry, and its array with it", async () => {
    const gc = exposeGc();
    const own = new InteropRuntime();
    const loaded = await own.loadAssembly(fixture.module);
    const start = loaded.diagnostics();
    (() => {
      for (let i = 0; i < 20; ++i) own.invokeMethod<MemoryView<Uint8Array>>(NAME, "Doubles", [i]).asTypedArray();
    })();
    expect(loaded.diagnostics().trackedObjects).toBe(start.trackedObjects + 20);
    expect(await collectUntil(gc, () => loaded.diagnostics().trackedObjects === start.trackedObjects)).toBe(true);
    expect(loaded.diagnostics().jsReferences).toBe(start.jsReferences);
    own.unloadAssembly(NAME);
  });

  it("many views made, used and disposed leave the tables and memory where they were", async () => {
    const own = new InteropRuntime();
    const loaded = await own.loadAssembly(fixture.module);
    const invoke = <T>(method: string, ...args: unknown[]) => own.invokeMethod<T>(NAME, method, ...args);
    const cycle = (i: number) => {
      const view = invoke<MemoryView<Uint8Array>>("Bytes", 64 + (i % 7));
      const sum = invoke<string>("SumBytes", view.subarray(1, 3));
      if (sum !== "3 shared 2") throw new Error(`cycle ${i}: ${sum}`);
      invoke("SumBytes", Uint8Array.of(1, 2)); // a copy
      invoke<MemoryView>("Echo", view).dispose();
      view.dispose();
    };
    for (let i = 0; i < 200; ++i) cycle(i);
    const start = loaded.diagnostics();
    const memoryAtStart = loaded.heap.runtime.memory.buffer.byteLength;
    for (let i = 0; i < 3000; ++i) cycle(i);
    expect(loaded.diagnostics()).toMatchObject({ trackedObjects: start.trackedObjects, jsReferences: start.jsReferences, pinned: 0 });
    expect(loaded.heap.runtime.memory.buffer.byteLength).toBeLessThanOrEqual(memoryAtStart + 2 ** 20);
    own.unloadAssembly(NAME);
  });
});

describe("a MemoryView<T> parameter: no copy where the memory is the instance's, one copy otherwise", () => {
  it("a view from this assembly, or a typed array it handed out, is that very memory (no copy)", () => {
    const view = bytes(10);
    expect(call("SumBytes", view)).toBe("45 shared 10");
    expect(call("SumBytes", view.asTypedArray())).toBe("45 shared 10");
    expect(call("SumBytes", view.subarray(2, 5))).toBe("9 shared 3");
    // Managed code writes through it, and JS sees it: nothing was copied.
    call("FillView", view.subarray(1, 3), 7);
    expect(Array.from(view.slice(0, 4))).toEqual([0, 7, 7, 3]);
  });

  it("any other typed array of the type is copied in once: managed code's writes stay its own", () => {
    const mine = Uint8Array.of(1, 2, 3);
    expect(call("SumBytes", mine)).toBe("6 copied 3");
    call("FillView", mine, 9);
    expect(Array.from(mine)).toEqual([1, 2, 3]);
    // A typed array over this instance's memory that no view handed out: copied too.
    const raw = new Uint8Array(memory().buffer, 0, 4);
    expect(call<string>("SumBytes", raw)).toMatch(/ copied 4$/);
    const doubles = call<MemoryView<Float64Array>>("Doubles", [1, 2]);
    expect(call("SumDoubles", doubles)).toBe(3);
    expect(call("SumDoubles", Float64Array.of(0.5, 0.25))).toBe(0.75);
  });

  it("two views at once, a null for a nullable one, and a view echoed back", () => {
    const view = bytes(5);
    expect(call("CompareViews", view, view.subarray(1))).toBe("5 4 same");
    expect(call("CompareViews", view, Uint8Array.of(1))).toBe("5 1 different");
    expect(call("CompareViews", Uint8Array.of(1, 2), null)).toBe("2 null");
    const echoed = call<MemoryView<Uint8Array>>("Echo", view.subarray(2));
    expect(echoed).not.toBe(view);
    expect(echoed.length).toBe(3);
    echoed.asTypedArray()[0] = 42; // the same memory
    expect(view.asTypedArray()[2]).toBe(42);
    echoed.dispose();
    expect(view.length).toBe(5);
  });

  it("a typed array a view handed out still passes its elements in place once memory grew (the managed array did not move)", () => {
    const view = bytes(6);
    const part = view.subarray(1, 4);
    call("GrowMemory", 1);
    expect(part.length).toBe(0); // JS's window went stale...
    expect(call("SumBytes", part)).toBe("6 shared 3"); // ...the elements it covered did not
    // With two managed arguments the invoker copies views of memory first: the origin still counts.
    expect(call("CompareViews", view.subarray(0, 2), view.asTypedArray())).toBe("2 6 same");
  });

  it("refuses other types, other assemblies' views and disposed views", async () => {
    const view = bytes(4);
    for (const bad of [new Int8Array(2), [1, 2], "bytes", {}, null]) {
      const error = thrownError(() => call("SumBytes", bad));
      expect(error, String(bad)).toBeInstanceOf(InteropError);
      expect(error.message).toContain("expected a MemoryView<Uint8Array> from this assembly or a Uint8Array");
    }
    const doubles = call<MemoryView<Float64Array>>("Doubles", [1]);
    expect(thrownError(() => call("SumBytes", doubles)).message).toContain("expected a MemoryView<Uint8Array> obtained from assembly 'Views'");

    const other = new InteropRuntime();
    await other.loadAssembly(fixture.module);
    const foreign = other.invokeMethod<MemoryView<Uint8Array>>(NAME, "Bytes", 2);
    expect(thrownError(() => call("SumBytes", foreign)).message).toContain("obtained from assembly 'Views'");
    other.unloadAssembly(NAME);

    view.dispose();
    expect(thrownError(() => call("SumBytes", view)).message).toMatch(/There is no tracked object with id '\d+'/);
    expect(assembly.diagnostics().pinned).toBe(0);
  });

  it("a memory view as a scriptable member: read as a view, set from a typed array (copied in)", () => {
    const canvas = call<DotNetObject & { pixels: MemoryView<Uint8Array> | Uint8Array; invokeMethod(id: string): number }>("NewCanvas");
    const pixels = canvas.pixels as MemoryView<Uint8Array>;
    expect(pixels).toBeInstanceOf(MemoryView);
    pixels.set(Uint8Array.of(1, 2, 3, 4));
    expect(canvas.invokeMethod("Total")).toBe(10);
    canvas.pixels = Uint8Array.of(5, 5) as unknown as MemoryView<Uint8Array>;
    expect(canvas.invokeMethod("Total")).toBe(10);
    expect((canvas.pixels as MemoryView<Uint8Array>).length).toBe(2);
  });
});

describe("what the compiler accepts", () => {
  const LIBRARY = `import { MemoryView } from "as-interop/assembly/interop";\n`;

  it("a MemoryView of anything but a typed array, or inside a value, is a compile error saying why", async () => {
    const notTyped = await compileErrors({ "a.ts": `${LIBRARY}@jsInvokable export function f(): MemoryView<Array<i32>> { return MemoryView.of<Array<i32>>([]); }` });
    expect(notTyped.map((d) => d.message).join("\n")).toContain("MemoryView<T> needs a typed array T");
    const inside = await compileErrors({
      "a.ts": `${LIBRARY}@jsInvokable export function f(): Array<MemoryView<Uint8Array>> { return [MemoryView.of(new Uint8Array(1))]; }`,
    });
    expect(inside.map((d) => d.message).join("\n")).toContain(
      "a MemoryView crosses only as a method's parameter or result, or a @scriptableMember's value",
    );
  });

  it("the generated types say what JS gets and may pass", () => {
    const types = renderDeclarations(fixture.manifest, { entry: "test/fixtures/views.ts" });
    expect(types).toContain(`Bytes(n: number): import("as-interop").MemoryView<Uint8Array>;`);
    expect(types).toContain(`SumBytes(view: import("as-interop").MemoryView<Uint8Array> | Uint8Array): string;`);
    expect(types).toContain(`NoBytes(): import("as-interop").MemoryView<Uint8Array> | null;`);
    expect(types).toContain(`readonly books: import("as-interop").ListView<string>;`);
  });
});
