/**
 * The landing page: what as-interop does, in the first example of Blazor's documentation (with a
 * button that runs it, printing into the console below), and a map of the demo.
 */
import { codeBlock } from "../app/code-block.ts";
import { h, prose } from "../app/dom.ts";
import { BLAZOR_DOCS, HTML_BRIDGE_TO_JS, linkTo } from "../app/sources.ts";
import { hrefOf, type Page } from "../app/router.ts";
import { routes } from "./routes.ts";
import { plannedScenarios } from "./scenarios/scenarios.ts";

const MANAGED = `@jsInvokable
export function ReturnArrayAsync(): i32[] {
  return [1, 2, 3];
}`;

const JAVASCRIPT = `DotNet.invokeMethodAsync("BlazorSample", "ReturnArrayAsync")
  .then((data) => {
    data.push(4);
    console.log(data); // [1, 2, 3, 4]
  });`;

/** The JavaScript above, as written there (web/exampleJsInterop.js holds the same function). */
function runExample(): void {
  globalThis.exampleJsFunctions.returnArrayAsyncJs();
}

export const overviewPage: Page = {
  mount(root) {
    const pages = routes.filter((route) => route.path !== "");
    root.append(
      h("h1", null, "JavaScript ↔ AssemblyScript, the Blazor way"),
      h(
        "p",
        { class: "lede" },
        prose(
          "Mark an AssemblyScript function `@jsInvokable`, compile it, and call it by name from JavaScript " +
            "exactly as Blazor WebAssembly apps call .NET: `DotNet.invokeMethodAsync(assembly, identifier, ...args)`. " +
            "Values cross through wasm linear memory — no JSON on the call path, no size limit but the engine's.",
        ),
      ),
      h(
        "p",
        null,
        prose(
          `The calls are the ones of Blazor's documentation, ${linkTo(BLAZOR_DOCS)}; the values follow the ` +
            `Silverlight HTML Bridge's marshaling rules, ${linkTo(HTML_BRIDGE_TO_JS)}. Each sample of that ` +
            "documentation has its page here, with its own labels and output.",
        ),
      ),
      h(
        "div",
        { class: "code-pair" },
        codeBlock({ language: "AssemblyScript", file: "assembly/demo/BlazorSample.ts", code: MANAGED }),
        codeBlock({ language: "JavaScript", file: "unchanged from Blazor's documentation", code: JAVASCRIPT }),
      ),
      h(
        "p",
        { class: "actions" },
        h("button", { type: "button", class: "primary", onclick: runExample }, "Run this JavaScript"),
        h("span", { class: "hint" }, "It prints into the console at the bottom of the page, as every page does."),
      ),
      h("h2", null, "In this demo"),
      h(
        "ul",
        { class: "cards" },
        pages.map((route) =>
          h(
            "li",
            null,
            h("a", { class: "card card-link", href: hrefOf(route) }, h("span", { class: "card-group" }, route.group),
              h("strong", null, route.title), h("span", null, route.summary)),
          ),
        ),
      ),
    );
    // A sample of Blazor's documentation that waits for a feature is listed as such, not faked.
    if (plannedScenarios.length === 0) return;
    root.append(
      h("h2", null, "Blazor's samples still to come"),
      h(
        "p",
        null,
        "These samples of Blazor's documentation wait for features still being built; each gets its page here, with " +
          "the documentation's labels and output, as one more entry in the list of scenarios.",
      ),
      h(
        "table",
        { class: "planned" },
        h("thead", null, h("tr", null, h("th", null, "Sample"), h("th", null, "Section of Blazor's documentation"), h("th", null, "Uses"))),
        h(
          "tbody",
          null,
          plannedScenarios.map(({ title, section, uses }) =>
            h("tr", null, h("td", null, title), h("td", null, section), h("td", null, uses)),
          ),
        ),
      ),
    );
  },
};
