/**
 * Argument lists written for one call: `JSRuntime.invoke<i32>("add", JSArgs.of(i).and(40))`.
 *
 * Each `JSArgs.of` allocates a managed object, dropped as soon as the host has read it; allocating
 * and collecting it was a third of a dynamic call into JS (110 of 394 ns for `add` in Node). A
 * chain `JSArgs.of(…).and(…)…` written directly as the `args` of a call that gives its list back
 * can be held by nothing else, so the compiler has it borrowed from the lists the library keeps
 * free (assembly/interop/js/args.ts):
 * - in a `JSRuntime` method, `JSArgs.of` becomes `JSArgs.lend`;
 * - in a call on a variable (`module.invoke("f", JSArgs.of(x))`), whose class the syntax does not
 *   say, `JSArgs.of<T>(x)` becomes `JSArgs.lendFor(module).and<T>(x)`, which borrows only when
 *   the variable's type is `JSObject` or `JSStreamReference` (the compiler decides, from the type)
 *   and otherwise allocates as `of` does. Reading a variable twice changes nothing; a receiver
 *   that is any other expression (a call, a property, which may be a getter) is left alone.
 * A list kept in a variable, or passed anywhere else, is allocated as written.
 *
 * Runs in afterInitialize, before any function body is compiled: the names `JSRuntime` and
 * `JSArgs` are looked up in each file's scope, so an alias (`import { JSRuntime as JS }`) counts,
 * and a class of the same name that is not the library's does not.
 */
import { Node, type CallExpression, type Element, type Expression, type IdentifierExpression, type Program, type PropertyAccessExpression, type Source } from "assemblyscript";
import { ElementKind, NodeKind } from "./enums.ts";
import { walk } from "./syntax.ts";

const RUNTIME_CLASS = "~lib/as-interop/assembly/interop/js/runtime/JSRuntime";
const ARGS_CLASS = "~lib/as-interop/assembly/interop/js/args/JSArgs";

/** JSRuntime's methods whose second parameter is `args: JSArgs | null`, read by the host during the call. */
const RUNTIME_TAKES_ARGS = new Set([
  "invoke", "tryInvoke", "invokeVoid", "tryInvokeVoid", "invokeAsync", "invokeVoidAsync", "invokeAwait",
  "invokeConstructor", "tryInvokeConstructor", "invokeConstructorAsync",
]);

/** JSObject's methods that take `args: JSArgs | null`, by its position. */
const OBJECT_ARGS_AT = new Map([
  ...["invoke", "tryInvoke", "invokeVoid", "tryInvokeVoid", "invokeAsync", "invokeVoidAsync"].map((name) => [name, 1] as const),
  ...["invokeConstructor", "tryInvokeConstructor", "invokeConstructorAsync"].map((name) => [name, 1] as const),
  ...["invokeSelf", "tryInvokeSelf"].map((name) => [name, 0] as const),
]);

/** Rewrites the argument lists of `sources` that only their call holds. */
export function lendArgumentLists(program: Program, sources: readonly Source[]): void {
  for (const source of sources) {
    const file = program.filesByName.get(source.internalPath);
    if (!file) continue;
    const isNamed = (node: unknown, internalName: string) =>
      (node as { kind: number }).kind === NodeKind.Identifier && lookup(file, (node as IdentifierExpression).text) === internalName;
    walk(source, (node) => {
      if (node.kind !== NodeKind.Call) return;
      const call = node as CallExpression;
      const callee = call.expression as PropertyAccessExpression;
      if (callee.kind !== NodeKind.PropertyAccess) return;
      const method = callee.property.text;
      const receiver = callee.expression;
      if (isNamed(receiver, RUNTIME_CLASS)) {
        const first = RUNTIME_TAKES_ARGS.has(method) ? firstOfChain(call.args[1]) : null;
        if (first && isNamed(first.expression, ARGS_CLASS)) first.property.text = "lend";
        return;
      }
      const at = OBJECT_ARGS_AT.get(method);
      if (at === undefined || !isVariable(file, receiver)) return;
      const first = firstOfChain(call.args[at]);
      if (first && isNamed(first.expression, ARGS_CLASS)) lendFor(first, receiver as IdentifierExpression);
    });
  }
}

/** `JSArgs.of<T>(x)` → `JSArgs.lendFor(receiver).and<T>(x)`, in place (the call node keeps its type arguments and arguments). */
function lendFor(of: PropertyAccessExpression, receiver: IdentifierExpression): void {
  const range = of.range;
  const start = Node.createCallExpression(
    Node.createPropertyAccessExpression(of.expression, Node.createIdentifierExpression("lendFor", range), range),
    null,
    [Node.createIdentifierExpression(receiver.text, receiver.range)],
    range,
  );
  of.expression = start as Expression;
  of.property = Node.createIdentifierExpression("and", of.property.range);
}

/**
 * `JSArgs.of` in `JSArgs.of(a).and(b)…`: the property access that starts the chain, or null when
 * `node` is not such a chain.
 */
function firstOfChain(node: unknown): PropertyAccessExpression | null {
  let call = node as CallExpression | undefined;
  while (call?.kind === NodeKind.Call && call.expression.kind === NodeKind.PropertyAccess) {
    const access = call.expression as PropertyAccessExpression;
    if (access.property.text === "of") return access;
    if (access.property.text !== "and") return null;
    call = access.expression as CallExpression;
  }
  return null;
}

/**
 * A local, a parameter or a global variable: the file's scope knows the name as a global or not at
 * all (a local). A class or namespace there (`Helper.invoke(…)`) is not a value to pass.
 */
function isVariable(file: Element, node: Expression): boolean {
  if (node.kind !== NodeKind.Identifier) return false;
  const element = file.lookup((node as IdentifierExpression).text);
  return element === null || element.kind === ElementKind.Global;
}

function lookup(file: Element, name: string): string | null {
  return file.lookup(name)?.internalName ?? null;
}
