/**
 * The runtimes of the two `JSInteropComponent` pages. Blazor's documentation has two variants that both call
 * `DotNet.invokeMethodAsync('BlazorSample', 'UpdateMessageCaller'[, name])`: one identifier,
 * two signatures, which one assembly cannot hold (nor can one Blazor app). So each variant is its
 * own assembly, loaded under the app's name `BlazorSample` into a runtime of its own, and its
 * page's JavaScript calls that runtime's `DotNet`. The shared runtime behind the global `DotNet`
 * keeps the app's `BlazorSample` (assembly/demo/BlazorSample.ts) for every other page.
 */
import componentUrl from "../../../assembly/demo/JSInteropComponent.ts?assembly";
import sarahJaneUrl from "../../../assembly/demo/JSInteropComponentSarahJane.ts?assembly";
import { InteropRuntime, type LoadedAssembly } from "../../../host/runtime/index.ts";
import { useAssembly } from "../../app/assemblies.ts";

export const APP_ASSEMBLY = "BlazorSample";

export const jsInteropComponentRuntime = new InteropRuntime();
export const sarahJaneRuntime = new InteropRuntime();

export const loadJSInteropComponent = (): Promise<LoadedAssembly> =>
  useAssembly(componentUrl, { name: APP_ASSEMBLY }, jsInteropComponentRuntime);

export const loadSarahJane = (): Promise<LoadedAssembly> => useAssembly(sarahJaneUrl, { name: APP_ASSEMBLY }, sarahJaneRuntime);
