import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Compiling AssemblyScript takes a few seconds; the machine has two cores.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: ["test/**/*.large.test.ts"] },
      },
      {
        // Hundreds of MiB per test (issue 3, "No size limits"): `npx vitest run --project large`.
        extends: true,
        test: { name: "large", include: ["test/**/*.large.test.ts"], testTimeout: 300_000 },
      },
    ],
  },
});
