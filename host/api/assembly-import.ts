/**
 * The run-time half of a `?assembly` import (host/vite writes the other half): the `load`, `api`
 * and `syncApi` the imported module exports next to the wasm's URL, and, in dev, how a recompiled
 * assembly replaces the loaded one without reloading the page.
 */
import { defaultRuntime, type AssemblySource, type HostingOptions, type InteropRuntime } from "../runtime/index.ts";
import {
  assemblyApi,
  syncAssemblyApi,
  type ApiTarget,
  type AssemblyApi,
  type SyncAssemblyApi,
  type UntypedMethods,
} from "./facade.ts";

export interface LoadOptions extends HostingOptions {
  /** Default: the shared runtime behind the module-level `DotNet` and `loadAssembly`. */
  readonly runtime?: InteropRuntime;
}

/** `load()` resolves to the typed API; with `{ int64: "bigint" }`, 64-bit results are typed as bigints. */
export interface LoadAssembly<M, MBigInt = M> {
  (options?: LoadOptions & { readonly int64?: "number" }): Promise<AssemblyApi<M>>;
  (options: LoadOptions & { readonly int64: "bigint" }): Promise<AssemblyApi<MBigInt>>;
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
  readonly done: Promise<unknown>;
}

/** What the generated module knows of where it runs (host/vite/module-code.ts). */
export interface ImportSources {
  /** Where the URL cannot be fetched (a server bundle's `file:` URL), how to get the wasm instead. */
  readonly read?: () => Promise<AssemblySource>;
  /** In development, where the project's public directory is: the `moduleBase` default in Node. */
  readonly moduleBaseInNode?: string;
}

/** Per imported entry file, shared by every version of its module (a hot update runs it again). */
interface ImportState {
  name: string;
  url: string;
  readonly sources: ImportSources;
  readonly copies: LoadedCopy[];
}

const imports = new Map<string, ImportState>();

/** Called by the generated `?assembly` module: `key` identifies the entry file across versions. */
export function assemblyImport(key: string, name: string, url: string, sources: ImportSources = {}): AssemblyImport {
  let state = imports.get(key);
  if (!state) imports.set(key, (state = { name, url, sources, copies: [] }));
  const current = state;

  const forget = (copy: LoadedCopy) => {
    const at = current.copies.indexOf(copy);
    if (at >= 0) current.copies.splice(at, 1);
  };

  /** Loads once per runtime and name: a second call (a remount, a second caller) gets the same API. */
  async function load(options: LoadOptions = {}): Promise<AssemblyApi<UntypedMethods>> {
    const { runtime = defaultRuntime, ...given } = options;
    const { moduleBaseInNode } = current.sources;
    const assemblyOptions: HostingOptions = moduleBaseInNode && inNode() ? { moduleBase: moduleBaseInNode, ...given } : given;
    const name = assemblyOptions.name ?? current.name;
    const existing = current.copies.find((copy) => copy.runtime === runtime && copy.name === name);
    if (existing) {
      await existing.done;
      if (runtime.getAssembly(name)) {
        // The API's types follow the options (int64), so handing back a copy loaded otherwise would lie.
        if (!sameOptions(existing.options, assemblyOptions)) {
          throw new Error(
            `The assembly '${name}' is already loaded with other options. Load it into another runtime, or under another { name }.`,
          );
        }
        return assemblyApi(name, runtime);
      }
      forget(existing);
    }
    const source = current.sources.read ? current.sources.read() : current.url;
    const copy: LoadedCopy = { runtime, name, options: assemblyOptions, done: loadFrom(runtime, source, assemblyOptions) };
    current.copies.push(copy);
    try {
      await copy.done;
    } catch (error) {
      forget(copy);
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
  if (untracked) copies.push({ runtime: defaultRuntime, name: state.name, options: {}, done: Promise.resolve() });
  state.copies.splice(0, state.copies.length, ...copies);
  if (copies.length === 0) return;

  const module = await WebAssembly.compileStreaming(fetch(url));
  for (const copy of copies) {
    copy.runtime.unloadAssembly(copy.name);
    await copy.runtime.loadAssembly(module, { ...copy.options, name: copy.name });
  }
  if (typeof dispatchEvent === "function") dispatchEvent(new CustomEvent(RELOAD_EVENT, { detail: { assembly: state.name } }));
}
