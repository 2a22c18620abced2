import { defineConfig } from "vite";
import asInterop from "./host/vite/index.ts";
import { benchAssemblies } from "./web/tooling/bench-assemblies.ts";
import { sandboxCompiler } from "./web/tooling/sandbox-compiler.ts";

// The demo app: web/ served with the assemblies in assembly/ compiled by as-interop's plugin.
export default defineConfig({
  root: "web",
  plugins: [asInterop(), sandboxCompiler(), benchAssemblies()],
  build: {
    outDir: "../dist/web",
    emptyOutDir: true,
    target: "es2022",
    // Compiling the demo's assemblies is most of the build's time by design: no need to warn.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  // Pre-bundled when the dev server starts: a dependency discovered later, when a page first loads
  // it, makes Vite reload every open page (a test on another page included).
  optimizeDeps: {
    include: [
      "@codemirror/autocomplete",
      "@codemirror/commands",
      "@codemirror/lang-javascript",
      "@codemirror/language",
      "@codemirror/lint",
      "@codemirror/search",
      "@codemirror/state",
      "@codemirror/view",
      "d3-scale",
    ],
  },
  server: { port: 5173 },
  preview: { port: 4173 },
});
