/** A titled, coloured, read-only code listing: what a demo page shows beside its result. */
import { h } from "./dom.ts";
import { highlightInto } from "./highlight.ts";

export interface CodeListing {
  /** What the code is, e.g. "AssemblyScript" or "JavaScript". */
  readonly language: string;
  /** Where it comes from in the repository, e.g. `assembly/BlazorSample.ts`. */
  readonly file: string;
  readonly code: string;
}

export function codeBlock({ language, file, code }: CodeListing): HTMLElement {
  const body = h("code");
  highlightInto(body, code);
  return h(
    "figure",
    { class: "code-block", "data-language": language },
    h("figcaption", null, h("span", { class: "code-language" }, language), h("span", { class: "code-file" }, file)),
    h("pre", null, body),
  );
}
