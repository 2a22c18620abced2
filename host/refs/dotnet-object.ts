/**
 * The JS object that stands for a managed object held by reference (Blazor's JS `DotNetObject`):
 * `invokeMethod(identifier, ...args)`, `invokeMethodAsync(...)`, `dispose()` and
 * `[Symbol.dispose]`, plus one property per `@scriptableMember` field (the HTML Bridge's scriptable
 * members), read and written through the marshaling table. Anything else reads as `undefined` and
 * refuses to be written, so a typo never silently creates a JS-only property.
 */
import type { AsyncInvoker, Invoker } from "../runtime/invoker.ts";
import { invariantTraps } from "./collections.ts";
import { sinkMembers, streamMembers, type StreamCalls } from "./streams.ts";

/** What JS can do with one class's objects, built once per class at load. */
export interface ClassTable {
  readonly displayName: string;
  /** Set when the class is a `ManagedStream` (JS reads it) or a `StreamSink` (JS writes to it). */
  readonly stream: StreamCalls | null;
  readonly sink: StreamCalls | null;
  readonly methods: ReadonlyMap<string, { readonly invoke: Invoker; readonly invokeAsync: AsyncInvoker }>;
  readonly properties: ReadonlyMap<string, { readonly get: Invoker; readonly set: Invoker | null }>;
}

/** The operations a reference needs from its assembly's reference table. */
export interface ReferenceOwner {
  /** Throws Blazor's "no tracked object" error once `id` is disposed. */
  checkAlive(id: number): void;
  isAlive(id: number): boolean;
  dispose(id: number): void;
  noMethod(table: ClassTable, identifier: string): Error;
  /** Learns from a failed call, e.g. that managed code disposed the object. */
  noticeFailure(id: number, error: unknown): void;
  /** Runs a call on `id`: it must be alive, and a failure may reveal it was disposed. */
  guard<T>(id: number, call: () => T): T;
  /** Runs an asynchronous call on `id`; a `dispose()` meanwhile releases the object only after it. */
  pending<T>(id: number, call: () => Promise<T>): Promise<T>;
}

const DOTNET_OBJECTS = new WeakSet<object>();

/** `value instanceof DotNetObject` tells a reference from any other object. */
export class DotNetObject {
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && DOTNET_OBJECTS.has(value);
  }
}

export function createDotNetObject(id: number, table: ClassTable, owner: ReferenceOwner): DotNetObject {
  const method = (identifier: string) => {
    owner.checkAlive(id);
    const found = table.methods.get(identifier);
    if (!found) throw owner.noMethod(table, identifier);
    return found;
  };
  const guard = <T>(call: () => T): T => owner.guard(id, call);
  const invoke = (identifier: string, args: unknown[]): unknown => {
    const { invoke } = method(identifier);
    return guard(() => invoke(args, id));
  };
  const invokeAsync = async (identifier: string, args: unknown[]): Promise<unknown> => {
    try {
      const found = method(identifier);
      return await owner.pending(id, () => found.invokeAsync(args, id));
    } catch (error) {
      owner.noticeFailure(id, error);
      throw error;
    }
  };
  const dispose = (): void => owner.dispose(id);
  const members = {
    invokeMethod: (identifier: string, ...args: unknown[]) => invoke(identifier, args),
    invokeMethodAsync: (identifier: string, ...args: unknown[]) => invokeAsync(identifier, args),
    dispose,
    [Symbol.dispose]: dispose,
    /** The id the managed side tracks the object by (as Blazor's `_id`). */
    id,
    ...(table.stream && streamMembers(id, table.stream, guard)),
    ...(table.sink && sinkMembers(id, table.sink, guard)),
  };
  // Not enumerable, so Object.keys and spreading list the scriptable members only, as for a dictionary.
  const descriptors = Object.getOwnPropertyDescriptors(members) as PropertyDescriptorMap;
  for (const descriptor of Reflect.ownKeys(descriptors)) descriptors[descriptor as string].enumerable = false;
  const target = Object.create(DotNetObject.prototype, descriptors) as object;

  const scriptable = (key: string | symbol) => (typeof key === "string" ? table.properties.get(key) : undefined);
  const proxy = new Proxy(target, {
    get(target, key) {
      const property = scriptable(key);
      if (property) return guard(() => property.get([], id));
      return Reflect.get(target, key);
    },
    set(_target, key, value) {
      const property = scriptable(key);
      if (!property) {
        throw new TypeError(
          `'${String(key)}' is not a scriptable member of ${table.displayName}; only its @scriptableMember fields can be set.`,
        );
      }
      if (!property.set) throw new TypeError(`'${String(key)}' of ${table.displayName} is read-only.`);
      const set = property.set;
      guard(() => set([value], id));
      return true;
    },
    has(target, key) {
      return scriptable(key) !== undefined || Reflect.has(target, key);
    },
    // A disposed reference has no members left to list (so inspecting it never throws).
    ownKeys(target) {
      return [...(owner.isAlive(id) ? table.properties.keys() : []), ...Reflect.ownKeys(target)];
    },
    getOwnPropertyDescriptor(target, key) {
      const property = scriptable(key);
      if (!property || !owner.isAlive(id)) return Reflect.getOwnPropertyDescriptor(target, key);
      return { value: property.get([], id), enumerable: true, configurable: true, writable: property.set !== null };
    },
    defineProperty(_target, key) {
      throw new TypeError(`Cannot define '${String(key)}' on a reference to ${table.displayName}.`);
    },
    deleteProperty(_target, key) {
      throw new TypeError(`Cannot delete '${String(key)}' from a reference to ${table.displayName}.`);
    },
    ...invariantTraps(`a reference to ${table.displayName}`),
  });
  DOTNET_OBJECTS.add(proxy);
  return proxy as DotNetObject;
}
