/**
 * host/vite/page-modules.ts: which `@jsImport` module URLs a build warns of (a module the page
 * loads by a relative URL that `public/` does not hold). The whole build is in
 * e2e/embedding-build.spec.ts; these are the URLs that warning must read right.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JSImportDescriptor, Manifest } from "../host/marshal/types.ts";
import { missingPageModules } from "../host/vite/page-modules.ts";

const root = mkdtempSync(join(tmpdir(), "page-modules-"));
const publicDir = join(root, "public");
mkdirSync(join(publicDir, "lib"), { recursive: true });
writeFileSync(join(publicDir, "greeting.js"), "export const greet = () => 'hi';");
writeFileSync(join(publicDir, "lib", "a b.js"), "export const f = () => 1;");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A manifest whose imports load `modules` (only the fields the warning reads matter). */
function manifestOf(...modules: (string | null)[]): Manifest {
  const imports = modules.map((module, i) => ({ identifier: `f${i}`, module, declaredAt: `assembly/A.ts:${i + 1}:1` }) as JSImportDescriptor);
  return { imports } as unknown as Manifest;
}

describe("a build warns of a @jsImport module the page loads by URL that public/ does not hold", () => {
  it("relative and root-relative URLs: warned of when missing, not when public/ holds them (a query and an escaped name aside)", () => {
    const warnings = missingPageModules(manifestOf("./greeting.js", "/greeting.js?v=2", "./lib/a%20b.js", "./missing.js", "../gone.js"), publicDir, root);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^assembly\/A\.ts:4:1: @jsImport\("f3", "\.\/missing\.js"\) .* public\/missing\.js does not exist/);
    expect(warnings[1]).toContain("public/gone.js does not exist");
  });

  it("a bare specifier, an absolute URL, a protocol-relative URL (another host) and the assembly's scope are not the page's files: no warning", () => {
    expect(missingPageModules(manifestOf(null, "lodash-es", "https://cdn.example/x.js", "//cdn.example/x.js"), publicDir, root)).toEqual([]);
  });

  it("a URL whose escapes do not decode is warned of, not a failed build", () => {
    const warnings = missingPageModules(manifestOf("./bad%E0%A4%A.js"), publicDir, root);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"./bad%E0%A4%A.js"');
  });
});
