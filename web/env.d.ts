/// <reference types="vite/client" />
/// <reference path="../host/vite/client.d.ts" />

declare module "virtual:sandbox-compiler-version" {
  /** A hash of the compiler, the transform and the managed library (web/tooling/sandbox-compiler.ts). */
  export const compilerVersion: string;
}
