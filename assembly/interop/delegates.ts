import { holder, isTracked, notA, trackOnce } from "./objects";

/** Where a managed object's runtime class id is, before its address (the runtime's header: …, rtId, rtSize). */
const RT_ID_BEFORE_OBJECT: usize = 8;

/**
 * Managed functions handed to JavaScript (the HTML Bridge's delegates): JS gets a real function,
 * which calls back through a generated invoker with the id tracked here.
 */
export function trackFunction<T>(fn: T): u32 {
  const address = changetype<usize>(fn);
  if (address == 0) return 0;
  return trackOnce(changetype<Object>(fn), address);
}

/** The function tracked as `id`; JS only ever gets ids through functions made for their type. */
export function functionOf<T>(id: u32): T {
  return changetype<T>(holder(id));
}

/**
 * The runtime class of a managed function object: `Function<F>` of its signature, as the compiler
 * numbered it for the manifest (`idof` of a function type names the signature, not this class).
 */
export function functionClassOf<T>(fn: T): u32 {
  return load<u32>(changetype<usize>(fn) - RT_ID_BEFORE_OBJECT);
}

/**
 * The function tracked as `id` if it is of function type `T`, else null: the cast of the HTML
 * Bridge's `ManagedObject` back to the delegate type, where a function of another signature would
 * be an `InvalidCastException`. A function object's class is `Function<T>` of its signature
 * (parameter names aside), so its header says which signature it has.
 */
export function functionAs<T>(id: u32): T | null {
  if (!isFunction<T>()) ERROR("functionAs<T>: T must be a function type, such as (a: i32) => void");
  if (id == 0 || !isTracked(id)) return null;
  const fn = holder(id);
  if (functionClassOf<Object>(fn) != idof<Function<T>>()) return null;
  return changetype<T>(fn);
}

/**
 * A function-typed parameter's value: the function JS gave back, which the host checked is one of
 * this instance's delegates, of this type (0 is null). Checked here too, by its class, so that no id
 * is ever taken for a function of another signature; `what` is the type as the parameter writes it.
 */
export function castFunction<T>(id: u32, what: string): T {
  if (id == 0) {
    if (isNullable<T>()) return changetype<T>(0);
    throw new Error(`A null function was passed where a ${what} is expected.`);
  }
  const fn = functionAs<NonNullable<T>>(id);
  if (fn === null) throw new Error(notA(id, what));
  return changetype<T>(fn);
}
