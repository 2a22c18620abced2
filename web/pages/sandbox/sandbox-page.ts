/**
 * The sandbox: AssemblyScript and JavaScript editors, compiled and run in the browser.
 *
 *   Compile  the AssemblyScript goes to the compiler worker; diagnostics come back with lines
 *   Run      compile, then start a runner worker with the binary and the JavaScript
 *   Stop     terminate the runner worker, wherever the program is
 *
 * Edits are kept per example for the rest of the visit, so leaving the page loses nothing.
 */
import { h, prose } from "../../app/dom.ts";
import { renderEntry, type ConsoleLevel } from "../../app/console-mirror.ts";
import type { Page } from "../../app/router.ts";
import { CodeEditor, type LineMarker } from "./code-editor.ts";
import { sandboxCompiler } from "./compiler.ts";
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

/** Output beyond this many lines drops its oldest, so a chatty loop cannot swamp the page. */
const OUTPUT_LIMIT = 500;
const ASSEMBLY_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const sandboxPage: Page = {
  mount(root) {
    let run: Run | null = null;
    let generation = 0;
    /** Ticks while a program runs: the clock moving is the page showing it never blocked. */
    let clock = 0;

    const draft = (): SandboxExample => drafts.get(currentExample) ?? sandboxExamples.find((e) => e.id === currentExample)!;
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
    const status = h("p", { id: "sandbox-status", class: "sandbox-status", role: "status" });
    const compileInfo = h("p", { class: "compile-info" });
    const diagnostics = h("ol", { class: "diagnostics", "aria-label": "Diagnostics" });
    const output = h("ol", { class: "console-list sandbox-output", "aria-label": "Output" });
    const managedFile = h("span", { class: "code-file" });
    const scriptNote = h("span", { class: "code-file" });

    const managedEditor = new CodeEditor({ label: "AssemblyScript", value: "", onRun: () => void runProgram() });
    const scriptEditor = new CodeEditor({ label: "JavaScript", value: "", onRun: () => void runProgram() });

    const setStatus = (state: Status, text: string) => {
      if (state !== "running") clearInterval(clock);
      status.dataset.state = state;
      status.textContent = text;
      const busy = state === "compiling" || state === "loading";
      compileButton.disabled = busy;
      runButton.disabled = busy;
      stopButton.disabled = run === null;
    };

    const print = (level: ConsoleLevel | "system", text: string) => {
      output.append(renderEntry({ level, text }));
      while (output.childElementCount > OUTPUT_LIMIT) output.firstElementChild!.remove();
      output.scrollTop = output.scrollHeight;
    };

    const loadExample = () => {
      const example = draft();
      managedEditor.value = example.managed;
      scriptEditor.value = example.script;
      assemblyName.value = example.assemblyName;
      exampleSelect.value = example.id;
      showNames();
      clearDiagnostics();
      compileInfo.textContent = "";
    };

    const saveDraft = () => {
      drafts.set(currentExample, {
        ...draft(),
        managed: managedEditor.value,
        script: scriptEditor.value,
        assemblyName: assemblyName.value,
      });
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
      setStatus("compiling", `Compiling ${name}.ts…`);
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
        setStatus("compile-failed", `${entry} did not compile: ${errors} error${errors === 1 ? "" : "s"}.`);
        compileInfo.textContent = "";
        return null;
      }
      compileInfo.replaceChildren(
        `${entry} → ${(response.binary.byteLength / 1024).toFixed(1)} KB of wasm in ${Math.round(response.ms)} ms. `,
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
      output.replaceChildren();
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
          print(message.level, message.text);
          break;
        case "loaded":
          break;
        case "finished":
          setStatus("finished", "Finished. Output from pending promises and timers still shows; Stop ends the run.");
          break;
        case "failed": {
          const { error, phase } = message;
          print("error", formatFailure(phase, error));
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
      print("system", "■ Stopped: the run's worker was terminated.");
      setStatus("stopped", "Stopped. The page never stopped responding; run again whenever you like.");
    });
    exampleSelect.addEventListener("change", () => {
      saveDraft();
      currentExample = exampleSelect.value;
      loadExample();
    });
    assemblyName.addEventListener("input", showNames);
    const clearOutput = h("button", { type: "button", class: "quiet", onclick: () => output.replaceChildren() }, "Clear");

    root.append(
      h("h1", null, "Sandbox"),
      h(
        "p",
        { class: "lede" },
        prose(
          "Write AssemblyScript with `@jsInvokable` methods and the JavaScript that calls them. The AssemblyScript " +
            "compiler and as-interop's transform run in a worker in this page; your program runs in another one, " +
            "with `DotNet` bound to the assembly you just compiled — so Stop ends even a loop that never returns.",
        ),
      ),
      h(
        "div",
        { class: "sandbox-toolbar" },
        h("label", { class: "field" }, h("span", null, "Example"), exampleSelect),
        h("label", { class: "field" }, h("span", null, "Assembly name"), assemblyName),
        h("label", { class: "checkbox" }, optimize, "Optimize (-O3)"),
        h("div", { class: "actions" }, compileButton, runButton, stopButton),
      ),
      status,
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
      h(
        "section",
        { class: "sandbox-panel sandbox-console", "aria-label": "Program output" },
        h("header", null, h("span", { class: "code-language" }, "Output"), clearOutput),
        output,
      ),
    );

    loadExample();
    setStatus("loading", "Loading the compiler…");
    sandboxCompiler.ready().then(
      () => status.dataset.state === "loading" && setStatus("ready", "Compiler ready. Edit, then Run (Ctrl+Enter)."),
      (error: unknown) => setStatus("compile-failed", String(error)),
    );

    return () => {
      saveDraft();
      stopRun();
      clearInterval(clock);
      ++generation;
    };
  },
};

function toMarker(diagnostic: Diagnostic): LineMarker {
  return {
    line: diagnostic.line!,
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
      ? h("button", { type: "button", class: "diagnostic-location", onclick: () => editor.revealLine(diagnostic.line!) }, where)
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
