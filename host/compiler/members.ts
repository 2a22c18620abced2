/**
 * What `@dataMember` and `@scriptableMember` mark: the HTML Bridge's "field or property". A field,
 * or a property written as a `get` accessor (with or without a `set` one; either may carry the
 * decorator). Generated code reads and writes both the same way, `obj.name`, so the rest of the
 * compiler needs of a member only its name, its type as written and whether JS may set it. Both
 * decorators take the name JavaScript sees the member by (see {@link jsNameOf}).
 */
import type { ClassDeclaration, DeclarationStatement, DecoratorNode, FieldDeclaration, MethodDeclaration, Range, TypeNode } from "assemblyscript";
import { CommonFlags, NodeKind } from "./enums.ts";
import { decoratorName, findDecorator, typeText } from "./syntax.ts";

export interface MarkedMember {
  readonly kind: "field" | "property";
  readonly name: string;
  /** The field's annotation, or the `get` accessor's return type. */
  readonly type: TypeNode;
  /** The field, or the `get` accessor: errors point here, and generated code goes into its file. */
  readonly range: Range;
  /** The field, or the `get` accessor, whose flags (`static`, `private`, …) say who may use it. */
  readonly declaration: DeclarationStatement;
  /** The `set` accessor of a property, which may be less visible than its getter; null for a field. */
  readonly setter: MethodDeclaration | null;
  /** A `readonly` field, or a property without a `set` accessor. */
  readonly readOnly: boolean;
  /** The decorator as written: on the field, or on each accessor that carries it (its arguments are the decorator's to read). */
  readonly decorators: readonly DecoratorNode[];
}

const isAccessor = (member: DeclarationStatement, flag: number): member is MethodDeclaration =>
  member.kind === NodeKind.MethodDeclaration && member.is(flag);

/**
 * The members of `owner` marked `@decorator`, in declaration order (a property where its first
 * marked accessor is). Anything else marked (a method), a field without a type, a property without
 * a getter or whose accessors disagree on its type are reported, and left out.
 */
export function markedMembers(
  owner: ClassDeclaration,
  decorator: string,
  problem: (range: Range, message: string) => void,
): MarkedMember[] {
  const members: MarkedMember[] = [];
  const seen = new Set<string>();
  const className = owner.name.text;
  for (const member of owner.members) {
    const marking = findDecorator(member, decorator);
    if (!marking) continue;
    const name = member.name.text;
    if (member.kind === NodeKind.FieldDeclaration) {
      const field = member as FieldDeclaration;
      if (!field.type) {
        problem(member.range, `@${decorator} field '${name}' needs an explicit type annotation.`);
        continue;
      }
      const readOnly = member.is(CommonFlags.Readonly);
      members.push({ kind: "field", name, type: field.type, range: member.range, declaration: member, setter: null, readOnly, decorators: [marking] });
      continue;
    }
    if (!isAccessor(member, CommonFlags.Get) && !isAccessor(member, CommonFlags.Set)) {
      problem(member.range, `@${decorator} applies to fields and get/set properties; '${name}' of class '${className}' is neither.`);
      continue;
    }
    // The decorator may be on the getter, the setter or both: one member either way.
    if (seen.has(name)) continue;
    seen.add(name);
    const accessors = owner.members.filter((m) => m.name.text === name && m.is(CommonFlags.Static) === member.is(CommonFlags.Static));
    const getter = accessors.find((m) => isAccessor(m, CommonFlags.Get)) as MethodDeclaration | undefined;
    const setter = (accessors.find((m) => isAccessor(m, CommonFlags.Set)) as MethodDeclaration | undefined) ?? null;
    if (!getter) {
      problem(member.range, `@${decorator} property '${name}' of class '${className}' has no get accessor: JavaScript reads what it marks.`);
      continue;
    }
    // AssemblyScript's parser itself requires the getter's return type ("Type expected.").
    const type = getter.signature.returnType;
    const written = setter?.signature.parameters[0]?.type;
    if (setter && written && typeText(written) !== typeText(type)) {
      problem(
        setter.range,
        `@${decorator} property '${name}' of class '${className}' is read as '${typeText(type)}' but set as '${typeText(written)}': ` +
          `JavaScript sets what it reads, so both accessors need the same type.`,
      );
      continue;
    }
    const decorators = [getter, setter].flatMap((accessor) => (accessor && findDecorator(accessor, decorator)) || []);
    members.push({ kind: "property", name, type, range: getter.range, declaration: getter, setter, readOnly: setter === null, decorators });
  }
  return members;
}

/**
 * The JS name of a marked member: its own, or the one its decorator gives (`@dataMember("first-name")`,
 * System.Text.Json's `[JsonPropertyName]`; `@scriptableMember("label")`, the HTML Bridge's
 * `ScriptAlias`). A property's decorator may be on either accessor, or on both with one name: it is
 * one JS property. Null when the argument is not a name (reported through `problem`).
 */
export function jsNameOf(
  member: MarkedMember,
  decorator: string,
  className: string,
  problem: (range: Range, message: string) => void,
): string | null {
  let given: string | undefined;
  for (const marking of member.decorators) {
    const name = decoratorName(marking);
    if (name === null) {
      problem(marking.range, `@${decorator} takes at most one argument: the name of the JS property, a non-empty string literal.`);
      return null;
    }
    if (name !== undefined && given !== undefined && name !== given) {
      problem(
        marking.range,
        `@${decorator} property '${member.name}' of class '${className}' is named '${given}' on its get accessor and '${name}' ` +
          `on its set accessor: it crosses as one JS property, so give its name once.`,
      );
      return null;
    }
    given = name ?? given;
  }
  return given ?? member.name;
}
