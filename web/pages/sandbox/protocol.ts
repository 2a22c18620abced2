/**
 * The messages of the sandbox page's two kinds of work: the compiler worker's (AssemblyScript's
 * compiler and the interop transform; the page never loads the compiler itself) and a run's (one
 * compiled assembly in a worker of as-interop's, and the user's JavaScript imported next to it).
 */
import type { Diagnostic } from "../../../host/compiler/compile.ts";
import type { ConsoleLevel } from "../../app/console-mirror.ts";

export type { Diagnostic };

export interface CompileRequest {
  readonly id: number;
  readonly source: string;
  readonly assemblyName: string;
  readonly optimize: boolean;
}

export type CompileResponse =
  | {
      readonly id: number;
      readonly ok: true;
      readonly ms: number;
      readonly binary: Uint8Array;
      /** Each method as `identifier(parameters): result`. */
      readonly methods: readonly string[];
      readonly warnings: readonly Diagnostic[];
      /** Taken from the compile cache: the same source compiled earlier by the same compiler. */
      readonly cached?: boolean;
    }
  | { readonly id: number; readonly ok: false; readonly ms: number; readonly diagnostics: readonly Diagnostic[] };

/** How far the compiler worker is in loading the compiler's files. */
export interface LoadProgress {
  /** Bytes of the files loaded so far (from the network or the browser's cache). */
  readonly bytes: number;
  readonly files: number;
  /** Of those bytes, how many came from the network (0: all from the browser's cache). */
  readonly transferred: number;
}

export type CompilerMessage =
  | ({ readonly type: "progress" } & LoadProgress)
  | { readonly type: "ready"; readonly bytes: number; readonly transferred: number; readonly ms: number }
  | { readonly type: "failed"; readonly message: string }
  | ({ readonly type: "compiled" } & CompileResponse);

/** The name under which a run grants its worker the console's page function (see console-capture.ts). */
export const CONSOLE_GRANT = "sandboxConsole";

/** The page function the console module prints through. */
export interface ConsoleGrant {
  print(level: ConsoleLevel, text: string): void;
}

export interface RunRequest {
  readonly binary: Uint8Array;
  readonly script: string;
}

/** Where in the user's script something happened, 1-based. */
export interface ScriptLocation {
  readonly line: number;
  readonly column: number;
}

export interface ErrorReport {
  readonly name: string;
  readonly message: string;
  readonly location: ScriptLocation | null;
}

export type RunnerMessage =
  /** The assembly is instantiated and registered; the script starts. */
  | { readonly type: "loaded"; readonly assemblyName: string }
  | { readonly type: "console"; readonly level: ConsoleLevel; readonly text: string }
  /** The script's top level has run to its end (its promises may still log). */
  | { readonly type: "finished" }
  /** Loading the assembly or running the script threw, or something asynchronous did later. */
  | { readonly type: "failed"; readonly phase: "load" | "script" | "async"; readonly error: ErrorReport };
