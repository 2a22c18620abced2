/**
 * The sandbox: AssemblyScript compiled in the browser (in a worker), JavaScript run against it
 * (in another worker), compile errors with their lines, and Stop for a loop that never returns.
 */
import type { Page } from "@playwright/test";
import { test, expect, type Demo } from "./demo-fixtures.ts";

// Each test loads the compiler into a fresh page's worker, then compiles and runs: allow for a busy machine.
test.describe.configure({ timeout: 120_000 });

const status = (page: Page) => page.locator("#sandbox-status");
const output = (page: Page) => page.getByRole("list", { name: "Output" });
const managedEditor = (page: Page) => page.getByRole("textbox", { name: "AssemblyScript" });
const scriptEditor = (page: Page) => page.getByRole("textbox", { name: "JavaScript" });

async function openSandbox(page: Page, demo: Demo, example: string) {
  await demo.open("sandbox", "Sandbox");
  await page.getByLabel("Example").selectOption({ label: example });
  // The first visit loads the compiler (~15 MB of JavaScript) into its worker.
  await expect(status(page)).toHaveAttribute("data-state", "ready", { timeout: 60_000 });
}

/** Clicks Run and waits for the program to finish, fail, or not compile. */
async function run(page: Page, expected: "finished" | "failed" | "compile-failed" = "finished") {
  await page.getByRole("button", { name: "Run" }).click();
  await expect(status(page)).toHaveAttribute("data-state", /^(finished|failed|compile-failed)$/, { timeout: 30_000 });
  await expect(status(page)).toHaveAttribute("data-state", expected);
}

test("every preloaded example compiles in the browser and runs", async ({ page, demo }) => {
  await openSandbox(page, demo, "Seed: ReturnArrayAsync");
  await run(page);
  await expect(output(page)).toHaveText("[1, 2, 3, 4]");
  await expect(page.locator(".compile-info")).toContainText("Invokable: ReturnArrayAsync(): Array<i32>, DifferentMethodName(): Array<i32>");

  await page.getByLabel("Example").selectOption({ label: "Seed: DifferentMethodName" });
  await run(page);
  await expect(output(page)).toHaveText("[1, 2, 3, 4]");

  await page.getByLabel("Example").selectOption({ label: "Arguments and errors" });
  await run(page);
  await expect(output(page).getByRole("listitem")).toHaveText([
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
  await expect(output(page).getByRole("listitem")).toHaveText([
    "items: 5",
    '{id: "382c74c3-721d-4f34-80e5-57657b6cbc27", placed: Date 2020-08-13T09:00:00.000Z, items: {apples: 4, pears: 3}}',
    /^The call to 'CountItems' failed: argument 1 \('order'\) could not be converted: at \.placed/,
  ]);
});

test("an edited example compiles and runs with the edits", async ({ page, demo }) => {
  await openSandbox(page, demo, "Seed: ReturnArrayAsync");
  const managed = managedEditor(page);
  await managed.fill((await managed.inputValue()).replace("return [1, 2, 3];", "return [10, 20, 30];"));
  // Typed, not filled, in the JavaScript: the editor's own keys (indentation) take part.
  const script = scriptEditor(page);
  await script.fill("");
  await script.pressSequentially('const data = await DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync");\ndata.push(40);\nconsole.log(data, "sum", data.reduce((a, b) => a + b));');
  await script.press("Control+Enter");
  await expect(status(page)).toHaveAttribute("data-state", "finished", { timeout: 30_000 });
  await expect(output(page)).toHaveText("[10, 20, 30, 40] sum 100");
  await demo.screenshot("sandbox-edited");
});

test("a compile error is shown with its line, in the list and in the gutter", async ({ page, demo }) => {
  await openSandbox(page, demo, "Seed: ReturnArrayAsync");
  const managed = managedEditor(page);
  const source = await managed.inputValue();
  const line = source.split("\n").findIndex((text) => text.includes("return [1, 2, 3];")) + 1;
  await managed.fill(source.replace("return [1, 2, 3];", 'return "not an array";'));
  await run(page, "compile-failed");

  const diagnostic = page.getByRole("list", { name: "Diagnostics" }).getByRole("listitem");
  await expect(diagnostic).toHaveCount(1);
  await expect(diagnostic).toContainText(`BlazorSample.ts:${line}:10`);
  await expect(diagnostic).toContainText("is not assignable to type '~lib/array/Array<i32>'");
  await expect(diagnostic.locator("pre")).toContainText('return "not an array";');
  await expect(page.locator(".editor-gutter > .error")).toHaveText(String(line));
  await expect(output(page)).toHaveText("");
  await demo.screenshot("sandbox-compile-error");

  // The location is a link to the line: the caret goes there.
  await diagnostic.getByRole("button", { name: `BlazorSample.ts:${line}:10` }).click();
  await expect(managed).toBeFocused();
  const caretLine = await managed.evaluate((area: HTMLTextAreaElement) => area.value.slice(0, area.selectionStart).split("\n").length);
  expect(caretLine).toBe(line);
});

test("a JavaScript error is shown with its line", async ({ page, demo }) => {
  await openSandbox(page, demo, "Seed: ReturnArrayAsync");
  await scriptEditor(page).fill('console.log("before");\nDotNet.invokeMethod("BlazorSample", "NoSuchMethod");\n');
  await run(page, "failed");
  await expect(output(page).getByRole("listitem")).toHaveText([
    "before",
    `Uncaught InteropError: The assembly 'BlazorSample' does not contain a public invokable method with [JSInvokableAttribute("NoSuchMethod")]. (script line 2, column 8)`,
  ]);
  await expect(page.locator(".editor-gutter > .error")).toHaveText("2");

  await scriptEditor(page).fill("console.log(1);\nlet broken = ;\n");
  await run(page, "failed");
  await expect(output(page)).toContainText("Uncaught SyntaxError: Unexpected token ';' (script line 2");
});

test("Stop ends a managed loop that never returns, and the page stays responsive", async ({ page, demo }) => {
  await openSandbox(page, demo, "A runaway loop");
  await page.getByRole("button", { name: "Run" }).click();
  await expect(output(page)).toHaveText("Calling Spin…", { timeout: 30_000 });
  await expect(status(page)).toHaveAttribute("data-state", "running");
  // The clock in the status keeps moving while Spin spins: the page is not blocked.
  await expect(status(page)).toHaveText(/Running… [1-9]\.\d s/);
  await demo.screenshot("sandbox-runaway-loop");

  await page.getByRole("button", { name: "Stop" }).click();
  await expect(status(page)).toHaveAttribute("data-state", "stopped");
  await expect(output(page).getByRole("listitem").last()).toHaveText("■ Stopped: the run's worker was terminated.");

  // The sandbox works on, without a reload.
  await page.getByLabel("Example").selectOption({ label: "Seed: ReturnArrayAsync" });
  await run(page);
  await expect(output(page)).toHaveText("[1, 2, 3, 4]");
});
