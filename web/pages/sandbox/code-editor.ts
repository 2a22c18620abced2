/**
 * The sandbox's editor: a plain <textarea> over a coloured copy of its text, with line numbers
 * and line markers for diagnostics. A textarea keeps everything the platform gives for free
 * (selection, undo, IME, spellcheck off, accessibility); the copy underneath only paints.
 *
 * The textarea never scrolls itself: it is exactly as large as its text, and the editor's frame
 * scrolls it together with the line numbers and the colouring, so they can never drift apart.
 */
import { h } from "../../app/dom.ts";
import { highlightInto } from "../../app/highlight.ts";

export interface LineMarker {
  readonly line: number;
  readonly severity: "error" | "warning";
  readonly message: string;
}

export interface CodeEditorOptions {
  /** Names the text area for assistive technology and tests. */
  readonly label: string;
  readonly value: string;
  /** Ctrl+Enter (⌘+Enter): what the page's main button does. */
  readonly onRun?: () => void;
}

const INDENT = "  ";

export class CodeEditor {
  readonly element: HTMLElement;
  readonly #textarea: HTMLTextAreaElement;
  readonly #highlight: HTMLElement;
  readonly #gutter: HTMLElement;
  readonly #markers: HTMLElement;
  readonly #listeners = new Set<() => void>();
  #lineCount = 0;
  /** After Escape, Tab leaves the editor instead of indenting, so keyboard users are not trapped. */
  #tabMovesFocus = false;

  constructor({ label, value, onRun }: CodeEditorOptions) {
    this.#textarea = h("textarea", {
      "aria-label": label,
      spellcheck: "false",
      autocapitalize: "off",
      autocomplete: "off",
      wrap: "off",
    });
    this.#highlight = h("code");
    this.#gutter = h("div", { class: "editor-gutter", "aria-hidden": "true" });
    this.#markers = h("div", { class: "editor-markers", "aria-hidden": "true" });
    this.element = h(
      "div",
      { class: "editor" },
      this.#gutter,
      h("div", { class: "editor-code" }, this.#markers, h("pre", { "aria-hidden": "true" }, this.#highlight), this.#textarea),
    );

    this.#textarea.addEventListener("input", () => this.#changed());
    this.#textarea.addEventListener("keydown", (event) => this.#keydown(event, onRun));
    this.value = value;
  }

  get value(): string {
    return this.#textarea.value;
  }

  set value(text: string) {
    this.#textarea.value = text;
    this.#changed();
  }

  /** Calls `listener` after every change of the text, typed or set. */
  onChange(listener: () => void): void {
    this.#listeners.add(listener);
  }

  /** Marks lines (1-based) in the gutter and behind the code; an empty list clears them. */
  mark(markers: readonly LineMarker[]): void {
    this.#markers.replaceChildren(
      ...markers.map(({ line, severity }) => h("div", { class: `line-marker ${severity}`, style: `--line: ${line - 1}` })),
    );
    const byLine = new Map(markers.map((marker) => [marker.line, marker]));
    [...this.#gutter.children].forEach((number, index) => {
      const marker = byLine.get(index + 1);
      number.className = marker ? marker.severity : "";
      if (marker) number.setAttribute("title", marker.message);
      else number.removeAttribute("title");
    });
  }

  /** Puts the caret at the start of `line` (1-based) and scrolls it into view. */
  revealLine(line: number): void {
    const lines = this.value.split("\n");
    const offset = lines.slice(0, Math.max(0, line - 1)).reduce((sum, text) => sum + text.length + 1, 0);
    this.#textarea.focus();
    this.#textarea.setSelectionRange(offset, offset);
    this.#gutter.children[line - 1]?.scrollIntoView({ block: "center" });
  }

  #changed(): void {
    const text = this.value;
    this.#highlight.replaceChildren();
    // A final newline needs something after it, or the copy would be one line shorter.
    highlightInto(this.#highlight, text.endsWith("\n") ? `${text} ` : text);
    const lineCount = text.split("\n").length;
    if (lineCount !== this.#lineCount) {
      this.#lineCount = lineCount;
      this.#gutter.replaceChildren(...Array.from({ length: lineCount }, (_, i) => h("div", null, String(i + 1))));
      this.#markers.replaceChildren();
    }
    for (const listener of this.#listeners) listener();
  }

  #keydown(event: KeyboardEvent, onRun: (() => void) | undefined): void {
    if (event.key === "Escape") {
      this.#tabMovesFocus = true;
      return;
    }
    const tabMovesFocus = this.#tabMovesFocus;
    this.#tabMovesFocus = false;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun?.();
    } else if (event.key === "Tab" && !tabMovesFocus && !event.shiftKey && !event.altKey) {
      event.preventDefault();
      this.#insert(INDENT);
    } else if (event.key === "Enter" && !event.shiftKey) {
      // Keep the indentation of the line the caret is on.
      const before = this.value.slice(0, this.#textarea.selectionStart);
      const indent = /^[ \t]*/.exec(before.slice(before.lastIndexOf("\n") + 1))![0];
      if (indent) {
        event.preventDefault();
        this.#insert(`\n${indent}`);
      }
    }
  }

  /** Inserts as if typed, so the browser's undo history keeps it. */
  #insert(text: string): void {
    // execCommand is the one way to edit a textarea that undo (Ctrl+Z) knows about.
    if (!document.execCommand("insertText", false, text)) {
      this.#textarea.setRangeText(text, this.#textarea.selectionStart, this.#textarea.selectionEnd, "end");
      this.#changed();
    }
  }
}
