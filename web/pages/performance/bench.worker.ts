/**
 * Runs the performance page's benchmarks off the page's thread, so the progress bar moves and the
 * page stays responsive while a timed loop runs. The harness and the implementations are the
 * ones `npm run bench` runs in Node (bench/), here over binaries built for the page.
 */
import { bindings as bindingsBinary, interop, interopOut } from "virtual:bench-assemblies";
import { instantiate } from "virtual:bench-bindings";
import { runScenario, type Scenario } from "../../../bench/harness.ts";
import { bindingsImports, type CallModules } from "../../../bench/scenarios/call-impls.ts";
import type { BenchMessage, BenchRequest } from "./bench-protocol.ts";
import { benchmarks } from "./benchmarks.ts";

const post = (message: BenchMessage): void => postMessage(message);

addEventListener(
  "message",
  async (event: MessageEvent<BenchRequest>) => {
    const started = performance.now();
    try {
      const modules: CallModules = {
        interop: await WebAssembly.compile(interop),
        interopOut: await WebAssembly.compile(interopOut),
        bindings: await instantiate(await WebAssembly.compile(bindingsBinary), bindingsImports()),
      };
      const planned: { benchmark: string; scenario: Scenario }[] = [];
      for (const benchmark of benchmarks) {
        for (const scenario of await benchmark.scenarios(modules)) planned.push({ benchmark: benchmark.id, scenario });
      }
      // Progress counts timed runs across every scenario: one tick per implementation per run.
      const runsOf = (scenario: Scenario) => Math.min(event.data.runs, scenario.maxRuns ?? event.data.runs) * scenario.impls.length;
      const total = planned.reduce((sum, { scenario }) => sum + runsOf(scenario), 0);
      let before = 0;
      for (const { benchmark, scenario } of planned) {
        post({ type: "progress", done: before, total, scenario: scenario.name });
        const measured = await runScenario(scenario, {
          ...event.data,
          onRun: (done) => post({ type: "progress", done: before + done, total, scenario: scenario.name }),
        });
        before += runsOf(scenario);
        post({
          type: "result",
          benchmark,
          scenario: scenario.name,
          baseline: scenario.baseline ?? "raw",
          figures: measured.map(({ impl, median, samples }) => ({ impl, ns: median, runs: samples.length })),
        });
      }
      post({ type: "done", ms: performance.now() - started });
    } catch (error) {
      post({ type: "failed", message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  },
  { once: true },
);
