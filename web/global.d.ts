import type { DotNetApi } from "../host/runtime/index.ts";

declare global {
  // Installed by main.ts so the seed's JavaScript finds it where Blazor puts it.
  var DotNet: DotNetApi;
  var exampleJsFunctions: Record<string, (...args: unknown[]) => unknown>;
}
