/**
 * The large-payload page: pick a kind and a size, send it to managed code and back in chunks,
 * and watch progress, throughput and the two sides' checksums. Chunks are sent one call each,
 * with a pause between them for the page to repaint (and for Stop to be clicked).
 */
import payloadUrl from "../../../assembly/demo/Payload.ts?assembly";
import payloadSource from "../../../assembly/demo/Payload.ts?raw";
import type { LoadedAssembly } from "../../../host/runtime/index.ts";
import { useAssembly } from "../../app/assemblies.ts";
import { codeBlock } from "../../app/code-block.ts";
import { h, prose } from "../../app/dom.ts";
import type { Page } from "../../app/router.ts";
import { formatChecksum } from "./checksum.ts";
import { initialChecksums, payloadKinds, type Checksums, type ChunkResult, type PayloadKind } from "./payload-kinds.ts";

/** Sizes count in binary units: M characters are 2^20 of them, a MiB is 2^20 bytes. */
const M = 1024 * 1024;
const MiB = 1024 * 1024;
const CHUNK_SIZES = [1 * M, 4 * M, 16 * M];
const ONE_CALL = 0;

interface Direction {
  readonly id: "to-managed" | "from-managed";
  readonly title: string;
  readonly step: (kind: PayloadKind, length: number, variant: number, previous: Checksums) => ChunkResult;
}

const directions: readonly Direction[] = [
  { id: "to-managed", title: "JavaScript → managed", step: (kind, ...args) => kind.toManaged(...args) },
  { id: "from-managed", title: "managed → JavaScript", step: (kind, ...args) => kind.fromManaged(...args) },
];

export const payloadPage: Page = {
  mount(root) {
    let stopped = false;
    let loaded: LoadedAssembly | null = null;
    const kindSelect = h("select", { id: "payload-kind" }, payloadKinds.map((kind) => h("option", { value: kind.id }, kind.label)));
    const sizeSelect = h("select", { id: "payload-size" });
    const chunkSelect = h("select", { id: "payload-chunk" });
    const run = h("button", { type: "button", class: "primary", disabled: true }, "Send both ways");
    const stop = h("button", { type: "button", class: "danger", disabled: true }, "Stop");
    const memory = h("p", { class: "hint" });
    const panels = directions.map((direction) => directionPanel(direction));

    const kind = () => payloadKinds.find((candidate) => candidate.id === kindSelect.value) ?? payloadKinds[0];
    const fillSizes = () => {
      const { sizes, unit, bytesPerUnit } = kind();
      sizeSelect.replaceChildren(
        ...sizes.map((size) => h("option", { value: size }, `${size / M}M ${unit} (${formatBytes(size * bytesPerUnit)})`)),
      );
      sizeSelect.value = String(sizes[1] ?? sizes[0]);
      chunkSelect.replaceChildren(
        ...CHUNK_SIZES.map((size) => h("option", { value: size }, `${size / M}M ${unit}`)),
        h("option", { value: ONE_CALL }, "all in one call"),
      );
      chunkSelect.value = String(4 * M);
    };
    kindSelect.addEventListener("change", fillSizes);
    fillSizes();

    run.addEventListener("click", async () => {
      stopped = false;
      run.disabled = true;
      stop.disabled = false;
      const selected = kind();
      const total = Number(sizeSelect.value);
      const chunk = Number(chunkSelect.value) || total;
      for (const panel of panels) panel.reset();
      try {
        for (const panel of panels) {
          const finished = await panel.transfer(selected, total, chunk, () => stopped);
          if (!finished) break;
        }
      } catch (error) {
        console.error(error);
      } finally {
        selected.release();
        memory.textContent = `The assembly's linear memory is now ${formatBytes(memoryBytes(loaded))}.`;
        console.info(memory.textContent);
        run.disabled = false;
        stop.disabled = true;
      }
    });
    stop.addEventListener("click", () => (stopped = true));

    root.append(
      h("h1", null, "Large payloads"),
      h(
        "p",
        { class: "lede" },
        prose(
          "Blazor Server caps a call at 32 KB; here a value crosses through wasm linear memory and is limited only by " +
            "the engine. Data goes in chunks, one `DotNet.invokeMethod` call each, and the time counted is the crossing " +
            "call alone. Both sides checksum what they hold (FNV-1a over UTF-16 code units).",
        ),
      ),
      h(
        "div",
        { class: "card payload-form" },
        field("Kind", kindSelect),
        field("Size", sizeSelect),
        field("Chunk", chunkSelect),
        h("div", { class: "actions" }, run, stop),
      ),
      h("div", { class: "payload-directions" }, panels.map((panel) => panel.element)),
      memory,
      h(
        "details",
        { class: "source" },
        h("summary", null, "The managed code: ", h("code", null, "assembly/demo/Payload.ts")),
        codeBlock({ language: "AssemblyScript", file: "assembly/demo/Payload.ts", code: payloadSource }),
      ),
    );

    useAssembly(payloadUrl).then(
      (assembly) => {
        loaded = assembly;
        run.disabled = false;
      },
      (error: unknown) => memory.replaceChildren(`Could not load the Payload assembly: ${String(error)}`),
    );
    return () => (stopped = true);
  },
};

interface DirectionPanel {
  readonly element: HTMLElement;
  reset(): void;
  /** Moves `total` units in chunks; false when stopped before the end. */
  transfer(kind: PayloadKind, total: number, chunk: number, isStopped: () => boolean): Promise<boolean>;
}

function directionPanel(direction: Direction): DirectionPanel {
  const progress = h("progress", { max: 1, value: 0 });
  const stats = h("p", { class: "payload-stats" }, "Not started.");
  const verdict = h("p", { class: "verdict", "data-state": "waiting" });
  const element = h(
    "section",
    { class: "card payload-direction", "data-direction": direction.id, "data-state": "idle" },
    h("h2", null, direction.title),
    progress,
    stats,
    verdict,
  );

  return {
    element,
    reset() {
      element.dataset.state = "idle";
      progress.value = 0;
      stats.textContent = "Waiting…";
      verdict.textContent = "";
      verdict.dataset.state = "waiting";
    },
    async transfer(kind, total, chunk, isStopped) {
      element.dataset.state = "running";
      let checksums = initialChecksums;
      let ms = 0;
      let done = 0;
      for (let variant = 1; done < total; ++variant) {
        if (isStopped()) {
          element.dataset.state = "stopped";
          verdict.textContent = "Stopped.";
          console.info(`${direction.title}: stopped after ${stats.textContent}`);
          return false;
        }
        const length = Math.min(chunk, total - done);
        const result = direction.step(kind, length, variant, checksums);
        checksums = { js: result.jsChecksum, managed: result.managedChecksum };
        ms += result.ms;
        done += length;
        progress.value = done / total;
        stats.textContent = describeProgress(kind, done, total, ms);
        // Let the page repaint the progress and handle a click on Stop.
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      const match = checksums.js === checksums.managed;
      element.dataset.state = match ? "match" : "mismatch";
      verdict.dataset.state = match ? "match" : "failed";
      verdict.textContent = match
        ? `✓ Checksums match: ${formatChecksum(checksums.js)} on both sides.`
        : `✗ Checksums differ: JavaScript ${formatChecksum(checksums.js)}, managed ${formatChecksum(checksums.managed)}.`;
      // The run's outcome goes to the console too, where every page prints.
      (match ? console.info : console.error)(`${direction.title}: ${stats.textContent}. ${verdict.textContent}`);
      return true;
    },
  };
}

function describeProgress(kind: PayloadKind, done: number, total: number, ms: number): string {
  const bytes = done * kind.bytesPerUnit;
  const rate = ms > 0 ? `${Math.round(bytes / MiB / (ms / 1000)).toLocaleString("en")} MiB/s` : "—";
  return `${formatBytes(bytes)} of ${formatBytes(total * kind.bytesPerUnit)} · ${(ms / 1000).toFixed(3)} s in calls · ${rate}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(2)} GiB` : `${(bytes / MiB).toFixed(1)} MiB`;
}

function field(label: string, control: HTMLSelectElement): HTMLElement {
  control.setAttribute("aria-label", label);
  return h("label", { class: "field" }, h("span", null, label), control);
}

/** The size of the memory the chunks were written into. */
function memoryBytes(assembly: LoadedAssembly | null): number {
  const memory = assembly?.instance.exports["memory"];
  return memory instanceof WebAssembly.Memory ? memory.buffer.byteLength : 0;
}
