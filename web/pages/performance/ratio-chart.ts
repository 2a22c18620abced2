/**
 * A horizontal bar chart of one scenario's figures as ratios to its baseline (the raw wasm export
 * or import, or whatever limit the scenario is measured against), on a
 * log scale (the ratios span 1× to thousands×). Scales and ticks come from d3-scale; the drawing
 * is plain SVG. Each bar carries the figure it was drawn from (`data-ns`, `data-ratio`) and the
 * chart its scale (`data-domain`, `data-range`), so what is drawn can be checked against what was
 * measured.
 */
import { scaleBand, scaleLog } from "d3-scale";
import type { Figure } from "./bench-protocol.ts";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 720;
const LABEL_WIDTH = 130;
const VALUE_WIDTH = 150;
const ROW = 28;
const AXIS = 24;

function svg<Tag extends keyof SVGElementTagNameMap>(tag: Tag, attributes: Record<string, string | number>, text?: string): SVGElementTagNameMap[Tag] {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

export function ratioChart(title: string, figures: readonly Figure[], baselineImpl: string, labels: Readonly<Record<string, string>>): SVGSVGElement {
  const baseline = figures.find((figure) => figure.impl === baselineImpl)?.ns ?? Math.min(...figures.map((figure) => figure.ns));
  const rows = figures.map((figure) => ({ ...figure, ratio: figure.ns / baseline }));
  const height = rows.length * ROW + AXIS;
  const ratios = rows.map((row) => row.ratio);
  // From a little under the smallest ratio, so even the smallest bar shows, to a little over the largest.
  const x = scaleLog()
    .domain([Math.min(0.5, ...ratios) * 0.8, Math.max(2, ...ratios) * 1.25])
    .range([LABEL_WIDTH, WIDTH - VALUE_WIDTH]);
  const y = scaleBand<string>().domain(rows.map((row) => row.impl)).range([0, rows.length * ROW]).padding(0.25);

  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`,
    class: "ratio-chart",
    role: "img",
    "aria-label": `${title}: time per call as a multiple of ${labels[baselineImpl] ?? baselineImpl}`,
    "data-domain": x.domain().join(","),
    "data-range": x.range().join(","),
  });
  for (const tick of x.ticks(6).filter((value) => Number.isInteger(Math.log10(value)))) {
    chart.append(
      svg("line", { x1: x(tick), x2: x(tick), y1: 0, y2: rows.length * ROW, class: "grid" }),
      svg("text", { x: x(tick), y: height - 6, "text-anchor": "middle", class: "tick" }, `${tick >= 1 ? tick : tick.toString()}×`),
    );
  }
  for (const row of rows) {
    const top = y(row.impl)!;
    const middle = top + y.bandwidth() / 2;
    chart.append(
      svg("text", { x: LABEL_WIDTH - 8, y: middle, "text-anchor": "end", "dominant-baseline": "middle", class: "impl-label" }, labels[row.impl] ?? row.impl),
      svg("rect", {
        x: x.range()[0],
        y: top,
        width: Math.max(0, x(row.ratio) - x.range()[0]),
        height: y.bandwidth(),
        rx: 3,
        class: `bar impl-${row.impl}`,
        "data-impl": row.impl,
        "data-ns": row.ns,
        "data-ratio": row.ratio,
      }),
      svg("text", { x: x(row.ratio) + 6, y: middle, "dominant-baseline": "middle", class: "value" }, `${formatNs(row.ns)} · ${formatRatio(row.ratio)}`),
    );
  }
  return chart;
}

export function formatNs(ns: number): string {
  return ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns >= 100 ? ns.toFixed(0) : ns >= 10 ? ns.toFixed(1) : ns.toFixed(2)} ns`;
}

export function formatRatio(ratio: number): string {
  return `${ratio >= 100 ? ratio.toFixed(0) : ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}
