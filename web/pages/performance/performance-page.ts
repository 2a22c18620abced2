/**
 * The performance page: the call benchmarks of bench/ run live in the visitor's browser (in a
 * worker), with a progress bar, and each scenario drawn as a bar chart of ratios to the raw wasm
 * call, beside the table of figures it was drawn from. Nothing is precomputed: press Run, and the
 * figures are this browser's, now.
 */
import { h, prose } from "../../app/dom.ts";
import type { Page } from "../../app/router.ts";
import type { BenchMessage, BenchRequest, Figure } from "./bench-protocol.ts";
import { benchmarks, IMPL_DESCRIPTIONS, IMPL_LABELS } from "./benchmarks.ts";
import { formatNs, formatRatio, ratioChart } from "./ratio-chart.ts";

/** Short runs: a visitor waits seconds, not minutes. `npm run bench` runs longer for steadier ratios. */
const OPTIONS: BenchRequest = { runs: 7, runMs: 25, warmupMs: 150 };

export const performancePage: Page = {
  mount(root) {
    let worker: Worker | null = null;
    const runButton = h("button", { type: "button", class: "primary" }, "Run the benchmarks");
    const progress = h("progress", { class: "bench-progress", max: 1, value: 0, "aria-label": "Benchmark progress" });
    const state = h("p", { class: "verdict", id: "bench-state", "data-state": "idle" }, "Not run yet: the figures will be this browser's.");
    const sections = new Map(
      benchmarks.map((benchmark) => {
        const results = h("div", { class: "bench-results" });
        const section = h(
          "section",
          { class: "card bench", "data-benchmark": benchmark.id, "aria-label": benchmark.title },
          h("h2", null, benchmark.title),
          h("p", { class: "hint" }, prose(benchmark.description)),
          results,
        );
        return [benchmark.id, { section, results }];
      }),
    );

    const show = (message: BenchMessage) => {
      switch (message.type) {
        case "progress":
          progress.max = message.total;
          progress.value = message.done;
          state.textContent = `Measuring ${message.scenario}… ${Math.round((100 * message.done) / message.total)}%`;
          break;
        case "result":
          sections.get(message.benchmark)?.results.append(scenarioResult(message.scenario, message.baseline, message.figures));
          console.info(`${message.scenario}: ${message.figures.map((figure) => `${figure.impl} ${formatNs(figure.ns)}`).join(", ")}`);
          break;
        case "done":
          progress.value = progress.max;
          state.dataset.state = "match";
          state.textContent = `Done in ${(message.ms / 1000).toFixed(1)} s. Ratios are what to read: an absolute time depends on the machine and its load.`;
          finish();
          break;
        case "failed":
          state.dataset.state = "failed";
          state.textContent = `The benchmarks failed: ${message.message}`;
          console.error(state.textContent);
          finish();
          break;
      }
    };
    const finish = () => {
      worker?.terminate();
      worker = null;
      runButton.disabled = false;
    };

    runButton.addEventListener("click", () => {
      runButton.disabled = true;
      for (const { results } of sections.values()) results.replaceChildren();
      progress.value = 0;
      state.dataset.state = "running";
      state.textContent = "Compiling and loading the benchmark assemblies…";
      worker = new Worker(new URL("./bench.worker.ts", import.meta.url), { type: "module", name: "as-interop benchmarks" });
      worker.addEventListener("message", (event: MessageEvent<BenchMessage>) => show(event.data));
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        show({ type: "failed", message: event.message || "the benchmark worker could not start" });
      });
      worker.postMessage(OPTIONS);
    });

    root.append(
      h("h1", null, "Performance"),
      h(
        "p",
        { class: "lede" },
        prose(
          "The cost of one call, measured in your browser now: the benchmarks of the repository's `bench/` folder, " +
            "in a worker. Each operation is done every way side by side — the raw wasm export or import (the floor), " +
            "AssemblyScript's own bindings, JSON as Blazor marshals, and as-interop — and each bar is its time as a " +
            "multiple of the scenario's limit: the raw call, or the closest thing to it (a static call, a bare `await`).",
        ),
      ),
      h("div", { class: "bench-controls" }, runButton, progress),
      state,
      ...[...sections.values()].map(({ section }) => section),
    );
    return () => worker?.terminate();
  },
};

function scenarioResult(scenario: string, baseline: string, figures: readonly Figure[]): HTMLElement {
  const base = figures.find((figure) => figure.impl === baseline)?.ns ?? Number.NaN;
  return h(
    "figure",
    { class: "bench-scenario", "data-scenario": scenario, "data-baseline": baseline },
    h("figcaption", null, scenario),
    ratioChart(scenario, figures, baseline, IMPL_LABELS),
    h(
      "table",
      { class: "bench-figures", "aria-label": `${scenario} figures` },
      h("thead", null, h("tr", null, h("th", null, "Implementation"), h("th", null, "Median per call"), h("th", null, `× ${IMPL_LABELS[baseline] ?? baseline}`), h("th", null, "Runs"))),
      h(
        "tbody",
        null,
        figures.map((figure) =>
          h(
            "tr",
            { "data-impl": figure.impl, "data-ns": figure.ns },
            h("td", null, IMPL_DESCRIPTIONS[figure.impl] ?? figure.impl),
            h("td", null, formatNs(figure.ns)),
            h("td", null, formatRatio(figure.ns / base)),
            h("td", null, String(figure.runs)),
          ),
        ),
      ),
    ),
  );
}
