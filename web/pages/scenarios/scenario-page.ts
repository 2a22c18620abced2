/**
 * The page every seed scenario shares: what it does, the buttons with the seed's labels (or the
 * scenario's own view, when the seed's markup holds them), the output they produce next to the
 * output the seed documents, and the AssemblyScript and JavaScript that ran.
 */
import blazorSampleUrl from "../../../assembly/BlazorSample.ts?assembly";
import { useAssembly } from "../../app/assemblies.ts";
import { codeBlock } from "../../app/code-block.ts";
import { onConsoleEntry, renderEntry } from "../../app/console-mirror.ts";
import { append, h, prose } from "../../app/dom.ts";
import type { Page } from "../../app/router.ts";
import type { Scenario, ViewContext } from "./scenarios.ts";

export function scenarioPage(scenario: Scenario): Page {
  return {
    mount(root) {
      const leaving: (() => void)[] = [];
      const afterRuns: (() => void)[] = [];
      const output = h("ol", { class: "console-list scenario-output", "aria-label": "Output" });
      const verdict = h("p", { class: "verdict", "data-state": "waiting" }, "Select the button.");
      const { expected } = scenario;
      const match = (text: string) => {
        verdict.dataset.state = "match";
        verdict.textContent = `✓ ${text}: ${expected.seed ? "the output the seed documents" : "the output expected"}.`;
      };
      const buttons = scenario.actions.map(({ label, run }) =>
        h("button", { type: "button", class: "primary", disabled: true, onclick: () => {
          output.replaceChildren();
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
        h("p", { class: "lede" }, prose(scenario.description)),
        scenario.note && h("aside", { class: "note" }, prose(scenario.note)),
        h(
          "section",
          { class: "card scenario-run", "aria-label": "Run" },
          h("div", { class: "actions" }, buttons, view?.main),
          h(
            "div",
            null,
            // A view shows its own output; the page's console (beside) still shows any log.
            h("h2", { class: "label" }, expected.console ? "Console output" : "Result"),
            expected.console && output,
            verdict,
            expected.seed && h("p", { class: "hint" }, "The seed documents: ", h("code", null, expected.seed)),
          ),
          view?.below && h("div", { class: "scenario-below" }, view.below),
        ),
        h("div", { class: "code-pair" }, scenario.code.map(codeBlock)),
      ]);

      // The verdict: a console line, or what the view renders into its [data-output] elements.
      leaving.push(
        onConsoleEntry((entry) => {
          output.append(renderEntry(entry));
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

      // The view's own buttons (the seed's markup) wait for the assembly like the scenario's.
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
