/**
 * A table of an assembly's reference counts (`assembly.diagnostics()`) at moments a page picks:
 * how a scenario shows that the references it made were released again.
 */
import type { AssemblyDiagnostics } from "../../../../host/runtime/index.ts";
import { h, prose } from "../../../app/dom.ts";

export interface ReferenceLog {
  readonly element: HTMLElement;
  /** Adds a row: `moment` and the counts now. */
  record(moment: string, diagnostics: AssemblyDiagnostics): void;
}

/** `note`, if any, explains the counts under the table. */
export function referenceLog(caption: string, note?: string): ReferenceLog {
  const body = h("tbody");
  const table = h(
    "table",
    { class: "reference-log", "aria-label": "References" },
    h("caption", null, caption),
    h(
      "thead",
      null,
      h("tr", null, h("th", null, "Moment"), h("th", null, "Managed objects tracked"), h("th", null, "JS references"), h("th", null, "JS object handles")),
    ),
    body,
  );
  const element = h("div", { class: "reference-log-view" }, table, note && h("p", { class: "hint" }, prose(note)));
  return {
    element,
    record(moment, { trackedObjects, jsReferences, jsObjects }) {
      body.append(
        h(
          "tr",
          null,
          h("td", null, moment),
          h("td", { "data-count": "trackedObjects" }, trackedObjects),
          h("td", { "data-count": "jsReferences" }, jsReferences),
          h("td", { "data-count": "jsObjects" }, jsObjects),
        ),
      );
    },
  };
}
