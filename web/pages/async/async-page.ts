/**
 * The async page: Task ↔ Promise in both directions, one card per case of async-cases.ts. Each
 * card runs its JavaScript, shows the value or error that came back and how long it took, says
 * whether that is what should come back, and shows the JavaScript and the managed code that ran.
 */
import asyncCallsUrl from "../../../assembly/demo/AsyncCalls.ts?assembly";
import asyncCallsSource from "../../../assembly/demo/AsyncCalls.ts?raw";
import asyncDemoSource from "./asyncDemo.js?raw";
import { useAssembly } from "../../app/assemblies.ts";
import { codeBlock } from "../../app/code-block.ts";
import { h, prose } from "../../app/dom.ts";
import { excerpts } from "../../app/excerpt.ts";
import { formatLiteral } from "../../app/format.ts";
import type { Page } from "../../app/router.ts";
import { asyncCases, type AsyncCase } from "./async-cases.ts";
import "./asyncDemo.js";

/** JSPI, as the host detects it: `WebAssembly.Suspending` and `WebAssembly.promising`. */
const hasJspi = "Suspending" in WebAssembly && "promising" in WebAssembly;

export const asyncPage: Page = {
  mount(root) {
    const status = h("p", { class: "verdict", "data-state": "waiting" }, "Loading the AsyncCalls assembly…");
    const cards = asyncCases.map(caseCard);
    root.append(
      h("h1", null, "Async calls"),
      h(
        "p",
        { class: "lede" },
        prose(
          "Tasks and promises, both ways. A `@jsInvokable` method may return a `Task<T>`, which `invokeMethodAsync` waits " +
            "for; managed code calls JavaScript functions that return promises with `JSRuntime.invokeAsync` and continues " +
            "in a continuation (AssemblyScript has no `await`), with a timeout or a cancellation when a promise never " +
            "settles. Where the engine has JSPI, `JSRuntime.invokeAwait` waits without a continuation.",
        ),
      ),
      h(
        "p",
        { class: "jspi-status", "data-jspi": hasJspi ? "yes" : "no" },
        hasJspi
          ? prose("JSPI: this browser has `WebAssembly.Suspending`, so the JSPI cases run.")
          : prose("JSPI: this browser has no `WebAssembly.Suspending`; the JSPI cases show the error it gives instead."),
      ),
      status,
      h("div", { class: "async-cases" }, cards.map((card) => card.element)),
      h("details", { class: "source" }, h("summary", null, "The JavaScript it calls: ", h("code", null, "web/pages/async/asyncDemo.js")),
        codeBlock({ language: "JavaScript", file: "web/pages/async/asyncDemo.js", code: asyncDemoSource.trim() })),
    );
    useAssembly(asyncCallsUrl).then(
      () => {
        status.dataset.state = "match";
        status.textContent = "AsyncCalls loaded: select Run on any case.";
        for (const card of cards) card.enable();
      },
      (error: unknown) => {
        status.dataset.state = "failed";
        status.textContent = `Could not load AsyncCalls: ${String(error)}`;
      },
    );
  },
};

function caseCard(entry: AsyncCase): { element: HTMLElement; enable(): void } {
  const run = h("button", { type: "button", class: "primary", disabled: true }, "Run");
  const interrupt = entry.interrupt && h("button", { type: "button", class: "danger", disabled: true }, entry.interrupt.label);
  const outcome = h("span", { class: "badge pending" }, "not run");
  const result = h("code", { class: "async-result" }, "—");
  const elapsed = h("span", { class: "hint" });
  const expected = "value" in entry.expected ? formatLiteral(entry.expected.value) : entry.expected.error;
  const jspiMissing = entry.jspi && !hasJspi;

  run.addEventListener("click", async () => {
    run.disabled = true;
    if (interrupt) interrupt.disabled = false;
    outcome.className = "badge pending";
    outcome.textContent = "running…";
    result.textContent = "—";
    result.title = "";
    elapsed.textContent = "";
    const started = performance.now();
    let shown: string;
    let asExpected: boolean;
    try {
      const value = await entry.run();
      shown = formatLiteral(value);
      asExpected = "value" in entry.expected && shown === expected;
    } catch (error) {
      // A JS error's message is Blazor's JSException text: its message, a newline, then its stack.
      // The card shows the first line; the whole text is the result's tooltip.
      const message = error instanceof Error ? error.message : String(error);
      const [firstLine] = message.split("\n");
      shown = error instanceof Error ? `${error.name}: ${firstLine}` : firstLine;
      result.title = message;
      asExpected = "error" in entry.expected && error instanceof Error && firstLine.endsWith(expected);
    }
    result.textContent = shown;
    elapsed.textContent = `after ${Math.round(performance.now() - started)} ms`;
    outcome.className = `badge ${asExpected ? "ok" : "error"}`;
    outcome.textContent = asExpected ? "as expected" : "unexpected";
    console.info(`${entry.title}: ${shown} (${elapsed.textContent}, ${outcome.textContent})`);
    run.disabled = false;
    if (interrupt) interrupt.disabled = true;
  });
  interrupt?.addEventListener("click", () => void entry.interrupt!.run());

  const element = h(
    "section",
    { class: "card async-case", "data-case": entry.id, "aria-label": entry.title },
    h("h2", null, entry.title, entry.jspi && h("span", { class: "badge pending" }, "JSPI")),
    h("p", null, prose(entry.description)),
    jspiMissing && h("p", { class: "hint" }, "This browser has no JSPI: this case fails with a clear error."),
    h("div", { class: "actions" }, run, interrupt),
    h(
      "dl",
      { class: "async-outcome" },
      h("dt", null, "Came back"),
      h("dd", null, result, " ", elapsed, " ", outcome),
      h("dt", null, "Expected"),
      h("dd", null, h("code", null, expected), "value" in entry.expected ? "" : " (an error)"),
    ),
    h(
      "div",
      { class: "code-pair" },
      codeBlock({
        language: "JavaScript",
        file: "the Run button",
        code: entry.interrupt ? `${entry.js}\n\n// the ${entry.interrupt.label} button:\n${entry.interrupt.js}` : entry.js,
      }),
      codeBlock({ language: "AssemblyScript", file: "assembly/demo/AsyncCalls.ts", code: excerpts(asyncCallsSource, ...entry.managed) }),
    ),
  );
  return {
    element,
    enable: () => {
      run.disabled = false;
    },
  };
}
