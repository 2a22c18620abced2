/**
 * What the page holds of an assembly loaded with `{ worker }`, as types: `Remote<T>` turns a value
 * of type `T`, as the page would see it from an assembly on its own thread (the generated
 * `.assembly.d.ts` types), into what it sees from the worker (host/worker/remote-objects.ts):
 *
 * | on the page's thread                          | from a worker                                                  |
 * | --------------------------------------------- | -------------------------------------------------------------- |
 * | a generated class's interface                 | `RemoteObject<M, properties, writable ones>` (see below)       |
 * | a delegate `(a: A) => R`                      | `(a: Remote<A>) => Promise<Remote<R>>`                         |
 * | `ListView<E>`, `DictionaryView<V>`            | `RemoteList<Remote<E>>`, `RemoteDictionary<Remote<V>>`         |
 * | `MemoryView<T>`                               | `T`: a copy of its elements (host/worker/server.ts)            |
 * | arrays, records, structs                      | the same, with `Remote` of each element, value, field           |
 * | numbers, strings, `Date`, typed arrays, JS objects and stream data | unchanged                                 |
 *
 * A class's interface is `DotNetObject<M>` with its scriptable properties; its remote object has
 * `invokeMethodAsync`, `getProperty`, `setProperty`, `dispose()` and `id`, and a stream's `stream()`
 * and `arrayBuffer()` or a sink's `writeStream()`.
 *
 * One mapping serves both directions, since what the page got from the worker is what it passes
 * back: an argument of a class type takes the remote object (of that class, or one derived from
 * it), a delegate the remote function, a list the remote list; a `MemoryView<T>` argument a `T`.
 */
import type { JSObjectReference, JSStreamReference } from "../js/object-references.ts";
import type { DictionaryView, ListView } from "../refs/collections.ts";
import type { MemoryView } from "../refs/memory-view.ts";
import type { DotNetStream, DotNetStreamSink } from "../refs/streams.ts";
import type { RemoteDictionary, RemoteList, RemoteObject } from "../worker/remote-objects.ts";
import type { DotNetObject } from "./facade.ts";

/** `T` as the page sees it from an assembly loaded with `{ worker }` (see the file comment). */
export type Remote<T> = T extends Unchanged
  ? T
  : T extends MemoryView<infer A>
    ? A
    : T extends ListView<infer E>
      ? RemoteList<Remote<E>>
      : T extends DictionaryView<infer V>
        ? RemoteDictionary<Remote<V>>
        : T extends DotNetObject<infer M>
          ? RemoteObject<M, PropertiesOf<T>, WritableKeys<PropertiesOf<T>>> & StreamMembersOf<T>
          : T extends (...args: infer A) => infer R
            ? (...args: RemoteTuple<A>) => Promise<Remote<Awaited<R>>>
            : T extends object
              ? RemoteData<T>
              : T;

/** Every method async, as {@link Remote} says: the API of an assembly loaded with `{ worker }`. */
export type WorkerAssemblyApi<M> = { readonly [K in keyof M]: Remote<M[K]> };

/** The arguments of a method or delegate of `M` (`[a: number, b: Counter]`), as the worker takes them. */
export type RemoteTuple<A extends readonly unknown[]> = { [I in keyof A]: Remote<A[I]> };

/** What crosses the same from a worker as on the page's thread (copied, or moved). */
type Unchanged =
  | string
  | number
  | bigint
  | boolean
  | symbol
  | null
  | undefined
  | void
  | Date
  | ArrayBuffer
  | ArrayBufferView
  | Blob
  | ReadableStream
  | JSObjectReference
  | JSStreamReference;

/**
 * An array, record or struct with `Remote` of each part; the type itself where that changes nothing
 * (a struct of numbers keeps its name). A JS object (`object`) is copied as it is.
 */
type RemoteData<T extends object> = object extends T ? T : { [K in keyof T]: Remote<T[K]> } extends T ? T : { [K in keyof T]: Remote<T[K]> };

/** A generated class interface's scriptable properties: its members that are not every reference's. */
type PropertiesOf<T> = Omit<T, keyof DotNetObject<never> | keyof DotNetStream | keyof DotNetStreamSink>;

/** What a stream's or sink's reference adds (already async: the same from a worker). */
type StreamMembersOf<T> = Pick<T, Extract<keyof T, keyof DotNetStream | keyof DotNetStreamSink>>;

/** The keys of `T` that are not `readonly`: the scriptable properties JS may set. */
type WritableKeys<T> = { [K in keyof T]-?: Same<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }> extends true ? K : never }[keyof T];

/**
 * Whether `X` and `Y` are the same type, `readonly` included (assignability ignores it): two generic
 * functions compare equal only when TypeScript deems their conditional types identical.
 */
type Same<X, Y> = (<G>() => G extends X ? 1 : 2) extends <G>() => G extends Y ? 1 : 2 ? true : false;
