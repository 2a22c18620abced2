/**
 * Typed facades over the runtime's by-name calls: `api.Method(...args)` for
 * `runtime.invokeMethodAsync(assembly, "Method", ...args)`.
 */
import { defaultRuntime, type InteropRuntime } from "../runtime/index.ts";

/** Every method returns a Promise, as `DotNet.invokeMethodAsync` does; failures reject. */
export type AssemblyApi<M> = {
  readonly [K in keyof M]: M[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** Every method returns its result directly, as `DotNet.invokeMethod` does; failures throw. */
export type SyncAssemblyApi<M> = { readonly [K in keyof M]: M[K] };

/**
 * A key no object has: it names, for the types only, the methods a {@link DotNetObject} (and a
 * worker's `RemoteObject`) has.
 */
export declare const METHODS: unique symbol;

/**
 * A managed object JS holds by reference, as Blazor's JS `DotNetObject` presents a
 * `DotNetObjectReference` (see host/refs/dotnet-object.ts): its `@jsInvokable` instance methods
 * called by identifier, and `dispose()`. The generated types add its scriptable properties.
 * (`[Symbol.dispose]` works too; it is left out here so the types need no `esnext.disposable` lib.)
 */
export interface DotNetObject<M> {
  invokeMethod<K extends keyof M & string>(identifier: K, ...args: ArgumentsOf<M[K]>): ResultOf<M[K]>;
  invokeMethodAsync<K extends keyof M & string>(identifier: K, ...args: ArgumentsOf<M[K]>): Promise<Awaited<ResultOf<M[K]>>>;
  /** Releases the managed object; later calls fail with Blazor's "no tracked object" error. */
  dispose(): void;
  /** The id the managed side tracks the object by (Blazor's `_id`). */
  readonly id: number;
  /**
   * Never there: `M` as a member, so that a type can find the methods of a generated class's
   * interface (`Remote<T>`, host/api/remote.ts). TypeScript infers nothing from the generic
   * methods above.
   */
  readonly [METHODS]?: M;
}

export type ArgumentsOf<F> = F extends (...args: infer A) => unknown ? A : never;
export type ResultOf<F> = F extends (...args: never[]) => infer R ? R : never;

/** What an assembly offers when nothing more is known about it: any method, any arguments. */
export type UntypedMethods = Record<string, (...args: unknown[]) => unknown>;

/** Which assembly, in which runtime. */
export interface ApiTarget {
  /** Default: the shared runtime behind the module-level `DotNet` and `loadAssembly`. */
  readonly runtime?: InteropRuntime;
  /** The name the assembly was registered under, when it was loaded with `{ name }`. */
  readonly name?: string;
}

/** The typed async API of an assembly, by its name. */
export function assemblyApi<M = UntypedMethods>(name: string, runtime: InteropRuntime = defaultRuntime): AssemblyApi<M> {
  return methodsByName((identifier, args) => runtime.invokeMethodAsync(name, identifier, ...args)) as AssemblyApi<M>;
}

/** The typed synchronous API of an assembly, by its name. */
export function syncAssemblyApi<M = UntypedMethods>(name: string, runtime: InteropRuntime = defaultRuntime): SyncAssemblyApi<M> {
  return methodsByName((identifier, args) => runtime.invokeMethod(name, identifier, ...args)) as SyncAssemblyApi<M>;
}

/**
 * An object whose every property is a function calling `call` with the property's name. Nothing is
 * looked up until a call, so it works before the assembly is loaded and after it is reloaded.
 * `then` is left undefined: otherwise `await`ing the object (or returning it from an async
 * function) would take it for a promise and call a method named `then`.
 */
function methodsByName(call: (identifier: string, args: unknown[]) => unknown): object {
  const methods = new Map<string, (...args: unknown[]) => unknown>();
  return new Proxy(Object.create(null) as object, {
    get(_, key) {
      if (typeof key !== "string" || key === "then") return undefined;
      let method = methods.get(key);
      if (!method) methods.set(key, (method = (...args: unknown[]) => call(key, args)));
      return method;
    },
  });
}
