/**
 * Finds `@jsInvokable` declarations in the parsed sources and checks the rules that can be checked
 * from syntax alone: what the decorator may sit on, its argument, and unique identifiers.
 */
import {
  type ClassDeclaration,
  type DecoratorNode,
  type DeclarationStatement,
  type ExportDefaultStatement,
  type ExportStatement,
  type FunctionDeclaration,
  type Node,
  type Range,
  type Source,
  type Statement,
  type StringLiteralExpression,
  type VariableStatement,
} from "assemblyscript";
import { CommonFlags, LiteralKind, NodeKind, ParameterKind } from "./enums.ts";
import { crossesDirectly, findDecorator as findNamedDecorator, typeNameOf } from "./syntax.ts";

export const DECORATOR = "jsInvokable";

/** Prefix of every export the generated glue adds; user code may not declare such names. */
export const RESERVED_PREFIX = "__interop_";

export interface Invokable {
  /** The identifier JS calls it by. */
  readonly identifier: string;
  readonly declaration: FunctionDeclaration;
  /** What the glue re-exports from its file: the function itself (by name or `default`), or its wrapper. */
  readonly importName: string;
  /** The wasm export the generated glue gives it. */
  readonly exportName: string;
  /** Per parameter: crosses encoded rather than directly (see `crossesDirectly`). */
  readonly parameterEncoded: readonly boolean[];
  readonly returnEncoded: boolean;
}

/** Whether the generated code must wrap the method to decode or encode its values. */
export function needsWrapper(invokable: Invokable): boolean {
  return invokable.returnEncoded || invokable.parameterEncoded.some(Boolean);
}

export interface CompileProblem {
  readonly range: Range;
  readonly message: string;
}

/** Collects every `@jsInvokable` in the user's sources; misuse is reported, not thrown. */
export function collectInvokables(
  sources: readonly Source[],
  assemblyName: string,
): { invokables: Invokable[]; problems: CompileProblem[] } {
  const invokables: Invokable[] = [];
  const problems: CompileProblem[] = [];
  const firstByIdentifier = new Map<string, Invokable>();

  /** Where a statement sits: how its function would be exported, or why it cannot be invoked. */
  interface Place {
    readonly insideClass: boolean;
    readonly isDefaultExport: boolean;
    /** Names the file exports with `export { a, b as c }`. */
    readonly listedExports: ReadonlySet<string>;
  }

  const visit = (statement: Statement, place: Place): void => {
    if (statement.kind === NodeKind.ExportDefault) {
      visit((statement as ExportDefaultStatement).declaration, { ...place, isDefaultExport: true });
      return;
    }
    const declaration = statement as DeclarationStatement;
    if (!place.insideClass && declaredName(statement).startsWith(RESERVED_PREFIX)) {
      problems.push({
        range: declaration.name?.range ?? statement.range,
        message: `Names beginning with '${RESERVED_PREFIX}' are reserved for as-interop's generated exports.`,
      });
    }
    if (statement.kind === NodeKind.ClassDeclaration || statement.kind === NodeKind.NamespaceDeclaration) {
      for (const member of (statement as ClassDeclaration).members) visit(member, { ...place, insideClass: true });
    }
    const decorator = findDecorator(declaration);
    if (!decorator) return;

    const problem = (message: string, range: Range = declaration.range): void => {
      problems.push({ range, message });
    };
    const identifier = decoratorIdentifier(decorator, declaration, problem);
    if (identifier === null) return;

    if (statement.kind !== NodeKind.FunctionDeclaration || place.insideClass) {
      problem(
        `@${DECORATOR} can only be applied to exported top-level functions; '${declaredName(statement)}' is ` +
          `${describeKind(statement, place.insideClass)}, which JavaScript cannot invoke.`,
      );
      return;
    }
    const fn = statement as FunctionDeclaration;
    const name = fn.name.text;
    if (!place.isDefaultExport && !fn.is(CommonFlags.Export) && !place.listedExports.has(name)) {
      problem(`@${DECORATOR} function '${name}' must be exported (Blazor: the method must be public).`);
      return;
    }
    if (fn.typeParameters && fn.typeParameters.length > 0) {
      problem(
        `@${DECORATOR} function '${name}' is generic. Calling open generic methods isn't supported: ` +
          `export a non-generic wrapper for each type you need.`,
      );
      return;
    }
    const optional = fn.signature.parameters.find((p) => p.parameterKind !== ParameterKind.Default);
    if (optional) {
      problem(
        `Parameter '${optional.name.text}' of @${DECORATOR} function '${name}' is optional or a rest ` +
          `parameter; invokable methods take exactly the arguments they declare.`,
        optional.range,
      );
      return;
    }

    if (firstByIdentifier.has(identifier)) {
      problem(
        `The assembly '${assemblyName}' contains more than one [JSInvokable] method with identifier ` +
          `'${identifier}'. All [JSInvokable] methods within the same assembly must have different ` +
          `identifiers. You can pass a custom identifier as a parameter to the [JSInvokable] attribute.`,
        decorator.range,
      );
      return;
    }
    const exportName = `${RESERVED_PREFIX}invoke_${invokables.length}_${name}`;
    const parameterEncoded = fn.signature.parameters.map((p) => !crossesDirectly(p.type));
    const returnType = fn.signature.returnType;
    const returnEncoded = typeNameOf(returnType) !== "void" && !crossesDirectly(returnType);
    const wrapped = returnEncoded || parameterEncoded.some(Boolean);
    const invokable: Invokable = {
      identifier,
      declaration: fn,
      importName: wrapped ? exportName : place.isDefaultExport ? "default" : name,
      exportName,
      parameterEncoded,
      returnEncoded,
    };
    firstByIdentifier.set(identifier, invokable);
    invokables.push(invokable);
  };

  for (const source of sources) {
    const place: Place = { insideClass: false, isDefaultExport: false, listedExports: listedExports(source) };
    for (const statement of source.statements) visit(statement, place);
  }
  return { invokables, problems };
}

/** `export { a, b as c };` (without `from`): the local names it exports. */
function listedExports(source: Source): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (statement.kind !== NodeKind.Export) continue;
    const { members, path } = statement as ExportStatement;
    if (path) continue;
    for (const member of members ?? []) names.add(member.localName.text);
  }
  return names;
}

function findDecorator(declaration: DeclarationStatement): DecoratorNode | null {
  return findNamedDecorator(declaration, DECORATOR);
}

/** `@jsInvokable` → the declared name; `@jsInvokable("Other")` → `Other`; anything else is misuse. */
function decoratorIdentifier(
  decorator: DecoratorNode,
  declaration: DeclarationStatement,
  problem: (message: string, range?: Range) => void,
): string | null {
  const args = decorator.args ?? [];
  if (args.length === 0) return declaredName(declaration);
  const [first] = args;
  if (args.length === 1 && isStringLiteral(first)) {
    const identifier = first.value;
    if (identifier.length > 0) return identifier;
  }
  problem(`@${DECORATOR} takes at most one argument: a non-empty string literal identifier.`, decorator.range);
  return null;
}

function isStringLiteral(node: Node): node is StringLiteralExpression {
  return (
    node.kind === NodeKind.Literal && (node as StringLiteralExpression).literalKind === LiteralKind.String
  );
}

function declaredName(statement: Statement): string {
  if (statement.kind === NodeKind.Variable) {
    return (statement as VariableStatement).declarations.map((d) => d.name.text).join(", ");
  }
  return (statement as Partial<DeclarationStatement>).name?.text ?? "this declaration";
}

function describeKind(statement: Statement, insideClass: boolean): string {
  switch (statement.kind) {
    case NodeKind.ClassDeclaration:
      return "a class";
    case NodeKind.MethodDeclaration:
      return "a class method";
    case NodeKind.FieldDeclaration:
      return "a field";
    case NodeKind.Variable:
      return "a variable";
    case NodeKind.FunctionDeclaration:
      return insideClass ? "a namespace member" : "a function";
    default:
      return "not a function";
  }
}
