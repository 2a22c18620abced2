/**
 * Assemblies in a worker (issue 18), in Node's `worker_threads`:
 *
 *   round trip: add(i32, i32)   `invokeMethodAsync` to an assembly loaded with { worker }, against
 *                               the same call to one on this thread (`in-thread`) and a hand-written
 *                               postMessage round trip to a bare worker (`postMessage`: the floor
 *                               any worker-hosted call stands on)
 *   ArrayBuffer transferred     a 1, 64, 128 and 512 MiB buffer marked with transfer(),
 *                               received by managed code as a JSObject handle and handed back, so it
 *                               moves both ways; the floor is the same buffer moved to a bare worker
 *                               and back. The sizes should cost the same: nothing is copied. 64 MiB
 *                               is the largest below V8's external-memory soft limit (64 MB since the
 *                               last collection): from 128 MiB on, every arrival starts a collection
 *                               in the isolate it arrives in, the floor's as ours.
 */
import { Worker } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { compile } from "../../host/compiler/compile.ts";
import { InteropRuntime, transfer } from "../../host/runtime/index.ts";
import type { Scenario } from "../harness.ts";

const NAME = "BenchWorker";
const MiB = 2 ** 20;

/** The floor: a bare worker that adds, or sends a buffer straight back, by message. */
const BARE_WORKER = `
const { parentPort } = require("node:worker_threads");
parentPort.on("message", (m) => {
  if (m.buffer) parentPort.postMessage({ id: m.id, buffer: m.buffer }, [m.buffer]);
  else parentPort.postMessage({ id: m.id, value: m.a + m.b });
});`;

class BareWorker {
  readonly #worker = new Worker(BARE_WORKER, { eval: true });
  readonly #pending = new Map<number, (value: { value?: number; buffer?: ArrayBuffer }) => void>();
  #nextId = 1;

  constructor() {
    this.#worker.on("message", (message: { id: number; value?: number; buffer?: ArrayBuffer }) => {
      const resolve = this.#pending.get(message.id)!;
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) this.#worker.unref();
      resolve(message);
    });
    // Held (keeping the process alive) only while a reply is awaited, as as-interop's workers are.
    // After the listener: adding a "message" listener refs the worker's port again.
    this.#worker.unref();
  }

  #send(message: object, transferList: ArrayBuffer[] = []): Promise<{ value?: number; buffer?: ArrayBuffer }> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, resolve);
      this.#worker.postMessage({ id, ...message }, transferList);
    });
  }

  async add(a: number, b: number): Promise<number> {
    return (await this.#send({ a, b })).value!;
  }

  async bounce(buffer: ArrayBuffer): Promise<ArrayBuffer> {
    return (await this.#send({ buffer }, [buffer])).buffer!;
  }
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

export async function workerScenarios(): Promise<Scenario[]> {
  const { binary } = await compile({ entry: "bench/assembly/worker.ts", baseDir: fileURLToPath(new URL("../..", import.meta.url)), optimize: true });
  const module = await WebAssembly.compile(binary as Uint8Array<ArrayBuffer>);
  const here = new InteropRuntime();
  await here.loadAssembly(module, { name: NAME });
  const there = new InteropRuntime();
  await there.loadAssembly(module, { name: NAME, worker: true });
  const bare = new BareWorker();

  const add: Scenario<(a: number, b: number) => Promise<number>> = {
    name: "worker round trip: add(i32, i32)",
    args: [2, 40],
    async: true,
    baseline: "postMessage",
    impls: [
      { impl: "postMessage", fn: (a, b) => bare.add(a, b) },
      { impl: "in-thread", fn: (a, b) => here.invokeMethodAsync<number>(NAME, "add", a, b) },
      { impl: "worker", fn: (a, b) => there.invokeMethodAsync<number>(NAME, "add", a, b) },
    ],
    async check(fn) {
      expectEqual(await fn(2, 40), 42, "add(2, 40)");
    },
  };

  const bounce = (size: number): Scenario<() => Promise<number>> => {
    // Each implementation moves its own buffer back and forth: what comes back is sent next.
    let floor = new ArrayBuffer(size);
    let interop = new ArrayBuffer(size);
    return {
      name: `worker: ${size / MiB} MiB ArrayBuffer transferred in and back`,
      args: [],
      async: true,
      baseline: "postMessage",
      overhead: "worker",
      initialCalls: 10,
      impls: [
        {
          impl: "postMessage",
          fn: async () => {
            floor = await bare.bounce(floor);
            return floor.byteLength;
          },
        },
        {
          impl: "worker",
          fn: async () => {
            interop = await there.invokeMethodAsync<ArrayBuffer>(NAME, "bounce", transfer(interop, [interop]));
            return interop.byteLength;
          },
        },
      ],
      async check(fn) {
        expectEqual(await fn(), size, "the buffer's size after its round trip");
      },
    };
  };

  return [add, bounce(MiB), bounce(64 * MiB), bounce(128 * MiB), bounce(512 * MiB)];
}
