/**
 * Boots the demo: mirrors the console onto the page, installs `DotNet` where Blazor's JavaScript
 * expects it, loads the app assembly (`BlazorSample`, the seed's `{APP ASSEMBLY}`) and starts the
 * router.
 */
import { DotNet } from "../host/runtime/index.ts";
import blazorSampleUrl from "../assembly/BlazorSample.ts?assembly";
import { useAssembly } from "./app/assemblies.ts";
import { mirrorConsole } from "./app/console-mirror.ts";
import { startRouter } from "./app/router.ts";
import { renderNavigation } from "./app/navigation.ts";
import { routes } from "./pages/routes.ts";
import "./exampleJsInterop.js";

const consoleList = document.querySelector<HTMLElement>("#console")!;
mirrorConsole(consoleList);
document.querySelector("#clear-console")!.addEventListener("click", () => consoleList.replaceChildren());
globalThis.DotNet = DotNet;

const navigation = renderNavigation(document.querySelector<HTMLElement>(".sidebar")!, routes);
const app = document.querySelector<HTMLElement>(".app")!;
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
