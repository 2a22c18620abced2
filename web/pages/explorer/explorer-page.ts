/**
 * The marshaling explorer: every row of docs/marshaling.md with live calls into
 * assembly/demo/Explorer.ts. For each example it shows the JavaScript value sent, what managed code
 * saw (a method that describes its argument as text) and what came back (a method that returns
 * it), or the error, and whether that is what the docs say. A contents strip jumps to a type, and a
 * filter narrows the table to the rows and examples that mention what is typed.
 */
import explorerUrl from "../../../assembly/demo/Explorer.ts?assembly";
import explorerSource from "../../../assembly/demo/Explorer.ts?raw";
import { managedSignature } from "../../../host/marshal/types.ts";
import { useAssembly } from "../../app/assemblies.ts";
import { codeBlock } from "../../app/code-block.ts";
import { h, prose } from "../../app/dom.ts";
import { formatLiteral } from "../../app/format.ts";
import type { Page } from "../../app/router.ts";
import { sandboxCompiler } from "../sandbox/compiler.ts";
import { examples, isCompileExample, type CompileExample, type Example, type MarshalExample, type Outcome } from "./examples.ts";
import { marshalingTable, type TableRow } from "./marshaling-table.ts";

const ASSEMBLY = "Explorer";
/** The same wasm loaded a second time, with 64-bit integers as BigInt. */
const BIGINT_ASSEMBLY = "ExplorerBigInt";

interface Observation {
  readonly outcome: Outcome;
  /** What the describing method returned: managed code's view of the argument. */
  readonly saw: string | null;
  readonly back?: unknown;
  readonly error?: unknown;
}

function observe(example: MarshalExample, args: readonly unknown[]): Observation {
  const assembly = example.int64AsBigInt ? BIGINT_ASSEMBLY : ASSEMBLY;
  let saw: string;
  try {
    saw = DotNet.invokeMethod<string>(assembly, example.describe, ...args);
  } catch (describeError) {
    // The row shows the echo method: its own call gives the error, naming it (an argument refused
    // is refused before managed code runs, so this call changes nothing).
    try {
      DotNet.invokeMethod(assembly, example.echo, ...args);
    } catch (error) {
      return { outcome: "argument error", saw: null, error };
    }
    return { outcome: "argument error", saw: null, error: describeError };
  }
  try {
    return { outcome: "ok", saw, back: DotNet.invokeMethod(assembly, example.echo, ...args) };
  } catch (error) {
    return { outcome: "result error", saw, error };
  }
}

export const explorerPage: Page = {
  mount(root) {
    const table = marshalingTable();
    const explorer = h("table", { class: "explorer" });
    const filter = h("input", { type: "search", id: "explorer-filter", "aria-label": "Filter", placeholder: "Filter: a type, a value, a method, an outcome…" });
    const shown = h("span", { class: "hint", "aria-live": "polite" });
    const contents = h("nav", { class: "explorer-contents", "aria-label": "Types" });
    const state = h("p", { class: "verdict", "data-state": "waiting" }, "Loading the Explorer assembly…");
    root.append(
      h("h1", null, "Marshaling explorer"),
      h(
        "p",
        { class: "lede" },
        prose(
          "Every row of the marshaling table, live. Each example calls two methods of the `Explorer` assembly with " +
            "the same value: one describes what managed code received, the other returns it to JavaScript.",
        ),
      ),
      state,
      h("div", { class: "explorer-tools" }, h("label", { class: "field" }, h("span", null, "Filter"), filter), shown),
      contents,
      explorer,
      h(
        "details",
        { class: "source" },
        h("summary", null, "The managed code: ", h("code", null, "assembly/demo/Explorer.ts")),
        codeBlock({ language: "AssemblyScript", file: "assembly/demo/Explorer.ts", code: explorerSource }),
      ),
    );

    /** Sums up the rows' outcomes; runs again whenever a compile example finishes. */
    const summarize = () => {
      const unexplored = table.filter((row) => !examples.some((e) => e.row === row.key));
      const undocumented = examples.filter((e) => !table.some((row) => row.key === e.row));
      const mismatches = explorer.querySelectorAll('[data-match="false"]').length;
      const pending = explorer.querySelectorAll('[data-match="pending"]').length;
      const ok = unexplored.length === 0 && undocumented.length === 0 && mismatches === 0;
      state.dataset.state = !ok ? "failed" : pending ? "waiting" : "match";
      state.textContent = [
        `${examples.length} examples over ${table.length} rows of docs/marshaling.md:`,
        mismatches === 0 ? "every outcome is the documented one." : `${mismatches} differ from the docs.`,
        pending ? `${pending} compile${pending === 1 ? "s" : ""} on request.` : "",
        unexplored.length ? `No example yet for: ${unexplored.map((row) => row.key).join(", ")}.` : "",
        undocumented.length ? `Examples for rows the docs no longer have: ${undocumented.map((e) => e.row).join(", ")}.` : "",
      ].join(" ");
    };

    Promise.all([useAssembly(explorerUrl), useAssembly(explorerUrl, { name: BIGINT_ASSEMBLY, int64: "bigint" })]).then(
      ([assembly]) => {
        const signature = (identifier: string) => {
          const method = assembly.methods.get(identifier);
          return method ? managedSignature(method.descriptor) : identifier;
        };
        const context: RowContext = { signature, onSettled: summarize };
        explorer.append(
          h("thead", null, h("tr", null, ["Method", "JavaScript sent", "Managed code saw", "Came back", "Outcome"].map((title) => h("th", null, title)))),
        );
        const groups = table.map((row) => {
          const group = h("tbody", { "data-row": row.key }, renderRow(row, examples.filter((e) => e.row === row.key), context));
          explorer.append(group);
          return group;
        });
        contents.append(
          ...table.map((row, i) =>
            h("button", { type: "button", class: "chip", onclick: () => groups[i].scrollIntoView({ block: "start" }) }, row.key),
          ),
        );
        const applyFilter = () => {
          const visible = filterGroups(groups, filter.value);
          shown.textContent = filter.value.trim() ? `${visible} of ${examples.length} examples shown.` : "";
          contents.querySelectorAll("button").forEach((chip, i) => chip.toggleAttribute("hidden", groups[i].hidden === true));
        };
        filter.addEventListener("input", applyFilter);
        summarize();
      },
      (error: unknown) => {
        state.dataset.state = "failed";
        state.textContent = `Could not load the Explorer assembly: ${String(error)}`;
      },
    );
  },
};

interface RowContext {
  /** A method's signature as the manifest describes it. */
  readonly signature: (identifier: string) => string;
  /** Called when an example that runs later (a compile) has its outcome. */
  readonly onSettled: () => void;
}

function renderRow(row: TableRow, rowExamples: readonly Example[], context: RowContext): HTMLElement[] {
  const head = h(
    "tr",
    { class: "table-row" },
    h(
      "th",
      { colspan: 5, scope: "rowgroup" },
      h("span", { class: "row-type" }, prose(row.managedType)),
      h("span", { class: "row-js" }, " ↔ ", prose(row.jsType)),
      h(
        "dl",
        null,
        h("dt", null, "JS → managed"),
        h("dd", null, prose(row.toManaged)),
        h("dt", null, "managed → JS"),
        h("dd", null, prose(row.toJs)),
      ),
    ),
  );
  if (rowExamples.length === 0) {
    return [head, h("tr", { class: "no-example" }, h("td", { colspan: 5 }, "No live example for this row yet."))];
  }
  return [
    head,
    ...rowExamples.map((example) =>
      isCompileExample(example) ? renderCompileExample(example, context.onSettled) : renderExample(example, context.signature),
    ),
  ];
}

function renderExample(example: MarshalExample, signature: (id: string) => string): HTMLElement {
  const args = typeof example.args === "function" ? example.args() : example.args;
  const observed = observe(example, args);
  const match = observed.outcome === example.outcome;
  const sent = example.sent ?? (args.length ? args.map(formatLiteral).join(", ") : "(no arguments)");
  return h(
    "tr",
    { class: "example", "data-outcome": observed.outcome, "data-expected": example.outcome, "data-match": String(match) },
    h(
      "td",
      null,
      h("code", null, signature(example.echo)),
      example.int64AsBigInt ? h("div", { class: "note" }, "loaded with ", h("code", null, '{ int64: "bigint" }')) : null,
    ),
    h("td", null, h("code", null, sent), example.note ? h("div", { class: "note" }, example.note) : null),
    h("td", null, observed.saw === null ? h("span", { class: "never" }, "— never reached managed code") : h("code", null, observed.saw)),
    h(
      "td",
      null,
      observed.outcome === "ok"
        ? h("code", null, formatLiteral(observed.back))
        : h("span", { class: "error-text" }, describeError(observed.error)),
      observed.outcome === "ok" && example.then ? h("div", { class: "then" }, h("code", null, describeThen(example.then, observed.back))) : null,
    ),
    h(
      "td",
      null,
      h("span", { class: `badge ${match ? (observed.outcome === "ok" ? "ok" : "expected-error") : "error"}` }, observed.outcome),
      match ? null : h("div", { class: "note" }, `the docs say: ${example.outcome}`),
    ),
  );
}

/**
 * A type the compiler must refuse: the snippet is compiled in the browser (by the sandbox's
 * compiler worker) when asked, since loading the compiler is worth it only to those who want it.
 */
function renderCompileExample(example: CompileExample, onSettled: () => void): HTMLElement {
  const outcome = h("td", null, h("span", { class: "badge pending" }, "not compiled yet"));
  const result = h("td");
  const compileButton = h("button", { type: "button" }, "Compile it in your browser");
  result.append(compileButton);
  const element = h(
    "tr",
    { class: "example", "data-expected": example.outcome, "data-match": "pending" },
    h("td", { colspan: 2 }, h("pre", { class: "snippet" }, example.source), example.note ? h("div", { class: "note" }, example.note) : null),
    h("td", null, h("span", { class: "never" }, "— never becomes a method")),
    result,
    outcome,
  );
  compileButton.addEventListener("click", async () => {
    compileButton.disabled = true;
    compileButton.textContent = "Compiling…";
    let observed: Outcome = "ok";
    try {
      const response = await sandboxCompiler.compile(example.source, "Snippet");
      const error = response.ok ? undefined : response.diagnostics.find((d) => d.category === "error");
      observed = error ? "compile error" : "ok";
      result.replaceChildren(
        error
          ? h("span", { class: "error-text" }, `${error.file ?? ""}:${error.line ?? "?"}:${error.column ?? "?"} ${error.message}`)
          : h("code", null, "compiled without an error"),
      );
      const match = observed === example.outcome && (error?.message.includes(example.error) ?? false);
      element.dataset.outcome = observed;
      element.dataset.match = String(match);
      outcome.replaceChildren(h("span", { class: `badge ${match ? "expected-error" : "error"}` }, observed));
    } catch (error) {
      result.replaceChildren(h("span", { class: "error-text" }, describeError(error)));
      element.dataset.match = "false";
    }
    onSettled();
  });
  return element;
}

/** `fn(21) → 42`: what using the result gave, or the error it threw. */
function describeThen(then: NonNullable<MarshalExample["then"]>, back: unknown): string {
  try {
    return `${then.label} → ${formatLiteral(then.run(back))}`;
  } catch (error) {
    return `${then.label} threw ${describeError(error)}`;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Shows the table rows that mention every word of `query` (case-insensitive): a whole group when its
 * heading (the managed and JavaScript types, the rules) does, else its examples that do. Returns
 * how many examples are shown.
 */
function filterGroups(groups: readonly HTMLElement[], query: string): number {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (element: Element) => {
    const text = `${element.textContent ?? ""} ${element.getAttribute("data-outcome") ?? ""}`.toLowerCase();
    return words.every((word) => text.includes(word));
  };
  let shown = 0;
  for (const group of groups) {
    const [head, ...rows] = [...group.children] as HTMLElement[];
    const wholeGroup = matches(head);
    let any = wholeGroup;
    for (const row of rows) {
      row.hidden = !wholeGroup && !matches(row);
      if (!row.hidden && row.classList.contains("example")) ++shown;
      any ||= !row.hidden;
    }
    group.hidden = !any;
  }
  return shown;
}
