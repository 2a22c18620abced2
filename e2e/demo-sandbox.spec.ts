/**
 * The sandbox: AssemblyScript compiled in the browser (in a worker), JavaScript run against it
 * (next to the assembly, in a worker of as-interop's own), compile errors in the list and the
 * editor's lint gutter, Stop for a managed or a JavaScript loop that never returns, errors the
 * script leaves behind, Reset, soft-wrapped lines, and Run kept off while a program runs. The
 * program's output goes to the console docked at the bottom of the page.
 */
import type { Page } from "@playwright/test";
import { test, expect, type Demo } from "./demo-fixtures.ts";

// Each test loads the compiler into a fresh page's worker, then compiles and runs: allow for a busy machine.
test.describe.configure({ timeout: 180_000 });

const status = (page: Page) => page.locator("#sandbox-status");
const managedEditor = (page: Page) => page.getByRole("textbox", { name: "AssemblyScript" });
const scriptEditor = (page: Page) => page.getByRole("textbox", { name: "JavaScript" });
const runButton = (page: Page) => page.getByRole("button", { name: "Run" });

async function openSandbox(page: Page, demo: Demo, example: string) {
  await demo.open("sandbox", "Sandbox");
  await page.getByLabel("Example").selectOption({ label: example });
  // The first visit loads the compiler (~15 MB of JavaScript) into its worker.
  await expect(status(page)).toHaveAttribute("data-state", "ready", { timeout: 120_000 });
}

/** Clicks Run and waits for the program to finish, fail, or not compile. */
async function run(page: Page, expected: "finished" | "failed" | "compile-failed" = "finished") {
  await runButton(page).click();
  await expect(status(page)).toHaveAttribute("data-state", /^(finished|failed|compile-failed)$/, { timeout: 60_000 });
  await expect(status(page)).toHaveAttribute("data-state", expected);
}

/** Replaces an editor's whole text, as a user selecting all and typing over it would. */
async function replaceText(page: Page, editor: ReturnType<typeof managedEditor>, text: string) {
  await editor.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  // insertText is one input event: the editor's own typing helpers (closing brackets) stay out of it.
  await page.keyboard.insertText(text);
}

test("every preloaded example compiles in the browser and runs", async ({ page, demo }) => {
  await openSandbox(page, demo, "Blazor: ReturnArrayAsync");
  await expect(status(page)).toContainText(/Compiler ready: [\d.]+ MB in \d+ files/);
  await run(page);
  await expect(demo.console).toHaveText("[1, 2, 3, 4]");
  await expect(page.locator(".compile-info")).toContainText("Invokable: ReturnArrayAsync(): Array<i32>, DifferentMethodName(): Array<i32>");

  await page.getByLabel("Example").selectOption({ label: "Blazor: DifferentMethodName" });
  await run(page);
  await expect(demo.console).toHaveText("[1, 2, 3, 4]");

  await page.getByLabel("Example").selectOption({ label: "Arguments and errors" });
  await run(page);
  await expect(demo.console.getByRole("listitem")).toHaveText([
    "Hello, Blazor! Hello, Blazor!",
    "2.5",
    /^InteropError: The call to 'Greet' failed: argument 2 \('times'\) could not be converted/,
    "ManagedError times must be at least 1 (line 8)",
    "Hello, again!",
  ]);
  await demo.screenshot("sandbox");

  // Composite values need the managed library, which the compiler worker serves as well.
  await page.getByLabel("Example").selectOption({ label: "Objects, dates, Guids and maps" });
  await run(page);
  await expect(demo.console.getByRole("listitem")).toHaveText([
    "items: 5",
    '{id: "382c74c3-721d-4f34-80e5-57657b6cbc27", placed: Date 2020-08-13T09:00:00.000Z, items: {apples: 4, pears: 3}}',
    /^The call to 'CountItems' failed: argument 1 \('order'\) could not be converted: at \.placed/,
  ]);
});

test("an edited example compiles and runs with the edits", async ({ page, demo }) => {
  await openSandbox(page, demo, "Blazor: ReturnArrayAsync");
  const managed = managedEditor(page);
  // A trace prints as written: its text is no format for the values after it.
  const source = (await managed.innerText()).replace("return [1, 2, 3];", 'trace("returning %d values", 1, 3);\n  return [10, 20, 30];');
  await replaceText(page, managed, source);
  // Typed key by key in the JavaScript: the editor's own keys (closing brackets, indentation) take part.
  await replaceText(page, scriptEditor(page), "");
  await scriptEditor(page).pressSequentially(
    'const data = await DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync");\ndata.push(40);\nconsole.log(data, "sum", data.reduce((a, b) => a + b));\n' +
      'console.log("%s of %d: %c%o", "items", 4, "color: red", data.length);',
  );
  await scriptEditor(page).press("Control+Enter");
  await expect(status(page)).toHaveAttribute("data-state", "finished", { timeout: 60_000 });
  // The console's format directives, as a browser's console prints them.
  await expect(demo.console.getByRole("listitem")).toHaveText(["trace: returning %d values 3", "[10, 20, 30, 40] sum 100", "items of 4: 4"]);
  await demo.screenshot("sandbox-edited");
});

test("a compile error is shown with its line, in the list and in the lint gutter, and clears the old output", async ({ page, demo }) => {
  await openSandbox(page, demo, "Blazor: ReturnArrayAsync");
  await run(page);
  await expect(demo.console).toHaveText("[1, 2, 3, 4]");

  const managed = managedEditor(page);
  const source = await managed.innerText();
  const line = source.split("\n").findIndex((text) => text.includes("return [1, 2, 3];")) + 1;
  await replaceText(page, managed, source.replace("return [1, 2, 3];", 'return "not an array";'));
  await run(page, "compile-failed");

  const diagnostic = page.getByRole("list", { name: "Diagnostics" }).getByRole("listitem");
  await expect(diagnostic).toHaveCount(1);
  await expect(diagnostic).toContainText(`BlazorSample.ts:${line}:10`);
  await expect(diagnostic).toContainText("is not assignable to type '~lib/array/Array<i32>'");
  await expect(diagnostic.locator("pre")).toContainText('return "not an array";');
  // In the editor: a marker in the lint gutter and the code underlined.
  await expect(page.locator(".cm-gutter-lint .cm-lint-marker-error")).toHaveCount(1);
  await expect(page.locator(".cm-lintRange-error")).toContainText('"not an array"');
  // The output of the program that ran before is gone: it belongs to code that no longer compiles.
  await expect(demo.console.getByRole("listitem")).toHaveCount(0);
  await demo.screenshot("sandbox-compile-error");

  // The location is a link to the line: the caret goes there.
  await diagnostic.getByRole("button", { name: `BlazorSample.ts:${line}:10` }).click();
  await expect(managed).toBeFocused();
  await expect(page.locator(".cm-activeLineGutter").first()).toHaveText(String(line));
});

test("a JavaScript error is shown with its line", async ({ page, demo }) => {
  await openSandbox(page, demo, "Blazor: ReturnArrayAsync");
  await replaceText(page, scriptEditor(page), 'console.log("before");\nDotNet.invokeMethod("BlazorSample", "NoSuchMethod");\n');
  await run(page, "failed");
  await expect(demo.console.getByRole("listitem")).toHaveText([
    "before",
    `Uncaught InteropError: The assembly 'BlazorSample' does not contain a public invokable method with [JSInvokableAttribute("NoSuchMethod")]. (script line 2, column 8)`,
  ]);
  await expect(page.locator('section[aria-label="JavaScript"] .cm-lint-marker-error')).toHaveCount(1);

  await replaceText(page, scriptEditor(page), "console.log(1);\nlet broken = ;\n");
  await run(page, "failed");
  await expect(demo.console).toContainText("Uncaught SyntaxError: Unexpected token ';' (script line 2");
});

test("Stop ends a managed loop that never returns; Run stays off while it runs", async ({ page, demo }) => {
  await openSandbox(page, demo, "A runaway loop");
  await runButton(page).click();
  await expect(demo.console).toHaveText("Calling Spin…", { timeout: 60_000 });
  await expect(status(page)).toHaveAttribute("data-state", "running");
  await expect(runButton(page)).toBeDisabled();
  await expect(page.getByRole("button", { name: "Stop" })).toBeEnabled();
  // The clock in the status keeps moving while Spin spins: the page is not blocked.
  await expect(status(page)).toHaveText(/Running… [1-9]\.\d s/);
  await demo.screenshot("sandbox-runaway-loop");

  await page.getByRole("button", { name: "Stop" }).click();
  await expect(status(page)).toHaveAttribute("data-state", "stopped");
  await expect(runButton(page)).toBeEnabled();
  await expect(demo.console.getByRole("listitem").last()).toHaveText("■ Stopped: the run's worker was terminated.");

  // The sandbox works on, without a reload.
  await page.getByLabel("Example").selectOption({ label: "Blazor: ReturnArrayAsync" });
  await run(page);
  await expect(demo.console).toHaveText("[1, 2, 3, 4]");
});

test("errors the script leaves behind show with their line; managed objects print; Stop ends a JavaScript loop too", async ({ page, demo }) => {
  await openSandbox(page, demo, "Blazor: ReturnArrayAsync");
  await replaceText(
    page,
    managedEditor(page),
    `import { DotNetObjectReference } from "as-interop/assembly/interop";

export class Helper {
  @jsInvokable Hello(): string { return "hello"; }
}

@jsInvokable
export function MakeHelper(): DotNetObjectReference<Helper> {
  return DotNetObjectReference.create(new Helper());
}
`,
  );
  await replaceText(
    page,
    scriptEditor(page),
    `const helper = DotNet.invokeMethod("BlazorSample", "MakeHelper");
console.log(helper, helper.invokeMethod("Hello"));
setTimeout(() => {
  throw new RangeError("late");
}, 100);
Promise.reject(42);
`,
  );
  await run(page);
  // Printed in the worker, where the managed object is; the errors reported after the script's top level ran, with its line.
  await expect(demo.console.getByRole("listitem")).toHaveText([
    "DotNetObject { id: 1 } hello",
    "Uncaught, after the script's top level: Error: 42",
    "Uncaught, after the script's top level: RangeError: late (script line 4, column 9)",
  ]);
  await expect(status(page)).toHaveAttribute("data-state", "finished");
  await expect(page.locator('section[aria-label="JavaScript"] .cm-lint-marker-error')).toHaveCount(1);

  // A loop in the JavaScript runs in the worker too: the page goes on, and Stop ends it.
  await replaceText(page, scriptEditor(page), 'console.log("looping");\nfor (;;) {}\n');
  await runButton(page).click();
  await expect(demo.console).toHaveText("looping", { timeout: 60_000 });
  await expect(status(page)).toHaveText(/Running… [1-9]\.\d s/);
  await page.getByRole("button", { name: "Stop" }).click();
  await expect(status(page)).toHaveAttribute("data-state", "stopped");
  await expect(demo.console.getByRole("listitem").last()).toHaveText("■ Stopped: the run's worker was terminated.");
});

test("Reset example brings an edited example back; edits survive picking another example", async ({ page, demo }) => {
  await openSandbox(page, demo, "Arguments and errors");
  const reset = page.getByRole("button", { name: "Reset example" });
  await expect(reset).toBeDisabled();
  const original = await managedEditor(page).innerText();
  await replaceText(page, managedEditor(page), "// broken on purpose\n@jsInvokable export function Greet(: void {}\n");
  await expect(reset).toBeEnabled();

  // Picking the example again keeps the edit (the issue this button answers)...
  await page.getByLabel("Example").selectOption({ label: "Blazor: ReturnArrayAsync" });
  await page.getByLabel("Example").selectOption({ label: "Arguments and errors" });
  await expect(managedEditor(page)).toContainText("broken on purpose");
  // ...and Reset brings back the example as it ships, which compiles and runs.
  await reset.click();
  await expect(managedEditor(page)).not.toContainText("broken on purpose");
  expect(await managedEditor(page).innerText()).toBe(original);
  await expect(reset).toBeDisabled();
  await run(page);
  await expect(demo.console.getByRole("listitem").first()).toHaveText("Hello, Blazor! Hello, Blazor!");
});

test("long lines wrap in the editor instead of running off its edge", async ({ page, demo }) => {
  await openSandbox(page, demo, "Blazor: ReturnArrayAsync");
  const long = `// ${"a long comment that keeps going ".repeat(12)}end`;
  await replaceText(page, scriptEditor(page), `${long}\nconsole.log("short");\n`);
  const panel = page.locator('section[aria-label="JavaScript"]');
  const first = panel.locator(".cm-line").first();
  await expect(first).toContainText("end");
  // One line of text, drawn over several rows, and no horizontal scrolling.
  const second = await panel.locator(".cm-line").nth(1).boundingBox();
  const firstBox = (await first.boundingBox())!;
  expect(firstBox.height).toBeGreaterThan(second!.height * 2.5);
  const scroller = panel.locator(".cm-scroller");
  expect(await scroller.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(1);
  await demo.screenshot("sandbox-wrapped");
});
