/**
 * The sandbox attacked through what the host does with the values it handles for managed code,
 * rather than where paths lead: the reason managed code makes a promise reject with (turned into
 * text by running its `toString`), a struct copied from a JS object (its fields read past the
 * membrane), and values that cost the host far more to convert than managed code paid to build
 * (counted against the limit only once the host had built them whole). The attacker is
 * test/fixtures/sandbox-values.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { AssemblyPoisonedError, InteropRuntime } from "../host/runtime/index.ts";
import { OutOfMemoryError } from "../host/marshal/heap.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileFixture, thrownError } from "./helpers.ts";
import { installCanaries, touched } from "./sandbox-attacks.ts";

const NAME = "sandbox-values";
/** Where the host's code is: what an error's stack names. */
const HOST_FILES = fileURLToPath(new URL("..", import.meta.url));

let module: WebAssembly.Module;
let canaries: ReturnType<typeof installCanaries>;
beforeAll(async () => {
  module = (await compileFixture(NAME)).module;
  canaries = installCanaries();
});
afterAll(() => canaries.remove());

async function load(options: AssemblyOptions) {
  const runtime = new InteropRuntime();
  const assembly = await runtime.loadAssembly(module, { importBinding: "first-call", ...options });
  return { assembly, call: <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod<T>(NAME, method, ...args) };
}

/** A granted function with something of the host's in its source. */
function save(): string {
  const apiKey = "sk-host-secret";
  return apiKey;
}

describe("the reason managed code makes a promise reject with is described, never run", () => {
  // Managed code may store a delegate as `then` on a granted object, and have the host await that
  // object (a delegate of its own returns it from `invokeAsync`): the host's `Promise.resolve`
  // calls `then` with the promise's resolve and reject functions. Rejected with any object managed
  // code holds, the host made text of it with `String(reason)`, as Blazor does: a function's source
  // (the host's code), an object's own `toString` (managed code again, mid-conversion).
  const scope = () => ({
    api: {
      settings: { theme: "dark" },
      save,
      dictionary: Object.create(null) as object,
      error: new TypeError("bad input"),
    },
  });

  it("a granted function as the reason: the task's message is its tag, not its source", async () => {
    const { call, assembly } = await load({ scope: scope() });
    const outcome = await call<Promise<string>>("RejectWith", "api.settings", "api.save");
    expect(outcome).toBe("faulted: [object Function]");
    expect(outcome).not.toContain("sk-host-secret");
    expect(assembly.diagnostics()).toMatchObject({ pendingTasks: 0 });
  });

  it("an object with a toString managed code gave it: the host does not run it", async () => {
    const { call } = await load({ scope: scope() });
    call("GiveToString", "api.dictionary");
    expect(await call<Promise<string>>("RejectWith", "api.settings", "api.dictionary")).toBe("faulted: [object Object]");
    expect(call("TimesConverted")).toBe(0);
  });

  it("an error whose message managed code replaced by an object: that object is described too", async () => {
    const { call } = await load({ scope: scope() });
    call("SetObject", "api.error", "message", "api.save");
    expect(await call<Promise<string>>("RejectWith", "api.settings", "api.error")).toBe("faulted: [object Function]");
  });

  it("an error a synchronous call caught reads as its toString would, with a message managed code replaced described", async () => {
    const api = { error: new TypeError("bad input"), fail: (): void => undefined };
    api.fail = () => {
      throw api.error;
    };
    const { call } = await load({ scope: { api } });
    expect(call("TryCall", "api.fail")).toBe("TypeError: bad input");
    // Its toString is a built-in's, which managed code cannot shadow; its message it can replace.
    expect(thrownError(() => call("GiveToString", "api.error")).message).toMatch(/cannot set 'toString': a built-in defines it/);
    call("SetObject", "api.error", "message", "api.fail");
    expect(call("TryCall", "api.fail")).toBe("TypeError: [object Function]");
  });

  it("outside a sandbox, a reason's text is Blazor's (its toString)", async () => {
    const g = globalThis as Record<string, unknown>;
    g["sandboxValuesApi"] = scope().api;
    try {
      const { call } = await load({});
      expect(await call<Promise<string>>("RejectWith", "sandboxValuesApi.settings", "sandboxValuesApi.save")).toMatch(
        /^faulted: function save\(\) \{[^]*sk-host-secret/,
      );
    } finally {
      delete g["sandboxValuesApi"];
    }
  });
});

describe("a struct is copied from what a path would read, nothing more", () => {
  // A typed import's result, or an argument JS passes, read into a @dataMember class: its fields
  // were read by name with `value[name]`, past the membrane — an error's stack (the host's files),
  // an arguments object's callee, the accessors of a built-in prototype.
  it("an error's stack reads as none, as through a path; its name, a built-in's, not at all", async () => {
    const { call } = await load({ scope: { api: { failure: () => new TypeError("bad input") } } });
    expect(call("CopyError")).toBe("null|bad input|");
    expect(call("TakeError", new RangeError("out of range"))).toBe("null|out of range|");
    // Its own fields are read as ever.
    const error = Object.assign(new Error("own"), { name: "AppError" });
    expect(call("TakeError", error)).toBe("AppError|own|");
    // Outside a sandbox, the copy is the error's fields, stack included.
    const open = await load({});
    const stack = String(open.call("TakeError", new TypeError("bad input"))).split("|")[2];
    expect(stack).toContain(HOST_FILES);
  });

  it("an arguments object's callee is not read, nor a built-in prototype's accessor (a bait on Object.prototype)", async () => {
    const sloppy = new Function("return arguments;");
    const { call, assembly } = await load({ scope: { api: { machinery: sloppy } } });
    expect(call("CopyMachinery")).toBe("null|null|null|null");
    expect(touched).toEqual([]);
    expect(assembly.diagnostics().jsObjects).toBe(0);
  });

  it("data is copied as ever, a JavaScript class's accessors included", async () => {
    class Failure {
      message = "from a class";
      get name(): string {
        return "Failure";
      }
    }
    const { call } = await load({ scope: { api: { failure: () => new Failure() } } });
    expect(call("CopyError")).toBe("Failure|from a class|null");
    expect(call("TakeError", { name: "N", message: "M", stack: "S" })).toBe("N|M|S");
  });
});

describe("maxPayloadBytes refuses a value as its conversion passes the limit, not once the host has built it", () => {
  // A few calls make a value the host would build at great cost: arrays holding the array before
  // them twice (2^levels leaves), or an array whose length managed code set (2^32 - 1 makes four
  // gigabytes of encoding). The limit was checked against the encoded bytes once they were all
  // there; a host that set one to bound what crosses still built the whole value first.
  const limit = /the value needs \d+ bytes, more than this host allows \(maxPayloadBytes = 4096\)/;

  it("arrays sharing their elements level after level: the leaves are read no further than the limit", async () => {
    let reads = 0;
    const data = {
      leaf: {
        get x() {
          return ++reads;
        },
      },
      nested: null as unknown,
      nestedLater: () => data.nested,
    };
    const { call, assembly } = await load({ scope: { data }, maxPayloadBytes: 4096 });
    call("Nest", 18);
    expect(() => call("Read", "data.nested")).toThrow(limit);
    expect(() => call("CallAndRead", "data.nestedLater")).toThrow(limit);
    expect(await call<Promise<string>>("ReadLater", "data.nestedLater")).toMatch(limit);
    // Each leaf takes more than one byte: past 4096 bytes, none is read.
    expect(reads).toBeLessThan(3 * 4096);
    expect(assembly.diagnostics()).toMatchObject({ jsObjects: 0, pendingTasks: 0 });
  });

  it("an array whose length managed code set: nothing beyond the limit is read, as a JS value or as a typed import's result", async () => {
    const far: number[] = [];
    const list: unknown[] = [];
    Object.defineProperty(list, 15_000_000, { get: () => far.push(1), enumerable: true, configurable: true });
    const data = { list, give: () => list };
    const { call } = await load({ scope: { data }, maxPayloadBytes: 4096 });
    call("Lengthen", "data.list", 20_000_000);
    expect(list).toHaveLength(20_000_000);
    expect(() => call("Read", "data.list")).toThrow(limit);
    expect(() => call("ViaImport")).toThrow(limit);
    expect(far).toEqual([]);
    // What fits still crosses.
    call("Lengthen", "data.list", 3);
    expect(call("ViaImport")).toBe(3);
  });
});

describe("an array whose length does not fit linear memory is refused as such", () => {
  // The elements' byte length was `length << shift`, a 32-bit operation: 2^30 + 1 elements of four
  // bytes made 4 bytes, 2^32 - 1 made -4 (counted against maxPayloadBytes as a credit), and the host
  // then wrote the elements past the allocation — for nullable strings, a null over every word of the
  // instance's memory after it (a minute, for 2^30), leaving its allocator wrecked and no trap to say
  // so. A sandbox lengthens a granted array with one write.
  it("from JS, or from a typed import after the sandbox set its length: OutOfMemoryError, and the instance works", async () => {
    const sparse = (length: number) => Object.assign([], { length });
    const data = { list: [] as unknown[], numbers: (): unknown[] => data.list };
    const { call, assembly } = await load({ scope: { data } });
    const outOfMemory = /^Out of memory: the value needs \d+ bytes and linear memory \(\d+ bytes now\) cannot grow enough\.$/;
    for (const [method, length] of [["CountInts", 2 ** 29], ["CountInts", 2 ** 30 + 1], ["CountTexts", 2 ** 32 - 1]] as const) {
      const error = thrownError(() => call(method, sparse(length)));
      expect(error, `${method} ${length}`).toBeInstanceOf(OutOfMemoryError);
      expect(error.message).toMatch(outOfMemory);
    }
    call("Lengthen", "data.list", 2 ** 30 + 1);
    expect(thrownError(() => call("ImportNumbers"))).toBeInstanceOf(OutOfMemoryError);
    data.list = [1, 2, 3];
    expect(call("ImportNumbers")).toBe(3);
    expect(call("CountTexts", ["a", null])).toBe(2);
    expect(assembly.diagnostics()).toMatchObject({ pinned: 0, trackedObjects: 0 });
  });

  it("from managed code, an array whose header claims 2^29 + 1 elements: counted as 2^31 + 4 bytes, and refused as claiming more than memory", async () => {
    const { call } = await load({ maxPayloadBytes: 4096 });
    expect(() => call("ClaimLength", 2 ** 29 + 1)).toThrow(/the value needs 2147483652 bytes, more than this host allows \(maxPayloadBytes = 4096\)/);
    const open = await load({});
    expect(() => open.call("ClaimLength", 2 ** 29 + 1)).toThrow(/managed code returned an array that claims more than memory holds/);
    expect(open.call("ClaimLength", 3)).toEqual([1, 2, 3]);
  });
});

describe("a promise a synchronous call drops never rejects unhandled (which ends a Node process)", () => {
  // A JS function may return a promise to a call that does not wait for it: invokeVoid, a call
  // whose result managed code holds as a JSObject, a typed import without a result. Its rejection
  // had no handler, and in Node an unhandled rejection ends the process: a sandbox ended its host
  // by calling a granted async function with an argument it refuses, or, granted nothing async, by
  // storing a delegate that returns a pending Task on a granted object, calling it for its effect,
  // and failing the task.
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => void unhandled.push(reason);
  beforeAll(() => void process.on("unhandledRejection", record));
  afterAll(() => void process.off("unhandledRejection", record));
  const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

  it("a granted async function's rejection, and a managed task's failure, reach no one and end nothing", async () => {
    const api = {
      settings: {},
      save: async (text: string) => {
        if (text === "bad") throw new TypeError("refused input");
        return text.length;
      },
      fireAndForget: async (text: string) => {
        throw new RangeError(`refused ${text}`);
      },
    };
    const { call, assembly } = await load({ scope: { api } });
    unhandled.length = 0;
    call("CallVoid", "api.save", "bad");
    expect(call<number>("CallForHandle", "api.save", "bad")).toBeGreaterThan(0);
    call("ImportVoid", "x");
    call("DropPromise", "api.settings", "later");
    call("FailPromised", "failed on purpose");
    await settled();
    expect(unhandled).toEqual([]);
    // The calls themselves are as they were: a promise is still refused where a value is wanted.
    call("CallVoid", "api.save", "fine");
    expect(() => call("CallAndRead", "api.save")).toThrow(/^The function 'api\.save' returned a promise, which a synchronous call cannot wait for/);
    await settled();
    expect(unhandled).toEqual([]);
    expect(assembly.diagnostics().pendingTasks).toBe(0);
  });
});

describe("a stream copy reads chunks no larger than maxPayloadBytes", () => {
  // Managed code names the chunk size of a copy; each chunk is counted against the limit once it
  // is read, and a Blob's chunk is read whole into the host's memory first (`slice().arrayBuffer()`):
  // 2^31 - 1 read a granted file in one piece, however large, before the limit refused it.
  it("whatever buffer size managed code asks for, a Blob is sliced at the limit, and the copy goes through", async () => {
    const sliced: number[] = [];
    class Watched extends Blob {
      override slice(start = 0, end = this.size, type?: string): Blob {
        sliced.push(end - start);
        return super.slice(start, end, type);
      }
    }
    const file = new Watched([new Uint8Array(64 * 1024)]);
    const { call, assembly } = await load({ scope: { data: { file, bytes: new Uint8Array(10_000) } }, maxPayloadBytes: 4096 });
    expect(await call<Promise<number>>("CopyStream", "data.file", 0x7fffffff)).toBe(64 * 1024);
    expect(Math.max(...sliced)).toBe(4096);
    expect(await call<Promise<number>>("CopyStream", "data.bytes", 0x7fffffff)).toBe(10_000);
    // A smaller buffer size is kept.
    sliced.length = 0;
    expect(await call<Promise<number>>("CopyStream", "data.file", 1000)).toBe(64 * 1024);
    expect(Math.max(...sliced)).toBe(1000);
    expect(assembly.diagnostics()).toMatchObject({ pendingTasks: 0, trackedObjects: 0 });
  });
});

describe("a nested call that traps stops the managed code that made it, wherever the host was", () => {
  // Host code run while the host serves a call from managed code — a getter on a path, or on a
  // value it converts — may call back into the assembly, trap, and catch the poison. A call into
  // JS checks the instance once the JS function returns; a path walked by hasProperty or
  // getProperty, and a value converted after that check (a JS call's result, a typed import's),
  // did not: managed code ran on in the poisoned instance, calling JS, until its outer call returned.
  async function poisonedBy(where: "path" | "element") {
    const after: string[] = [];
    let poison: unknown;
    const trapAndCatch = () => {
      try {
        sandbox.call("Trap");
      } catch (error) {
        poison = error;
      }
    };
    const poisonedList: string[] = [];
    Object.defineProperty(poisonedList, 0, { get: () => (trapAndCatch(), "a"), enumerable: true });
    const js = {
      get poisoner() {
        trapAndCatch();
        return { x: 1, list: ["a"] };
      },
      poisonedList,
      strings: () => poisonedList,
      after: () => void after.push(`managed code ran on after a trap (${where})`),
    };
    const sandbox = await load({ scope: { js } });
    return { sandbox, after, poison: () => poison };
  }

  it.each([
    ["hasProperty, a getter on its path", "HasThenCall", "js.poisoner.x", "path"],
    ["getProperty, a getter on its path", "ReadThenCall", "js.poisoner.list", "path"],
    ["getProperty, a getter of the value it converts", "ReadThenCall", "js.poisonedList", "element"],
    ["a typed import, a getter of its result", "ImportThenCall", "js.strings", "element"],
  ] as const)("%s: the poison fails the call at once, and nothing after it runs", async (_, method, path, where) => {
    const { sandbox, after, poison } = await poisonedBy(where);
    const error = thrownError(() => (method === "ImportThenCall" ? sandbox.call(method, "js.after") : sandbox.call(method, path, "js.after")));
    expect(poison()).toBeInstanceOf(AssemblyPoisonedError);
    expect(error).toBe(poison());
    expect(after).toEqual([]);
  });
});
