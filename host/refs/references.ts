/**
 * One assembly's references, JS side: which managed objects JS holds, and their lifetimes.
 *
 * - The same managed id always gives the same JS object while that object lives.
 * - `dispose()` disposes the managed reference at once (a reference managed code kept is disposed
 *   too, as in Blazor); a JS object dropped without it is released
 *   by a `FinalizationRegistry` (Blazor leaks here).
 * - Only objects this table made are accepted back, each by the class it was made for; a disposed
 *   one fails with Blazor's message, and a forged or foreign one with a clear error, so an id can
 *   never reach another object.
 */
import type { ReferenceBridge } from "../marshal/codec.ts";
import { MarshalError, mismatch } from "../marshal/errors.ts";
import { blazorMessages, InteropError } from "../runtime/errors.ts";
import type { Invoker } from "../runtime/invoker.ts";
import type { CollectionType, ObjectReferenceType } from "../marshal/codec.ts";
import { isOfClass, typeKey, typeName, type TypeDescriptor } from "../marshal/types.ts";
import { createDictionaryView, createListView, type DictionaryOperations, type ListOperations } from "./collections.ts";
import { MemoryView, type MemoryViewBridge, type MemoryViews, type MemoryViewType } from "./memory-view.ts";

import { dotNetObjectFactory, type ClassTable, type DotNetObjectFactory, type ReferenceOwner } from "./dotnet-object.ts";

type DelegateType = Extract<TypeDescriptor, { kind: "delegate" }>;

/**
 * Functions are told apart by their runtime class, which is their signature's, whatever annotation
 * they came through (here, and by a worker's proxies of them).
 */
export const functionKey = (type: DelegateType) => `function #${type.classId}`;

/**
 * What a value of `type` takes, as messages name it: `a DotNetObjectReference<Engine>`, and for a
 * plain one `… (or of a class derived from Engine)` (`displayName` is the class's).
 */
export const aReferenceFor = (type: ObjectReferenceType, displayName: string) =>
  `a DotNetObjectReference<${displayName}>` + (type.plain ? ` (or of a class derived from ${displayName})` : "");

/** A function type as messages name what a parameter of it takes: `a managed function (a: i32) => i32`. */
export const aManagedFunction = (type: DelegateType) => `a managed function ${typeName({ ...type, nullable: false })}`;

/** Views are told apart by the exact collection (or memory view) type they were made for. */
const viewKeys = new WeakMap<CollectionType | MemoryViewType, string>();
const COLLECTION = "collection:";
function viewKey(type: CollectionType | MemoryViewType): string {
  let key = viewKeys.get(type);
  // A memory view is of its typed array's type, whichever annotation (and so `adopt` export) it came through.
  if (key === undefined) viewKeys.set(type, (key = type.kind === "memoryview" ? `memoryview:${type.name}` : `${COLLECTION}${typeKey(type)}`));
  return key;
}

interface ReferenceState {
  /** The table that made it: a stand-in is only ever its maker's. */
  readonly owner: ObjectReferences;
  readonly id: number;
  readonly classKey: string;
  /** The JS object for `id`, while it lives. */
  readonly object: WeakRef<object>;
  disposed: boolean;
}

export const tooManyHandles = (limit: number, what: string) =>
  `This host allows ${limit} live ${what} at once (maxHandles); dispose some before making more.`;

/** What JS can do with the objects of a class the assembly's manifest does not describe: nothing but hold them. */
const UNDESCRIBED: ClassTable = {
  displayName: "(a class no signature mentions)",
  classId: -1,
  bases: [],
  stream: null,
  sink: null,
  methods: new Map(),
  properties: new Map(),
};

export const noTrackedObject = (id: number) =>
  `There is no tracked object with id '${id}'. Perhaps the DotNetObjectReference instance was already disposed.`;

/**
 * Every stand-in any table made (references and views are objects, delegates functions), by the
 * object: one map for all tables, so that a table handed another's stand-in can say whose it is.
 * Each table finds only its own (`ReferenceState.owner`).
 */
const standIns = new WeakMap<object, ReferenceState>();

export class ObjectReferences implements ReferenceBridge, ReferenceOwner, MemoryViewBridge {
  /**
   * What each function's and view's class key stands for, as messages name it (`a managed function
   * (a: i32) => i32`, `a view of a managed List<i32>`); a class's references are named by the class.
   */
  readonly #names = new Map<string, string>();
  readonly #statesById = new Map<number, ReferenceState>();
  /** The ids wrapped for each value being lifted now, innermost last (see `lifting`). */
  readonly #lifting: number[][] = [];
  /** Asynchronous calls started on each id and not finished (JSPI queues them). */
  readonly #calls = new Map<number, number>();
  /**
   * Ids ended while such calls were outstanding, ended on the managed side after them: disposed
   * (true), or let go (false).
   */
  readonly #endAfterCalls = new Map<number, boolean>();
  /** Makers of references, by class key (see dotnet-object.ts). */
  readonly #factories = new Map<string, DotNetObjectFactory>();
  // Holds the state, not the id: a late cleanup must never forget a newer object for the same id.
  readonly #finalizer = new FinalizationRegistry<ReferenceState>((state) => {
    if (this.#statesById.get(state.id) !== state) return;
    try {
      // Dropped by JS, not disposed (see #end).
      this.#forget(state.id, false);
    } catch {
      // Nothing could catch it here (a Node process would exit): a release that trapped has
      // poisoned the instance, which says so itself (`assemblypoisoned`).
    }
  });

  constructor(
    readonly assemblyName: string,
    private readonly classes: ReadonlyMap<string, ClassTable>,
    /**
     * Releases `id` on the managed side, JS having let go of it without disposing it (a reference
     * managed code kept stays good); a no-op once the instance cannot be called.
     */
    private readonly release: (id: number) => void,
    /** Disposes `id` on the managed side (JS's `dispose()`); a no-op once the instance cannot be called. */
    private readonly disposeManaged: (id: number) => void,
    private readonly maxHandles = Infinity,
  ) {}

  /** Makes a collection's operations (set once the assembly's exports exist). */
  collectionOperations: ((id: number, type: CollectionType) => ListOperations | DictionaryOperations) | null = null;
  /** Makes memory views (set once the assembly's exports exist). */
  memoryViews: MemoryViews | null = null;

  /**
   * The live JS object for `id`, or a new one from `make`, tracked (and finalized) under the
   * handle limit; its state is found by the object too (JS may pass it back).
   */
  #track<T extends object>(id: number, classKey: string, make: () => T): T {
    const previous = this.#statesById.get(id);
    const existing = previous?.object.deref();
    if (existing) return existing as T;
    // Its object was collected, and the finalizer has not run yet: the state is over.
    if (previous) previous.disposed = true;
    // Inside a value, the limit is checked once it is whole (see `lifting`).
    const lifting = this.#lifting.at(-1);
    if (!lifting && this.#statesById.size >= this.maxHandles) {
      this.release(id);
      throw this.#tooMany();
    }
    const object = make();
    const state: ReferenceState = { owner: this, id, classKey, object: new WeakRef(object), disposed: false };
    standIns.set(object, state);
    this.#statesById.set(id, state);
    this.#finalizer.register(object, state, object);
    lifting?.push(id);
    return object;
  }

  #tooMany(): InteropError {
    return new InteropError(tooManyHandles(this.maxHandles, "references to managed objects"));
  }

  /**
   * Lifts one value that may hold references. Every reference in it is wrapped before the
   * `maxHandles` limit is checked, so that when it fails (over the limit, or for any other reason)
   * each one it wrapped is released on both sides: a value refused part way must not leave the
   * managed objects after the failure point tracked for a JS object that will never exist.
   */
  lifting<T>(lift: () => T): T {
    this.startLifting();
    let ok = false;
    try {
      const value = lift();
      ok = true;
      return value;
    } finally {
      this.endLifting(ok);
    }
  }

  /**
   * Lifts what nobody will be given (the arguments of a call into JS that is not made), only to let
   * go of the references it wraps, which managed code handed out for JS. A failure to read is not
   * reported: the error that led here is the one that matters.
   */
  discarding(lift: () => unknown): void {
    this.startLifting();
    try {
      lift();
    } catch {
      // See above.
    } finally {
      this.endLifting(false);
    }
  }

  /** {@link lifting} in two steps, for hot paths that would rather not make a closure. */
  startLifting(): void {
    this.#lifting.push([]);
  }

  /** Ends the innermost {@link startLifting}: `ok` unless the lift threw (then it throws the limit's error itself, if over). */
  endLifting(ok: boolean): void {
    const wrapped = this.#lifting.pop()!;
    const outer = this.#lifting.at(-1);
    if (ok) {
      // A value lifted inside another is part of it.
      if (outer) {
        if (wrapped.length > 0) outer.push(...wrapped);
        return;
      }
      if (this.#statesById.size <= this.maxHandles) return;
    }
    // JS never got them: let go, not disposed.
    for (const id of wrapped) this.#end(id, false);
    if (ok) throw this.#tooMany();
  }

  wrapCollection(id: number, type: CollectionType): object {
    const classKey = this.#named(viewKey(type), () => `a view of a managed ${typeName(type)}`);
    return this.#track(id, classKey, () => this.#createView(id, type));
  }

  wrapMemoryView(id: number, type: MemoryViewType): MemoryView {
    const classKey = this.#named(viewKey(type), () => `a ${typeName(type)}`);
    return this.#track(id, classKey, () => this.memoryViews!.create(id, type));
  }

  /** Remembers what `classKey` stands for, the first time (see `#names`); returns `classKey`. */
  #named(classKey: string, name: () => string): string {
    if (!this.#names.has(classKey)) this.#names.set(classKey, name());
    return classKey;
  }

  /** What the stand-in of `state` is, in words. */
  #describe(state: ReferenceState): string {
    return this.#names.get(state.classKey) ?? `a DotNetObjectReference<${this.#displayName(state.classKey)}>`;
  }

  /**
   * That `value` is not what was expected: a stand-in a table made is named by what it stands for,
   * and whose it is if not this table's (another instance of this assembly, or another assembly),
   * where `mismatch` would say "a function" or "an object".
   */
  #mismatch(expected: string, value: unknown): MarshalError {
    const state = (typeof value === "object" && value !== null) || typeof value === "function" ? standIns.get(value) : undefined;
    if (!state) return mismatch(expected, value);
    const maker = state.owner;
    const whose =
      maker === this
        ? ""
        : maker.assemblyName === this.assemblyName
          ? ` of another instance of assembly '${this.assemblyName}' (one since reloaded or unloaded, or loaded into another runtime)`
          : ` of assembly '${maker.assemblyName}'`;
    return new MarshalError(`expected ${expected}, got ${maker.#describe(state)}${whose}`);
  }

  memoryViewId(view: MemoryView, type: MemoryViewType): number {
    const state = this.#stateOf(view);
    if (!state || state.classKey !== viewKey(type)) {
      throw this.#mismatch(`a ${typeName(type)} obtained from assembly '${this.assemblyName}'`, view);
    }
    if (state.disposed) throw new MarshalError(noTrackedObject(state.id));
    return state.id;
  }

  /** The id of `value` if it is a live collection view this table made (for values in calls into JS). */
  collectionIdOf(value: unknown): number | null {
    const state = this.#stateOf(value);
    if (!state?.classKey.startsWith(COLLECTION)) return null;
    if (state.disposed) throw new InteropError(noTrackedObject(state.id));
    return state.id;
  }

  #createView(id: number, type: CollectionType): object {
    const operations = this.collectionOperations!(id, type);
    return type.kind === "listref"
      ? createListView(operations as ListOperations)
      : createDictionaryView(operations as DictionaryOperations);
  }

  /** The state of the reference `value` is, if this table made it. */
  #stateOf(value: unknown): ReferenceState | undefined {
    return typeof value === "object" && value !== null ? this.#own(standIns.get(value)) : undefined;
  }

  collectionId(value: unknown, type: CollectionType): number {
    const state = this.#stateOf(value);
    if (!state || state.classKey !== viewKey(type)) {
      throw this.#mismatch(`a view of a managed ${typeName(type)} obtained from assembly '${this.assemblyName}'`, value);
    }
    if (state.disposed) throw new MarshalError(noTrackedObject(state.id));
    return state.id;
  }

  wrap(id: number, classKey: string): object {
    return this.#track(id, classKey, () => this.#factory(classKey)(id));
  }

  wrapHeld(id: number, classId: number, type: ObjectReferenceType): object {
    const classKey = this.classKey(classId);
    if (!this.#isOfClass(classKey, type.class)) {
      throw new MarshalError(
        `managed code passed a reference to an object of class ${this.classes.get(classKey)?.displayName ?? `#${classId}`} where ` +
          `${aReferenceFor(type, this.#displayName(type.class))} is declared`,
      );
    }
    return this.wrap(id, classKey);
  }

  /** The key of the class managed code numbers `classId` (`class #…` for one the manifest does not describe). */
  classKey(classId: number): string {
    if (!this.#keysByClassId) this.#keysByClassId = new Map([...this.classes].map(([key, table]) => [table.classId, key]));
    return this.#keysByClassId.get(classId) ?? `class #${classId}`;
  }
  /** Made at first use: the class tables are filled once the instance exists. */
  #keysByClassId: Map<number, string> | null = null;

  /** Whether an object of class `classKey` is one of class `expected` (see `ClassDescriptor.bases`). */
  #isOfClass(classKey: string, expected: string): boolean {
    return isOfClass((key) => this.classes.get(key), classKey, expected);
  }

  /** The maker of `classKey`'s references: one per class, so that they all share one shape. */
  #factory(classKey: string): DotNetObjectFactory {
    // A class no signature mentions has no members JS could use, but is still a reference. Such
    // classes share one maker: their ids are managed code's to write, and a maker each (kept for
    // good) would let it fill the host's heap with classes while every table reads zero.
    const table = this.classes.get(classKey);
    const key = table ? classKey : UNDESCRIBED.displayName;
    let factory = this.#factories.get(key);
    if (!factory) this.#factories.set(key, (factory = dotNetObjectFactory(table ?? UNDESCRIBED, this)));
    return factory;
  }

  /**
   * A JS function that calls managed function `id` (of runtime class `type.classId`, its
   * signature's) through `call`; the same function while it lives.
   */
  wrapFunction(id: number, type: DelegateType, call: Invoker): (...args: unknown[]) => unknown {
    const make = () => (...args: unknown[]) => {
      this.checkAlive(id);
      return call(args, id);
    };
    const classKey = this.#named(functionKey(type), () => aManagedFunction(type));
    return this.#track(id, classKey, make);
  }

  /**
   * The id of the managed function `value` calls, if it is a JS function this table made and still
   * tracks, else 0. Found by identity only: a look-alike function, a Proxy of a delegate, or another
   * instance's delegate is not one.
   */
  functionIdOf(value: unknown): number {
    const state = this.#functionState(value);
    return state !== undefined && this.#isLive(state) ? state.id : 0;
  }

  /**
   * The id of the managed function `value` calls, for a parameter of function type `type`: only a
   * function this table made for a function of that very signature is one (the HTML Bridge's cast
   * back to the delegate type; a JS function never becomes a managed one).
   */
  functionId(value: unknown, type: DelegateType): number {
    const state = this.#functionState(value);
    if (state !== undefined && this.#isLive(state) && state.classKey === functionKey(type)) return state.id;
    const expected = `${aManagedFunction(type)} obtained from assembly '${this.assemblyName}'`;
    if (!state) throw this.#mismatch(expected, value);
    if (!this.#isLive(state)) throw new MarshalError(noTrackedObject(state.id));
    throw new MarshalError(`expected ${expected}, got ${this.#describe(state)}`);
  }

  /** The state of `value` if it is a JS function this table made for a managed function. */
  #functionState(value: unknown): ReferenceState | undefined {
    return typeof value === "function" ? this.#own(standIns.get(value)) : undefined;
  }

  #own(state: ReferenceState | undefined): ReferenceState | undefined {
    return state?.owner === this ? state : undefined;
  }

  /** Not disposed, and still the state its id stands for (not one a reload or release replaced). */
  #isLive(state: ReferenceState): boolean {
    return !state.disposed && this.#statesById.get(state.id) === state;
  }

  /** The key of the class of `value` if it is a live reference this table made to an object of a class of the manifest. */
  classKeyOf(value: object): string | undefined {
    const state = this.#stateOf(value);
    return state && !state.disposed && this.classes.has(state.classKey) ? state.classKey : undefined;
  }

  /** The id of a reference this table made, whatever its class (for values in calls into JS). */
  idOfAny(value: object): number {
    const state = this.#stateOf(value);
    if (!state) throw new InteropError(`This DotNetObject does not belong to assembly '${this.assemblyName}'.`);
    if (state.disposed) throw new InteropError(noTrackedObject(state.id));
    return state.id;
  }

  idOf(value: unknown, type: ObjectReferenceType): number {
    const state = this.#stateOf(value);
    if (state && !state.disposed && (state.classKey === type.class || (type.plain && this.#isOfClass(state.classKey, type.class)))) {
      return state.id;
    }
    const expected = aReferenceFor(type, this.#displayName(type.class));
    if (!state) throw this.#mismatch(`${expected} obtained from assembly '${this.assemblyName}'`, value);
    if (state.disposed) throw new MarshalError(noTrackedObject(state.id));
    throw new MarshalError(`expected ${expected}, got ${this.#describe(state)}`);
  }

  #displayName(classKey: string): string {
    return this.classes.get(classKey)?.displayName ?? classKey;
  }

  liveness(id: number): { readonly disposed: boolean } | undefined {
    return this.#statesById.get(id);
  }

  isAlive(id: number): boolean {
    return this.#statesById.get(id)?.disposed === false;
  }

  checkAlive(id: number): void {
    const last = this.#lastAlive;
    if (last !== null && last.id === id && !last.disposed) return;
    const state = this.#statesById.get(id);
    if (state?.disposed !== false) throw new InteropError(noTrackedObject(id));
    this.#lastAlive = state;
  }
  /**
   * The state {@link checkAlive} last found alive: calls on one reference come in runs. A state
   * stays valid while it is not disposed, since each one leaves the table only disposed.
   */
  #lastAlive: ReferenceState | null = null;

  /** JS disposed `id` (its `dispose()`): disposed on the managed side too. */
  dispose(id: number): void {
    this.#end(id, true);
  }

  #end(id: number, disposed: boolean): void {
    const state = this.#statesById.get(id);
    if (!state || state.disposed) return;
    const object = state.object.deref();
    if (object) this.#finalizer.unregister(object);
    this.#forget(id, disposed);
  }

  noticeFailure(id: number, error: unknown): void {
    // Managed code disposed it: the reference is dead on this side too.
    if (error instanceof Error && error.message === noTrackedObject(id)) this.dispose(id);
  }

  guard<T>(id: number, call: () => T): T {
    this.checkAlive(id);
    try {
      return call();
    } catch (error) {
      this.noticeFailure(id, error);
      throw error;
    }
  }

  noMethod(table: ClassTable, identifier: string): Error {
    return new InteropError(blazorMessages.noTypeMethod(table.displayName, identifier));
  }

  /**
   * Runs an asynchronous call on reference `id`. JavaScript may `dispose()` the reference right
   * after starting it (Blazor's documentation sample `dotnetHelper.invokeMethodAsync(…); dotnetHelper.dispose();`),
   * while the call still waits its turn: the reference is disposed for JavaScript at once, and
   * the managed object released once the calls started before the dispose have run, in order,
   * as Blazor does.
   */
  async pending<T>(id: number, call: () => Promise<T>): Promise<T> {
    this.#calls.set(id, (this.#calls.get(id) ?? 0) + 1);
    try {
      return await call();
    } finally {
      const left = this.#calls.get(id)! - 1;
      if (left > 0) this.#calls.set(id, left);
      else {
        this.#calls.delete(id);
        const disposed = this.#endAfterCalls.get(id);
        if (disposed !== undefined) {
          this.#endAfterCalls.delete(id);
          this.#endManaged(id, disposed);
        }
      }
    }
  }

  /** References JS still holds (not disposed, not yet finalized). */
  get liveCount(): number {
    return this.#statesById.size;
  }

  #forget(id: number, disposed: boolean): void {
    const state = this.#statesById.get(id);
    if (state) state.disposed = true;
    this.#statesById.delete(id);
    if (this.#calls.has(id)) this.#endAfterCalls.set(id, disposed);
    else this.#endManaged(id, disposed);
  }

  #endManaged(id: number, disposed: boolean): void {
    if (disposed) this.disposeManaged(id);
    else this.release(id);
  }
}
