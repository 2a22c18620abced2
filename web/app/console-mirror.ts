/**
 * The on-page console: every `console.log`/`info`/`warn`/`error` still reaches the browser's
 * console and is also appended to a list on the page, formatted as a console prints it. Pages
 * can listen to the entries, e.g. to show a scenario's output beside its code.
 */
import { formatForConsole } from "./format.ts";

export type ConsoleLevel = "log" | "info" | "warn" | "error";

export interface ConsoleEntry {
  readonly level: ConsoleLevel;
  readonly values: readonly unknown[];
  readonly text: string;
}

type Listener = (entry: ConsoleEntry) => void;

const listeners = new Set<Listener>();

export function mirrorConsole(list: HTMLElement): void {
  for (const level of ["log", "info", "warn", "error"] as const satisfies readonly ConsoleLevel[]) {
    const original = console[level].bind(console);
    console[level] = (...values: unknown[]) => {
      original(...values);
      const entry: ConsoleEntry = { level, values, text: values.map(formatForConsole).join(" ") };
      list.append(renderEntry(entry));
      list.scrollTop = list.scrollHeight;
      for (const listener of listeners) listener(entry);
    };
  }
}

/** One console line; `system` is the page's own note (a run started, a run stopped). */
export function renderEntry({ level, text }: { level: ConsoleLevel | "system"; text: string }): HTMLLIElement {
  const item = document.createElement("li");
  item.className = `console-${level}`;
  item.textContent = text;
  return item;
}

/** Calls `listener` with every entry from now on; returns the function that stops it. */
export function onConsoleEntry(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
