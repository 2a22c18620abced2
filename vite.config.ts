import { defineConfig } from "vite";
import asInterop from "./host/vite/index.ts";

// The demo app: web/ served with the assemblies in assembly/ compiled by as-interop's plugin.
export default defineConfig({
  root: "web",
  plugins: [asInterop()],
  build: { outDir: "../dist/web", emptyOutDir: true, target: "es2022" },
  server: { port: 5173 },
  preview: { port: 4173 },
});
