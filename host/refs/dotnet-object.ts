/**
 * The JS object that stands for a managed object held by reference (Blazor's JS `DotNetObject`):
 * `invokeMethod(identifier, ...args)`, `invokeMethodAsync(...)`, `dispose()` and
 * `[Symbol.dispose]`, plus one property per `@scriptableMember` field (the HTML Bridge's scriptable
 * members), read and written through the marshaling table. Anything else reads as `undefined` and
 * refuses to be written, so a typo never silently creates a JS-only property.
 *
 * Built for speed as a plain object V8 can cache, not a `Proxy` (whose every access is a trap):
 *
 *     reference (frozen; own: one accessor per scriptable member; private: #id, #class)
 *       → its class's prototype (frozen; `stream()`/`writeStream()` for streams and sinks)
 *       → DotNetObject.prototype (frozen; invokeMethod, invokeMethodAsync, dispose, id)
 *       → a frozen Proxy that only refuses writes: one that got this far names no member
 *       → Object.prototype
 *
 * The accessors' functions are made once per class, so every reference to an object of a class has
 * the same hidden class and a call site stays monomorphic. The private fields are the brand: a
 * method or accessor called on anything else (an object inheriting from a reference, a copy of its
 * members) is a `TypeError`, never a call on some id.
 */
import type { AsyncInvoker, Invoker } from "../runtime/invoker.ts";
import { sinkMethods, streamMethods, type ReferenceOf, type StreamCalls } from "./streams.ts";

/** A method JS can call on a class's objects. */
export interface ClassMethod {
  readonly invoke: Invoker;
  readonly invokeAsync: AsyncInvoker;
}

/** What JS can do with one class's objects, built once per class at load. */
export interface ClassTable {
  readonly displayName: string;
  /** Its runtime id, and the classes it extends (see `ClassDescriptor`). */
  readonly classId: number;
  readonly bases: readonly string[];
  /** Set when the class is a `ManagedStream` (JS reads it) or a `StreamSink` (JS writes to it). */
  readonly stream: StreamCalls | null;
  readonly sink: StreamCalls | null;
  readonly methods: ReadonlyMap<string, ClassMethod>;
  readonly properties: ReadonlyMap<string, { readonly get: Invoker; readonly set: Invoker | null }>;
}

/** The operations a reference needs from its assembly's reference table. */
export interface ReferenceOwner {
  /** Throws Blazor's "no tracked object" error once `id` is disposed. */
  checkAlive(id: number): void;
  dispose(id: number): void;
  noMethod(table: ClassTable, identifier: string): Error;
  /** Learns from a failed call, e.g. that managed code disposed the object. */
  noticeFailure(id: number, error: unknown): void;
  /** Runs a call on `id`: it must be alive, and a failure may reveal it was disposed. */
  guard<T>(id: number, call: () => T): T;
  /** Runs an asynchronous call on `id`; a `dispose()` meanwhile releases the object only after it. */
  pending<T>(id: number, call: () => Promise<T>): Promise<T>;
}

/** What every reference to an object of one class shares. */
interface ReferenceClass {
  readonly table: ClassTable;
  readonly owner: ReferenceOwner;
  /** The method last called on an object of the class: calls come in runs (a loop, a handler). */
  lastCalled: { readonly identifier: string; readonly method: ClassMethod } | null;
}

/** The class's method `identifier`, or Blazor's error when there is none. */
function methodOf(referenceClass: ReferenceClass, identifier: string): ClassMethod {
  const last = referenceClass.lastCalled;
  if (last !== null && last.identifier === identifier) return last.method;
  const { table, owner } = referenceClass;
  const method = table.methods.get(identifier);
  if (!method) throw owner.noMethod(table, identifier);
  referenceClass.lastCalled = { identifier, method };
  return method;
}

/** Makes the JS object for reference `id`. */
export type DotNetObjectFactory = (id: number) => DotNetObject;

/** Only this module constructs references: `new DotNetObject()` from anywhere else is refused. */
const CONSTRUCTING = Symbol("DotNetObject");
/** A getter's arguments: none (shared, so a read allocates nothing). */
const NO_ARGUMENTS: readonly unknown[] = Object.freeze([]);

// Assigned in DotNetObject's static block, the only place that sees its private fields.
let makeFactory: (table: ClassTable, owner: ReferenceOwner) => DotNetObjectFactory;

/** `value instanceof DotNetObject` tells a reference from any other object. */
export class DotNetObject {
  readonly #id: number;
  readonly #class: ReferenceClass;

  /** References come from managed code (`DotNetObjectReference.create`); JavaScript cannot make one. */
  constructor(token: symbol, id: number, referenceClass: ReferenceClass) {
    if (token !== CONSTRUCTING) throw new TypeError("Illegal constructor: a DotNetObject comes from managed code (DotNetObjectReference.create).");
    this.#id = id;
    this.#class = referenceClass;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && #id in value;
  }

  /** The id the managed side tracks the object by (as Blazor's `_id`). */
  get id(): number {
    return this.#id;
  }

  invokeMethod(identifier: string, ...args: unknown[]): unknown {
    const id = this.#id;
    const referenceClass = this.#class;
    const { owner } = referenceClass;
    owner.checkAlive(id);
    const method = methodOf(referenceClass, identifier);
    // As owner.guard does, without a closure per call.
    try {
      return method.invoke(args, id);
    } catch (error) {
      owner.noticeFailure(id, error);
      throw error;
    }
  }

  async invokeMethodAsync(identifier: string, ...args: unknown[]): Promise<unknown> {
    const id = this.#id;
    const referenceClass = this.#class;
    const { owner } = referenceClass;
    try {
      owner.checkAlive(id);
      const method = methodOf(referenceClass, identifier);
      return await owner.pending(id, () => method.invokeAsync(args, id));
    } catch (error) {
      owner.noticeFailure(id, error);
      throw error;
    }
  }

  dispose(): void {
    this.#class.owner.dispose(this.#id);
  }

  /**
   * Runs a scriptable member's accessor (a getter, or a setter and its value) on this reference,
   * which must be of `expected`, the class the accessor was made for: copied onto a reference of
   * another class or assembly, it would otherwise reach whatever object has this id there.
   */
  #access(expected: ReferenceClass, accessor: Invoker, args: readonly unknown[]): unknown {
    const id = this.#id;
    if (this.#class !== expected) throw wrongClass(expected, this.#class);
    const { owner } = expected;
    owner.checkAlive(id);
    try {
      return accessor(args, id);
    } catch (error) {
      owner.noticeFailure(id, error);
      throw error;
    }
  }

  static {
    const prototype = DotNetObject.prototype;
    // `[Symbol.dispose]` is `dispose`, so `using` releases the reference at the end of its block. It
    // is left out of the class's declaration so that apps need no `esnext.disposable` lib (as for
    // MemoryView, and the typed DotNetObject of host/api/facade.ts).
    Object.defineProperty(prototype, Symbol.dispose, { value: prototype.dispose });

    /** The reference a stream method of `expected`'s objects was called on (as {@link DotNetObject.#access} checks it). */
    const referenceIn = (expected: ReferenceClass): ReferenceOf => (self) => {
      const reference = self as DotNetObject;
      const id = reference.#id; // a TypeError when `self` is not a reference
      if (reference.#class !== expected) throw wrongClass(expected, reference.#class);
      return { id, guard: (call) => expected.owner.guard(id, call) };
    };

    // A write that found no member on the reference, its class or DotNetObject.prototype.
    const unknownMembers = new Proxy(Object.freeze(Object.create(Object.prototype) as object), {
      set(target, key, value, receiver) {
        if (!(typeof receiver === "object" && receiver !== null && #id in receiver)) return Reflect.set(target, key, value, receiver);
        const { displayName } = (receiver as DotNetObject).#class.table;
        throw new TypeError(
          `'${String(key)}' is not a scriptable member of ${displayName}; only its @scriptableMember fields and properties can be set.`,
        );
      },
    });
    Object.setPrototypeOf(prototype, unknownMembers);
    Object.freeze(prototype);
    Object.freeze(DotNetObject);

    makeFactory = (table, owner) => {
      const referenceClass: ReferenceClass = { table, owner, lastCalled: null };
      const members: PropertyDescriptorMap = {};
      for (const [name, { get, set }] of table.properties) {
        members[name] = {
          enumerable: true,
          get(this: DotNetObject) {
            return this.#access(referenceClass, get, NO_ARGUMENTS);
          },
          set: set
            ? function (this: DotNetObject, value: unknown) {
                this.#access(referenceClass, set, [value]);
              }
            : () => {
                throw new TypeError(`'${name}' of ${table.displayName} is read-only.`);
              },
        };
      }
      // A class of its own per managed class: its instances share one hidden class (V8 gives
      // objects made by `Reflect.construct` with a plain function as new.target a map each).
      const ReferenceOfClass = class extends DotNetObject {};
      const classPrototype = ReferenceOfClass.prototype as object;
      // `reference.constructor` stays DotNetObject, whose constructor refuses to make one.
      delete (classPrototype as { constructor?: unknown }).constructor;
      if (table.stream) Object.defineProperties(classPrototype, hidden(streamMethods(table.stream, referenceIn(referenceClass))));
      if (table.sink) Object.defineProperties(classPrototype, hidden(sinkMethods(table.sink, referenceIn(referenceClass))));
      Object.freeze(classPrototype);
      return (id) => {
        const reference: DotNetObject = new ReferenceOfClass(CONSTRUCTING, id, referenceClass);
        // Frozen: no key can be added, and no member redefined or deleted (the accessors still run).
        Object.freeze(Object.defineProperties(reference, members));
        return reference;
      };
    };
  }
}

function wrongClass(expected: ReferenceClass, actual: ReferenceClass): TypeError {
  return new TypeError(
    `This member belongs to the references to ${expected.table.displayName}; it was called on a reference to ` +
      `${actual.table.displayName} (of another class, or of another instance of the assembly).`,
  );
}

/** Descriptors of `members` as a class's methods are: not enumerable, so Object.keys lists the scriptable members only. */
function hidden(members: object): PropertyDescriptorMap {
  const descriptors = Object.getOwnPropertyDescriptors(members) as PropertyDescriptorMap;
  for (const key of Object.keys(descriptors)) descriptors[key].enumerable = false;
  return descriptors;
}

/** The maker of one class's references, owned by `owner`: build once per class, call once per reference. */
export function dotNetObjectFactory(table: ClassTable, owner: ReferenceOwner): DotNetObjectFactory {
  return makeFactory(table, owner);
}
