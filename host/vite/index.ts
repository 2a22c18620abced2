/**
 * `as-interop/vite`: import an AssemblyScript entry file and get its compiled assembly.
 *
 *   import blazorSample, { load } from "./assembly/BlazorSample.ts?assembly";
 *   await loadAssembly(blazorSample);          // the default export is the wasm's URL
 *   const api = await load();                  // or: load it and get the typed API
 *
 * The compiler runs in-process. In dev the wasm is a debug build with a source map, served from
 * memory; every file the entry imports is watched, and a change recompiles it and swaps the new
 * assembly into the running page (see host/api/assembly-import.ts). In a build it is optimized and
 * emitted as a content-hashed asset. Where the module runs in Node instead of a page (Vitest, SSR),
 * the wasm is inlined (dev) or emitted next to the server bundle and read from disk (build); see
 * delivery.ts. Compile errors carry file, line, column and a code frame, which Vite shows in its
 * overlay and terminal. Each compile also writes the assembly's TypeScript types next to the entry
 * (`Entry.assembly.d.ts`, see host/compiler/typings.ts).
 */
import { createHash } from "node:crypto";
import { basename, dirname, posix, relative, resolve } from "node:path";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import type { EnvironmentModuleNode, Plugin, ResolvedConfig, UserConfig } from "vite";
import type { CompileOptions, CompileResult } from "../compiler/compile.ts";
import type { Manifest } from "../marshal/types.ts";
import { formatDiagnostic } from "../compiler/diagnostics.ts";
import { toPosix } from "../compiler/paths.ts";
import { compileEntry, type ReadLog } from "./compile-entry.ts";
import { writeDeclarations } from "./declarations.ts";
import { deliveryFor, inlineUrl, moduleBaseInNode, serverFileExpression } from "./delivery.ts";
import { toViteError } from "./errors.ts";
import { assemblyModuleCode } from "./module-code.ts";
import { missingPageModules } from "./page-modules.ts";
import { apiModuleForCode, BROWSER_ENTRIES } from "./self.ts";
import { rewriteSourceMap, withSourceMappingUrl } from "./source-map.ts";

export interface InteropPluginOptions
  extends Pick<CompileOptions, "runtime" | "stackSize" | "initialMemory" | "maximumMemory" | "transforms" | "ascFlags"> {
  /**
   * Assembly name per entry; by default the entry's file name (`BlazorSample.ts` → `BlazorSample`).
   * A function receives the entry's path relative to `baseDir`.
   */
  assemblyName?: string | ((entry: string) => string);
  /**
   * `true` is `-O3`; `{ level, shrink }` sets asc's `--optimizeLevel` (0-3) and `--shrinkLevel`
   * (0-2). Default: optimized in `vite build`, not in dev (which compiles several times faster).
   */
  optimize?: boolean | OptimizeLevels;
  /**
   * Directory AssemblyScript paths are relative to (what diagnostics show).
   * Default: the directory of the Vite config file, else Vite's root.
   */
  baseDir?: string;
  /** Write each entry's TypeScript types to `Entry.assembly.d.ts` next to it. Default: true. */
  declarations?: boolean;
}

export interface OptimizeLevels {
  level?: 0 | 1 | 2 | 3;
  shrink?: 0 | 1 | 2;
}

const QUERY = "?assembly";
/** Rolldown calls a hook only for the ids its filter matches, instead of for every module. */
const ASSEMBLY_ID = { id: /\?assembly$/ };
const PLUGIN = "as-interop";

/** What the dev server knows of one imported entry between compiles. */
interface EntryState {
  /** The `?assembly` module's id. */
  readonly id: string;
  reads: ReadLog;
  /** The last compile's, once one succeeded. */
  manifest?: Manifest;
}

export default function asInterop(options: InteropPluginOptions = {}): Plugin {
  let config: ResolvedConfig;
  let baseDir: string;
  /** By absolute entry path. */
  const entries = new Map<string, EntryState>();
  /** Dev only: what the middleware serves, by URL path. */
  const served = new Map<string, { body: Uint8Array | string; type: string }>();
  /**
   * By absolute entry path: the specifiers through an alias the app imports it by, which the
   * generated types declare as well.
   */
  const importedAs = new Map<string, Set<string>>();
  /** Dev only: which entry owns a served path, so two entries of the same name stay apart. */
  const pathOwners = new Map<string, string>();

  /** Server builds: the wasm each environment emitted, by reference id; see generateBundle. */
  const serverFiles = new WeakMap<object, Map<string, Uint8Array>>();
  /** Server builds: what Vite dropped from the bundle and writeBundle writes itself, by file name. */
  const unwritten = new WeakMap<object, Map<string, Uint8Array>>();
  /** Builds with `build.sourcemap`: each wasm's map, by the wasm's reference id, emitted beside it once it is named. */
  const sourceMaps = new WeakMap<object, Map<string, { fileName: string; source: string }>>();
  /** Vitest runs modules in Node even for a browser-like environment (jsdom), and in the browser too. */
  let inVitest = false;

  const isTracked = (file: string) => [...entries.values()].some(({ reads }) => reads.files.has(file));
  const filesOf = <V>(environment: object, of: WeakMap<object, Map<string, V>>) => {
    let files = of.get(environment);
    if (!files) of.set(environment, (files = new Map()));
    return files;
  };

  /**
   * The generated types declare a pattern only a relative import matches: an alias's specifier gets a
   * declaration of its own, written now if the entry was compiled already.
   */
  const declareImportedAs = async (file: string, specifier: string) => {
    let specifiers = importedAs.get(file);
    if (!specifiers) importedAs.set(file, (specifiers = new Set()));
    if (specifiers.has(specifier)) return;
    specifiers.add(specifier);
    const manifest = entries.get(file)?.manifest;
    if (manifest) await writeDeclarations(file, toPosix(relative(baseDir, file)), manifest, specifiers);
  };

  return {
    name: PLUGIN,

    config(user) {
      return {
        // The `?assembly` modules import as-interop/api and the app imports as-interop: both must
        // share one runtime. Pre-bundling would also discover as-interop/api only once a page asks
        // for an assembly and then reload the page to re-bundle; the package is plain ESM anyway.
        ...(BROWSER_ENTRIES.length ? { optimizeDeps: { exclude: [...BROWSER_ENTRIES] } } : {}),
        // A worker's bundle runs only the plugins of `worker.plugins`: without this one there, Vite
        // would read the AssemblyScript entry as TypeScript ("Decorators are not valid here").
        worker: { plugins: () => [asInterop(options)], ...quietTimings(user.worker?.rolldownOptions) },
        build: quietTimings(user.build?.rolldownOptions),
      };
    },

    configResolved(resolved) {
      config = resolved;
      inVitest = resolved.plugins.some((plugin) => plugin.name === "vitest");
      baseDir = options.baseDir
        ? resolve(resolved.root, options.baseDir)
        : resolved.configFile
          ? dirname(resolved.configFile)
          : resolved.root;
    },

    buildStart() {
      // A rebuild (`vite build --watch`) emits its files afresh.
      serverFiles.delete(this.environment);
      sourceMaps.delete(this.environment);
    },

    resolveId: {
      // Ahead of Vite's aliases and its resolver, which would resolve the entry first: the
      // generated types need the specifier as the app wrote it.
      order: "pre",
      filter: ASSEMBLY_ID,
      async handler(source, importer) {
        const resolved = await this.resolve(source.slice(0, -QUERY.length), importer, { skipSelf: true });
        if (!resolved) return null;
        // A relative specifier matches the generated pattern; one from the root (`/src/…`) is a name
        // TypeScript refuses to declare ("Ambient module declaration cannot specify relative module name").
        if (!/^[./]/.test(source) && options.declarations !== false) await declareImportedAs(resolved.id, source);
        return resolved.id + QUERY;
      },
    },

    load: {
      filter: ASSEMBLY_ID,
      async handler(id) {
        const file = id.slice(0, -QUERY.length);
        const entry = toPosix(relative(baseDir, file));
        const name = assemblyNameFor(options.assemblyName, entry, file);
        const isBuild = config.command === "build";
        const delivery = deliveryFor(this.environment.config.consumer, isBuild, inVitest, config.ssr.target, Boolean(this.environment.config.build.lib));
        const buildSourceMap = delivery === "asset" ? config.build.sourcemap : false;

        const compiled = await compileEntry({
          ...compilerFlags(options, isBuild, Boolean(buildSourceMap)),
          entry,
          baseDir,
          assemblyName: name,
        });
        const state: EntryState = { id, reads: compiled.reads };
        entries.set(file, state);
        for (const read of compiled.reads.files) if (!read.includes("/node_modules/")) this.addWatchFile(read);
        if (!compiled.ok) throw toViteError(compiled.error, baseDir, PLUGIN);

        const { result } = compiled;
        for (const warning of result.warnings) this.warn(formatDiagnostic(warning));
        state.manifest = result.manifest;
        if (options.declarations !== false) await writeDeclarations(file, entry, result.manifest, importedAs.get(file));

        let urlExpression: string;
        if (delivery === "served") {
          urlExpression = JSON.stringify(serve(file, name, result));
        } else if (delivery === "inline") {
          urlExpression = JSON.stringify(inlineUrl(withSourceMappingUrl(result.binary, null)));
        } else if (delivery === "file") {
          const binary = withSourceMappingUrl(result.binary, null);
          const reference = this.emitFile({ type: "asset", name: `${name}.wasm`, source: binary });
          filesOf(this.environment, serverFiles).set(reference, binary);
          urlExpression = `import.meta.ROLLUP_FILE_URL_${reference}`;
        } else {
          for (const warning of missingPageModules(result.manifest, config.publicDir, config.root)) this.warn(warning);
          // The map goes next to the wasm (generateBundle), so the wasm names it by its file name alone:
          // where the wasm goes (`assetFileNames`) is known only once its name, a hash of its bytes
          // (the map's name included), is.
          const map = buildSourceMap && result.sourceMap ? rewriteSourceMap(result.sourceMap, (source) => source) : null;
          const mapName = map ? `${name}-${shortHash(map)}.wasm.map` : null;
          const binary = withSourceMappingUrl(result.binary, buildSourceMap !== "hidden" ? mapName : null);
          const reference = this.emitFile({ type: "asset", name: `${name}.wasm`, source: binary });
          if (map && mapName) filesOf(this.environment, sourceMaps).set(reference, { fileName: mapName, source: map });
          urlExpression = `import.meta.ROLLUP_FILE_URL_${reference}`;
        }
        return assemblyModuleCode({
          key: entry,
          name,
          urlExpression,
          apiModule: apiModuleForCode,
          hot: !isBuild,
          serverFile: delivery === "file",
          moduleBaseInNode: moduleBaseInNode(delivery, isBuild, config.publicDir, config.root),
        });
      },
    },

    // Ahead of Vite's own, which would give a server bundle the wasm's URL on the web server.
    resolveFileUrl: {
      order: "pre",
      handler({ referenceId, relativePath, chunkId, format }) {
        if (!serverFiles.get(this.environment)?.has(referenceId)) return null;
        // The bundle's folder (`build.outDir`), from the chunk: where `vite build` copied public/.
        const { publicDir } = this.environment.config;
        const copied = this.environment.config.build.copyPublicDir && Boolean(publicDir) && existsSync(publicDir);
        const bundleFolder = `${posix.relative(posix.dirname(chunkId), ".") || "."}/`;
        const expression = serverFileExpression(relativePath, copied ? bundleFolder : null, format);
        if (expression === null) this.error(`a server bundle in the '${format}' format cannot find its wasm file: build it as an ES module or CommonJS`);
        return expression;
      },
    },

    // After Vite's own, which drops a server build's assets (`build.emitAssets` is off there: the
    // client build serves them). The server reads its wasm from disk, so it must be written.
    generateBundle: {
      order: "post",
      handler(_, bundle) {
        for (const [reference, binary] of serverFiles.get(this.environment) ?? []) {
          const fileName = this.getFileName(reference);
          if (!(fileName in bundle)) filesOf(this.environment, unwritten).set(fileName, binary);
        }
        for (const [reference, map] of sourceMaps.get(this.environment) ?? []) {
          const wasm = this.getFileName(reference);
          this.emitFile({ type: "asset", fileName: posix.join(posix.dirname(wasm), map.fileName), source: map.source });
        }
      },
    },

    async writeBundle(output) {
      const files = unwritten.get(this.environment);
      if (!files || !output.dir) return;
      for (const [fileName, binary] of files) {
        const path = resolve(output.dir, fileName);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, binary);
      }
      files.clear();
    },

    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const item = served.get(request.url?.split("?")[0] ?? "");
        if (!item) return next();
        response.setHeader("Content-Type", item.type);
        response.setHeader("Cache-Control", "no-cache");
        response.end(item.body);
      });
    },

    hotUpdate({ file, modules }) {
      const affected = [...entries.values()].filter(({ reads }) => reads.files.has(file) || reads.misses.has(file));
      if (affected.length === 0) return;
      const assemblies: EnvironmentModuleNode[] = [];
      for (const { id } of affected) {
        const module = this.environment.moduleGraph.getModuleById(id);
        if (!module) continue;
        if (module.isSelfAccepting === undefined) {
          // It never compiled, so the page has no module that could accept an update.
          this.environment.hot.send({ type: "full-reload" });
          return [];
        }
        assemblies.push(module);
      }
      // The `?assembly` modules are the boundaries; AssemblyScript files are never modules of the page.
      return [...modules.filter((module) => !(module.file && isTracked(module.file))), ...assemblies];
    },
  };

  /** Dev: puts the wasm (with its source map) where the middleware serves it; returns its URL. */
  function serve(file: string, name: string, result: CompileResult): string {
    let path = `${config.base}@as-interop/${name}.wasm`;
    const owner = pathOwners.get(path);
    if (owner !== undefined && owner !== file) path = `${config.base}@as-interop/${name}-${shortHash(file)}.wasm`;
    pathOwners.set(path, file);

    const map = result.sourceMap ? rewriteSourceMap(result.sourceMap, sourceUrl) : null;
    const version = shortHash(result.binary, map ?? "");
    const binary = withSourceMappingUrl(result.binary, map ? `${basename(path)}.map?v=${version}` : null);
    served.set(path, { body: binary, type: "application/wasm" });
    if (map) served.set(`${path}.map`, { body: map, type: "application/json" });
    // A new URL per version, so that no stale copy is ever used.
    return `${path}?v=${version}`;
  }

  /** Where devtools list a source: the project's files by their path, asc's library apart. */
  function sourceUrl(source: string): string {
    return source.startsWith("~lib/") ? `${config.base}@as-interop/${source}` : `${config.base}${source}`;
  }
}

/**
 * Rolldown's check that warns when plugins take most of a build's time, off unless the project
 * set it: compiling AssemblyScript is most of a small app's build by design, so it would warn on
 * every build of one.
 */
function quietTimings(rolldownOptions: NonNullable<UserConfig["build"]>["rolldownOptions"]): UserConfig["build"] & object {
  const checks = rolldownOptions?.checks;
  if (checks?.bundlerTimings !== undefined || checks?.pluginTimings !== undefined) return {};
  return { rolldownOptions: { checks: { bundlerTimings: false } } };
}

function compilerFlags(options: InteropPluginOptions, isBuild: boolean, sourceMap: boolean): Omit<CompileOptions, "entry"> {
  const { runtime, stackSize, initialMemory, maximumMemory, transforms } = options;
  const ascFlags = [...(options.ascFlags ?? [])];
  const optimize = options.optimize ?? isBuild;
  if (typeof optimize === "object") {
    ascFlags.push("--optimizeLevel", String(optimize.level ?? 3), "--shrinkLevel", String(optimize.shrink ?? 0));
  }
  if (isBuild && sourceMap) ascFlags.push("--sourceMap");
  return {
    runtime,
    stackSize,
    initialMemory,
    maximumMemory,
    transforms,
    ascFlags,
    optimize: optimize === true,
    // Dev: names and a source map, so devtools show AssemblyScript.
    debug: !isBuild,
  };
}

function assemblyNameFor(option: InteropPluginOptions["assemblyName"], entry: string, file: string): string {
  if (typeof option === "function") return option(entry);
  return option ?? basename(file).replace(/\.ts$/, "");
}

function shortHash(...parts: (Uint8Array | string)[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest("hex").slice(0, 8);
}

