/**
 * The by-reference playground: JavaScript buttons drive a managed list, a fixed-size array and a
 * dictionary through the HTML Bridge's array-like and dictionary-like wrappers, and each panel
 * shows, after every operation, what JavaScript's wrapper holds and what managed code itself sees
 * (its own description of the collection, from assembly/demo/ByReference.ts). A log keeps each
 * expression with its result, or the error the HTML Bridge's rules say it must give.
 */
import byReferenceUrl from "../../../assembly/demo/ByReference.ts?assembly";
import byReferenceSource from "../../../assembly/demo/ByReference.ts?raw";
import { useAssembly } from "../../app/assemblies.ts";
import { codeBlock } from "../../app/code-block.ts";
import { h, prose } from "../../app/dom.ts";
import { formatLiteral } from "../../app/format.ts";
import type { Page } from "../../app/router.ts";
import { collections, type Collection, type Operation, type Wrappers } from "./operations.ts";

const ASSEMBLY = "ByReference";

const GETTING_THEM = `// Each managed method returns its collection by reference (ListReference,
// FixedListReference, DictionaryReference): JavaScript gets a live wrapper.
const fruits = DotNet.invokeMethod("ByReference", "Fruits");
const slots = DotNet.invokeMethod("ByReference", "Slots");
const prices = DotNet.invokeMethod("ByReference", "Prices");

// What managed code sees, described by managed code itself:
DotNet.invokeMethod("ByReference", "DescribeFruits");`;

export const byReferencePage: Page = {
  mount(root) {
    const status = h("p", { class: "verdict", "data-state": "waiting" }, "Loading the ByReference assembly…");
    const reset = h("button", { type: "button", disabled: true }, "Reset the managed collections");
    const log = h("tbody");
    const panels = collections.map(panel);
    let wrappers: Wrappers | null = null;

    const refresh = () => {
      if (wrappers) for (const view of panels) view.refresh(wrappers);
    };
    const perform = (collection: Collection, operation: Operation) => {
      if (!wrappers) return;
      let result: string;
      let outcome: "ok" | "expected-error" | "error";
      try {
        result = formatResult(operation.run(wrappers), wrappers);
        outcome = operation.error ? "error" : "ok";
      } catch (error) {
        result = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        outcome = operation.error ? "expected-error" : "error";
      }
      const badge = { ok: "ok", "expected-error": "error, as the rules say", error: "unexpected" }[outcome];
      console.info(`${operation.code} → ${result}`);
      log.prepend(
        h(
          "tr",
          { "data-outcome": outcome },
          h("td", null, h("code", null, operation.code)),
          h("td", { class: outcome === "ok" ? "" : "error-text" }, result),
          h("td", null, h("span", { class: `badge ${outcome}` }, badge)),
          h("td", null, h("code", null, DotNet.invokeMethod<string>(ASSEMBLY, collection.describe))),
        ),
      );
      refresh();
    };

    root.append(
      h("h1", null, "By-reference collections"),
      h(
        "p",
        { class: "lede" },
        prose(
          "The HTML Bridge's by-reference wrappers: managed code hands JavaScript its list, array or dictionary itself, " +
            "not a copy. Each button runs the JavaScript it shows on the live wrapper; each panel then shows what the " +
            "wrapper holds and what managed code sees — the same thing, since there is one collection. A fixed-size " +
            "array cannot grow or shrink, and a value of the wrong type is refused, leaving the collection unchanged.",
        ),
      ),
      h("div", { class: "toolbar" }, status, reset),
      h("div", { class: "collections" }, panels.map((view) => view.element)),
      h("h2", null, "Log"),
      h(
        "table",
        { class: "operation-log", "aria-label": "Log" },
        h(
          "thead",
          null,
          h("tr", null, h("th", null, "JavaScript"), h("th", null, "Result"), h("th", null, "Outcome"), h("th", null, "Managed code sees, after")),
        ),
        log,
      ),
      h(
        "div",
        { class: "code-pair" },
        codeBlock({ language: "JavaScript", file: "how the page gets the wrappers", code: GETTING_THEM }),
        codeBlock({ language: "AssemblyScript", file: "assembly/demo/ByReference.ts", code: byReferenceSource.trim() }),
      ),
    );

    for (const view of panels) {
      view.onOperation((operation) => perform(view.collection, operation));
    }
    reset.addEventListener("click", () => {
      DotNet.invokeMethod(ASSEMBLY, "Reset");
      log.replaceChildren();
      refresh();
    });

    let left = false;
    useAssembly(byReferenceUrl).then(
      () => {
        if (left) return;
        DotNet.invokeMethod(ASSEMBLY, "Reset");
        wrappers = {
          fruits: DotNet.invokeMethod(ASSEMBLY, "Fruits"),
          slots: DotNet.invokeMethod(ASSEMBLY, "Slots"),
          prices: DotNet.invokeMethod(ASSEMBLY, "Prices"),
        };
        status.dataset.state = "match";
        status.textContent = "ByReference loaded: the collections are live.";
        reset.disabled = false;
        for (const view of panels) view.enable();
        refresh();
      },
      (error: unknown) => {
        status.dataset.state = "failed";
        status.textContent = `Could not load ByReference: ${String(error)}`;
      },
    );
    return () => {
      left = true;
      // The wrappers go with the page; the next visit asks managed code for new ones.
      if (wrappers) for (const wrapper of Object.values(wrappers)) (wrapper as { dispose(): void }).dispose();
    };
  },
};

function panel(collection: Collection) {
  const jsView = h("code", { "data-view": "js" }, "—");
  const managedView = h("code", { "data-view": "managed" }, "—");
  let listener: (operation: Operation) => void = () => {};
  const buttons = collection.operations.map((operation) =>
    h(
      "button",
      {
        type: "button",
        class: operation.error ? "operation expected-error" : operation.managed ? "operation managed" : "operation",
        title: operation.error ? "The HTML Bridge's rules say this fails" : operation.managed ? "Managed code makes this change" : null,
        disabled: true,
        onclick: () => listener(operation),
      },
      operation.code,
    ),
  );
  const element = h(
    "section",
    { class: "card collection", "data-collection": collection.name, "aria-label": collection.title },
    h("h2", null, collection.title, " ", h("code", null, collection.name)),
    h("p", { class: "hint" }, `Managed: ${collection.managedType}, from `, h("code", null, `${collection.getter}()`)),
    h("dl", { class: "collection-views" }, h("dt", null, "JavaScript's wrapper"), h("dd", null, jsView), h("dt", null, "Managed code sees"), h("dd", null, managedView)),
    h("div", { class: "operations" }, buttons),
  );
  return {
    collection,
    element,
    onOperation(fn: (operation: Operation) => void) {
      listener = fn;
    },
    enable() {
      for (const button of buttons) button.disabled = false;
    },
    refresh(wrappers: Wrappers) {
      const wrapper = wrappers[collection.name];
      jsView.textContent = formatLiteral(collection.name === "prices" ? { ...wrapper } : [...(wrapper as Iterable<unknown>)]);
      managedView.textContent = DotNet.invokeMethod<string>(ASSEMBLY, collection.describe);
    },
  };
}

/** A wrapper the page holds is named; a new one (`toArray()`'s copy) is shown by its elements, then disposed. */
function formatResult(value: unknown, wrappers: Wrappers): string {
  for (const [name, wrapper] of Object.entries(wrappers)) {
    if (value === wrapper) return `${name} itself: ${formatLiteral([...(wrapper as Iterable<unknown>)])}`;
  }
  if (isListView(value)) {
    const elements = [...value];
    value.dispose();
    return `a new managed array, by reference: ${formatLiteral(elements)}`;
  }
  return formatLiteral(value);
}

function isListView(value: unknown): value is Iterable<unknown> & { dispose(): void } {
  return typeof value === "object" && value !== null && Symbol.iterator in value && typeof (value as { dispose?: unknown }).dispose === "function";
}
