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
 * `JSArgs` are looked up in each file's scope, so an alias (`import { JSRuntime as JS }`) or a
 * namespace import (`interop.JSArgs`) counts, and a class of the same name that is not the
 * library's does not. Inner scopes are not resolved: a name the file also declares in one (a
 * namespace's class, a parameter, a local) may mean something else where it is written, say a
 * class whose `invoke` keeps the list, which would then go back to the pool while held. So a file
 * that declares the name anywhere but in an import keeps its lists allocated. A `JSArgs.lend` or
 * `lendFor` the user wrote is an error: nothing stops its list from being held after the call it
 * is given to has given it back.
 */
import { Node, type CallExpression, type DeclarationStatement, type Element, type Expression, type IdentifierExpression, type ParameterNode, type Program, type PropertyAccessExpression, type Source } from "assemblyscript";
import { DiagnosticCode, ElementKind, NodeKind } from "./enums.ts";
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

/** What the compiler writes, and the user may not. */
const LENDING = new Set(["lend", "lendFor"]);

/** Rewrites the argument lists of `sources` that only their call holds. */
export function lendArgumentLists(program: Program, sources: readonly Source[]): void {
  for (const source of sources) {
    const file = program.filesByName.get(source.internalPath);
    if (!file) continue;
    const declared = declaredNames(source);
    const isNamed = (node: Expression, internalName: string) => libraryName(file, declared.all, node) === internalName;
    const written: CallExpression[] = [];
    const rewritten = new Set<PropertyAccessExpression>();
    walk(source, (node) => {
      if (node.kind !== NodeKind.Call) return;
      const call = node as CallExpression;
      const callee = call.expression as PropertyAccessExpression;
      if (callee.kind !== NodeKind.PropertyAccess) return;
      const method = callee.property.text;
      const receiver = callee.expression;
      if (LENDING.has(method) && !rewritten.has(callee) && isNamed(receiver, ARGS_CLASS)) written.push(call);
      if (isNamed(receiver, RUNTIME_CLASS)) {
        const first = RUNTIME_TAKES_ARGS.has(method) ? firstOfChain(call.args[1]) : null;
        if (first && isNamed(first.expression, ARGS_CLASS)) {
          first.property.text = "lend";
          rewritten.add(first);
        }
        return;
      }
      const at = OBJECT_ARGS_AT.get(method);
      if (at === undefined || !isVariable(file, declared.types, receiver)) return;
      const first = firstOfChain(call.args[at]);
      if (first && isNamed(first.expression, ARGS_CLASS)) rewritten.add(lendFor(first, receiver as IdentifierExpression));
    });
    // In the order written (the walk meets them in no particular one).
    written.sort((a, b) => a.range.start - b.range.start);
    for (const call of written) program.error(DiagnosticCode.Transform_0_1, call.range, "as-interop", WRITTEN_LEND);
  }
}

/**
 * `JSArgs.lend` or `lendFor` in the user's code: its list would be given back by the first call
 * it is passed to, and lent again while the code still holds it.
 */
const WRITTEN_LEND =
  "JSArgs.lend and JSArgs.lendFor are written by the compiler, for a JSArgs.of(a).and(b) chain written directly as the " +
  "arguments of a call into JavaScript, which gives the list back once JavaScript has read it; write JSArgs.of here.";

/**
 * `JSArgs.of<T>(x)` → `JSArgs.lendFor(receiver).and<T>(x)`, in place (the call keeps its type
 * arguments and arguments); returns the new `JSArgs.lendFor`.
 */
function lendFor(of: PropertyAccessExpression, receiver: IdentifierExpression): PropertyAccessExpression {
  const range = of.range;
  const start = Node.createPropertyAccessExpression(of.expression, Node.createIdentifierExpression("lendFor", range), range);
  of.expression = Node.createCallExpression(start, null, [Node.createIdentifierExpression(receiver.text, receiver.range)], range);
  of.property = Node.createIdentifierExpression("and", of.property.range);
  return start;
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

/** Kinds of declaration that give a name a value in some scope of the file (imports aside). */
const DECLARATIONS = new Set([
  NodeKind.ClassDeclaration, NodeKind.NamespaceDeclaration, NodeKind.FunctionDeclaration, NodeKind.VariableDeclaration, NodeKind.Parameter,
]);
/** Those whose name is not a variable (`Helper.invoke(…)` is a static call). */
const TYPE_DECLARATIONS = new Set([NodeKind.ClassDeclaration, NodeKind.NamespaceDeclaration, NodeKind.FunctionDeclaration]);

/** Every name `source` declares at any depth (`all`), and those of its classes, namespaces and functions (`types`). */
function declaredNames(source: Source): { all: Set<string>; types: Set<string> } {
  const all = new Set<string>();
  const types = new Set<string>();
  walk(source, (node) => {
    if (!DECLARATIONS.has(node.kind)) return;
    const name = (node as DeclarationStatement | ParameterNode).name.text;
    all.add(name);
    if (TYPE_DECLARATIONS.has(node.kind)) types.add(name);
  });
  return { all, types };
}

/**
 * Whether `node` names a variable: a local or a parameter (unknown to the file's scope) or a
 * global, and no class, namespace or function of the file (`types`) at any depth.
 */
function isVariable(file: Element, types: ReadonlySet<string>, node: Expression): boolean {
  if (node.kind !== NodeKind.Identifier) return false;
  const name = (node as IdentifierExpression).text;
  const element = file.lookup(name);
  if (element !== null && element.kind !== ElementKind.Global) return false;
  return !types.has(name);
}

/**
 * The internal name of what `node` names: an identifier looked up in the file's scope (unless the
 * file declares it again, see above), or a member of a namespace import (`interop.JSArgs`).
 */
function libraryName(file: Element, declared: ReadonlySet<string>, node: Expression): string | null {
  if (node.kind === NodeKind.Identifier) {
    const name = (node as IdentifierExpression).text;
    return declared.has(name) ? null : (file.lookup(name)?.internalName ?? null);
  }
  if (node.kind !== NodeKind.PropertyAccess) return null;
  const access = node as PropertyAccessExpression;
  if (access.expression.kind !== NodeKind.Identifier) return null;
  const name = (access.expression as IdentifierExpression).text;
  const namespace = declared.has(name) ? null : file.lookup(name);
  return namespace?.getMember(access.property.text)?.internalName ?? null;
}
