/**
 * The page's handle on the compiler worker. The worker is started once, as early as the page
 * expects a compile (the sandbox opening, a hover on its link), and kept for the whole visit:
 * loading the compiler takes seconds, a compile then takes a fraction of one. Its files are
 * content-hashed and served to be cached for good, so a second visit reads them from the browser's
 * cache; and each successful compile is kept in the Cache API under the hash of its source and of
 * the compiler, so compiling the same text again on a later visit needs no compiler at all.
 */
import { compilerVersion } from "virtual:sandbox-compiler-version";
import type { CompileRequest, CompileResponse, CompilerMessage, LoadProgress } from "./protocol.ts";

type CompiledResponse = Extract<CompileResponse, { ok: true }>;

export interface LoadState extends LoadProgress {
  readonly done: boolean;
  /** The compiler's size on the previous visit: what the bytes count towards (null on a first visit). */
  readonly expectedBytes: number | null;
  /** How long loading took, once done. */
  readonly ms?: number;
}

const EXPECTED_BYTES_KEY = "as-interop-demo:compiler-bytes";
const CACHE_NAME = "as-interop-sandbox-compiles";
/** Compiles kept; the oldest go first. */
const CACHE_LIMIT = 50;

export class SandboxCompiler {
  #worker: Worker | null = null;
  #ready: Promise<void> | null = null;
  readonly #pending = new Map<number, (response: CompileResponse) => void>();
  readonly #progress = new Set<(state: LoadState) => void>();
  #state: LoadState | null = null;
  #nextId = 1;

  /** Starts the worker if needed; resolves once the compiler has loaded. */
  ready(): Promise<void> {
    if (this.#ready) return this.#ready;
    const expectedBytes = Number(localStorage.getItem(EXPECTED_BYTES_KEY)) || null;
    const worker = new Worker(new URL("./compiler.worker.ts", import.meta.url), { type: "module", name: "as-interop compiler" });
    this.#worker = worker;
    this.#report({ bytes: 0, files: 0, transferred: 0, done: false, expectedBytes });
    this.#ready = new Promise((resolve, reject) => {
      const fail = (message: string) => {
        const error = new Error(message);
        this.#worker = null;
        this.#ready = null;
        worker.terminate();
        for (const settle of this.#pending.values()) settle({ id: 0, ok: false, ms: 0, diagnostics: [{ category: "error", code: 0, message }] });
        this.#pending.clear();
        reject(error);
      };
      worker.addEventListener("message", (event: MessageEvent<CompilerMessage>) => {
        const message = event.data;
        switch (message.type) {
          case "progress":
            return this.#report({ ...message, done: false, expectedBytes });
          case "ready":
            localStorage.setItem(EXPECTED_BYTES_KEY, String(message.bytes));
            this.#report({ bytes: message.bytes, files: this.#state?.files ?? 0, transferred: message.transferred, done: true, expectedBytes, ms: message.ms });
            return resolve();
          case "failed":
            return fail(message.message);
          case "compiled": {
            const settle = this.#pending.get(message.id);
            this.#pending.delete(message.id);
            const { type: _, ...response } = message;
            return settle?.(response);
          }
        }
      });
      worker.addEventListener("error", (event) => {
        event.preventDefault();
        fail(`The compiler worker failed: ${event.message || "it could not be loaded"}`);
      });
    });
    return this.#ready;
  }

  /** Calls `listener` with the loading progress now (if loading started) and at every step. */
  onProgress(listener: (state: LoadState) => void): () => void {
    this.#progress.add(listener);
    if (this.#state) listener(this.#state);
    return () => this.#progress.delete(listener);
  }

  get loaded(): boolean {
    return this.#state?.done ?? false;
  }

  async compile(source: string, assemblyName: string, optimize = false): Promise<CompileResponse> {
    const key = await cacheKey(source, assemblyName, optimize);
    const cached = await readCache(key);
    if (cached) return cached;
    await this.ready();
    const id = this.#nextId++;
    const response = await new Promise<CompileResponse>((resolve) => {
      this.#pending.set(id, resolve);
      this.#worker!.postMessage({ id, source, assemblyName, optimize } satisfies CompileRequest);
    });
    if (response.ok) await writeCache(key, response);
    return response;
  }

  #report(state: LoadState): void {
    this.#state = state;
    for (const listener of this.#progress) listener(state);
  }
}

async function cacheKey(source: string, assemblyName: string, optimize: boolean): Promise<Request> {
  const text = JSON.stringify([compilerVersion, assemblyName, optimize, source]);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  const hex = Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
  // Never fetched: the Cache API only wants a URL of this origin to file the response under.
  return new Request(new URL(`/__sandbox-compile/${hex}`, location.origin));
}

/** The Cache API exists only in secure contexts (https, localhost); elsewhere nothing is cached. */
const available = () => typeof caches !== "undefined";

async function readCache(key: Request): Promise<CompiledResponse | null> {
  if (!available()) return null;
  const response = await (await caches.open(CACHE_NAME)).match(key);
  if (!response) return null;
  const { methods, warnings } = JSON.parse(response.headers.get("x-compile") ?? "{}") as Pick<CompiledResponse, "methods" | "warnings">;
  const started = performance.now();
  const binary = new Uint8Array(await response.arrayBuffer());
  return { id: 0, ok: true, ms: performance.now() - started, binary, methods, warnings, cached: true };
}

async function writeCache(key: Request, { binary, methods, warnings }: CompiledResponse): Promise<void> {
  if (!available()) return;
  const headers = { "content-type": "application/wasm", "x-compile": JSON.stringify({ methods, warnings }) };
  const cache = await caches.open(CACHE_NAME);
  // A copy: the page keeps the binary it was given.
  await cache.put(key, new Response(binary.slice(), { headers }));
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - CACHE_LIMIT))) await cache.delete(old);
}

/** One compiler for the page, shared by every visit to the sandbox and by the explorer. */
export const sandboxCompiler = new SandboxCompiler();
