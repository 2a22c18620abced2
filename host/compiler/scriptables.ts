/**
 * `@scriptableMember` fields (the HTML Bridge's `ScriptableMemberAttribute`): properties of the JS
 * object that stands for a managed object held by reference. Each gets a generated getter export
 * and, unless it is `readonly`, a setter; reads and writes go through the marshaling table.
 */
import type { ClassDeclaration, FieldDeclaration, Range, Source, Statement } from "assemblyscript";
import { CommonFlags, NodeKind } from "./enums.ts";
import type { CompileProblem } from "./invokables.ts";
import { RESERVED_PREFIX } from "./invokables.ts";
import { crossesDirectly, findDecorator } from "./syntax.ts";

export const SCRIPTABLE_MEMBER = "scriptableMember";

export interface ScriptableMember {
  readonly owner: ClassDeclaration;
  readonly field: FieldDeclaration;
  readonly getterExport: string;
  /** Null for a `readonly` field. */
  readonly setterExport: string | null;
  readonly encoded: boolean;
}

export function collectScriptableMembers(sources: readonly Source[]): {
  members: ScriptableMember[];
  problems: CompileProblem[];
} {
  const members: ScriptableMember[] = [];
  const problems: CompileProblem[] = [];
  const problem = (range: Range, message: string) => problems.push({ range, message });

  const visit = (statement: Statement): void => {
    if (statement.kind === NodeKind.NamespaceDeclaration) {
      for (const member of (statement as unknown as { members: Statement[] }).members) visit(member);
      return;
    }
    if (statement.kind !== NodeKind.ClassDeclaration) return;
    const owner = statement as ClassDeclaration;
    for (const member of owner.members) {
      if (!findDecorator(member, SCRIPTABLE_MEMBER)) continue;
      const name = member.name.text;
      if (member.kind !== NodeKind.FieldDeclaration) {
        problem(member.range, `@${SCRIPTABLE_MEMBER} applies to fields; '${name}' of class '${owner.name.text}' is not a field.`);
      } else if (member.isAny(CommonFlags.Static | CommonFlags.Private | CommonFlags.Protected)) {
        problem(member.range, `@${SCRIPTABLE_MEMBER} field '${name}' must be a public instance field.`);
      } else if (!(member as FieldDeclaration).type) {
        problem(member.range, `@${SCRIPTABLE_MEMBER} field '${name}' needs an explicit type annotation.`);
      } else if (owner.typeParameters?.length) {
        problem(member.range, `@${SCRIPTABLE_MEMBER} field '${name}' is in a generic class, which JavaScript cannot reference.`);
      } else {
        const field = member as FieldDeclaration;
        const suffix = `${members.length}_${owner.name.text}_${name}`;
        members.push({
          owner,
          field,
          getterExport: `${RESERVED_PREFIX}get_${suffix}`,
          setterExport: field.is(CommonFlags.Readonly) ? null : `${RESERVED_PREFIX}set_${suffix}`,
          encoded: !crossesDirectly(field.type!),
        });
      }
    }
  };

  for (const source of sources) for (const statement of source.statements) visit(statement);
  return { members, problems };
}
