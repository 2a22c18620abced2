// The worker scenarios (scenarios/worker.ts): an assembly loaded with { worker } (issue 18).
import { JSObject } from "as-interop/assembly/interop";

@jsInvokable export function add(a: i32, b: i32): i32 { return a + b; }

/**
 * Takes a buffer as a handle (it stays a JS object in the worker: nothing is copied into linear
 * memory), reads its size and hands it back, so that it moves back to the caller.
 */
@jsInvokable export function bounce(buffer: JSObject): JSObject {
  if (buffer.getProperty<f64>("byteLength") < 0) unreachable();
  return buffer;
}
