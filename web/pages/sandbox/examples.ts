/**
 * The sandbox's preloaded programs: Blazor's documentation samples, and a few that show what the
 * sandbox itself is for. The sources are real files (assembly/demo/sandbox/, examples/), read with `?raw`.
 */
import blazorSample from "../../../assembly/demo/sandbox/BlazorSample.ts?raw";
import greeter from "../../../assembly/demo/sandbox/Greeter.ts?raw";
import orders from "../../../assembly/demo/sandbox/Orders.ts?raw";
import runawayLoop from "../../../assembly/demo/sandbox/RunawayLoop.ts?raw";
import returnArrayAsyncJs from "./examples/return-array-async.js?raw";
import differentMethodNameJs from "./examples/different-method-name.js?raw";
import greeterJs from "./examples/greeter.js?raw";
import ordersJs from "./examples/orders.js?raw";
import runawayLoopJs from "./examples/runaway-loop.js?raw";

export interface SandboxExample {
  readonly id: string;
  readonly title: string;
  /** The assembly's name, and so the name of its file: JavaScript calls it by this name. */
  readonly assemblyName: string;
  readonly managed: string;
  readonly script: string;
}

export const sandboxExamples: readonly SandboxExample[] = [
  { id: "return-array-async", title: "Blazor: ReturnArrayAsync", assemblyName: "BlazorSample", managed: blazorSample, script: returnArrayAsyncJs },
  {
    id: "different-method-name",
    title: "Blazor: DifferentMethodName",
    assemblyName: "BlazorSample",
    managed: blazorSample,
    script: differentMethodNameJs,
  },
  { id: "greeter", title: "Arguments and errors", assemblyName: "Greeter", managed: greeter, script: greeterJs },
  { id: "orders", title: "Objects, dates, Guids and maps", assemblyName: "Orders", managed: orders, script: ordersJs },
  { id: "runaway-loop", title: "A runaway loop", assemblyName: "RunawayLoop", managed: runawayLoop, script: runawayLoopJs },
];
