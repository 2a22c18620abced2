// The seed's client-side JavaScript for Pages/JSInteropComponent.razor, with {APP ASSEMBLY} filled
// in. `DotNet` is the one of this page's runtime, where 'BlazorSample' is this variant (see
// runtimes.ts); the page installs the function as window.updateMessageCallerJS while it is shown,
// for the button's onclick="updateMessageCallerJS()".
import { jsInteropComponentRuntime } from "../runtimes.ts";

const { DotNet } = jsInteropComponentRuntime;

export function updateMessageCallerJS() {
  DotNet.invokeMethodAsync('BlazorSample', 'UpdateMessageCaller');
}
