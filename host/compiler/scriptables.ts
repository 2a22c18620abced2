/**
 * `@scriptableMember` fields and properties (the HTML Bridge's `ScriptableMemberAttribute`):
 * properties of the JS object that stands for a managed object held by reference. Each gets a
 * generated getter export and, unless it is `readonly` (or a property without a public `set`
 * accessor), a setter; reads and writes go through the marshaling table. JavaScript sees each by
 * its own name, or by the one the decorator gives (`@scriptableMember("label")`, the HTML Bridge's
 * `ScriptAlias`); two members of a class under one name are an error (inherited-members.ts holds
 * a class's against its bases').
 */
import type { ClassDeclaration, DeclarationStatement, DecoratorNode, Range, Source, Statement, TypeNode } from "assemblyscript";
import { CommonFlags, NodeKind } from "./enums.ts";
import type { CompileProblem } from "./invokables.ts";
import { RESERVED_PREFIX } from "./invokables.ts";
import { jsNameOf, markedMembers, type MarkedMember } from "./members.ts";
import { asNamedType, crossesDirectly, findDecorator, typeNameOf, typeText } from "./syntax.ts";

export const SCRIPTABLE_MEMBER = "scriptableMember";
/** The HTML Bridge's `SerializeToScriptByValue`: a list or map member crosses as a copy instead. */
const BY_VALUE = "serializeToScriptByValue";

/**
 * What every reference has of its own (host/refs/dotnet-object.ts: `DotNetObject.prototype`): a
 * member under one of these names would be an own property of the reference, and hide it from
 * JavaScript (`ref.dispose` would read the member). A stream's `stream()`/`arrayBuffer()` and a
 * sink's `writeStream()` are on those classes only, which this syntax-level pass cannot tell from
 * others (a member of another class may well be called `stream`): see {@link hiddenStreamMethod}.
 */
const REFERENCE_MEMBERS = ["invokeMethod", "invokeMethodAsync", "dispose", "id"];

/** The error for a script name `member` may not have, `why` saying what it would do. */
function refusedScriptName(member: MarkedMember, jsName: string, className: string, why: string): string {
  return (
    `The script name '${jsName}' of @${SCRIPTABLE_MEMBER} ${member.kind} '${member.name}' of class '${className}' ${why}; ` +
    `give it another with @${SCRIPTABLE_MEMBER}("name").`
  );
}

/** What a member named as one of the reference's own (`jsName`) would do, JavaScript using `what` of it. */
const hides = (jsName: string, what: string) => `would hide the reference's own '${jsName}' (JavaScript calls ${what})`;

/** The error for a name no scriptable member of any class may take, or null when `jsName` may be taken. */
function reservedScriptName(member: MarkedMember, jsName: string, className: string): string | null {
  if (REFERENCE_MEMBERS.includes(jsName)) {
    return refusedScriptName(member, jsName, className, hides(jsName, "invokeMethod, invokeMethodAsync and dispose, and reads id, of every DotNetObject"));
  }
  if (jsName === "then") {
    return refusedScriptName(member, jsName, className, `would make every reference to an object of class '${className}' a thenable, which await calls as a promise's then`);
  }
  return null;
}

/**
 * The error for `member` on a class whose references are streams (`stream()`, `arrayBuffer()`) or
 * sinks (`writeStream()`), as the resolved program tells, if its name would hide one of those
 * methods as the names of {@link REFERENCE_MEMBERS} would. Null when it would not.
 */
export function hiddenStreamMethod(member: ScriptableMember, references: { stream: boolean; sink: boolean }, className: string): string | null {
  const { jsName, declared } = member;
  if (references.stream && (jsName === "stream" || jsName === "arrayBuffer")) {
    return refusedScriptName(declared, jsName, className, hides(jsName, "stream() and arrayBuffer() of a ManagedStream's references"));
  }
  if (references.sink && jsName === "writeStream") {
    return refusedScriptName(declared, jsName, className, hides(jsName, "writeStream() of a StreamSink's references"));
  }
  return null;
}

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
  /** The name JavaScript sees it by: its own, or the decorator's argument (the HTML Bridge's `ScriptAlias`). */
  readonly jsName: string;
  readonly getterExport: string;
  /** Null for a `readonly` field, and for one crossing by reference (change it through its view). */
  readonly setterExport: string | null;
  readonly encoded: boolean;
  /** Set when the member is a list or map that JS sees as a live view. */
  readonly byReference: ByReference | null;
}

/** The list or map a member is, as written: `Array<T>`/`T[]`, `StaticArray<T>` or `Map<string, V>`; null for anything else. */
function collectionOf(field: MarkedMember, readOnly: boolean): ByReference | null {
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

/** Where `@serializeToScriptByValue` is written on a member: on the field, or on either accessor. */
function byValueMarking(field: MarkedMember): DecoratorNode | null {
  return findDecorator(field.declaration, BY_VALUE) ?? (field.setter && findDecorator(field.setter, BY_VALUE));
}

const byValueMisplaced = (what: string) =>
  `@${BY_VALUE} applies to @${SCRIPTABLE_MEMBER} fields and properties that are lists or maps; ${what}.`;

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
    if (statement.kind !== NodeKind.ClassDeclaration) {
      // Written on a function or a variable, it would change nothing: say so rather than ignore it.
      // Functions, variable statements, enums… carry `decorators`; other statements have none.
      const marking = findDecorator(statement as { decorators?: DecoratorNode[] | null }, BY_VALUE);
      if (marking) problem(marking.range, byValueMisplaced("this is not a member of a class"));
      return;
    }
    const owner = statement as ClassDeclaration;
    const className = owner.name.text;
    const classMarking = findDecorator(owner, BY_VALUE);
    if (classMarking) problem(classMarking.range, byValueMisplaced(`class '${className}' is neither`));
    const scriptable = markedMembers(owner, SCRIPTABLE_MEMBER, problem);
    // Every field and accessor the decorator may be written on (one of a member that is an error too).
    const marked = new Set<DeclarationStatement>(scriptable.flatMap((field) => (field.setter ? [field.declaration, field.setter] : [field.declaration])));
    for (const member of owner.members) {
      const marking = marked.has(member) ? null : findDecorator(member, BY_VALUE);
      if (marking) problem(marking.range, byValueMisplaced(`'${member.name.text}' of class '${className}' is not marked @${SCRIPTABLE_MEMBER}`));
    }
    const jsNames = new Map<string, MarkedMember>();
    for (const field of scriptable) {
      const { kind, name } = field;
      if (field.declaration.isAny(CommonFlags.Static | CommonFlags.Private | CommonFlags.Protected)) {
        problem(field.range, `@${SCRIPTABLE_MEMBER} ${kind} '${name}' must be a public instance ${kind}.`);
        continue;
      }
      const jsName = jsNameOf(field, SCRIPTABLE_MEMBER, className, problem);
      if (jsName === null) continue;
      const reserved = reservedScriptName(field, jsName, className);
      if (reserved) {
        problem(field.range, reserved);
        continue;
      }
      const taken = jsNames.get(jsName);
      if (taken) {
        problem(field.range, scriptNameCollision(className, jsName, field, className, taken, className));
        continue;
      }
      jsNames.set(jsName, field);
      // A property whose setter is private or protected is read-only to JS, as in .NET.
      const readOnly = field.readOnly || (field.setter?.isAny(CommonFlags.Private | CommonFlags.Protected) ?? false);
      const collection = collectionOf(field, readOnly);
      const byValue = byValueMarking(field);
      if (byValue && !collection) {
        problem(
          byValue.range,
          byValueMisplaced(`${kind} '${name}' of class '${className}' is '${typeText(field.type)}', which crosses as a copy already`),
        );
        continue;
      }
      // A list or map crosses as a live view (the HTML Bridge's default), unless marked by value.
      const byReference = byValue ? null : collection;
      const suffix = `${members.length}_${className}_${name}`;
      members.push({
        owner,
        declared: field,
        jsName,
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

/**
 * Two scriptable members that JavaScript would see under one name `jsName` on an object of class
 * `cls`: `field` (reported), of class `fieldClass`, and `other`, of class `otherClass` (`cls` itself
 * or a class it extends).
 */
export function scriptNameCollision(
  cls: string,
  jsName: string,
  field: MarkedMember,
  fieldClass: string,
  other: MarkedMember,
  otherClass: string,
): string {
  return (
    `The script name '${jsName}' of @${SCRIPTABLE_MEMBER} ${field.kind} '${field.name}' of class '${fieldClass}' collides with ` +
    `${other.kind} '${other.name}' of class '${otherClass}': a JavaScript object of class '${cls}' has one property per name; ` +
    `give one of them another with @${SCRIPTABLE_MEMBER}("name").`
  );
}
