/**
 * The sandbox's editor: CodeMirror 6 with what a playground needs — TypeScript-flavoured
 * highlighting (AssemblyScript is TypeScript's syntax), line numbers, bracket matching and
 * closing, search (Ctrl+F), undo history, soft-wrapped lines, the compiler's diagnostics in a lint
 * gutter and under the lines they concern, and completion of the words a sandbox program uses.
 * Ctrl+Enter (⌘+Enter) runs the program; Escape then Tab leaves the editor (CodeMirror's own rule,
 * so keyboard users are never trapped by Tab indenting).
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, type CompletionSource } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorSelection, EditorState, Prec } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";

export interface LineMarker {
  /** 1-based. */
  readonly line: number;
  /** 1-based; the whole line when absent. */
  readonly column?: number;
  readonly severity: "error" | "warning";
  readonly message: string;
}

export interface CodeEditorOptions {
  /** Names the editor for assistive technology and tests. */
  readonly label: string;
  readonly value: string;
  /** `typescript` for AssemblyScript, `javascript` for the script. */
  readonly language: "typescript" | "javascript";
  /** Completions offered while typing (beyond the language's own keywords). */
  readonly completions?: CompletionSource;
  /** Ctrl+Enter (⌘+Enter): what the page's main button does. */
  readonly onRun?: () => void;
}

export class CodeEditor {
  readonly element: HTMLElement;
  readonly #view: EditorView;
  readonly #listeners = new Set<() => void>();

  constructor({ label, value, language, completions, onRun }: CodeEditorOptions) {
    this.element = document.createElement("div");
    this.element.className = "editor";
    this.#view = new EditorView({
      parent: this.element,
      state: EditorState.create({
        doc: value,
        extensions: [
          Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (onRun?.(), true) }])),
          lineNumbers(),
          lintGutter(),
          foldGutter(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          highlightSelectionMatches(),
          autocompletion(completions ? { override: [completions] } : {}),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          javascript({ typescript: language === "typescript" }),
          EditorView.lineWrapping,
          EditorState.tabSize.of(2),
          EditorView.contentAttributes.of({ "aria-label": label, spellcheck: "false", autocapitalize: "off" }),
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) for (const listener of this.#listeners) listener();
          }),
        ],
      }),
    });
  }

  get value(): string {
    return this.#view.state.doc.toString();
  }

  /** Replaces the whole text (one undoable change), keeping the caret in range. */
  set value(text: string) {
    if (text === this.value) return;
    this.#view.dispatch({ changes: { from: 0, to: this.#view.state.doc.length, insert: text }, selection: EditorSelection.cursor(0) });
  }

  /** Calls `listener` after every change of the text, typed or set. */
  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  /** Shows diagnostics in the lint gutter and underlines them; an empty list clears them. */
  mark(markers: readonly LineMarker[]): void {
    const { doc } = this.#view.state;
    const diagnostics: Diagnostic[] = markers
      .filter(({ line }) => line >= 1 && line <= doc.lines)
      .map(({ line, column, severity, message }) => {
        const at = doc.line(line);
        const from = column ? Math.min(at.from + column - 1, at.to) : at.from;
        // Underline the word at the column (or the whole line), never an empty range.
        const word = this.#view.state.wordAt(from);
        const to = column && word ? word.to : Math.max(at.to, from);
        return { from, to: Math.max(to, from), severity, message };
      });
    this.#view.dispatch(setDiagnostics(this.#view.state, diagnostics));
  }

  /** Puts the caret at `line` (1-based) and `column`, scrolls it into view, and focuses the editor. */
  revealLine(line: number, column = 1): void {
    const { doc } = this.#view.state;
    const at = doc.line(Math.min(Math.max(line, 1), doc.lines));
    const position = Math.min(at.from + column - 1, at.to);
    this.#view.dispatch({ selection: EditorSelection.cursor(position), effects: EditorView.scrollIntoView(position, { y: "center" }) });
    this.#view.focus();
  }

  /** The line (1-based) the caret is on. */
  get caretLine(): number {
    return this.#view.state.doc.lineAt(this.#view.state.selection.main.head).number;
  }

  destroy(): void {
    this.#view.destroy();
  }
}
