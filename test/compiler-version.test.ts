/** The AssemblyScript compiler is a peer dependency: which versions will do, and what is said otherwise. */
import { readFileSync } from "node:fs";
import { version } from "assemblyscript/asc";
import { describe, expect, it } from "vitest";
import { MISSING_ASSEMBLYSCRIPT, SUPPORTED_ASSEMBLYSCRIPT, unsupportedAssemblyScript } from "../host/compiler/compiler-version.ts";

const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  dependencies?: Record<string, string>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

describe("the AssemblyScript compiler", () => {
  it("is an optional peer dependency of the range the code checks, not a dependency of its own", () => {
    expect(manifest.peerDependencies.assemblyscript).toBe(SUPPORTED_ASSEMBLYSCRIPT);
    expect(manifest.peerDependenciesMeta.assemblyscript).toEqual({ optional: true });
    expect(manifest.dependencies?.assemblyscript).toBeUndefined();
    expect(unsupportedAssemblyScript(version)).toBeNull();
  });

  it("is accepted from 0.28.20 within 0.28", () => {
    for (const accepted of ["0.28.20", "0.28.21", "0.28.99", "0.28.25-nightly.20270101"]) expect(unsupportedAssemblyScript(accepted)).toBeNull();
  });

  it("of another version stops with a message naming it and the command that installs a supported one", () => {
    for (const refused of ["0.27.37", "0.28.19", "0.29.0", "1.0.0", "garbage"]) {
      expect(unsupportedAssemblyScript(refused)).toBe(
        `as-interop needs AssemblyScript ^0.28.20, but the project has assemblyscript@${refused}. ` +
          "Install a supported version: npm install --save-dev assemblyscript@^0.28.20",
      );
    }
    expect(MISSING_ASSEMBLYSCRIPT).toBe(
      "as-interop compiles with AssemblyScript ^0.28.20, which the project must install (it is a peer dependency): " +
        "npm install --save-dev assemblyscript@^0.28.20",
    );
  });
});
