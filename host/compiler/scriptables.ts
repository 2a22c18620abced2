/**
 * `@scriptableMember` fields and properties (the HTML Bridge's `ScriptableMemberAttribute`):
 * properties of the JS object that stands for a managed object held by reference. Each gets a
 * generated getter export and, unless it is `readonly` (or a property without a public `set`
 * accessor), a setter; reads and writes go through the marshaling table.
 */
import type { ClassDeclaration, Range, Source, Statement, TypeNode } from "assemblyscript";
import { CommonFlags, NodeKind } from "./enums.ts";
import type { CompileProblem } from "./invokables.ts";
import { RESERVED_PREFIX } from "./invokables.ts";
import { markedMembers, type MarkedMember } from "./members.ts";
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
  /** The field or property. */
  readonly declared: MarkedMember;
  readonly getterExport: string;
  /** Null for a `readonly` field, and for one crossing by reference (change it through its view). */
  readonly setterExport: string | null;
  readonly encoded: boolean;
  /** Set when the member is a list or map that JS sees as a live view. */
  readonly byReference: ByReference | null;
}

/** `Array<T>`/`T[]`, `StaticArray<T>` or `Map<string, V>`, unless marked by value. */
function byReferenceOf(field: MarkedMember, readOnly: boolean): ByReference | null {
  if (findDecorator(field.declaration, BY_VALUE) || (field.setter && findDecorator(field.setter, BY_VALUE))) return null;
  const named = asNamedType(field.type);
  const args = named?.typeArguments ?? [];
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
    for (const field of markedMembers(owner, SCRIPTABLE_MEMBER, problem)) {
      const { kind, name } = field;
      if (field.declaration.isAny(CommonFlags.Static | CommonFlags.Private | CommonFlags.Protected)) {
        problem(field.range, `@${SCRIPTABLE_MEMBER} ${kind} '${name}' must be a public instance ${kind}.`);
        continue;
      }
      // A property whose setter is private or protected is read-only to JS, as in .NET.
      const readOnly = field.readOnly || (field.setter?.isAny(CommonFlags.Private | CommonFlags.Protected) ?? false);
      const suffix = `${members.length}_${owner.name.text}_${name}`;
      const byReference = byReferenceOf(field, readOnly);
      members.push({
        owner,
        declared: field,
        getterExport: `${RESERVED_PREFIX}get_${suffix}`,
        setterExport: readOnly || byReference ? null : `${RESERVED_PREFIX}set_${suffix}`,
        encoded: byReference !== null || !crossesDirectly(field.type),
        byReference,
      });
    }
  };

  for (const source of sources) for (const statement of source.statements) visit(statement);
  return { members, problems };
}
