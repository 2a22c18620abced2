/**
 * Shows what the page logs on the page itself: every `console.log`/`warn`/`error` still reaches
 * the browser's console and is also appended to an on-page list, formatted as Chromium prints it.
 */
type Level = "log" | "info" | "warn" | "error";

export function mirrorConsole(list: HTMLElement): void {
  for (const level of ["log", "info", "warn", "error"] as const satisfies readonly Level[]) {
    const original = console[level].bind(console);
    console[level] = (...values: unknown[]) => {
      original(...values);
      const entry = document.createElement("li");
      entry.className = `console-${level}`;
      entry.textContent = values.map((value) => format(value, 0)).join(" ");
      list.append(entry);
      entry.scrollIntoView({ block: "nearest" });
    };
  }
}

export function format(value: unknown, depth: number): string {
  if (typeof value === "string") return depth === 0 ? value : JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (Array.isArray(value)) return `[${value.map((item) => format(item, depth + 1)).join(", ")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([key, item]) => `${key}: ${format(item, depth + 1)}`);
    return `{${entries.join(", ")}}`;
  }
  return String(value);
}
