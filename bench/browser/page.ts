/**
 * The page side of `npm run bench -- --browser` (bench/browser/run.ts): the call scenarios of
 * scenarios/call-impls.ts and the by-reference views of scenarios/by-reference.ts, timed by the
 * same harness as in Node, in Chromium's main thread. The binaries come from the runner, built in
 * Node exactly as `npm run bench` builds them.
 */
import { runScenario, type BenchOptions, type Measurement, type Scenario } from "../harness.ts";
import { byReferenceScenarios } from "../scenarios/by-reference.ts";
import { bindingsImports, callOutScenarios, callScenarios, referenceAndAsyncScenarios, type CallModules, type InstantiateBindings } from "../scenarios/call-impls.ts";

async function bytes(path: string): Promise<WebAssembly.Module> {
  return WebAssembly.compileStreaming(fetch(path));
}

/** Runs every scenario, or those whose name contains `only`. */
async function run(options: BenchOptions, only?: string): Promise<Measurement[]> {
  const { instantiate } = (await import(/* @vite-ignore */ new URL("/bindings.js", location.href).href)) as { instantiate: InstantiateBindings };
  const modules: CallModules = {
    interop: await bytes("/interop.wasm"),
    interopOut: await bytes("/interop-out.wasm"),
    bindings: await instantiate(await bytes("/bindings.wasm"), bindingsImports()),
  };
  const scenarios: Scenario[] = [
    ...(await callScenarios(modules)),
    ...(await referenceAndAsyncScenarios(modules)),
    ...(await callOutScenarios(modules)),
    ...(await byReferenceScenarios(await bytes("/by-reference.wasm"))),
  ];
  const results: Measurement[] = [];
  for (const scenario of scenarios) {
    if (only === undefined || scenario.name.includes(only)) results.push(...(await runScenario(scenario, options)));
  }
  return results;
}

declare global {
  var browserBench: { run: typeof run };
}
globalThis.browserBench = { run };
document.body.dataset["ready"] = "true";
