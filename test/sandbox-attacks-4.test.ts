/**
 * The sandbox attacked where the earlier files do not go: built-in prototypes that have no
 * constructor to be known by (the iterators'), a granted class whose `new` is `Function`'s, an
 * assembly whose load failed but whose code was left running, and the pending tasks managed code
 * makes the host keep, which `maxHandles` did not count (in a worker too, where each is a call of
 * a page function). The attackers are test/fixtures/sandbox.ts, test/fixtures/sandbox-tasks.ts and
 * an assembly written here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropError, InteropRuntime } from "../host/runtime/index.ts";
import { compileFixture, compileVirtual, thrownError } from "./helpers.ts";
import { CODE, mustNotHold, touched } from "./sandbox-attacks.ts";
import { useSandboxFixture } from "./sandbox-fixture.ts";
import { loadInWorker, until } from "./worker-helpers.ts";

const { load } = useSandboxFixture();

/** test/fixtures/sandbox-tasks.ts, compiled once for the file. */
let tasksModule: WebAssembly.Module;
beforeAll(async () => {
  tasksModule = (await compileFixture("sandbox-tasks")).module;
});

/** Blazor's messages for what a path does not reach (see test/sandbox-attacks-2.test.ts). */
const NOT_FOUND =
  /^(Could not find '.*' \('.*' was undefined\)|The property '.*' is not defined or is not readable)\. The assembly 'sandbox' can reach only what its scope grants\.$/;

describe("an iterator's prototype is a built-in's, though it has no constructor to tell it by", () => {
  // The prototypes of iterators (an array's, a Map's, a generator's) have no native `constructor`,
  // the mark a built-in prototype was known by, and neither has Iterator.prototype where its
  // `constructor` is an accessor (engines with iterator helpers: Chromium, Node 22): their `next`,
  // `return`, `flatMap`, `toArray` were members of a class to the membrane. With `flatMap` a
  // sandbox iterates any Set or Map it holds, whose contents no path reaches (e2e/sandbox.spec.ts).
  class List {
    describe(): string {
      return "a list";
    }
  }
  Object.assign(List.prototype, { push: Array.prototype.push, [Symbol.iterator]: Array.prototype.values });
  class Pager {
    page = 0;
    next(): { done: boolean; value: number } {
      return { done: this.page >= 2, value: ++this.page };
    }
  }
  const scope = () => ({
    api: {
      *pages() {
        yield 1;
      },
      values: () => [1, 2].values(),
      entries: () => new Map([["k", "v"]]).entries(),
      pager: () => new Pager(),
      list: () => new List(),
    },
    vault: new Set(["secret"]),
    report: (o: unknown) => void reported.push(o),
  });
  const reported: unknown[] = [];

  it("an iterator crosses, opaque as a Map: paths reach none of its built-in methods, and it holds none of them", async () => {
    const { call } = await load({ scope: scope() });
    for (const made of ["api.pages", "api.values", "api.entries"]) {
      const iterator = call<number>("CallForHandle", 0, made, "");
      expect(iterator, made).toBeGreaterThan(0);
      for (const key of ["next", "return", "throw", "map", "flatMap", "toArray", "forEach", "reduce"]) {
        expect(call("Has", iterator, key), `${made}().${key}`).toBe(false);
        expect(thrownError(() => call("GetHandle", iterator, key)).message, `${made}().${key}`).toMatch(NOT_FOUND);
      }
      // Nor shadowed: the key is a built-in's.
      expect(() => call("SetString", iterator, "next", "x")).toThrow(/cannot set 'next': a built-in defines it/);
    }
    // An iterator written in JavaScript is a class's instance as ever: its `next` is reachable.
    const pager = call<number>("CallForHandle", 0, "api.pager", "");
    expect(call("Has", pager, "next")).toBe(true);
    expect(call<number>("CallForHandle", pager, "next", "")).toBeGreaterThan(0);
    // And a class that borrows built-in methods (jQuery's `push`, an array's iterator) stays a class:
    // its members are reachable, the borrowed ones included (the host put them there).
    const list = call<number>("CallForHandle", 0, "api.list", "");
    expect(call("CallForString", list, "describe", "")).toBe("a list");
    expect(call("Has", list, "push")).toBe(true);
    reported.length = 0;
    call("ReportHeld", "report");
    const outside = new Set<unknown>([globalThis, Function]);
    for (const object of reported) expect(mustNotHold(object, outside), `held: ${String(object)}`).toBe(false);
    expect(touched).toEqual([]);
  });
});

describe("a JavaScript class that borrows built-in functions as statics stays a class", () => {
  // The rule for iterators' prototypes (a prototype holding a function of the engine's is a
  // built-in's) looked at a class's parent too, the [[Prototype]] of a class that extends it: a
  // base class with a native or bound static (`static parse = JSON.parse`, a bound helper) became a
  // built-in, and the statics a subclass inherits from it were unreachable.
  it("a subclass reaches its JavaScript base's statics, whatever the base borrows", async () => {
    class Base {
      static parse = JSON.parse;
      static helper = function helper(): string {
        return "helped";
      }.bind(null);
      static create(): string {
        return "created";
      }
    }
    class Derived extends Base {}
    const { call } = await load({ scope: { lib: { Derived } } });
    expect(call("Has", 0, "lib.Derived.create")).toBe(true);
    expect(call("CallForString", 0, "lib.Derived.create", "")).toBe("created");
    expect(call("Has", 0, "lib.Derived.helper")).toBe(true);
    // Function's own statics stay out of reach: the chain ends at the built-in.
    expect(call("Has", 0, "lib.Derived.call")).toBe(false);
  });

  it("a prototype that is a proxy reporting keys it has no property for is looked at without failing", async () => {
    // Proxy's ownKeys may list keys an extensible target lacks; their descriptor is undefined.
    const prototype = new Proxy(
      { describe: () => "described" },
      { ownKeys: (target) => [...Reflect.ownKeys(target), "ghost"] },
    );
    const { call } = await load({ scope: { lib: { item: Object.create(prototype) as object } } });
    expect(call("CallForString", 0, "lib.item.describe", "")).toBe("described");
  });
});

describe("a granted class that extends Function does not make functions of the sandbox's text", () => {
  // Without a constructor of its own, a class extending Function has Function's: `new` on it
  // compiles its arguments. Granted to be subclassed or called (`class Callable extends Function`),
  // it gave the sandbox what `Function` itself is refused for: its text run as the host's code.
  it("it is refused as the function it inherits is, bound too, unless the scope grants it by name", async () => {
    class Template extends Function {}
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as FunctionConstructor;
    class AsyncTemplate extends AsyncFunction {}
    const { call, assembly } = await load({ scope: { lib: { Template, AsyncTemplate, bound: Template.bind(null) } } });
    const refused = (kind: string) =>
      new RegExp(`^The assembly 'sandbox' cannot be given a class extending the built-in '${kind}', which runs text as code: its scope does not grant it by name\\.$`);
    expect(thrownError(() => call("ConstructForHandle", 0, "lib.Template", `return ${CODE}`)).message).toMatch(refused("Function"));
    expect(thrownError(() => call("GetHandle", 0, "lib.Template")).message).toMatch(refused("Function"));
    expect(thrownError(() => call("ConstructForHandle", 0, "lib.AsyncTemplate", CODE)).message).toMatch(refused("AsyncFunction"));
    expect(thrownError(() => call("ConstructForHandle", 0, "lib.bound", `return ${CODE}`)).message).toMatch(refused("Function"));
    expect(touched).toEqual([]);
    expect(assembly.diagnostics().jsObjects).toBe(0);
    // By name, it is the host's explicit choice, as `Function` itself would be.
    const byName = await load({ scope: { Template } });
    expect(byName.call<number>("GetHandle", 0, "Template")).toBeGreaterThan(0);
  });
});

describe("an assembly whose top-level statements failed runs nothing afterwards", () => {
  // The load fails, and the host was told so; but what the statements set going before the fault
  // stayed live: a delegate stored on a host object ran managed code when the host called it, and a
  // continuation waiting for a JS promise ran when it settled, calling what the scope grants.
  it("a delegate it stored fails as an unloaded assembly's would, and its continuations never run", async () => {
    const { binary } = await compileVirtual({
      "failed.ts": `
        import { JSArgs, JSRuntime, Task } from "as-interop/assembly/interop";
        function hook(x: i32): i32 { JSRuntime.invokeVoid("api.effect", JSArgs.of("the hook ran")); return x; }
        function later(task: Task<string>): void { JSRuntime.invokeVoid("api.effect", JSArgs.of("the continuation ran")); }
        JSRuntime.setValue<(x: i32) => i32>("api.hook", hook);
        JSRuntime.invokeAsync<string>("api.later").continueWith(later);
        abort("refused on purpose");
        @jsInvokable export function Answer(): i32 { return 42; }`,
    });
    const effects: string[] = [];
    let settle: (value: string) => void = () => {};
    const api: { effect(text: string): void; later(): Promise<string>; hook?: (x: number) => number } = {
      effect: (text) => void effects.push(text),
      later: () => new Promise((resolve) => (settle = resolve)),
    };
    const runtime = new InteropRuntime();
    const error = await runtime.loadAssembly(binary, { scope: { api } }).then(() => null, (e: unknown) => e as Error);
    expect(error).toBeInstanceOf(InteropError);
    expect(error!.message).toMatch(/^The assembly 'failed' failed while running its top-level statements: ManagedError: refused on purpose/);
    expect(runtime.assemblyNames).toEqual([]);
    settle("later");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(typeof api.hook).toBe("function");
    expect(thrownError(() => api.hook!(1))).toBe(error);
    expect(effects).toEqual([]);
  });
});

describe("maxHandles counts pending tasks too", () => {
  // Each pending task keeps a promise, its callbacks (and a timer, with a timeout) in the host's
  // heap for as long as it waits: about 540 bytes, and 340 more in the instance. Managed code can
  // start them by the million, in one call: calls of a granted function that never settles, or of
  // its own delegate returning a task it never completes. maxHandles bounded every table but this one.
  const LIMIT = 8;
  const limitMessage = `This host allows ${LIMIT} pending tasks at once (maxHandles): calls into JavaScript that managed code waits for, and managed tasks JavaScript waits for; let some settle before starting more.`;
  async function loadTasks(maxHandles?: number) {
    const settlers: ((value: string) => void)[] = [];
    let called = 0;
    const api = {
      pending: () => (++called, new Promise<string>((resolve) => settlers.push(resolve))),
      echo: <T>(x: T) => x,
      data: new Uint8Array(16),
    };
    const runtime = new InteropRuntime();
    const assembly = await runtime.loadAssembly(tasksModule, { scope: { api }, maxHandles, importBinding: "first-call" });
    const call = <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod<T>("sandbox-tasks", method, ...args);
    const settleAll = async () => {
      for (const settle of settlers.splice(0)) settle("done");
      await new Promise((resolve) => setTimeout(resolve, 10));
    };
    return { runtime, assembly, call, settleAll, called: () => called };
  }

  it("calls into JS past the limit fail at once, before the function runs (invokeAsync, a typed import's task, a stream copy)", async () => {
    const { assembly, call, settleAll, called } = await loadTasks(LIMIT);
    expect(call("StartCalls", "api.pending", 1000)).toBe(1000 - LIMIT);
    expect(call("LastFailure")).toBe(limitMessage);
    expect(called()).toBe(LIMIT);
    expect(assembly.diagnostics()).toMatchObject({ pendingTasks: LIMIT, trackedObjects: LIMIT });
    // Once they settle, there is room again.
    await settleAll();
    expect(assembly.diagnostics()).toMatchObject({ pendingTasks: 0, trackedObjects: 0 });
    expect(call("StartImports", 1000)).toBe(1000 - LIMIT);
    expect(called()).toBe(2 * LIMIT);
    await settleAll();
    // A copy's task and its sink are let go too.
    expect(call("StartCopies", "api.data", 1000)).toBe(1000 - LIMIT);
    expect(call("LastFailure")).toBe(limitMessage);
    await settleAll();
    expect(assembly.diagnostics()).toMatchObject({ pendingTasks: 0, trackedObjects: 0, jsObjects: 1 });
  });

  it("its own delegate's tasks, which JS would wait for: the call that passes the limit fails, and the host keeps none of it", async () => {
    const { assembly, call } = await loadTasks(LIMIT);
    expect(thrownError(() => call("CallOwnDelegate", 1000)).message).toBe(limitMessage);
    expect(assembly.diagnostics().pendingTasks).toBe(LIMIT);
    // The host's own calls are tasks too: past the limit they reject with the same message.
    await expect(assembly.methods.get("Forever")!.invokeAsync([])).rejects.toThrow(limitMessage);
    expect(assembly.diagnostics()).toMatchObject({ pendingTasks: LIMIT });
  });

  it("a task handed to several callers answers each of them, and counts once for each", async () => {
    // The table kept one caller per task: a second caller took the first one's place, and the
    // first waited for ever (with the hold its call took on the task never let go).
    const { runtime, assembly, call } = await loadTasks(LIMIT);
    const callers = Array.from({ length: 3 }, () => runtime.invokeMethodAsync<number>("sandbox-tasks", "Shared"));
    expect(assembly.diagnostics().pendingTasks).toBe(3);
    call("CompleteShared", 42);
    expect(await Promise.all(callers)).toEqual([42, 42, 42]);
    expect(assembly.diagnostics()).toMatchObject({ pendingTasks: 0, trackedObjects: 0 });
  });

  it("a raw import asking again for a task already waiting is refused: each ask would keep callbacks and a timer uncounted", async () => {
    const { assembly, call, called } = await loadTasks(LIMIT);
    expect(thrownError(() => call("ForgeCalls", "api.pending", 12345, 1000, 0x7fffffff)).message).toBe(
      "Managed task 12345 already waits for a JavaScript promise; a task waits for one at a time.",
    );
    expect(called()).toBe(1);
    expect(assembly.diagnostics().pendingTasks).toBe(1);
  });

  it("without maxHandles nothing changes: every call waits", async () => {
    const { assembly, call, settleAll, called } = await loadTasks();
    expect(call("StartCalls", "api.pending", 1000)).toBe(0);
    expect(called()).toBe(1000);
    expect(assembly.diagnostics().pendingTasks).toBe(1000);
    await settleAll();
    expect(assembly.diagnostics().pendingTasks).toBe(0);
  });

  it("in a worker, each is a call of a page function: past the limit the page function is not called", async () => {
    // The page keeps each page call until its function settles, and the worker posts them as fast
    // as managed code makes them: the limit bounds what the page holds for the worker too.
    let called = 0;
    const scope = { api: { pending: () => (++called, new Promise<string>(() => {})) } };
    const { call, assembly } = await loadInWorker(tasksModule, { worker: true, scope, maxHandles: LIMIT, importBinding: "first-call" });
    expect(await call("StartCalls", "api.pending", 1000)).toBe(1000 - LIMIT);
    expect(await call("LastFailure")).toBe(limitMessage);
    expect(await assembly.diagnostics()).toMatchObject({ pendingTasks: LIMIT, pendingPageCalls: LIMIT });
    expect(called).toBe(LIMIT);
  });
});

describe("what the page sends a worker's sandbox quotes none of the page's code", () => {
  // A page function's result that structured clone cannot copy was refused with the engine's
  // message, which quotes the function it met: `render() { const apiKey = "…" } could not be
  // cloned.` And a page function that throws a function (not an Error) was described by its text.
  // Both reached the worker's managed code as a task's error: the page's source, literals and all.
  it("a result it cannot copy is named by where the function is; a thrown function by its tag", async () => {
    const scope = {
      api: {
        record: () => ({ id: 7, render: () => "sk-page-secret" }),
        fails: () => {
          throw function hidden() {
            return "sk-page-secret";
          };
        },
      },
    };
    const { call } = await loadInWorker(tasksModule, { worker: true, scope, importBinding: "first-call" });
    /** Why the call of `path` failed, once the page's answer is back. */
    const failureOf = async (path: string) => {
      const before = await call<string>("LastFailure");
      expect(await call("StartCalls", path, 1)).toBe(0);
      await until(async () => (await call<string>("LastFailure")) !== before, `the answer to ${path}`);
      return call<string>("LastFailure");
    };
    expect(await failureOf("api.record")).toBe(
      "The page function 'api.record' returned a value that cannot be sent to the worker: structured clone cannot copy its part '.render', a function.",
    );
    expect(await failureOf("api.fails")).toBe("[object Function]");
  });
});
