/**
 * The page's side of references a worker-hosted assembly handed out (exported-references.ts is the
 * worker's): one proxy per id while it lives (remote-objects.ts), `dispose()`, and a
 * `FinalizationRegistry` that tells the worker when the page dropped one, with how many times the
 * page received it. Only proxies of this table are accepted back as arguments, each for the type it
 * was made for; a disposed one fails with Blazor's message.
 */
import { mismatch, MarshalError } from "../marshal/errors.ts";
import { isOfClass, shortName, typeKey, typeName, type Manifest } from "../marshal/types.ts";
import { aManagedFunction, aReferenceFor, functionKey, noTrackedObject } from "../refs/references.ts";
import { InteropError } from "../runtime/errors.ts";
import type { Operation } from "./protocol.ts";
import { remoteDictionary, remoteFunction, remoteList, remoteObject, type ReferenceChannel } from "./remote-objects.ts";
import { receivedReference, type ReferenceType } from "./reference-values.ts";

interface RemoteState {
  readonly id: number;
  readonly type: ReferenceType;
  readonly key: string;
  readonly proxy: WeakRef<object>;
  /** Times the worker sent this id and this proxy stood for it. */
  received: number;
  disposed: boolean;
}

/** What the table needs from its connection to the worker. */
export interface RemoteOwner {
  readonly assemblyName: string;
  readonly manifest: Manifest;
  operate(id: number, type: ReferenceType, operation: Operation, transfer: readonly Transferable[]): Promise<unknown>;
  release(id: number, count: number, dispose: boolean): void;
  syncRefused(call: string, instead: string): Error;
}

export class RemoteReferences {
  readonly #byId = new Map<number, RemoteState>();
  readonly #states = new WeakMap<object, RemoteState>();
  #retired: Error | null = null;
  readonly #finalizer = new FinalizationRegistry<RemoteState>((state) => {
    if (this.#byId.get(state.id) !== state) return;
    this.#byId.delete(state.id);
    if (!this.#retired) this.owner.release(state.id, state.received, false);
  });

  constructor(private readonly owner: RemoteOwner) {}

  /**
   * The page's proxy for the worker's reference `sent` (its id, or its id and its class: see
   * reference-values.ts) in a value of `declared`: the same one while it lives.
   */
  wrap(sent: unknown, declared: ReferenceType): object {
    const { id, type } = receivedReference(sent, declared, (key, expected) => this.#isOfClass(key, expected));
    const known = this.#byId.get(id);
    const existing = known?.proxy.deref();
    if (known && existing) {
      ++known.received;
      return existing;
    }
    let state: RemoteState | null = null;
    const channel: ReferenceChannel = {
      id,
      run: (operation, transfer = []) => this.#run(state!, operation, transfer),
      dispose: () => this.#dispose(state!),
      syncRefused: (call, instead) => this.owner.syncRefused(call, instead),
    };
    const proxy = this.#make(channel, type);
    // A proxy collected but not yet finalized hands its count over: its finalizer will find it replaced.
    const received = (known?.received ?? 0) + 1;
    state = { id, type, key: keyOf(type), proxy: new WeakRef(proxy), received, disposed: false };
    this.#byId.set(id, state);
    this.#states.set(proxy, state);
    this.#finalizer.register(proxy, state, proxy);
    return proxy;
  }

  #make(channel: ReferenceChannel, type: ReferenceType): object {
    switch (type.kind) {
      case "objectref": {
        const cls = this.owner.manifest.classes[type.class];
        return remoteObject(channel, cls, cls?.displayName ?? type.class);
      }
      case "delegate":
        return remoteFunction(channel);
      case "listref":
        return remoteList(channel);
      case "dictref":
        return remoteDictionary(channel);
    }
  }

  /**
   * The worker's id for a proxy passed back as a value of `type` (a `MarshalError` for anything
   * else): made for that type, or for a plain `objectref` also for a class derived from its class.
   */
  idOf(value: unknown, type: ReferenceType): number {
    const state = (typeof value === "object" || typeof value === "function") && value !== null ? this.#states.get(value) : undefined;
    const fits =
      state !== undefined &&
      (state.key === keyOf(type) ||
        (type.kind === "objectref" && type.plain && state.type.kind === "objectref" && this.#isOfClass(state.type.class, type.class)));
    if (!fits) {
      // A proxy of a managed object, of another class: named by it, as the page's own references are.
      if (state?.type.kind === "objectref") throw new MarshalError(`expected ${this.#expected(type)}, got a ${typeName({ ...state.type, nullable: false })}`);
      throw mismatch(`${this.#expected(type)} obtained from assembly '${this.owner.assemblyName}'`, value);
    }
    if (this.#retired) throw this.#retired;
    if (state.disposed) throw new MarshalError(noTrackedObject(state.id));
    return state.id;
  }

  /** Whether an object of class `key` is one of class `expected` (see `ClassDescriptor.bases`). */
  #isOfClass(key: string, expected: string): boolean {
    const classes = this.owner.manifest.classes;
    return isOfClass((k) => (Object.hasOwn(classes, k) ? classes[k] : undefined), key, expected);
  }

  /** What a value of `type` takes, as messages name it. */
  #expected(type: ReferenceType): string {
    if (type.kind === "delegate") return aManagedFunction(type);
    if (type.kind !== "objectref") return `a ${typeName({ ...type, nullable: false })}`;
    return aReferenceFor(type, this.owner.manifest.classes[type.class]?.displayName ?? shortName(type.class));
  }

  #run(state: RemoteState, operation: Operation, transfer: readonly Transferable[]): Promise<unknown> {
    if (this.#retired) return Promise.reject(this.#retired);
    if (state.disposed) return Promise.reject(new InteropError(noTrackedObject(state.id)));
    return this.owner.operate(state.id, state.type, operation, transfer).catch((error: unknown) => {
      // Managed code disposed it: the reference is dead here too.
      if (error instanceof Error && error.message === noTrackedObject(state.id)) this.#dispose(state);
      throw error;
    });
  }

  #dispose(state: RemoteState): void {
    if (state.disposed) return;
    state.disposed = true;
    const proxy = state.proxy.deref();
    if (proxy) this.#finalizer.unregister(proxy);
    if (this.#byId.get(state.id) === state) this.#byId.delete(state.id);
    if (!this.#retired) this.owner.release(state.id, state.received, true);
  }

  /** The worker is gone (reloaded, unloaded, poisoned): every proxy fails with `error` from now on. */
  retire(error: Error): void {
    this.#retired ??= error;
    this.#byId.clear();
  }

  /** Proxies the page holds (not disposed, not yet finalized). */
  get liveCount(): number {
    return this.#byId.size;
  }
}

/** Proxies are told apart by the exact type they were made for (nullability aside), functions as on the page. */
function keyOf(type: ReferenceType): string {
  if (type.kind === "delegate") return functionKey(type);
  return type.kind === "objectref" ? `object:${type.class}` : typeKey(type);
}
