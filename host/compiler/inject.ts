/**
 * Adds generated AssemblyScript to a user's file or class, where every name the user can see is in
 * scope (their imports, aliases, non-exported classes): generated code can then name types exactly
 * as the user wrote them. The code is parsed with the compiler's own parser, so imports it contains
 * are fetched like any other, and it is then part of the user's file for the rest of the compile.
 */
import { Source, Tokenizer, type ClassDeclaration, type DeclarationStatement, type Parser, type Statement } from "assemblyscript";
import { SourceKind, Token } from "./enums.ts";

/**
 * The generated code's own source: diagnostics inside it name `<file>.generated.ts`, so they are
 * never mistaken for the user's lines, while its internal path is the file's, which is how the
 * compiler finds the file (and so the scope) an expression belongs to. Code added to a library
 * file (the runtime) is library code, which `--noUnsafe` leaves alone as it does the file itself.
 */
function generatedSource(parser: Parser, of: Source, code: string): Source {
  const kind = of.isLibrary ? of.sourceKind : SourceKind.User;
  const source = new Source(kind, of.normalizedPath.replace(/\.ts$/, ".generated.ts"), code);
  source.internalPath = of.internalPath;
  let made = generated.get(parser);
  if (!made) generated.set(parser, (made = []));
  made.push(source);
  return source;
}

/** The Sources each parse's generated code came from (see generated-sources.ts). */
const generated = new WeakMap<Parser, Source[]>();

export function generatedSources(parser: Parser): readonly Source[] {
  return generated.get(parser) ?? [];
}

/** Parses `code` into `source`; returns the statements it added. */
export function injectStatements(parser: Parser, source: Source, code: string): Statement[] {
  const tokenizer = new Tokenizer(generatedSource(parser, source, code));
  const added: Statement[] = [];
  while (!tokenizer.skip(Token.EndOfFile)) {
    const statement = parser.parseTopLevelStatement(tokenizer);
    if (!statement) break;
    source.statements.push(statement);
    added.push(statement);
  }
  return added;
}

export function injectMembers(parser: Parser, declaration: ClassDeclaration, code: string): void {
  const tokenizer = new Tokenizer(generatedSource(parser, declaration.range.source, code));
  while (!tokenizer.skip(Token.EndOfFile)) {
    const member = parser.parseClassMember(tokenizer, declaration);
    if (!member) break;
    declaration.members.push(member as DeclarationStatement);
  }
}
