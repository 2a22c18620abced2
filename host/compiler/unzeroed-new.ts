/**
 * An allocation for the objects the host fills completely right after allocating them: strings
 * and `ArrayBuffer`s going into managed code.
 *
 * The incremental runtime's `__new` zeroes every new object, because the collector may visit an
 * object before its fields are initialized. A string or buffer has no managed fields to visit, and
 * the host overwrites all of its bytes at once, so for these the zeroing is a wasted pass over the
 * memory: for a 32M-character string it was a quarter of the call. The minimal and stub runtimes
 * never zero, so for them `__new` itself serves.
 *
 * The unzeroed variant is derived from the runtime's own `__new` source, minus the fill, so it
 * keeps whatever else `__new` does in the AssemblyScript version at hand. Should that source ever
 * not have the expected shape, the export falls back to `__new`: slower, never wrong.
 */
import type { Parser, Source } from "assemblyscript";
import { UNZEROED_NEW_EXPORT } from "../marshal/types.ts";
import { injectStatements } from "./inject.ts";

const INCREMENTAL_RUNTIME = "~lib/rt/itcms";
/** The runtime-internal name the derived function gets (global, so the glue can call it). */
const DERIVED_NAME = "__interop_unzeroedNew";

const NEW_FUNCTION = /^export function __new\(size: usize, id: i32\): usize \{\n([\s\S]*?)\n\}$/m;
/** The fill, and the comment above it that says why `__new` needs it. */
const FILL = /^(\s*\/\/[^\n]*\n)?\s*memory\.fill\(ptr, 0, size\);\n/m;

/** Derives the unzeroed `__new` from the incremental runtime's, if this program uses that runtime. */
export function deriveUnzeroedNew(parser: Parser): boolean {
  const runtime = parser.sources.find((source: Source) => source.internalPath === INCREMENTAL_RUNTIME);
  const body = runtime && NEW_FUNCTION.exec(runtime.text)?.[1];
  if (!runtime || !body || !FILL.test(body)) return false;
  injectStatements(
    parser,
    runtime,
    `// as-interop: __new without zeroing, for objects the host fills at once (host/compiler/unzeroed-new.ts).\n` +
      `// @ts-ignore: decorator\n@global @unsafe\nexport function ${DERIVED_NAME}(size: usize, id: i32): usize {\n` +
      `${body.replace(FILL, "")}\n}\n`,
  );
  return true;
}

/** The glue's export of it (or of `__new`, where `__new` does not zero or the derivation failed). */
export function unzeroedNewExport(derived: boolean): string {
  return (
    `// Allocates a string or buffer the host fills at once (host/compiler/unzeroed-new.ts).\n` +
    `export function ${UNZEROED_NEW_EXPORT}(size: usize, id: i32): usize {\n` +
    `  return ${derived ? DERIVED_NAME : "__new"}(size, id);\n}\n`
  );
}
