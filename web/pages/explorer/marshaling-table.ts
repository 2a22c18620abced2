/**
 * Reads the marshaling table out of docs/marshaling.md, so the explorer shows the documented rule
 * beside each live example and notices a documented row that has no example yet.
 */
import marshalingDoc from "../../../docs/marshaling.md?raw";

export interface TableRow {
  /**
   * How examples name the row: the first type in the first column (`i64` for "`i64` `u64`"), with
   * the words that tell two rows of one type apart ("JSObject, from a reference JS made").
   */
  readonly key: string;
  /** The row's cells as written (Markdown inline code kept in backticks). */
  readonly managedType: string;
  readonly jsType: string;
  readonly toManaged: string;
  readonly toJs: string;
}

export function marshalingTable(markdown: string = marshalingDoc): TableRow[] {
  const lines = markdown.split("\n");
  const header = lines.findIndex((line) => /^\|\s*managed type\s*\|/.test(line));
  if (header < 0) throw new Error("docs/marshaling.md: no table with a 'managed type' column");
  const rows: TableRow[] = [];
  // Skip the header and its |---| separator; the table ends at the first line that is not a row.
  for (let i = header + 2; i < lines.length && lines[i].startsWith("|"); ++i) {
    const [managedType, jsType, toManaged, toJs] = cells(lines[i]);
    const key = rowKey(managedType);
    rows.push({ key, managedType, jsType: jsType ?? "", toManaged: toManaged ?? "", toJs: toJs ?? "" });
  }
  return rows;
}

/** Splits `| a | b \| c |` into ["a", "b | c"]: a backslash-escaped pipe belongs to its cell. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, "")
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replaceAll("\\|", "|"));
}

function rowKey(managedType: string): string {
  const qualified = /^`([^`]+)`(, [^`(]+?)\s*(\(|$)/.exec(managedType);
  if (qualified) return qualified[1] + qualified[2];
  return /`([^`]+)`/.exec(managedType)?.[1] ?? managedType;
}
