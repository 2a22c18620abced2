/**
 * `npm run bench` (a few minutes at most) or `npm run bench -- --quick` (a rough look in well
 * under a minute): runs every scenario module, prints a table per scenario and writes
 * bench/results.json.
 *
 * To add scenarios, export an async function returning `Scenario[]` from a file in scenarios/
 * and list it in SCENARIO_MODULES.
 */
import { writeFile } from "node:fs/promises";
import { cpus, loadavg } from "node:os";
import { byReferenceBinary } from "./build.ts";
import { formatTable, runScenario, type BenchOptions, type Measurement, type ResultRecord, type Scenario } from "./harness.ts";
import { byReferenceScenarios } from "./scenarios/by-reference.ts";
import { byValueScenarios } from "./scenarios/by-value.ts";
import { callScenarios } from "./scenarios/calls.ts";
import { workerScenarios } from "./scenarios/worker.ts";

const quick = process.argv.includes("--quick");
/** `--browser`: the call and by-reference scenarios in Chromium instead (bench/browser/run.ts). */
const inBrowser = process.argv.includes("--browser");
/** `--only <text>`: the scenarios whose name contains the text (say, `--only worker`). */
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;

const SCENARIO_MODULES: ((options: { quick: boolean }) => Promise<Scenario[]>)[] = [
  callScenarios,
  byValueScenarios,
  async () => byReferenceScenarios(await byReferenceBinary()),
  workerScenarios,
];
// A full run interleaves enough ~100 ms runs that a burst of noise moves few of them; quick mode
// keeps the same shape with short runs, so it shows the order of things, not stable ratios.
const options: BenchOptions = quick
  ? { runs: 7, runMs: 20, warmupMs: 100 }
  : { runs: 31, runMs: 100, warmupMs: 500 };

const started = performance.now();
// The load average tells a reader how much else was competing for the (two) cores.
const load = loadavg().map((l) => l.toFixed(2)).join(" ");
console.log(
  `as-interop bench (${quick ? "quick" : "full"}: ${options.runs} runs of ~${options.runMs} ms per impl), ` +
    `Node ${process.version}, ${cpus().length} CPUs, load average ${load}\n`,
);

if (inBrowser) {
  const { runInBrowser } = await import("./browser/run.ts");
  const { version, results } = await runInBrowser(options, only, (line) => console.log(line));
  for (const scenario of new Set(results.map((r) => r.scenario))) {
    console.log(formatTable(results.filter((r) => r.scenario === scenario)) + "\n");
  }
  const out = new URL("./results.browser.json", import.meta.url);
  await writeResults(out, results);
  console.log(`Chromium ${version}. Wrote ${out.pathname} in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  process.exit(0);
}

const results: Measurement[] = [];
for (const loadScenarios of SCENARIO_MODULES) {
  for (const scenario of await loadScenarios({ quick })) {
    if (only !== undefined && !scenario.name.includes(only)) continue;
    const measured = await runScenario(scenario, options);
    results.push(...measured);
    console.log(formatTable(measured) + "\n");
  }
}

async function writeResults(path: URL, measured: readonly Measurement[]): Promise<void> {
  const records: ResultRecord[] = measured.map((r) => ({
    scenario: r.scenario,
    impl: r.impl,
    median_ns: Number(r.median.toFixed(3)),
    runs: r.samples.length,
    ...(r.overhead && {
      overhead_ns: Number(r.overhead.median.toFixed(3)),
      overhead_interval_ns: [Number(r.overhead.low.toFixed(3)), Number(r.overhead.high.toFixed(3))] as [number, number],
    }),
  }));
  await writeFile(path, JSON.stringify(records, null, 2) + "\n");
}

const out = new URL("./results.json", import.meta.url);
await writeResults(out, results);
console.log(`Wrote ${out.pathname} in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
