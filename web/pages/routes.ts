/**
 * Every page of the demo, in navigation order. A page is one entry; its module loads on first
 * visit, so the sandbox's editor code is not part of what the landing page downloads.
 */
import type { Route } from "../app/router.ts";
import { scenarioPage } from "./scenarios/scenario-page.ts";
import { SAMPLES_GROUP, scenarios } from "./scenarios/scenarios.ts";

export const routes: readonly Route[] = [
  {
    path: "",
    title: "Overview",
    group: "Start",
    summary: "What as-interop is, and what each page shows.",
    load: async () => (await import("./overview.ts")).overviewPage,
  },
  ...scenarios.map(
    (scenario): Route => ({
      path: scenario.path,
      title: scenario.title,
      group: SAMPLES_GROUP,
      summary: scenario.summary,
      load: async () => scenarioPage(scenario),
    }),
  ),
  {
    path: "explorer",
    title: "Marshaling explorer",
    group: "Explore",
    summary: "Every row of the marshaling table, live: what JavaScript sent, what managed code saw, what came back.",
    wide: true,
    load: async () => (await import("./explorer/explorer-page.ts")).explorerPage,
  },
  {
    path: "by-reference",
    title: "By-reference collections",
    group: "Explore",
    summary: "Drive a managed list, fixed-size array and dictionary from JavaScript through live wrappers.",
    wide: true,
    load: async () => (await import("./by-reference/by-reference-page.ts")).byReferencePage,
  },
  {
    path: "async",
    title: "Async calls",
    group: "Explore",
    summary: "Task ↔ Promise both ways: continuations, a rejection, a timeout, a cancellation, and JSPI's await.",
    wide: true,
    load: async () => (await import("./async/async-page.ts")).asyncPage,
  },
  {
    path: "payload",
    title: "Large payloads",
    group: "Explore",
    summary: "Send up to 128M characters each way in chunks, with progress, throughput and checksums.",
    load: async () => (await import("./payload/payload-page.ts")).payloadPage,
  },
  {
    path: "performance",
    title: "Performance",
    group: "Explore",
    summary: "Time calls both ways in your browser, side by side with raw wasm, AssemblyScript's bindings and JSON.",
    load: async () => (await import("./performance/performance-page.ts")).performancePage,
  },
  {
    path: "sandbox",
    title: "Sandbox",
    group: "Build",
    summary: "Write AssemblyScript and JavaScript, compile in the browser, run, and stop runaway loops.",
    wide: true,
    load: async () => (await import("./sandbox/sandbox-page.ts")).sandboxPage,
    // The compiler takes seconds to load: a hover on the link starts it.
    prefetch: () =>
      void import("./sandbox/compiler.ts")
        .then(({ sandboxCompiler }) => sandboxCompiler.ready())
        // A failure is shown by the sandbox page when it is opened.
        .catch(() => undefined),
  },
];
