/** Paths as AssemblyScript and Vite spell them: forward slashes, on Windows too. */
export function toPosix(path: string): string {
  return path.split("\\").join("/");
}
