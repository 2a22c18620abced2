/**
 * The page every one of Blazor's samples shares: what it does (with the Blazor terms it uses
 * explained), the buttons with the documentation's labels (or the scenario's own view, when the
 * sample's markup holds them), a verdict comparing what they print — in the docked console, like
 * every page — with what the documentation shows, and the AssemblyScript and JavaScript that ran.
 */
import blazorSampleUrl from "../../../assembly/demo/BlazorSample.ts?assembly";
import { useAssembly } from "../../app/assemblies.ts";
import { codeBlock } from "../../app/code-block.ts";
import { onConsoleEntry } from "../../app/console-mirror.ts";
import { append, h, prose } from "../../app/dom.ts";
import { BLAZOR_DOCS, BLAZOR_TERMS, linkTo } from "../../app/sources.ts";
import type { Page } from "../../app/router.ts";
import type { Scenario, ViewContext } from "./scenarios.ts";

export function scenarioPage(scenario: Scenario): Page {
  return {
    mount(root) {
      const leaving: (() => void)[] = [];
      const afterRuns: (() => void)[] = [];
      const verdict = h("p", { class: "verdict", "data-state": "waiting" }, "Select the button; what it prints shows in the console below.");
      const { expected } = scenario;
      const match = (text: string) => {
        verdict.dataset.state = "match";
        verdict.textContent = `✓ ${text}: ${expected.documented ? "the output Blazor's documentation shows" : "the output expected"}.`;
      };
      const buttons = scenario.actions.map(({ label, run }) =>
        h("button", { type: "button", class: "primary", disabled: true, onclick: () => {
          verdict.dataset.state = "waiting";
          verdict.textContent = expected.console ? "Waiting for the console…" : "Waiting for the page…";
          void Promise.resolve(run()).finally(() => afterRuns.forEach((fn) => fn()));
        } }, label),
      );

      const ready = (scenario.ready ?? (() => useAssembly(blazorSampleUrl)))().then(() => undefined);
      const context: ViewContext = {
        ready,
        onLeave: (fn) => void leaving.push(fn),
        afterRun: (fn) => void afterRuns.push(fn),
      };
      const view = scenario.view?.(context);

      append(root, [
        h("h1", null, scenario.title),
        h("p", { class: "source-link" }, prose(`A sample of ${linkTo(BLAZOR_DOCS, "Blazor's documentation")}, running on as-interop.`)),
        h("p", { class: "lede" }, prose(scenario.description)),
        scenario.terms && h("dl", { class: "terms" }, scenario.terms.map((term) => [h("dt", null, h("code", null, term)), h("dd", null, prose(BLAZOR_TERMS[term]))])),
        scenario.note && h("aside", { class: "note" }, prose(scenario.note)),
        h(
          "section",
          { class: "card scenario-run", "aria-label": "Run" },
          h("div", { class: "actions" }, buttons, view?.main),
          h(
            "div",
            null,
            // What the buttons print shows in the docked console, as on every page; a view shows its own result.
            h("h2", { class: "label" }, "Result"),
            verdict,
            expected.documented &&
              h("p", { class: "hint" }, prose(`${linkTo(BLAZOR_DOCS, "Blazor's documentation")} shows: \`${expected.documented}\``)),
          ),
          view?.below && h("div", { class: "scenario-below" }, view.below),
        ),
        h("div", { class: "code-pair" }, scenario.code.map(codeBlock)),
      ]);

      // The verdict: a console line, or what the view renders into its [data-output] elements.
      leaving.push(
        onConsoleEntry((entry) => {
          if (entry.text === expected.console) match(entry.text);
        }),
      );
      if (expected.view !== undefined && view?.main) {
        const observer = new MutationObserver(() => {
          const shown = [...root.querySelectorAll("[data-output]")].find((element) => element.textContent === expected.view);
          if (shown) match(expected.view!);
        });
        observer.observe(view.main, { subtree: true, childList: true, characterData: true });
        leaving.push(() => observer.disconnect());
      }

      // The view's own buttons (the sample's markup) wait for the assembly like the scenario's.
      const viewButtons = view?.main instanceof Element ? [...view.main.querySelectorAll("button")] : [];
      for (const button of viewButtons) button.disabled = true;
      ready.then(
        () => {
          for (const button of [...buttons, ...viewButtons]) button.disabled = false;
        },
        (error: unknown) => {
          verdict.dataset.state = "failed";
          verdict.textContent = `Could not load the assembly: ${String(error)}`;
        },
      );
      return () => leaving.forEach((fn) => fn());
    },
  };
}
