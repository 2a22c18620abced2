/**
 * Run by test/references.test.ts as `node --expose-gc --import tsx test/references.gc-child.ts
 * <wasm file>`: what the garbage collector does to references JS drops without disposing. Prints
 * one JSON line of observations; the test makes the assertions.
 */
import { readFileSync } from "node:fs";
import { setTimeout as tick } from "node:timers/promises";
import { InteropRuntime, type AssemblyDiagnostics } from "../host/runtime/index.ts";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");

type Ref = {
  invokeMethod(identifier: string, ...args: unknown[]): unknown;
  dispose(): void;
  id: number;
  Name: string;
};

const runtime = new InteropRuntime();
const assembly = await runtime.loadAssembly(readFileSync(process.argv[2]), { name: "References" });
const call = <T = unknown>(method: string, ...args: unknown[]): T => runtime.invokeMethod<T>("References", method, ...args);
const exports = assembly.instance.exports as unknown as { __collect(): void };

/** Full collections, each in a task of its own (a WeakRef read in a task keeps its target alive until it ends). */
async function collect(until: () => boolean = () => false, rounds = 40): Promise<number> {
  for (let round = 1; round <= rounds; round++) {
    await tick(0);
    gc!();
    await tick(0);
    exports.__collect();
    if (until()) return round;
  }
  return rounds;
}

const same = (a: AssemblyDiagnostics, b: AssemblyDiagnostics) =>
  a.trackedObjects === b.trackedObjects && a.jsReferences === b.jsReferences;

const start = assembly.diagnostics();

// One reference and one delegate JS keeps: they must outlive every collection.
const kept = call<Ref>("StoreNew", "kept");
const keptDoubler = call<(x: number) => number>("Doubler");
const withKept = assembly.diagnostics();

// A reference managed code keeps (Blazor's component pattern: created once, handed to JS at every
// call): JS drops its object, and the collector releases it; handed out again, it works. Done while
// nothing else can be collected, so the count says when it was released.
const managedKeeps = await (async (): Promise<{ ok: true; result: unknown } | { ok: false; error: string }> => {
  const before = assembly.diagnostics().trackedObjects;
  const firstId = (() => call<Ref>("KeepByManagedCode", "kept by managed code").id)();
  await collect(() => assembly.diagnostics().trackedObjects === before);
  const released = assembly.diagnostics().trackedObjects === before;
  try {
    const again = call<Ref>("ManagedKept");
    const result = [released, again.id !== firstId, call("ManagedKeptDisposed"), again.invokeMethod("SayHello"), call("ManagedKept") === again, call("ManagedKeptName")];
    again.dispose();
    return { ok: true, result };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
})();

// Dropped without dispose: a thousand references, each used, and the delegates of others.
(() => {
  for (let i = 0; i < 1000; i++) {
    const helper = call<Ref>("CreateHelloHelper", `dropped ${i}`);
    helper.invokeMethod("SayHello");
    helper.Name = `renamed ${i}`;
    call("Greeter");
    call("PointMaker");
  }
})();
const afterDropping = assembly.diagnostics();
const rounds = await collect(() => same(assembly.diagnostics(), withKept));
const afterCollecting = assembly.diagnostics();

// What JS kept still works, with the same identity, after all those collections.
const keptWorks = kept.invokeMethod("SayHello");
const keptIdentity = call("Stored") === kept && call("IsStored", kept) === true;
const keptDoublerWorks = keptDoubler(21);
const keptDoublerIdentity = call("Doubler") === keptDoubler;

// A reference dropped and collected while managed code hands the same object out again: the new JS
// object must not be released by the old one's finalizer.
let staleFinalizer: { ok: true; result: unknown } | { ok: false; error: string };
{
  const storedId = (() => {
    const again = call<Ref>("StoreNew", "stale");
    return again.id;
  })();
  await tick(0);
  gc(); // the dropped object is gone; its finalizer has not run yet (it runs in a later task)
  const fresh = call<Ref>("Stored");
  await collect(() => false, 5);
  try {
    staleFinalizer = { ok: true, result: [fresh.id === storedId, fresh.invokeMethod("SayHello")] };
  } catch (error) {
    staleFinalizer = { ok: false, error: String(error) };
  }
  fresh.dispose();
}

// The same for a delegate: the same managed function is handed out again after its JS function was collected.
// In a function: a block-scoped value at the top level of this async module would stay reachable.
const staleDelegate = await (async (): Promise<{ ok: true; result: unknown } | { ok: false; error: string }> => {
  (() => call("Greeter"))();
  await tick(0);
  gc();
  const greeter = call<(name: string) => string>("Greeter");
  await collect(() => false, 5);
  try {
    return { ok: true, result: greeter("again") };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
})();

kept.dispose();
await collect(() => same(assembly.diagnostics(), start), 10);
// keptDoubler is still referenced below, so only the reference is gone.
const end = assembly.diagnostics();

console.log(
  JSON.stringify({
    start,
    withKept,
    afterDropping,
    rounds,
    afterCollecting,
    keptWorks,
    keptIdentity,
    keptDoublerWorks,
    keptDoublerIdentity,
    staleFinalizer,
    staleDelegate,
    managedKeeps,
    end,
    keptDoublerStillWorks: keptDoubler(2),
  }),
);
