/**
 * Errors the compiler finds inside as-interop's library while compiling it for a user's call (a
 * generic such as `JSRuntime.invoke<T>` instantiated with a type it cannot handle) name a line of
 * the library, which the user never wrote, and not the line that caused them.
 *
 * AssemblyScript compiles a called function when it meets the call, depth first. So whatever it
 * reports from inside the library while it compiles one of the user's expressions comes from that
 * expression. The compiler's `compileExpression` is wrapped to move such a diagnostic to the
 * innermost user expression that was being compiled (the call itself), keeping the library's place
 * as the related range (asc prints both) and in the message (for those that show one place).
 *
 * The same wrapper runs a per-program hook after each expression (`afterEachExpression`), so other
 * checks that need an expression's compiled type (delegate-arguments.ts) need no wrapper of their own.
 */
import { Compiler, type DiagnosticMessage, type Expression, type Program, type Range } from "assemblyscript";
import { GLUE_PATH } from "./glue.ts";

const LIBRARY_PREFIX = "~lib/as-interop/";
/** On the prototype once it is wrapped: the wrapping survives several imports of this module. */
const WRAPPED = Symbol.for("as-interop.traceLibraryErrorsToCallers");

/** What runs after the compiler compiles an expression, for each program (see `afterEachExpression`). */
const expressionHooks = new WeakMap<Program, (compiler: Compiler, expression: Expression) => void>();

export function traceLibraryErrorsToCallers(): void {
  const prototype = Compiler.prototype as Compiler & { [WRAPPED]?: true };
  if (prototype[WRAPPED]) return;
  prototype[WRAPPED] = true;
  const compileExpression = prototype.compileExpression;
  prototype.compileExpression = function (this: Compiler, expression, contextualType, constraints) {
    const reported = this.diagnostics.length;
    const result = compileExpression.call(this, expression, contextualType, constraints);
    if (this.diagnostics.length > reported && isUserCode(expression.range)) {
      for (const diagnostic of this.diagnostics.slice(reported)) moveToCaller(diagnostic, expression.range);
    }
    expressionHooks.get(this.program)?.(this, expression);
    return result;
  };
}

/**
 * Runs `hook` after the compiler compiles each expression of `program`, with the expression's
 * type as `compiler.currentType` (the same wrapper serves every compilation).
 */
export function afterEachExpression(program: Program, hook: (compiler: Compiler, expression: Expression) => void): void {
  traceLibraryErrorsToCallers();
  expressionHooks.set(program, hook);
}

function isUserCode(range: Range): boolean {
  const path = range.source.normalizedPath;
  // Generated code (glue, injected members) is no better a place than the library.
  return !path.startsWith("~lib/") && path !== GLUE_PATH && !path.endsWith(".generated.ts");
}

function moveToCaller(diagnostic: DiagnosticMessage, caller: Range): void {
  const inside = diagnostic.range;
  if (!inside?.source.normalizedPath.startsWith(LIBRARY_PREFIX)) return;
  const line = inside.source.lineAt(inside.start);
  const where = `${inside.source.normalizedPath}:${line}:${inside.source.columnAt()}`;
  diagnostic.message += ` (at ${where}, in as-interop's library code compiled for this call)`;
  diagnostic.range = caller;
  diagnostic.relatedRange ??= inside;
}
