/**
 * The sandbox's managed attacker (test/fixtures/sandbox.ts), compiled once for a test file, with
 * the attack model's canaries (test/sandbox-attacks.ts) installed around the file's tests: what
 * test/sandbox.test.ts and test/sandbox-attacks-2.test.ts stand on.
 */
import { afterAll, beforeAll } from "vitest";
import { InteropRuntime, type LoadedAssembly } from "../host/runtime/index.ts";
import type { AssemblyOptions } from "../host/runtime/assembly.ts";
import { compileFixture } from "./helpers.ts";
import { installCanaries } from "./sandbox-attacks.ts";

/** The fixture's assembly name. */
export const NAME = "sandbox";

/** One load of the fixture, in a runtime of its own. */
export interface Sandbox {
  readonly runtime: InteropRuntime;
  readonly assembly: LoadedAssembly;
  call<T = unknown>(method: string, ...args: unknown[]): T;
}

export interface SandboxFixture {
  /** The compiled fixture (set once the file's `beforeAll` ran). */
  readonly module: WebAssembly.Module;
  readonly canaries: ReturnType<typeof installCanaries>;
  /** Loads the fixture with `options` (a scope, limits) into a fresh runtime. */
  load(options: AssemblyOptions): Promise<Sandbox>;
}

/** Compiles the fixture and installs the canaries before the file's tests, and removes them after. */
export function useSandboxFixture(): SandboxFixture {
  let module: WebAssembly.Module | undefined;
  let canaries: ReturnType<typeof installCanaries> | undefined;
  beforeAll(async () => {
    module = (await compileFixture(NAME)).module;
    canaries = installCanaries();
  });
  afterAll(() => canaries?.remove());
  return {
    get module() {
      return module!;
    },
    get canaries() {
      return canaries!;
    },
    async load(options) {
      const runtime = new InteropRuntime();
      const assembly = await runtime.loadAssembly(module!, options);
      return { runtime, assembly, call: (method, ...args) => runtime.invokeMethod(NAME, method, ...args) };
    },
  };
}
