import { DotNetObject, MemoryView } from "../../host/runtime/index.ts";

/**
 * How the demo shows JavaScript values: as a console prints them (`[1, 2, 3, 4]`) and as the
 * JavaScript literal that would produce them (`"héllo"`, `9007199254740993n`, `Int32Array [1, 2]`),
 * which the marshaling explorer uses for what was sent.
 */

/** Console style: a top-level string is shown as is, everything nested is shown as a literal. */
export function formatForConsole(value: unknown): string {
  return typeof value === "string" ? value : formatLiteral(value);
}

export function formatLiteral(value: unknown): string {
  switch (typeof value) {
    case "string":
      // JSON.stringify escapes lone surrogates (\ud800) and control characters, as a literal should.
      return JSON.stringify(value);
    case "bigint":
      return `${value}n`;
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "function":
      return `function ${value.name || "(anonymous)"}`;
    case "symbol":
      return value.toString();
    case "undefined":
      return "undefined";
    case "boolean":
      return String(value);
  }
  if (value === null) return "null";
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  // A managed object held by reference: its id is what identifies it (its keys are its scriptable members).
  if (value instanceof DotNetObject) return `DotNetObject { id: ${(value as { id: number }).id} }`;
  if (Array.isArray(value)) return `[${value.map(formatLiteral).join(", ")}]`;
  // A view of managed memory (by reference): its elements, as now.
  if (value instanceof MemoryView) return `${Object.prototype.toString.call(value).slice(8, -1)} ${formatLiteral(value.slice())}`;
  // A live view of a managed list or map (by reference): its elements or entries, as now.
  if (isCollectionView(value as object)) {
    const copy = (value as { toJSON(): unknown }).toJSON();
    return Array.isArray(copy) ? `ListView ${formatLiteral(copy)}` : `DictionaryView ${formatLiteral(copy)}`;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = Array.from(value as unknown as ArrayLike<number | bigint>, formatLiteral);
    return `${value.constructor.name} [${items.join(", ")}]`;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : `Date ${value.toISOString()}`;
  if (value instanceof Map) {
    const entries = [...value].map(([key, item]) => `${formatLiteral(key)} => ${formatLiteral(item)}`);
    return `Map {${entries.join(", ")}}`;
  }
  const entries = Object.entries(value as object).map(([key, item]) => `${key}: ${formatLiteral(item)}`);
  return `{${entries.join(", ")}}`;
}

/** A by-reference collection view: it has the wrappers' `toJSON` and `dispose` without being an array. */
function isCollectionView(value: object): boolean {
  const members = value as { toJSON?: unknown; dispose?: unknown };
  return typeof members.toJSON === "function" && typeof members.dispose === "function";
}
