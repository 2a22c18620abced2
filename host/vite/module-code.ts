/**
 * The JavaScript of a `?assembly` module: the wasm's URL as the default export, the assembly's
 * name, and `load`/`api`/`syncApi` from `as-interop/api`. In dev the module accepts its own hot
 * updates and hands the new URL to `hotReload`, which swaps the loaded assembly in place; if that
 * is not possible the module invalidates itself and Vite reloads the page.
 */

export interface ModuleCodeOptions {
  /** The entry file relative to the project: identifies the import across hot updates. */
  key: string;
  name: string;
  /** A JavaScript expression for the wasm's URL. */
  urlExpression: string;
  /** What to import `assemblyImport` and `hotReload` from. */
  apiModule: string;
  /** Dev: accept hot updates. */
  hot: boolean;
  /**
   * A server bundle: `urlExpression` gives `{ url, publicDir }` (delivery.ts `serverFileExpression`).
   * The URL is a `file:` URL next to the bundle, which Node's `fetch` cannot read, so `load()` reads
   * the file instead; relative module URLs resolve against `publicDir`, the bundle's copy of public/.
   */
  serverFile?: boolean;
  /**
   * Development in Node (Vitest, `ssrLoadModule`): the `file:` URL of the project's public
   * directory, which the assembly's relative module URLs resolve against when it runs in Node,
   * as the page's do against the dev server that serves that directory.
   */
  moduleBaseInNode?: string;
}

export function assemblyModuleCode(options: ModuleCodeOptions): string {
  const key = JSON.stringify(options.key);
  const api = JSON.stringify(options.apiModule);
  const sources = [
    options.serverFile ? `read: () => import("node:fs/promises").then((fs) => fs.readFile(new URL(url)))` : "",
    options.serverFile ? `moduleBaseInNode: publicDir` : "",
    options.moduleBaseInNode ? `moduleBaseInNode: ${JSON.stringify(options.moduleBaseInNode)}` : "",
  ].filter(Boolean);
  const how = sources.length ? `, { ${sources.join(", ")} }` : "";
  const lines = [
    `import { assemblyImport${options.hot ? ", hotReload" : ""} } from ${api};`,
    options.serverFile ? `const { url, publicDir } = ${options.urlExpression};` : `const url = ${options.urlExpression};`,
    `export default url;`,
    `export const name = ${JSON.stringify(options.name)};`,
    `export const { load, api, syncApi } = assemblyImport(${key}, name, url${how});`,
  ];
  if (options.hot) {
    lines.push(
      `if (import.meta.hot) {`,
      `  import.meta.hot.accept((next) => {`,
      `    if (!next) return;`,
      `    hotReload(${key}, next.default).catch((error) => {`,
      `      import.meta.hot.invalidate("as-interop: could not reload '" + name + "' in place (" + error + ")");`,
      `    });`,
      `  });`,
      `}`,
    );
  }
  return lines.join("\n") + "\n";
}
