/**
 * Blazor's documentation sample `Pages/JSInteropExample.razor`: a list of four `ListItem` components,
 *
 *   <li>@message <button @onclick="InteropCall" style="display:@display">InteropCall</button></li>
 *
 * each a managed object (assembly/demo/BlazorSample.ts) with its own `MessageUpdateInvokeHelper`. The
 * page makes each `<li>` and hands it to managed code (`MountListItem`), which renders into it by
 * calling `renderListItem(li, message, display)`; a button's click is the component's `InteropCall`.
 * The reference counts show the helper's reference released once the sample's JavaScript disposed it.
 */
import blazorSampleUrl from "../../../../assembly/demo/BlazorSample.ts?assembly";
import { useAssembly } from "../../../app/assemblies.ts";
import { h } from "../../../app/dom.ts";
import { install } from "../js/MessageUpdateInvokeHelper.js";
import type { ScenarioView, ViewContext } from "../scenarios.ts";
import { referenceLog } from "./references.ts";

const LIST_ITEMS = 4;

export function listItemsView(context: ViewContext): ScenarioView {
  const list = h("ul", { class: "list-items", "aria-label": "List of components" });
  const log = referenceLog("References held by BlazorSample (assembly.diagnostics())");
  let left = false;
  context.onLeave(install());
  context.onLeave(() => {
    left = true;
    delete window.renderListItem;
  });

  void context.ready.then(async () => {
    const assembly = await useAssembly(blazorSampleUrl);
    if (left) return;
    const diagnostics = () => assembly.diagnostics();
    window.renderListItem = (li, message, display) => {
      const [text, button] = li.children as unknown as [HTMLElement, HTMLButtonElement];
      text.textContent = message;
      button.style.display = display;
      if (li.dataset.clicked === "true") log.record(`item ${Number(li.dataset.index) + 1}: in UpdateMessage`, diagnostics());
    };
    for (let index = 0; index < LIST_ITEMS; ++index) {
      const li = h("li", { "data-index": index }, h("span", { "data-output": "" }), " ", h("button", { type: "button" }, "InteropCall"));
      list.append(li);
      const component = DotNet.invokeMethod<number>("BlazorSample", "MountListItem", li);
      li.querySelector("button")!.addEventListener("click", () => {
        li.dataset.clicked = "true";
        log.record(`item ${index + 1}: before InteropCall`, diagnostics());
        DotNet.invokeMethod("BlazorSample", "ListItemInteropCall", component);
        // The sample's JavaScript does not wait for its call; this waits until it and dispose() are done.
        setTimeout(() => log.record(`item ${index + 1}: after dispose()`, diagnostics()));
      });
    }
    log.record("the four components rendered", diagnostics());
    context.onLeave(() => DotNet.invokeMethod("BlazorSample", "UnmountListItems"));
  });

  return { main: h("div", { class: "list-items-view" }, h("h2", { class: "label" }, "List of components"), list), below: log.element };
}
