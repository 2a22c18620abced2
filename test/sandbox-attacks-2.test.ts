/**
 * The sandbox attacked along paths test/sandbox.test.ts does not take: what a grant lends without
 * the host meaning it (a class's inherited statics, an error's stack, a sloppy function's caller),
 * host code the stream reader runs on what it is handed, and resources the host keeps for managed
 * code. The attacker is test/fixtures/sandbox.ts, as there.
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { AssemblyPoisonedError, InteropError, InteropRuntime, ManagedError } from "../host/runtime/index.ts";
import { compileVirtual, thrownError } from "./helpers.ts";
import { touched } from "./sandbox-attacks.ts";
import { NAME, useSandboxFixture } from "./sandbox-fixture.ts";

const { load } = useSandboxFixture();

/**
 * Blazor's messages for what is not there: a function, or a part of a path before the last
 * ("Could not find"), or a value's last part (.NET 10's GetValue: "is not defined or is not readable").
 */
const NOT_FOUND =
  /^(Could not find '.*' \('.*' was undefined\)|The property '.*' is not defined or is not readable)\. The assembly 'sandbox' can reach only what its scope grants\.$/;

describe("a JavaScript class that extends a built-in lends nothing of the built-in", () => {
  // Granting a class is how a scope allows `new` (invokeConstructor). Its statics are its members;
  // the built-in constructor it extends (its [[Prototype]]) is not, nor are that one's statics:
  // Error.captureStackTrace writes the host's stack onto any object, Array.from drives any iterable.
  class AppError extends Error {
    static code = "E7";
  }
  class Items extends Array<unknown> {}
  class Base {
    static make(): string {
      return "made";
    }
  }
  class Derived extends Base {}

  it("its own statics and those of its JavaScript parents are reachable; a built-in's are not", async () => {
    const state: Record<string, unknown> = {};
    const secret = new Set([83, 69, 67]);
    const { call } = await load({ scope: { AppError, Items, Derived, state, secret } });
    expect(call("GetString", 0, "AppError.code")).toBe("E7");
    expect(call("CallForString", 0, "Derived.make", "")).toBe("made");
    for (const path of ["AppError.captureStackTrace", "AppError.stackTraceLimit", "Items.from", "Items.of", "Items.isArray"]) {
      expect(call("Has", 0, path), path).toBe(false);
      const error = thrownError(() => call("GetHandle", 0, path));
      expect(error, path).toBeInstanceOf(InteropError);
      expect(error.message, path).toMatch(NOT_FOUND);
    }
    // The escapes themselves: the host's stack written onto a granted object, a Set read through Array.from.
    const stateHandle = call<number>("GetHandle", 0, "state");
    expect(() => call("CallWithHandle", 0, "AppError.captureStackTrace", stateHandle)).toThrow(NOT_FOUND);
    expect(Object.hasOwn(state, "stack")).toBe(false);
    const secretHandle = call<number>("GetHandle", 0, "secret");
    expect(() => call("CallWithHandle", 0, "Items.from", secretHandle)).toThrow(NOT_FOUND);
    // Nor written: the write would go to the built-in's key.
    expect(() => call("SetString", 0, "AppError.stackTraceLimit", "0")).toThrow(
      "The assembly 'sandbox' cannot set 'stackTraceLimit': a built-in defines it, and its scope grants only own properties.",
    );
    // A new static of the class's own is fine.
    call("SetString", 0, "AppError.label", "x");
    expect((AppError as unknown as Record<string, unknown>)["label"]).toBe("x");
    expect(touched).toEqual([]);
  });
});

describe("an error's stack never reaches the sandbox, however the error comes", () => {
  it("an error a granted function returns (and its cause) is read without its stack", async () => {
    const scope = {
      api: {
        check: () => new TypeError("bad input", { cause: new RangeError("out of range") }),
      },
    };
    const { call } = await load({ scope });
    const error = call<number>("CallForHandle", 0, "api.check", "");
    expect(call("GetString", error, "message")).toBe("bad input");
    expect(call("GetString", error, "cause.message")).toBe("out of range");
    // As a thrown one: no stack, so none of the host's file paths.
    expect(call("GetString", error, "stack")).toBe("");
    expect(call("GetString", error, "cause.stack")).toBe("");
    expect(call("Has", error, "stack")).toBe(true);
  });
});

describe("a sloppy-mode function's caller and arguments are not its properties to the sandbox", () => {
  // Functions of scripts and CommonJS modules are sloppy. In Node 20 (V8 11) each has its own
  // `caller` (the function that called it, while it runs) and `arguments` (its call's arguments).
  it("a granted function that calls into the assembly does not hand it its caller or its caller's arguments", async () => {
    let runtime: InteropRuntime | null = null;
    const host = new Function(
      "callAssembly",
      `
      function emit(name) { return callAssembly(name); }
      function saveUser(user, password) { return emit("saved"); }
      return { emit, saveUser };`,
    ) as (callAssembly: (name: string) => unknown) => { emit: (name: string) => unknown; saveUser: (user: string, password: string) => unknown };
    const seen: unknown[] = [];
    const { emit, saveUser } = host((name) => {
      // Managed code, called back while `emit` runs, tries what the grant does not give.
      for (const path of ["events.emit.caller", "events.emit.arguments", "events.emit.caller.arguments"]) {
        seen.push(thrownError(() => runtime!.invokeMethod(NAME, "GetHandle", 0, path)));
        seen.push(runtime!.invokeMethod(NAME, "Has", 0, path));
      }
      seen.push(thrownError(() => runtime!.invokeMethod(NAME, "SetString", 0, "events.emit.caller", "x")));
      return name;
    });
    const sandbox = await load({ scope: { events: { emit } } });
    runtime = sandbox.runtime;
    expect(saveUser("ada", "s3cret")).toBe("saved");
    expect(seen).toHaveLength(7);
    for (let i = 0; i < 6; i += 2) {
      expect(seen[i]).toBeInstanceOf(InteropError);
      expect((seen[i] as Error).message).toMatch(NOT_FOUND);
      expect(seen[i + 1]).toBe(false);
    }
    expect((seen[6] as Error).message).toMatch(/^The assembly 'sandbox' cannot set 'caller'/);
    expect(sandbox.assembly.diagnostics().jsObjects).toBe(0);
  });
});

describe("a Node Buffer is bytes: its prototype lends nothing", () => {
  // Node's Buffer is a Uint8Array whose class is written in JavaScript, so its prototype's members
  // were a JavaScript class's to the membrane. One of them, the deprecated \`parent\` getter, gives
  // the ArrayBuffer under the Buffer: for a small one, the pool every small Buffer of the process
  // shares, holding what others wrote there (a password, a token). Read as stream data, all of it.
  it("a granted function's Buffer crosses, as a handle and as stream data; parent, offset and its methods are not reachable", async () => {
    const secret = Buffer.from("password=hunter2");
    const scope = { api: { encode: (text: string) => Buffer.from(text) } };
    const { call } = await load({ scope });
    const bytes = call<number>("CallForHandle", 0, "api.encode", "hi");
    for (const path of ["parent", "offset", "toString", "write", "utf8Write", "buffer", "readUInt32LE"]) {
      expect(call("Has", bytes, path), path).toBe(false);
      expect(thrownError(() => call("GetHandle", bytes, path)).message, path).toMatch(NOT_FOUND);
    }
    // Its own bytes are what it has, read as stream data.
    expect(await call<Promise<number>>("ReadAsStream", bytes, 2)).toBe(2);
    expect(call("StreamedBytes")).toBe("104,105,");
    expect(secret.toString()).toBe("password=hunter2");
  });
});

describe("the stream reader reads stream data only", () => {
  // A JSStreamReference can be made for any handle: reading one that is not stream data as a view
  // (`new Uint8Array(data.buffer, …)`) would read its properties and iterate what they hold, running
  // the built-in methods of Sets, Maps and generators, whose contents no path reaches.
  it("a handle that is not stream data is refused before anything of it is read or run", async () => {
    let advanced = 0;
    const generator = (function* () {
      ++advanced;
      yield* [83, 69, 67];
    })();
    const scope = {
      vault: { buffer: new Set([83, 69, 67]), byteLength: 3 },
      running: { buffer: generator, byteLength: 3 },
      settings: { theme: "dark" },
      bytes: new Uint8Array([1, 2, 3]),
    };
    const { call, assembly } = await load({ scope });
    for (const path of ["vault", "running", "settings"]) {
      const handle = call<number>("GetHandle", 0, path);
      await expect(call<Promise<number>>("ReadAsStream", handle, 3), path).rejects.toThrow("Supplied value is not a typed array or blob.");
      expect(call("StreamedBytes"), path).toBe("");
    }
    expect(advanced).toBe(0);
    // Stream data is read as ever.
    const bytes = call<number>("GetHandle", 0, "bytes");
    expect(await call<Promise<number>>("ReadAsStream", bytes, 3)).toBe(3);
    expect(call("StreamedBytes")).toBe("1,2,3,");
    expect(assembly.diagnostics()).toMatchObject({ pendingTasks: 0, trackedObjects: 0 });
  });
});

describe("a module is a value entering the sandbox, however it is imported", () => {
  // The scope's `import` resolves with what it likes (a registry of objects by name, say). Through
  // JSRuntime.importModule the module becomes a handle and is admitted; a typed import's module
  // must be admitted as well, or a path from it reaches the own properties of whatever it is.
  it("a typed import from a 'module' that is the global object is refused at load", async () => {
    const { binary } = await compileVirtual({
      "modules.ts": `
        @jsImport("__canaryFn", "registry:globals") declare function canary(how: string): void;
        @jsInvokable export function Run(): void { canary("a typed import"); }`,
    });
    const imported: string[] = [];
    const scope = { import: (url: string) => (imported.push(url), Promise.resolve(globalThis)) };
    const error = await new InteropRuntime().loadAssembly(binary, { scope }).then(() => null, (e: unknown) => e as Error);
    expect(imported).toEqual(["registry:globals"]);
    expect(error).toBeInstanceOf(InteropError);
    expect(error!.message).toMatch(/cannot be given the global object: its scope does not grant it by name\./);
    expect(touched).toEqual([]);
  });
});

describe("a struct or a map is copied only from what could be given as a handle", () => {
  // A typed import's result, or an argument JS passes, read into a @dataMember class or a map: its
  // fields are read by name, inherited accessors included. What may not cross as a JSObject (the
  // global object, a document, a DOM node, \`location\`, storage, \`process\`) may not be copied
  // either: a struct { cookie } read off a document, { token } off localStorage.
  const source = `
    export class Platform {
      @dataMember platform: string = "";
      @dataMember pid: f64 = 0;
    }
    @jsImport("leak.process") declare function leakedProcess(): Platform;
    @jsImport("leak.processes") declare function leakedProcesses(): Map<string, string>;
    @jsImport("plain") declare function plain(): Platform;
    @jsInvokable export function ViaImport(): string { return leakedProcess().platform; }
    @jsInvokable export function MapViaImport(): i32 { return leakedProcesses().size; }
    @jsInvokable export function Plain(): string { return plain().platform; }
    @jsInvokable export function Given(info: Platform): string { return info.platform; }`;

  it("a typed import's result and an argument JS passes are refused when they are objects the sandbox may not be given", async () => {
    const { binary } = await compileVirtual({ "copies.ts": source });
    const runtime = new InteropRuntime();
    const scope = { leak: { process: () => process, processes: () => process }, plain: () => ({ platform: "granted", pid: 1 }) };
    await runtime.loadAssembly(binary, { scope });
    const refused = /^The assembly 'copies' cannot be given a platform object \(process\): its scope does not grant it by name\.$/;
    expect(thrownError(() => runtime.invokeMethod("copies", "ViaImport")).message).toMatch(refused);
    expect(thrownError(() => runtime.invokeMethod("copies", "MapViaImport")).message).toMatch(refused);
    expect(thrownError(() => runtime.invokeMethod("copies", "Given", process)).message).toMatch(refused);
    // Data is copied as ever, and a class instance too.
    expect(runtime.invokeMethod("copies", "Plain")).toBe("granted");
    expect(runtime.invokeMethod("copies", "Given", { platform: "data", pid: 2 })).toBe("data");
    class Info {
      platform = "instance";
      pid = 3;
    }
    expect(runtime.invokeMethod("copies", "Given", new Info())).toBe("instance");
    // Without a sandbox, anything with the fields is read, as before.
    const open = new InteropRuntime();
    await open.loadAssembly(binary, { importBinding: "first-call" });
    expect(open.invokeMethod("copies", "Given", process)).toBe(process.platform);
  });
});

describe("a release the host makes on its own never throws where nothing catches it", () => {
  // The host releases a managed object when JS disposes its reference, and when a dropped one is
  // collected: then from a FinalizationRegistry, where an exception would end a Node process.
  // Managed code owns its memory and can wreck the table the release reads.
  it("a release that traps poisons the instance, from dispose() and from the finalizer, and nothing is thrown past them", async () => {
    setFlagsFromString("--expose-gc");
    const collect = runInNewContext("gc") as () => void;
    const { runtime, call } = await load({ scope: {} });
    const poisoned: unknown[] = [];
    runtime.addEventListener("assemblypoisoned", (event) => poisoned.push(event.detail.error));
    const disposed = call<{ dispose(): void }>("MakeHelper", "disposed");
    (() => call("MakeHelper", "dropped"))();
    expect(call<number>("WreckReferenceTable")).toBeGreaterThan(0);
    // Dropped: collected, its finalizer releases it (and must not throw).
    for (let i = 0; i < 50 && poisoned.length === 0; ++i) {
      collect();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(poisoned).toHaveLength(1);
    expect(poisoned[0]).toBeInstanceOf(AssemblyPoisonedError);
    expect(() => disposed.dispose()).not.toThrow(); // nothing runs on a poisoned instance
    expect(() => call("Add", 1, 2)).toThrow(AssemblyPoisonedError);
  });

  it("a release that traps from dispose() fails with the poison, and the instance is poisoned", async () => {
    const { call } = await load({ scope: {} });
    const helper = call<{ dispose(): void }>("MakeHelper", "h");
    expect(call<number>("WreckReferenceTable")).toBeGreaterThan(0);
    expect(() => helper.dispose()).toThrow(AssemblyPoisonedError);
    expect(() => call("Add", 1, 2)).toThrow(AssemblyPoisonedError);
  });
});

describe("what the host keeps for managed code stays bounded", () => {
  it("identifiers are kept decoded only while short: distinct long paths do not pile up in the host's heap", async () => {
    setFlagsFromString("--expose-gc");
    const collect = runInNewContext("gc") as () => void;
    const { call } = await load({ scope: {}, maxPayloadBytes: 1 << 20 });
    const heapUsed = () => {
      collect();
      return getHeapStatistics().used_heap_size;
    };
    const before = heapUsed();
    // Each path is a value within the limit (1,000,000 bytes); kept, 200 of them would be 100 MB or more.
    const calls = 200;
    for (let i = 0; i < calls; ++i) {
      const path = `${i}:${"p".repeat(500_000)}`;
      expect(() => call("GetString", 0, path)).toThrow(/^(Could not find|The property '.*' is not defined or is not readable)/);
    }
    const grown = heapUsed() - before;
    expect(grown, `${(grown / 2 ** 20).toFixed(1)} MiB kept`).toBeLessThan(20 * 2 ** 20);
  });

  it("references to classes the manifest does not describe share one maker: forged class ids leave nothing behind", async () => {
    // Managed code writes the class id of each reference it passes (raw bytes for the `invoke`
    // import). Each id the manifest does not describe made a class of references of its own, kept
    // for good: about 1.4 KB of the host's heap per id, with every table back at zero.
    setFlagsFromString("--expose-gc");
    const collect = runInNewContext("gc") as () => void;
    const { binary } = await compileVirtual({
      "forge.ts": `
        import { DotNetObjectReference } from "as-interop/assembly/interop";
        // @ts-ignore: decorator
        @external("as-interop", "invoke") declare function hostInvoke(target: u32, identifier: string, args: usize, flags: i32): ArrayBuffer;
        class Thing {}
        /** Passes \`count\` new references to \`sink\`, the first with class id \`from\`, the next one more, and so on. */
        @jsInvokable export function Forge(from: u32, count: u32): u32 {
          const args = new ArrayBuffer(17);
          const at = changetype<usize>(args);
          store<u32>(at, 17); // [u32 used][u32 count][tag 11: a reference][u32 class id][u32 id]
          store<u32>(at + 4, 1);
          store<u8>(at + 8, 11);
          for (let i: u32 = 0; i < count; ++i) {
            const reference = DotNetObjectReference.create(new Thing());
            store<u32>(at + 9, from + i);
            store<u32>(at + 13, reference.id);
            hostInvoke(0, "sink", at, 4);
            reference.dispose();
          }
          return count;
        }`,
    });
    const runtime = new InteropRuntime();
    let first: { invokeMethod(identifier: string): unknown } | null = null;
    let passed = 0;
    const sink = (reference: typeof first) => {
      if (passed++ === 0) first = reference;
    };
    const assembly = await runtime.loadAssembly(binary, { scope: { sink } });
    runtime.invokeMethod("forge", "Forge", 1_000_000, 1);
    // Such a reference is a reference all the same, with nothing JS could call.
    expect(() => first!.invokeMethod("Hello")).toThrow(/does not contain a public invokable method with \[JSInvokableAttribute\("Hello"\)\]/);
    first = null;
    const heapUsed = async () => {
      for (let i = 0; i < 3; ++i) {
        collect();
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return getHeapStatistics().used_heap_size;
    };
    const before = await heapUsed();
    for (let i = 0; i < 6; ++i) runtime.invokeMethod("forge", "Forge", 2_000_000 + i * 5_000, 5_000);
    const grown = (await heapUsed()) - before;
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: 0, jsReferences: 0, jsObjects: 0 });
    expect(grown, `${(grown / 2 ** 20).toFixed(1)} MiB kept`).toBeLessThan(8 * 2 ** 20);
  });

  it("maxPayloadBytes: a message managed code fails with (an abort's, a faulted task's) arrives cut to the limit", async () => {
    const { call } = await load({ scope: {}, maxPayloadBytes: 4096 });
    const cut = /^m{2048}… \(cut: the message is 2000000 bytes, more than this host allows \(maxPayloadBytes = 4096\)\)/;
    const aborted = thrownError(() => call("AbortWith", 1_000_000));
    expect(aborted).toBeInstanceOf(ManagedError);
    expect((aborted as ManagedError).managedMessage.length).toBeLessThan(2200);
    expect((aborted as ManagedError).managedMessage).toMatch(cut);
    expect(aborted.message).toMatch(/ \(at test\/fixtures\/sandbox\.ts:\d+:\d+\)$/);
    // The task has failed already: the call throws its message.
    const failed = thrownError(() => call("FailTaskWith", 1_000_000));
    expect(failed).toBeInstanceOf(InteropError);
    expect(failed.message.length).toBeLessThan(2200);
    expect(failed.message).toMatch(cut);
    // Within the limit, and without one, a message arrives whole.
    expect((thrownError(() => call("AbortWith", 2048)) as ManagedError).managedMessage).toBe("m".repeat(2048));
    const open = await load({ scope: {} });
    expect((thrownError(() => open.call("AbortWith", 1_000_000)) as ManagedError).managedMessage).toHaveLength(1_000_000);
  });
});

describe("an argument list's size word is checked against memory before anything of it is read", () => {
  it("a list that starts past the end of memory, claims more than memory holds, or less than its own word, is refused; the instance keeps working", async () => {
    const { binary } = await compileVirtual({
      "lists.ts": `
        // @ts-ignore: decorator
        @external("as-interop", "invoke") declare function hostInvoke(target: u32, identifier: string, args: usize, flags: i32): ArrayBuffer;
        /** Calls sink with the argument list at \`at\`; \`size\`, if not 0, is first written there as its size word. */
        @jsInvokable export function CallWith(at: u32, size: u32): void {
          if (size) store<u32>(at, size);
          hostInvoke(0, "sink", at, 4);
        }
        /** A well-formed list of one number, 42. */
        @jsInvokable export function CallWell(): void {
          const args = new ArrayBuffer(17);
          const at = changetype<usize>(args);
          store<u32>(at, 17);
          store<u32>(at + 4, 1);
          store<u8>(at + 8, 4);
          store<f64>(at + 9, 42);
          hostInvoke(0, "sink", at, 4);
        }
        @jsInvokable export function MemoryBytes(): u32 { return <u32>memory.size() << 16; }
        @jsInvokable export function Scratch(): u32 { return changetype<u32>(new ArrayBuffer(64)); }`,
    });
    const runtime = new InteropRuntime();
    const received: unknown[][] = [];
    await runtime.loadAssembly(binary, { scope: { sink: (...values: unknown[]) => void received.push(values) } });
    const call = (method: string, ...args: unknown[]) => runtime.invokeMethod("lists", method, ...args);
    const bytes = call("MemoryBytes") as number;
    const scratch = call("Scratch") as number;
    const refused = /the arguments from managed code claim more than memory holds/;
    for (const at of [bytes, bytes - 2, 0xfffffffc]) expect(thrownError(() => call("CallWith", at, 0)).message, `at ${at}`).toMatch(refused);
    expect(thrownError(() => call("CallWith", bytes - 8, 0x7fffffff)).message).toMatch(refused);
    expect(thrownError(() => call("CallWith", scratch, 3)).message).toMatch(refused);
    expect(received).toEqual([]);
    call("CallWell");
    expect(received).toEqual([[42]]);
  });
});
