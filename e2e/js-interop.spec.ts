/**
 * Issue 5 in Chromium: managed code calling JavaScript where the engine has JSPI. invokeAwait
 * through invokeMethodAsync (many concurrent awaited calls queued, never interleaved, all right),
 * a synchronous invokeMethod that tries to await (the clear error, and the instance still works),
 * an async JS call, module imports, an HTML element through a handle, the HTML Bridge's built-in
 * types (elements, the document, collections, other DOM objects, JS arrays) crossing by reference,
 * JS exceptions reaching the page's caller, and a re-entrant chain ten levels deep.
 *
 * Self-contained: the page (e2e/js-interop/page.ts, bundled here with esbuild), the assemblies
 * (test/fixtures/async.ts and js-calls.ts, compiled here) and an ES module are served from memory
 * on a made-up origin, so this needs neither the demo nor its dev server.
 */
import { compile } from "../host/compiler/compile.ts";
import { test, expect } from "./fixtures.ts";
import { htmlPage, openServedPage, ROOT, scriptFile, wasmFile, type ServedFiles } from "./served-page.ts";
import type { Outcome } from "./js-interop/page.ts";

const ORIGIN = "http://js-interop.as-interop.test";
const NOT_SUSPENDABLE =
  "JSRuntime.invokeAwait can only suspend a call that JavaScript made with invokeMethodAsync; " +
  "call the method that way, or use JSRuntime.invokeAsync with a continuation.";

const files: ServedFiles = new Map();

test.describe.configure({ timeout: 60_000 });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // One at a time: the compiler is in-process and the machine has two cores.
  for (const name of ["async", "js-calls"]) {
    const { binary } = await compile({ entry: `test/fixtures/${name}.ts`, baseDir: ROOT });
    files.set(`/${name}.wasm`, wasmFile(binary));
  }
  // In a folder of its own, as a bundler would put it: relative module URLs must not resolve here.
  files.set("/assets/page.js", await scriptFile("e2e/js-interop/page.ts"));
  files.set("/", htmlPage("JS interop", "/assets/page.js", '<div id="out">empty</div>'));
  files.set("/modules/greeter.js", {
    type: "text/javascript",
    body: "let calls = 0;\nexport function greet(name) { return `Hello from a module, ${name}! (${++calls})`; }\n",
  });
  files.set("/assets/modules/greeter.js", {
    type: "text/javascript",
    body: "export function greet() { return 'resolved against the runtime bundle, not the page'; }\n",
  });
});

test.beforeEach(async ({ page, consoleLog: _ }) => {
  await openServedPage(page, ORIGIN, files);
  const hasJspi = await page.evaluate(([a, b]) => globalThis.jsInterop.load(a, b), [`${ORIGIN}/async.wasm`, `${ORIGIN}/js-calls.wasm`]);
  expect(hasJspi, "this Chromium has JSPI (WebAssembly.Suspending)").toBe(true);
});

/** Runs `method` through invokeMethodAsync in the page and reports how it settled. */
function invokeAsync(page: import("@playwright/test").Page, assembly: string, method: string, ...args: unknown[]): Promise<Outcome> {
  return page.evaluate(
    ([assembly, method, args]) => globalThis.jsInterop.settle(() => globalThis.jsInterop.runtime.invokeMethodAsync(assembly, method, ...args)),
    [assembly, method, args] as const,
  );
}

function invokeSync(page: import("@playwright/test").Page, assembly: string, method: string, ...args: unknown[]): Promise<Outcome> {
  return page.evaluate(
    ([assembly, method, args]) => globalThis.jsInterop.settle(() => globalThis.jsInterop.runtime.invokeMethod(assembly, method, ...args)),
    [assembly, method, args] as const,
  );
}

test.describe("JSRuntime.invokeAwait (JSPI)", () => {
  test("awaits a JS promise inside a call made with invokeMethodAsync", async ({ page }) => {
    expect(await invokeAsync(page, "async", "AwaitDoubled", 21)).toEqual({ value: 42 });
    expect(await invokeAsync(page, "async", "AwaitSteps", 10, 5)).toEqual({ value: "11,12,13,14,15" });
    expect(await invokeAsync(page, "async", "AwaitString", "delayed.text")).toEqual({ value: "text" });
  });

  test("many concurrent awaited calls are queued, never interleaved, and all right", async ({ page }) => {
    const result = await page.evaluate(async () => {
      const { runtime, outstanding } = globalThis.jsInterop;
      outstanding.max = 0;
      const doubled = runtime.invokeMethodAsync<number>("async", "AwaitDoubled", 0);
      const all = await Promise.all([
        doubled,
        ...Array.from({ length: 200 }, (_, i) => runtime.invokeMethodAsync<number>("async", "AwaitDoubled", i)),
        ...Array.from({ length: 50 }, (_, i) => runtime.invokeMethodAsync<string>("async", "AwaitSteps", i * 10, 4)),
      ]);
      return { all, maxOutstanding: outstanding.max, diagnostics: runtime.getAssembly("async")!.diagnostics() };
    });
    expect(result.all[0]).toBe(0);
    expect(result.all.slice(1, 201)).toEqual(Array.from({ length: 200 }, (_, i) => i * 2));
    expect(result.all.slice(201)).toEqual(Array.from({ length: 50 }, (_, i) => [1, 2, 3, 4].map((k) => i * 10 + k).join(",")));
    // Each call suspends on one JS promise at a time, and the next call starts only after it.
    expect(result.maxOutstanding, "JS promises awaited at the same time").toBe(1);
    expect(result.diagnostics).toMatchObject({ trackedObjects: 0, jsObjects: 0, pendingTasks: 0 });
  });

  test("a synchronous invokeMethod that tries to await gets the clear error, and the instance still works", async ({ page }) => {
    for (let i = 0; i < 20; ++i) {
      expect(await invokeSync(page, "async", "AwaitDoubled", i)).toMatchObject({ name: "InteropError", error: NOT_SUSPENDABLE });
    }
    expect(await invokeAsync(page, "async", "AwaitDoubled", 8)).toEqual({ value: 16 });
    expect(await invokeSync(page, "async", "CallString", "failing")).toMatchObject({ error: "thrown in JS" });
    expect(await invokeAsync(page, "async", "FetchDoubled", 3)).toEqual({ value: 6 });
    expect(await invokeSync(page, "async", "AwaitSteps", 1, 2)).toMatchObject({ error: NOT_SUSPENDABLE });
    expect(await invokeAsync(page, "async", "AwaitSteps", 1, 2)).toEqual({ value: "2,3" });
  });

  test("a rejection while suspended reaches the page's caller as the original error", async ({ page }) => {
    expect(await invokeAsync(page, "async", "AwaitString", "delayed.rejects")).toEqual({
      error: "rejected in JS",
      name: "Error",
      sameError: true,
      sameStack: true,
    });
    expect(await invokeAsync(page, "async", "AwaitDoubled", 5)).toEqual({ value: 10 });
  });

  test("a synchronous call into the same instance while a call is suspended works", async ({ page }) => {
    // reenter.viaSync runs Chain(0, 3) in js-calls while AwaitString is suspended in async.
    expect(await invokeAsync(page, "async", "AwaitString", "reenter.viaSync")).toEqual({ value: "M0[J1(M1[J2(M2[J3(M3!)])])]" });
  });

  test("a suspended call that waits for another invokeMethodAsync of its instance does not deadlock", async ({ page }) => {
    // AwaitString suspends on reenter.viaAsync, which calls FetchDoubled with invokeMethodAsync on
    // the same instance and waits for it. That call is queued behind the suspended one
    // (SuspensionGate.enqueue), which waits for it: neither ever settles.
    const outcome = await page.evaluate(() =>
      Promise.race([
        globalThis.jsInterop.settle(() => globalThis.jsInterop.runtime.invokeMethodAsync("async", "AwaitString", "reenter.viaAsync")),
        new Promise((resolve) => setTimeout(() => resolve("still pending after 5 s"), 5000)),
      ]),
    );
    expect(outcome).toEqual({ value: "8" });
  });

  test("awaits a module import and calls its export", async ({ page }) => {
    expect(await invokeAsync(page, "async", "AwaitModule", `${ORIGIN}/modules/greeter.js`, "JSPI")).toEqual({
      value: "Hello from a module, JSPI! (1)",
    });
  });
});

test.describe("async JS calls, modules, elements and exceptions", () => {
  test("an async JS call completes a managed task; 1000 of them at once all settle right", async ({ page }) => {
    expect(await invokeAsync(page, "async", "FetchDoubled", 21)).toEqual({ value: 42 });
    expect(await invokeAsync(page, "async", "FanOut", 1000)).toEqual({ value: "1000 settled, 0 failed, 0 wrong" });
    const many = await page.evaluate(async () => {
      const { runtime } = globalThis.jsInterop;
      const values = await Promise.all(Array.from({ length: 1000 }, (_, i) => runtime.invokeMethodAsync<number>("async", "FetchDoubled", i)));
      return { wrong: values.filter((v, i) => v !== i * 2).length, diagnostics: runtime.getAssembly("async")!.diagnostics() };
    });
    expect(many.wrong).toBe(0);
    expect(many.diagnostics).toMatchObject({ trackedObjects: 0, jsObjects: 0, pendingTasks: 0 });
  });

  test("a JS rejection and a wrong type fail the task clearly", async ({ page }) => {
    expect(await invokeAsync(page, "async", "FetchString", "delayed.rejects", 0)).toMatchObject({
      name: "InteropError",
      // Blazor's JSException text: the message, a newline, the stack.
      error: expect.stringMatching(/^rejected in JS\nError: rejected in JS\n\s+at /),
    });
    expect(await invokeAsync(page, "async", "FetchI32", "delayed.text")).toMatchObject({
      error: "JavaScript returned a string where managed code expects a number.",
    });
    expect(await invokeAsync(page, "async", "FetchString", "delayed.never", 50)).toMatchObject({
      error: "The JavaScript call did not settle within 50 ms.",
    });
  });

  test("a Task-returning method whose JS promise has already settled completes (JSPI path)", async ({ page }) => {
    // With JSPI, invokeMethodAsync gets the task id back from the promising export a microtask
    // later; a promise that is already settled is followed first (TaskTable.follow), which
    // completes the task and releases its id, so lifting the result then fails with
    // "There is no tracked object with id 'N'…" instead of giving the value or the rejection.
    expect(await invokeAsync(page, "async", "FetchString", "delayed.ready", 0)).toEqual({ value: "ready" });
    expect(await invokeAsync(page, "async", "FetchString", "no.such.function", 0)).toMatchObject({
      error: "Could not find 'no.such.function' ('no' was undefined).",
    });
  });

  test("imports an ES module by URL and calls its exports", async ({ page }) => {
    expect(await invokeAsync(page, "async", "ImportAndGreet", `${ORIGIN}/modules/greeter.js`, "Chromium")).toEqual({
      value: "Hello from a module, Chromium! (1)",
    });
  });

  test("a relative module URL resolves against the page, as in Blazor", async ({ page }) => {
    // Blazor turns "./x.js" into new URL("x.js", document.baseURI) before import(); here import()
    // runs inside the runtime (host/js/calls.ts), so "./modules/greeter.js" resolves against the
    // runtime bundle's URL (/assets/) instead of the page's.
    expect(await invokeAsync(page, "async", "ImportAndGreet", "./modules/greeter.js", "relative")).toEqual({
      value: "Hello from a module, relative! (1)",
    });
    expect(await invokeAsync(page, "async", "AwaitModule", "./modules/greeter.js", "awaited")).toEqual({
      value: "Hello from a module, awaited! (2)",
    });
  });

  test("a module that does not resolve rejects clearly", async ({ page }) => {
    // A specifier nothing resolves (a 404 would make Chromium log a console error of its own).
    const missing = await invokeAsync(page, "async", "ImportAndGreet", "no-such-module", "x");
    expect(missing).toMatchObject({ name: "InteropError" });
    expect((missing as { error: string }).error).toMatch(/TypeError: .*no-such-module/);
  });

  test("an HTML element crosses as a handle: a method bound to document, a property set", async ({ page }) => {
    expect(await invokeSync(page, "async", "SetElementText", "out", "set from managed code")).toEqual({ value: "DIV" });
    await expect(page.locator("#out")).toHaveText("set from managed code");
    expect(await page.evaluate(() => globalThis.jsInterop.runtime.getAssembly("async")!.diagnostics().jsObjects)).toBe(0);
  });

  test("the HTML Bridge's built-in types (HtmlElement, HtmlDocument, ScriptObjectCollection, HtmlObject, ScriptObject) cross by reference: JS gets the very DOM or JS object back", async ({ page }) => {
    // Each reaches managed code as a JSObject (an argument, or a JS call's result), and goes back to
    // JavaScript as a result and as an argument of a call into JS: always the object itself, never a
    // wrapper with a managed API (the document's "it is these object references that are passed back").
    const seen = await page.evaluate(() => {
      const { runtime } = globalThis.jsInterop;
      const scope = globalThis as unknown as Record<string, unknown>;
      const out = document.getElementById("out")!;
      const values: [string, object][] = [
        ["an element (HtmlElement)", out],
        ["the document (HtmlDocument)", document],
        ["a live collection of elements (ScriptObjectCollection)", document.getElementsByTagName("div")],
        ["a node list (ScriptObjectCollection)", document.querySelectorAll("div")],
        ["the window (HtmlObject)", window],
        ["a text node (HtmlObject)", document.createTextNode("text")],
        ["an element's style (HtmlObject)", out.style],
        ["a JS array (ScriptObject)", [out, 1]],
      ];
      const before = runtime.getAssembly("js-calls")!.diagnostics().jsObjects;
      const results: Record<string, boolean[]> = {};
      for (const [name, value] of values) {
        scope["pick"] = () => value;
        scope["check"] = (one: unknown, both: unknown[]) => one === value && both[0] === value && both[1] === value;
        const returned = runtime.invokeMethod("js-calls", "Keep", value) === value;
        const passed = runtime.invokeMethod("js-calls", "PassToJS", value, "check") === true;
        const fromCall = runtime.invokeMethod("js-calls", "InvokeHandle", "pick") === value;
        runtime.invokeMethod("js-calls", "DisposeHandle", value);
        results[name] = [returned, passed, fromCall];
      }
      delete scope["pick"];
      delete scope["check"];
      return { results, leftHeld: runtime.getAssembly("js-calls")!.diagnostics().jsObjects - before };
    });
    for (const [name, checks] of Object.entries(seen.results)) expect(checks, name).toEqual([true, true, true]);
    expect(Object.keys(seen.results)).toHaveLength(8);
    expect(seen.leftHeld).toBe(0);
  });

  test("a JS exception reaches the page's caller as the original error, and the instance keeps working", async ({ page }) => {
    const same = { error: "thrown in JS", name: "Error", sameError: true, sameStack: true };
    for (let i = 0; i < 50; ++i) expect(await invokeSync(page, "js-calls", "Throws", "failing")).toEqual(same);
    expect(await invokeAsync(page, "js-calls", "Throws", "failing")).toEqual(same);
    expect(await invokeAsync(page, "async", "CallString", "failing")).toEqual(same);
    expect(await invokeSync(page, "js-calls", "TryInvoke", "failing")).toMatchObject({ value: expect.stringMatching(/^Error\|Error: thrown in JS\|Error: thrown in JS\n/) });
    expect(await invokeSync(page, "js-calls", "Chain", 0, 2)).toEqual({ value: "M0[J1(M1[J2(M2!)])]" });
  });

  test("a re-entrant chain JS → managed → JS → … (10 levels) returns correctly", async ({ page }) => {
    const expected = (level: number, depth: number): string =>
      level === depth ? `M${level}!` : `M${level}[J${level + 1}(${expected(level + 1, depth)})]`;
    expect(await invokeSync(page, "js-calls", "Chain", 0, 10)).toEqual({ value: expected(0, 10) });
    expect(await invokeAsync(page, "js-calls", "Chain", 0, 10)).toEqual({ value: expected(0, 10) });
  });
});
