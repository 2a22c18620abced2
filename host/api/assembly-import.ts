/**
 * The run-time half of a `?assembly` import (host/vite writes the other half): the `load`, `api`
 * and `syncApi` the imported module exports next to the wasm's URL, and, in dev, how a recompiled
 * assembly replaces the loaded one: at once in a page (`hotReload`), or at the next `load()` where
 * the new module is run again without a hot update (server-side rendering's `ssrLoadModule`).
 */
import { defaultRuntime, type AssemblySource, type HostingOptions, type InteropRuntime, type WorkerOptions } from "../runtime/index.ts";
import {
  assemblyApi,
  syncAssemblyApi,
  type ApiTarget,
  type AssemblyApi,
  type SyncAssemblyApi,
  type UntypedMethods,
} from "./facade.ts";
import type { WorkerAssemblyApi } from "./remote.ts";

export interface LoadOptions extends HostingOptions {
  /** Default: the shared runtime behind the module-level `DotNet` and `loadAssembly`. */
  readonly runtime?: InteropRuntime;
}

/**
 * `load()` resolves to the typed API; with `{ int64: "bigint" }`, 64-bit results are typed as
 * bigints. With `{ worker }`, to the worker's API: references, delegates and views come back as
 * remote objects whose members return promises (see `Remote`, host/api/remote.ts). Where that is
 * decided at run time (`worker: import.meta.env.PROD`, an `int64` from settings), to either.
 */
export interface LoadAssembly<M, MBigInt = M> {
  (options: LoadOptions & { readonly worker: true | WorkerOptions; readonly int64?: "number" }): Promise<WorkerAssemblyApi<M>>;
  (options: LoadOptions & { readonly worker: true | WorkerOptions; readonly int64: "bigint" }): Promise<WorkerAssemblyApi<MBigInt>>;
  (options?: LoadOptions & { readonly worker?: false; readonly int64?: "number" }): Promise<AssemblyApi<M>>;
  (options: LoadOptions & { readonly worker?: false; readonly int64: "bigint" }): Promise<AssemblyApi<MBigInt>>;
  (options: LoadOptions & { readonly int64?: "number" }): Promise<AssemblyApi<M> | WorkerAssemblyApi<M>>;
  (options: LoadOptions): Promise<AssemblyApi<M> | WorkerAssemblyApi<M> | AssemblyApi<MBigInt> | WorkerAssemblyApi<MBigInt>>;
}

export type ApiFactory<M> = (target?: ApiTarget) => AssemblyApi<M>;
export type SyncApiFactory<M> = (target?: ApiTarget) => SyncAssemblyApi<M>;

export interface AssemblyImport<M = UntypedMethods> {
  readonly load: LoadAssembly<M>;
  readonly api: ApiFactory<M>;
  readonly syncApi: SyncApiFactory<M>;
}

/** One loaded copy of an imported assembly, remembered so that a recompiled one is loaded alike. */
interface LoadedCopy {
  readonly runtime: InteropRuntime;
  readonly name: string;
  readonly options: HostingOptions;
  /** The wasm's URL it was loaded from: the version of the module that loaded it. */
  readonly url: string;
  readonly done: Promise<unknown>;
}

/** What the generated module knows of where it runs (host/vite/module-code.ts). */
export interface ImportSources {
  /** Where the URL cannot be fetched (a server bundle's `file:` URL), how to get the wasm instead. */
  readonly read?: () => Promise<AssemblySource>;
  /**
   * The `moduleBase` default in Node: in development, the project's public directory; in a server
   * bundle, the bundle's folder, where `vite build` copied it.
   */
  readonly moduleBaseInNode?: string;
}

/**
 * Per imported entry file, shared by every version of its module: in dev, a recompiled entry's
 * module runs again (a hot update, or `ssrLoadModule` after a change) with the new wasm's URL.
 */
interface ImportState {
  name: string;
  /** The URL of the newest version of the wasm, and how to read it. */
  url: string;
  sources: ImportSources;
  readonly copies: LoadedCopy[];
}

const imports = new Map<string, ImportState>();

/** Called by the generated `?assembly` module: `key` identifies the entry file across versions. */
export function assemblyImport(key: string, name: string, url: string, sources: ImportSources = {}): AssemblyImport {
  let state = imports.get(key);
  if (!state) imports.set(key, (state = { name, url, sources, copies: [] }));
  else if (state.url !== url) Object.assign(state, { name, url, sources });
  const current = state;

  /** Loads once per runtime and name: a second call (a remount, a second caller) gets the same API. */
  async function load(options: LoadOptions = {}): Promise<AssemblyApi<UntypedMethods>> {
    const { runtime = defaultRuntime, ...given } = options;
    const { moduleBaseInNode } = current.sources;
    const assemblyOptions: HostingOptions = moduleBaseInNode && inNode() ? { moduleBase: moduleBaseInNode, ...given } : given;
    const name = assemblyOptions.name ?? current.name;
    for (;;) {
      const existing = current.copies.find((copy) => copy.runtime === runtime && copy.name === name);
      if (!existing) break;
      await existing.done;
      // Another caller replaced it meanwhile (with a newer version): wait for that one instead.
      if (!current.copies.includes(existing)) continue;
      if (!runtime.getAssembly(name)) {
        forget(current, existing);
        break;
      }
      // The API's types follow the options (int64), so handing back a copy loaded otherwise would lie.
      if (!sameOptions(existing.options, assemblyOptions)) {
        throw new Error(
          `The assembly '${name}' is already loaded with other options. Load it into another runtime, or under another { name }.`,
        );
      }
      if (existing.url === current.url) return assemblyApi(name, runtime);
      // The entry was recompiled and its module run again, with no hot update to swap the new code
      // in (server-side rendering in dev: `ssrLoadModule` runs a changed module afresh): do it now.
      await swap(current, existing, sourceOf(current));
    }
    const copy: LoadedCopy = { runtime, name, options: assemblyOptions, url: current.url, done: loadFrom(runtime, sourceOf(current), assemblyOptions) };
    current.copies.push(copy);
    try {
      await copy.done;
    } catch (error) {
      forget(current, copy);
      throw error;
    }
    return assemblyApi(name, runtime);
  }

  return {
    load,
    api: (target = {}) => assemblyApi(target.name ?? current.name, target.runtime ?? defaultRuntime),
    syncApi: (target = {}) => syncAssemblyApi(target.name ?? current.name, target.runtime ?? defaultRuntime),
  };
}

/** Node, jsdom in Node included; not a browser (Vitest's browser mode loads from the dev server's pages). */
function inNode(): boolean {
  return typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";
}

async function loadFrom(runtime: InteropRuntime, source: AssemblySource | Promise<AssemblySource>, options: HostingOptions) {
  return runtime.loadAssembly(await source, options);
}

/** The newest version of the wasm: its URL, or what reads it where the URL cannot be fetched. */
function sourceOf(state: ImportState): AssemblySource | Promise<AssemblySource> {
  return state.sources.read ? state.sources.read() : state.url;
}

function forget(state: ImportState, copy: LoadedCopy): void {
  const at = state.copies.indexOf(copy);
  if (at >= 0) state.copies.splice(at, 1);
}

/**
 * Replaces `copy` by the newest version of the wasm, under the same name and options. The new copy
 * takes its place before the load finishes, so that a `load()` meanwhile waits for it rather than
 * loading it again; if the load fails, the copy is forgotten.
 */
async function swap(state: ImportState, copy: LoadedCopy, source: AssemblySource | Promise<AssemblySource>): Promise<void> {
  const { runtime, name, options } = copy;
  const done = (async () => {
    const module = await source;
    runtime.unloadAssembly(name);
    return runtime.loadAssembly(module, { ...options, name });
  })();
  const replacement: LoadedCopy = { runtime, name, options, url: state.url, done };
  const at = state.copies.indexOf(copy);
  if (at >= 0) state.copies[at] = replacement;
  else state.copies.push(replacement);
  try {
    await done;
  } catch (error) {
    forget(state, replacement);
    throw error;
  }
}

/**
 * Options that change what calls return. `imports` is not compared: it is often written inline;
 * nor is `worker` beyond whether there is one (its time bound and grants are often inline too).
 */
function sameOptions(a: HostingOptions, b: HostingOptions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof HostingOptions)[]);
  keys.delete("imports");
  keys.delete("worker");
  return Boolean(a.worker) === Boolean(b.worker) && [...keys].every((key) => a[key] === b[key]);
}

/** The event a page can listen to (on `window`) to refresh what it shows after a hot reload. */
export const RELOAD_EVENT = "as-interop:reload";

/**
 * Dev only: the entry `key` was recompiled to `url`. Every loaded copy (by `load()`, or by
 * `loadAssembly` into the default runtime) is replaced by the new code under the same name, so
 * calls by name (`DotNet`, the typed API) reach it at once; state inside the old instance is lost,
 * as with any hot update. Rejects when a copy cannot be reloaded as it was (say, it was loaded with
 * `imports` this code never saw): the caller then reloads the page.
 */
export async function hotReload(key: string, url: string): Promise<void> {
  const state = imports.get(key);
  if (!state) return;
  state.url = url;
  const copies = state.copies.filter((copy) => copy.runtime.getAssembly(copy.name));
  const untracked = defaultRuntime.getAssembly(state.name) && !copies.some((c) => c.runtime === defaultRuntime && c.name === state.name);
  // Loaded by `loadAssembly(url)`, from a version of unknown URL: reloaded as well.
  if (untracked) copies.push({ runtime: defaultRuntime, name: state.name, options: {}, url: "", done: Promise.resolve() });
  state.copies.splice(0, state.copies.length, ...copies);
  if (copies.length === 0) return;

  // Those a `load()` has already swapped since the new module ran are left as they are.
  const stale = copies.filter((copy) => copy.url !== url);
  const module = stale.length ? await WebAssembly.compileStreaming(fetch(url)) : null;
  for (const copy of stale) await swap(state, copy, module!);
  if (typeof dispatchEvent === "function") dispatchEvent(new CustomEvent(RELOAD_EVENT, { detail: { assembly: state.name } }));
}
