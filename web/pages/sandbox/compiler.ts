/**
 * The page's handle on the compiler worker. The worker is started once, on first use, and kept
 * for the whole visit: loading the compiler takes seconds, a compile then takes a fraction of one.
 */
import type { CompileResponse, CompilerMessage } from "./protocol.ts";

export class SandboxCompiler {
  #worker: Worker | null = null;
  #ready: Promise<void> | null = null;
  readonly #pending = new Map<number, { resolve: (response: CompileResponse) => void; reject: (error: Error) => void }>();
  #nextId = 1;

  /** Starts the worker if needed; resolves once the compiler has loaded. */
  ready(): Promise<void> {
    if (this.#ready) return this.#ready;
    const worker = new Worker(new URL("./compiler.worker.ts", import.meta.url), { type: "module", name: "as-interop compiler" });
    this.#worker = worker;
    this.#ready = new Promise((resolve, reject) => {
      worker.addEventListener("message", (event: MessageEvent<CompilerMessage>) => {
        const message = event.data;
        if (message.type === "ready") return resolve();
        const pending = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        pending?.resolve(message);
      });
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        const error = new Error(`The compiler worker failed: ${event.message ?? "it could not be loaded"}`);
        for (const { reject: fail } of this.#pending.values()) fail(error);
        this.#pending.clear();
        this.#worker = null;
        this.#ready = null;
        worker.terminate();
        reject(error);
      });
    });
    return this.#ready;
  }

  async compile(source: string, assemblyName: string, optimize = false): Promise<CompileResponse> {
    await this.ready();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker!.postMessage({ id, source, assemblyName, optimize });
    });
  }
}

/** One compiler for the page, shared by every visit to the sandbox. */
export const sandboxCompiler = new SandboxCompiler();
