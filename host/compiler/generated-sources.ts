/**
 * Lets debug builds embed the code the transform generates in their source maps.
 *
 * A source map carries the text of every source it names, which asc looks up among the program's
 * sources by path. The code inject.ts generates is parsed from Sources of its own
 * (`<file>.generated.ts`) whose statements are spliced into the user's file, so the program never
 * lists them, and every debug build of an assembly with composite types failed with "Source of
 * file '<file>.generated.ts' not found". Once the program is initialized, this lists one Source
 * per generated file, carrying its code (inject.ts records each Source it makes), for that lookup
 * alone. The interop transform does it at
 * the end of its afterInitialize, so `asc --transform as-interop/transform` builds get it too.
 */
import { Source, type Program } from "assemblyscript";
import { SourceKind } from "./enums.ts";
import { generatedSources } from "./inject.ts";

export function listGeneratedSources(program: Program): void {
  const byPath = new Map<string, string[]>();
  for (const { normalizedPath, text } of generatedSources(program.parser)) {
    let texts = byPath.get(normalizedPath);
    if (!texts) byPath.set(normalizedPath, (texts = []));
    texts.push(text);
  }
  for (const [path, texts] of byPath) program.sources.push(new Source(SourceKind.User, path, texts.join("\n")));
}
