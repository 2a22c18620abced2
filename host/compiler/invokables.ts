/**
 * Finds `@jsInvokable` declarations in the parsed sources and checks the rules that can be checked
 * from syntax alone: what the decorator may sit on, its argument, and unique identifiers.
 */
import {
  type ClassDeclaration,
  type DecoratorNode,
  type DeclarationStatement,
  type FunctionDeclaration,
  type IdentifierExpression,
  type Node,
  type Range,
  type Source,
  type Statement,
  type StringLiteralExpression,
} from "assemblyscript";
import { CommonFlags, DecoratorKind, LiteralKind, NodeKind, ParameterKind } from "./enums.ts";

export const DECORATOR = "jsInvokable";

export interface Invokable {
  /** The identifier JS calls it by. */
  readonly identifier: string;
  readonly declaration: FunctionDeclaration;
  /** The wasm export the generated glue gives it. */
  readonly exportName: string;
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

  const visit = (statement: Statement, insideClass: boolean): void => {
    const declaration = statement as DeclarationStatement;
    if (statement.kind === NodeKind.ClassDeclaration || statement.kind === NodeKind.NamespaceDeclaration) {
      for (const member of (statement as ClassDeclaration).members) visit(member, true);
    }
    const decorator = findDecorator(declaration);
    if (!decorator) return;

    const problem = (message: string, range: Range = declaration.range): void => {
      problems.push({ range, message });
    };
    const identifier = decoratorIdentifier(decorator, declaration, problem);
    if (identifier === null) return;

    if (statement.kind !== NodeKind.FunctionDeclaration || insideClass) {
      problem(
        `@${DECORATOR} can only be applied to exported top-level functions; '${declaredName(statement)}' is ` +
          `${describeKind(statement, insideClass)}, which JavaScript cannot invoke.`,
      );
      return;
    }
    const fn = statement as FunctionDeclaration;
    if (!fn.is(CommonFlags.Export)) {
      problem(`@${DECORATOR} function '${fn.name.text}' must be exported (Blazor: the method must be public).`);
      return;
    }
    if (fn.typeParameters && fn.typeParameters.length > 0) {
      problem(
        `@${DECORATOR} function '${fn.name.text}' is generic. Calling open generic methods isn't supported: ` +
          `export a non-generic wrapper for each type you need.`,
      );
      return;
    }
    const optional = fn.signature.parameters.find((p) => p.parameterKind !== ParameterKind.Default);
    if (optional) {
      problem(
        `Parameter '${optional.name.text}' of @${DECORATOR} function '${fn.name.text}' is optional or a rest ` +
          `parameter; invokable methods take exactly the arguments they declare.`,
        optional.range,
      );
      return;
    }

    const earlier = firstByIdentifier.get(identifier);
    if (earlier) {
      problem(
        `The assembly '${assemblyName}' contains more than one [JSInvokable] method with identifier ` +
          `'${identifier}'. All [JSInvokable] methods within the same assembly must have different ` +
          `identifiers. You can pass a custom identifier as a parameter to the [JSInvokable] attribute.`,
        decorator.range,
      );
      return;
    }
    const invokable: Invokable = {
      identifier,
      declaration: fn,
      exportName: `__interop_invoke_${invokables.length}_${fn.name.text}`,
    };
    firstByIdentifier.set(identifier, invokable);
    invokables.push(invokable);
  };

  for (const source of sources) {
    for (const statement of source.statements) visit(statement, false);
  }
  return { invokables, problems };
}

function findDecorator(declaration: DeclarationStatement): DecoratorNode | null {
  for (const decorator of declaration.decorators ?? []) {
    if (
      decorator.decoratorKind === DecoratorKind.Custom &&
      decorator.name.kind === NodeKind.Identifier &&
      (decorator.name as IdentifierExpression).text === DECORATOR
    ) {
      return decorator;
    }
  }
  return null;
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
