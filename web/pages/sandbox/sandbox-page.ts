/**
 * The sandbox: AssemblyScript and JavaScript editors, compiled and run in the browser.
 *
 *   Compile  the AssemblyScript goes to the compiler worker; diagnostics come back with lines
 *   Run      compile, then load the binary into a worker of as-interop's and import the JavaScript next to it (runner.ts)
 *   Stop     unload the assembly, which terminates its worker wherever the program is
 *   Reset    put the example back as it was, dropping the edits
 *
 * The compiler starts loading as the page opens, with its progress shown; the program's output
 * goes to the console docked at the bottom of the page, like every page's. Edits are kept per
 * example for the rest of the visit, so leaving the page loses nothing.
 */
import { h, prose } from "../../app/dom.ts";
import { clearConsole, print } from "../../app/console-mirror.ts";
import type { Page } from "../../app/router.ts";
import { CodeEditor, type LineMarker } from "./code-editor.ts";
import { sandboxCompiler, type LoadState } from "./compiler.ts";
import { assemblyScriptCompletions, javaScriptCompletions } from "./completions.ts";
import { sandboxExamples, type SandboxExample } from "./examples.ts";
import type { CompileResponse, Diagnostic, ErrorReport, RunnerMessage } from "./protocol.ts";
import { startRun, type Run } from "./runner.ts";

type Status =
  | "loading"
  | "ready"
  | "compiling"
  | "compiled"
  | "compile-failed"
  | "running"
  | "finished"
  | "failed"
  | "stopped";

/** The editors' texts per example, for the rest of the visit. */
const drafts = new Map<string, SandboxExample>();
let currentExample = sandboxExamples[0].id;

const ASSEMBLY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const sandboxPage: Page = {
  mount(root) {
    let run: Run | null = null;
    let generation = 0;
    /** Ticks while a program runs: the clock moving is the page showing it never blocked. */
    let clock = 0;

    const original = (): SandboxExample => sandboxExamples.find((e) => e.id === currentExample)!;
    const draft = (): SandboxExample => drafts.get(currentExample) ?? original();
    /** What the last successful compile holds, for the JavaScript editor's completions. */
    let compiled: { assemblyName: string; identifiers: string[] } | null = null;
    const exampleSelect = h(
      "select",
      { id: "sandbox-example", "aria-label": "Example" },
      sandboxExamples.map((example) => h("option", { value: example.id }, example.title)),
    );
    const assemblyName = h("input", { type: "text", id: "sandbox-assembly", "aria-label": "Assembly name", size: 16 });
    const optimize = h("input", { type: "checkbox", id: "sandbox-optimize" });
    const compileButton = h("button", { type: "button" }, "Compile");
    const runButton = h("button", { type: "button", class: "primary", title: "Ctrl+Enter" }, "Run ▶");
    const stopButton = h("button", { type: "button", class: "danger", disabled: true }, "Stop ■");
    const resetButton = h("button", { type: "button", title: "Put this example back as it was" }, "Reset example");
    const status = h("p", { id: "sandbox-status", class: "sandbox-status", role: "status" });
    const loading = h("progress", { class: "compiler-progress", "aria-label": "Loading the compiler" });
    const compileInfo = h("p", { class: "compile-info" });
    const diagnostics = h("ol", { class: "diagnostics", "aria-label": "Diagnostics" });
    const managedFile = h("span", { class: "code-file" });
    const scriptNote = h("span", { class: "code-file" });

    const managedEditor = new CodeEditor({
      label: "AssemblyScript",
      language: "typescript",
      value: "",
      completions: assemblyScriptCompletions,
      onRun: () => void runProgram(),
    });
    const scriptEditor = new CodeEditor({
      label: "JavaScript",
      language: "javascript",
      value: "",
      completions: javaScriptCompletions(() => compiled),
      onRun: () => void runProgram(),
    });

    const setStatus = (state: Status, text: string) => {
      if (state !== "running") clearInterval(clock);
      status.dataset.state = state;
      status.textContent = text;
      const busy = state === "compiling";
      compileButton.disabled = busy;
      // A program that runs is stopped first (Stop), not started twice.
      runButton.disabled = busy || state === "running";
      stopButton.disabled = run === null;
    };

    /** Set while loadExample fills the editors: those changes are no edits. */
    let filling = false;
    const loadExample = () => {
      const example = draft();
      filling = true;
      managedEditor.value = example.managed;
      scriptEditor.value = example.script;
      filling = false;
      assemblyName.value = example.assemblyName;
      exampleSelect.value = example.id;
      showNames();
      clearDiagnostics();
      compileInfo.textContent = "";
      resetButton.disabled = !drafts.has(example.id);
    };

    /** Keeps the editors' texts as this example's draft, or drops it when they are the example again. */
    const saveDraft = () => {
      if (filling) return;
      const edited = { ...original(), managed: managedEditor.value, script: scriptEditor.value, assemblyName: assemblyName.value };
      const changed = edited.managed !== original().managed || edited.script !== original().script || edited.assemblyName !== original().assemblyName;
      if (changed) drafts.set(currentExample, edited);
      else drafts.delete(currentExample);
      resetButton.disabled = !changed;
    };

    const showNames = () => {
      managedFile.textContent = `${assemblyName.value || "?"}.ts`;
      scriptNote.textContent = `runs with DotNet bound to '${assemblyName.value || "?"}'`;
    };

    const clearDiagnostics = () => {
      diagnostics.replaceChildren();
      managedEditor.mark([]);
      scriptEditor.mark([]);
    };

    const stopRun = () => {
      run?.stop();
      run = null;
    };

    /** Compiles the editor's AssemblyScript; null when it did not compile. */
    const compileProgram = async (): Promise<Extract<CompileResponse, { ok: true }> | null> => {
      const current = ++generation;
      const name = assemblyName.value.trim();
      clearDiagnostics();
      if (!ASSEMBLY_NAME.test(name)) {
        setStatus("compile-failed", "The assembly name must be an identifier, like BlazorSample.");
        return null;
      }
      setStatus("compiling", sandboxCompiler.loaded ? `Compiling ${name}.ts…` : `Compiling ${name}.ts once the compiler has loaded…`);
      let response: CompileResponse;
      try {
        response = await sandboxCompiler.compile(managedEditor.value, name, optimize.checked);
      } catch (error) {
        setStatus("compile-failed", String(error));
        return null;
      }
      if (current !== generation) return null;
      const entry = `${name}.ts`;
      const shown = response.ok ? response.warnings : response.diagnostics;
      diagnostics.replaceChildren(...shown.map((d) => renderDiagnostic(d, entry, managedEditor)));
      managedEditor.mark(shown.filter((d) => d.file === entry && d.line).map(toMarker));
      if (!response.ok) {
        const errors = response.diagnostics.filter((d) => d.category === "error").length;
        // The previous run's output belongs to a program that no longer exists.
        clearConsole();
        setStatus("compile-failed", `${entry} did not compile: ${errors} error${errors === 1 ? "" : "s"}.`);
        compileInfo.textContent = "";
        return null;
      }
      compiled = { assemblyName: name, identifiers: response.methods.map((method) => method.slice(0, method.indexOf("("))) };
      compileInfo.replaceChildren(
        `${entry} → ${(response.binary.byteLength / 1024).toFixed(1)} KB of wasm ` +
          (response.cached ? "from the compile cache (compiled on an earlier visit). " : `in ${Math.round(response.ms)} ms. `),
        response.methods.length ? "Invokable: " : "No @jsInvokable methods.",
        ...response.methods.flatMap((method, i) => [i ? ", " : "", h("code", null, method)]),
      );
      setStatus("compiled", `Compiled ${entry}.`);
      return response;
    };

    const runProgram = async () => {
      stopRun();
      const compiled = await compileProgram();
      if (!compiled) return;
      const current = generation;
      clearConsole();
      run = startRun({ binary: compiled.binary, script: scriptEditor.value }, (message) => {
        if (current === generation) handle(message);
      });
      const started = performance.now();
      const showRunning = () => setStatus("running", `Running… ${((performance.now() - started) / 1000).toFixed(1)} s`);
      showRunning();
      clock = window.setInterval(showRunning, 100);
    };

    const handle = (message: RunnerMessage) => {
      switch (message.type) {
        case "console":
          print(message);
          break;
        case "loaded":
          break;
        case "finished":
          setStatus("finished", "Finished. Output from pending promises and timers still shows; Stop ends the run.");
          break;
        case "failed": {
          const { error, phase } = message;
          print({ level: "error", text: formatFailure(phase, error) });
          if (error.location && phase !== "load") {
            scriptEditor.mark([{ line: error.location.line, severity: "error", message: `${error.name}: ${error.message}` }]);
          }
          if (phase !== "async") setStatus("failed", phase === "load" ? "The assembly could not be loaded." : "The JavaScript threw.");
          break;
        }
      }
    };

    compileButton.addEventListener("click", () => {
      stopRun();
      void compileProgram();
    });
    runButton.addEventListener("click", () => void runProgram());
    stopButton.addEventListener("click", () => {
      stopRun();
      ++generation;
      print({ level: "system", text: "■ Stopped: the run's worker was terminated." });
      setStatus("stopped", "Stopped. The page never stopped responding; run again whenever you like.");
    });
    exampleSelect.addEventListener("change", () => {
      currentExample = exampleSelect.value;
      loadExample();
    });
    resetButton.addEventListener("click", () => {
      drafts.delete(currentExample);
      loadExample();
      clearConsole();
      if (run === null) setStatus("ready", `${original().title}: back as it was.`);
    });
    managedEditor.onChange(saveDraft);
    scriptEditor.onChange(saveDraft);
    assemblyName.addEventListener("input", () => {
      showNames();
      saveDraft();
    });

    root.append(
      h("h1", null, "Sandbox"),
      h(
        "p",
        { class: "lede" },
        prose(
          "Write AssemblyScript with `@jsInvokable` methods and the JavaScript that calls them. The AssemblyScript " +
            "compiler and as-interop's transform run in a worker in this page; your program runs in another one, " +
            "with `DotNet` bound to the assembly you just compiled — so Stop ends even a loop that never returns. " +
            "What it prints shows in the console at the bottom of the page.",
        ),
      ),
      h(
        "div",
        { class: "sandbox-toolbar" },
        h("label", { class: "field" }, h("span", null, "Example"), exampleSelect),
        h("label", { class: "field" }, h("span", null, "Assembly name"), assemblyName),
        h("label", { class: "checkbox" }, optimize, "Optimize (-O3)"),
        resetButton,
        h("div", { class: "actions" }, compileButton, runButton, stopButton),
      ),
      h("div", { class: "sandbox-state" }, status, loading),
      h(
        "div",
        { class: "sandbox-editors" },
        h(
          "section",
          { class: "sandbox-panel", "aria-label": "AssemblyScript" },
          h("header", null, h("span", { class: "code-language" }, "AssemblyScript"), managedFile),
          managedEditor.element,
          compileInfo,
          diagnostics,
        ),
        h(
          "section",
          { class: "sandbox-panel", "aria-label": "JavaScript" },
          h("header", null, h("span", { class: "code-language" }, "JavaScript"), scriptNote),
          scriptEditor.element,
        ),
      ),
    );

    loadExample();
    // Loading starts now, not at the first Compile; a compile asked for meanwhile waits for it.
    setStatus("loading", "Loading the compiler…");
    const stopWatching = sandboxCompiler.onProgress((state) => {
      showLoading(loading, state);
      if (status.dataset.state === "loading") status.textContent = describeLoading(state);
    });
    sandboxCompiler.ready().then(
      () => status.dataset.state === "loading" && setStatus("ready", `${status.textContent} Edit, then Run (Ctrl+Enter).`),
      (error: unknown) => setStatus("compile-failed", String(error)),
    );

    return () => {
      stopWatching();
      stopRun();
      clearInterval(clock);
      ++generation;
      managedEditor.destroy();
      scriptEditor.destroy();
    };
  },
};

const MB = 1024 * 1024;

/** "Loading the compiler: 3.2 of 14.8 MB, 12 files (from the browser's cache)." */
function describeLoading({ bytes, files, transferred, expectedBytes, done, ms }: LoadState): string {
  const size = expectedBytes && !done ? `${(bytes / MB).toFixed(1)} of ${(expectedBytes / MB).toFixed(1)} MB` : `${(bytes / MB).toFixed(1)} MB`;
  const from = bytes === 0 ? "" : transferred === 0 ? " from the browser's cache" : transferred < bytes / 2 ? " mostly from the browser's cache" : " downloaded";
  if (done) return `Compiler ready: ${size} in ${files} files${from}, loaded and started in ${(ms! / 1000).toFixed(1)} s.`;
  const starting = expectedBytes !== null && bytes >= expectedBytes;
  return starting ? `Starting the compiler (${size}${from})…` : `Loading the compiler: ${size}, ${files} files${from}…`;
}

/** A determinate bar when the size is known from an earlier visit, else one that only says "busy". */
function showLoading(bar: HTMLProgressElement, { bytes, expectedBytes, done }: LoadState): void {
  bar.hidden = done;
  if (expectedBytes) {
    bar.max = expectedBytes;
    bar.value = Math.min(bytes, expectedBytes);
  } else bar.removeAttribute("value");
}

function toMarker(diagnostic: Diagnostic): LineMarker {
  return {
    line: diagnostic.line!,
    column: diagnostic.column,
    severity: diagnostic.category === "error" ? "error" : "warning",
    message: diagnostic.message,
  };
}

function renderDiagnostic(diagnostic: Diagnostic, entry: string, editor: CodeEditor): HTMLElement {
  const where = diagnostic.file ? `${diagnostic.file}:${diagnostic.line ?? "?"}:${diagnostic.column ?? "?"}` : "";
  const inEditor = diagnostic.file === entry && diagnostic.line !== undefined;
  return h(
    "li",
    { class: `diagnostic ${diagnostic.category}` },
    inEditor
      ? h("button", { type: "button", class: "diagnostic-location", onclick: () => editor.revealLine(diagnostic.line!, diagnostic.column) }, where)
      : where && h("span", { class: "diagnostic-location" }, where),
    h("span", null, ` ${diagnostic.category} AS${diagnostic.code}: ${diagnostic.message}`),
    diagnostic.frame ? h("pre", null, diagnostic.frame) : null,
  );
}

function formatFailure(phase: "load" | "script" | "async", error: ErrorReport): string {
  const where = error.location ? ` (script line ${error.location.line}, column ${error.location.column})` : "";
  const prefix = phase === "async" ? "Uncaught, after the script's top level: " : phase === "load" ? "Could not load the assembly: " : "Uncaught ";
  return `${prefix}${error.name}: ${error.message}${where}`;
}
