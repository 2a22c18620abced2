/**
 * The imports through which managed code calls JavaScript (`JSRuntime`, `JSObject`; their
 * declarations are in assembly/interop/js/imports.ts).
 *
 * An identifier is a dotted path walked from the assembly's scope (`globalThis` unless the host
 * granted a narrower one, through the membrane in membrane.ts) or from a `JSObject`; a function is
 * called with `this` bound to its parent. Failures use Blazor's messages. A JS exception
 * propagates through managed code to the JS caller of the outer `invokeMethod*`, unless managed
 * code asked to catch it (`tryInvoke`).
 *
 * Every value that crosses is one value for the limits (`maxPayloadBytes` over all its parts) and
 * for the handle tables (what its conversion registered is released if it fails).
 */
import type { ManagedHeap } from "../marshal/heap.ts";
import { MarshalError } from "../marshal/errors.ts";
import { InteropError } from "../runtime/errors.ts";
import { isThenable, type TaskTable } from "./tasks.ts";
import { jspi, NO_JSPI, NOT_SUSPENDABLE, type SuspensionGate } from "./jspi.ts";
import type { JSAccess } from "./membrane.ts";
import type { JSObjectTable } from "./objects.ts";
import { decodeArguments, decodeNumberArguments, decodeValue, encodeError, encodeTagged, writeTaggedResult, type TaggedContext } from "./tagged.ts";
import { asyncOnlyReason } from "./async-only.ts";
import { asReference, notAnObject, NOT_STREAM_DATA, streamLengthOf } from "./object-references.ts";

/** The page's base URL where there is no document: a worker hosting an assembly for a page (host/worker). */
let pageBase: string | undefined;
export function setPageBase(url: string): void {
  pageBase = url;
}

/** What a relative URL is relative to: the page (its document, or the one a worker was given), or the working directory in Node. */
export function baseUrl(): string | undefined {
  return pageUrl() ?? workingDirectoryUrl();
}

function pageUrl(): string | undefined {
  return (globalThis as { document?: { baseURI: string } }).document?.baseURI ?? pageBase;
}

function workingDirectoryUrl(): string | undefined {
  const cwd = (globalThis as { process?: { cwd(): string } }).process?.cwd();
  return cwd ? `file://${cwd.replaceAll("\\", "/").replace(/\/?$/, "/")}` : undefined;
}

/**
 * What to add when a relative module URL was not found where it resolved against Node's working
 * directory only because nothing else was given (no page, no `moduleBase`): the usual cause is a
 * script or a server bundle started from another folder than the one that holds its modules, and
 * Node's message names the file it looked for, not how to look elsewhere.
 */
export function moduleNotFoundHint(url: string, moduleBase: string | undefined, error: unknown): string {
  if (moduleBase !== undefined || !/^\.\.?\//.test(url) || pageUrl() !== undefined) return "";
  if ((error as { code?: unknown } | null)?.code !== "ERR_MODULE_NOT_FOUND") return "";
  return (
    ` With no page to resolve it against, a relative module URL resolves against the working directory (${workingDirectoryUrl()}): ` +
    `load the assembly with { moduleBase }, the file: URL of the folder that holds the module, to resolve it there.`
  );
}

/**
 * A relative module URL means relative to `base` (the assembly's `moduleBase`), else to the page
 * (or the working directory in Node), as in Blazor.
 */
export function moduleUrl(url: string, base: string | undefined = baseUrl()): string {
  if (!/^\.\.?\//.test(url)) return url;
  return base ? new URL(url, base).href : url;
}

/** An assembly's `moduleBase` option as an absolute URL (undefined: none given), or why it is not one. */
export function moduleBaseOf(base: string | URL | undefined, assemblyName: string): string | undefined {
  if (base === undefined) return undefined;
  try {
    return new URL(base).href;
  } catch {
    throw new InteropError(`The { moduleBase } of the assembly '${assemblyName}' must be an absolute URL (say, a file: URL in Node), not '${String(base)}'.`);
  }
}

/**
 * A result managed code wants as a handle must be one: Blazor makes its reference of the result
 * (`createJSObjectReference`, `createJSStreamReference`), whose messages refuse anything else.
 * `null` and `undefined` are for the reader, which takes them where the type is nullable.
 */
function checkHandleResult(value: unknown, flags: number): void {
  if (!(flags & HANDLE) || value === null || value === undefined) return;
  if (flags & STREAM) {
    const reference = asReference(value);
    const data = reference ? reference.target : value;
    // A disposed reference (no target) is refused by the table, with Blazor's message for it.
    if (data !== null && streamLengthOf(data) < 0) throw new InteropError(NOT_STREAM_DATA);
  } else if (typeof value !== "object" && typeof value !== "function") {
    throw new InteropError(notAnObject(value));
  }
}

const promiseThen = Promise.prototype.then;
const ignore = () => {};

/**
 * Marks `result` handled if it is a promise a synchronous call into JS got and will not wait for
 * (its value dropped, refused, or held by managed code as a handle): its rejection has no one to
 * handle it, and in Node an unhandled rejection ends the process.
 */
export function handleUnawaited(result: unknown): void {
  if (typeof result === "object" && result instanceof Promise) promiseThen.call(result, undefined, ignore);
}

function returnedPromise(path: string): string {
  return (
    `The function '${path || "(the object itself)"}' returned a promise, which a synchronous call cannot wait for: ` +
    "call it with invokeAsync (Blazor's InvokeAsync) and continue with its task, or with invokeAwait where the engine has JSPI."
  );
}

/** Whether `new` works on `fn` (an arrow function or a method would throw), found without calling it. */
function isConstructor(fn: Function): boolean {
  try {
    Reflect.construct(String, [], fn);
    return true;
  } catch {
    return false;
  }
}

/** Where `key` of `object` is defined, on the object or up its prototypes (Blazor's walk), if anywhere. */
function descriptorOf(object: object, key: string): PropertyDescriptor | undefined {
  for (let at: object | null = object; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(at, key);
    if (descriptor) return descriptor;
  }
  return undefined;
}

/** A data property, or an accessor with a getter (Blazor's `isReadableProperty`). */
function isReadable(owner: unknown, key: string): boolean {
  const descriptor = descriptorOf(Object(owner) as object, key);
  return descriptor !== undefined && ("value" in descriptor || typeof descriptor.get === "function");
}

/**
 * A writable data property, an accessor with a setter, or a new key of an object that can grow
 * (Blazor's `isWritableProperty`).
 */
function isWritable(owner: object, key: string): boolean {
  const descriptor = descriptorOf(owner, key);
  if (descriptor === undefined) return Object.isExtensible(owner);
  return "value" in descriptor ? descriptor.writable === true : typeof descriptor.set === "function";
}

/** The identifier that loads an ES module, as in Blazor. */
const IMPORT = "import";

/** `flags` of the invoke, getProperty and setProperty imports (assembly/interop/js/imports.ts `CallFlags`). */
const HANDLE = 1;
const CATCH = 2;
const VOID = 4;
const CONSTRUCT = 8;
const STREAM = 16;
const AS_TASK = 32;

export interface CallContext extends TaggedContext {
  readonly heap: ManagedHeap;
  readonly tasks: TaskTable;
  readonly gate: SuspensionGate;
  /** What identifiers resolve from, and what managed code may reach and be given. */
  readonly access: JSAccess;
  readonly jsObjects: JSObjectTable;
  readonly assemblyName: string;
  /** What the assembly's relative module URLs resolve against (its `moduleBase`), if not the page. */
  readonly moduleBase: string | undefined;
  /** Runs a conversion that wraps managed references for JS: what it wrapped goes if it fails. */
  lifting<T>(convert: () => T): T;
  /** The same as {@link lifting}, in two steps (for hot paths, without a closure). */
  startLifting(): void;
  endLifting(ok: boolean): void;
  /** Lifts what no JS will be given (a call not made), only to release what it wraps (references.ts). */
  discarding(lift: () => unknown): void;
  /** Throws if the instance can no longer run managed code (poisoned by a nested call, or unloaded). */
  checkUsable(): void;
  /** The id of the managed function `value` calls, if it is a live delegate of this instance, else 0. */
  functionId(value: unknown): number;
}

/** Identifiers kept decoded and split; beyond this many, the cache starts over. */
const MAX_CACHED_IDENTIFIERS = 1024;
/**
 * The longest identifier kept, in characters. Identifiers are short; a long one is decoded each
 * call, so that managed code cannot make the host keep a thousand values of `maxPayloadBytes`.
 */
const MAX_CACHED_IDENTIFIER_LENGTH = 256;

/** A function found for a call, and what it is called on. */
type Callee = { readonly parent: unknown; readonly value: Function };

export function callImports(context: CallContext): Record<string, WebAssembly.ImportValue | object> {
  const { access, jsObjects } = context;
  /**
   * Identifiers as managed code passes them: literals, at an address in the module's static data
   * (which never changes), are decoded once by address; others are decoded each call. Only the
   * text and its dotted parts are kept: every call walks the scope afresh, so a function replaced,
   * added or removed anywhere on the path is seen at the next call, exactly as without a cache.
   */
  const literals = new Map<number, string>();
  const splits = new Map<string, readonly string[]>();
  // The heap exists only once the instance does, so it is looked up at each call.
  const text = (pointer: number): string => {
    const heap = context.heap;
    const address = pointer >>> 0;
    if (address < heap.staticEnd) {
      const known = literals.get(address);
      if (known !== undefined) return known;
    }
    const size = heap.sizeOf(address);
    heap.charge(size);
    const decoded = heap.readString(address);
    if (address < heap.staticEnd && literals.size < MAX_CACHED_IDENTIFIERS && decoded.length <= MAX_CACHED_IDENTIFIER_LENGTH) {
      literals.set(address, decoded);
    }
    return decoded;
  };
  const keysOf = (path: string): readonly string[] => {
    if (path.length > MAX_CACHED_IDENTIFIER_LENGTH) return path.split(".");
    let keys = splits.get(path);
    if (keys === undefined) {
      if (splits.size >= MAX_CACHED_IDENTIFIERS) splits.clear();
      splits.set(path, (keys = path.split(".")));
    }
    return keys;
  };
  /**
   * How many bytes of tagged values managed code wrote at `at`: their first word says (see JSArgs),
   * and must stay within memory. Counted against maxPayloadBytes.
   */
  const sizeAt = (heap: ManagedHeap, view: DataView, at: number): number => {
    const size = at + 4 <= view.byteLength ? view.getUint32(at, true) : 0;
    if (size < 4 || at + size > view.byteLength) throw new MarshalError("the arguments from managed code claim more than memory holds");
    heap.charge(size);
    return size;
  };
  const root = (target: number): object => (target === 0 ? access.root : jsObjects.target(target >>> 0));
  const missing = (path: string, key: string) =>
    new InteropError(
      `Could not find '${path}' ('${key}' was undefined).` +
        (access.sandboxed ? ` The assembly '${context.assemblyName}' can reach only what its scope grants.` : ""),
    );

  /** A property the path names, there but not to be read or written (.NET 10's GetValue, SetValue). */
  const notReadable = (path: string) =>
    new InteropError(
      `The property '${path}' is not defined or is not readable.` +
        (access.sandboxed ? ` The assembly '${context.assemblyName}' can reach only what its scope grants.` : ""),
    );
  const notWritable = (path: string) => new InteropError(`The property '${path}' is not writable.`);

  /** What managed code may reach at `key` of `owner`: admitted, or refused by the scope. */
  const step = (owner: unknown, key: string): unknown => {
    const value = access.read(owner, key);
    // A path can neither pass through nor end at what managed code may not be given: not a
    // DOM node's expandos, not a property of the global object to write.
    if (typeof value === "object" || typeof value === "function") access.admit(value as object);
    return value;
  };

  /**
   * Walks the keys of `path` from `start`, all of them or the first `count`; an empty path is
   * `start` itself. A key that leads to `undefined` is Blazor's "Could not find", naming the whole path.
   */
  const resolve = (start: object, path: string, count = -1): { parent: unknown; value: unknown } => {
    let parent: unknown = undefined;
    let value: unknown = start;
    if (path === "") return { parent, value };
    const keys = keysOf(path);
    const end = count < 0 ? keys.length : count;
    for (let i = 0; i < end; ++i) {
      parent = value;
      value = step(value, keys[i]);
      if (value === undefined) throw missing(path, keys[i]);
    }
    return { parent, value };
  };

  /** What the last part of the dotted `path` from `target` is a property of, and that part. */
  const ownerOf = (target: number, path: string): { owner: unknown; key: string } => {
    const keys = keysOf(path);
    const owner = resolve(root(target), path, keys.length - 1).value;
    return { owner, key: keys[keys.length - 1] };
  };

  /**
   * The value of the property at `path` (.NET 10's `GetValue`): one there with the value
   * `undefined` gives `undefined`; one that is not there, or has a setter and no getter, is
   * Blazor's error.
   */
  const valueAt = (target: number, path: string): unknown => {
    if (path === "") return root(target);
    const { owner, key } = ownerOf(target, path);
    if (!access.has(owner, key) || !isReadable(owner, key)) throw notReadable(path);
    return step(owner, key);
  };

  /** The arguments managed code wrote, as JS values (the references in them wrapped as one value). */
  const argumentsAt = (args: number): unknown[] => {
    if (!args) return [];
    const heap = context.heap;
    const at = args >>> 0;
    const view = heap.view;
    const size = sizeAt(heap, view, at);
    const numbers = decodeNumberArguments(view, at, size);
    if (numbers) return numbers;
    context.startLifting();
    let ok = false;
    try {
      const values = decodeArguments(view, at, size, context);
      ok = true;
      return values;
    } finally {
      context.endLifting(ok);
    }
  };

  /**
   * Tagged values managed code wrote for a call or a write that fails before JS gets them (no
   * function or property at the path, a canceled token): read with `decode` and let go, so that
   * the references managed code handed out in them (tracked for JS: a DotNetObjectReference, a
   * delegate, a view) are released, as a failed conversion's are.
   */
  const discardTagged = (pointer: number, decode: typeof decodeArguments | typeof decodeValue): void => {
    if (!pointer) return;
    context.discarding(() => {
      const heap = context.heap;
      heap.beginValue();
      const view = heap.view;
      const at = pointer >>> 0;
      decode(view, at, sizeAt(heap, view, at), context);
    });
  };
  const discardArguments = (args: number): void => discardTagged(args, decodeArguments);

  /**
   * The function at `path` from `target`, and what it is called on (as `resolve` found them);
   * throws if it cannot be called as `flags` ask.
   */
  const calleeAt = (target: number, path: string, flags: number, awaited: boolean): Callee => {
    const found = resolve(root(target), path);
    const value = found.value;
    if (typeof value !== "function") throw new InteropError(`The value '${path || "(the object itself)"}' is not a function.`);
    if (flags & CONSTRUCT && !isConstructor(value)) throw new InteropError(`The value '${path || "(the object itself)"}' is not a constructor.`);
    if (!awaited) {
      const reason = asyncOnlyReason(value);
      if (reason) throw new InteropError(reason);
    }
    return found as Callee;
  };

  /**
   * Calls (or, with CONSTRUCT, `new`s) the function at `identifier` from `target` with the tagged
   * arguments at `args`. `awaited`: managed code waits for the result as a promise.
   */
  const call = (target: number, identifier: number, args: number, flags: number, awaited = false): unknown => {
    context.heap.beginValue();
    let path: string, callee: Callee | null;
    try {
      // Over maxPayloadBytes, the identifier alone fails the call.
      path = text(identifier);
      // Blazor's `InvokeAsync<IJSObjectReference>("import", url)`: the engine's dynamic import,
      // unless the assembly is sandboxed, when its scope must grant an `import` of its own.
      callee = path === IMPORT && target === 0 && !access.sandboxed ? null : calleeAt(target, path, flags, awaited);
    } catch (error) {
      // A call not made: the references its arguments handed out are let go.
      discardArguments(args);
      throw error;
    }
    if (callee === null) {
      const [url] = argumentsAt(args);
      return import(/* @vite-ignore */ moduleUrl(String(url), context.moduleBase));
    }
    const { parent, value } = callee;
    const given = argumentsAt(args);
    const values = access.checksArguments ? access.checkArguments(value, given) : given;
    const result = flags & CONSTRUCT ? Reflect.construct(value, values) : Reflect.apply(value, parent, values);
    if (!awaited) handleUnawaited(result);
    // A synchronous call wanting a value cannot wait for a promise (Blazor's JS samples return
    // them: `return dotNetHelper.invokeMethodAsync(…)`); said so, not "a JS object handle".
    // Asked before the check below, as reading `then` may run JS.
    const refusedPromise = !awaited && !(flags & (VOID | HANDLE)) && isThenable(result);
    // The JS may have called into this instance and been poisoned by it, or unloaded it.
    context.checkUsable();
    if (refusedPromise) throw new InteropError(returnedPromise(path));
    return result;
  };

  /**
   * A JS value written into managed memory for the tagged reader, as one value (see the file
   * comment). JS that ran to find or convert it (a getter on the path, or on the value) may have
   * called back into the instance and poisoned it: then it is not returned into the instance.
   */
  const toManaged = (value: unknown, flags: number): number => {
    checkHandleResult(value, flags);
    const asHandle = (flags & HANDLE) !== 0;
    const heap = context.heap;
    heap.beginValue();
    let written: number;
    // Only objects can become handles: the rest needs no bookkeeping.
    if (typeof value !== "object" && typeof value !== "function") {
      jsObjects.plainValue();
      written = writeTaggedResult(value, context, asHandle, heap);
    } else {
      written = jsObjects.convert(() => writeTaggedResult(value, context, asHandle, heap), true);
    }
    context.checkUsable();
    return written;
  };
  /** `synchronous`: the error reads as after Blazor's synchronous calls (see `encodeError`). */
  const errorToManaged = (error: unknown, synchronous: boolean): number => {
    context.heap.beginValue();
    jsObjects.plainValue();
    return context.heap.lendResult(encodeError(error, access, synchronous));
  };
  /**
   * Runs a call managed code asked to catch (`try…`): what it throws — a JS exception, a result
   * that cannot cross (too large, too deep, refused by the scope) — comes back as a tagged error,
   * unless the instance itself is gone (poisoned by a nested call, or unloaded).
   */
  const catching = (run: () => number, flags: number): number => {
    try {
      return run();
    } catch (error) {
      context.checkUsable();
      return errorToManaged(error, !(flags & AS_TASK));
    }
  };

  /**
   * How a task's value reaches managed code, written for the tagged reader: a void call's task
   * completes with nothing (the value, whatever it is, is not converted).
   */
  const taskValue =
    (flags: number) =>
    (value: unknown): Uint8Array => {
      if (flags & VOID) value = undefined;
      else checkHandleResult(value, flags);
      return jsObjects.convert(() => encodeTagged(value, context, (flags & HANDLE) !== 0), true);
    };
  const taskError = (error: unknown): Uint8Array => encodeError(error, access);
  /** A task without a result (`Task.delay`'s) completing: made once. */
  const voidValue = taskValue(VOID);

  /** invokeNumber's result that was not a number, written for the tagged reader, until takeResult. */
  let notANumber = 0;

  return {
    invoke(target: number, identifier: number, args: number, flags: number): number {
      if (!(flags & CATCH)) {
        const result = call(target, identifier, args, flags);
        return flags & VOID ? 0 : toManaged(result, flags);
      }
      return catching(() => {
        const result = call(target, identifier, args, flags);
        return flags & VOID ? 0 : toManaged(result, flags);
      }, flags);
    },

    /**
     * `invoke` of a call whose result managed code reads as a number: the number itself, or NaN
     * with the result (not a number) kept for `takeResult`, which the tagged reader then reads.
     */
    invokeNumber(target: number, identifier: number, args: number, flags: number): number {
      const result = call(target, identifier, args, flags);
      if (typeof result === "number") {
        jsObjects.plainValue();
        return result;
      }
      notANumber = toManaged(result, flags);
      return NaN;
    },

    discardArguments,

    takeResult(): number {
      const pointer = notANumber;
      notANumber = 0;
      return pointer;
    },

    getProperty(target: number, name: number, flags: number): number {
      const read = () => {
        context.heap.beginValue();
        return toManaged(valueAt(target, text(name)), flags);
      };
      return flags & CATCH ? catching(read, flags) : read();
    },

    setProperty(target: number, name: number, value: number, flags: number): number {
      const write = () => {
        context.heap.beginValue();
        let path = "", owner: unknown, key: string;
        try {
          path = text(name);
          ({ owner, key } = ownerOf(target, path));
          // A primitive's properties cannot be set.
          if ((typeof owner !== "object" && typeof owner !== "function") || owner === null) throw notWritable(path);
          access.checkWrite(owner, key);
          if (!isWritable(owner, key)) throw notWritable(path);
        } catch (error) {
          discardTagged(value, decodeValue);
          throw error;
        }
        const heap = context.heap;
        const at = value >>> 0;
        const view = heap.view;
        const size = sizeAt(heap, view, at);
        const decoded = context.lifting(() => decodeValue(view, at, size, context));
        // A proxy may still refuse.
        if (!Reflect.set(owner, key, decoded)) throw notWritable(path);
        // What managed code stores is not what makes an object look like the engine's (membrane.ts).
        if (typeof decoded === "function") access.wroteFunction(owner, key, decoded);
        context.checkUsable();
        return 0;
      };
      return flags & CATCH ? catching(write, flags) : write();
    },

    hasProperty(target: number, name: number): number {
      let has = false;
      try {
        context.heap.beginValue();
        const { owner, key } = ownerOf(target, text(name));
        has = access.has(owner, key);
      } catch {
        // Any failure on the way is "no".
      }
      // A getter on the path may have called back into the instance and poisoned it.
      context.checkUsable();
      return has ? 1 : 0;
    },

    managedFunction(target: number): number {
      // A handle that is gone fails with Blazor's message, as any use of it would.
      return context.functionId(jsObjects.target(target >>> 0));
    },

    releaseObject(id: number): void {
      jsObjects.dispose(id >>> 0);
    },

    releaseUnused(id: number): void {
      // 0: the whole latest value could not be read (see JSObjectTable.abandonValue).
      if (id === 0) jsObjects.abandonValue();
      else jsObjects.releaseUnused(id >>> 0);
    },

    invokeAsync(target: number, identifier: number, args: number, flags: number, taskId: number, timeoutMs: number): void {
      // A task's id is a u32, as the other imports that take one read it.
      const task = taskId >>> 0;
      // Past the limit on pending tasks, the task has failed and the function is not called.
      if (!context.tasks.roomFor(task)) return discardArguments(args);
      let promise: PromiseLike<unknown>;
      try {
        promise = Promise.resolve(call(target, identifier, args, flags, true));
      } catch (error) {
        context.checkUsable();
        promise = Promise.reject(error);
      }
      context.tasks.follow(task, promise, timeoutMs, taskValue(flags), taskError);
    },

    // Awaits a promise with the managed stack suspended (JSPI); see jspi.ts.
    // Refused, the call is not made: its arguments are let go as any call's not made are.
    awaitInvoke: jspi
      ? new jspi.Suspending((target: number, identifier: number, args: number, flags: number) => {
          if (!context.gate.running) {
            discardArguments(args);
            throw new InteropError(NOT_SUSPENDABLE);
          }
          const settled = Promise.resolve(context.gate.nested(() => call(target, identifier, args, flags, true))).then((value) => {
            context.checkUsable();
            return toManaged(value, flags);
          });
          return context.gate.suspend(settled);
        })
      : (_target: number, _identifier: number, args: number) => {
          discardArguments(args);
          throw new InteropError(NO_JSPI);
        },

    /**
     * `getValueAsync` (.NET 10's `GetValueAsync`): completes task `task` with the value at `name`
     * from `target`, at once, or once it settles if it is a promise (Blazor awaits what it read:
     * `navigator.serviceWorker.ready`, `document.fonts.ready`); a failure to read faults it.
     */
    getValueAsync(target: number, name: number, flags: number, taskId: number): void {
      const task = taskId >>> 0;
      if (!context.tasks.roomFor(task)) return;
      let value: unknown;
      try {
        context.heap.beginValue();
        value = valueAt(target, text(name));
      } catch (error) {
        context.checkUsable();
        context.tasks.fail(task, error, taskError);
        return;
      }
      // A getter on the path may have called back into the instance and poisoned it.
      context.checkUsable();
      context.tasks.settle(task, value, taskValue(flags), taskError);
    },

    /** `Task.delay(ms)`: completes task `task` (a `Task` without a result) after `delayMs`. */
    delay(taskId: number, delayMs: number): void {
      const task = taskId >>> 0;
      if (!context.tasks.roomFor(task)) return;
      context.tasks.delay(task, delayMs, () => voidValue(undefined));
    },

    taskSettled(task: number): void {
      context.tasks.settled(task >>> 0);
    },

    cancelTask(task: number): void {
      context.tasks.cancel(task >>> 0);
    },
  };
}
