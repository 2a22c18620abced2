/**
 * `npm run bench`'s call scenarios: the cost of one call both ways (see call-impls.ts, which the
 * demo's performance page runs in the browser too), with the binaries built in Node by ../build.ts.
 * Each implementation gets an instance of its own, so one's garbage never lands in another's timing.
 */
import { esmBindings, interopBinary, interopOutBinary } from "../build.ts";
import type { Scenario } from "../harness.ts";
import { callOutScenarios, callScenarios as callInScenarios, referenceAndAsyncScenarios, type BindingsExports, type CallModules } from "./call-impls.ts";

export async function callScenarios(): Promise<Scenario[]> {
  const modules: CallModules = {
    interop: await interopBinary(),
    interopOut: await interopOutBinary(),
    bindings: (await esmBindings()) as unknown as BindingsExports,
  };
  return [...(await callInScenarios(modules)), ...(await referenceAndAsyncScenarios(modules)), ...(await callOutScenarios(modules))];
}
