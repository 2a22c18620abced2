/**
 * Imported first by compile.ts and transform.ts, so that an AssemblyScript this code was not
 * written against stops the import with a message that says what to install, before any other
 * module of ours uses the compiler (see compiler-version.ts).
 */
import { version } from "assemblyscript/asc";
import { unsupportedAssemblyScript, UnsupportedCompilerError } from "./compiler-version.ts";

const problem = unsupportedAssemblyScript(version);
if (problem) throw new UnsupportedCompilerError(problem);
