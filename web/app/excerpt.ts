/**
 * Shows real source instead of a copy: takes one declaration (with the comments and decorators
 * above it) out of a file imported with Vite's `?raw`, so the code beside a demo is the code that
 * runs.
 */

/**
 * The lines from the comment block above the first line containing `marker` down to the line
 * that closes its braces (or, for a declaration without braces, its semicolon). Throws when the marker is missing, so a renamed function breaks loudly.
 */
export function excerpt(source: string, marker: string): string {
  const lines = source.split("\n");
  const at = lines.findIndex((line) => line.includes(marker));
  if (at < 0) throw new Error(`excerpt: no line contains ${JSON.stringify(marker)}`);

  let start = at;
  while (start > 0 && isLeading(lines[start - 1])) --start;

  let depth = 0;
  let opened = false;
  let end = at;
  for (; end < lines.length; ++end) {
    for (const char of lines[end]) {
      if (char === "{") {
        ++depth;
        opened = true;
      } else if (char === "}") --depth;
    }
    if (depth <= 0 && lines[end].includes("}")) break;
    // A declaration without a body (`let x: T = 0;`) ends at its semicolon.
    if (!opened && lines[end].trimEnd().endsWith(";")) break;
  }
  return dedent(lines.slice(start, end + 1)).join("\n");
}

/** Comment and decorator lines belong to the declaration below them. */
function isLeading(line: string): boolean {
  const text = line.trim();
  return text.startsWith("//") || text.startsWith("/*") || text.startsWith("*") || text.startsWith("@");
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length);
  const common = Math.min(...indents);
  return lines.map((line) => line.slice(common));
}

/** Several declarations of one file, in the order given, a blank line apart. */
export function excerpts(source: string, ...markers: string[]): string {
  return markers.map((marker) => excerpt(source, marker)).join("\n\n");
}
