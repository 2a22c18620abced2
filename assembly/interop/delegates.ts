import { holder, trackOnce } from "./objects";

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
