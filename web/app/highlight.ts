/**
 * Syntax colouring for the TypeScript-like sources the demo shows (AssemblyScript and
 * JavaScript): one regular expression that finds comments, strings, numbers, decorators,
 * keywords and AssemblyScript's type names, and spans around them. Small on purpose: it colours,
 * it does not parse.
 */
const KEYWORDS = [
  "async", "await", "break", "case", "catch", "class", "const", "continue", "declare", "default", "do", "else",
  "export", "extends", "finally", "for", "from", "function", "if", "import", "in", "instanceof", "let", "new", "of",
  "return", "static", "switch", "throw", "try", "type", "typeof", "var", "void", "while", "yield",
];
const LITERALS = ["true", "false", "null", "undefined", "this", "NaN", "Infinity"];
const TYPES = [
  "bool", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "isize", "usize", "f32", "f64", "string", "number",
  "bigint", "boolean", "Array", "StaticArray", "String", "Promise",
];

const TOKEN = new RegExp(
  [
    String.raw`(?<comment>\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))`,
    String.raw`(?<string>"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|\x60(?:[^\x60\\]|\\[\s\S])*\x60?)`,
    String.raw`(?<decorator>@[A-Za-z_$][\w$]*)`,
    String.raw`(?<number>\b(?:0[xX][\da-fA-F_]+|0[bB][01_]+|\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?)n?\b)`,
    String.raw`(?<word>[A-Za-z_$][\w$]*)`,
  ].join("|"),
  "g",
);

const CLASS_OF_WORD = new Map<string, string>([
  ...KEYWORDS.map((word) => [word, "tok-keyword"] as const),
  ...LITERALS.map((word) => [word, "tok-literal"] as const),
  ...TYPES.map((word) => [word, "tok-type"] as const),
]);

/** Appends `code` to `target` as text nodes and coloured spans. */
export function highlightInto(target: Node, code: string): void {
  let last = 0;
  for (const match of code.matchAll(TOKEN)) {
    const groups = match.groups ?? {};
    const className = groups.word !== undefined ? CLASS_OF_WORD.get(groups.word) : tokenClass(groups);
    if (!className) continue;
    if (match.index > last) target.appendChild(document.createTextNode(code.slice(last, match.index)));
    const span = document.createElement("span");
    span.className = className;
    span.textContent = match[0];
    target.appendChild(span);
    last = match.index + match[0].length;
  }
  if (last < code.length) target.appendChild(document.createTextNode(code.slice(last)));
}

function tokenClass(groups: Record<string, string | undefined>): string | undefined {
  if (groups.comment !== undefined) return "tok-comment";
  if (groups.string !== undefined) return "tok-string";
  if (groups.decorator !== undefined) return "tok-decorator";
  if (groups.number !== undefined) return "tok-number";
  return undefined;
}
