/**
 * One instantiated assembly: its manifest, its heap, and an invoker per `@jsInvokable` method,
 * all built once here so that a call only looks its method up and runs it.
 */
import {
  codecFor,
  defaultMarshalOptions,
  ID_SLOT,
  type Codec,
  type MarshalContext,
  type MarshalOptions,
  type WasmValue,
} from "../marshal/codec.ts";
import { ManagedHeap, type RuntimeExports } from "../marshal/heap.ts";
import {
  CALLS_MODULE,
  JS_IMPORTS_MODULE,
  CONFIGURE_EXPORT,
  RELEASE_EXPORT,
  DISPOSE_EXPORT,
  RELEASES_EXPORT,
  STACK_POINTER_EXPORT,
  START_EXPORT,
  STREAM_EXPORTS,
  TASK_EXPORTS,
  TRACKED_COUNT_EXPORT,
  UNZEROED_NEW_EXPORT,
  type Manifest,
  type MethodDescriptor,
  type PropertyDescriptor,
  type TypeDescriptor,
  typeName,
  mayContain,
} from "../marshal/types.ts";
import { encodedCodec, wireCodec } from "../marshal/wire/codec.ts";
import { CallBoundary } from "./boundary.ts";
import { AssemblyPoisonedError, InteropError, ManagedError } from "./errors.ts";
import { createInvokers, type AsyncInvoker, type GuardedValues, type Invoker, type ValueGuards } from "./invoker.ts";
import { readManifest } from "./manifest.ts";
import type { ClassTable } from "../refs/dotnet-object.ts";
import type { StreamCalls } from "../refs/streams.ts";
import { ObjectReferences } from "../refs/references.ts";
import { collectionOperations } from "../refs/collection-calls.ts";
import { memoryViewCodec, memoryViews } from "../refs/memory-view.ts";
import { callImports } from "../js/calls.ts";
import { JSObjectTable } from "../js/objects.ts";
import { TaskTable } from "../js/tasks.ts";
import { streamReferenceImports } from "../js/stream-references.ts";
import { jspi, SuspensionGate } from "../js/jspi.ts";
import { jsAccess, type JSAccess } from "../js/membrane.ts";
import { TypedImports, type ImportBinding, type TypedImportContext } from "../js/typed-imports.ts";
import { moduleBaseOf, moduleUrl } from "../js/calls.ts";
import { MarshalError } from "../marshal/errors.ts";

export interface AssemblyOptions extends Partial<MarshalOptions> {
  /** Register under this name instead of the one compiled in. */
  name?: string;
  /** Extra imports for `declare`d functions in the assembly; `env.abort` and friends are provided. */
  imports?: WebAssembly.Imports;
  /**
   * What managed code's calls into JavaScript can reach: identifiers resolve from here. Default
   * `globalThis`, as in Blazor; pass an object to grant only what it holds (a sandbox).
   */
  scope?: object;
  /**
   * When the JS functions of typed imports (`@jsImport`) are looked up: `"load"` (default: a
   * missing one fails the load, naming it) or `"first-call"` (for functions defined later).
   */
  importBinding?: ImportBinding;
  /**
   * What the assembly's relative module URLs resolve against (`@jsImport` modules,
   * `JSRuntime.importModule`, `invoke("import", …)`, a worker's modules): an absolute URL, of a
   * directory when it ends with `/`. Default: the page's base URL, as in Blazor; in Node, the
   * working directory. The Vite plugin sets it to the project's `publicDir` where a `?assembly`
   * import runs in Node during development (Vitest, `ssrLoadModule`), so `"./greeting.js"` finds
   * `public/greeting.js` there as the page does.
   */
  moduleBase?: string | URL;
}

export interface InvokableMethod {
  readonly descriptor: MethodDescriptor;
  readonly invoke: Invoker;
  /** As `invoke`, as a promise; with JSPI the call may suspend (queued per instance). */
  readonly invokeAsync: AsyncInvoker;
}

export interface AssemblyDiagnostics {
  /** Objects the managed side tracks for JS (`DotNetObjectReference`s not yet released). */
  readonly trackedObjects: number;
  /** References JS holds that are neither disposed nor finalized. */
  readonly jsReferences: number;
  /** JS objects managed code holds (`JSObject`s not yet disposed). */
  readonly jsObjects: number;
  /** Of those, the JS data managed code holds to read as a stream (`JSStreamReference`s not yet disposed). */
  readonly jsStreams: number;
  /** Managed tasks JS waits for, and managed tasks waiting for a JS promise. */
  readonly pendingTasks: number;
  /** Managed objects the host has pinned (each call unpins what it pinned). */
  readonly pinned: number;
  /** The size of linear memory. */
  readonly memoryBytes: number;
}

export class LoadedAssembly {
  readonly methods = new Map<string, InvokableMethod>();
  /** Called once if a fault leaves the instance unusable; the runtime turns it into an event. */
  onPoisoned: ((error: AssemblyPoisonedError) => void) | null = null;
  readonly #references: ObjectReferences;
  readonly #jsObjects: JSObjectTable;
  readonly #tasks: TaskTable;
  readonly #trackedCount: (() => number) | undefined;
  /** The codec of a value of a type, as every call of this instance converts it. */
  readonly #codec: (type: TypeDescriptor, encoded: boolean) => Codec;

  private constructor(
    /** What it was loaded from and with, so it can be loaded again (see `InteropRuntime.reloadAssembly`). */
    readonly module: WebAssembly.Module,
    readonly options: AssemblyOptions,
    readonly name: string,
    readonly manifest: Manifest,
    readonly instance: WebAssembly.Instance,
    readonly heap: ManagedHeap,
    readonly boundary: CallBoundary,
    marshal: MarshalOptions,
    references: ObjectReferences,
    classes: Map<string, ClassTable>,
    jsObjects: JSObjectTable,
    tasks: TaskTable,
    gate: SuspensionGate,
  ) {
    const exports = instance.exports as Record<string, unknown>;
    this.#references = references;
    this.#jsObjects = jsObjects;
    this.#tasks = tasks;
    boundary.onPoison = (error) => {
      tasks.failAll(error);
      this.onPoisoned?.(error);
    };
    this.#trackedCount = exports[TRACKED_COUNT_EXPORT] as (() => number) | undefined;

    const context: MarshalContext = { options: marshal, structs: manifest.structs, references, jsObjects };
    // Where the managed side counts releases, which views read in place check (refs/direct-elements.ts).
    const releasesAt = (exports[RELEASES_EXPORT] as (() => number) | undefined)?.() ?? 0;
    references.collectionOperations = collectionOperations(exports, heap, boundary, context, references, releasesAt);
    references.memoryViews = memoryViews(exports, heap, boundary, references, releasesAt);
    const codec = (this.#codec = (type: TypeDescriptor, encoded: boolean): Codec => {
      switch (type.kind) {
        case "delegate": {
          const method = { ...type, identifier: typeName(type), exportName: type.invoke, declaredAt: "" };
          return delegateCodec(type, references, invoker(method, true));
        }
        case "memoryview":
          return memoryViewCodec(type, exports, references);
        case "task": {
          // A task without a result (a `Task`) resolves to null, as in Blazor: there is nothing to read.
          if (type.resultExport === null) return taskCodec(type, tasks, () => null);
          const resultExport = exports[type.resultExport] as (id: number) => number;
          const result = wireCodec(type.result, context);
          return taskCodec(type, tasks, (id) =>
            references.lifting(() => {
              const pointer = boundary.run(() => resultExport(id)) >>> 0;
              heap.beginValue();
              return result.lift(pointer, heap);
            }),
          );
        }
        default:
          return encoded ? encodedCodec(type, context) : codecFor(type, marshal);
      }
    });
    const guards: ValueGuards = {
      lowering: (convert) => jsObjects.convert(convert, false),
      lifting: (convert) => references.lifting(convert),
    };
    const invokerContext = { heap, boundary, preserveReferences: marshal.preserveReferences, guards };
    // Only an assembly that can suspend (it calls JSRuntime.invokeAwait) needs JSPI's promising
    // exports, which cost a stack switch and a queue per call.
    const suspends = jspi !== null && WebAssembly.Module.imports(module).some((i) => i.module === CALLS_MODULE && i.name === AWAIT_IMPORT);
    const guarded = (method: MethodDescriptor): GuardedValues => ({
      arguments: method.parameters.some((p) => mayContain(p.type, HANDLE_KINDS, manifest.structs)),
      result: mayContain(method.returnType, REFERENCE_KINDS, manifest.structs),
    });
    /** The invokers of an export; `suspendable` where JS may call it with `invokeMethodAsync`. */
    const createFor = (method: MethodDescriptor, receiver: boolean, suspendable: boolean) => {
      const target = exports[method.exportName] as (...args: WasmValue[]) => WasmValue;
      return createInvokers(
        method,
        target,
        suspendable && suspends ? jspi!.promising(target) : null,
        method.parameters.map((p) => codec(p.type, p.encoded)),
        codec(method.returnType, method.returnEncoded),
        receiver,
        invokerContext,
        guarded(method),
      );
    };
    const invokers = (method: MethodDescriptor, receiver: boolean) => {
      const { invoke, invokeSuspending } = createFor(method, receiver, true);
      // A throw becomes the rejection; a pending task's promise is returned as it is (no extra tick).
      const direct: AsyncInvoker = (args, self) => {
        try {
          return Promise.resolve(invoke(args, self));
        } catch (error) {
          return Promise.reject(error);
        }
      };
      const invokeAsync: AsyncInvoker = invokeSuspending
        ? (args, self) =>
            gate.isNested ? direct(args, self) : gate.enqueue(() => invokeSuspending(args, self)).then((result) => result.value)
        : direct;
      return { invoke, invokeAsync };
    };
    // Delegates and property accessors are called synchronously only.
    const invoker = (method: MethodDescriptor, receiver: boolean): Invoker => createFor(method, receiver, false).invoke;

    for (const method of manifest.methods) {
      this.methods.set(method.identifier, { descriptor: method, ...invokers(method, false) });
    }
    const streams = streamCalls(exports, heap, boundary);
    for (const [key, cls] of Object.entries(manifest.classes)) {
      const methods = new Map(cls.methods.map((m) => [m.identifier, invokers(m, true)]));
      const properties = new Map(
        cls.properties.map((p) => {
          const [getter, setter] = accessorMethods(cls.displayName, p);
          return [p.name, { get: invoker(getter, true), set: setter && invoker(setter, true) }];
        }),
      );
      classes.set(key, {
        displayName: cls.displayName,
        classId: cls.classId,
        bases: cls.bases,
        stream: cls.stream ? streams : null,
        sink: cls.sink ? streams : null,
        methods,
        properties,
      });
    }
  }

  /**
   * Ends this instance for good (the runtime unloaded or reloaded the assembly): every later call
   * through what it handed out (references, functions, views, streams) fails with `error`, the
   * calls JS waits for reject with it, and the JS objects it held are let go.
   */
  retire(error: InteropError): void {
    this.boundary.retire(error);
    this.onPoisoned = null;
    this.#tasks.failAll(error);
    this.#jsObjects.clear();
  }

  /**
   * `buffers` moved to another thread (a worker's result sent back): the handles managed code was
   * given for them go, as if disposed. Using one afterwards is Blazor's "does not exist" error
   * rather than a read of an empty buffer, and a buffer passed through (taken as a `JSObject` and
   * returned) leaves nothing behind.
   */
  releaseMoved(buffers: Iterable<object>): void {
    for (const buffer of buffers) this.#jsObjects.releaseObject(buffer);
  }

  /**
   * The class `reference` (a `DotNetObject` of this instance) is to, by its key in the manifest;
   * undefined for anything else. A worker sends it with the reference (see host/worker/reference-values.ts).
   */
  classKeyOf(reference: object): string | undefined {
    return this.#references.classKeyOf(reference);
  }

  /** Sizes of the handle tables on both sides, for leak checks. */
  diagnostics(): AssemblyDiagnostics {
    return {
      trackedObjects: this.#trackedCount?.() ?? 0,
      jsReferences: this.#references.liveCount,
      jsObjects: this.#jsObjects.size,
      jsStreams: this.#jsObjects.streams,
      pendingTasks: this.#tasks.pending,
      pinned: this.heap.pinned,
      memoryBytes: this.heap.runtime.memory.buffer.byteLength,
    };
  }

  static async instantiate(module: WebAssembly.Module, options: AssemblyOptions = {}): Promise<LoadedAssembly> {
    const manifest = readManifest(module);
    const name = options.name ?? manifest.assembly;
    const moduleBase = moduleBaseOf(options.moduleBase, name);
    // The abort import needs the heap to read its message, and the heap needs the instance.
    let heap: ManagedHeap | null = null;
    // What managed code says (a trace, an abort's message and file) is cut to maxPayloadBytes.
    const readString = (pointer: number): string | null =>
      pointer && heap ? heap.readMessage(pointer >>> 0) : null;

    const env = {
      trace(message: number, count: number, ...values: number[]): void {
        // Managed code's text is an argument, never the format: a `%c` or `%d` in it prints as written.
        console.log("trace: %s", access.consoleText(readString(message) ?? ""), ...values.slice(0, count));
      },
      seed: () => Date.now(),
      ...options.imports?.["env"],
      // Always ours: the call boundary relies on aborts arriving as ManagedError.
      abort(message: number, file: number, line: number, column: number): never {
        const text = readString(message);
        const source = readString(file);
        // AssemblyScript's shadow-stack check aborts at 1:1 with strings it lays out past
        // __heap_base, where the heap may since have overwritten them: read as text, they are noise.
        if (line === 1 && column === 1 && !source?.endsWith(".ts")) {
          throw new ManagedError("Managed stack overflow: the shadow stack is exhausted (recursion too deep).", null, 0, 0);
        }
        throw new ManagedError(text ?? "abort", source, line >>> 0, column >>> 0);
      },
    };
    // Calls into JS: the references and JS objects they meet belong to this assembly.
    const marshal: MarshalOptions = { ...defaultMarshalOptions, ...pick(options) };
    const classes = new Map<string, ClassTable>();
    let boundary: CallBoundary | null = null;
    let exports: Record<string, unknown> = {};
    // Looked up at call time: `exports` is assigned after instantiation.
    const exported = (name: string) => exports[name] as (...a: unknown[]) => number;
    /**
     * The host's own ends of what managed code tracks (JS's dispose(), a dropped reference's
     * finalizer, a stream copy's or a task's end), by export: never on a poisoned instance, and
     * through the boundary, since managed code owns the table the export reads: a trap there
     * poisons the instance as any call's would.
     */
    const endTracked = (exportName: string) => (id: number) => {
      const end = exports[exportName] as ((id: number) => void) | undefined;
      if (boundary?.usable && end) boundary.run(() => end(id));
    };
    const releaseTracked = endTracked(RELEASE_EXPORT);
    // JS's dispose() disposes it for managed code too (see host/refs/references.ts).
    const references = new ObjectReferences(name, classes, releaseTracked, endTracked(DISPOSE_EXPORT), marshal.maxHandles);
    const access = jsAccess(options.scope, name);
    const jsObjects = new JSObjectTable(marshal.maxHandles, access);
    const gate = new SuspensionGate();
    const tasks = new TaskTable({
      watch: (id) => boundary!.run(() => exported(TASK_EXPORTS.watch)(id)),
      error: (id) => boundary!.run(() => heap!.readMessage(exported(TASK_EXPORTS.error)(id) >>> 0)),
      complete: (id, bytes, ok) =>
        boundary!.run(() => {
          heap!.beginValue();
          exported(TASK_EXPORTS.complete)(id, heap!.lendResult(bytes), ok ? 1 : 0);
        }),
      reject: (id, message) => boundary!.run(() => exported(TASK_EXPORTS.reject)(id, newMessage(message)) !== 0),
      release: endTracked(TASK_EXPORTS.release),
      failFlow: (message) => boundary!.run(() => exported(TASK_EXPORTS.failFlow)(newMessage(message))),
      unreported: (id, message) => console.error("as-interop: a continuation of task %d failed: %s", id, access.consoleText(message)),
    }, marshal.maxHandles);
    /** A message from JS (a rejection's) is a value too: counted against maxPayloadBytes. */
    const newMessage = (message: string) => {
      heap!.beginValue();
      return heap!.newString(message);
    };
    /** How JS calls managed functions passed in calls into JS, by their function type's class id. */
    const delegateCodecs = new Map<number, Codec>();
    // A data property, set once the instance exists (no call can run before): a getter written in
    // an object literal puts the whole object in V8's dictionary mode, and every call into JS reads
    // this object's properties (a hash lookup each, 5 ns of a typed import's 24 on its own).
    const callContext: TypedImportContext & { heap: ManagedHeap } = {
      heap: null as unknown as ManagedHeap,
      access,
      jsObjects,
      assemblyName: name,
      moduleBase,
      maxDepth: marshal.maxDepth,
      int64: marshal.int64,
      tasks,
      gate,
      handle: (value) => jsObjects.register(value),
      admit: (value) => access.admit(value),
      object: (id) => jsObjects.get(id),
      referenceId: (value) => references.idOfAny(value),
      reference: (classId, id) => references.wrap(id, references.classKey(classId)),
      collection: (classId, id) => {
        const type = manifest.collections[classId];
        if (!type) throw new MarshalError(`managed code passed a collection of class #${classId}, whose elements cannot cross`);
        return references.wrapCollection(id, type);
      },
      delegate: (classId, id) => {
        let codec = delegateCodecs.get(classId);
        if (!codec) {
          const type = manifest.delegates[classId];
          // The compiler refuses a function it did not describe, so this is a manifest out of step.
          if (!type) throw new MarshalError(`managed code passed a function of class #${classId}, which the assembly's manifest does not describe`);
          delegateCodecs.set(classId, (codec = codecOf!(type, false)));
        }
        return codec.lift(id, heap!) as (...args: unknown[]) => unknown;
      },
      collectionId: (value) => references.collectionIdOf(value),
      functionId: (value) => references.functionIdOf(value),
      lifting: (convert) => references.lifting(convert),
      startLifting: () => references.startLifting(),
      endLifting: (ok) => references.endLifting(ok),
      discarding: (lift) => references.discarding(lift),
      checkUsable: () => boundary!.checkUsable(),
      // Typed imports' codecs are made by the constructor, once the instance exists (see TypedImports).
      codec: (type, encoded) => codecOf!(type, encoded),
      importModule: (url) => importModule(access, url, moduleBase),
      mayHoldHandles: (type) => mayContain(type, HANDLE_KINDS, manifest.structs),
    };
    let codecOf: ((type: TypeDescriptor, encoded: boolean) => Codec) | null = null;
    const calls = callImports(callContext);
    let sinks: StreamCalls | null = null;
    const streamReferences = streamReferenceImports({
      ...callContext,
      get heap() {
        return heap!;
      },
      // The instance's exports exist once it does.
      get sinks() {
        return (sinks ??= streamCalls(exports, heap!, boundary!));
      },
      releaseTracked,
    });
    const typedImports = await TypedImports.bind(manifest.imports, callContext, options.importBinding ?? "load");

    const imports = namespace(options.imports ?? {}, {
      env: namespace(env),
      [CALLS_MODULE]: namespace(calls, streamReferences),
      [JS_IMPORTS_MODULE]: typedImports.functions,
    }) as WebAssembly.Imports;
    checkImports(name, module, imports);
    const instance = await WebAssembly.instantiate(module, imports);
    exports = instance.exports as Record<string, unknown>;
    checkExports(name, manifest, exports);
    heap = new ManagedHeap(exports as unknown as RuntimeExports, marshal.maxPayloadBytes);
    callContext.heap = heap;
    boundary = new CallBoundary(name, exports[STACK_POINTER_EXPORT] as WebAssembly.Global | undefined);
    boundary.onRest = () => heap!.atRest();
    // The managed half of the wire format follows the same reference handling.
    const configure = exports[CONFIGURE_EXPORT] as ((preserve: number, maxDepth: number, bigints: number) => void) | undefined;
    configure?.(marshal.preserveReferences ? 1 : 0, marshal.maxDepth, marshal.int64 === "bigint" ? 1 : 0);
    const assembly = new LoadedAssembly(
      module, options, name, manifest, instance, heap, boundary, marshal, references, classes, jsObjects, tasks, gate,
    );
    codecOf = assembly.#codec;
    typedImports.connect(callContext);
    // The top-level statements, now that calls into JS have all they need (see START_EXPORT).
    const start = exports[START_EXPORT] as (() => void) | undefined;
    if (start) {
      try {
        boundary.run(start);
      } catch (error) {
        // A trap poisons the instance; what the loader wants to know is the fault itself.
        const fault = error instanceof AssemblyPoisonedError ? error.fault : error;
        const text = fault instanceof Error ? `${fault.name}: ${fault.message}` : access.textOf(fault);
        const failed = new InteropError(`The assembly '${name}' failed while running its top-level statements: ${text}`, { cause: fault });
        // Never registered, so never unloaded: what the statements set going before the fault
        // (a delegate stored on a host object, a continuation waiting for a JS promise) must not
        // run managed code of an assembly the host was told did not load.
        assembly.retire(failed);
        throw failed;
      }
    }
    return assembly;
  }
}

/**
 * An ES module the assembly names: the engine's `import()`, as in Blazor, unless the assembly is
 * sandboxed, when only an `import` function its scope grants may load modules.
 */
function importModule(access: JSAccess, url: string, moduleBase: string | undefined): Promise<object> {
  if (!access.sandboxed) return import(/* @vite-ignore */ moduleUrl(url, moduleBase)) as Promise<object>;
  const granted = access.read(access.root, "import");
  if (typeof granted !== "function") {
    return Promise.reject(new InteropError(`Could not find 'import' ('import' was undefined): a sandboxed assembly loads modules only through an 'import' function its scope grants.`));
  }
  // As JSRuntime.invoke("import", url) finds and calls it: admitted, on the scope. The scope is
  // live (managed code writes its own properties, a granted method stored there writes `this`), and
  // a reload imports again with the module URLs the assembly names: unchecked, a function that
  // landed there since (`eval`, a window's function, which works on its window without a `this`)
  // would be run on the assembly's text.
  try {
    access.admit(granted);
  } catch (error) {
    return Promise.reject(error);
  }
  // What it resolves with enters the sandbox as any promise's value does (it is a handle's, when
  // JSRuntime.importModule asks): a path from it reaches only what may be given.
  return Promise.resolve(Reflect.apply(granted, access.root, [url]) as object).then((module) => {
    if ((typeof module === "object" && module !== null) || typeof module === "function") access.admit(module);
    return module;
  });
}

/** The managed library's stream entry points, as calls through the boundary. */
function streamCalls(exports: Record<string, unknown>, heap: ManagedHeap, boundary: CallBoundary): StreamCalls {
  const call = (name: string) => exports[name] as (...args: number[]) => number;
  const [read, buffer, write, close] = [STREAM_EXPORTS.read, STREAM_EXPORTS.buffer, STREAM_EXPORTS.write, STREAM_EXPORTS.close].map(call);
  return {
    read: (id) =>
      boundary.run(() => {
        const count = read(id);
        if (count === 0) return null;
        // Each chunk is one value for maxPayloadBytes; a stream as a whole has no limit.
        heap.beginValue();
        heap.charge(count);
        const start = buffer(id) >>> 0;
        return heap.u8.slice(start, start + count);
      }),
    write: (id, chunk) =>
      boundary.run(() => {
        heap.beginValue();
        // Nothing allocates between these two calls, so the buffer needs no pin.
        write(id, heap.newBuffer(chunk));
      }),
    close: (id) => boundary.run(() => close(id)),
    outsideMemory: (piece) => heap.outsideMemory(piece),
  };
}

/** A managed task comes back as its id; JS gets its value, or a promise of it while it is pending. */
function taskCodec(type: TypeDescriptor, tasks: TaskTable, read: (id: number) => unknown): Codec {
  return resultOnlyCodec(type, "a promise cannot become a managed Task yet", (raw) => {
    const id = (raw as number) >>> 0;
    return tasks.await(id, () => read(id));
  });
}

/**
 * A managed function comes back as its id, and reaches JS as a function calling `invoke`; given
 * back to managed code (a function-typed parameter), only such a function of this very signature
 * is taken, as the id it calls.
 */
function delegateCodec(type: Extract<TypeDescriptor, { kind: "delegate" }>, references: ObjectReferences, invoke: Invoker): Codec {
  return {
    type,
    ...ID_SLOT,
    lower: (value) => ((value === null || value === undefined) && type.nullable ? 0 : references.functionId(value, type)),
    lift: (id) => (id === 0 ? null : references.wrapFunction((id as number) >>> 0, type, invoke)),
  };
}

/** A value that crosses by id and only from managed code to JS; `refusal` says why not the other way. */
function resultOnlyCodec(type: TypeDescriptor, refusal: string, lift: Codec["lift"]): Codec {
  return {
    type,
    ...ID_SLOT,
    lower(value) {
      throw new MarshalError(`${refusal}, got ${typeof value}`);
    },
    lift,
  };
}

/** A property's getter and setter exports, described as the methods they are. */
function accessorMethods(className: string, property: PropertyDescriptor): [MethodDescriptor, MethodDescriptor | null] {
  const common = { identifier: `${className}.${property.name}`, declaredAt: "" };
  const getter = { ...common, exportName: property.getter, parameters: [], returnType: property.type, returnEncoded: property.encoded };
  const setter: MethodDescriptor | null = property.setter === null ? null : {
    ...common,
    exportName: property.setter,
    parameters: [{ name: "value", type: property.type, encoded: property.encoded }],
    returnType: { kind: "void" } as const,
    returnEncoded: false,
  };
  return [getter, setter];
}

/** The import of `JSRuntime.invokeAwait` (assembly/interop/js/imports.ts), the one way managed code suspends. */
const AWAIT_IMPORT = "awaitInvoke";

/** Kinds a value lowered for managed code may register as JS object handles. */
const HANDLE_KINDS: ReadonlySet<TypeDescriptor["kind"]> = new Set(["jsobject", "jsstream"]);
/** Kinds a lifted value wraps as references to managed objects. */
const REFERENCE_KINDS: ReadonlySet<TypeDescriptor["kind"]> = new Set(["objectref", "delegate", "listref", "dictref"]);

const RUNTIME_FUNCTIONS = ["__new", UNZEROED_NEW_EXPORT, "__pin", "__unpin", "__collect"] as const;

/** A wasm that does not match its manifest would fail on first use; say so at load instead. */
function checkExports(name: string, manifest: Manifest, exports: Record<string, unknown>): void {
  const missing: string[] = [];
  if (!(exports["memory"] instanceof WebAssembly.Memory)) missing.push("memory");
  for (const fn of RUNTIME_FUNCTIONS) if (typeof exports[fn] !== "function") missing.push(fn);
  const classes = Object.values(manifest.classes);
  const methods = [...manifest.methods, ...classes.flatMap((c) => c.methods)];
  for (const method of methods) {
    if (typeof exports[method.exportName] !== "function") missing.push(`${method.exportName} (for '${method.identifier}')`);
  }
  for (const property of classes.flatMap((c) => c.properties)) {
    for (const name of [property.getter, property.setter]) {
      if (name && typeof exports[name] !== "function") missing.push(`${name} (for property '${property.name}')`);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `The assembly '${name}' does not match its as-interop manifest: it lacks the exports ${missing.join(", ")}. ` +
        `Was it changed after compiling, or compiled with --noExportMemory? Compile it again with as-interop.`,
    );
  }
}

/**
 * An import object of the library's own (the imports object, `env`, its calls into JS, the typed
 * imports): the properties of `sources`, on an object with no prototype. The engine looks an
 * import up by [[Get]], so from an ordinary object a module could import what every object
 * inherits, and from there what that leads to: `(import "constructor" "defineProperty")` is
 * `Object.defineProperty`, `(import "constructor" "constructor")` is `Function`, `(import
 * "constructor" "prototype")` (a global) is `Object.prototype` — the realm's built-ins, to change
 * for the host and every other assembly, from a sandbox whose scope grants none of them.
 */
function namespace(...sources: object[]): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, ...sources);
}

/**
 * The functions an assembly `declare`s are imports that JavaScript gives in `options.imports`.
 * Without this check the engine's message (`Import #4 module="X" error: module is not an object or
 * function`) names neither the function nor the option.
 */
function checkImports(name: string, module: WebAssembly.Module, imports: WebAssembly.Imports): void {
  // The library's own modules give what the compiler's code imports and nothing else: any other
  // name there is a module not compiled by this version of as-interop (or not by it at all).
  const moduleImports = WebAssembly.Module.imports(module);
  const names = (entries: WebAssembly.ModuleImportDescriptor[]) => entries.map((e) => `'${e.module}.${e.name}'`).join(", ");
  const unknown = moduleImports.filter(
    (entry) => (entry.module === CALLS_MODULE || entry.module === JS_IMPORTS_MODULE) && imports[entry.module]![entry.name] === undefined,
  );
  if (unknown.length > 0) {
    throw new InteropError(
      `The assembly '${name}' imports ${names(unknown)}, which as-interop does not provide: compile it again with this version of as-interop.`,
    );
  }
  const declared = moduleImports.filter(
    (entry) =>
      entry.module !== CALLS_MODULE && entry.module !== JS_IMPORTS_MODULE && !(entry.module === "env" && RUNTIME_ENV.has(entry.name)),
  );
  const missing = declared.filter((entry) => {
    const value = imports[entry.module]?.[entry.name];
    return entry.kind === "function" ? typeof value !== "function" : value === undefined;
  });
  if (missing.length === 0) return;
  const wanted = new Map<string, string[]>();
  for (const entry of missing) wanted.set(entry.module, [...(wanted.get(entry.module) ?? []), entry.name]);
  const example = [...wanted].map(([from, functions]) => `${JSON.stringify(from)}: { ${functions.map((f) => `${JSON.stringify(f)}: …`).join(", ")} }`);
  throw new Error(
    `The assembly '${name}' declares functions that JavaScript must provide (${names(declared)}), ` +
      `and the imports option does not give ${names(missing)}. ` +
      `Pass them when loading it: loadAssembly(source, { imports: { ${example.join(", ")} } }), ` +
      `or declare them with @jsImport("…") to bind them by name.`,
  );
}

/** What the runtime itself gives every assembly in `env`. */
const RUNTIME_ENV = new Set(["abort", "trace", "seed"]);

/** The marshaling options among the assembly options, leaving out the ones not given. */
function pick(options: AssemblyOptions): Partial<MarshalOptions> {
  const keys = Object.keys(defaultMarshalOptions) as (keyof MarshalOptions)[];
  return Object.fromEntries(keys.filter((key) => options[key] !== undefined).map((key) => [key, options[key]]));
}
