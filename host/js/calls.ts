/**
 * The imports through which managed code calls JavaScript (`JSRuntime`, `JSObject`; their
 * declarations are in assembly/interop/js/imports.ts).
 *
 * An identifier is a dotted path walked from the assembly's scope (`globalThis` unless the host
 * granted a narrower one) or from a `JSObject`; a function is called with `this` bound to its
 * parent. Failures use Blazor's messages. A JS exception propagates through managed code to the
 * JS caller of the outer `invokeMethod*`, unless managed code asked to catch it (`tryInvoke`).
 */
import type { ManagedHeap } from "../marshal/heap.ts";
import { InteropError } from "../runtime/errors.ts";
import type { TaskTable } from "./tasks.ts";
import { jspi, NO_JSPI, NOT_SUSPENDABLE, type SuspensionGate } from "./jspi.ts";
import { decodeArguments, decodeValue, encodeError, encodeTagged, type TaggedContext } from "./tagged.ts";

/**
 * In a sandbox, a path may follow own properties and methods of the granted objects' own
 * classes, but never the built-in `Object` and `Function` prototypes: `api.version.constructor`
 * would otherwise reach the `Function` constructor, and with it everything.
 */
function reachable(owner: unknown, key: string): boolean {
  if (key === "__proto__" || key === "constructor" || key === "prototype") return false;
  const object = Object(owner) as object;
  if (Object.hasOwn(object, key)) return true;
  for (let proto = Object.getPrototypeOf(object); proto; proto = Object.getPrototypeOf(proto)) {
    if (proto === Object.prototype || proto === Function.prototype) return false;
    if (Object.hasOwn(proto, key)) return true;
  }
  return false;
}

/** A relative module URL means relative to the page (or the working directory in Node), as in Blazor. */
function moduleUrl(url: string): string {
  if (!/^\.\.?\//.test(url)) return url;
  const page = (globalThis as { document?: { baseURI: string } }).document?.baseURI;
  const cwd = (globalThis as { process?: { cwd(): string } }).process?.cwd();
  const base = page ?? (cwd ? `file://${cwd.replaceAll("\\", "/").replace(/\/?$/, "/")}` : undefined);
  return base ? new URL(url, base).href : url;
}

/** The identifier that loads an ES module, as in Blazor. */
const IMPORT = "import";

/** `flags` of the invoke and getProperty imports (assembly/interop/js/imports.ts). */
const HANDLE = 1;
const CATCH = 2;
const VOID = 4;

export interface CallContext extends TaggedContext {
  readonly heap: ManagedHeap;
  readonly tasks: TaskTable;
  readonly gate: SuspensionGate;
  /** What identifiers resolve from. */
  readonly scope: object;
  /** Whether the scope is narrower than `globalThis`, for the error message. */
  readonly sandboxed: boolean;
  readonly assemblyName: string;
  releaseObject(id: number): void;
  releaseUnused(id: number): void;
}

export function callImports(context: CallContext): Record<string, WebAssembly.ImportValue | object> {
  // The heap exists only once the instance does, so it is looked up at each call.
  const text = (pointer: number) => context.heap.readString(pointer >>> 0);
  const view = (pointer: number) =>
    new DataView(context.heap.u8.buffer, pointer >>> 0, context.heap.sizeOf(pointer >>> 0));
  const root = (target: number): object => (target === 0 ? context.scope : context.object(target >>> 0));
  const missing = (path: string, key: string) =>
    new InteropError(
      `Could not find '${path}' ('${key}' was undefined).` +
        (context.sandboxed ? ` The assembly '${context.assemblyName}' can reach only what its scope grants.` : ""),
    );

  /** What the last part of the dotted `path` from `target` is a property of, and that part. */
  const ownerOf = (target: number, path: string): { owner: unknown; key: string } => {
    const dot = path.lastIndexOf(".");
    const owner = dot < 0 ? root(target) : resolve(root(target), path.slice(0, dot)).value;
    return { owner, key: path.slice(dot + 1) };
  };

  /** Walks `path` from `start`; an empty path is `start` itself. */
  const resolve = (start: object, path: string): { parent: unknown; value: unknown } => {
    let parent: unknown = undefined;
    let value: unknown = start;
    if (path === "") return { parent, value };
    for (const key of path.split(".")) {
      parent = value;
      value = value == null || (context.sandboxed && !reachable(value, key)) ? undefined : (value as Record<string, unknown>)[key];
      if (value === undefined) throw missing(path, key);
    }
    return { parent, value };
  };

  /** Calls the function at `identifier` from `target` with the tagged arguments at `args`. */
  const call = (target: number, identifier: number, args: number): unknown => {
    const path = text(identifier);
    // Blazor's `InvokeAsync<IJSObjectReference>("import", url)`: the engine's dynamic import,
    // unless the assembly is sandboxed, when its scope must grant an `import` of its own.
    if (path === IMPORT && target === 0 && !context.sandboxed) {
      const [url] = args ? decodeArguments(view(args), context) : [];
      return import(/* @vite-ignore */ moduleUrl(String(url)));
    }
    const { parent, value } = resolve(root(target), path);
    if (typeof value !== "function") throw new InteropError(`The value '${path || "(the object itself)"}' is not a function.`);
    const values = args ? decodeArguments(view(args), context) : [];
    return Reflect.apply(value, parent, values);
  };

  return {
    invoke(target: number, identifier: number, args: number, flags: number): number {
      if (flags & VOID) {
        call(target, identifier, args);
        return 0;
      }
      const run = () => encodeTagged(call(target, identifier, args), context, (flags & HANDLE) !== 0);
      if (!(flags & CATCH)) return context.heap.newBuffer(run());
      let bytes: Uint8Array;
      try {
        bytes = run();
      } catch (error) {
        bytes = encodeError(error);
      }
      return context.heap.newBuffer(bytes);
    },

    getProperty(target: number, name: number, flags: number): number {
      const { value } = resolve(root(target), text(name));
      return context.heap.newBuffer(encodeTagged(value, context, (flags & HANDLE) !== 0));
    },

    setProperty(target: number, name: number, value: number): void {
      const path = text(name);
      const { owner, key } = ownerOf(target, path);
      if ((typeof owner !== "object" && typeof owner !== "function") || owner === null) throw missing(path, path.slice(0, path.lastIndexOf(".")));
      Reflect.set(owner, key, decodeValue(view(value), context));
    },

    hasProperty(target: number, name: number): number {
      try {
        const { owner, key } = ownerOf(target, text(name));
        return owner != null && key in Object(owner) ? 1 : 0;
      } catch {
        return 0;
      }
    },

    releaseObject(id: number): void {
      context.releaseObject(id >>> 0);
    },

    releaseUnused(id: number): void {
      context.releaseUnused(id >>> 0);
    },

    invokeAsync(target: number, identifier: number, args: number, flags: number, task: number, timeoutMs: number): void {
      let promise: PromiseLike<unknown>;
      try {
        promise = Promise.resolve(call(target, identifier, args));
      } catch (error) {
        promise = Promise.reject(error);
      }
      const asHandle = (flags & HANDLE) !== 0;
      context.tasks.follow(task, promise, timeoutMs, (value) => encodeTagged(value, context, asHandle), encodeError);
    },

    // Awaits a promise with the managed stack suspended (JSPI); see jspi.ts.
    awaitInvoke: jspi
      ? new jspi.Suspending((target: number, identifier: number, args: number, flags: number) => {
          if (!context.gate.running) throw new InteropError(NOT_SUSPENDABLE);
          const settled = Promise.resolve(context.gate.nested(() => call(target, identifier, args))).then((value) =>
            context.heap.newBuffer(encodeTagged(value, context, (flags & HANDLE) !== 0)),
          );
          return context.gate.suspend(settled);
        })
      : () => {
          throw new InteropError(NO_JSPI);
        },

    taskSettled(task: number): void {
      context.tasks.settled(task);
    },

    cancelTask(task: number): void {
      context.tasks.cancel(task);
    },
  };
}
