/**
 * `compile()`, loaded when first needed. The Vite plugin and the CLI import this instead of
 * compile.ts, so that they load without the AssemblyScript compiler (`vite preview` never needs
 * it), and so that a project without it gets a message that says what to install rather than
 * Node's "Cannot find package 'assemblyscript'".
 */
import { MISSING_ASSEMBLYSCRIPT, UnsupportedCompilerError } from "./compiler-version.ts";

export type Compiler = typeof import("./compile.ts");

let loading: Promise<Compiler> | null = null;

export function loadCompiler(): Promise<Compiler> {
  loading ??= import("./compile.ts").catch((error: unknown) => {
    loading = null;
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === "ERR_MODULE_NOT_FOUND" && /'assemblyscript[/']/.test(String(error))) {
      throw new UnsupportedCompilerError(MISSING_ASSEMBLYSCRIPT, { cause: error });
    }
    throw error;
  });
  return loading;
}
