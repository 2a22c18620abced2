/**
 * The sandbox attacked by an outside tester, sixth round: what one sandboxed assembly can do to
 * what another sees (the membrane's verdicts on shared objects), to the realm's own objects a scope
 * grants (Math, JSON, console), and through the rest of the host's machinery. The attacker is
 * test/fixtures/sandbox-probe.ts, loaded under several names.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { InteropRuntime } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileFixture } from "./helpers.ts";

const NAME = "sandbox-probe";
let module: WebAssembly.Module;
beforeAll(async () => {
  module = (await compileFixture(NAME)).module;
});

async function load(options: AssemblyOptions) {
  const runtime = new InteropRuntime();
  const name = options.name ?? NAME;
  const assembly = await runtime.loadAssembly(module, options);
  return { runtime, assembly, call: <T = unknown>(method: string, ...args: unknown[]) => runtime.invokeMethod(name, method, ...args) as T };
}

const notFound = (name: string, path: string, key: string) =>
  `Could not find '${path}' ('${key}' was undefined). The assembly '${name}' can reach only what its scope grants.`;

describe("what one assembly does to a shared object decides nothing of what another reaches", () => {
  // An object without a constructor of its own that holds a function of the engine's is taken for
  // an engine's prototype (an iterator's), whose members are not reachable. The verdict was taken
  // once, for every membrane: an assembly granted such an object could store a built-in function
  // there (a granted `console.log`, `Math.max`) and so hide its members, for good, from every other
  // assembly whose objects inherit from it.
  const shape = () => {
    const base = {
      describe(): string {
        return "base";
      },
    };
    return { base, item: Object.create(base) as object };
  };

  it("a built-in function one assembly stores in a prototype does not hide the prototype's members from another", async () => {
    const { base, item } = shape();
    const writer = await load({ name: "writer", scope: { shared: base, mine: Object.create(base), tools: { log: console.log, max: Math.max } } });
    writer.call("SetHandle", 0, "shared.log", writer.call<number>("Get", 0, "tools.log"));
    writer.call("SetHandle", 0, "shared.max", writer.call<number>("Get", 0, "tools.max"));
    expect(base).toHaveProperty("log", console.log);
    const reader = await load({ name: "reader", scope: { item } });
    expect(reader.call("CallText", 0, "item.describe", [])).toBe("base");
    // Nor from the writer itself: what it stored there is its own doing, not the engine's.
    expect(writer.call("CallText", 0, "mine.describe", [])).toBe("base");
  });

  it("nor does the moment an assembly first asks: each membrane takes its own verdict", async () => {
    const { base, item } = shape();
    const first = await load({ name: "first", scope: { item } });
    expect(first.call("CallText", 0, "item.describe", [])).toBe("base");
    // The host borrows an engine function for the prototype: from now on it is judged an engine's.
    Object.assign(base, { now: Date.now });
    const later = await load({ name: "later", scope: { item } });
    expect(() => later.call("CallText", 0, "item.describe", [])).toThrow(notFound("later", "item.describe", "describe"));
    // The first keeps what it was given.
    expect(first.call("CallText", 0, "item.describe", [])).toBe("base");
  });
});
