/**
 * `as-interop/vite`: import an AssemblyScript entry and get the URL of its compiled wasm.
 *
 *   import sampleUrl from "./assembly/BlazorSample.ts?assembly";
 *   await loadAssembly(sampleUrl);
 *
 * The compiler runs in-process. In dev the wasm is served from memory (a debug build) and every
 * file the entry imports is watched; in a build it is an optimized, content-hashed asset. Compile
 * errors carry file, line, column and a code frame, which Vite shows in its overlay.
 */
import { basename, dirname, relative, resolve } from "node:path";
import type { Plugin, ResolvedConfig } from "vite";
import { compile, CompileError, formatDiagnostic, type CompileOptions } from "../compiler/compile.ts";

export interface InteropPluginOptions
  extends Pick<CompileOptions, "runtime" | "initialMemory" | "maximumMemory" | "transforms" | "ascFlags"> {
  /**
   * Assembly name per entry; by default the entry's file name (`BlazorSample.ts` → `BlazorSample`).
   * A function receives the entry's path relative to the project root.
   */
  assemblyName?: string | ((entry: string) => string);
  /** Optimize (`-O3`). Default: in `vite build` only. */
  optimize?: boolean;
  /**
   * Directory AssemblyScript paths are relative to (what diagnostics show).
   * Default: the directory of the Vite config file, else Vite's root.
   */
  baseDir?: string;
}

const QUERY = "?assembly";
const SERVE_PREFIX = "/@as-interop/";

export default function asInterop(options: InteropPluginOptions = {}): Plugin {
  let config: ResolvedConfig;
  /** Dev only: compiled binaries by URL path, served by the middleware below. */
  const served = new Map<string, Uint8Array>();

  return {
    name: "as-interop",

    configResolved(resolved) {
      config = resolved;
    },

    async resolveId(source, importer) {
      if (!source.endsWith(QUERY)) return null;
      const resolved = await this.resolve(source.slice(0, -QUERY.length), importer, { skipSelf: true });
      return resolved ? resolved.id + QUERY : null;
    },

    async load(id) {
      if (!id.endsWith(QUERY)) return null;
      const file = id.slice(0, -QUERY.length);
      const root = options.baseDir ?? (config.configFile ? dirname(config.configFile) : config.root);
      const entry = relative(root, file).split("\\").join("/");
      const name =
        typeof options.assemblyName === "function"
          ? options.assemblyName(entry)
          : (options.assemblyName ?? basename(file).replace(/\.ts$/, ""));
      const isBuild = config.command === "build";

      let result;
      try {
        result = await compile({
          ...options,
          entry,
          baseDir: root,
          assemblyName: name,
          optimize: options.optimize ?? isBuild,
          debug: !isBuild,
        });
      } catch (error) {
        if (error instanceof CompileError) throw toViteError(error, root);
        throw error;
      }
      for (const source of result.files) this.addWatchFile(resolve(root, source));
      for (const warning of result.warnings) this.warn(formatDiagnostic(warning));

      if (isBuild) {
        const referenceId = this.emitFile({ type: "asset", name: `${name}.wasm`, source: result.binary });
        return `export default import.meta.ROLLUP_FILE_URL_${referenceId};\n`;
      }
      const path = `${SERVE_PREFIX}${name}.wasm`;
      served.set(path, result.binary);
      // The version makes a recompiled assembly a new URL, so no stale copy is ever used.
      return `export default ${JSON.stringify(`${path}?v=${Date.now().toString(36)}`)};\n`;
    },

    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        const path = request.url?.split("?")[0] ?? "";
        const binary = served.get(path);
        if (!binary) return next();
        response.setHeader("Content-Type", "application/wasm");
        response.setHeader("Cache-Control", "no-cache");
        response.end(binary);
      });
    },
  };
}

/** Shapes a compile error the way Vite's overlay and terminal show errors: file, position, frame. */
function toViteError(error: CompileError, root: string): Error {
  const first = error.diagnostics.find((d) => d.category === "error");
  return Object.assign(new Error(first?.message ?? error.message), {
    plugin: "as-interop",
    id: first?.file ? resolve(root, first.file) : undefined,
    loc: first?.file ? { file: resolve(root, first.file), line: first.line, column: first.column } : undefined,
    frame: first?.frame,
    // Every diagnostic, for the terminal.
    stack: error.message,
  });
}
