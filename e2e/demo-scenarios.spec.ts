/** Blazor's documentation samples, with their labels and outputs, and the code shown beside them. */
import { test, expect } from "./demo-fixtures.ts";

const SCENARIOS = [
  { path: "static-call", heading: "Static method call", button: "Trigger .NET static method ReturnArrayAsync", managed: "export function ReturnArrayAsync(): i32[]", js: '"ReturnArrayAsync"' },
  { path: "different-method-name", heading: "DifferentMethodName", button: "Trigger .NET static method DifferentMethodName", managed: '@jsInvokable("DifferentMethodName")', js: '"DifferentMethodName"' },
];

for (const scenario of SCENARIOS) {
  test(`${scenario.button} logs [1, 2, 3, 4]`, async ({ page, consoleLog, demo }) => {
    await demo.open(scenario.path, scenario.heading);
    await page.getByRole("button", { name: scenario.button }).click();
    await consoleLog.waitForValue([1, 2, 3, 4]);

    // The line in the console docked below, and the verdict against Blazor's documentation.
    await expect(demo.console).toHaveText("[1, 2, 3, 4]");
    await expect(page.locator(".verdict")).toContainText("✓ [1, 2, 3, 4]");

    // The code shown is the code that ran, read from the real files.
    await expect(page.locator('figure[data-language="AssemblyScript"]')).toContainText(scenario.managed);
    await expect(page.locator('figure[data-language="JavaScript"]')).toContainText(scenario.js);
    await demo.screenshot(scenario.path);
  });
}

test("Blazor's JavaScript runs against the global DotNet unchanged", async ({ page, demo }) => {
  await demo.open("static-call", "Static method call");
  await expect(page.locator("#status")).toHaveText("BlazorSample loaded");
  const result = await page.evaluate(() => DotNet.invokeMethod("BlazorSample", "ReturnArrayAsync"));
  expect(result).toEqual([1, 2, 3]);
  const error = await page.evaluate(() =>
    DotNet.invokeMethodAsync("BlazorSample", "Missing").then(
      () => "resolved",
      (e: Error) => e.message,
    ),
  );
  expect(error).toBe(
    `The assembly 'BlazorSample' does not contain a public invokable method with [JSInvokableAttribute("Missing")].`,
  );
});

test("Trigger .NET instance method HelloHelper.SayHello logs Hello, Blazor! and the reference is disposed", async ({ page, consoleLog, demo }) => {
  await demo.open("hello-helper", "HelloHelper.SayHello");
  const references = page.getByRole("table", { name: "References" });
  await expect(references.locator("tbody tr")).toHaveCount(1);
  await page.getByRole("button", { name: "Trigger .NET instance method HelloHelper.SayHello" }).click();
  await consoleLog.waitForValue("Hello, Blazor!");

  await expect(demo.console).toHaveText("Hello, Blazor!");
  await expect(page.locator(".verdict")).toHaveText("✓ Hello, Blazor!: the output Blazor's documentation shows.");
  // Logged once, by the documentation's JavaScript; nothing else (the promise it returns resolves to undefined).
  expect(consoleLog.messages.filter((message) => message.type() === "log").map((message) => message.text())).toEqual(["Hello, Blazor!"]);

  // Once the managed task completed, ExampleJsInterop.Dispose() had released the HelloHelper.
  const after = references.locator("tbody tr").nth(1);
  await expect(after.locator("td").first()).toHaveText("after call 1 completed");
  await expect(after.locator('[data-count="trackedObjects"]')).toHaveText("0");

  // The code shown is the documentation's flow, as it runs.
  await expect(page.locator('figure[data-language="AssemblyScript"]')).toContainText("DotNetObjectReference.create(new HelloHelper(name))");
  await expect(page.locator('figure[data-language="AssemblyScript"]')).toContainText('JSRuntime.invokeAsync<string | null>("exampleJsFunctions.sayHello", JSArgs.of(this.objRef))');
  await expect(page.locator('figure[data-language="JavaScript"]')).toContainText('return dotnetHelper.invokeMethodAsync("SayHello").then((r) => console.log(r));');
  await demo.screenshot("hello-helper");
});

const COMPONENTS = [
  { path: "js-interop-component", heading: "JSInteropComponent", onclick: "updateMessageCallerJS()", message: "Message: UpdateMessage Called!", managed: "static UpdateMessageCaller(): void" },
  { path: "sarah-jane", heading: "Sarah Jane", onclick: "updateMessageCallerJS('Sarah Jane')", message: "Message: Sarah Jane, UpdateMessage Called!", managed: "static UpdateMessageCaller(name: string): void" },
];

for (const component of COMPONENTS) {
  test(`the ${component.heading} page's Call JS Method shows ${component.message}`, async ({ page, demo }) => {
    await demo.open(component.path, component.heading);
    // The Blazor words the page uses are explained in one line each.
    await expect(page.locator("dl.terms")).toContainText("Action");
    if (component.path === "js-interop-component") {
      await expect(page.locator("dl.terms")).toContainText("StateHasChanged");
      await expect(page.locator("dl.terms")).toContainText("OnInitialized");
    }
    const message = page.locator(".component-message");
    // Rendered by managed code on opening, as Blazor renders a component.
    await expect(message).toHaveText("Message: Select the button.");
    const button = page.getByRole("button", { name: "Call JS Method" });
    await expect(button).toHaveAttribute("onclick", component.onclick);
    await button.click();
    await expect(message).toHaveText(component.message);
    await expect(page.locator(".verdict")).toHaveText(`✓ ${component.message}: the output Blazor's documentation shows.`);

    // The variant lives in its own runtime: the global DotNet's BlazorSample is still the app's.
    expect(await page.evaluate(() => DotNet.invokeMethod("BlazorSample", "ReturnArrayAsync"))).toEqual([1, 2, 3]);
    await expect(page.locator('figure[data-language="AssemblyScript"]')).toContainText(component.managed);
    await expect(page.locator('figure[data-language="JavaScript"]')).toContainText("DotNet.invokeMethodAsync('BlazorSample', 'UpdateMessageCaller'");
    await demo.screenshot(component.path);
  });
}

test("the four ListItems: each InteropCall changes only its item, and the helper's reference is released", async ({ page, demo }) => {
  await demo.open("list-items", "Four ListItems");
  const items = page.getByRole("list", { name: "List of components" }).locator("li");
  await expect(items).toHaveCount(4);
  for (let i = 0; i < 4; ++i) {
    await expect(items.nth(i).locator("[data-output]")).toHaveText("Select one of these list item buttons.");
    await expect(items.nth(i).getByRole("button", { name: "InteropCall" })).toBeVisible();
  }

  await items.nth(2).getByRole("button", { name: "InteropCall" }).click();
  await expect(items.nth(2).locator("[data-output]")).toHaveText("UpdateMessage Called!");
  await expect(items.nth(2).getByRole("button", { name: "InteropCall" })).toBeHidden();
  for (const i of [0, 1, 3]) {
    await expect(items.nth(i).locator("[data-output]")).toHaveText("Select one of these list item buttons.");
    await expect(items.nth(i).getByRole("button", { name: "InteropCall" })).toBeVisible();
  }
  await expect(page.locator(".verdict")).toHaveText("✓ UpdateMessage Called!: the output Blazor's documentation shows.");

  // The helper's reference: none before, tracked while JavaScript calls it, gone after its dispose().
  const rows = page.getByRole("table", { name: "References" }).locator("tbody tr");
  const row = (moment: string) => rows.filter({ has: page.locator("td", { hasText: moment }) });
  await expect(row("item 3: after dispose()")).toHaveCount(1);
  await expect(row("item 3: before InteropCall").locator('[data-count="trackedObjects"]')).toHaveText("0");
  await expect(row("item 3: in UpdateMessage").locator('[data-count="trackedObjects"]')).toHaveText("1");
  await expect(row("item 3: after dispose()").locator('[data-count="trackedObjects"]')).toHaveText("0");
  await expect(row("item 3: after dispose()").locator('[data-count="jsReferences"]')).toHaveText("0");

  await items.nth(0).getByRole("button", { name: "InteropCall" }).click();
  await expect(items.nth(0).locator("[data-output]")).toHaveText("UpdateMessage Called!");
  await expect(items.nth(1).locator("[data-output]")).toHaveText("Select one of these list item buttons.");
  await expect(items.nth(3).getByRole("button", { name: "InteropCall" })).toBeVisible();
  await expect(row("item 1: after dispose()").locator('[data-count="trackedObjects"]')).toHaveText("0");

  await expect(page.locator('figure[data-language="JavaScript"]')).toContainText("dotnetHelper.invokeMethodAsync('UpdateMessageCaller');");
  await expect(page.locator('figure[data-language="AssemblyScript"]')).toContainText(
    'JSRuntime.invokeVoid("updateMessageCallerJS", JSArgs.of(DotNetObjectReference.create(this.messageUpdateInvokeHelper)));',
  );
  await demo.screenshot("list-items");
});

test("JS modules: managed code imports greeting.js and calls its export", async ({ page, consoleLog, demo }) => {
  await demo.open("js-modules", "JS modules");
  await page.getByRole("button", { name: "Import greeting.js and call greet" }).click();
  await consoleLog.waitForValue("Hello from an ES module, Blazor!");
  await expect(demo.console).toHaveText("Hello from an ES module, Blazor!");
  await expect(page.locator(".verdict")).toHaveText("✓ Hello from an ES module, Blazor!: the output expected.");
  // Isolation: the module's exports are not globals.
  expect(await page.evaluate(() => "greet" in globalThis)).toBe(false);
  await expect(page.locator('figure[data-language="AssemblyScript"]')).toContainText('JSRuntime.invokeAsync<JSObject>("import", JSArgs.of("./modules/greeting.js"))');
  // The module's source, as the server serves it at the path managed code imports.
  const module = page.locator("figure").filter({ has: page.locator(".code-file", { hasText: "web/public/modules/greeting.js" }) });
  await expect(module).toContainText("export function greet(who) {");
  await demo.screenshot("js-modules");
});
