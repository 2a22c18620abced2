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
  type MethodDeclaration,
  type NamespaceDeclaration,
  type Range,
  type Source,
  type Statement,
  type VariableStatement,
} from "assemblyscript";
import { CommonFlags, NodeKind, ParameterKind } from "./enums.ts";
import { asFunctionType, crossesDirectly, decoratorName, isGeneric, findDecorator as findNamedDecorator, taskResultType, typeNameOf } from "./syntax.ts";

export const DECORATOR = "jsInvokable";

/** Prefix of every export the generated glue adds; user code may not declare such names. */
export const RESERVED_PREFIX = "__interop_";

export interface Invokable {
  /** The identifier JS calls it by. */
  readonly identifier: string;
  readonly declaration: FunctionDeclaration | MethodDeclaration;
  /** The class of a static or instance method; null for a top-level function. */
  readonly owner: ClassDeclaration | null;
  /** Called on an object JS holds by reference (`DotNetObjectReference`), not by assembly. */
  readonly instance: boolean;
  /** What the glue re-exports from its file: the function itself (by name or `default`), or its wrapper. */
  readonly importName: string;
  /** The wasm export the generated glue gives it. */
  readonly exportName: string;
  /** Per parameter: crosses encoded rather than directly (see `crossesDirectly`). */
  readonly parameterEncoded: readonly boolean[];
  readonly returnEncoded: boolean;
  /** Exported through a generated wrapper (see `needsWrapper`), not re-exported as it is. */
  readonly wrapped: boolean;
}

/** Whether generated code must wrap it: methods always; functions to decode or encode values, to track a returned function or to find a given one. */
function needsWrapper({ owner, returnEncoded, parameterEncoded, declaration }: Pick<Invokable, "owner" | "returnEncoded" | "parameterEncoded" | "declaration">): boolean {
  return (
    owner !== null ||
    returnEncoded ||
    parameterEncoded.some(Boolean) ||
    declaration.signature.parameters.some((p) => asFunctionType(p.type) !== null) ||
    asFunctionType(declaration.signature.returnType) !== null ||
    taskResultType(declaration.signature.returnType) !== null
  );
}

/**
 * Blazor's message for two instance methods of one type with one identifier. It names the type
 * without quotes, as .NET's `Type.Name` does: a generic class by its name and arity (`Box\`1`).
 */
export const typeCollision = (type: ClassDeclaration, identifier: string) =>
  `The type ${type.name.text}${type.typeParameters?.length ? `\`${type.typeParameters.length}` : ""} contains more than one ` +
  `[JSInvokable] method with identifier '${identifier}'. All [JSInvokable] ` +
  `methods within the same type must have different identifiers. You can pass a custom identifier as a parameter to the ` +
  `[JSInvokable] attribute.`;

/** Blazor's message for two static methods of one assembly with one identifier. */
const assemblyCollision = (assemblyName: string, identifier: string) =>
  `The assembly '${assemblyName}' contains more than one [JSInvokable] method with identifier '${identifier}'. All ` +
  `[JSInvokable] methods within the same assembly must have different identifiers. You can pass a custom identifier ` +
  `as a parameter to the [JSInvokable] attribute.`;

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

  /** Where a statement sits: how its function would be exported, or why it cannot be invoked. */
  interface Place {
    /** The class whose member this is, if any. */
    readonly owner: ClassDeclaration | null;
    readonly inNamespace: boolean;
    readonly isDefaultExport: boolean;
    /** Names the file exports with `export { a, b as c }`. */
    readonly listedExports: ReadonlySet<string>;
  }
  /** Static identifiers are unique per assembly, instance ones per class (Blazor's rules). */
  const identifiers = new Map<ClassDeclaration | null, Set<string>>();

  const visit = (statement: Statement, place: Place): void => {
    if (statement.kind === NodeKind.ExportDefault) {
      visit((statement as ExportDefaultStatement).declaration, { ...place, isDefaultExport: true });
      return;
    }
    const declaration = statement as DeclarationStatement;
    if (!place.owner && declaredName(statement).startsWith(RESERVED_PREFIX)) {
      problems.push({
        range: declaration.name?.range ?? statement.range,
        message: `Names beginning with '${RESERVED_PREFIX}' are reserved for as-interop's generated exports.`,
      });
    }
    if (statement.kind === NodeKind.ClassDeclaration) {
      for (const member of (statement as ClassDeclaration).members) visit(member, { ...place, owner: statement as ClassDeclaration });
    } else if (statement.kind === NodeKind.NamespaceDeclaration) {
      for (const member of (statement as NamespaceDeclaration).members) visit(member, { ...place, inNamespace: true });
    }
    const decorator = findDecorator(declaration);
    if (!decorator) return;

    const problem = (message: string, range: Range = declaration.range): void => {
      problems.push({ range, message });
    };
    const identifier = decoratorIdentifier(decorator, declaration, problem);
    if (identifier === null) return;

    const isFunction = statement.kind === NodeKind.FunctionDeclaration && !place.owner && !place.inNamespace;
    const isMethod =
      statement.kind === NodeKind.MethodDeclaration && place.owner !== null && !place.inNamespace &&
      !declaration.isAny(CommonFlags.Constructor | CommonFlags.Get | CommonFlags.Set);
    if (!isFunction && !isMethod) {
      problem(
        `@${DECORATOR} can only be applied to exported functions and class methods; '${declaredName(statement)}' is ` +
          `${describeKind(statement, place.owner !== null || place.inNamespace)}, which JavaScript cannot invoke.`,
      );
      return;
    }
    const fn = statement as FunctionDeclaration | MethodDeclaration;
    const name = fn.name.text;
    const owner = place.owner;
    const instance = isMethod && !fn.is(CommonFlags.Static);
    if (isFunction && !place.isDefaultExport && !fn.is(CommonFlags.Export) && !place.listedExports.has(name)) {
      problem(`@${DECORATOR} function '${name}' must be exported (Blazor: the method must be public).`);
      return;
    }
    if (isMethod && fn.isAny(CommonFlags.Private | CommonFlags.Protected)) {
      problem(`@${DECORATOR} method '${name}' must be public, as Blazor requires.`);
      return;
    }
    // An instance method of a generic class is closed by the object JS holds (a `Box<string>`), as
    // Blazor accepts on `GenericType<string>`; a static one, or a generic method, would be open.
    const generic = (fn.typeParameters?.length ?? 0) > 0 || (isGeneric(owner) && !instance);
    if (generic) {
      problem(
        `@${DECORATOR} ${isMethod ? "method" : "function"} '${name}' is generic${fn.typeParameters?.length ? "" : " (its class is)"}. ` +
          `Calling open generic methods isn't supported: export a non-generic wrapper for each type you need.`,
      );
      return;
    }
    const optional = fn.signature.parameters.find((p) => p.parameterKind !== ParameterKind.Default);
    if (optional) {
      problem(
        `Parameter '${optional.name.text}' of @${DECORATOR} ${isMethod ? "method" : "function"} '${name}' is optional or a rest ` +
          `parameter; invokable methods take exactly the arguments they declare.`,
        optional.range,
      );
      return;
    }

    const scope = instance ? owner : null;
    const taken = identifiers.get(scope) ?? new Set<string>();
    identifiers.set(scope, taken);
    if (taken.has(identifier)) {
      problem(
        instance ? typeCollision(owner!, identifier) : assemblyCollision(assemblyName, identifier),
        decorator.range,
      );
      return;
    }
    taken.add(identifier);

    const exportName = `${RESERVED_PREFIX}${instance ? "method" : "invoke"}_${invokables.length}_${name}`;
    const parameterEncoded = fn.signature.parameters.map((p) => !crossesDirectly(p.type));
    const returnType = fn.signature.returnType;
    const returnEncoded = typeNameOf(returnType) !== "void" && !crossesDirectly(returnType);
    const invokable = { identifier, declaration: fn, owner, instance, exportName, parameterEncoded, returnEncoded };
    const wrapped = needsWrapper(invokable);
    const importName = wrapped ? exportName : place.isDefaultExport ? "default" : name;
    invokables.push({ ...invokable, importName, wrapped });
  };

  for (const source of sources) {
    const place: Place = { owner: null, inNamespace: false, isDefaultExport: false, listedExports: listedExports(source) };
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
  const name = decoratorName(decorator);
  if (name === undefined) return declaredName(declaration);
  if (name !== null) return name;
  problem(`@${DECORATOR} takes at most one argument: a non-empty string literal identifier.`, decorator.range);
  return null;
}

function declaredName(statement: Statement): string {
  if (statement.kind === NodeKind.Variable) {
    return (statement as VariableStatement).declarations.map((d) => d.name.text).join(", ");
  }
  return (statement as Partial<DeclarationStatement>).name?.text ?? "this declaration";
}

function describeKind(statement: Statement, nested: boolean): string {
  switch (statement.kind) {
    case NodeKind.ClassDeclaration:
      return "a class";
    case NodeKind.MethodDeclaration: {
      const method = statement as MethodDeclaration;
      if (method.is(CommonFlags.Constructor)) return "a constructor";
      return method.isAny(CommonFlags.Get | CommonFlags.Set) ? "an accessor" : "a class method";
    }
    case NodeKind.FieldDeclaration:
      return "a field";
    case NodeKind.Variable:
      return "a variable";
    case NodeKind.FunctionDeclaration:
      return nested ? "a namespace member" : "a function";
    default:
      return "not a function";
  }
}
