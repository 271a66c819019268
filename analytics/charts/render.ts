import { createRequire } from "node:module";
import { GlobalFonts } from "@napi-rs/canvas";
import type { ChartConfiguration } from "chart.js";
import { ChartJSNodeCanvas } from "chartjs-node-canvas";
import { formatCount, formatMultiple } from "../format.ts";
import type { ChartSpec } from "./spec.ts";

/**
 * ChartSpec → PNG through chart.js. `canvas` is aliased to @napi-rs/canvas in
 * package.json (a binary inside the npm package, nothing to compile), whose
 * synchronous render is the path that works under the alias.
 */

const require = createRequire(import.meta.url);
const FONT = "Inter";
let fontRegistered = false;

function registerFont(): void {
  if (fontRegistered) return;
  // Inter from npm, so charts look the same on every machine.
  GlobalFonts.registerFromPath(require.resolve("@fontsource/inter/files/inter-latin-400-normal.woff2"), FONT);
  GlobalFonts.registerFromPath(require.resolve("@fontsource/inter/files/inter-latin-600-normal.woff2"), FONT);
  fontRegistered = true;
}

/** Lift's palette: distinguishable for the common colour-vision deficiencies (Okabe & Ito, 2008). */
export const PALETTE = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
];

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 480;

const canvases = new Map<string, ChartJSNodeCanvas>();

function canvasFor(width: number, height: number): ChartJSNodeCanvas {
  const key = `${width}x${height}`;
  let canvas = canvases.get(key);
  if (!canvas) {
    registerFont();
    canvas = new ChartJSNodeCanvas({ width, height, backgroundColour: "#ffffff" });
    canvases.set(key, canvas);
  }
  return canvas;
}

function tickFormatter(spec: ChartSpec): (value: number | string) => string {
  const currency = spec.currency ?? "USD";
  const money = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  });
  return (value) => {
    const n = Number(value);
    switch (spec.format) {
      case "money":
        return money.format(n);
      case "percent":
        return `${(n * 100).toFixed(1)}%`;
      case "multiple":
        return formatMultiple(n);
      default:
        return formatCount(n, { compact: true });
    }
  };
}

/** The chart.js configuration for a spec (exposed so tests can check what is drawn). */
export function chartConfiguration(spec: ChartSpec): ChartConfiguration {
  const stacked = spec.kind === "stacked-bar";
  const type = spec.kind === "line" ? "line" : "bar";
  const format = tickFormatter(spec);
  return {
    type,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, i) => {
        const colour = PALETTE[i % PALETTE.length]!;
        return {
          label: series.name,
          data: series.values,
          borderColor: colour,
          backgroundColor: type === "line" ? colour : `${colour}cc`,
          borderWidth: type === "line" ? 2.5 : 0,
          borderDash: series.dashed ? [6, 4] : [],
          pointRadius: type === "line" && spec.labels.length <= 31 ? 2.5 : 0,
          spanGaps: false,
          tension: 0.25,
        };
      }),
    },
    options: {
      responsive: false,
      animation: false,
      devicePixelRatio: 1,
      layout: { padding: 16 },
      font: { family: FONT, size: 14 },
      plugins: {
        title: {
          display: true,
          text: spec.title,
          font: { family: FONT, size: 18, weight: "bold" },
          color: "#1d1c1d",
        },
        legend: {
          display: spec.series.length > 1,
          position: "bottom",
          labels: { font: { family: FONT, size: 13 }, color: "#1d1c1d", boxHeight: 3, boxWidth: 24 },
        },
      },
      scales: {
        x: {
          stacked,
          grid: { display: false },
          ticks: {
            font: { family: FONT, size: 12 },
            color: "#454245",
            maxRotation: 0,
            autoSkip: true,
            autoSkipPadding: 12,
          },
        },
        y: {
          stacked,
          beginAtZero: true,
          grid: { color: "#e8e8e8" },
          ticks: { font: { family: FONT, size: 12 }, color: "#454245", callback: (value) => format(value) },
        },
      },
    },
  } as ChartConfiguration;
}

/** Renders a chart to PNG bytes (~20 ms). */
export function renderChart(spec: ChartSpec, size: { width?: number; height?: number } = {}): Buffer {
  const canvas = canvasFor(size.width ?? CHART_WIDTH, size.height ?? CHART_HEIGHT);
  return canvas.renderToBufferSync(chartConfiguration(spec), "image/png");
}
