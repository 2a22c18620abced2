/**
 * The seed's samples ("Call .NET methods from JavaScript functions"), one entry each: the labels
 * and outputs are the seed's, the code shown is the code that runs (read from the real files).
 *
 * A scenario that needs a feature still being built is listed in `plannedScenarios` with what it
 * waits for; when the feature lands, it moves up into `scenarios` as one more entry.
 */
import blazorSampleSource from "../../../assembly/BlazorSample.ts?raw";
import exampleJsInteropSource from "../../exampleJsInterop.js?raw";
import { excerpt } from "../../app/excerpt.ts";
import type { CodeListing } from "../../app/code-block.ts";

export interface ScenarioAction {
  /** The button's label, word for word from the seed. */
  readonly label: string;
  readonly run: () => void;
}

export interface Scenario {
  readonly path: string;
  readonly title: string;
  /** One line for the navigation and the overview. */
  readonly summary: string;
  /** The seed's explanation, shortened; `backticks` mark code. */
  readonly description: string;
  readonly actions: readonly ScenarioAction[];
  /**
   * What the scenario renders besides its buttons, e.g. a component's `Message:` line or a list of
   * `ListItem`s with their own buttons; called once per visit to the page.
   */
  readonly view?: () => Node;
  /** What the seed says the console shows, as the seed prints it and as this console prints it. */
  readonly expected: { readonly seed: string; readonly console: string };
  readonly code: readonly CodeListing[];
}

export interface PlannedScenario {
  readonly title: string;
  readonly seedSection: string;
  /** The features of as-interop it shows. */
  readonly uses: string;
}

const BLAZOR_SAMPLE = "assembly/BlazorSample.ts";
const EXAMPLE_JS = "web/exampleJsInterop.js";

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
    expected: { seed: "Array(4) [ 1, 2, 3, 4 ]", console: "[1, 2, 3, 4]" },
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
    expected: { seed: "Array(4) [ 1, 2, 3, 4 ]", console: "[1, 2, 3, 4]" },
    code: [
      { language: "AssemblyScript", file: BLAZOR_SAMPLE, code: excerpt(blazorSampleSource, "function ReturnArrayAsyncRenamed(") },
      { language: "JavaScript", file: EXAMPLE_JS, code: excerpt(exampleJsInteropSource, "returnArrayDifferentMethodNameJs:") },
    ],
  },
];

const REFERENCE = "DotNetObjectReference, instance methods";
const CALLS_INTO_JS = "JSRuntime (managed code calling JavaScript)";

export const plannedScenarios: readonly PlannedScenario[] = [
  { title: "HelloHelper.SayHello", seedSection: "Instance method call", uses: `${REFERENCE}; ${CALLS_INTO_JS}` },
  { title: "JSInteropComponent", seedSection: "Component instance method call", uses: CALLS_INTO_JS },
  { title: "Sarah Jane", seedSection: "Component instance method call, with an argument", uses: CALLS_INTO_JS },
  { title: "Four ListItems", seedSection: "Component instance method helper class", uses: `${REFERENCE}; ${CALLS_INTO_JS}` },
];
