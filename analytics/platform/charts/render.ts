import { createRequire } from "node:module";
import type { ChartConfiguration, Plugin } from "chart.js";
import { axisLabels } from "./axis.ts";
import type { ChartSpec, ValueFormat } from "./spec.ts";

/**
 * ChartSpec → PNG through chart.js. `canvas` is aliased to @napi-rs/canvas in
 * package.json (a binary inside the npm package, nothing to compile), whose
 * synchronous render is the path that works under the alias. chart.js and the
 * canvas load on the first chart drawn, not when Lift starts.
 */

const require = createRequire(import.meta.url);
const FONT = "Inter";

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

type Canvas = { renderToBufferSync(configuration: ChartConfiguration, mime: "image/png"): Buffer };
const canvases = new Map<string, Canvas>();

function canvasFor(width: number, height: number): Canvas {
  const key = `${width}x${height}`;
  let canvas = canvases.get(key);
  if (!canvas) {
    const { GlobalFonts } = require("@napi-rs/canvas") as typeof import("@napi-rs/canvas");
    if (canvases.size === 0) {
      // Inter from npm, so charts look the same on every machine.
      GlobalFonts.registerFromPath(
        require.resolve("@fontsource/inter/files/inter-latin-400-normal.woff2"),
        FONT,
      );
      GlobalFonts.registerFromPath(
        require.resolve("@fontsource/inter/files/inter-latin-600-normal.woff2"),
        FONT,
      );
    }
    const { ChartJSNodeCanvas } = require("chartjs-node-canvas") as typeof import("chartjs-node-canvas");
    canvas = new ChartJSNodeCanvas({ width, height, backgroundColour: "#ffffff" }) as Canvas;
    canvases.set(key, canvas);
  }
  return canvas;
}

/** chart.js's tick callback: every label on the axis in one unit (see axis.ts). */
function tickCallback(format: ValueFormat, currency: string) {
  return (value: number | string, index: number, ticks: { value: number }[]) =>
    axisLabels(
      ticks.map((t) => t.value),
      format,
      currency,
    )[index] ?? String(value);
}

/** Vertical lines with a label at the top: an experiment's start, an incident. */
const markerPlugin: Plugin = {
  id: "liftMarkers",
  afterDatasetsDraw(chart, _args, options) {
    const markers = (options as { markers?: { at: string; text: string }[] }).markers ?? [];
    const labels = (chart.data.labels ?? []) as string[];
    const x = chart.scales["x"];
    const area = chart.chartArea;
    if (!x || !area) return;
    const context = chart.ctx;
    for (const marker of markers) {
      const index = labels.indexOf(marker.at);
      if (index < 0) continue;
      const position = x.getPixelForValue(index);
      context.save();
      context.strokeStyle = "#616061";
      context.setLineDash([4, 4]);
      context.lineWidth = 1.5;
      context.beginPath();
      context.moveTo(position, area.top);
      context.lineTo(position, area.bottom);
      context.stroke();
      context.setLineDash([]);
      context.fillStyle = "#1d1c1d";
      context.font = `12px ${FONT}`;
      context.textAlign = position > area.right - 120 ? "right" : "left";
      context.fillText(marker.text, position + (context.textAlign === "right" ? -4 : 4), area.top + 12);
      context.restore();
    }
  },
};

function lineAndBarDatasets(spec: ChartSpec) {
  const line = spec.kind === "line";
  const datasets: Record<string, unknown>[] = [];
  if (spec.band) {
    // Two invisible lines, the upper filled down to the lower: the shaded interval.
    datasets.push(
      {
        label: spec.band.name,
        data: spec.band.high,
        borderWidth: 0,
        pointRadius: 0,
        backgroundColor: "#0072B226",
        fill: "+1",
        spanGaps: false,
        tension: 0,
        type: "line",
        order: 2,
      },
      {
        label: `${spec.band.name} (low)`,
        data: spec.band.low,
        borderWidth: 0,
        pointRadius: 0,
        fill: false,
        spanGaps: false,
        tension: 0,
        type: "line",
        order: 2,
      },
    );
  }
  spec.series.forEach((series, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    datasets.push({
      label: series.name,
      data: series.values,
      borderColor: colour,
      backgroundColor: line ? colour : `${colour}cc`,
      borderWidth: line ? 2.5 : 0,
      borderDash: series.dashed ? [6, 4] : [],
      pointRadius: line && spec.labels.length <= 31 ? 2.5 : 0,
      spanGaps: false,
      // Straight segments: smoothing would invent values between the days.
      tension: 0,
      fill: false,
      order: 1,
    });
  });
  return datasets;
}

const axisColour = "#454245";

/** The chart.js configuration for a spec (exposed so tests can check what is drawn). */
// Long on purpose: chart.js's configuration object, written out as chart.js reads it.
export function chartConfiguration(spec: ChartSpec, fontScale = 1): ChartConfiguration {
  const currency = spec.currency ?? "USD";
  // A narrow chart is shown near its own width on a phone: its text is drawn larger so it reads at 11 px or more.
  const px = (size: number) => Math.round(size * fontScale);
  const axisFont = { family: FONT, size: px(12) };
  const title = {
    display: true,
    text: spec.title,
    font: { family: FONT, size: px(18), weight: "bold" },
    color: "#1d1c1d",
  };
  const common = {
    responsive: false,
    animation: false,
    devicePixelRatio: 1,
    layout: { padding: { top: 8, right: 12, bottom: 8, left: 4 } },
    font: { family: FONT, size: px(14) },
  };
  if (spec.kind === "scatter") {
    const axes = spec.axes ?? {
      x: { label: "", format: "count" as const },
      y: { label: "", format: spec.format },
    };
    return {
      type: "scatter",
      data: {
        datasets: (spec.points ?? []).map((group, i) => ({
          label: group.name,
          data: group.points,
          backgroundColor: `${PALETTE[i % PALETTE.length]!}b3`,
          pointRadius: 3,
        })),
      },
      options: {
        ...common,
        plugins: {
          title,
          legend: { display: (spec.points ?? []).length > 1, position: "bottom", labels: { font: axisFont } },
        },
        scales: {
          x: {
            title: { display: axes.x.label !== "", text: axes.x.label, font: axisFont },
            ticks: { font: axisFont, color: axisColour, callback: tickCallback(axes.x.format, currency) },
          },
          y: {
            title: { display: axes.y.label !== "", text: axes.y.label, font: axisFont },
            ticks: { font: axisFont, color: axisColour, callback: tickCallback(axes.y.format, currency) },
          },
        },
      },
    } as unknown as ChartConfiguration;
  }
  const stacked = spec.kind === "stacked-bar";
  const horizontal = spec.kind === "hbar";
  const type = spec.kind === "line" ? "line" : "bar";
  const valueAxis = {
    stacked,
    beginAtZero: true,
    grid: { color: "#e8e8e8" },
    ticks: { font: axisFont, color: axisColour, callback: tickCallback(spec.format, currency) },
  };
  const categoryAxis = {
    stacked,
    grid: { display: false },
    ticks: { font: axisFont, color: axisColour, maxRotation: 0, autoSkip: !horizontal, autoSkipPadding: 12 },
  };
  const datasets = lineAndBarDatasets(spec);
  return {
    type,
    data: { labels: spec.labels, datasets },
    options: {
      ...common,
      ...(horizontal ? { indexAxis: "y" } : {}),
      plugins: {
        title,
        legend: {
          display: spec.series.length > 1 || spec.band !== undefined,
          position: "bottom",
          labels: {
            font: { family: FONT, size: px(13) },
            color: "#1d1c1d",
            boxHeight: 3,
            boxWidth: 24,
            // The band's lower edge is drawn, not named.
            filter: (item: { text: string }) => !item.text.endsWith("(low)"),
          },
        },
        liftMarkers: { markers: spec.markers ?? [] },
      },
      scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    },
    plugins: [markerPlugin],
  } as unknown as ChartConfiguration;
}

/** Renders a chart to PNG bytes (~20 ms; the first one also loads chart.js and the canvas). */
export function renderChart(spec: ChartSpec, size: { width?: number; height?: number } = {}): Buffer {
  const height =
    size.height ??
    (spec.kind === "hbar" ? Math.max(CHART_HEIGHT, 120 + 34 * spec.labels.length) : CHART_HEIGHT);
  const width = size.width ?? CHART_WIDTH;
  const canvas = canvasFor(width, height);
  // 480 px wide (phones): text 1.25× (axis labels 15 px, ≥ 11 px when shown 360 px wide).
  return canvas.renderToBufferSync(chartConfiguration(spec, width < 600 ? 1.25 : 1), "image/png");
}
