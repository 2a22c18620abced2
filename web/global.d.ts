import type { DotNetApi } from "../host/runtime/index.ts";

declare global {
  // Installed by main.ts so Blazor's JavaScript finds it where Blazor puts it.
  var DotNet: DotNetApi;
  var exampleJsFunctions: Record<string, (...args: unknown[]) => unknown>;
  // The documentation samples' global function of the page shown (the component pages' and the helper-class page's differ).
  var updateMessageCallerJS: ((...args: never[]) => void) | undefined;
  // What managed components call to render (Blazor's renderer does this for a real component).
  var renderJSInteropComponent: ((message: string) => void) | undefined;
  var renderListItem: ((li: HTMLLIElement, message: string, display: string) => void) | undefined;
}
