/**
 * The markup of Blazor's documentation sample `Pages/JSInteropComponent.razor`, both variants:
 *
 *   <p>Message: @message</p>
 *   <p><button onclick="updateMessageCallerJS()">Call JS Method</button></p>
 *
 * The button is plain HTML whose onclick calls the sample's global function, as in Blazor. The
 * component itself is managed code: it renders by calling `renderJSInteropComponent(message)`
 * from its `StateHasChanged`, so the message changes the moment managed code says so.
 */
import type { InteropRuntime } from "../../../../host/runtime/index.ts";
import { h } from "../../../app/dom.ts";
import { APP_ASSEMBLY } from "../runtimes.ts";
import type { ScenarioView, ViewContext } from "../scenarios.ts";

export interface ComponentVariant {
  /** The button's onclick attribute, word for word from Blazor's documentation. */
  readonly onclick: string;
  /** The sample's function the onclick calls, installed as a global while the page is shown. */
  readonly updateMessageCallerJS: (...args: never[]) => void;
  /** The runtime the variant's assembly is loaded into. */
  readonly runtime: InteropRuntime;
}

export function jsInteropComponentView({ onclick, updateMessageCallerJS, runtime }: ComponentVariant, context: ViewContext): ScenarioView {
  const message = h("p", { class: "component-message", "data-output": "" });
  window.updateMessageCallerJS = updateMessageCallerJS;
  window.renderJSInteropComponent = (text) => {
    message.textContent = `Message: ${text}`;
  };
  context.onLeave(() => {
    delete window.updateMessageCallerJS;
    delete window.renderJSInteropComponent;
  });
  // Blazor creates and renders the component when the page opens; so does this.
  void context.ready.then(() => runtime.DotNet.invokeMethod(APP_ASSEMBLY, "RenderJSInteropComponent"));
  return {
    main: h("div", { class: "component-view" }, message, h("p", null, h("button", { type: "button", class: "primary", onclick }, "Call JS Method"))),
  };
}
