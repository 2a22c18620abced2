/**
 * The run-time half of a `?assembly` import (host/api/assembly-import.ts) across versions of its
 * module: in development a recompiled entry's module runs again with the new wasm's URL, through
 * a hot update in a page, or afresh where nothing hot-updates it (server-side rendering's
 * `ssrLoadModule`, which runs a changed module again at the next request).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { assemblyImport } from "../host/api/assembly-import.ts";
import { InteropRuntime } from "../host/runtime/index.ts";
import { inlineUrl } from "../host/vite/delivery.ts";
import { compileVirtual } from "./helpers.ts";

/** The same entry compiled twice, as an edit recompiles it: `Version()` tells which. */
let first: string;
let second: string;

beforeAll(async () => {
  const version = (n: number) => ({ "Versioned.ts": `@jsInvokable export function Version(): i32 { return ${n}; }` });
  first = inlineUrl((await compileVirtual(version(1))).binary);
  second = inlineUrl((await compileVirtual(version(2))).binary);
});

interface Versioned {
  Version(): Promise<number>;
}

describe("a ?assembly import whose module runs again with a recompiled wasm", () => {
  it("loads the new code at the next load(), in place, under the same name and options, and only once for callers at the same time", async () => {
    const key = "test:recompiled";
    const runtime = new InteropRuntime();
    const before = (await assemblyImport(key, "Versioned", first).load({ runtime, int64: "bigint" })) as unknown as Versioned;
    expect(await before.Version()).toBe(1);
    const loaded = runtime.getAssembly("Versioned");

    // The module as ssrLoadModule runs it again after the edit: no hot update, the new URL.
    const { load } = assemblyImport(key, "Versioned", second);
    const [after, again] = (await Promise.all([load({ runtime, int64: "bigint" }), load({ runtime, int64: "bigint" })])) as unknown as Versioned[];
    expect(await after.Version()).toBe(2);
    expect(await again.Version()).toBe(2);
    // Calls by name reach the new instance, as after a hot update: the API held from before too.
    expect(await before.Version()).toBe(2);
    expect(runtime.getAssembly("Versioned")).not.toBe(loaded);
    expect(runtime.getAssembly("Versioned")?.options.int64).toBe("bigint");

    // Loaded from the newest version already: nothing is loaded again.
    const current = runtime.getAssembly("Versioned");
    await load({ runtime, int64: "bigint" });
    expect(runtime.getAssembly("Versioned")).toBe(current);
  });

  it("leaves a copy loaded by the same version alone when the module runs again unchanged", async () => {
    const key = "test:unchanged";
    const runtime = new InteropRuntime();
    await assemblyImport(key, "Versioned", first).load({ runtime });
    const loaded = runtime.getAssembly("Versioned");
    await assemblyImport(key, "Versioned", first).load({ runtime });
    expect(runtime.getAssembly("Versioned")).toBe(loaded);
  });
});
