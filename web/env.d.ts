/// <reference types="vite/client" />
/// <reference path="../host/vite/client.d.ts" />

declare module "virtual:sandbox-compiler-version" {
  /** A hash of the compiler, the transform and the managed library (web/tooling/sandbox-compiler.ts). */
  export const compilerVersion: string;
}

declare module "virtual:bench-assemblies" {
  /** bench/assembly/bench.ts compiled by as-interop, -O3 (web/tooling/bench-assemblies.ts). */
  export const interop: Uint8Array<ArrayBuffer>;
  /** bench/assembly/calls-out.ts compiled by as-interop, -O3. */
  export const interopOut: Uint8Array<ArrayBuffer>;
  /** bench/assembly/bench.ts built by plain asc -O3 for its generated bindings. */
  export const bindings: Uint8Array<ArrayBuffer>;
}

declare module "virtual:bench-bindings" {
  import type { InstantiateBindings } from "../bench/scenarios/call-impls.ts";
  export const instantiate: InstantiateBindings;
}
