/**
 * Which AssemblyScript this package is written against. The compiler is the project's own (a
 * peer dependency): one copy, the one its `asc` runs, since the transform extends that very
 * compiler's classes. These messages say what to install when it is missing or of another version.
 */

/** The project's AssemblyScript is missing, or of a version this package does not support. */
export class UnsupportedCompilerError extends Error {
  override name = "UnsupportedCompilerError";
}

/** Keep in step with `peerDependencies` in package.json (a test compares them). */
export const SUPPORTED_ASSEMBLYSCRIPT = "^0.28.20";

const LOWEST = [0, 28, 20] as const;
const INSTALL = `npm install --save-dev assemblyscript@${SUPPORTED_ASSEMBLYSCRIPT}`;

/** Why `installed` will not do, or null when it will: `^0.28.20` is 0.28.20 and later 0.28 releases. */
export function unsupportedAssemblyScript(installed: string): string | null {
  const [major, minor, patch] = installed.split(/[.+-]/, 3).map(Number);
  if (major === LOWEST[0] && minor === LOWEST[1] && patch >= LOWEST[2]) return null;
  return (
    `as-interop needs AssemblyScript ${SUPPORTED_ASSEMBLYSCRIPT}, but the project has assemblyscript@${installed}. ` +
    `Install a supported version: ${INSTALL}`
  );
}

export const MISSING_ASSEMBLYSCRIPT =
  `as-interop compiles with AssemblyScript ${SUPPORTED_ASSEMBLYSCRIPT}, which the project must install ` +
  `(it is a peer dependency): ${INSTALL}`;
