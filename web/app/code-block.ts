/** A titled, coloured, read-only code listing: what a demo page shows beside its result. */
import { h } from "./dom.ts";
import { highlightInto } from "./highlight.ts";

export interface CodeListing {
  /** What the code is, e.g. "AssemblyScript" or "JavaScript". */
  readonly language: string;
  /** Where it comes from in the repository, e.g. `assembly/demo/BlazorSample.ts`. */
  readonly file: string;
  /** The code, or a promise of it (e.g. a file the page fetches as the server serves it). */
  readonly code: string | Promise<string>;
}

export function codeBlock({ language, file, code }: CodeListing): HTMLElement {
  const body = h("code");
  if (typeof code === "string") highlightInto(body, code);
  else {
    body.textContent = "Loading…";
    code.then(
      (text) => highlightInto(body, text),
      (error: unknown) => void (body.textContent = `Could not load ${file}: ${String(error)}`),
    );
  }
  return h(
    "figure",
    { class: "code-block", "data-language": language },
    h("figcaption", null, h("span", { class: "code-language" }, language), h("span", { class: "code-file" }, file)),
    h("pre", null, body),
  );
}
