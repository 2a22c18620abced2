/**
 * Argument lists written for one call: `JSRuntime.invoke<i32>("add", JSArgs.of(i).and(40))`.
 *
 * Each `JSArgs.of` allocates a managed object, dropped as soon as the host has read it; allocating
 * and collecting it was a third of a dynamic call into JS (110 of 394 ns for `add` in Node). When
 * the chain `JSArgs.of(…).and(…)…` is written directly as the `args` of a `JSRuntime` method,
 * nothing but that call can hold it, so it is rewritten to `JSArgs.lend(…)`: a list taken from a
 * small pool, which the call gives back once the host has read it (assembly/interop/js/args.ts).
 * A list kept in a variable, or passed anywhere else (a `JSObject`'s methods included: which class
 * a receiver is, the syntax does not say), is allocated as written.
 *
 * Runs in afterInitialize, before any function body is compiled: the names `JSRuntime` and
 * `JSArgs` are looked up in each file's scope, so an alias (`import { JSRuntime as JS }`) counts,
 * and a class of the same name that is not the library's does not.
 */
import type { CallExpression, Element, IdentifierExpression, Program, PropertyAccessExpression, Source } from "assemblyscript";
import { NodeKind } from "./enums.ts";
import { walk } from "./syntax.ts";

const RUNTIME_CLASS = "~lib/as-interop/assembly/interop/js/runtime/JSRuntime";
const ARGS_CLASS = "~lib/as-interop/assembly/interop/js/args/JSArgs";

/** JSRuntime's methods whose second parameter is `args: JSArgs | null`, read by the host during the call. */
const TAKES_ARGS = new Set([
  "invoke", "tryInvoke", "invokeVoid", "tryInvokeVoid", "invokeAsync", "invokeVoidAsync", "invokeAwait",
  "invokeConstructor", "tryInvokeConstructor", "invokeConstructorAsync",
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
      if (callee.kind !== NodeKind.PropertyAccess || !TAKES_ARGS.has(callee.property.text) || !isNamed(callee.expression, RUNTIME_CLASS)) return;
      const first = firstOfChain(call.args[1]);
      if (first && isNamed(first.expression, ARGS_CLASS)) first.property.text = "lend";
    });
  }
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

function lookup(file: Element, name: string): string | null {
  return file.lookup(name)?.internalName ?? null;
}
