/**
 * One instantiated assembly: its manifest, its heap, and an invoker per `@jsInvokable` method,
 * all built once here so that a call only looks its method up and runs it.
 */
import { codecFor, defaultMarshalOptions, type MarshalOptions, type WasmValue } from "../marshal/codec.ts";
import { ManagedHeap, type RuntimeExports } from "../marshal/heap.ts";
import {
  CONFIGURE_EXPORT,
  STACK_POINTER_EXPORT,
  type Manifest,
  type MethodDescriptor,
  type TypeDescriptor,
} from "../marshal/types.ts";
import { encodedCodec } from "../marshal/wire/codec.ts";
import { CallBoundary } from "./boundary.ts";
import { ManagedError } from "./errors.ts";
import { createInvoker, type Invoker } from "./invoker.ts";
import { readManifest } from "./manifest.ts";

export interface AssemblyOptions extends Partial<MarshalOptions> {
  /** Register under this name instead of the one compiled in. */
  name?: string;
  /** Extra imports for `declare`d functions in the assembly; `env.abort` and friends are provided. */
  imports?: WebAssembly.Imports;
}

export interface InvokableMethod {
  readonly descriptor: MethodDescriptor;
  readonly invoke: Invoker;
}

export class LoadedAssembly {
  readonly methods = new Map<string, InvokableMethod>();

  private constructor(
    readonly name: string,
    readonly manifest: Manifest,
    readonly instance: WebAssembly.Instance,
    readonly heap: ManagedHeap,
    readonly boundary: CallBoundary,
    options: MarshalOptions,
  ) {
    const exports = instance.exports as Record<string, unknown>;
    for (const method of manifest.methods) {
      const target = exports[method.exportName] as (...args: WasmValue[]) => WasmValue;
      const codec = (type: TypeDescriptor, encoded: boolean) =>
        encoded ? encodedCodec(type, manifest.structs, options) : codecFor(type, options);
      const parameters = method.parameters.map((p) => codec(p.type, p.encoded));
      const result = codec(method.returnType, method.returnEncoded);
      const invoke = createInvoker(method, target, parameters, result, heap, boundary);
      this.methods.set(method.identifier, { descriptor: method, invoke });
    }
  }

  static async instantiate(module: WebAssembly.Module, options: AssemblyOptions = {}): Promise<LoadedAssembly> {
    const manifest = readManifest(module);
    const name = options.name ?? manifest.assembly;
    // The abort import needs the heap to read its message, and the heap needs the instance.
    let heap: ManagedHeap | null = null;
    const readString = (pointer: number): string | null =>
      pointer && heap ? heap.readString(pointer >>> 0) : null;

    const env = {
      trace(message: number, count: number, ...values: number[]): void {
        console.log(`trace: ${readString(message) ?? ""}`, ...values.slice(0, count));
      },
      seed: () => Date.now(),
      ...options.imports?.["env"],
      // Always ours: the call boundary relies on aborts arriving as ManagedError.
      abort(message: number, file: number, line: number, column: number): never {
        throw new ManagedError(readString(message) ?? "abort", readString(file), line >>> 0, column >>> 0);
      },
    };
    const instance = await WebAssembly.instantiate(module, { ...options.imports, env });
    const exports = instance.exports as Record<string, unknown>;
    checkExports(name, manifest, exports);
    heap = new ManagedHeap(exports as unknown as RuntimeExports);
    const boundary = new CallBoundary(name, exports[STACK_POINTER_EXPORT] as WebAssembly.Global | undefined);
    const marshal: MarshalOptions = { ...defaultMarshalOptions, ...pick(options) };
    // The managed half of the wire format follows the same reference handling.
    const configure = exports[CONFIGURE_EXPORT] as ((preserve: number, maxDepth: number) => void) | undefined;
    configure?.(marshal.preserveReferences ? 1 : 0, marshal.maxDepth);
    return new LoadedAssembly(name, manifest, instance, heap, boundary, marshal);
  }
}

const RUNTIME_FUNCTIONS = ["__new", "__pin", "__unpin", "__collect"] as const;

/** A wasm that does not match its manifest would fail on first use; say so at load instead. */
function checkExports(name: string, manifest: Manifest, exports: Record<string, unknown>): void {
  const missing: string[] = [];
  if (!(exports["memory"] instanceof WebAssembly.Memory)) missing.push("memory");
  for (const fn of RUNTIME_FUNCTIONS) if (typeof exports[fn] !== "function") missing.push(fn);
  for (const method of manifest.methods) {
    if (typeof exports[method.exportName] !== "function") missing.push(`${method.exportName} (for '${method.identifier}')`);
  }
  if (missing.length > 0) {
    throw new Error(
      `The assembly '${name}' does not match its as-interop manifest: it lacks the exports ${missing.join(", ")}. ` +
        `Was it changed after compiling, or compiled with --noExportMemory? Compile it again with as-interop.`,
    );
  }
}

function pick({ int64, preserveReferences, maxDepth }: AssemblyOptions): Partial<MarshalOptions> {
  const picked: { -readonly [K in keyof MarshalOptions]?: MarshalOptions[K] } = {};
  if (int64 !== undefined) picked.int64 = int64;
  if (preserveReferences !== undefined) picked.preserveReferences = preserveReferences;
  if (maxDepth !== undefined) picked.maxDepth = maxDepth;
  return picked;
}
