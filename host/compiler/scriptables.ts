/**
 * `@scriptableMember` fields (the HTML Bridge's `ScriptableMemberAttribute`): properties of the JS
 * object that stands for a managed object held by reference. Each gets a generated getter export
 * and, unless it is `readonly`, a setter; reads and writes go through the marshaling table.
 */
import type { ClassDeclaration, FieldDeclaration, Range, Source, Statement, TypeNode } from "assemblyscript";
import { CommonFlags, NodeKind } from "./enums.ts";
import type { CompileProblem } from "./invokables.ts";
import { RESERVED_PREFIX } from "./invokables.ts";
import { asNamedType, crossesDirectly, findDecorator, typeNameOf } from "./syntax.ts";

const SCRIPTABLE_MEMBER = "scriptableMember";
/** The HTML Bridge's `SerializeToScriptByValue`: a list or map member crosses as a copy instead. */
const BY_VALUE = "serializeToScriptByValue";

/** How a list or map member crosses by reference (the HTML Bridge's default for such members). */
export interface ByReference {
  readonly wrapper: "ListReference" | "FixedListReference" | "DictionaryReference";
  /** The element (list) or value (map) annotation. */
  readonly element: TypeNode;
  /** A `readonly` member: its view refuses every change (the member itself can never be replaced). */
  readonly readOnly: boolean;
}

export interface ScriptableMember {
  readonly owner: ClassDeclaration;
  readonly field: FieldDeclaration;
  readonly getterExport: string;
  /** Null for a `readonly` field, and for one crossing by reference (change it through its view). */
  readonly setterExport: string | null;
  readonly encoded: boolean;
  /** Set when the member is a list or map that JS sees as a live view. */
  readonly byReference: ByReference | null;
}

/** `Array<T>`/`T[]`, `StaticArray<T>` or `Map<string, V>`, unless marked by value. */
function byReferenceOf(field: FieldDeclaration): ByReference | null {
  if (findDecorator(field, BY_VALUE)) return null;
  const named = asNamedType(field.type);
  const args = named?.typeArguments ?? [];
  const readOnly = field.is(CommonFlags.Readonly);
  switch (typeNameOf(field.type)) {
    case "Array":
      return args.length === 1 ? { wrapper: "ListReference", element: args[0], readOnly } : null;
    case "StaticArray":
      return args.length === 1 ? { wrapper: "FixedListReference", element: args[0], readOnly } : null;
    case "Map":
      return args.length === 2 && typeNameOf(args[0]) === "string" ? { wrapper: "DictionaryReference", element: args[1], readOnly } : null;
    default:
      return null;
  }
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
      } else {
        const field = member as FieldDeclaration;
        const suffix = `${members.length}_${owner.name.text}_${name}`;
        const byReference = byReferenceOf(field);
        members.push({
          owner,
          field,
          getterExport: `${RESERVED_PREFIX}get_${suffix}`,
          setterExport: field.is(CommonFlags.Readonly) || byReference ? null : `${RESERVED_PREFIX}set_${suffix}`,
          encoded: byReference !== null || !crossesDirectly(field.type!),
          byReference,
        });
      }
    }
  };

  for (const source of sources) for (const statement of source.statements) visit(statement);
  return { members, problems };
}
