/**
 * Classes passed by value: those with at least one `@dataMember` field or property (the HTML
 * Bridge's `DataMemberAttribute`). Only marked members cross; the rest keep what the constructor
 * gave them (JS → managed) or are left out (managed → JS).
 *
 * Each such class gets two generated methods, which the managed wire reader and writer call:
 *   __interop_read(reader)   sets the marked fields from the input, in declaration order
 *   __interop_write(writer)  writes them, in the same order
 */
import type { ClassDeclaration, MethodDeclaration, Range, Source, Statement } from "assemblyscript";
import { CommonFlags, NodeKind } from "./enums.ts";
import type { CompileProblem } from "./invokables.ts";
import { typeText } from "./syntax.ts";
import { LIBRARY_ALIASES } from "./glue.ts";
import { markedMembers, type MarkedMember } from "./members.ts";

export const DATA_MEMBER = "dataMember";

export interface DataClass {
  readonly declaration: ClassDeclaration;
  /** The marked fields and properties, in declaration order: the order they cross in. */
  readonly fields: readonly MarkedMember[];
}

export function collectDataClasses(sources: readonly Source[]): { classes: DataClass[]; problems: CompileProblem[] } {
  const classes: DataClass[] = [];
  const problems: CompileProblem[] = [];
  const problem = (range: Range, message: string) => problems.push({ range, message });

  const visit = (statement: Statement): void => {
    if (statement.kind === NodeKind.NamespaceDeclaration) {
      for (const member of (statement as unknown as { members: Statement[] }).members) visit(member);
      return;
    }
    if (statement.kind !== NodeKind.ClassDeclaration) return;
    const declaration = statement as ClassDeclaration;
    const fields: MarkedMember[] = [];
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
        fields.push(member);
      }
    }
    if (fields.length === 0) return;
    const constructor = declaration.members.find((m) => m.is(CommonFlags.Constructor)) as MethodDeclaration | undefined;
    const required = constructor?.signature.parameters.filter((p) => !p.initializer) ?? [];
    if (required.length > 0) {
      problem(
        constructor!.range,
        `Class '${declaration.name.text}' has @${DATA_MEMBER} fields, so JavaScript objects become new instances of it; ` +
          `that needs a constructor without required parameters (System.Text.Json needs one too).`,
      );
      return;
    }
    classes.push({ declaration, fields });
  };

  for (const source of sources) for (const statement of source.statements) visit(statement);
  return { classes, problems };
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

/** The generated members of a data class (see the file comment). */
export function dataClassMembers({ fields }: DataClass): string {
  const { Reader, Writer, TaggedReader, TaggedWriter } = LIBRARY_ALIASES;
  const typed = fields.map((f) => ({ name: f.name, type: typeText(f.type) }));
  return [
    `  __interop_read(reader: ${Reader}): void {`,
    ...readStatements(typed),
    `  }`,
    `  __interop_write(writer: ${Writer}): void {`,
    ...writeStatements(typed),
    `  }`,
    // The tagged form, for calls into JavaScript: named properties, in any order on the way back.
    `  __interop_writeTagged(writer: ${TaggedWriter}): void {`,
    `    writer.beginObject(${typed.length});`,
    ...typed.map((f) => `    writer.key(${JSON.stringify(f.name)}); writer.write<${f.type}>(this.${f.name});`),
    `  }`,
    `  __interop_readTagged(reader: ${TaggedReader}, key: string): bool {`,
    ...typed.map((f) => `    if (key == ${JSON.stringify(f.name)}) { this.${f.name} = reader.read<${f.type}>(); return true; }`),
    `    return false;`,
    `  }`,
  ].join("\n");
}
