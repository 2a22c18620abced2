import { DotNet, loadAssembly } from "../host/runtime/index.ts";
import blazorSampleUrl from "../assembly/BlazorSample.ts?assembly";
import { mirrorConsole } from "./console-mirror.ts";
import "./exampleJsInterop.js";

mirrorConsole(document.querySelector<HTMLElement>("#console")!);
globalThis.DotNet = DotNet;

const status = document.querySelector<HTMLElement>("#status")!;
try {
  await loadAssembly(blazorSampleUrl);
  status.textContent = "BlazorSample loaded";
  status.dataset.state = "ready";
} catch (error) {
  status.textContent = `Could not load BlazorSample: ${String(error)}`;
  status.dataset.state = "failed";
  throw error;
}

for (const button of document.querySelectorAll<HTMLButtonElement>("button[data-js]")) {
  button.addEventListener("click", () => globalThis.exampleJsFunctions[button.dataset.js!]());
}
document.querySelector("#clear-console")!.addEventListener("click", () => {
  document.querySelector("#console")!.replaceChildren();
});
