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
 * not have the expected shape, `__new` serves: slower, never wrong. Either way the function goes
 * into the runtime's own file, as library code: it reaches the runtime's private state, and it is
 * not `@unsafe`, so the glue may call it in a `--noUnsafe` build.
 */
import type { Parser, Source } from "assemblyscript";
import { UNZEROED_NEW_EXPORT } from "../marshal/types.ts";
import { injectStatements } from "./inject.ts";

const INCREMENTAL_RUNTIME = "~lib/rt/itcms";
/** Where the plain variant goes: every runtime's object layout lives there. */
const RUNTIME_COMMON = "~lib/rt/common";
/** The runtime-internal name the function gets (global, so the glue can call it). */
const INTERNAL_NAME = "__interop_unzeroedNew";

const NEW_FUNCTION = /^export function __new\(size: usize, id: i32\): usize \{\n([\s\S]*?)\n\}$/m;
/** The fill, and the comment above it that says why `__new` needs it. */
const FILL = /^(\s*\/\/[^\n]*\n)?\s*memory\.fill\(ptr, 0, size\);\n/m;

/** Adds `__interop_unzeroedNew` to the runtime, and returns the glue's export of it. */
export function addUnzeroedNew(parser: Parser): string {
  const find = (path: string) => parser.sources.find((source: Source) => source.internalPath === path);
  const incremental = find(INCREMENTAL_RUNTIME);
  const body = incremental && NEW_FUNCTION.exec(incremental.text)?.[1];
  const derived = incremental && body && FILL.test(body);
  const header =
    `// as-interop: allocates a string or buffer the host fills at once (host/compiler/unzeroed-new.ts).\n` +
    `// @ts-ignore: decorator\n@global\nexport function ${INTERNAL_NAME}(size: usize, id: i32): usize {\n`;
  // A custom runtime (asc --runtime <file>) may have no common file: the glue calls its __new.
  const common = find(RUNTIME_COMMON);
  if (derived) {
    injectStatements(parser, incremental, `${header}${body.replace(FILL, "")}\n}\n`);
  } else if (common) {
    injectStatements(parser, common, `${header}  return __new(size, id);\n}\n`);
  }
  return (
    `// Allocates a string or buffer the host fills at once (host/compiler/unzeroed-new.ts).\n` +
    `export function ${UNZEROED_NEW_EXPORT}(size: usize, id: i32): usize {\n` +
    `  return ${derived || common ? INTERNAL_NAME : "__new"}(size, id);\n}\n`
  );
}
