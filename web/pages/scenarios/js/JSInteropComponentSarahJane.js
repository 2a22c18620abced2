// The client-side JavaScript of the Sarah Jane variant of Blazor's documentation sample
// Pages/JSInteropComponent.razor, with the app's assembly name filled in. `DotNet` is the one of this page's runtime, where 'BlazorSample'
// is this variant (see runtimes.ts); the page installs the function as window.updateMessageCallerJS
// while it is shown, for the button's onclick="updateMessageCallerJS('Sarah Jane')".
import { sarahJaneRuntime } from "../runtimes.ts";

const { DotNet } = sarahJaneRuntime;

export function updateMessageCallerJS(name) {
  DotNet.invokeMethodAsync('BlazorSample', 'UpdateMessageCaller', name);
}
