/**
 * Page functions a worker-hosted assembly may call: the functions of its `{ scope }` (a sandbox)
 * or of `{ worker: { expose } }` (added to the worker's own global scope). Functions cannot cross
 * to another thread, so the page sends the grant's shape — its plain objects, arrays and data,
 * copied — with a numbered mark where each function is, and the worker puts a function of its own
 * there that asks the page to run the real one and resolves with what it returns.
 *
 * Such a call cannot be synchronous: the worker would have to wait for the page, which may be
 * waiting for the worker. Managed code calls them where it awaits a promise (`JSRuntime.invokeAsync`,
 * a `@jsImport` with a `Task<T>` result, `invokeAwait` with JSPI); a synchronous call is refused
 * with the reason (host/js/async-only.ts).
 */
import { markAsyncOnly } from "../js/async-only.ts";
import { Membrane } from "../js/membrane.ts";
import { InteropError } from "../runtime/errors.ts";
import { deserializeThrown, serializeError } from "./errors.ts";
import { PAGE_FUNCTION, type GrantShape, type PageCall, type PageCallReply, type PageFunction } from "./protocol.ts";
import { transferablesOf } from "./transfer.ts";

/** A page function, where the grant holds it: called with its parent as `this`, as in the page. */
export interface PageFunctionEntry {
  readonly fn: Function;
  readonly parent: unknown;
  /** Its dotted path in the grant, for messages. */
  readonly path: string;
  /**
   * Why a sandbox may not call it, if it may not: the membrane's refusal, as on the page (a page
   * function of a scope is a value entering the sandbox, though only a stand-in of it crosses).
   */
  readonly refused?: Error;
  /**
   * For a sandbox, what checks the arguments it is called with, as the membrane checks them on the
   * page (`JSON.stringify` given a list of keys, see host/js/membrane.ts), and gives those to call
   * it with, if any.
   */
  readonly checkArguments?: (args: readonly unknown[]) => readonly unknown[];
}

/** The classes structured clone copies faithfully: a grant may hold their instances as data. */
const CLONEABLE: readonly Function[] = [Date, RegExp, Map, Set, ArrayBuffer, Error, Boolean, Number, String, BigInt].filter(
  (constructor) => typeof constructor === "function",
);

/**
 * The shape of `grant` (the page's object) to send to the worker, numbering its functions into
 * `functions`. `option` names the grant in messages (`scope`, `expose`).
 */
export function grantShape(grant: object, option: string, assemblyName: string, functions: PageFunctionEntry[]): GrantShape {
  const refuse = (path: string, why: string) =>
    new InteropError(
      `The ${option} of the assembly '${assemblyName}' holds ${path ? `'${path}', ` : ""}${why}. An assembly in a worker is granted ` +
        `plain objects and arrays of page functions and data that structured clone copies; grant functions that do what it needs.`,
    );
  const onPath = new Set<object>();
  const first = functions.length;
  const shape = (value: unknown, parent: unknown, path: string): unknown => {
    if (typeof value === "function") {
      functions.push({ fn: value, parent, path });
      return { [PAGE_FUNCTION]: functions.length - 1 } satisfies PageFunction;
    }
    if (typeof value !== "object" || value === null) {
      if (typeof value === "symbol") throw refuse(path, "a symbol");
      return value;
    }
    const prototype = Object.getPrototypeOf(value) as object | null;
    const isArray = Array.isArray(value);
    if (!isArray && prototype !== Object.prototype && prototype !== null) {
      if (ArrayBuffer.isView(value) || CLONEABLE.some((type) => value instanceof (type as new () => object))) return value;
      const name = (prototype as { constructor?: { name?: string } }).constructor?.name || "an object of a class";
      throw refuse(path, value === globalThis ? "the global object" : `an instance of ${name}, which would arrive without its methods`);
    }
    if (onPath.has(value)) throw refuse(path, "a cycle");
    onPath.add(value);
    const out: Record<string, unknown> | unknown[] = isArray ? [] : {};
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      Object.defineProperty(out, key, { value: shape(item, value, path ? `${path}.${key}` : key), enumerable: true, writable: true, configurable: true });
    }
    onPath.delete(value);
    return out;
  };
  const shaped = shape(grant, undefined, "");
  // A scope's functions are called by a sandbox: those the membrane refuses on the page (`eval`,
  // `open`, a bound `setTimeout`, a built-in constructor) it refuses here too, unless the scope
  // grants them by name; else the page would run them for the worker, managed code's text and all.
  if (option === "scope") {
    const membrane = new Membrane(grant, assemblyName);
    for (let i = first; i < functions.length; ++i) {
      const { fn } = functions[i];
      try {
        membrane.admit(fn);
        if (membrane.checksArgumentsOf(fn)) functions[i] = { ...functions[i], checkArguments: (args) => membrane.checkArguments(fn, args) };
      } catch (error) {
        functions[i] = { ...functions[i], refused: error as Error };
      }
    }
  }
  return shaped;
}

/** The page's side of calls to its functions: runs each and posts the reply. */
export async function answerPageCall(
  call: PageCall,
  functions: readonly PageFunctionEntry[],
  reply: (message: PageCallReply, transfer: Transferable[]) => void,
): Promise<void> {
  // Managed code in a worker without a sandbox reaches the worker's `postMessage`, so a page call
  // may be forged: only an index the grant numbered is answered.
  const entry = Number.isInteger(call.function) ? functions[call.function] : undefined;
  try {
    if (!entry) throw new InteropError(`The worker asked for page function #${call.function}, which was never granted.`);
    if (entry.refused) throw entry.refused;
    const args = entry.checkArguments ? entry.checkArguments(call.args) : call.args;
    const value = await Reflect.apply(entry.fn, entry.parent, args);
    try {
      reply({ type: "page-reply", id: call.id, ok: true, value }, transferablesOf([value]));
    } catch {
      // Not the engine's message, nor as the cause: it quotes the function it could not copy,
      // and that source (the page's code, with whatever its literals hold) would be the worker's.
      throw new InteropError(`The page function '${entry.path}' returned a value that cannot be sent to the worker: structured clone cannot copy ${uncloneablePart(value)}.`);
    }
  } catch (error) {
    reply({ type: "page-reply", id: call.id, ok: false, error: serializeError(error) }, []);
  }
}

/**
 * What of `value` structured clone refuses, in words that quote nothing of it: `it, a function`,
 * `its part '.render', a function`, or `it` when the part is not a function or a symbol (a DOM
 * node, say). Read as structured clone reads: own enumerable properties.
 */
function uncloneablePart(value: unknown): string {
  const seen = new Set<object>();
  const find = (item: unknown, path: string): string | null => {
    const what = typeof item === "function" ? "a function" : typeof item === "symbol" ? "a symbol" : null;
    if (what) return `${path ? `its part '${path}'` : "it"}, ${what}`;
    if (typeof item !== "object" || item === null || seen.has(item)) return null;
    seen.add(item);
    const isArray = Array.isArray(item);
    for (const key of Object.keys(item)) {
      const found = find((item as Record<string, unknown>)[key], isArray ? `${path}[${key}]` : `${path}.${key}`);
      if (found) return found;
    }
    return null;
  };
  return find(value, "") ?? "it";
}

/** The worker's side: sends calls of page functions and settles them with the page's replies. */
export class PageCalls {
  readonly #waiting = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  #nextId = 1;

  constructor(
    private readonly assemblyName: string,
    private readonly post: (message: PageCall) => void,
  ) {}

  /** The grant's shape, rebuilt with a function in place of each page function's mark. */
  build(shape: GrantShape): unknown {
    const build = (value: unknown, path: string): unknown => {
      if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype && !Array.isArray(value)) return value;
      if (!Array.isArray(value) && Object.hasOwn(value, PAGE_FUNCTION)) return this.#pageFunction((value as PageFunction)[PAGE_FUNCTION], path);
      for (const key of Object.keys(value)) (value as Record<string, unknown>)[key] = build((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key);
      return value;
    };
    return build(shape, "");
  }

  #pageFunction(index: number, path: string): (...args: unknown[]) => Promise<unknown> {
    const call = (...args: unknown[]) => this.#call(index, path, args);
    markAsyncOnly(
      call,
      `'${path}' is a function of the page that loaded the assembly '${this.assemblyName}' into a worker: it can only be called ` +
        `asynchronously, since a synchronous call cannot wait for another thread. Call it with JSRuntime.invokeAsync, or give its ` +
        `@jsImport a Task<T> result.`,
    );
    return call;
  }

  #call(index: number, path: string, args: unknown[]): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      try {
        this.post({ type: "page-call", id, function: index, args });
      } catch (error) {
        reject(new InteropError(`The arguments of the page function '${path}' cannot be sent to the page: ${messageOf(error)}`, { cause: error }));
        return;
      }
      this.#waiting.set(id, { resolve, reject });
    });
  }

  settle(reply: PageCallReply): void {
    const waiting = this.#waiting.get(reply.id);
    if (!waiting) return;
    this.#waiting.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(deserializeThrown(reply.error!, this.assemblyName));
  }

  get pending(): number {
    return this.#waiting.size;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
