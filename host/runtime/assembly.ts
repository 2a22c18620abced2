/**
 * One instantiated assembly: its manifest, its heap, and an invoker per `@jsInvokable` method,
 * all built once here so that a call only looks its method up and runs it.
 */
import { codecFor, defaultMarshalOptions, type MarshalOptions, type WasmValue } from "../marshal/codec.ts";
import { ManagedHeap, type RuntimeExports } from "../marshal/heap.ts";
import { STACK_POINTER_EXPORT, type Manifest, type MethodDescriptor } from "../marshal/types.ts";
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
      const parameters = method.parameters.map((p) => codecFor(p.type, options));
      const result = codecFor(method.returnType, options);
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
      abort(message: number, file: number, line: number, column: number): never {
        throw new ManagedError(readString(message) ?? "abort", readString(file), line >>> 0, column >>> 0);
      },
      trace(message: number, count: number, ...values: number[]): void {
        console.log(`trace: ${readString(message) ?? ""}`, ...values.slice(0, count));
      },
      seed: () => Date.now(),
    };
    const imports = { ...options.imports, env: { ...env, ...options.imports?.["env"] } };
    const instance = await WebAssembly.instantiate(module, imports);
    const exports = instance.exports as unknown as RuntimeExports & Record<string, unknown>;
    heap = new ManagedHeap(exports);
    const boundary = new CallBoundary(name, exports[STACK_POINTER_EXPORT] as WebAssembly.Global | undefined);
    const marshal: MarshalOptions = { ...defaultMarshalOptions, ...pick(options) };
    return new LoadedAssembly(name, manifest, instance, heap, boundary, marshal);
  }
}

function pick(options: AssemblyOptions): Partial<MarshalOptions> {
  return options.int64 ? { int64: options.int64 } : {};
}
