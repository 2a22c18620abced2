/**
 * The table of managed objects JavaScript holds by reference: Blazor's tracked objects.
 *
 * Ids count up and are never reused, so a stale, forged or foreign id can only ever miss, never
 * reach another object. An entry keeps its holder (a `DotNetObjectReference`, a delegate) and so
 * the object it wraps reachable through every collection; releasing it, from either side, lets go.
 */

const holders = new Map<u32, Object>();
/** Each entry's tracked object address, and back, so one object keeps one id. */
const targetsById = new Map<u32, usize>();
const idsByTarget = new Map<usize, u32>();
let nextId: u32 = 1;
/**
 * Counts releases, in linear memory where the host reads it without a call: a view the host reads
 * directly (a list of numbers, a memory view) trusts the address it learned only while no release
 * has happened since it last checked, and asks again otherwise.
 */
const RELEASES: usize = memory.data(4);

/** Host: where the release count is. */
export function releases(): usize {
  return RELEASES;
}

/** Tracks `holder`, which stands for the object at `target`, under a new id. */
export function track(holder: Object, target: usize): u32 {
  const id = nextId++;
  holders.set(id, holder);
  targetsById.set(id, target);
  idsByTarget.set(target, id);
  return id;
}

/** The id the object at `target` is tracked under, tracking it (as `holder`) first if it is not. */
export function trackOnce(holder: Object, target: usize): u32 {
  const known = trackedId(target);
  // Only if `holder` is what that id holds: a DotNetObjectReference of the same object has its own,
  // and a function called through it would read the reference as a function (its id as a table index).
  return known != 0 && holders.get(known) === holder ? known : track(holder, target);
}

/** The id the object at `target` is tracked under, or 0. */
export function trackedId(target: usize): u32 {
  return idsByTarget.has(target) ? idsByTarget.get(target) : 0;
}

/** The holder already tracked for the object at `target`, or null. */
export function holderOf(target: usize): Object | null {
  return idsByTarget.has(target) ? holders.get(idsByTarget.get(target)) : null;
}

/** The tracked object `id` as a `T`; aborts, naming it `what`, otherwise. */
export function holderAs<T>(id: u32, what: string = nameof<T>()): T {
  return checkedAs<T>(holder(id), id, what);
}

/** Whether `id` is tracked, as a `T`. */
export function holderIs<T>(id: u32): bool {
  return holders.has(id) && holders.get(id) instanceof T;
}

/** `object` (what JS refers to as `id`) as a `T`; aborts, naming it `what`, otherwise. */
export function checkedAs<T>(object: Object, id: u32, what: string = nameof<T>()): T {
  if (!(object instanceof T)) throw new Error(notA(id, what));
  return changetype<T>(object);
}

/**
 * What a call says of a tracked object that is not what it expects. A generic holder names its type
 * argument (`Task<string>`): its check builds that name on failure, not on every call. (A message,
 * not an Error: `throw` passes the host a message only from a `new Error(…)` written in place.)
 */
export function notA(id: u32, what: string): string {
  return `The tracked object with id '${id}' is not a ${what}.`;
}

export function isTracked(id: u32): bool {
  return holders.has(id);
}

/** Stops tracking `id`; releasing twice (both sides may) is not an error. */
export function release(id: u32): void {
  if (!holders.has(id)) return;
  if (id == lastId) lastHolder = null;
  const target = targetsById.get(id);
  holders.delete(id);
  targetsById.delete(id);
  if (idsByTarget.get(target) == id) idsByTarget.delete(target);
  store<u32>(RELEASES, load<u32>(RELEASES) + 1);
}

export function trackedCount(): i32 {
  return holders.size;
}

/**
 * The holder last found by {@link holder}: calls on one object tend to come in runs (a component's
 * helper, a loop over one reference), and each would otherwise hash its id twice. Ids are never
 * reused, and `release` forgets it.
 */
let lastId: u32 = 0;
let lastHolder: Object | null = null;

/** The holder tracked as `id`. The message is Blazor's. */
@inline export function holder(id: u32): Object {
  return id == lastId && lastHolder !== null ? changetype<Object>(lastHolder) : lookUpHolder(id);
}

function lookUpHolder(id: u32): Object {
  if (!holders.has(id)) {
    throw new Error(
      `There is no tracked object with id '${id}'. Perhaps the DotNetObjectReference instance was already disposed.`,
    );
  }
  const found = holders.get(id);
  lastId = id;
  lastHolder = found;
  return found;
}
