/**
 * Blazor's documentation samples ("Call .NET methods from JavaScript functions in ASP.NET Core
 * Blazor"), one entry each: the labels and outputs are the documentation's, the code shown is the
 * code that runs (read from the real files). A scenario whose sample markup holds its own buttons (a component's `Message:` line, a list of
 * `ListItem`s) renders it in its `view`.
 *
 * A scenario that needs a feature still being built is listed in `plannedScenarios` with what it
 * waits for; when the feature lands, it moves up into `scenarios` as one more entry.
 */
import blazorSampleSource from "../../../assembly/demo/BlazorSample.ts?raw";
import componentSource from "../../../assembly/demo/JSInteropComponent.ts?raw";
import sarahJaneSource from "../../../assembly/demo/JSInteropComponentSarahJane.ts?raw";
import exampleJsInteropSource from "../../exampleJsInterop.js?raw";
import componentJsSource from "./js/JSInteropComponent.js?raw";
import sarahJaneJsSource from "./js/JSInteropComponentSarahJane.js?raw";
import helperJsSource from "./js/MessageUpdateInvokeHelper.js?raw";
import componentViewSource from "./views/component.ts?raw";
import listItemsViewSource from "./views/list-items.ts?raw";
import { excerpt, excerpts } from "../../app/excerpt.ts";
import type { CodeListing } from "../../app/code-block.ts";
import type { BlazorTerm } from "../../app/sources.ts";
import { updateMessageCallerJS } from "./js/JSInteropComponent.js";
import { updateMessageCallerJS as updateMessageCallerWithNameJS } from "./js/JSInteropComponentSarahJane.js";
import { jsInteropComponentRuntime, loadJSInteropComponent, loadSarahJane, sarahJaneRuntime } from "./runtimes.ts";
import { jsInteropComponentView } from "./views/component.ts";
import { listItemsView } from "./views/list-items.ts";
import { helloHelperView } from "./views/hello-helper.ts";

export interface ScenarioAction {
  /** The button's label, word for word from Blazor's documentation. */
  readonly label: string;
  /** Starts the scenario; a promise, if it returns one, says when it is done. */
  readonly run: () => unknown;
}

/** What a scenario's view gets from its page. */
export interface ViewContext {
  /** Settles when the scenario's assembly is loaded. */
  readonly ready: Promise<void>;
  /** Runs `fn` when the page is left (globals the view installed, handles it holds). */
  onLeave(fn: () => void): void;
  /** Runs `fn` each time an action's run is done. */
  afterRun(fn: () => void): void;
}

/** A view's parts: `main` beside the output (under the buttons), `below` across the whole card. */
export interface ScenarioView {
  readonly main?: Node;
  readonly below?: Node;
}

export interface Scenario {
  readonly path: string;
  readonly title: string;
  /** One line for the navigation and the overview. */
  readonly summary: string;
  /** The documentation's explanation, shortened; `backticks` mark code, `[text](url)` links. */
  readonly description: string;
  /** How this page differs from the documentation, and why; `backticks` mark code. */
  readonly note?: string;
  /** The scenario's buttons; none when its view renders the sample's own. */
  readonly actions: readonly ScenarioAction[];
  /**
   * What the scenario renders besides its buttons, e.g. a component's `Message:` line or a list of
   * `ListItem`s with their own buttons; called once per visit to the page.
   */
  readonly view?: (context: ViewContext) => ScenarioView;
  /** Loads what the scenario runs against; by default `BlazorSample` into the shared runtime. */
  readonly ready?: () => Promise<unknown>;
  /**
   * What Blazor's documentation shows (`documented`), and where this page shows it: a console line
   * equal to `console`, or an element of the view marked `data-output` whose text is `view`.
   */
  readonly expected: { readonly documented?: string; readonly console?: string; readonly view?: string };
  /** Blazor words the description uses, explained in one line each under it. */
  readonly terms?: readonly BlazorTerm[];
  readonly code: readonly CodeListing[];
}

export interface PlannedScenario {
  readonly title: string;
  /** The section of Blazor's documentation it comes from. */
  readonly section: string;
  /** The features of as-interop it shows. */
  readonly uses: string;
}

/** The navigation group of these pages. */
export const SAMPLES_GROUP = "Blazor's samples";

const BLAZOR_SAMPLE = "assembly/demo/BlazorSample.ts";
const EXAMPLE_JS = "web/exampleJsInterop.js";
const SCENARIOS = "web/pages/scenarios";

const served = new Map<string, Promise<string>>();

/** A file as the server serves it, relative to the page; fetched once, when first shown. */
function fetchText(path: string): Promise<string> {
  let text = served.get(path);
  if (!text) {
    text = fetch(new URL(path, document.baseURI)).then(async (response) => {
      if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
      return (await response.text()).trim();
    });
    served.set(path, text);
  }
  return text;
}

export const scenarios: readonly Scenario[] = [
  {
    path: "static-call",
    title: "Static method call",
    summary: "DotNet.invokeMethodAsync calls a static @jsInvokable method: ReturnArrayAsync.",
    description:
      "JavaScript calls `DotNet.invokeMethodAsync('BlazorSample', 'ReturnArrayAsync')`. The managed method " +
      "returns `[1, 2, 3]`; the JavaScript pushes a fourth value onto the array it received and logs it.",
    actions: [
      {
        label: "Trigger .NET static method ReturnArrayAsync",
        run: () => globalThis.exampleJsFunctions.returnArrayAsyncJs(),
      },
    ],
    expected: { documented: "Array(4) [ 1, 2, 3, 4 ]", console: "[1, 2, 3, 4]" },
    code: [
      { language: "AssemblyScript", file: BLAZOR_SAMPLE, code: excerpt(blazorSampleSource, "function ReturnArrayAsync(") },
      { language: "JavaScript", file: EXAMPLE_JS, code: excerpt(exampleJsInteropSource, "returnArrayAsyncJs:") },
    ],
  },
  {
    path: "different-method-name",
    title: "DifferentMethodName",
    summary: "The identifier given to @jsInvokable(\"DifferentMethodName\") replaces the method's name.",
    description:
      "By default the identifier is the method's name; `@jsInvokable(\"DifferentMethodName\")` gives another one, " +
      "and JavaScript calls the method by that identifier only.",
    actions: [
      {
        label: "Trigger .NET static method DifferentMethodName",
        run: () => globalThis.exampleJsFunctions.returnArrayDifferentMethodNameJs(),
      },
    ],
    expected: { documented: "Array(4) [ 1, 2, 3, 4 ]", console: "[1, 2, 3, 4]" },
    code: [
      { language: "AssemblyScript", file: BLAZOR_SAMPLE, code: excerpt(blazorSampleSource, "function ReturnArrayAsyncRenamed(") },
      { language: "JavaScript", file: EXAMPLE_JS, code: excerpt(exampleJsInteropSource, "returnArrayDifferentMethodNameJs:") },
    ],
  },
  {
    path: "hello-helper",
    title: "HelloHelper.SayHello",
    summary: "Managed code hands JavaScript a HelloHelper by reference; JavaScript calls its instance method SayHello.",
    description:
      "The button calls `TriggerNetInstanceMethod`, which runs the sample's `ExampleJsInterop.CallHelloHelperSayHello(\"Blazor\")`: " +
      "it wraps a new `HelloHelper` in `DotNetObjectReference.create` and passes it to the JavaScript function " +
      "`exampleJsFunctions.sayHello` with `JSRuntime.invokeAsync`. JavaScript calls `SayHello` on the reference, which " +
      "returns `Hello, {Name}!`, and logs it; when that is done, managed code disposes the reference.",
    actions: [
      {
        label: "Trigger .NET instance method HelloHelper.SayHello",
        run: () => DotNet.invokeMethodAsync("BlazorSample", "TriggerNetInstanceMethod"),
      },
    ],
    terms: ["DotNetObjectReference"],
    view: helloHelperView,
    expected: { documented: "Hello, Blazor!", console: "Hello, Blazor!" },
    code: [
      {
        language: "AssemblyScript",
        file: BLAZOR_SAMPLE,
        code: excerpts(blazorSampleSource, "class HelloHelper {", "class ExampleJsInterop {", "function disposeWhenDone(", "function TriggerNetInstanceMethod("),
      },
      { language: "JavaScript", file: EXAMPLE_JS, code: excerpt(exampleJsInteropSource, "sayHello:") },
    ],
  },
  {
    path: "js-interop-component",
    title: "JSInteropComponent",
    summary: "A static @jsInvokable method calls the component's instance method through a stored Action.",
    description:
      "The button's `onclick` calls the sample's `updateMessageCallerJS()`, which calls the static method " +
      "`UpdateMessageCaller` with `DotNet.invokeMethodAsync`. It invokes the `Action` the component stored in " +
      "`OnInitialized`: the component's `UpdateMessage` sets the message and calls `StateHasChanged`, which renders it.",
    note:
      "This page loads its own copy of the app's assembly, `BlazorSample`, into a runtime of its own: the documentation's " +
      "other variant (the Sarah Jane page) has a static `UpdateMessageCaller` too, with a parameter, and one assembly " +
      "cannot hold two methods with one identifier. So `DotNet` in this page's JavaScript is that runtime's. " +
      "AssemblyScript has no closures: the `Action` holds the component beside a function that captures nothing, and " +
      "`StateHasChanged` calls the page's `renderJSInteropComponent` (managed code calling JavaScript) instead of " +
      "Blazor's renderer.",
    actions: [],
    terms: ["OnInitialized", "StateHasChanged", "Action"],
    ready: loadJSInteropComponent,
    view: (context) =>
      jsInteropComponentView({ onclick: "updateMessageCallerJS()", updateMessageCallerJS, runtime: jsInteropComponentRuntime }, context),
    expected: { documented: "UpdateMessage Called!", view: "Message: UpdateMessage Called!" },
    code: [
      {
        language: "AssemblyScript",
        file: "assembly/demo/JSInteropComponent.ts",
        code: excerpts(componentSource, "class Action {", "class JSInteropComponent {", "function RenderJSInteropComponent("),
      },
      { language: "JavaScript", file: `${SCENARIOS}/js/JSInteropComponent.js`, code: componentJsSource.trim() },
      {
        language: "TypeScript",
        file: `${SCENARIOS}/views/component.ts`,
        code: excerpt(componentViewSource, "export function jsInteropComponentView("),
      },
    ],
  },
  {
    path: "sarah-jane",
    title: "Sarah Jane",
    summary: "The JSInteropComponent with an argument: updateMessageCallerJS('Sarah Jane').",
    description:
      "The documentation's variant with a parameter: the button's `onclick` is `updateMessageCallerJS('Sarah Jane')`, the JavaScript " +
      "passes the name on to `DotNet.invokeMethodAsync('BlazorSample', 'UpdateMessageCaller', name)`, and the stored " +
      "`Action<string>` hands it to the component's `UpdateMessage(name)`.",
    note:
      "Like the JSInteropComponent page, this one loads its variant as `BlazorSample` into a runtime of its own: both " +
      "variants' static methods are named `UpdateMessageCaller`, with different parameters.",
    actions: [],
    terms: ["Action"],
    ready: loadSarahJane,
    view: (context) =>
      jsInteropComponentView(
        { onclick: "updateMessageCallerJS('Sarah Jane')", updateMessageCallerJS: updateMessageCallerWithNameJS, runtime: sarahJaneRuntime },
        context,
      ),
    expected: { documented: "Sarah Jane, UpdateMessage Called!", view: "Message: Sarah Jane, UpdateMessage Called!" },
    code: [
      {
        language: "AssemblyScript",
        file: "assembly/demo/JSInteropComponentSarahJane.ts",
        code: excerpts(sarahJaneSource, "class Action {", "class JSInteropComponent {", "function RenderJSInteropComponent("),
      },
      { language: "JavaScript", file: `${SCENARIOS}/js/JSInteropComponentSarahJane.js`, code: sarahJaneJsSource.trim() },
      {
        language: "TypeScript",
        file: `${SCENARIOS}/views/component.ts`,
        code: excerpt(componentViewSource, "export function jsInteropComponentView("),
      },
    ],
  },
  {
    path: "list-items",
    title: "Four ListItems",
    summary: "A helper class per component: each ListItem passes its own MessageUpdateInvokeHelper by reference.",
    description:
      "Four `ListItem` components, each with its own `MessageUpdateInvokeHelper`. A button's `InteropCall` calls the " +
      "JavaScript `updateMessageCallerJS` with `DotNetObjectReference.create(messageUpdateInvokeHelper)`; JavaScript " +
      "calls the helper's `UpdateMessageCaller` and disposes the reference. Only that item's text changes and only its " +
      "button hides.",
    note:
      "Blazor's documentation passes the app's assembly name as the first argument of `dotnetHelper.invokeMethodAsync`, a known " +
      "mistake in that sample: an instance method is called by its identifier alone, as here. The table below reads " +
      "`assembly.diagnostics()` around each call: the helper's reference is tracked during the call and released after " +
      "JavaScript's `dispose()`.",
    actions: [],
    view: listItemsView,
    expected: { documented: "UpdateMessage Called!", view: "UpdateMessage Called!" },
    code: [
      {
        language: "AssemblyScript",
        file: BLAZOR_SAMPLE,
        code: excerpts(
          blazorSampleSource,
          "class MessageUpdateInvokeHelper {",
          "class ListItem {",
          "function MountListItem(",
          "function ListItemInteropCall(",
        ),
      },
      { language: "JavaScript", file: `${SCENARIOS}/js/MessageUpdateInvokeHelper.js`, code: excerpt(helperJsSource, "export function install(") },
      { language: "TypeScript", file: `${SCENARIOS}/views/list-items.ts`, code: excerpt(listItemsViewSource, "export function listItemsView(") },
    ],
  },
  {
    path: "js-modules",
    title: "JS modules",
    summary: "Managed code imports an ES module by URL and calls its exports (JS isolation).",
    description:
      "For JS isolation, JS interop works with the browser's ES modules. Managed code imports `./modules/greeting.js` " +
      "(relative to the page, as in Blazor) with Blazor's `invokeAsync<JSObject>(\"import\", path)`, calls its export " +
      "`greet` through the handle it gets, and disposes the handle; the module's exports never become globals.",
    actions: [
      {
        label: "Import greeting.js and call greet",
        run: () => globalThis.exampleJsFunctions.greetFromModuleJs(),
      },
    ],
    expected: { console: "Hello from an ES module, Blazor!" },
    code: [
      {
        language: "AssemblyScript",
        file: BLAZOR_SAMPLE,
        code: excerpts(blazorSampleSource, "class Greeting {", "function onModuleImported(", "function GreetFromModule("),
      },
      { language: "JavaScript", file: EXAMPLE_JS, code: excerpt(exampleJsInteropSource, "greetFromModuleJs:") },
      // Served as is from web/public (Blazor's wwwroot), which Vite does not let code import: fetched as served.
      {
        language: "JavaScript",
        file: "web/public/modules/greeting.js",
        get code() {
          return fetchText("./modules/greeting.js");
        },
      },
    ],
  },
];

/** Every sample of Blazor's documentation has its page now; a new one waiting for a feature would be listed here. */
export const plannedScenarios: readonly PlannedScenario[] = [];
