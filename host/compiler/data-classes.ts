/**
 * Classes passed by value: those with at least one `@dataMember` field or property (the HTML
 * Bridge's `DataMemberAttribute`), and those that extend one. Only marked members cross, a base
 * class's first; the rest keep what the constructor gave them (JS → managed) or are left out
 * (managed → JS).
 *
 * Each such class gets generated methods, which the managed wire and tagged readers and writers call:
 *   __interop_read(reader)              sets the marked members from the input, in declaration order
 *   __interop_write(writer, as)         writes them, in the same order, for a value crossing as class `as`
 *   __interop_readTagged / writeTagged  the same for calls into JavaScript (named properties)
 */
import type { ClassDeclaration, ClassPrototype, MethodDeclaration, Range, Source, Statement } from "assemblyscript";
import { CommonFlags, NodeKind } from "./enums.ts";
import type { CompileProblem } from "./invokables.ts";
import { typeNameOf, typeText } from "./syntax.ts";
import { LIBRARY_ALIASES } from "./glue.ts";
import { jsNameOf, markedMembers, type MarkedMember } from "./members.ts";

export const DATA_MEMBER = "dataMember";

/** A marked field or property, and the name of the JS property it crosses as. */
export interface DataField extends MarkedMember {
  /**
   * The member's own name, or the decorator's argument: `@dataMember("first-name")`, System.Text.Json's
   * `[JsonPropertyName]` and data contracts' `[DataMember(Name = …)]`.
   */
  readonly jsName: string;
}

export interface DataClass {
  readonly declaration: ClassDeclaration;
  /** The fields and properties it marks itself, in declaration order: the order they cross in, after its base's. */
  readonly fields: readonly DataField[];
  /** The data class it extends, whose members cross first; null for the first of its chain. */
  readonly base: ClassDeclaration | null;
}

/**
 * The classes that cross by value: those that mark fields or properties, and those that extend one
 * (with marked members of their own or not), as System.Text.Json serializes a base class's properties with a derived
 * one's. Which class an `extends` clause names is found here by its name among the user's classes
 * (generated members must be added before the program is resolved); {@link checkDataClassChains}
 * holds that against the resolved program once there is one.
 */
export function collectDataClasses(sources: readonly Source[]): { classes: DataClass[]; problems: CompileProblem[] } {
  const problems: CompileProblem[] = [];
  const problem = (range: Range, message: string) => problems.push({ range, message });
  const declarations: ClassDeclaration[] = [];
  const ownFields = new Map<ClassDeclaration, DataField[]>();

  const visit = (statement: Statement): void => {
    if (statement.kind === NodeKind.NamespaceDeclaration) {
      for (const member of (statement as unknown as { members: Statement[] }).members) visit(member);
      return;
    }
    if (statement.kind !== NodeKind.ClassDeclaration) return;
    const declaration = statement as ClassDeclaration;
    declarations.push(declaration);
    const fields: DataField[] = [];
    for (const member of markedMembers(declaration, DATA_MEMBER, problem)) {
      const { kind, name } = member;
      if (member.declaration.is(CommonFlags.Static)) {
        problem(member.range, `@${DATA_MEMBER} ${kind} '${name}' is static; only instance ${kind === "field" ? "fields" : "properties"} belong to a value.`);
      } else if (member.readOnly) {
        // JS → managed makes a new instance and sets each marked member, as System.Text.Json does.
        const why = kind === "field" ? "is readonly" : "has no set accessor";
        problem(
          member.range,
          `@${DATA_MEMBER} ${kind} '${name}' of class '${declaration.name.text}' ${why}: JavaScript objects become new ` +
            `instances of the class, and each @${DATA_MEMBER} member is set.`,
        );
      } else {
        const jsName = jsNameOf(member, DATA_MEMBER, declaration.name.text, problem);
        if (jsName !== null) fields.push({ ...member, jsName });
      }
    }
    if (fields.length > 0) ownFields.set(declaration, fields);
  };
  for (const source of sources) for (const statement of source.statements) visit(statement);

  const baseOf = namedBases(declarations);
  const classes = new Map<ClassDeclaration, DataClass>();
  /** The data class `declaration` is, if it is one (marking fields, or extending a data class). */
  const dataClass = (declaration: ClassDeclaration, seen = new Set<ClassDeclaration>()): DataClass | null => {
    const known = classes.get(declaration);
    if (known || seen.has(declaration)) return known ?? null;
    seen.add(declaration);
    const named = baseOf.get(declaration);
    const base = named ? dataClass(named, seen) : null;
    const fields = ownFields.get(declaration) ?? [];
    if (!base && fields.length === 0) return null;
    const made = { declaration, fields, base: base?.declaration ?? null };
    classes.set(declaration, made);
    return made;
  };
  for (const declaration of declarations) dataClass(declaration);

  for (const { declaration } of classes.values()) {
    const constructor = declaration.members.find((m) => m.is(CommonFlags.Constructor)) as MethodDeclaration | undefined;
    const required = constructor?.signature.parameters.filter((p) => !p.initializer) ?? [];
    if (required.length > 0) {
      problem(
        constructor!.range,
        `Class '${declaration.name.text}' has @${DATA_MEMBER} members${ownFields.has(declaration) ? "" : " (inherited)"}, so JavaScript ` +
          `objects become new instances of it; that needs a constructor without required parameters (System.Text.Json needs one too).`,
      );
      classes.delete(declaration);
    }
  }
  return { classes: [...classes.values()], problems };
}

/** The user's class each `extends` clause names, by its name: one declared in the same file, or the only one anywhere. */
function namedBases(declarations: readonly ClassDeclaration[]): Map<ClassDeclaration, ClassDeclaration> {
  const byName = new Map<string, ClassDeclaration[]>();
  for (const declaration of declarations) {
    const list = byName.get(declaration.name.text) ?? [];
    list.push(declaration);
    byName.set(declaration.name.text, list);
  }
  const bases = new Map<ClassDeclaration, ClassDeclaration>();
  for (const declaration of declarations) {
    const name = declaration.extendsType ? typeNameOf(declaration.extendsType) : null;
    const candidates = (name && byName.get(name)) || [];
    const local = candidates.filter((c) => c.range.source === declaration.range.source);
    const base = local.length === 1 ? local[0] : candidates.length === 1 ? candidates[0] : null;
    if (base && base !== declaration) bases.set(declaration, base);
  }
  return bases;
}

/**
 * Holds what {@link collectDataClasses} found by name against the resolved program: a class extending
 * a data class must be one itself (its generated members carry the base's fields), and one found to
 * be one must extend the data class it was found to. A miss (a base named through an alias or a
 * namespace, or a name two files declare) is an error here, never a value crossing without fields.
 */
export function checkDataClassChains(userClasses: readonly ClassPrototype[], classes: readonly DataClass[]): CompileProblem[] {
  const found = new Map(classes.map((c) => [c.declaration, c]));
  const problems: CompileProblem[] = [];
  for (const element of userClasses) {
    const declaration = element.declaration as ClassDeclaration;
    const resolvedBase = (element.basePrototype?.declaration as ClassDeclaration | undefined) ?? null;
    const dataBase = resolvedBase && found.has(resolvedBase) ? resolvedBase : null;
    if ((found.get(declaration)?.base ?? null) === dataBase) continue;
    problems.push({
      range: declaration.name.range,
      message:
        `Class '${declaration.name.text}' extends ${dataBase ? `'${dataBase.name.text}', whose @dataMember members cross with its own` : "a class that has no @dataMember members"}, ` +
        `but the compiler took its 'extends' clause for another class: name the base class as it is declared, ` +
        `not through an alias or a namespace, and give it a name no other file's class has.`,
    });
  }
  return problems;
}

/**
 * Wire sizes of the field types that need no tag; such fields, one after another, are read in a
 * run: one bounds check (`take`), then plain loads (`loadAt`): what `Reader.read` does for each,
 * less its calls.
 * Only the built-in names count, which no alias can shadow; an aliased number is read singly.
 */
const FIXED_SIZES: Readonly<Record<string, number>> = {
  bool: 1, i8: 1, u8: 1, i16: 2, u16: 2, i32: 4, u32: 4, f32: 4, i64: 8, u64: 8, f64: 8,
};

interface TypedField {
  readonly name: string;
  readonly type: string;
}

/** How one side of the wire handles a field: a run of fixed-size fields at one place, or one at a time. */
interface FieldCode {
  /** Where a run of `bytes` bytes is (`at`). */
  readonly reserve: (bytes: number) => string;
  /** The field of a run, `offset` bytes into it. */
  readonly inRun: (field: TypedField, offset: number) => string;
  readonly single: (field: TypedField) => string;
}

/** Runs of fixed-size fields handled at one place (one bounds check or reservation), the others one by one. */
function fieldStatements(fields: readonly TypedField[], code: FieldCode): string[] {
  const lines: string[] = [];
  let run: TypedField[] = [];
  let declared = false;
  const endRun = () => {
    if (run.length === 0) return;
    let offset = 0;
    const statements = run.map((field) => {
      const statement = `    ${code.inRun(field, offset)};`;
      offset += FIXED_SIZES[field.type];
      return statement;
    });
    lines.push(`    ${declared ? "" : "let "}at = ${code.reserve(offset)};`, ...statements);
    declared = true;
    run = [];
  };
  for (const field of fields) {
    if (Object.hasOwn(FIXED_SIZES, field.type)) {
      run.push(field);
    } else {
      endRun();
      lines.push(`    ${code.single(field)};`);
    }
  }
  endRun();
  return lines;
}

/** The body of `__interop_read`: runs of fixed-size fields loaded in place, the others read one by one. */
const readStatements = (fields: readonly TypedField[]) =>
  fieldStatements(fields, {
    reserve: (bytes) => `reader.take(${bytes})`,
    inRun: ({ name, type }, offset) =>
      `this.${name} = ` + (type === "bool" ? `reader.loadAt<u8>(at, ${offset}) != 0` : `reader.loadAt<${type}>(at, ${offset})`),
    single: ({ name, type }) => `this.${name} = reader.read<${type}>()`,
  });

/** The body of `__interop_write`: runs of fixed-size fields stored after one reservation, the others written one by one. */
const writeStatements = (fields: readonly TypedField[]) =>
  fieldStatements(fields, {
    reserve: (bytes) => `writer.reserveRun(${bytes})`,
    inRun: ({ name, type }, offset) =>
      type === "bool" ? `writer.storeAt<u8>(at, this.${name} ? 1 : 0, ${offset})` : `writer.storeAt<${type}>(at, this.${name}, ${offset})`,
    single: ({ name, type }) => `writer.write<${type}>(this.${name})`,
  });

/**
 * The generated members of a data class (see the file comment). A class extending another data
 * class crosses with the base's fields first, then its own: each generated member first has the
 * base's do its part, through `super` (guarded by `isDefined`, so that a base that turned out to be
 * no data class adds a clear error from {@link checkDataClassChains}, not one in generated code).
 *
 * A value crosses as its static type, as System.Text.Json serializes by the declared type: a `Base`
 * that is a `Derived` at run time crosses as a `Base`. Every class of a chain has its own generated
 * members, and AssemblyScript calls overrides virtually, so a writer is given the class the value
 * crosses as (`as`, its class id) and hands the write up to its base until it reaches that class.
 * Readers need no such thing: the object they fill is made as exactly the class it crosses as.
 */
export function dataClassMembers({ declaration, fields, base }: DataClass): string {
  const { Reader, Writer, TaggedReader, TaggedWriter } = LIBRARY_ALIASES;
  const typed = fields.map((f) => ({ name: f.name, key: JSON.stringify(f.jsName), type: typeText(f.type) }));
  const self = selfType(declaration);
  const baseType = base && declaration.extendsType ? typeText(declaration.extendsType) : null;
  /** `statement`, run when the base class has the generated member `member` (see above). */
  const ifBase = (member: string, statement: string) => (baseType ? [`    if (isDefined(changetype<${baseType}>(0).${member})) ${statement}`] : []);
  /** A value crossing as one of the base's classes is the base's to write. */
  const upTo = (member: string) => ifBase(member, `{ if (as != idof<${self}>()) { super.${member}(writer, as); return; } }`);
  const taggedFields = typed.map((f) => `    writer.key(${f.key}); writer.write<${f.type}>(this.${f.name});`);
  return [
    `  __interop_read(reader: ${Reader}): void {`,
    ...ifBase("__interop_read", "super.__interop_read(reader);"),
    ...readStatements(typed),
    `  }`,
    `  __interop_write(writer: ${Writer}, as: u32): void {`,
    ...upTo("__interop_write"),
    ...ifBase("__interop_write", `super.__interop_write(writer, idof<${baseType}>());`),
    ...writeStatements(typed),
    `  }`,
    // The tagged form, for calls into JavaScript: named properties, in any order on the way back.
    `  __interop_writeTagged(writer: ${TaggedWriter}, as: u32): void {`,
    ...upTo("__interop_writeTagged"),
    `    let count = ${typed.length};`,
    ...ifBase("__interop_taggedCount", "count += super.__interop_taggedCount();"),
    `    writer.beginObject(count);`,
    ...ifBase("__interop_taggedFields", "super.__interop_taggedFields(writer);"),
    ...taggedFields,
    `  }`,
    // The parts of the tagged form a subclass's writer has its base write (through `super`, so never virtually).
    `  __interop_taggedCount(): i32 {`,
    `    let count = ${typed.length};`,
    ...ifBase("__interop_taggedCount", "count += super.__interop_taggedCount();"),
    `    return count;`,
    `  }`,
    `  __interop_taggedFields(writer: ${TaggedWriter}): void {`,
    ...ifBase("__interop_taggedFields", "super.__interop_taggedFields(writer);"),
    ...taggedFields,
    `  }`,
    `  __interop_readTagged(reader: ${TaggedReader}, key: string): bool {`,
    ...typed.map((f) => `    if (key == ${f.key}) { this.${f.name} = reader.read<${f.type}>(); return true; }`),
    ...ifBase("__interop_readTagged", "return super.__interop_readTagged(reader, key);"),
    `    return false;`,
    `  }`,
  ].join("\n");
}

/** The class as its own members name it: `Box<T>` for a generic one. */
function selfType(declaration: ClassDeclaration): string {
  const parameters = declaration.typeParameters ?? [];
  return parameters.length ? `${declaration.name.text}<${parameters.map((p) => p.name.text).join(", ")}>` : declaration.name.text;
}
