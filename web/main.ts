/**
 * Boots the demo: mirrors the console onto the page, installs `DotNet` where Blazor's JavaScript
 * expects it, loads the app assembly (`BlazorSample`, the app assembly of Blazor's documentation samples) and starts the
 * router.
 */
import { DotNet } from "../host/runtime/index.ts";
import blazorSampleUrl from "../assembly/demo/BlazorSample.ts?assembly";
import { useAssembly } from "./app/assemblies.ts";
import { clearConsole, mirrorConsole } from "./app/console-mirror.ts";
import { startRouter } from "./app/router.ts";
import { renderNavigation } from "./app/navigation.ts";
import { dockToggle } from "./app/console-dock.ts";
import { routes } from "./pages/routes.ts";
import "./exampleJsInterop.js";

const app = document.querySelector<HTMLElement>(".app")!;
mirrorConsole(document.querySelector<HTMLElement>("#console")!);
document.querySelector("#clear-console")!.addEventListener("click", clearConsole);
dockToggle(app, document.querySelector<HTMLButtonElement>("#toggle-console")!);
globalThis.DotNet = DotNet;

const navigation = renderNavigation(document.querySelector<HTMLElement>(".sidebar")!, routes);
startRouter({
  routes,
  content: document.querySelector<HTMLElement>("#content")!,
  siteTitle: "as-interop",
  onNavigate(route) {
    navigation.select(route);
    app.dataset.page = route?.path || "overview";
    app.toggleAttribute("data-wide", route?.wide ?? false);
  },
});

const status = document.querySelector<HTMLElement>("#status")!;
try {
  await useAssembly(blazorSampleUrl);
  status.textContent = "BlazorSample loaded";
  status.dataset.state = "ready";
} catch (error) {
  status.textContent = `Could not load BlazorSample: ${String(error)}`;
  status.dataset.state = "failed";
  throw error;
}
