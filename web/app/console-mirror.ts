/**
 * The on-page console, docked at the bottom of every page: the one place where what a page prints
 * shows. Every `console.log`/`info`/`warn`/`error` still reaches the browser's console and is also
 * appended here, formatted as a console prints it. What does not come from the page's own console
 * (a sandbox program's output, from its worker) is printed here with `print`, so the browser's
 * console stays the page's. Pages can listen to the entries, e.g. to check a scenario's output.
 */
import { formatConsoleLine } from "./format.ts";

export type ConsoleLevel = "log" | "info" | "warn" | "error";

export interface ConsoleEntry {
  readonly level: ConsoleLevel;
  readonly values: readonly unknown[];
  readonly text: string;
}

type Listener = (entry: ConsoleEntry) => void;

const listeners = new Set<Listener>();
let dock: HTMLElement | null = null;

/** Lines beyond this many drop their oldest, so a chatty loop cannot swamp the page. */
const LIMIT = 1000;

export function mirrorConsole(list: HTMLElement): void {
  dock = list;
  for (const level of ["log", "info", "warn", "error"] as const satisfies readonly ConsoleLevel[]) {
    const original = console[level].bind(console);
    console[level] = (...values: unknown[]) => {
      original(...values);
      const entry: ConsoleEntry = { level, values, text: formatConsoleLine(values) };
      print(entry);
      for (const listener of listeners) listener(entry);
    };
  }
}

/** Appends a line to the docked console only (not the browser's); `system` is the page's own note. */
export function print({ level, text }: { level: ConsoleLevel | "system"; text: string }): void {
  if (!dock) return;
  dock.append(renderEntry({ level, text }));
  while (dock.childElementCount > LIMIT) dock.firstElementChild!.remove();
  dock.scrollTop = dock.scrollHeight;
}

export function clearConsole(): void {
  dock?.replaceChildren();
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
