/**
 * Issue 19, references JavaScript makes (Node): Blazor's DotNet.createJSObjectReference and
 * disposeJSObjectReference (a JSObject managed code receives as an argument, a @dataMember field or
 * a JS call's result; disposed from either side, in every assembly holding it; Blazor's messages;
 * the sandbox's admission still holding), and DotNet.createJSStreamReference with the managed
 * JSStreamReference (its length, reading in chunks into a StreamSink, maxAllowedSize, disposal,
 * failures releasing what they registered, and 1 GiB through a Blob with linear memory flat).
 * The fixture is test/fixtures/js-references.ts.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  DotNet,
  InteropRuntime,
  JSObjectReference,
  JSStreamReference,
  type LoadedAssembly,
} from "../host/runtime/index.ts";
import { renderDeclarations } from "../host/compiler/typings.ts";
import type { Manifest } from "../host/marshal/types.ts";
import { compileFixture, globalInstaller, rejection, thrownError } from "./helpers.ts";
import { checksumOf, StreamChecksum, xorshiftBytes } from "./stream-data.ts";

const NAME = "js-references";
const MiB = 2 ** 20;
const GiB = 2 ** 30;
const disposedMessage = (id: number) => `JS object instance with ID ${id} does not exist (has it been disposed?).`;
/** Blazor's message for a disposed reference given to JS as a value (its reviver's), or read as data. */
const disposedValueMessage = (id: number) => `JS object instance with Id '${id}' does not exist. It may have been disposed.`;

let module: WebAssembly.Module;
let manifest: Manifest;
let runtime: InteropRuntime;
let assembly: LoadedAssembly;
const install = globalInstaller();

beforeAll(async () => {
  // Optimized: the checksum runs over a GiB.
  ({ module, manifest } = await compileFixture(NAME, { optimize: true }));
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(module);
});

afterEach(() => {
  // Every test leaves the tables as it found them.
  expect(assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsObjects: 0, jsStreams: 0, pendingTasks: 0, pinned: 0 });
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const callAsync = <T = unknown>(method: string, ...args: unknown[]): Promise<T> => runtime.invokeMethodAsync<T>(NAME, method, ...args);

/** An object with a method and a property, as JS would hand over. */
function greeter(name: string) {
  return {
    name,
    greet() {
      return `Hello from ${this.name}`;
    },
  };
}

describe("DotNet.createJSObjectReference and disposeJSObjectReference", () => {
  it("a reference arrives as a JSObject under the reference's id; handed back to JS it is the object itself", () => {
    const target = greeter("a reference");
    const ref = DotNet.createJSObjectReference(target);
    expect(ref).toBeInstanceOf(JSObjectReference);
    expect(Object.keys(ref)).toEqual(["__jsObjectId"]);
    expect(JSON.parse(JSON.stringify(ref))).toEqual({ __jsObjectId: ref.__jsObjectId });
    expect(Object.isFrozen(ref)).toBe(true);

    expect(call("Hold", ref)).toBe(ref.__jsObjectId);
    expect(call("HeldProperty", "name")).toBe("a reference");
    expect(call("HeldInvoke", "greet")).toBe("Hello from a reference");
    expect(call("HeldReturned")).toBe(target);
    install({ check: { same: (value: unknown) => String(value === target) } });
    expect(call("PassHeld", "check.same")).toBe("true");
    // Passing the same reference again: the same handle.
    expect(call("Hold", ref)).toBe(ref.__jsObjectId);
    expect(assembly.diagnostics().jsObjects).toBe(1);
    // The object passed as itself is another handle (the reference is apart from it), as in Blazor.
    const implicit = call<number>("Hold", target);
    expect(implicit).not.toBe(ref.__jsObjectId);
    expect(assembly.diagnostics().jsObjects).toBe(2);
    call("DisposeHeld");
    DotNet.disposeJSObjectReference(ref);
  });

  it("JS disposes it: managed calls on it fail with Blazor's message, and given again it arrives as a handle that fails the same way", () => {
    const ref = DotNet.createJSObjectReference(greeter("soon gone"));
    const id = call<number>("Hold", ref);
    DotNet.disposeJSObjectReference(ref);
    expect(assembly.diagnostics().jsObjects).toBe(0);
    expect(thrownError(() => call("HeldProperty", "name")).message).toBe(disposedMessage(id));
    expect(thrownError(() => call("HeldInvoke", "greet")).message).toBe(disposedMessage(id));
    // Given to JS as a value (a result, an argument of a call into JS): Blazor's reviver's message.
    expect(thrownError(() => call("HeldReturned")).message).toBe(disposedValueMessage(id));
    install({ check: { seen: () => "reached" } });
    expect(thrownError(() => call("PassHeld", "check.seen")).message).toBe(disposedValueMessage(id));
    // Given to managed code again, it arrives under its id, as Blazor's .NET side gets an
    // IJSObjectReference for the id JS sends: the call succeeds, and each use fails as above.
    expect(call("Hold", ref)).toBe(id);
    expect(assembly.diagnostics().jsObjects).toBe(0);
    expect(thrownError(() => call("HeldInvoke", "greet")).message).toBe(disposedMessage(id));
    expect(thrownError(() => call("HeldReturned")).message).toBe(disposedValueMessage(id));
    call("DisposeHeld"); // managed code disposing a handle JS ended: harmless
    expect(assembly.diagnostics().jsObjects).toBe(0);
  });

  it("managed code disposes it: it ends for JS too, as a Blazor IJSObjectReference disposed from .NET does", () => {
    const ref = DotNet.createJSObjectReference(greeter("managed dispose"));
    const id = call<number>("Hold", ref);
    call("DisposeHeld");
    expect(assembly.diagnostics().jsObjects).toBe(0);
    expect(call("Hold", ref)).toBe(id);
    expect(thrownError(() => call("HeldInvoke", "greet")).message).toBe(disposedMessage(id));
    DotNet.disposeJSObjectReference(ref); // already ended: harmless
  });

  it("arrives as a @dataMember field, as a JS call's result and as a field of one", () => {
    const target = greeter("in a field");
    const ref = DotNet.createJSObjectReference(target);
    expect(call("HoldLabeled", { label: "field", target: ref })).toBe(`field: ${ref.__jsObjectId}`);
    expect(call("HeldInvoke", "greet")).toBe("Hello from in a field");
    expect(call("HoldLabeled", { label: "none", target: null })).toBe("none: null");

    const returned = DotNet.createJSObjectReference(greeter("returned"));
    install({ make: { reference: () => returned, labeled: () => ({ label: "result field", target: ref }) } });
    expect(call("HoldFromJS", "make.reference")).toBe(returned.__jsObjectId);
    expect(call("HeldInvoke", "greet")).toBe("Hello from returned");
    expect(call("HoldFieldFromJS", "make.labeled")).toBe(`result field: ${ref.__jsObjectId}`);
    expect(call("HeldReturned")).toBe(target);
    expect(assembly.diagnostics().jsObjects).toBe(2);
    DotNet.disposeJSObjectReference(ref);
    DotNet.disposeJSObjectReference(returned);
    expect(assembly.diagnostics().jsObjects).toBe(0);
  });

  it("two assemblies hold one reference under the same id; JS disposing it ends it in both", async () => {
    const other = new InteropRuntime();
    const second = await other.loadAssembly(module);
    try {
      const ref = DotNet.createJSObjectReference(greeter("shared"));
      expect(call("Hold", ref)).toBe(ref.__jsObjectId);
      expect(other.invokeMethod(NAME, "Hold", ref)).toBe(ref.__jsObjectId);
      expect(other.invokeMethod(NAME, "HeldInvoke", "greet")).toBe("Hello from shared");
      // Another runtime's DotNet object makes and ends the same kind of reference.
      other.DotNet.disposeJSObjectReference(ref);
      expect(assembly.diagnostics().jsObjects).toBe(0);
      expect(second.diagnostics().jsObjects).toBe(0);
      expect(thrownError(() => call("HeldInvoke", "greet")).message).toBe(disposedMessage(ref.__jsObjectId));
      expect(thrownError(() => other.invokeMethod(NAME, "HeldInvoke", "greet")).message).toBe(disposedMessage(ref.__jsObjectId));
    } finally {
      other.unloadAssembly(NAME);
    }
  });

  it("an unloaded assembly lets its references go; they stay usable elsewhere", async () => {
    const other = new InteropRuntime();
    await other.loadAssembly(module);
    const ref = DotNet.createJSObjectReference(greeter("outlives"));
    other.invokeMethod(NAME, "Hold", ref);
    other.unloadAssembly(NAME);
    call("Hold", ref);
    expect(call("HeldInvoke", "greet")).toBe("Hello from outlives");
    DotNet.disposeJSObjectReference(ref);
  });

  it("createJSObjectReference(null) is Blazor's { __jsObjectId: -1 }, which arrives as null; a non-object is Blazor's error", () => {
    for (const nothing of [null, undefined]) {
      const ref = DotNet.createJSObjectReference(nothing);
      expect(ref.__jsObjectId).toBe(-1);
      expect(call("HoldNullable", ref)).toBe(true);
      expect(call("HoldLabeled", { label: "null ref", target: ref })).toBe("null ref: null");
      // Not nullable: the usual error.
      expect(thrownError(() => call("Hold", ref)).message).toMatch(/not nullable/);
      DotNet.disposeJSObjectReference(ref); // harmless, as in Blazor
    }
    install({ make: { nothing: () => DotNet.createJSObjectReference(null) } });
    expect(thrownError(() => call("HoldFromJS", "make.nothing")).message).toMatch(/JavaScript returned null where managed code expects a JSObject/);
    for (const value of [42, "text", true, Symbol("s"), 10n]) {
      expect(() => DotNet.createJSObjectReference(value)).toThrow(`Cannot create a JSObjectReference from the value '${String(value)}'.`);
    }
    // A function is an object too, as in Blazor.
    const fn = DotNet.createJSObjectReference(() => "called");
    call("Hold", fn);
    expect(call("HeldReturned")).toBeTypeOf("function");
    call("DisposeHeld");
  });

  it("disposeJSObjectReference of anything but a live reference does nothing, as in Blazor", () => {
    const ref = DotNet.createJSObjectReference(greeter("kept"));
    const id = call<number>("Hold", ref);
    for (const value of [undefined, null, 0, "x", {}, [], { __jsObjectId: "1" }, greeter("other")]) DotNet.disposeJSObjectReference(value);
    // A copy of the reference (by hand, or through JSON) is a plain object: it names no reference.
    DotNet.disposeJSObjectReference({ __jsObjectId: id });
    DotNet.disposeJSObjectReference(JSON.parse(JSON.stringify(ref)));
    expect(call("HeldInvoke", "greet")).toBe("Hello from kept");
    // A reference no assembly has seen, and the same reference twice.
    const unseen = DotNet.createJSObjectReference(greeter("unseen"));
    DotNet.disposeJSObjectReference(unseen);
    DotNet.disposeJSObjectReference(unseen);
    DotNet.disposeJSObjectReference(ref);
    DotNet.disposeJSObjectReference(ref);
    expect(thrownError(() => call("HeldInvoke", "greet")).message).toBe(disposedMessage(id));
    // A copy given to managed code is a plain object, held as itself.
    const copy = call<number>("Hold", { __jsObjectId: id });
    expect(copy).not.toBe(id);
    call("DisposeHeld");
  });

  it("a conversion that fails lets the reference's handle go, and the reference lives on", () => {
    const ref = DotNet.createJSObjectReference(greeter("survivor"));
    // The label is not a string: the whole argument is refused after the field was converted.
    expect(thrownError(() => call("HoldLabeled", { target: ref, label: 5 })).message).toMatch(/label/);
    expect(assembly.diagnostics().jsObjects).toBe(0);
    install({ make: { wrong: () => ({ label: 5, target: ref }) } });
    expect(() => call("HoldFieldFromJS", "make.wrong")).toThrow();
    expect(assembly.diagnostics().jsObjects).toBe(0);
    call("Hold", ref);
    expect(call("HeldInvoke", "greet")).toBe("Hello from survivor");
    DotNet.disposeJSObjectReference(ref);
  });

  it("maxHandles counts references", async () => {
    const limited = new InteropRuntime();
    await limited.loadAssembly(module, { maxHandles: 1 });
    try {
      const refs = [DotNet.createJSObjectReference(greeter("one")), DotNet.createJSObjectReference(greeter("two"))];
      limited.invokeMethod(NAME, "Hold", refs[0]);
      expect(thrownError(() => limited.invokeMethod(NAME, "Hold", refs[1])).message).toMatch(/maxHandles|handles/);
      // Disposing makes room again.
      refs.forEach((ref) => DotNet.disposeJSObjectReference(ref));
      const third = DotNet.createJSObjectReference(greeter("three"));
      limited.invokeMethod(NAME, "Hold", third);
      DotNet.disposeJSObjectReference(third);
    } finally {
      limited.unloadAssembly(NAME);
    }
  });

  it("a sandboxed assembly is refused a reference to what its scope does not grant, and given one to what it may hold", async () => {
    const sandboxed = new InteropRuntime();
    await sandboxed.loadAssembly(module, { scope: {} });
    try {
      const refused = DotNet.createJSObjectReference(globalThis);
      const error = thrownError(() => sandboxed.invokeMethod(NAME, "Hold", refused));
      expect(error.message).toContain("The assembly 'js-references' cannot be given the global object: its scope does not grant it by name.");
      const allowed = DotNet.createJSObjectReference(greeter("sandboxed"));
      sandboxed.invokeMethod(NAME, "Hold", allowed);
      expect(sandboxed.invokeMethod(NAME, "HeldInvoke", "greet")).toBe("Hello from sandboxed");
      DotNet.disposeJSObjectReference(allowed);
      // A Blob is data: the sandbox may read it.
      const bytes = xorshiftBytes(10_000, 3);
      expect(await sandboxed.invokeMethodAsync(NAME, "ReadStream", DotNet.createJSStreamReference(new Blob([bytes])))).toBe(report(bytes, 1, 10_000));
      expect(await sandboxed.invokeMethodAsync(NAME, "ReadStream", new File([bytes], "f.bin"))).toBe(report(bytes, 1, 10_000));
      expect(sandboxed.getAssembly(NAME)!.diagnostics().jsObjects).toBe(0);
      DotNet.disposeJSObjectReference(refused);
    } finally {
      sandboxed.unloadAssembly(NAME);
    }
  });
});

/** What the fixture reports for a finished copy. */
function report(data: Uint8Array, chunks: number, largest: number): string {
  return `${data.byteLength},${data.byteLength},${chunks},${largest},1,${checksumOf(data)}`;
}

describe("DotNet.createJSStreamReference and JSStreamReference", () => {
  const data = xorshiftBytes(5 * MiB + 3, 19);

  it("wraps an ArrayBuffer (as a Uint8Array over it), a typed array, a DataView or a Blob, with Blazor's keys", () => {
    const fromBuffer = DotNet.createJSStreamReference(data.buffer);
    expect(fromBuffer).toBeInstanceOf(JSStreamReference);
    expect(fromBuffer).toBeInstanceOf(JSObjectReference);
    expect(JSON.parse(JSON.stringify(fromBuffer))).toEqual({ __jsObjectId: fromBuffer.__jsObjectId, __jsStreamReferenceLength: data.byteLength });
    expect(DotNet.createJSStreamReference(new Int32Array(10)).__jsStreamReferenceLength).toBe(40);
    expect(DotNet.createJSStreamReference(new DataView(data.buffer, 3, 7)).__jsStreamReferenceLength).toBe(7);
    expect(DotNet.createJSStreamReference(new Blob(["abc", new Uint8Array(5)])).__jsStreamReferenceLength).toBe(8);
    for (const value of [null, undefined, 5, "text", {}, [1, 2], new SharedArrayBuffer(4)]) {
      expect(() => DotNet.createJSStreamReference(value as Blob)).toThrow("Supplied value is not a typed array or blob.");
    }
  });

  it("managed code knows the length and reads the data in chunks, checksummed, from every kind of source", async () => {
    // Managed code disposes what it read (C#'s `await using`), so each read gets a source of its own.
    const sources: [string, () => unknown][] = [
      ["ArrayBuffer", () => DotNet.createJSStreamReference(data.slice().buffer)],
      ["Uint8Array", () => DotNet.createJSStreamReference(data)],
      ["Blob", () => DotNet.createJSStreamReference(new Blob([data.subarray(0, MiB), data.subarray(MiB)]))],
      // The data itself, where Blazor wants a reference: made into one on the way.
      ["raw Blob", () => new Blob([data])],
      ["raw Uint8Array", () => data],
      ["raw ArrayBuffer", () => data.slice().buffer],
    ];
    for (const [kind, source] of sources) {
      expect(call("StreamLength", source()), kind).toBe(data.byteLength);
      expect(await callAsync("ReadStream", source()), kind).toBe(report(data, 6, MiB));
    }
    // A view of part of a buffer: only its bytes; odd chunk sizes split words anywhere.
    const part = new Float64Array(data.buffer, 8, 1000);
    const bytes = new Uint8Array(data.buffer, 8, 8000);
    expect(await callAsync("ReadStreamWith", part, Number.MAX_SAFE_INTEGER, 333, 0)).toBe(report(bytes, 25, 333));
    expect(await callAsync("ReadStreamWith", new Blob([bytes]), 8000, 7, 0)).toBe(report(bytes, 1143, 7));
    // Empty data: nothing written, the sink closed.
    expect(await callAsync("ReadStream", new Blob([]))).toBe(`0,0,0,0,1,${checksumOf(new Uint8Array(0))}`);
  });

  it("arrives as a @dataMember field, as a JS call's result and a field of one, and as a promise's value", async () => {
    const small = data.subarray(0, 100_000);
    const ref = DotNet.createJSStreamReference(new Blob([small]));
    expect(await callAsync("ReadUpload", { name: "upload", data: ref })).toBe(report(small, 2, 65536));
    // Managed code disposed it when it was done, which ends it for JS too.
    expect(thrownError(() => call("StreamLength", ref)).message).toContain(disposedMessage(ref.__jsObjectId));
    install({
      files: {
        blob: () => new Blob([small]),
        bytes: () => small,
        reference: () => DotNet.createJSStreamReference(small),
        // Inside a value, a Uint8Array is data (copied); a Blob, an ArrayBuffer or a reference stays in JS.
        upload: () => ({ name: "from JS", data: small.buffer }),
        later: () => Promise.resolve(new Blob([small])),
        laterReference: async () => DotNet.createJSStreamReference(new Blob([small])),
        number: () => 42,
        plain: () => ({ size: 4 }),
        map: () => new Map(),
      },
    });
    expect(await callAsync("ReadFromJS", "files.blob")).toBe(report(small, 2, 65536));
    expect(await callAsync("ReadFromJS", "files.bytes")).toBe(report(small, 2, 65536));
    expect(await callAsync("ReadFromJS", "files.reference")).toBe(report(small, 2, 65536));
    expect(await callAsync("ReadUploadFromJS", "files.upload")).toBe(report(new Uint8Array(small.buffer), 81, 65536));
    expect(await callAsync("ReadFromPromise", "files.later")).toBe(report(small, 1, small.byteLength));
    expect(await callAsync("ReadFromPromise", "files.laterReference")).toBe(report(small, 1, small.byteLength));
    // What is not stream data is refused with Blazor's message (its createJSStreamReference of the
    // result), and what it registered goes.
    for (const path of ["files.number", "files.plain", "files.map"]) {
      expect(thrownError(() => call("LengthFromJS", path)).message, path).toBe("Supplied value is not a typed array or blob.");
    }
    expect(call("LengthFromJS", "files.bytes")).toBe(small.byteLength);
    // tryInvoke: the same refusals come back as the error, and the handles made for them go.
    expect(call("TryLengthFromJS", "files.map")).toBe("error: Supplied value is not a typed array or blob.");
    expect(call("TryLengthFromJS", "files.number")).toBe("error: Supplied value is not a typed array or blob.");
    expect(call("TryLengthFromJS", "files.blob")).toBe(String(small.byteLength));
  });

  it("is described as a jsstream, and typed for JS as a reference or the data, coming back as the data", () => {
    const method = (identifier: string) => manifest.methods.find((m) => m.identifier === identifier)!;
    expect(method("StreamLength").parameters[0].type).toEqual({ kind: "jsstream", nullable: false });
    expect(method("HeldStreamReturned").returnType).toEqual({ kind: "jsstream", nullable: false });
    const declarations = renderDeclarations(manifest, { entry: "test/fixtures/js-references.ts" });
    expect(declarations).toContain(`StreamLength(stream: import("as-interop").JSStreamReference | import("as-interop").StreamData): Int64;`);
    expect(declarations).toContain(`HeldStreamReturned(): import("as-interop").StreamData;`);
  });

  it("an argument that is not stream data is refused, naming what was expected", () => {
    for (const value of [{}, [1, 2, 3], "text", 12, new Map(), DotNet.createJSObjectReference({})]) {
      const error = thrownError(() => call("StreamLength", value));
      expect(error.message).toContain("expected a JSStreamReference (DotNet.createJSStreamReference), a Blob, an ArrayBuffer or a typed array");
    }
    expect(thrownError(() => call("StreamLength", null)).message).toMatch(/not nullable/);
  });

  it("maxAllowedSize: no cap by default; over it, Blazor's error and nothing read", async () => {
    const small = data.subarray(0, 1000);
    expect(await callAsync("ReadStreamWith", small, 1000, 4096, 0)).toBe(report(small, 1, 1000));
    const error = await rejection(callAsync("ReadStreamWith", new Blob([small]), 999, 4096, 0));
    expect(error.message).toBe("The incoming data stream of length 1000 exceeds the maximum allowed length 999. (after 0 chunks, closed 0)");
    // Blazor's default would refuse this; ours reads it.
    expect(await callAsync("ReadStream", data)).toBe(report(data, 6, MiB));
    // The README's example: the copy's task is the method's result, the byte count JS gets.
    const ref = DotNet.createJSStreamReference(new Blob([data]));
    expect(await callAsync("CopyLength", ref)).toBe(data.byteLength);
    DotNet.disposeJSObjectReference(ref);
  });

  it("held between calls; disposed by JS, a read fails with Blazor's message; disposed by managed code, JS's reference ends", async () => {
    const blob = new Blob([data]);
    const ref = DotNet.createJSStreamReference(blob);
    expect(call("HoldStream", ref)).toBe(ref.__jsObjectId);
    expect(assembly.diagnostics()).toMatchObject({ jsObjects: 1, jsStreams: 1 });
    expect(await callAsync("ReadHeldStream", MiB)).toBe(report(data, 6, MiB));
    expect(await callAsync("ReadHeldStream", 3 * MiB)).toBe(report(data, 2, 3 * MiB));
    // Handed back to JS, it is the data itself.
    expect(call("HeldStreamReturned")).toBe(blob);
    install({ check: { isBlob: (value: unknown) => String(value === blob) } });
    expect(call("PassHeldStream", "check.isBlob")).toBe("true");

    DotNet.disposeJSObjectReference(ref);
    expect(assembly.diagnostics()).toMatchObject({ jsObjects: 0, jsStreams: 0 });
    expect((await rejection(callAsync("ReadHeldStream", MiB))).message).toBe(
      `${disposedValueMessage(ref.__jsObjectId)} (after 0 chunks, closed 0)`,
    );

    const second = DotNet.createJSStreamReference(data);
    call("HoldStream", second);
    call("DisposeHeldStream");
    expect(assembly.diagnostics()).toMatchObject({ jsObjects: 0, jsStreams: 0 });
    expect(thrownError(() => call("StreamLength", second)).message).toContain(disposedMessage(second.__jsObjectId));
  });

  it("disposed while it is being read: the copy stops with Blazor's message", async () => {
    // JS disposes it as the copy asks for its third chunk.
    let slices = 0;
    class DisposingBlob extends Blob {
      override slice(start?: number, end?: number): Blob {
        if (++slices === 3) DotNet.disposeJSObjectReference(ref);
        return super.slice(start, end);
      }
    }
    const ref = DotNet.createJSStreamReference(new DisposingBlob([data]));
    call("HoldStream", ref);
    const error = await rejection(callAsync("ReadHeldStream", MiB));
    expect(error.message).toBe(`${disposedValueMessage(ref.__jsObjectId)} (after 2 chunks, closed 0)`);
  });

  it("a sink that aborts fails the copy, unclosed; a canceled copy writes nothing; what each lent is released", async () => {
    const error = await rejection(callAsync("ReadStreamWith", data, Number.MAX_SAFE_INTEGER, MiB, 2));
    expect(error.message).toMatch(/^the sink refused chunk 2 \(at .*js-references\.ts:\d+:\d+\) \(after 2 chunks, closed 0\)$/);
    expect(call("ReadAndCancel", data)).toBe("A task was canceled.");
    // The copy notices at its first chunk, after the call returned.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(call("LastSinkChunks")).toBe(0);
    expect(await callAsync("ReadStream", data)).toBe(report(data, 6, MiB)); // and the instance works on
  });

  it("a long copy lets timers run meanwhile (in-memory data would otherwise keep the event loop to itself)", async () => {
    const big = xorshiftBytes(64 * MiB, 7);
    let timerRan = false;
    setTimeout(() => (timerRan = true), 0);
    const copying = callAsync<string>("ReadStream", new Blob([big]));
    let timerRanDuringCopy = false;
    void copying.then(() => (timerRanDuringCopy = timerRan));
    expect(await copying).toBe(report(big, 64, MiB));
    expect(timerRanDuringCopy).toBe(true);
  });

  it("a long copy finishes under a test's fake timers (Vitest's replace setImmediate and setTimeout after the runtime loaded)", async () => {
    const big = xorshiftBytes(40 * MiB, 8);
    vi.useFakeTimers();
    try {
      expect(await callAsync("ReadStream", big)).toBe(report(big, 40, MiB));
    } finally {
      vi.useRealTimers();
    }
  });

  it("a bad buffer size fails the task", async () => {
    expect((await rejection(callAsync("ReadStreamWith", data, Number.MAX_SAFE_INTEGER, 0, 0))).message).toBe(
      "The buffer size must be positive, but it is 0. (after 0 chunks, closed 0)",
    );
  });

  it("1 GiB through a Blob, read one chunk at a time: checksummed in managed code, linear memory flat", { timeout: 600_000 }, async () => {
    // A GiB of Blob from 1024 slices of one 2 MiB Blob, each at another offset, so that a lost,
    // repeated or reordered chunk changes the checksum; the slices share the 2 MiB, so the test
    // never holds the GiB itself.
    const base = xorshiftBytes(2 * MiB, 1019);
    const baseBlob = new Blob([base]);
    const offsets = Array.from({ length: 1024 }, (_, i) => (i * 4099) % MiB);
    const blob = new Blob(offsets.map((offset) => baseBlob.slice(offset, offset + MiB)));
    expect(blob.size).toBe(GiB);
    const expected = new StreamChecksum();
    for (const offset of offsets) expected.update(base.subarray(offset, offset + MiB));

    const ref = DotNet.createJSStreamReference(blob);
    const began = performance.now();
    expect(await callAsync("ReadStream", ref)).toBe(`${GiB},${GiB},1024,${MiB},1,${expected.digest()}`);
    const seconds = (performance.now() - began) / 1000;
    // Linear memory never shrinks: its size now is the largest it has been.
    const largest = assembly.diagnostics().memoryBytes;
    if (process.env.RELIABILITY_FIGURES) console.log(`1 GiB through a Blob: ${seconds.toFixed(1)} s, linear memory ${(largest / MiB).toFixed(1)} MiB`);
    expect(largest, "linear memory").toBeLessThan(32 * MiB);
  });
});
