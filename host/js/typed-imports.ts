/**
 * Typed JS imports (`@jsImport`, host/compiler/js-imports.ts), the fast way managed code calls
 * JavaScript: each import's JS function is resolved once per instance (at load by default, or at
 * its first call), through the assembly's scope and membrane like `JSRuntime.invoke`'s, and each
 * value's codec is chosen once from the manifest. A call is then: convert the arguments (numbers
 * pass as they are), call the function bound to its parent, convert the result.
 *
 * The imports must exist before the instance does, and the codecs (delegates need the instance's
 * exports) only after: {@link TypedImports.functions} are handed to `WebAssembly.instantiate`, and
 * {@link TypedImports.connect} gives them their codecs before any call can run.
 */
import type { Codec, ValueCodec, WasmValue } from "../marshal/codec.ts";
import { MarshalError } from "../marshal/errors.ts";
import { typeName, type JSImportDescriptor, type TypeDescriptor } from "../marshal/types.ts";
import { InteropError } from "../runtime/errors.ts";
import { handleUnawaited, moduleNotFoundHint, type CallContext } from "./calls.ts";
import { encodeError, encodeTagged } from "./tagged.ts";
import { asyncOnlyReason } from "./async-only.ts";

/** When an import's JS function is looked up: while the assembly loads (default), or at its first call. */
export type ImportBinding = "load" | "first-call";

type ImportFunction = (...args: WasmValue[]) => WasmValue | void;

/** What a typed import needs from its assembly, besides what every call into JS needs. */
export interface TypedImportContext extends CallContext {
  /** The codec of a value of `type`; `encoded`: it crosses as a wire-format buffer. */
  codec(type: TypeDescriptor, encoded: boolean): Codec;
  /** The module a `@jsImport(…, module)` names (through the scope's `import` in a sandbox). */
  importModule(url: string): Promise<object>;
  /** Whether a value of `type` may hold a JS object (a `JSObject`, a `JSStreamReference`) at any depth. */
  mayHoldHandles(type: TypeDescriptor): boolean;
}

/** An import's JS function, once found, and the object it is called on. */
interface Target {
  readonly fn: Function;
  readonly parent: unknown;
}

export class TypedImports {
  /**
   * The wasm imports of `JS_IMPORTS_MODULE`, by field name; without a prototype, so that a module
   * imports nothing from there but these (see `namespace` in host/runtime/assembly.ts).
   */
  readonly functions: Record<string, ImportFunction> = Object.create(null) as Record<string, ImportFunction>;
  /** Each import's codecs, made by {@link connect}. */
  readonly #codecs: ImportCodecs[] = [];
  readonly #descriptors: readonly JSImportDescriptor[];

  private constructor(descriptors: readonly JSImportDescriptor[]) {
    this.#descriptors = descriptors;
  }

  /** Imports the ES modules the imports name and, unless binding is deferred, finds every function. */
  static async bind(descriptors: readonly JSImportDescriptor[], context: TypedImportContext, binding: ImportBinding): Promise<TypedImports> {
    const imports = new TypedImports(descriptors);
    const modules = new Map<string, Promise<object>>();
    for (const descriptor of descriptors) {
      let root = context.access.root;
      if (descriptor.module !== null) {
        const url = descriptor.module;
        if (!modules.has(url)) modules.set(url, context.importModule(url));
        root = await modules.get(url)!.catch((error: unknown) => {
          const hint = context.access.sandboxed ? "" : moduleNotFoundHint(url, context.moduleBase, error);
          const reason = hint ? `${String(error).replace(/\.?$/, ".")}${hint}` : String(error);
          throw new InteropError(`${importedBy(context, descriptor)} from the module '${url}', which did not load: ${reason}`, { cause: error });
        });
      }
      let target = binding === "load" ? findTarget(descriptor, root, context) : null;
      const targetOf = () => (target ??= findTarget(descriptor, root, context));
      const codecs: ImportCodecs = { parameters: [], result: null, resultHoldsHandles: false };
      imports.#codecs.push(codecs);
      imports.functions[descriptor.importName] = importFunction(descriptor, context, target, targetOf, codecs);
    }
    return imports;
  }

  /** Makes every import's codecs; called once the instance exists, before any call into it. */
  connect(context: TypedImportContext): void {
    this.#descriptors.forEach((descriptor, i) => {
      const codecs = this.#codecs[i];
      codecs.parameters = descriptor.parameters.map((p) => context.codec(p.type, p.encoded));
      codecs.result = descriptor.result === "value" ? context.codec(descriptor.returnType, descriptor.returnEncoded) : null;
      codecs.resultHoldsHandles = codecs.result !== null && context.mayHoldHandles(descriptor.returnType);
    });
  }
}

/** An import's codecs, filled in once the instance exists (delegates need its exports). */
interface ImportCodecs {
  parameters: Codec[];
  result: Codec | null;
  /** The result may hold JS objects, whose handles a result refused part way must release. */
  resultHoldsHandles: boolean;
}

/** `The assembly 'X' imports 'id' (@jsImport at file:line:col)`, for messages. */
function importedBy(context: CallContext, descriptor: JSImportDescriptor): string {
  return `The assembly '${context.assemblyName}' imports '${descriptor.identifier}' (@jsImport at ${descriptor.declaredAt})`;
}

function findTarget(descriptor: JSImportDescriptor, root: object, context: TypedImportContext): Target {
  const { access } = context;
  let parent: unknown = undefined;
  let value: unknown = root;
  for (const key of descriptor.identifier.split(".")) {
    parent = value;
    value = access.read(value, key);
    if (typeof value === "object" || typeof value === "function") access.admit(value as object);
    if (value === undefined) {
      throw new InteropError(
        `${importedBy(context, descriptor)}, but could not find '${descriptor.identifier}' ('${key}' was undefined)` +
          (access.sandboxed ? " in its scope" : "") +
          `. Define it before loading the assembly, or load it with { importBinding: "first-call" } to look it up when it is first called.`,
      );
    }
  }
  if (typeof value !== "function") throw new InteropError(`${importedBy(context, descriptor)}, but the value '${descriptor.identifier}' is not a function.`);
  const asyncOnly = descriptor.result === "task" ? undefined : asyncOnlyReason(value);
  if (asyncOnly) throw new InteropError(`${importedBy(context, descriptor)} with a synchronous result, but ${asyncOnly}`);
  if (access.checksArgumentsOf(value)) {
    // Bound once: only a function whose arguments the membrane checks pays for the check.
    const fn = value;
    const checked = function (this: unknown, ...args: unknown[]): unknown {
      return Reflect.apply(fn, this, access.checkArguments(fn, args));
    };
    return { fn: checked, parent };
  }
  return { fn: value, parent };
}

/** Numbers wasm hands over exactly as JS has them: nothing to convert. */
const PASS_THROUGH = new Set<TypeDescriptor["kind"]>(["i32", "f32", "f64"]);

/** The function that runs one call of the import. */
function importFunction(
  descriptor: JSImportDescriptor,
  context: TypedImportContext,
  found: Target | null,
  targetOf: () => Target,
  codecs: ImportCodecs,
): ImportFunction {
  const names = descriptor.parameters.map((p) => p.name);
  const fail = (how: string, error: unknown): InteropError => {
    const reason = error instanceof Error ? error.message : String(error);
    return new InteropError(
      `The call to the JavaScript function '${descriptor.identifier}' failed: ${how} could not be converted: ${reason.endsWith(".") ? reason : `${reason}.`}`,
      { cause: error },
    );
  };
  /** Managed values → JS values; each one value for the limits, the references in them guarded. */
  const liftAll = (raw: readonly WasmValue[]): unknown[] =>
    context.lifting(() => {
      const heap = context.heap;
      const values = new Array<unknown>(raw.length);
      for (let i = 0; i < raw.length; ++i) {
        heap.beginValue();
        try {
          values[i] = codecs.parameters[i].lift(raw[i], heap);
        } catch (error) {
          throw error instanceof MarshalError ? fail(`argument ${i + 1} ('${names[i]}')`, error) : error;
        }
      }
      return values;
    });
  /**
   * The arguments of a call not made (past the limit on pending tasks, no function to call): lifted
   * and let go, so that the references managed code handed out for them are released.
   */
  const discard = (raw: readonly WasmValue[]): void => context.discarding(() => liftAll(raw));
  /** Finds the function, lifts the arguments and calls it. */
  const invoke = (raw: readonly WasmValue[]): unknown => {
    let target: Target;
    try {
      target = targetOf();
    } catch (error) {
      discard(raw);
      throw error;
    }
    const result = Reflect.apply(target.fn, target.parent, liftAll(raw));
    // A task's promise is followed; any other result is converted or dropped, never awaited.
    if (descriptor.result !== "task") handleUnawaited(result);
    // The JS may have called into this instance and been poisoned by it, or unloaded it.
    context.checkUsable();
    return result;
  };
  /** A JS value for managed code to read with the tagged reader. */
  const asHandle = descriptor.returnType.kind === "jsobject" || descriptor.returnType.kind === "jsstream";
  const tagged = (value: unknown) => context.jsObjects.convert(() => encodeTagged(value, context, asHandle), true);
  const taggedError = (error: unknown) => encodeError(error, context.access);
  /** What a `JSResult<T>` import caught: .NET's `[JSImport]` reports a JS exception as its `toString()`. */
  const caughtError = (error: unknown) => encodeError(error, context.access, true);

  switch (descriptor.result) {
    case "task":
      // The task's id comes last; the host completes the task when the promise settles.
      return (...raw) => {
        const task = raw.pop() as number;
        // Past the limit on pending tasks, the task has failed and the function is not called.
        if (!context.tasks.roomFor(task >>> 0)) return discard(raw);
        let promise: PromiseLike<unknown>;
        try {
          promise = Promise.resolve(invoke(raw));
        } catch (error) {
          context.checkUsable();
          promise = Promise.reject(error);
        }
        context.tasks.follow(task >>> 0, promise, 0, tagged, taggedError);
      };
    case "try":
      return (...raw) => {
        let bytes: Uint8Array;
        try {
          bytes = tagged(invoke(raw));
        } catch (error) {
          context.checkUsable();
          bytes = caughtError(error);
        }
        // A getter of the value may have called back into the instance and poisoned it.
        context.checkUsable();
        context.heap.beginValue();
        return context.heap.lendResult(bytes);
      };
  }

  const resultName = typeName(descriptor.returnType);
  const failedResult = (error: unknown) => (error instanceof MarshalError ? fail(`its result (${resultName})`, error) : error);
  /** A plain value (a number, a `bool`) touches no memory: no heap, no payload count. */
  const plainResult = !descriptor.returnEncoded && PLAIN_RESULTS.has(descriptor.returnType.kind);
  const lower =
    descriptor.returnType.kind === "void"
      ? () => undefined
      : plainResult
        ? (value: unknown): WasmValue => {
            try {
              return (codecs.result as ValueCodec).lower(value);
            } catch (error) {
              throw failedResult(error);
            }
          }
        : (value: unknown): WasmValue => {
            const heap = context.heap;
            heap.beginValue();
            let lowered: WasmValue;
            try {
              // A JS object in a result refused further on would keep its handle: nothing holds it.
              lowered = codecs.resultHoldsHandles
                ? context.jsObjects.convert(() => codecs.result!.lower(value, heap), false)
                : codecs.result!.lower(value, heap);
            } catch (error) {
              throw failedResult(error);
            }
            // A getter of the value may have called back into the instance and poisoned it.
            context.checkUsable();
            return lowered;
          };
  const passesThrough = descriptor.parameters.every((p) => !p.encoded && PASS_THROUGH.has(p.type.kind));
  if (passesThrough && descriptor.parameters.length <= 3 && (plainResult || descriptor.returnType.kind === "void")) {
    return passThrough(descriptor.parameters.length, found, targetOf, context, lower);
  }
  return (...raw) => lower(invoke(raw));
}

/** Results that are plain wasm values, converted by a `ValueCodec` without the heap. */
const PLAIN_RESULTS = new Set<TypeDescriptor["kind"]>(["bool", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "f32", "f64", "char"]);

/**
 * Numbers only, up to three, and a number, a `bool` or nothing back: the call itself, with no
 * array in between (the common case, and the one that must cost little more than a plain import).
 * Bound at load, the function and its parent are constants here.
 */
function passThrough(arity: number, found: Target | null, targetOf: () => Target, context: CallContext, lower: (value: unknown) => WasmValue | void): ImportFunction {
  if (found) {
    const { fn, parent } = found;
    switch (arity) {
      case 0:
        return () => {
          const result = fn.call(parent);
          handleUnawaited(result);
          context.checkUsable();
          return lower(result);
        };
      case 1:
        return (a) => {
          const result = fn.call(parent, a);
          handleUnawaited(result);
          context.checkUsable();
          return lower(result);
        };
      case 2:
        return (a, b) => {
          const result = fn.call(parent, a, b);
          handleUnawaited(result);
          context.checkUsable();
          return lower(result);
        };
      default:
        return (a, b, c) => {
          const result = fn.call(parent, a, b, c);
          handleUnawaited(result);
          context.checkUsable();
          return lower(result);
        };
    }
  }
  return (...args) => {
    const { fn, parent } = targetOf();
    const result = Reflect.apply(fn, parent, args);
    handleUnawaited(result);
    context.checkUsable();
    return lower(result);
  };
}
