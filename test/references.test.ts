/**
 * Object references (issue 4), against real compiled wasm (test/fixtures/references.ts):
 * DotNetObjectReference identity and lifetime (dispose from either side, finalization, forged and
 * foreign references), instance and static @jsInvokable methods, @scriptableMember properties,
 * delegates, leak checks over 100,000 cycles, and the compile errors for misuse.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect, promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostic, type Diagnostic } from "../host/compiler/compile.ts";
import {
  DotNetObject,
  InteropError,
  InteropRuntime,
  ManagedError,
  type AssemblyDiagnostics,
  type LoadedAssembly,
} from "../host/runtime/index.ts";
import { compileErrors, compileFixture, compileVirtual, expectArgumentError, noTrackedObject, rejection, ROOT, thrownError, type CompiledFixture } from "./helpers.ts";

const NAME = "References";

interface Point {
  x: number;
  y: number;
}

/** What JS sees of test/fixtures/references.ts's HelloHelper. */
interface Helper extends DotNetObject {
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  invokeMethodAsync<T = unknown>(identifier: string, ...args: unknown[]): Promise<T>;
  dispose(): void;
  [Symbol.dispose](): void;
  readonly id: number;
  Name: string;
  readonly Greeting: string;
  Count: number;
  Ratio: number;
  Flag: boolean;
  Nickname: string | null;
  Where: Point;
  Tags: string[];
  readonly Describe: (n: number) => string;
}

interface OtherRef extends DotNetObject {
  invokeMethod<T = unknown>(identifier: string, ...args: unknown[]): T;
  dispose(): void;
  readonly id: number;
  label: string;
}

/** A view of an object without its declared type, to reach what the type does not declare. */
const loose = (value: object) => value as Record<PropertyKey, unknown>;

const noMethodOnType = (type: string, identifier: string) =>
  `The type '${type}' does not contain a public invokable method with [JSInvokableAttribute("${identifier}")].`;

let fixture: CompiledFixture;
let runtime: InteropRuntime;
let assembly: LoadedAssembly;

beforeAll(async () => {
  fixture = await compileFixture("references", { assemblyName: NAME });
  runtime = new InteropRuntime();
  assembly = await runtime.loadAssembly(fixture.module);
});

const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>(NAME, method, ...args);
const create = (name = "Blazor") => call<Helper>("CreateHelloHelper", name);

/** A new instance of the fixture in a runtime of its own: its tables start empty. */
async function freshAssembly(name = NAME): Promise<{ runtime: InteropRuntime; assembly: LoadedAssembly }> {
  const own = new InteropRuntime();
  return { runtime: own, assembly: await own.loadAssembly(fixture.module, { name }) };
}

/** Runs `run` and returns what it threw (failing when it does not throw). */


/** An InteropError whose message is exactly `message`. */
function expectInteropError(error: Error, message: string): void {
  expect(error).toBeInstanceOf(InteropError);
  expect(error.message).toBe(message);
}

describe("identity", () => {
  it("gives the same JS object for the same managed reference, however often it is returned", () => {
    const stored = call<Helper>("StoreNew", "kept");
    expect(call("Stored")).toBe(stored);
    expect(call("Stored")).toBe(stored);
    expect(stored.invokeMethod("Self")).toBe(stored);

    const helper = create();
    expect(helper.invokeMethod("Self")).toBe(helper);
    const friend = helper.invokeMethod<OtherRef>("Friend");
    expect(helper.invokeMethod("Friend")).toBe(friend);
    // Different managed objects are different JS objects with different ids.
    expect(helper).not.toBe(stored);
    expect(helper.id).not.toBe(stored.id);
    expect(create()).not.toBe(helper);
  });

  it("hands managed code the original object (and the original reference) when JS passes it back", () => {
    const stored = call<Helper>("StoreNew", "original");
    const other = create("other");
    expect(call("IsStored", stored)).toBe(true);
    expect(call("IsStored", other)).toBe(false);
    expect(call("IsStoredReference", stored)).toBe(true);
    expect(call("IsStoredReference", other)).toBe(false);
    expect(call("SameObject", stored, call("Stored"))).toBe(true);
    expect(call("SameObject", stored, other)).toBe(false);
    // An instance method gets the object it was called on and the one passed to it.
    expect(other.invokeMethod("IsSame", other)).toBe(true);
    expect(other.invokeMethod("IsSame", stored)).toBe(false);
    expect(call("NameOf", other)).toBe("other");
  });

  it("keeps one id per tracked object: DotNetObjectReference.create on the same object gives the same id", () => {
    const stored = call<Helper>("StoreNew", "one id");
    const tracked = assembly.diagnostics().trackedObjects;
    const id = call<number>("StoredId");
    expect(call("StoredId")).toBe(id);
    expect(stored.id).toBe(id);
    expect(call("IdOf", stored)).toBe(id);
    for (let i = 0; i < 10; i++) expect(call<Helper>("Stored").id).toBe(id);
    // Creating the reference again tracked nothing new.
    expect(assembly.diagnostics().trackedObjects).toBe(tracked);
    expect(Number.isInteger(id) && id > 0).toBe(true);
  });

  it("survives any number of managed garbage-collection cycles", () => {
    const stored = call<Helper>("StoreNew", "survivor");
    const helper = create("held only by the table");
    helper.invokeMethod("SayHello");
    helper.Tags = ["a", "b"];
    const friend = helper.invokeMethod<OtherRef>("Friend");
    const describe = helper.Describe;
    const collect = (assembly.instance.exports as unknown as { __collect(): void }).__collect;
    const memoryBytes = () => assembly.heap.runtime.memory.buffer.byteLength;
    const before = memoryBytes();

    for (let round = 0; round < 10; round++) {
      // About 1 MiB of garbage per round, collected as it is made, and full collections between.
      expect(call("Churn", 2500)).toBe(40000);
      for (let i = 0; i < 5; i++) collect();
    }
    expect(memoryBytes()).toBeLessThan(before + 32 * 2 ** 20); // the garbage really was collected

    expect(helper.invokeMethod("SayHello")).toBe("Hello, held only by the table!");
    expect(helper.Count).toBe(2);
    expect(helper.Tags).toEqual(["a", "b"]);
    expect(helper.invokeMethod("Friend")).toBe(friend);
    expect(friend.label).toBe("held only by the table's friend");
    expect(helper.Describe).toBe(describe);
    expect(describe(3)).toBe("count is 3");
    expect(call("Stored")).toBe(stored);
    expect(call("IsStored", stored)).toBe(true);
    expect(call("NameOf", helper)).toBe("held only by the table");
  });

  it("passes null both ways for a nullable reference", () => {
    expect(call("MaybeHelper", false)).toBeNull();
    const maybe = call<Helper>("MaybeHelper", true);
    expect(maybe).toBeInstanceOf(DotNetObject);
    expect(call("NameOrNull", maybe)).toBe("maybe");
    expect(call("NameOrNull", null)).toBeNull();
    expect(call("NameOrNull", undefined)).toBeNull();
    maybe.dispose();
  });
});

describe("lifetime", () => {
  /** Every way of using a reference fails with Blazor's message once it is disposed. */
  async function expectDisposed(helper: Helper): Promise<void> {
    const message = noTrackedObject(helper.id);
    expectInteropError(thrownError(() => helper.invokeMethod("SayHello")), message);
    expectInteropError(await rejection(helper.invokeMethodAsync("SayHello")), message);
    expectInteropError(thrownError(() => helper.Name), message);
    expectInteropError(thrownError(() => (helper.Name = "x")), message);
    expectInteropError(thrownError(() => helper.Describe), message);
    expectArgumentError(thrownError(() => call("NameOf", helper)), "NameOf", 1, "helper", message);
    expectArgumentError(thrownError(() => call("NameOrNull", helper)), "NameOrNull", 1, "helper", message);
    const probe = create("probe");
    expectArgumentError(thrownError(() => probe.invokeMethod("IsSame", helper)), "IsSame", 1, "other", message);
    probe.dispose();
  }

  it("dispose() from JS releases the managed object, and every later use fails with Blazor's message", async () => {
    const helper = create();
    // Calls just made on the reference must not let the next one through.
    expect(helper.invokeMethod("SayHello")).toBe("Hello, Blazor!");
    expect(helper.Name).toBe("Blazor");
    const { trackedObjects, jsReferences } = assembly.diagnostics();
    helper.dispose();
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: trackedObjects - 1, jsReferences: jsReferences - 1 });
    // Disposing again is harmless, and the id stays readable.
    helper.dispose();
    helper[Symbol.dispose]();
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: trackedObjects - 1, jsReferences: jsReferences - 1 });
    expect(typeof helper.id).toBe("number");
    await expectDisposed(helper);
  });

  it("[Symbol.dispose] is dispose, so `using` releases the reference at the end of its block", async () => {
    let escaped: Helper;
    const { trackedObjects } = assembly.diagnostics();
    {
      using helper = create("scoped");
      expect(helper.invokeMethod("SayHello")).toBe("Hello, scoped!");
      escaped = helper;
      expect(assembly.diagnostics().trackedObjects).toBe(trackedObjects + 1);
    }
    expect(assembly.diagnostics().trackedObjects).toBe(trackedObjects);
    await expectDisposed(escaped);
  });

  it("a reference disposed from either side is disposed for managed code too: isDisposed, .NET's error for its value, no handing it out again", () => {
    for (const disposeIt of [(helper: Helper) => helper.dispose(), () => call("DisposeManagedKept")]) {
      const helper = call<Helper>("KeepByManagedCode", "soon disposed");
      expect(call("ManagedKeptDisposed")).toBe(false);
      disposeIt(helper);
      expect(call("ManagedKeptDisposed")).toBe(true);
      // .NET's ObjectDisposedException, for its value and for handing it to JS again (the library's
      // own checks are interop errors), to the letter: DotNetObjectReference<T>.ThrowIfDisposed names
      // the type by GetType().Name, which is "DotNetObjectReference`1".
      const disposed = "Cannot access a disposed object.\nObject name: 'DotNetObjectReference`1'.";
      expectInteropError(thrownError(() => call("ManagedKeptName")), disposed);
      expectInteropError(thrownError(() => call("ManagedKept")), disposed);
    }
  });

  it("a disposed object handed out again gets a new id (ids are never reused); the old reference stays dead", async () => {
    const stored = call<Helper>("StoreNew", "again");
    stored.dispose();
    const again = call<Helper>("Stored");
    // (Not `expect(again).not.toBe(stored)`: on a mismatch it deep-compares, reading the dead reference.)
    expect(again === stored).toBe(false);
    expect(again.id).toBeGreaterThan(stored.id);
    expect(again.invokeMethod("SayHello")).toBe("Hello, again!");
    expect(call("IsStored", again)).toBe(true);
    await expectDisposed(stored);
    expect(again.Name).toBe("again");
  });

  it("managed code may dispose a reference JS passes it; JS's reference then fails with Blazor's message", async () => {
    const helper = create();
    const { trackedObjects } = assembly.diagnostics();
    call("DisposeIt", helper);
    expect(assembly.diagnostics().trackedObjects).toBe(trackedObjects - 1);
    await expectDisposed(helper);
  });

  it("a @jsInvokable instance method may dispose its own reference", async () => {
    const helper = create();
    helper.invokeMethod("DisposeSelf");
    await expectDisposed(helper);
  });

  it("managed code may dispose a reference JS never passed back; JS's table learns it at the next use", async () => {
    const stored = call<Helper>("StoreNew", "disposed by managed code");
    const { trackedObjects, jsReferences } = assembly.diagnostics();
    call("DisposeStored");
    expect(call("StoredIsDisposed")).toBe(true);
    expect(assembly.diagnostics().trackedObjects).toBe(trackedObjects - 1);
    expectInteropError(thrownError(() => stored.invokeMethod("SayHello")), noTrackedObject(stored.id));
    expect(assembly.diagnostics().jsReferences).toBe(jsReferences - 1);
    // Disposing from JS as well is harmless.
    stored.dispose();
    expect(assembly.diagnostics()).toMatchObject({ trackedObjects: trackedObjects - 1, jsReferences: jsReferences - 1 });
    await expectDisposed(stored);
  });

  it("an abort inside an instance method does not dispose the reference", () => {
    const helper = create();
    const error = thrownError(() => helper.invokeMethod("Fail", "boom"));
    expect(error).toBeInstanceOf(ManagedError);
    expect((error as ManagedError).managedMessage).toBe("boom");
    expect(helper.invokeMethod("SayHello")).toBe("Hello, Blazor!");
  });

  describe("forged and foreign references are a clear error, never another object", () => {
    const EXPECTED = `expected a DotNetObjectReference<HelloHelper> obtained from assembly '${NAME}'`;

    it.each([
      ["a plain object with a live id", () => ({ id: 1 })],
      ["an object copying a live reference's members", (live: Helper) => ({ ...live, id: live.id, invokeMethod: live.invokeMethod })],
      ["an object made from DotNetObject's prototype", () => Object.create(DotNetObject.prototype) as object],
      ["an object inheriting from a live reference", (live: Helper) => Object.create(live) as object],
      ["a number (the id itself)", (live: Helper) => live.id],
      ["a string", () => "1"],
      ["a function", () => () => 1],
      ["a delegate", () => call("Doubler")],
    ])("%s", (_, forge) => {
      const live = call<Helper>("StoreNew", "victim");
      const forged = forge(live);
      const { trackedObjects } = assembly.diagnostics();
      for (const method of ["NameOf", "DisposeIt", "IsStored"]) {
        expectArgumentError(thrownError(() => call(method, forged)), method, 1, "helper", EXPECTED);
      }
      expectArgumentError(thrownError(() => live.invokeMethod("IsSame", forged)), "IsSame", 1, "other", EXPECTED);
      // Nothing reached the live object: it is neither disposed nor changed.
      expect(assembly.diagnostics().trackedObjects).toBe(trackedObjects);
      expect(live.invokeMethod("SayHello")).toBe("Hello, victim!");
      live.dispose();
    });

    it("null or undefined for a reference that is not nullable", () => {
      for (const value of [null, undefined]) {
        expectArgumentError(thrownError(() => call("NameOf", value)), "NameOf", 1, "helper", /expected (a )?DotNetObjectReference<HelloHelper>/);
      }
    });

    it("a reference to an object of another class", () => {
      const helper = create();
      const other = call<OtherRef>("CreateOther", "other");
      expectArgumentError(
        thrownError(() => call("NameOf", other)),
        "NameOf",
        1,
        "helper",
        "expected a DotNetObjectReference<HelloHelper>, got a DotNetObjectReference<Other>",
      );
      expectArgumentError(
        thrownError(() => call("LabelOf", helper)),
        "LabelOf",
        1,
        "other",
        "expected a DotNetObjectReference<Other>, got a DotNetObjectReference<HelloHelper>",
      );
      expect(call("LabelOf", other)).toBe("other");
      expect(call("NameOf", helper)).toBe("Blazor");
    });

    it("behind the host's check, the managed side refuses another class's id too, naming the class it expected", () => {
      const helper = create();
      const other = call<OtherRef>("CreateOther", "other");
      const helperClass = Object.values(assembly.manifest.classes).find((c) => c.displayName === "HelloHelper")!;
      const exports = assembly.instance.exports as Record<string, (...args: number[]) => unknown>;
      const sayHello = exports[helperClass.methods.find((m) => m.identifier === "SayHello")!.exportName];
      const error = thrownError(() => assembly.boundary.run(() => sayHello(other.id)));
      expectInteropError(error, `The tracked object with id '${other.id}' is not a DotNetObjectReference<HelloHelper>.`);
      expect(helper.invokeMethod("SayHello")).toBe("Hello, Blazor!");
      expect(other.invokeMethod("SayHello")).toBe("Hello from other");
    });

    it("a reference from another assembly, or from the same assembly in another runtime, with the same id", async () => {
      // Two fresh instances of the same module: their first references both get id 1.
      const a = await freshAssembly("A");
      const b = await freshAssembly("B");
      const sameRuntimeB = await a.runtime.loadAssembly(fixture.module, { name: "B" });
      const fromA = a.runtime.invokeMethod<Helper>("A", "CreateHelloHelper", "from A");
      const fromB = b.runtime.invokeMethod<Helper>("B", "CreateHelloHelper", "from B");
      const fromSameRuntimeB = a.runtime.invokeMethod<Helper>("B", "CreateHelloHelper", "from A's B");
      expect([fromA.id, fromB.id, fromSameRuntimeB.id]).toEqual([1, 1, 1]);

      const foreign = (into: InteropRuntime, name: string, value: Helper) => {
        for (const method of ["NameOf", "DisposeIt"]) {
          expectArgumentError(
            thrownError(() => into.invokeMethod(name, method, value)),
            method,
            1,
            "helper",
            `expected a DotNetObjectReference<HelloHelper> obtained from assembly '${name}'`,
          );
        }
      };
      foreign(a.runtime, "A", fromB);
      foreign(a.runtime, "A", fromSameRuntimeB);
      foreign(b.runtime, "B", fromA);
      foreign(a.runtime, "B", fromA);
      foreign(a.runtime, "B", fromB);
      // Each still reaches its own object only.
      expect(a.runtime.invokeMethod("A", "NameOf", fromA)).toBe("from A");
      expect(b.runtime.invokeMethod("B", "NameOf", fromB)).toBe("from B");
      expect(a.runtime.invokeMethod("B", "NameOf", fromSameRuntimeB)).toBe("from A's B");
      for (const loaded of [a.assembly, b.assembly, sameRuntimeB]) expect(loaded.diagnostics().trackedObjects).toBe(1);
    });
  });
});

describe("finalization (a child `node --expose-gc` process)", () => {
  interface Observations {
    start: AssemblyDiagnostics;
    withKept: AssemblyDiagnostics;
    afterDropping: AssemblyDiagnostics;
    rounds: number;
    afterCollecting: AssemblyDiagnostics;
    keptWorks: unknown;
    keptIdentity: boolean;
    keptDoublerWorks: unknown;
    keptDoublerIdentity: boolean;
    staleFinalizer: { ok: boolean; result?: unknown; error?: string };
    staleDelegate: { ok: boolean; result?: unknown; error?: string };
    managedKeeps: { ok: boolean; result?: unknown; error?: string };
    end: AssemblyDiagnostics;
    keptDoublerStillWorks: unknown;
  }
  let observed: Observations;
  let directory: string;
  const counts = ({ trackedObjects, jsReferences }: AssemblyDiagnostics) => ({ trackedObjects, jsReferences });

  // The child compiles nothing, but a loaded two-core machine may be slow to start it.
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "as-interop-gc-"));
    const wasm = join(directory, "references.wasm");
    writeFileSync(wasm, fixture.binary);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--expose-gc", "--import", "tsx", join(ROOT, "test/references.gc-child.ts"), wasm],
      { cwd: ROOT, timeout: 240_000 },
    );
    observed = JSON.parse(stdout.trim().split("\n").at(-1)!) as Observations;
  }, 300_000);

  afterAll(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("releases, on both sides, references and delegates JS dropped without disposing", () => {
    const { start, withKept, afterDropping, afterCollecting } = observed;
    expect(counts(start)).toEqual({ trackedObjects: 0, jsReferences: 0 });
    expect(counts(withKept)).toEqual({ trackedObjects: 2, jsReferences: 2 });
    // 1000 references and two delegates (each managed function is tracked once, however often it is returned).
    expect(counts(afterDropping)).toEqual({ trackedObjects: 1002 + 2, jsReferences: 1002 + 2 });
    expect(counts(afterCollecting)).toEqual(counts(withKept));
    expect(observed.rounds).toBeLessThan(40);
  });

  it("never releases what JS still holds: it keeps working, with the same identity", () => {
    expect(observed.keptWorks).toBe("Hello, kept!");
    expect(observed.keptIdentity).toBe(true);
    expect(observed.keptDoublerWorks).toBe(42);
    expect(observed.keptDoublerIdentity).toBe(true);
    expect(observed.keptDoublerStillWorks).toBe(4);
    // At the end only the delegate JS still holds is tracked.
    expect(counts(observed.end)).toEqual({ trackedObjects: 1, jsReferences: 1 });
  });

  it("a reference collected but not yet finalized, handed out again, is not released by the old object's finalizer", () => {
    expect(observed.staleFinalizer).toEqual({ ok: true, result: [true, "Hello, stale!"] });
  });

  it("a delegate collected but not yet finalized, handed out again, is not released by the old function's finalizer", () => {
    expect(observed.staleDelegate).toEqual({ ok: true, result: "Hi again" });
  });

  it("a reference managed code keeps works again after JS's object for it was collected: released, not disposed (Blazor's objRef pattern)", () => {
    // Released when JS's object was collected; not disposed; handed out again it works, as one JS object.
    expect(observed.managedKeeps).toEqual({ ok: true, result: [true, true, false, "Hello, kept by managed code!", true, "kept by managed code"] });
  });
});

describe("instance methods", () => {
  it("are invoked by their name or by the decorator's identifier, synchronously or as a promise", async () => {
    const helper = create();
    expect(helper.invokeMethod("SayHello")).toBe("Hello, Blazor!");
    expect(await helper.invokeMethodAsync("SayHello")).toBe("Hello, Blazor!");
    expect(helper.invokeMethod("Rename", "Renamed")).toBeNull(); // void: null, as in Blazor
    expect(helper.Name).toBe("Renamed");
    await helper.invokeMethodAsync("Rename", "Again");
    expect(call("NameOf", helper)).toBe("Again");
    expect(helper.invokeMethod("Add", 2, 3)).toBe(5);
  });

  it("an unknown identifier fails with Blazor's message; the method's own name is not its identifier", async () => {
    const helper = create();
    // Between calls of a method it has, so that the one just called is never mistaken for another.
    expect(helper.invokeMethod("SayHello")).toBe("Hello, Blazor!");
    for (const identifier of ["Nope", "rename", "sayHello", "CreateHelloHelper", "Count", "Name", ""]) {
      expectInteropError(thrownError(() => helper.invokeMethod(identifier)), noMethodOnType("HelloHelper", identifier));
      expectInteropError(await rejection(helper.invokeMethodAsync(identifier)), noMethodOnType("HelloHelper", identifier));
      expect(helper.invokeMethod("SayHello")).toBe("Hello, Blazor!");
    }
    const other = call<OtherRef>("CreateOther", "x");
    expectInteropError(thrownError(() => other.invokeMethod("Add", 1, 2)), noMethodOnType("Other", "Add"));
  });

  it("are not invokable by assembly, and static ones are not invokable on a reference", () => {
    expectInteropError(
      thrownError(() => call("SayHello")),
      `The assembly '${NAME}' does not contain a public invokable method with [JSInvokableAttribute("SayHello")].`,
    );
    expectInteropError(thrownError(() => create().invokeMethod("RegistryCreate", "x")), noMethodOnType("HelloHelper", "RegistryCreate"));
  });

  it("the same identifier in two classes calls each class's own method", () => {
    const a = create("A");
    const b = call<OtherRef>("CreateOther", "B");
    for (let i = 0; i < 3; ++i) {
      expect(a.invokeMethod("SayHello")).toBe("Hello, A!");
      expect(b.invokeMethod("SayHello")).toBe("Hello from B");
      expect(a.invokeMethod("Add", i, 1)).toBe(i + 1);
    }
  });

  it("check the argument count with Blazor's message", async () => {
    const helper = create();
    expectInteropError(thrownError(() => helper.invokeMethod("Add", 1)), "The call to 'Add' expects '2' parameters, but received '1'.");
    expectInteropError(thrownError(() => helper.invokeMethod("Add", 1, 2, 3)), "The call to 'Add' expects '2' parameters, but received '3'.");
    // A method without parameters ignores arguments, as Blazor's dispatcher does.
    expect(helper.invokeMethod("SayHello", 1)).toBe(helper.invokeMethod("SayHello"));
    await expect(helper.invokeMethodAsync("SayHello", "extra", 2)).resolves.toBe(helper.invokeMethod("SayHello"));
    expectInteropError(
      await rejection(helper.invokeMethodAsync("Rename")),
      "The call to 'Rename' expects '1' parameters, but received '0'.",
    );
  });

  it("convert each argument, naming it when it cannot be converted, before managed code runs", async () => {
    const helper = create();
    expectArgumentError(
      thrownError(() => helper.invokeMethod("Add", 1, 1.5)),
      "Add",
      2,
      "b",
      "expected i32 (an integer from -2147483648 to 2147483647), got number 1.5.",
    );
    expectArgumentError(await rejection(helper.invokeMethodAsync("Add", "1", 2)), "Add", 1, "a", /expected i32/);
    expectArgumentError(thrownError(() => helper.invokeMethod("Rename", 5)), "Rename", 1, "name", "expected a string, got number 5");
    expectArgumentError(thrownError(() => helper.invokeMethod("Scale", { x: 1 }, 2)), "Scale", 1, "p", /\.y/);
    expect(helper.Name).toBe("Blazor");
    expect(helper.Count).toBe(0);
  });

  it("a reference passed where a value (a @dataMember class, a map) is expected is Blazor's error, not a copy of its members", () => {
    const other = call<OtherRef>("CreateOther", "shared label");
    expect(call("LabelText", { label: "plain" }, { a: "1" })).toBe("plain;a");
    expect(call("LabelText", null, {})).toBe("none;");
    const refused = (args: unknown[]) => thrownError(() => call("LabelText", ...args));
    expectInteropError(
      refused([other, {}]),
      "In call to 'LabelText', parameter of type 'Labeled' at index 1 must be declared as type 'DotNetObjectReference<Labeled>' to receive the incoming value.",
    );
    expectInteropError(
      refused([null, other]),
      "In call to 'LabelText', parameter of type 'Map<string, string>' at index 2 must be declared as type 'DotNetObjectReference<Map<string, string>>' to receive the incoming value.",
    );
    other.dispose();
  });

  it("return and take values of every kind: structs, arrays, typed arrays", () => {
    const helper = create("Ada");
    expect(helper.invokeMethod("Move", 1, 2)).toEqual({ x: 1, y: 2 });
    expect(helper.invokeMethod("Move", 10, -5)).toEqual({ x: 11, y: -3 });
    expect(helper.Where).toEqual({ x: 11, y: -3 });
    expect(helper.invokeMethod("Scale", { x: 2, y: -3 }, 4)).toEqual({ x: 8, y: -12 });
    expect(helper.invokeMethod("Letters")).toEqual(["A", "d", "a"]);
    const squares = helper.invokeMethod<Int32Array>("Squares", 5);
    expect(squares).toBeInstanceOf(Int32Array);
    expect([...squares]).toEqual([0, 1, 4, 9, 16]);
  });

  it("return other references: of another class, and of the object itself", () => {
    const helper = create("Ada");
    const friend = helper.invokeMethod<OtherRef>("Friend");
    expect(friend).toBeInstanceOf(DotNetObject);
    expect(friend.label).toBe("Ada's friend");
    expect(friend.invokeMethod("SayHello")).toBe("Hello from Ada's friend");
    expect(call("LabelOf", friend)).toBe("Ada's friend");
    expect(helper.invokeMethod("Self")).toBe(helper);
    // The friend lives on its own: disposing the helper's reference leaves it usable.
    helper.dispose();
    expect(friend.invokeMethod("SayHello")).toBe("Hello from Ada's friend");
    friend.dispose();
    expectInteropError(thrownError(() => friend.invokeMethod("SayHello")), noTrackedObject(friend.id));
  });

  it("return delegates", () => {
    const helper = create();
    const format = helper.invokeMethod<(n: number) => string>("Formatter");
    expect(format(7)).toBe("count is 7");
  });

  it("static class methods are invoked by assembly, as functions are", async () => {
    const before = call<number>("Count");
    const made = call<Helper>("RegistryCreate", "from a static method");
    expect(made.invokeMethod("SayHello")).toBe("Hello, from a static method!");
    expect(await runtime.DotNet.invokeMethodAsync(NAME, "Count")).toBe(before + 1);
    expect(await runtime.DotNet.invokeMethodAsync<Helper>(NAME, "RegistryCreate", "async")).toBeInstanceOf(DotNetObject);
    expect(call("Count")).toBe(before + 2);
    expectInteropError(
      thrownError(() => call("Create", "x")),
      `The assembly '${NAME}' does not contain a public invokable method with [JSInvokableAttribute("Create")].`,
    );
  });
});

describe("scriptable members", () => {
  it("read each field by its row of the marshaling table", () => {
    const helper = create("Ada");
    expect(helper.Name).toBe("Ada");
    expect(helper.Greeting).toBe("Hello");
    expect(helper.Count).toBe(0);
    expect(helper.Ratio).toBe(0.5);
    expect(helper.Flag).toBe(false);
    expect(helper.Nickname).toBeNull();
    expect(helper.Where).toEqual({ x: 0, y: 0 });
    expect(helper.Tags).toEqual([]);
    expect(typeof helper.Describe).toBe("function");
    expect(helper.Describe(2)).toBe("count is 2");
  });

  it("read what managed code changed, and managed code sees what JS wrote", () => {
    const helper = create("Ada");
    helper.invokeMethod("SayHello");
    helper.invokeMethod("SayHello");
    expect(helper.Count).toBe(2);
    helper.invokeMethod("Rename", "Grace");
    expect(helper.Name).toBe("Grace");

    helper.Name = "Linus";
    helper.Count = 40;
    helper.Ratio = -1.25;
    helper.Flag = true;
    helper.Nickname = "nick";
    helper.Where = { x: 3, y: 4 };
    helper.Tags = ["x", "y"];
    expect(helper.invokeMethod("SayHello")).toBe("Hello, Linus!");
    expect(helper.Count).toBe(41);
    expect(call("NameOf", helper)).toBe("Linus");
    expect(helper.invokeMethod("Move", 1, 1)).toEqual({ x: 4, y: 5 });
    expect([helper.Ratio, helper.Flag, helper.Nickname, helper.Tags]).toEqual([-1.25, true, "nick", ["x", "y"]]);
    helper.Nickname = null;
    expect(helper.Nickname).toBeNull();
    // A read is a copy: changing it changes nothing managed.
    helper.Where.x = 100;
    helper.Tags.push("z");
    expect(helper.Where).toEqual({ x: 4, y: 5 });
    expect(helper.Tags).toEqual(["x", "y"]);
  });

  it.each([
    ["Count", "1.5", 1.5, "expected i32 (an integer from -2147483648 to 2147483647), got number 1.5."],
    ["Count", '"3"', "3", /expected i32/],
    ["Count", "2 ** 31", 2 ** 31, "got number 2147483648."],
    ["Name", "5", 5, "expected a string, got number 5."],
    ["Name", "null", null, /expected a string/],
    ["Flag", "1", 1, /expected a boolean/],
    ["Ratio", '"0.5"', "0.5", /expected/],
    ["Where", "{ x: 1 }", { x: 1 }, /\.y/],
    ["Where", "null", null, "expected Point (it is not nullable), got null."],
    ["Tags", '["a", 2]', ["a", 2], "at [1]: expected a string, got number 2."],
    ["Describe", "a JS function", (n: number) => String(n), /function/],
  ] as const)("refuse a wrong type on set (%s = %s), leaving the field unchanged", (field, _, value, detail) => {
    const helper = create("Ada");
    helper.Tags = ["kept"];
    const before = loose(helper)[field];
    const error = thrownError(() => {
      loose(helper)[field] = value;
    });
    expectArgumentError(error, `HelloHelper.${field}`, 1, "value", detail);
    expect(loose(helper)[field]).toEqual(before);
    if (field === "Describe") expect(loose(helper)[field]).toBe(before);
  });

  it("a readonly field is read-only (TypeError) and unchanged", () => {
    const helper = create();
    const error = thrownError(() => (loose(helper).Greeting = "Bye"));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe("'Greeting' of HelloHelper is read-only.");
    expect(thrownError(() => Reflect.set(helper, "Greeting", "Bye"))).toBeInstanceOf(TypeError);
    expect(helper.Greeting).toBe("Hello");
    // Scriptable members are accessors: each read and write goes to the managed field.
    const greeting = Object.getOwnPropertyDescriptor(helper, "Greeting")!;
    expect(greeting).toMatchObject({ enumerable: true, configurable: false });
    expect(greeting.get!.call(helper)).toBe("Hello");
    expect(Object.getOwnPropertyDescriptor(helper, "Name")).toMatchObject({ enumerable: true, configurable: false });
  });

  it("anything else reads as undefined; writing or defining it is a TypeError, deleting it changes nothing", () => {
    const helper = create();
    const object = loose(helper);
    expect(object.Nope).toBeUndefined();
    expect(object.Secret).toBeUndefined(); // a field, but not scriptable
    expect(object.friend).toBeUndefined();
    expect(object.rename).toBeUndefined(); // a method, not a property
    expect(thrownError(() => (object.Nope = 1))).toBeInstanceOf(TypeError);
    expect(thrownError(() => (object.Secret = "exposed"))).toBeInstanceOf(TypeError);
    expect(thrownError(() => (object.invokeMethod = () => 0))).toBeInstanceOf(TypeError);
    expect(thrownError(() => (object.id = 99))).toBeInstanceOf(TypeError);
    expect(thrownError(() => Object.defineProperty(helper, "Nope", { value: 1 }))).toBeInstanceOf(TypeError);
    expect(thrownError(() => Object.defineProperty(helper, "Name", { value: "x" }))).toBeInstanceOf(TypeError);
    expect(thrownError(() => (object.Nope = 1)).message).toBe(
      "'Nope' is not a scriptable member of HelloHelper; only its @scriptableMember fields and properties can be set.",
    );
    expect(thrownError(() => delete object.Name)).toBeInstanceOf(TypeError);
    // Not own properties of the reference (`dispose` is its prototype's): nothing to delete.
    expect(delete object.Nope).toBe(true);
    expect(delete object.dispose).toBe(true);
    // Nothing changed on either side.
    expect(object.Nope).toBeUndefined();
    expect(helper.invokeMethod("SecretValue")).toBe("hidden");
    expect(helper.Name).toBe("Blazor");
    expect(typeof helper.invokeMethod).toBe("function");
    expect(typeof helper.dispose).toBe("function");
    expect(helper.invokeMethod("SayHello")).toBe("Hello, Blazor!");
  });

  it("`in` sees the scriptable members and the reference's own members, nothing else", () => {
    const helper = create();
    for (const key of ["Name", "Greeting", "Count", "Where", "Tags", "Describe", "invokeMethod", "invokeMethodAsync", "dispose", "id"]) {
      expect(key in helper, key).toBe(true);
    }
    expect(Symbol.dispose in helper).toBe(true);
    for (const key of ["Secret", "friend", "Nope", "SayHello", "rename"]) expect(key in helper, key).toBe(false);
  });

  it("Object.keys and spreading list the scriptable members only", () => {
    const helper = create("Ada");
    const members = ["Name", "Greeting", "Count", "Ratio", "Flag", "Nickname", "Where", "Tags", "Describe"];
    expect(Object.keys(helper)).toEqual(members);
    const spread = { ...helper } as Record<string, unknown>;
    expect(Object.keys(spread)).toEqual(members);
    expect(spread).toMatchObject({ Name: "Ada", Greeting: "Hello", Count: 0, Where: { x: 0, y: 0 }, Tags: [] });
    expect(JSON.parse(JSON.stringify(helper))).toEqual({
      Name: "Ada",
      Greeting: "Hello",
      Count: 0,
      Ratio: 0.5,
      Flag: false,
      Nickname: null,
      Where: { x: 0, y: 0 },
      Tags: [],
    });
    expect(Object.keys(call<OtherRef>("CreateOther", "o"))).toEqual(["label"]);
  });

  it("`instanceof DotNetObject` tells a reference from any other value", () => {
    const helper = create();
    expect(helper).toBeInstanceOf(DotNetObject);
    expect(helper.invokeMethod("Friend")).toBeInstanceOf(DotNetObject);
    // Blazor's module exports the class too: `value instanceof DotNet.DotNetObject`.
    expect(runtime.DotNet.DotNetObject).toBe(DotNetObject);
    expect(helper instanceof runtime.DotNet.DotNetObject).toBe(true);
    helper.dispose();
    expect(helper instanceof DotNetObject).toBe(true); // still a reference, if a dead one
    for (const value of [{}, { id: 1 }, Object.create(DotNetObject.prototype), call("Doubler"), null, 1, "x"]) {
      expect(value instanceof DotNetObject).toBe(false);
    }
  });

  it("a scriptable member of another class", () => {
    const other = call<OtherRef>("CreateOther", "before");
    other.label = "after";
    expect(other.invokeMethod("SayHello")).toBe("Hello from after");
    expect(call("LabelOf", other)).toBe("after");
  });
});

describe("the JS object: one shape per class, shared and frozen", () => {
  const MEMBERS = ["Name", "Greeting", "Count", "Ratio", "Flag", "Nickname", "Where", "Tags", "Describe"];

  it("every reference to a class shares one frozen prototype; writing to it changes no other reference, nor the host", () => {
    const a = create("a");
    const b = create("b");
    const prototype = Object.getPrototypeOf(a) as Record<PropertyKey, unknown>;
    expect(Object.getPrototypeOf(b)).toBe(prototype);
    expect(Object.getPrototypeOf(prototype)).toBe(DotNetObject.prototype);
    for (const shared of [a, prototype, DotNetObject.prototype, DotNetObject]) expect(Object.isFrozen(shared)).toBe(true);
    const methods = loose(DotNetObject.prototype);
    const evil = () => "evil";
    const attempts: [string, () => unknown][] = [
      ["assign a method on the class's prototype", () => (prototype.invokeMethod = evil)],
      ["assign a method on DotNetObject.prototype", () => (methods.invokeMethod = evil)],
      ["add a key to the class's prototype", () => (prototype.extra = 1)],
      ["define a member on the class's prototype", () => Object.defineProperty(prototype, "Name", { get: evil })],
      ["delete a method", () => delete methods.invokeMethod],
      ["replace the class's prototype's prototype", () => Object.setPrototypeOf(prototype, null)],
      ["replace a reference's prototype", () => Object.setPrototypeOf(a, {})],
      ["assign __proto__", () => (loose(a).__proto__ = {})],
      ["replace instanceof", () => Object.defineProperty(DotNetObject, Symbol.hasInstance, { value: () => true })],
      ["replace a reference's accessor", () => Object.defineProperty(a, "Name", { get: evil })],
    ];
    for (const [what, attempt] of attempts) expect(thrownError(attempt), what).toBeInstanceOf(TypeError);
    expect(b.invokeMethod("SayHello")).toBe("Hello, b!");
    expect(b.Name).toBe("b");
    expect(loose(b).extra).toBeUndefined();
    expect(Object.getPrototypeOf(a)).toBe(prototype);
    expect({} instanceof DotNetObject).toBe(false);
    a.dispose();
    b.dispose();
  });

  it("`constructor` is DotNetObject, which makes no reference: JavaScript cannot forge one", () => {
    const helper = create();
    expect(helper.constructor).toBe(DotNetObject);
    const Constructor = DotNetObject as unknown as new (...args: unknown[]) => object;
    class Forged extends (DotNetObject as unknown as new (...args: unknown[]) => object) {
      constructor() {
        super(Symbol("DotNetObject"), helper.id, {});
      }
    }
    for (const forge of [
      () => new Constructor(),
      () => new Constructor(Symbol("DotNetObject"), helper.id, { table: {}, owner: {} }),
      () => Reflect.construct(Constructor, [Symbol.for("DotNetObject"), helper.id, {}]),
      () => new Forged(),
    ]) {
      const error = thrownError(forge);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^Illegal constructor: a DotNetObject comes from managed code/);
    }
    expect(helper.invokeMethod("SayHello")).toBe("Hello, Blazor!");
  });

  it("a class's accessors are shared by its references, never by another class's", () => {
    const helper = create();
    const other = call<OtherRef>("CreateOther", "o");
    const name = Object.getOwnPropertyDescriptor(helper, "Name")!;
    const label = Object.getOwnPropertyDescriptor(other, "label")!;
    expect(Object.getOwnPropertyDescriptor(create(), "Name")!.get).toBe(name.get);
    expect(Object.getOwnPropertyDescriptor(create(), "Name")!.set).toBe(name.set);
    expect(name.get).not.toBe(label.get);
    expect(name.set).not.toBe(label.set);
    expect(Object.getOwnPropertyDescriptor(helper, "Count")!.get).not.toBe(name.get);
    helper.dispose();
    other.dispose();
  });

  it("a member called on anything but a reference of its class and instance is a TypeError, and reaches nothing", async () => {
    const helper = create("mine");
    const other = call<OtherRef>("CreateOther", "o");
    const { runtime: foreignRuntime } = await freshAssembly(`${NAME}Foreign`);
    const foreign = foreignRuntime.invokeMethod<Helper>(`${NAME}Foreign`, "CreateHelloHelper", "foreign");
    const { get, set } = Object.getOwnPropertyDescriptor(helper, "Name")!;
    const wrongClass =
      "This member belongs to the references to HelloHelper; it was called on a reference to Other (of another class, or of another instance of the assembly).";
    expect(thrownError(() => get!.call(other)).message).toBe(wrongClass);
    expect(thrownError(() => set!.call(other, "x")).message).toBe(wrongClass);
    // The same class in another instance of the assembly: its ids mean other objects.
    for (const attempt of [() => get!.call(foreign), () => set!.call(foreign, "x")]) {
      const error = thrownError(attempt);
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(/^This member belongs to the references to HelloHelper; it was called on a reference to HelloHelper/);
    }
    // Not a reference at all: an object inheriting from one, a copy of its members.
    const heir = Object.create(helper) as Helper;
    for (const attempt of [
      () => get!.call({}),
      () => heir.Name,
      () => (heir.Name = "x"),
      () => heir.invokeMethod("SayHello"),
      () => heir.dispose(),
      () => ({ ...helper, invokeMethod: helper.invokeMethod }).invokeMethod("SayHello"),
    ]) {
      expect(thrownError(attempt)).toBeInstanceOf(TypeError);
    }
    expect([helper.Name, other.label, foreign.Name]).toEqual(["mine", "o", "foreign"]);
    expect(foreign.invokeMethod("SayHello")).toBe("Hello, foreign!");
    helper.dispose();
    other.dispose();
  });

  it("a disposed reference keeps its shape: Object.keys lists its members, and reading one is Blazor's error", () => {
    const helper = create();
    helper.dispose();
    expect(Object.keys(helper)).toEqual(MEMBERS);
    const message = noTrackedObject(helper.id);
    expectInteropError(thrownError(() => ({ ...helper })), message);
    expectInteropError(thrownError(() => JSON.stringify(helper)), message);
    // What reads no member still works: printing it, `in`, instanceof.
    expect(String(helper)).toBe("[object Object]");
    expect(inspect(helper)).toContain("[Getter/Setter]");
    expect("Name" in helper && "invokeMethod" in helper).toBe(true);
    expect(helper).toBeInstanceOf(DotNetObject);
  });

  it("Object.preventExtensions, freeze and seal change nothing (it is frozen already); setPrototypeOf is a TypeError", () => {
    const helper = create("kept");
    const prototype = Object.getPrototypeOf(helper);
    expect(Object.isExtensible(helper)).toBe(false);
    expect(Object.isFrozen(helper)).toBe(true);
    for (const harmless of [Object.preventExtensions, Object.freeze, Object.seal]) expect(harmless(helper)).toBe(helper);
    expect(Reflect.preventExtensions(helper)).toBe(true);
    expect(() => Object.setPrototypeOf(helper, {})).toThrow(TypeError);
    expect(Reflect.setPrototypeOf(helper, null)).toBe(false);
    expect(Object.getPrototypeOf(helper)).toBe(prototype);
    // Frozen, yet live: its members are accessors to the managed fields.
    helper.Name = "changed";
    expect(helper.invokeMethod("SayHello")).toBe("Hello, changed!");
    expect(Object.keys(helper)).toEqual(MEMBERS);
    helper.dispose();
  });
});

describe("delegates", () => {
  it("a managed function returned to JS is a JS function; call, apply and bind work", () => {
    const double = call<(x: number) => number>("Doubler");
    expect(typeof double).toBe("function");
    expect(double).toBeInstanceOf(Function);
    expect(double(21)).toBe(42);
    expect(double.call(null, 5)).toBe(10);
    expect(double.call({ unrelated: true }, 6)).toBe(12);
    expect(double.apply(null, [7])).toBe(14);
    expect(Reflect.apply(double, undefined, [8])).toBe(16);
    expect(double.bind(null, 4)()).toBe(8);
    expect([1, 2, 3].map((x) => double(x))).toEqual([2, 4, 6]);
  });

  it("the same managed function gives the same JS function", () => {
    const double = call("Doubler");
    expect(call("Doubler")).toBe(double);
    const helper = create();
    expect(helper.invokeMethod("Formatter")).toBe(helper.Describe);
    expect(create().Describe).toBe(helper.Describe);
    expect(call("Greeter")).not.toBe(double);
  });

  it("arguments and results convert by their rows: strings and structs", () => {
    expect(call<(name: string) => string>("Greeter")("Bob")).toBe("Hi Bob");
    expect(call<(x: number, y: number) => Point>("PointMaker")(3, -4)).toEqual({ x: 3, y: -4 });
    expect(call<(p: Point) => number>("PointSummer")({ x: 3, y: 4 })).toBe(7);
  });

  it("a wrong argument, or a wrong count, is an error naming it", () => {
    const double = call<(...args: unknown[]) => number>("Doubler");
    const detail = "expected i32 (an integer from -2147483648 to 2147483647), got number 1.5.";
    expectArgumentError(thrownError(() => double(1.5)), "(x: i32) => i32", 1, "x", detail);
    expectArgumentError(thrownError(() => double.apply(null, [1.5])), "(x: i32) => i32", 1, "x", detail);
    expectArgumentError(thrownError(() => double("2")), "(x: i32) => i32", 1, "x", /expected i32/);
    expectInteropError(thrownError(() => double()), "The call to '(x: i32) => i32' expects '1' parameters, but received '0'.");
    expectInteropError(thrownError(() => double(1, 2)), "The call to '(x: i32) => i32' expects '1' parameters, but received '2'.");
    const greet = call<(...args: unknown[]) => string>("Greeter");
    expect(thrownError(() => greet(5)).message).toContain("argument 1 ('name') could not be converted: expected a string, got number 5");
    const sum = call<(...args: unknown[]) => number>("PointSummer");
    expect(thrownError(() => sum({ x: 1 }))).toBeInstanceOf(InteropError);
    expect(double(2)).toBe(4);
  });
});

describe("generic classes (Blazor's GenericType<TValue>)", () => {
  /** What JS sees of test/fixtures/references.ts's GenericType<T>. */
  interface Box<T> extends DotNetObject {
    invokeMethod<R = unknown>(identifier: string, ...args: unknown[]): R;
    invokeMethodAsync<R = unknown>(identifier: string, ...args: unknown[]): Promise<R>;
    dispose(): void;
    readonly id: number;
    Value: T;
    readonly Values: T[];
    readonly Describe: (n: number) => string;
  }

  it("a closed instantiation's @jsInvokable methods work, as Blazor's do on GenericType<string>", async () => {
    const box = call<Box<string>>("CreateStringBox", "Initial value");
    expect(box).toBeInstanceOf(DotNetObject);
    expect(box.invokeMethod("Get")).toBe("Initial value");
    expect(box.invokeMethod("Update", "Updated value 1")).toBeNull();
    expect(box.Value).toBe("Updated value 1");
    await expect(box.invokeMethodAsync("UpdateAsync", "Updated value 2")).resolves.toBeNull();
    expect(box.invokeMethod("Get")).toBe("Updated value 2");
    expect(box.invokeMethod("Both", "other")).toEqual(["Updated value 2", "other"]);
    await expect(box.invokeMethodAsync("Later")).resolves.toBe("Updated value 2");
    expect(box.invokeMethod("TypeName")).toBe("String");
    expect(call("StringBoxValue", box)).toBe("Updated value 2");
    box.dispose();
  });

  it("its @scriptableMember fields, delegates, references and views are the instantiation's", () => {
    const box = call<Box<string>>("CreateStringBox", "a");
    box.Value = "b";
    expect(box.invokeMethod("Get")).toBe("b");
    expect(box.invokeMethod("Self")).toBe(box); // the same JS object for the same reference
    expect(box.invokeMethod<(n: number) => string>("Formatter")(3)).toBe("count is 3");
    expect(box.Describe(4)).toBe("count is 4");
    const view = box.invokeMethod<string[]>("View");
    view.push("x", "y");
    expect([...box.Values]).toEqual(["x", "y"]);
    expect(Object.keys(box)).toEqual(["Value", "Values", "Describe"]);
    box.dispose();
  });

  it("each closed instantiation is a class of its own in the manifest, with its own exports", () => {
    const classes = Object.values(assembly.manifest.classes).filter((c) => c.displayName.startsWith("GenericType") || c.displayName.startsWith("Pair"));
    expect(classes.map((c) => c.displayName).sort()).toEqual(["GenericType<Point>", "GenericType<i32>", "GenericType<string>", "Pair<string, Point>"]);
    expect(new Set(classes.map((c) => c.classId)).size).toBe(4);
    const exports = classes.flatMap((c) => c.methods.map((m) => m.exportName));
    expect(new Set(exports).size).toBe(exports.length);
    const ofInt = classes.find((c) => c.displayName === "GenericType<i32>")!;
    expect(ofInt.methods.find((m) => m.identifier === "Get")!.returnType).toEqual({ kind: "i32" });
    expect(ofInt.properties.find((p) => p.name === "Value")!.type).toEqual({ kind: "i32" });
  });

  it("values convert by the instantiation's types: a wrong one is the usual error, naming the argument", () => {
    const ints = call<Box<number>>("CreateIntBox", 7);
    expect(ints.invokeMethod("Get")).toBe(7);
    ints.invokeMethod("Update", -2147483648);
    expect(ints.Value).toBe(-2147483648);
    expectArgumentError(thrownError(() => ints.invokeMethod("Update", "8")), "Update", 1, "newValue", "expected i32");
    expectArgumentError(thrownError(() => ints.invokeMethod("Update", 1.5)), "Update", 1, "newValue", "expected i32");
    expect(() => (ints.Value = 2 ** 40)).toThrow(/expected i32/);
    expect(ints.Value).toBe(-2147483648);

    const points = call<Box<Point>>("CreatePointBox", 1, 2);
    expect(points.invokeMethod("Get")).toEqual({ x: 1, y: 2 });
    points.invokeMethod("Update", { x: 5, y: 6 });
    expect(points.Value).toEqual({ x: 5, y: 6 });
    expect(points.invokeMethod("TypeName")).toBe("Point");
    expectArgumentError(thrownError(() => points.invokeMethod("Update", { x: 5 })), "Update", 1, "newValue", /\.y/);
    ints.dispose();
    points.dispose();
  });

  it("two instantiations are two classes: one's reference is refused where the other's is expected", () => {
    const strings = call<Box<string>>("CreateStringBox", "s");
    const ints = call<Box<number>>("CreateIntBox", 1);
    expectArgumentError(
      thrownError(() => call("StringBoxValue", ints)),
      "StringBoxValue",
      1,
      "box",
      "expected a DotNetObjectReference<GenericType<string>>, got a DotNetObjectReference<GenericType<i32>>",
    );
    expect(call("StringBoxValue", strings)).toBe("s");
    strings.dispose();
    ints.dispose();
  });

  it("a class with two type parameters, one constrained", () => {
    const pair = call<DotNetObject & { invokeMethod(id: string): string; Key: string; readonly At: Point; dispose(): void }>("CreatePair", "k", 3);
    expect(pair.invokeMethod("Describe")).toBe("k at 3,3");
    pair.Key = "key";
    expect(pair.invokeMethod("Describe")).toBe("key at 3,3");
    expect(pair.At).toEqual({ x: 3, y: 3 });
    expect(() => ((pair as unknown as { At: Point }).At = { x: 0, y: 0 })).toThrow(TypeError);
    pair.dispose();
  });

  it("leave nothing tracked once disposed", async () => {
    const { runtime: own, assembly: fresh } = await freshAssembly();
    for (let i = 0; i < 200; ++i) {
      const box = own.invokeMethod<Box<string>>(NAME, "CreateStringBox", `v${i}`);
      box.invokeMethod("Self");
      await box.invokeMethodAsync("UpdateAsync", "w");
      box.dispose();
    }
    expect(fresh.diagnostics()).toMatchObject({ trackedObjects: 0, jsReferences: 0, pendingTasks: 0 });
  });
});

describe("leaks", () => {
  const CYCLES = 100_000;

  it(`after ${CYCLES.toLocaleString("en")} create/call/dispose cycles both tables are back to their starting size`, { timeout: 300_000 }, async () => {
    const own = await freshAssembly();
    const memory = own.assembly.heap.runtime.memory;
    const start = own.assembly.diagnostics();
    const invoke = <T>(method: string, ...args: unknown[]) => own.runtime.invokeMethod<T>(NAME, method, ...args);
    let memoryAfterWarmUp = 0;
    const began = performance.now();
    for (let i = 0; i < CYCLES; i++) {
      const helper = invoke<Helper>("CreateHelloHelper", "cycle");
      helper.invokeMethod("Add", i, 1);
      helper.Name = "renamed";
      if (invoke("NameOf", helper) !== "renamed") throw new Error(`cycle ${i}: the name did not arrive`);
      if (i % 2 === 0) helper.dispose();
      else helper[Symbol.dispose]();
      if (i === CYCLES / 10) memoryAfterWarmUp = memory.buffer.byteLength;
    }
    const elapsed = performance.now() - began;
    expect(own.assembly.diagnostics()).toEqual(start);
    // The managed table's storage is reused: memory does not grow with the number of cycles.
    expect(memory.buffer.byteLength).toBeLessThanOrEqual(memoryAfterWarmUp + 2 ** 20);
    console.log(`${CYCLES} create/call/dispose cycles: ${elapsed.toFixed(0)} ms, memory ${memory.buffer.byteLength / 2 ** 20} MiB`);
  });

  // Fewer: each cycle throws (and so captures a stack trace) once.
  const MANAGED_CYCLES = 20_000;

  it(`after ${MANAGED_CYCLES.toLocaleString("en")} cycles disposed by managed code (and then used by JS) both tables are back too`, { timeout: 300_000 }, async () => {
    const own = await freshAssembly();
    const start = own.assembly.diagnostics();
    const invoke = <T>(method: string, ...args: unknown[]) => own.runtime.invokeMethod<T>(NAME, method, ...args);
    for (let i = 0; i < MANAGED_CYCLES; i++) {
      const helper = invoke<Helper>("CreateHelloHelper", "cycle");
      helper.invokeMethod("SayHello");
      helper.invokeMethod("DisposeSelf");
      try {
        helper.invokeMethod("SayHello");
        throw new Error(`cycle ${i}: a disposed reference still worked`);
      } catch (error) {
        if (!(error instanceof InteropError)) throw error;
      }
    }
    expect(own.assembly.diagnostics()).toEqual(start);
  });
});

describe("compile errors", () => {
  const LIBRARY = 'import { DotNetObjectReference } from "as-interop/assembly/interop";\n';

  function expectError(diagnostics: Diagnostic[], line: number, message: string | RegExp): void {
    expect(diagnostics, diagnostics.map(formatDiagnostic).join("\n")).toHaveLength(1);
    const [d] = diagnostics;
    expect(d.file).toBe("main.ts");
    expect(d.line).toBe(line);
    if (typeof message === "string") expect(d.message).toContain(message);
    else expect(d.message).toMatch(message);
  }

  it.each([
    ["a private method", "class A {\n  @jsInvokable private m(): void {}\n}\n", 2, "@jsInvokable method 'm' must be public, as Blazor requires."],
    ["a protected method", "class A {\n  @jsInvokable protected m(): void {}\n}\n", 2, "@jsInvokable method 'm' must be public, as Blazor requires."],
    ["a getter", "class A {\n  @jsInvokable get x(): i32 { return 1; }\n}\n", 2, "'x' is an accessor, which JavaScript cannot invoke."],
    ["a setter", "class A {\n  @jsInvokable set x(v: i32) {}\n}\n", 2, "'x' is an accessor, which JavaScript cannot invoke."],
    ["a constructor", "class A {\n  @jsInvokable constructor() {}\n}\n", 2, "is a constructor, which JavaScript cannot invoke."],
    ["a field", "class A {\n  @jsInvokable f: i32 = 0;\n}\n", 2, "'f' is a field, which JavaScript cannot invoke."],
    [
      "a static method of a generic class",
      "export class Box<T> {\n  @jsInvokable static Get(): i32 { return 1; }\n}\n",
      2,
      "@jsInvokable method 'Get' is generic (its class is). Calling open generic methods isn't supported",
    ],
    [
      "a generic method of a generic class",
      "export class Box<T> {\n  @jsInvokable Get<U>(): i32 { return 1; }\n}\n",
      2,
      "@jsInvokable method 'Get' is generic. Calling open generic methods isn't supported",
    ],
    [
      "a generic method",
      "export class A {\n  @jsInvokable Get<T>(): i32 { return 1; }\n}\n",
      2,
      "@jsInvokable method 'Get' is generic. Calling open generic methods isn't supported",
    ],
  ])("@jsInvokable on %s", async (_, source, line, message) => {
    expectError(await compileErrors({ "main.ts": source }), line, message);
  });

  it("two instance methods of one class with the same identifier: Blazor's message (the type named without quotes, as there)", async () => {
    const source = "export class Helper {\n  @jsInvokable(\"Go\") a(): void {}\n  @jsInvokable(\"Go\") b(): void {}\n}\n";
    expectError(
      await compileErrors({ "main.ts": source }),
      3,
      "The type Helper contains more than one [JSInvokable] method with identifier 'Go'. All [JSInvokable] methods within " +
        "the same type must have different identifiers. You can pass a custom identifier as a parameter to the " +
        "[JSInvokable] attribute.",
    );
    // A method's name against another's custom identifier.
    const named = "export class Helper {\n  @jsInvokable Go(): void {}\n  @jsInvokable(\"Go\") other(): void {}\n}\n";
    expectError(await compileErrors({ "main.ts": named }), 3, "The type Helper contains more than one [JSInvokable] method with identifier 'Go'.");
    // A generic class, as .NET's Type.Name names it.
    const generic = "export class Box<T> {\n  @jsInvokable Go(): void {}\n  @jsInvokable(\"Go\") other(): void {}\n}\n";
    expectError(await compileErrors({ "main.ts": generic }), 3, "The type Box`1 contains more than one [JSInvokable] method with identifier 'Go'.");
  });

  it("static class methods share the assembly's identifiers with functions", async () => {
    const source = "@jsInvokable export function Go(): void {}\nexport class A {\n  @jsInvokable static Go(): void {}\n}\n";
    expectError(
      await compileErrors({ "main.ts": source }, { assemblyName: "Sample" }),
      3,
      "The assembly 'Sample' contains more than one [JSInvokable] method with identifier 'Go'.",
    );
  });

  it("the same instance identifier in two classes, or as a function's, is fine", async () => {
    const source =
      LIBRARY +
      "export class A {\n  @jsInvokable Go(): i32 { return 1; }\n}\n" +
      "export class B {\n  @jsInvokable(\"Go\") run(): i32 { return 2; }\n}\n" +
      "@jsInvokable export function Go(): i32 { return 3; }\n" +
      "@jsInvokable export function MakeA(): DotNetObjectReference<A> { return DotNetObjectReference.create(new A()); }\n" +
      "@jsInvokable export function MakeB(): DotNetObjectReference<B> { return DotNetObjectReference.create(new B()); }\n";
    const { binary, manifest } = await compileVirtual({ "main.ts": source }, { assemblyName: "Both" });
    expect(Object.values(manifest.classes).map((c) => [c.displayName, c.methods.map((m) => m.identifier)])).toEqual([
      ["A", ["Go"]],
      ["B", ["Go"]],
    ]);
    const own = new InteropRuntime();
    await own.loadAssembly(binary);
    const a = own.invokeMethod<Helper>("Both", "MakeA");
    const b = own.invokeMethod<Helper>("Both", "MakeB");
    expect([a.invokeMethod("Go"), b.invokeMethod("Go"), own.invokeMethod("Both", "Go")]).toEqual([1, 2, 3]);
  });

  it.each([
    ["a static field", "export class A {\n  @scriptableMember static count: i32 = 0;\n}\n", "@scriptableMember field 'count' must be a public instance field."],
    ["a private field", "export class A {\n  @scriptableMember private secret: i32 = 0;\n}\n", "@scriptableMember field 'secret' must be a public instance field."],
    ["a protected field", "export class A {\n  @scriptableMember protected secret: i32 = 0;\n}\n", "@scriptableMember field 'secret' must be a public instance field."],
    // AssemblyScript's parser reports this one before the transform can ("Type expected.").
    ["a field without a type", "export class A {\n  @scriptableMember count = 0;\n}\n", /Type expected|needs an explicit type annotation/],
    ["a method", "export class A {\n  @scriptableMember go(): void {}\n}\n", "@scriptableMember applies to fields and get/set properties; 'go' of class 'A' is neither."],
    ["a private property", "export class A {\n  @scriptableMember private get secret(): i32 { return 0; }\n}\n", "@scriptableMember property 'secret' must be a public instance property."],
    ["a property with a set accessor only", "export class A {\n  @scriptableMember set sink(v: i32) {}\n}\n", "@scriptableMember property 'sink' of class 'A' has no get accessor: JavaScript reads what it marks."],
  ])("@scriptableMember on %s", async (_, source, message) => {
    expectError(await compileErrors({ "main.ts": source }), 2, message);
  });

  it("an instance method of a generic class compiles, and is in no manifest while nothing names an instantiation", async () => {
    const source = "export class Box<T> {\n  @jsInvokable Get(): i32 { return 1; }\n  @scriptableMember count: i32 = 0;\n}\n";
    const { manifest } = await compileVirtual({ "main.ts": source });
    expect(manifest.classes).toEqual({});
  });

  it("an instantiation the source names where no signature does (Blazor's generics sample: a field, a new) is in the manifest when its members can cross", async () => {
    const source =
      'import { DotNetObjectReference, JSArgs, JSRuntime } from "as-interop/assembly/interop";\n' +
      "class Plain { x: i32 = 0; }\nexport class Box<T> {\n  constructor(public v: T) {}\n  @jsInvokable Get(): T { return this.v; }\n}\n" +
      // Handed to JS in a call into JS only: named by a field's annotation, and by a new.
      "class Holder { objRef: DotNetObjectReference<Box<f64>> | null = null; }\n" +
      "@jsInvokable export function Pass(): void { JSRuntime.invokeVoid('f', JSArgs.of(DotNetObjectReference.create(new Box<string>('s')))); }\n" +
      // Used by managed code alone, and of a type that cannot cross: no error, not in the manifest.
      "@jsInvokable export function Inside(): i32 { return new Box<Plain>(new Plain()).v.x + new Holder().objRef!.value.v as i32; }\n" +
      "function generic<T>(v: T): Box<T> { return new Box<T>(v); }\n";
    const { manifest } = await compileVirtual({ "main.ts": source });
    const classes = Object.values(manifest.classes);
    expect(classes.map((c) => c.displayName).sort()).toEqual(["Box<f64>", "Box<string>"]);
    expect(classes.find((c) => c.displayName === "Box<f64>")!.methods[0].returnType).toEqual({ kind: "f64" });
  });

  it("a member type one instantiation cannot marshal is an error naming that instantiation", async () => {
    const source =
      LIBRARY +
      "class Plain { x: i32 = 0; }\nexport class Box<T> {\n  constructor(public v: T) {}\n  @jsInvokable Get(): T { return this.v; }\n}\n" +
      "@jsInvokable export function Fine(): DotNetObjectReference<Box<i32>> { return DotNetObjectReference.create(new Box<i32>(1)); }\n" +
      "@jsInvokable export function Bad(): DotNetObjectReference<Box<Plain>> { return DotNetObjectReference.create(new Box<Plain>(new Plain())); }\n";
    const diagnostics = await compileErrors({ "main.ts": source });
    expectError(diagnostics, 5, "Type 'main/Plain' cannot be marshaled between JavaScript and managed code");
    expect(diagnostics[0].message).toContain("(return type of @jsInvokable method 'Get' of class 'Box<Plain>')");
  });

  it("instantiations without end (a member naming a bigger one) are refused past a bound", async () => {
    const source =
      LIBRARY +
      "export class Box<T> {\n  @jsInvokable Grow(): DotNetObjectReference<Box<Array<T>>> { return DotNetObjectReference.create(new Box<Array<T>>()); }\n}\n" +
      "@jsInvokable export function Make(): DotNetObjectReference<Box<i32>> { return DotNetObjectReference.create(new Box<i32>()); }\n";
    const diagnostics = await compileErrors({ "main.ts": source });
    expectError(diagnostics, 3, "JavaScript may hold at most 64 instantiations of the generic class 'Box'");
  });

  it("a scriptable member whose type cannot be marshaled is an error at its type", async () => {
    // A plain class member is a reference (test/html-bridge.test.ts), but a copy of plain objects cannot be made.
    const source = LIBRARY + "class Plain { x: i32 = 0; }\nexport class A {\n  @scriptableMember @serializeToScriptByValue p: Array<Plain> = [];\n}\n" +
      "@jsInvokable export function Make(): DotNetObjectReference<A> { return DotNetObjectReference.create(new A()); }\n";
    const diagnostics = await compileErrors({ "main.ts": source });
    expect(diagnostics.map(formatDiagnostic).join("\n")).toContain("cannot be marshaled between JavaScript and managed code");
  });
});
