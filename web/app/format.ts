/**
 * How the demo shows JavaScript values: as a console prints them (`[1, 2, 3, 4]`) and as the
 * JavaScript literal that would produce them (`"héllo"`, `9007199254740993n`, `Int32Array [1, 2]`),
 * which the marshaling explorer uses for what was sent.
 *
 * as-interop's objects are recognized by what they offer, not by their class: the sandbox formats
 * values in its assembly's worker, whose script holds a copy of the library of its own (in a build,
 * another bundle), whose classes are not this module's.
 */

/** Console style: a top-level string is shown as is, everything nested is shown as a literal. */
export function formatForConsole(value: unknown): string {
  return typeof value === "string" ? value : formatLiteral(value);
}

/**
 * A console line of `console.log(...values)`, as a console prints it: a first value that is a
 * string is the format, whose directives take the values after it (`%s`, `%d`/`%i`, `%f`,
 * `%o`/`%O`; `%c`, a style, takes one and shows nothing; `%%` is `%`), and what is left follows,
 * separated by spaces. (as-interop prints a trace as `console.log("trace: %s", text, ...values)`.)
 */
export function formatConsoleLine(values: readonly unknown[]): string {
  const [first, ...rest] = values;
  if (typeof first !== "string") return values.map(formatForConsole).join(" ");
  let next = 0;
  const line = first.replace(/%[sdifoOc%]/g, (directive) => {
    if (directive === "%%") return "%";
    if (next >= rest.length) return directive;
    const value = rest[next++];
    switch (directive) {
      case "%c":
        return "";
      case "%d":
      case "%i":
        return typeof value === "bigint" ? `${value}n` : String(Math.trunc(asNumber(value)));
      case "%f":
        return String(asNumber(value));
      case "%s":
        return formatForConsole(value);
      default:
        return formatLiteral(value);
    }
  });
  return [line, ...rest.slice(next).map(formatForConsole)].join(" ");
}

/** A number as a console's `%d` or `%f` reads it: NaN for what has none (a symbol, which `Number` throws on). */
function asNumber(value: unknown): number {
  return typeof value === "symbol" ? Number.NaN : Number(value);
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
  if (Array.isArray(value)) return `[${value.map(formatLiteral).join(", ")}]`;
  // A view of managed memory (by reference): its elements, as now.
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag.startsWith("MemoryView<")) return `${tag} ${formatLiteral((value as { slice(): unknown }).slice())}`;
  // A live view of a managed list or map (by reference): its elements or entries, as now.
  if (isCollectionView(value as object)) {
    const copy = (value as { toJSON(): unknown }).toJSON();
    return Array.isArray(copy) ? `ListView ${formatLiteral(copy)}` : `DictionaryView ${formatLiteral(copy)}`;
  }
  // A managed object held by reference: its id is what identifies it (its keys are its scriptable members).
  if (isManagedObject(value as object)) return `DotNetObject { id: ${(value as { id: number }).id} }`;
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

/** A `DotNetObject` (a managed object by reference): Blazor's `invokeMethod`/`invokeMethodAsync`/`dispose`, and its numeric `id`. */
function isManagedObject(value: object): boolean {
  const members = value as { invokeMethod?: unknown; invokeMethodAsync?: unknown; dispose?: unknown; id?: unknown };
  return typeof members.invokeMethod === "function" && typeof members.invokeMethodAsync === "function" && typeof members.dispose === "function" && typeof members.id === "number";
}

/** A by-reference collection view: it has the wrappers' `toJSON` and `dispose` without being an array. */
function isCollectionView(value: object): boolean {
  const members = value as { toJSON?: unknown; dispose?: unknown };
  return typeof members.toJSON === "function" && typeof members.dispose === "function";
}
