/**
 * Moving buffers to and from a worker without copying them.
 *
 * Arguments are copied (structured clone) unless the caller marks them, as with Comlink:
 *
 *   await DotNet.invokeMethodAsync("Images", "Process", transfer(bytes, [bytes.buffer]));
 *
 * and then `bytes.buffer` moves to the worker: it is detached (empty) on the page afterwards.
 * Results need no mark: the typed arrays a worker's call returns are copies out of its memory that
 * nothing else holds, so they always move back. An `ArrayBuffer` a call returns moves back too (say,
 * one managed code took as a `JSObject` and hands back): it is gone from the worker, and so is the
 * handle managed code had for it.
 */

const marked = new WeakMap<object, readonly Transferable[]>();

/**
 * Returns `value`, marked so that when it is an argument of a call to a worker-hosted assembly (or
 * the value a page function returns to one), `transferables` move to the worker instead of being
 * copied. They become unusable here.
 */
export function transfer<T>(value: T, transferables: readonly Transferable[]): T {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) {
    throw new TypeError("transfer() marks an object (the argument itself, which holds the buffers): wrap the object, not a primitive.");
  }
  marked.set(value, transferables);
  return value;
}

/** What the marked values among `values` move (none when nothing is marked). */
export function transferablesOf(values: readonly unknown[]): Transferable[] {
  let found: Transferable[] | null = null;
  for (const value of values) {
    if ((typeof value !== "object" && typeof value !== "function") || value === null) continue;
    const list = marked.get(value);
    if (list) (found ??= []).push(...list);
  }
  return found ?? NONE;
}

const NONE: Transferable[] = [];

/** The buffers of `views`, once each, leaving out shared memory and buffers already detached. */
export function movableBuffers(views: Iterable<ArrayBufferView | ArrayBuffer>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const item of views) {
    const buffer = item instanceof ArrayBuffer ? item : item.buffer;
    if (buffer instanceof ArrayBuffer && buffer.byteLength > 0) buffers.add(buffer);
  }
  return [...buffers];
}
