/** The landing page: what as-interop does, in the seed's own example, and a map of the demo. */
import { codeBlock } from "../app/code-block.ts";
import { h, prose } from "../app/dom.ts";
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
        "div",
        { class: "code-pair" },
        codeBlock({ language: "AssemblyScript", file: "assembly/BlazorSample.ts", code: MANAGED }),
        codeBlock({ language: "JavaScript", file: "unchanged from Blazor's documentation", code: JAVASCRIPT }),
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
    // A seed sample that waits for a feature is listed as such, not faked.
    if (plannedScenarios.length === 0) return;
    root.append(
      h("h2", null, "Seed scenarios still to come"),
      h(
        "p",
        null,
        "These seed samples wait for features still being built; each gets its page here, with the seed's labels " +
          "and output, as one more entry in the list of scenarios.",
      ),
      h(
        "table",
        { class: "planned" },
        h("thead", null, h("tr", null, h("th", null, "Sample"), h("th", null, "Seed section"), h("th", null, "Uses"))),
        h(
          "tbody",
          null,
          plannedScenarios.map(({ title, seedSection, uses }) =>
            h("tr", null, h("td", null, title), h("td", null, seedSection), h("td", null, uses)),
          ),
        ),
      ),
    );
  },
};
