/**
 * Typed JS imports, the counterpart of `@jsInvokable` (modelled on .NET's `[JSImport]`):
 *
 *   @jsImport("exampleJsFunctions.sayHello")
 *   declare function sayHello(name: string): string;
 *
 *   @jsImport("greet", "./greeting.js")        // an export of an ES module
 *   declare function greet(name: string): string;
 *
 * The declaration becomes a wasm import of the `JS_IMPORTS_MODULE` module, which the host binds
 * once per instance to the JS function the identifier names (host/js/typed-imports.ts). When every
 * value crosses directly (numbers, `bool`, `char`, strings, arrays of them, typed arrays), the
 * user's declaration *is* the import and is left as written but for an `@external` decorator.
 * Otherwise it is replaced by a generated function of the same signature that encodes what must
 * be encoded and calls a generated import taking the encoded buffers: a `Task<T>` result passes
 * a new task's id, and a `JSResult<T>` result (the `tryInvoke` form) reads what the host caught.
 */
import {
  Node,
  type DecoratorNode,
  type FunctionDeclaration,
  type Range,
  type Source,
  type Statement,
  type StringLiteralExpression,
  type TypeNode,
} from "assemblyscript";
import { JS_IMPORTS_MODULE, type JSImportResult } from "../marshal/types.ts";
import { CommonFlags, NodeKind, ParameterKind } from "./enums.ts";
import type { CompileProblem } from "./invokables.ts";
import { RESERVED_PREFIX } from "./invokables.ts";
import { asFunctionType, asNamedType, castFunctionCode, crossesDirectly, findDecorator, isStringLiteral, typeNameOf, typeText } from "./syntax.ts";

export const IMPORT_DECORATOR = "jsImport";

export interface JSImport {
  /** The dotted identifier of the JS function, as in `JSRuntime.invoke`. */
  readonly identifier: string;
  /** The ES module it is an export of, or null for the assembly's scope. */
  readonly module: string | null;
  /** The user's declaration (its position, for messages). */
  readonly declaration: FunctionDeclaration;
  /** The field of the wasm import in `JS_IMPORTS_MODULE`. */
  readonly importName: string;
  /** Per parameter: crosses encoded (see `crossesDirectly`). */
  readonly parameterEncoded: readonly boolean[];
  readonly returnEncoded: boolean;
  /** How the result comes back: a value, a task completed later, or a `JSResult`. */
  readonly result: JSImportResult;
  /** The type `T` of a `Task<T>` or `JSResult<T>` result, or of a plain one. */
  readonly resultType: TypeNode;
  /** Replaced by generated code (a wrapper around the import), rather than marked in place. */
  readonly wrapped: boolean;
}

/** Finds `@jsImport` declarations; misuse is reported, not thrown. */
export function collectJSImports(sources: readonly Source[]): { imports: JSImport[]; problems: CompileProblem[] } {
  const imports: JSImport[] = [];
  const problems: CompileProblem[] = [];
  const visit = (statement: Statement, nested: boolean) => {
    if (statement.kind === NodeKind.NamespaceDeclaration || statement.kind === NodeKind.ClassDeclaration) {
      for (const member of (statement as unknown as { members: Statement[] }).members) visit(member, true);
    }
    if (statement.kind !== NodeKind.FunctionDeclaration && statement.kind !== NodeKind.MethodDeclaration) return;
    const declaration = statement as FunctionDeclaration;
    const decorator = findDecorator(declaration, IMPORT_DECORATOR);
    if (!decorator) return;
    const problem = (message: string, range: Range = declaration.range) => void problems.push({ range, message });
    const name = declaration.name.text;
    if (nested || statement.kind !== NodeKind.FunctionDeclaration || !declaration.is(CommonFlags.Ambient) || declaration.body) {
      return problem(
        `@${IMPORT_DECORATOR} can only be applied to a top-level 'declare function'; '${name}' is not one. ` +
          `Declare the JavaScript function's signature: @${IMPORT_DECORATOR}("${name}") declare function ${name}(…): …;`,
      );
    }
    const target = decoratorTarget(decorator);
    if (!target) {
      return problem(
        `@${IMPORT_DECORATOR} takes the JavaScript function's identifier and, optionally, the ES module it is exported from: ` +
          `@${IMPORT_DECORATOR}("api.save") or @${IMPORT_DECORATOR}("save", "./api.js"), as string literals.`,
        decorator.range,
      );
    }
    if ((declaration.typeParameters?.length ?? 0) > 0) {
      return problem(`@${IMPORT_DECORATOR} function '${name}' is generic; a JavaScript function is imported with one signature.`);
    }
    if (findDecorator(declaration, "external")) {
      return problem(`@${IMPORT_DECORATOR} function '${name}' also has @external: as-interop names the import itself.`);
    }
    const optional = declaration.signature.parameters.find((p) => p.parameterKind !== ParameterKind.Default);
    if (optional) {
      return problem(
        `Parameter '${optional.name.text}' of @${IMPORT_DECORATOR} function '${name}' is optional or a rest parameter; ` +
          `declare one function per way you call it.`,
        optional.range,
      );
    }
    const returnType = declaration.signature.returnType;
    const { result, type: resultType } = resultOf(returnType);
    const parameterEncoded = declaration.signature.parameters.map((p) => !crossesDirectly(p.type) || asFunctionType(p.type) !== null);
    const returnEncoded = result === "value" && typeNameOf(resultType) !== "void" && !crossesDirectly(resultType);
    // A function JS returns (one of this instance's delegates) crosses as the id it is tracked by.
    const returnsFunction = result === "value" && asFunctionType(resultType) !== null;
    const wrapped = result !== "value" || returnEncoded || returnsFunction || parameterEncoded.some(Boolean);
    imports.push({
      identifier: target.identifier,
      module: target.module,
      declaration,
      importName: `${imports.length}_${name}`,
      parameterEncoded,
      returnEncoded,
      result,
      resultType,
      wrapped,
    });
  };
  for (const source of sources) for (const statement of source.statements) visit(statement, false);
  return { imports, problems };
}

/** `Task<T>` and `JSResult<T>` results, by their annotation (library types, not aliases). */
function resultOf(node: TypeNode): { result: JSImportResult; type: TypeNode } {
  const named = asNamedType(node);
  const name = named && !named.name.next ? named.name.identifier.text : null;
  if ((name === "Task" || name === "JSResult") && named!.typeArguments?.length === 1) {
    return { result: name === "Task" ? "task" : "try", type: named!.typeArguments[0] };
  }
  return { result: "value", type: node };
}

function decoratorTarget(decorator: DecoratorNode): { identifier: string; module: string | null } | null {
  const args = decorator.args ?? [];
  if (args.length < 1 || args.length > 2 || !args.every(isStringLiteral)) return null;
  const [identifier, module] = args.map((arg) => (arg as StringLiteralExpression).value);
  if (identifier.length === 0 || module === "") return null;
  return { identifier, module: module ?? null };
}

/** The generated import of a wrapped `@jsImport`: what the host binds. */
function importFunctionName(jsImport: JSImport): string {
  return `${RESERVED_PREFIX}jsimport_${jsImport.importName}`;
}

/** Marks a direct import's declaration as the wasm import the host binds; the user's code stays as written. */
export function markDirectImport(jsImport: JSImport): void {
  const { declaration } = jsImport;
  const range = declaration.name.range;
  const external = Node.createDecorator(
    Node.createIdentifierExpression("external", range),
    [Node.createStringLiteralExpression(JS_IMPORTS_MODULE, range), Node.createStringLiteralExpression(jsImport.importName, range)],
    range,
  );
  declaration.decorators = [...(declaration.decorators ?? []), external];
}

/** Library names generated code uses (see glue.ts LIBRARY_ALIASES). */
export interface ImportAliases {
  readonly encode: string;
  readonly decode: string;
  readonly trackFunction: string;
  readonly castFunction: string;
  readonly Task: string;
  readonly trackTask: string;
  readonly readTryResult: string;
}

/**
 * The code that replaces a wrapped `@jsImport` declaration: the import itself, taking encoded
 * buffers (and a task id), and a function with the user's signature that calls it.
 */
export function wrappedImportSource(jsImport: JSImport, aliases: ImportAliases): string {
  const { declaration, parameterEncoded, result, resultType } = jsImport;
  const name = declaration.name.text;
  const raw = importFunctionName(jsImport);
  const parameters = declaration.signature.parameters;
  const rawParameters = parameters.map((p, i) => `arg${i}: ${rawType(p.type, parameterEncoded[i])}`);
  const args = parameters.map((p, i) => {
    if (!parameterEncoded[i]) return p.name.text;
    const fn = asFunctionType(p.type);
    return fn ? `${aliases.trackFunction}<${typeText(p.type)}>(${p.name.text})` : `${aliases.encode}<${typeText(p.type)}>(${p.name.text})`;
  });
  const userParameters = parameters.map((p) => `${p.name.text}: ${typeText(p.type)}`);
  const exported = declaration.is(CommonFlags.Export) ? "export " : "";
  const returns = typeText(declaration.signature.returnType);
  const resultText = typeText(resultType);
  let rawResult: string;
  let body: string;
  switch (result) {
    case "task":
      rawResult = "void";
      rawParameters.push("task: u32");
      body =
        `  const task = new ${aliases.Task}<${resultText}>();\n` +
        `  ${raw}(${[...args, `${aliases.trackTask}(task)`].join(", ")});\n` +
        `  return task;`;
      break;
    case "try":
      rawResult = "ArrayBuffer";
      body = `  return ${aliases.readTryResult}<${resultText}>(${raw}(${args.join(", ")}));`;
      break;
    default: {
      const returnedFunction = asFunctionType(resultType);
      if (typeNameOf(resultType) === "void") {
        rawResult = "void";
        body = `  ${raw}(${args.join(", ")});`;
      } else if (returnedFunction) {
        rawResult = "u32";
        body = `  return ${castFunctionCode(aliases.castFunction, returnedFunction, `${raw}(${args.join(", ")})`)};`;
      } else if (jsImport.returnEncoded) {
        rawResult = "ArrayBuffer";
        body = `  return ${aliases.decode}<${resultText}>(${raw}(${args.join(", ")}));`;
      } else {
        rawResult = resultText;
        body = `  return ${raw}(${args.join(", ")});`;
      }
    }
  }
  return (
    `// @jsImport(${JSON.stringify(jsImport.identifier)}${jsImport.module === null ? "" : `, ${JSON.stringify(jsImport.module)}`})\n` +
    `@external(${JSON.stringify(JS_IMPORTS_MODULE)}, ${JSON.stringify(jsImport.importName)})\n` +
    `declare function ${raw}(${rawParameters.join(", ")}): ${rawResult};\n` +
    `${exported}function ${name}(${userParameters.join(", ")}): ${returns} {\n${body}\n}\n`
  );
}

/** What the import itself takes for a parameter: an encoded buffer, a delegate's id, or the type as written. */
function rawType(type: TypeNode, encoded: boolean): string {
  if (!encoded) return typeText(type);
  return asFunctionType(type) ? "u32" : "ArrayBuffer";
}

/** Removes the user's declaration of a wrapped import; the generated code takes its place. */
export function removeDeclaration(source: Source, declaration: FunctionDeclaration): void {
  const index = source.statements.indexOf(declaration);
  if (index >= 0) source.statements.splice(index, 1);
}
