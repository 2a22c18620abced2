/**
 * What the page holds for a reference a worker-hosted assembly handed out: the same members as on
 * the page's own thread, each returning a promise, since every one of them is a message to the
 * worker and back.
 *
 * | in the worker               | on the page                                                          |
 * | --------------------------- | -------------------------------------------------------------------- |
 * | `DotNetObject`              | `invokeMethodAsync`, `getProperty(name)`, `setProperty(name, value)`, `dispose()`, `id`; a `ManagedStream`'s `stream()` and `arrayBuffer()`, a `StreamSink`'s `writeStream(source)` |
 * | a delegate                  | an async function                                                    |
 * | a list view                 | `length` (a promise), `get(i)`, `set(i, value)`, `push`, `pop`, `shift`, `unshift`, `splice`, `reverse`, `indexOf`, `lastIndexOf`, `toArray`, `copy()`, `dispose()` |
 * | a dictionary view           | `get(key)`, `set(key, value)`, `has(key)`, `delete(key)`, `keys()`, `copy()`, `dispose()` |
 *
 * Synchronous members (`invokeMethod`, assigning a property) throw an error that says what to call
 * instead. Each object is frozen: nothing is added to it by mistake.
 */
import type { ArgumentsOf, METHODS, ResultOf, UntypedMethods } from "../api/facade.ts";
import type { Remote, RemoteTuple } from "../api/remote.ts";
import type { ClassDescriptor } from "../marshal/types.ts";
import type { StreamSource } from "../refs/streams.ts";
import type { Operation } from "./protocol.ts";
import { transferablesOf } from "./transfer.ts";

/** What one reference's members do: run operations on the worker's object, and release it. */
export interface ReferenceChannel {
  readonly id: number;
  run(operation: Operation, transfer?: readonly Transferable[]): Promise<unknown>;
  dispose(): void;
  /** The error a synchronous member throws. */
  syncRefused(call: string, instead: string): Error;
}

/**
 * A `DotNetObject` of the worker, as the page holds it. The generated types name its class
 * (`Remote<Counter>`: {@link TypedRemoteObject}); unnamed, it takes any method and property, and a
 * call says what it expects back (`invokeMethodAsync<number>("Add", 1)`), as `DotNet` calls do.
 */
export type RemoteObject<M = UntypedMethods, P = Record<string, unknown>, Writable extends keyof P = keyof P> = string extends keyof M
  ? UntypedRemoteObject
  : TypedRemoteObject<M, P, Writable>;

/** A worker's `DotNetObject` of no class the types know. */
export interface UntypedRemoteObject {
  readonly id: number;
  invokeMethodAsync<T = unknown>(identifier: string, ...args: unknown[]): Promise<T>;
  /** Refused, as {@link TypedRemoteObject.invokeMethod} is. */
  invokeMethod(identifier: never, ...args: unknown[]): never;
  getProperty<T = unknown>(name: string): Promise<T>;
  setProperty(name: string, value: unknown): Promise<void>;
  /** `[Symbol.dispose]` (for `using`) works too; it is left out here so the types need no `esnext.disposable` lib. */
  dispose(): void;
}

/**
 * A worker's `DotNetObject` of a class with methods `M` (as `DotNetObject<M>` has them on the
 * page's thread) and scriptable properties `P`, of which `Writable` may be set. Results and
 * arguments are what {@link Remote} makes of them.
 */
export interface TypedRemoteObject<M, P, Writable extends keyof P = keyof P> {
  readonly id: number;
  invokeMethodAsync<K extends keyof M & string>(identifier: K, ...args: RemoteTuple<ArgumentsOf<M[K]>>): Promise<Remote<Awaited<ResultOf<M[K]>>>>;
  /**
   * Refused: a synchronous call cannot wait for the worker, and throws an error that says so. Its
   * identifier is typed `never`, so that `tsc` refuses a call too: use `invokeMethodAsync`.
   */
  invokeMethod(identifier: never, ...args: unknown[]): never;
  getProperty<K extends keyof P & string>(name: K): Promise<Remote<P[K]>>;
  setProperty<K extends Writable & string>(name: K, value: Remote<P[K]>): Promise<void>;
  /** `[Symbol.dispose]` (for `using`) works too; it is left out here so the types need no `esnext.disposable` lib. */
  dispose(): void;
  /**
   * Never there: `M` as a member, so that a class's remote object is taken where one of a class it
   * extends belongs, and not the other way (TypeScript compares the generic methods above loosely).
   */
  readonly [METHODS]?: M;
}

export interface RemoteList<T = unknown> {
  readonly id: number;
  readonly length: Promise<number>;
  get(index: number): Promise<T | undefined>;
  set(index: number, value: T): Promise<void>;
  push(...items: T[]): Promise<number>;
  pop(): Promise<T | undefined>;
  shift(): Promise<T | undefined>;
  unshift(...items: T[]): Promise<number>;
  splice(start: number, count?: number, ...items: T[]): Promise<T[]>;
  reverse(): Promise<RemoteList<T>>;
  indexOf(item: T, start?: number): Promise<number>;
  lastIndexOf(item: T, start?: number): Promise<number>;
  toArray(): Promise<RemoteList<T> | null>;
  /** The by-value copy (a list view's `toJSON()`). */
  copy(): Promise<T[]>;
  dispose(): void;
}

export interface RemoteDictionary<V = unknown> {
  readonly id: number;
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  keys(): Promise<string[]>;
  copy(): Promise<Record<string, V>>;
  dispose(): void;
}

export function remoteObject(channel: ReferenceChannel, cls: ClassDescriptor | undefined, displayName: string): RemoteObject {
  const dispose = () => channel.dispose();
  const members: Record<string | symbol, unknown> = {
    id: channel.id,
    invokeMethodAsync: (identifier: string, ...args: unknown[]) =>
      channel.run({ kind: "call", member: "invokeMethodAsync", args: [identifier, ...args] }, transferablesOf(args)),
    invokeMethod(identifier: string): never {
      throw channel.syncRefused(`a synchronous call to '${identifier}' on a reference to ${displayName} (invokeMethod)`, "invokeMethodAsync");
    },
    getProperty: (name: string) => channel.run({ kind: "get", member: name }),
    setProperty: async (name: string, value: unknown) => {
      await channel.run({ kind: "set", member: name, value }, transferablesOf([value]));
    },
    dispose,
    [Symbol.dispose]: dispose,
  };
  if (cls?.stream) {
    members.arrayBuffer = () => channel.run({ kind: "call", member: "arrayBuffer", args: [] });
    // A promise of the stream, as Blazor's `DotNetStream.stream()` gives: the same one each time,
    // as the worker's own object gives (host/refs/streams.ts).
    let opened: ReadableStream<Uint8Array> | null = null;
    members.stream = async (): Promise<ReadableStream<Uint8Array>> => {
      if (opened) return opened;
      const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
      // The worker pipes the managed stream into `writable`; a failure there errors `readable`.
      channel.run({ kind: "pipe", into: writable }, [writable]).catch((error: unknown) => {
        if (!writable.locked) void writable.abort(error);
      });
      return (opened = readable);
    };
  }
  if (cls?.sink) {
    members.writeStream = async (source: StreamSource) => {
      const { value, transfer } = sendable(source);
      return channel.run({ kind: "call", member: "writeStream", args: [value] }, transfer);
    };
  }
  return Object.freeze(members) as unknown as RemoteObject;
}

export function remoteFunction(channel: ReferenceChannel): (...args: unknown[]) => Promise<unknown> {
  return (...args) => channel.run({ kind: "apply", args }, transferablesOf(args));
}

export function remoteList(channel: ReferenceChannel): RemoteList {
  const call = (member: string, args: unknown[]) => channel.run({ kind: "call", member, args }, transferablesOf(args));
  const list: RemoteList = {
    id: channel.id,
    get length() {
      return channel.run({ kind: "get", member: "length" }) as Promise<number>;
    },
    get: async (index) => channel.run({ kind: "get", member: indexKey(index) }),
    set: async (index, value) => {
      await channel.run({ kind: "set", member: indexKey(index), value }, transferablesOf([value]));
    },
    push: (...items) => call("push", items) as Promise<number>,
    pop: () => call("pop", []),
    shift: () => call("shift", []),
    unshift: (...items) => call("unshift", items) as Promise<number>,
    splice: (...args: unknown[]) => call("splice", args) as Promise<unknown[]>,
    reverse: () => call("reverse", []) as Promise<RemoteList>,
    indexOf: (...args: unknown[]) => call("indexOf", args) as Promise<number>,
    lastIndexOf: (...args: unknown[]) => call("lastIndexOf", args) as Promise<number>,
    toArray: () => call("toArray", []) as Promise<RemoteList | null>,
    copy: () => call("toJSON", []) as Promise<unknown[]>,
    dispose: () => channel.dispose(),
  };
  return Object.freeze(list);
}

export function remoteDictionary(channel: ReferenceChannel): RemoteDictionary {
  return Object.freeze({
    id: channel.id,
    get: (key: string) => channel.run({ kind: "get", member: String(key) }),
    set: async (key: string, value: unknown) => {
      await channel.run({ kind: "set", member: String(key), value }, transferablesOf([value]));
    },
    has: (key: string) => channel.run({ kind: "has", member: String(key) }) as Promise<boolean>,
    delete: (key: string) => channel.run({ kind: "delete", member: String(key) }) as Promise<boolean>,
    keys: () => channel.run({ kind: "keys" }) as Promise<string[]>,
    copy: () => channel.run({ kind: "call", member: "toJSON", args: [] }) as Promise<Record<string, unknown>>,
    dispose: () => channel.dispose(),
  });
}

/** An index as a list view takes it: a non-negative integer. */
function indexKey(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`A list index is an integer from 0 up, got ${String(index)}.`);
  return String(index);
}

/** A sink's source as it can cross: bytes and blobs are copied, streams move. */
function sendable(source: StreamSource): { value: unknown; transfer: Transferable[] } {
  if (ArrayBuffer.isView(source) || (typeof Blob === "function" && source instanceof Blob)) return { value: source, transfer: transferablesOf([source]) };
  const stream = source instanceof ReadableStream ? source : streamOf(source as AsyncIterable<ArrayBufferView | ArrayBuffer>);
  return { value: stream, transfer: [stream as unknown as Transferable] };
}

function streamOf(source: AsyncIterable<ArrayBufferView | ArrayBuffer>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) return controller.close();
      const piece = next.value;
      controller.enqueue(piece instanceof ArrayBuffer ? new Uint8Array(piece) : new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength));
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}
