/**
 * The page every seed scenario shares: what it does, the buttons with the seed's labels, the
 * console output those buttons produce next to the output the seed documents, and the
 * AssemblyScript and JavaScript that ran.
 */
import blazorSampleUrl from "../../../assembly/BlazorSample.ts?assembly";
import { useAssembly } from "../../app/assemblies.ts";
import { codeBlock } from "../../app/code-block.ts";
import { onConsoleEntry, renderEntry } from "../../app/console-mirror.ts";
import { h, prose } from "../../app/dom.ts";
import type { Page } from "../../app/router.ts";
import type { Scenario } from "./scenarios.ts";

export function scenarioPage(scenario: Scenario): Page {
  return {
    mount(root) {
      const output = h("ol", { class: "console-list scenario-output", "aria-label": "Output" });
      const verdict = h("p", { class: "verdict", "data-state": "waiting" }, "Select the button.");
      const buttons = scenario.actions.map(({ label, run }) =>
        h("button", { type: "button", class: "primary", disabled: true, onclick: () => {
          output.replaceChildren();
          verdict.dataset.state = "waiting";
          verdict.textContent = "Waiting for the console…";
          run();
        } }, label),
      );

      root.append(
        h("h1", null, scenario.title),
        h("p", { class: "lede" }, prose(scenario.description)),
        h(
          "section",
          { class: "card scenario-run", "aria-label": "Run" },
          h("div", { class: "actions" }, buttons, scenario.view?.()),
          h(
            "div",
            null,
            h("h2", { class: "label" }, "Console output"),
            output,
            verdict,
            h("p", { class: "hint" }, "The seed documents: ", h("code", null, scenario.expected.seed)),
          ),
        ),
        h("div", { class: "code-pair" }, scenario.code.map(codeBlock)),
      );

      const stop = onConsoleEntry((entry) => {
        output.append(renderEntry(entry));
        if (entry.text === scenario.expected.console) {
          verdict.dataset.state = "match";
          verdict.textContent = `✓ ${entry.text}: the output the seed documents.`;
        }
      });
      useAssembly(blazorSampleUrl).then(
        () => {
          for (const button of buttons) button.disabled = false;
        },
        (error: unknown) => {
          verdict.dataset.state = "failed";
          verdict.textContent = `Could not load BlazorSample: ${String(error)}`;
        },
      );
      return stop;
    },
  };
}
