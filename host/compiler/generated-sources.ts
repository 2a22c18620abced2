/**
 * Lets debug builds embed the code the transform generates in their source maps.
 *
 * A source map carries the text of every source it names, which asc looks up among the program's
 * sources by path. The code inject.ts generates is parsed from Sources of its own
 * (`<file>.generated.ts`) whose statements are spliced into the user's file, so the program never
 * lists them, and every debug build of an assembly with composite types failed with "Source of
 * file '<file>.generated.ts' not found". Once the program is initialized, this lists one Source
 * per generated file, carrying its code, for that lookup alone. The interop transform does it at
 * the end of its afterInitialize, so `asc --transform as-interop/transform` builds get it too.
 */
import { Source, type Node, type Program } from "assemblyscript";
import { NodeKind, SourceKind } from "./enums.ts";

export function listGeneratedSources(program: Program): void {
  const listed = new Set(program.sources);
  const generated = new Map<string, Set<Source>>();
  const visit = (node: Node): void => {
    const origin = node.range.source;
    if (!listed.has(origin)) {
      const sources = generated.get(origin.normalizedPath) ?? new Set<Source>();
      generated.set(origin.normalizedPath, sources.add(origin));
    }
    // Generated class members are spliced into the user's class declarations.
    if (node.kind === NodeKind.ClassDeclaration) {
      for (const member of (node as unknown as { members: Node[] }).members) visit(member);
    }
  };
  for (const source of program.sources) for (const statement of source.statements) visit(statement);
  for (const [path, sources] of generated) {
    const text = [...sources].map((source) => source.text).join("\n");
    program.sources.push(new Source(SourceKind.User, path, text));
  }
}
