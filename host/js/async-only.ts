/**
 * JS functions managed code may call only where it awaits their promise (`JSRuntime.invokeAsync`,
 * a `@jsImport` with a `Task<T>` result, `invokeAwait`): the page functions granted to an assembly
 * in a worker (host/worker/grants.ts). A synchronous call cannot wait for another thread, so it is
 * refused with the reason, rather than handing managed code a promise it cannot read.
 */
const reasons = new WeakMap<Function, string>();
/** Whether any function was marked: only a worker's granted page functions are, so most threads never look. */
let anyMarked = false;

export function markAsyncOnly(fn: Function, reason: string): void {
  anyMarked = true;
  reasons.set(fn, reason);
}

/** Why `fn` cannot be called synchronously, or undefined when it can. */
export function asyncOnlyReason(fn: Function): string | undefined {
  return anyMarked ? reasons.get(fn) : undefined;
}
