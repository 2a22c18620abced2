/**
 * Managed functions passed to JavaScript in the arguments of a dynamic call — the HTML Bridge's
 * "managed event delegates can be passed to JavaScript parameters that expect method references":
 * `JSRuntime.invokeVoid("addEventListener", JSArgs.of("tick").and(onTick))`, or as a value JS
 * is given (`setValue("handler", onTick)`).
 *
 * The tagged writer sends such a function as its function type's class id and the id it is
 * tracked by; JS calls it through a generated invoker, which must exist before the compiler runs.
 * So the functions are found in the syntax, where the signature is written:
 * - a function declared in the same file, by its name: `JSArgs.of(onTick)`;
 * - a function expression: `JSArgs.of((n: i32): void => { … })`;
 * - a variable or parameter of the same file annotated with a function type: `const f: (n: i32) => void = …`;
 * - any value, with the function type given: `JSArgs.of<(n: i32) => void>(handler)`.
 * Anything else (a field, a function imported from another file, a call's result) is a compile error
 * at the argument, saying which of these to write; the check runs as the compiler compiles the
 * call, so it sees the argument's real type.
 */
import {
  type Compiler,
  type CallExpression,
  type Expression,
  type FunctionDeclaration,
  type FunctionExpression,
  type FunctionTypeNode,
  type IdentifierExpression,
  type ParameterNode,
  type Program,
  type PropertyAccessExpression,
  type Source,
  type Type,
  type VariableDeclaration,
} from "assemblyscript";
import { afterEachExpression } from "./call-sites.ts";
import { DiagnosticCode, NodeKind, ParameterKind, ReportMode } from "./enums.ts";
import { asFunctionType, typeNameOf, walk } from "./syntax.ts";

/** The library's methods whose arguments are tagged values a function may be among. */
const TAKES_VALUES = new Set(["of", "and", "setValue", "setProperty", "trySetValue", "trySetProperty", "setValueAsync"]);
/** Where those methods live: `JSArgs`, `JSObject`, `JSRuntime`. */
const LIBRARY_VALUE_TAKER = /as-interop\/assembly\/interop\/js\/(args\/JSArgs|object\/JSObject|runtime\/JSRuntime)[.#]/;

export interface DelegateArguments {
  /** The signature of each function found, for which an invoker is generated. */
  readonly signatures: FunctionTypeNode[];
  /** The calls to check once types are known (see `checkDelegateArguments`). */
  readonly calls: Set<CallExpression>;
}

export function collectDelegateArguments(sources: readonly Source[]): DelegateArguments {
  const signatures = new Set<FunctionTypeNode>();
  const calls = new Set<CallExpression>();
  for (const source of sources) {
    const functions = new Map<string, FunctionTypeNode>();
    const variables = new Map<string, FunctionTypeNode>();
    const found: CallExpression[] = [];
    walk(source, (node) => {
      if (node.kind === NodeKind.FunctionDeclaration && source.statements.includes(node as FunctionDeclaration)) {
        const declaration = node as FunctionDeclaration;
        if (!declaration.typeParameters?.length) functions.set(declaration.name.text, declaration.signature);
      } else if (node.kind === NodeKind.VariableDeclaration || node.kind === NodeKind.Parameter) {
        const variable = node as VariableDeclaration | ParameterNode;
        const type = asFunctionType(variable.type);
        if (type) variables.set(variable.name.text, type);
      } else if (node.kind === NodeKind.Call && takesValues(node as CallExpression)) {
        found.push(node as CallExpression);
      }
    });
    for (const call of found) {
      calls.add(call);
      const given = asFunctionType(call.typeArguments?.[0] ?? null);
      for (const argument of call.args) {
        const signature = given ?? signatureOf(argument, functions, variables);
        if (signature && isWritable(signature)) signatures.add(signature);
      }
    }
  }
  return { signatures: [...signatures], calls };
}

function takesValues(call: CallExpression): boolean {
  return call.expression.kind === NodeKind.PropertyAccess && TAKES_VALUES.has((call.expression as PropertyAccessExpression).property.text);
}

function signatureOf(
  argument: Expression,
  functions: ReadonlyMap<string, FunctionTypeNode>,
  variables: ReadonlyMap<string, FunctionTypeNode>,
): FunctionTypeNode | null {
  if (argument.kind === NodeKind.Function) return (argument as FunctionExpression).declaration.signature;
  if (argument.kind !== NodeKind.Identifier) return null;
  const name = (argument as IdentifierExpression).text;
  return functions.get(name) ?? variables.get(name) ?? null;
}

/** A signature an invoker can be written for: every type spelled out, no optional or rest parameter, no `this`. */
function isWritable(signature: FunctionTypeNode): boolean {
  return (
    typeNameOf(signature.returnType) !== "" &&
    !signature.explicitThisType &&
    signature.parameters.every((p) => p.parameterKind === ParameterKind.Default && !p.initializer && typeNameOf(p.type) !== "")
  );
}

/** What the check needs per compilation: the calls to look at, and the function types described. */
interface CheckState {
  readonly calls: Set<CallExpression>;
  readonly arguments: Set<Expression>;
  /** Runtime class ids of the function types in the manifest's `delegates`. */
  readonly described: Set<number>;
  readonly argumentTypes: Map<Expression, Type>;
}
/**
 * As the compiler compiles each call found, reports a managed function among its arguments whose
 * function type has no invoker (see the file comment), at the argument.
 */
export function checkDelegateArguments(program: Program, calls: Set<CallExpression>, described: Set<number>): void {
  const state: CheckState = { calls, arguments: new Set([...calls].flatMap((call) => call.args)), described, argumentTypes: new Map() };
  afterEachExpression(program, (compiler, expression) => afterCompiling(compiler, state, expression));
}

function afterCompiling(compiler: Compiler, state: CheckState, expression: Expression): void {
  // An argument: its type as compiled, for the check of its call (compiled next).
  if (state.arguments.has(expression) && compiler.currentType.getSignature()) state.argumentTypes.set(expression, compiler.currentType);
  if (!state.calls.has(expression as CallExpression)) return;
  const call = expression as CallExpression;
  const functionArguments = call.args.filter((argument) => state.argumentTypes.has(argument));
  if (!functionArguments.length) return;
  const callee = compiler.resolver.lookupExpression(call.expression, compiler.currentFlow, undefined, ReportMode.Swallow);
  if (!callee || !LIBRARY_VALUE_TAKER.test(callee.internalName)) return;
  for (const argument of functionArguments) {
    const type = state.argumentTypes.get(argument)!;
    const wrapper = type.getClassOrWrapper(compiler.program);
    if (wrapper && state.described.has(wrapper.id)) continue;
    compiler.error(
      DiagnosticCode.Transform_0_1,
      argument.range,
      "as-interop",
      `A managed function passed to JavaScript must be one whose signature the compiler can read here: a function ` +
        `declared in this file (by its name), a function expression with its parameter and return types, a variable or ` +
        `parameter of this file annotated with its function type, or any value with the function type given, as in ` +
        `JSArgs.of<${annotation(type)}>(value).`,
    );
  }
}

/** A function type as the user would annotate it (the compiler's own text has no parameter names). */
function annotation(type: Type): string {
  const signature = type.getSignature()!;
  const parameters = signature.parameterTypes.map((parameter, i) => `arg${i}: ${parameter.toString()}`);
  return `(${parameters.join(", ")}) => ${signature.returnType.toString()}`;
}
