/**
 * Beside the HelloHelper scenario: the reference counts of `BlazorSample` before the call and
 * once its task completed, showing that `ExampleJsInterop.Dispose()` released the reference.
 */
import blazorSampleUrl from "../../../../assembly/demo/BlazorSample.ts?assembly";
import { useAssembly } from "../../../app/assemblies.ts";
import type { ScenarioView, ViewContext } from "../scenarios.ts";
import { referenceLog } from "./references.ts";

export function helloHelperView(context: ViewContext): ScenarioView {
  const log = referenceLog(
    "References held by BlazorSample (assembly.diagnostics())",
    "Managed code disposed the `HelloHelper`'s reference: it is no longer tracked. The JavaScript object `sayHello` " +
      "received still counts among the JS references until JavaScript drops it (the garbage collector then releases " +
      "it) or uses it again, which fails with Blazor's message for a disposed reference.",
  );
  let runs = 0;
  void context.ready.then(async () => {
    const assembly = await useAssembly(blazorSampleUrl);
    log.record("before the call", assembly.diagnostics());
    context.afterRun(() => log.record(`after call ${++runs} completed`, assembly.diagnostics()));
  });
  return { below: log.element };
}
