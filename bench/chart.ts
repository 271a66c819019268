import { createCanvas } from "@napi-rs/canvas";
import { CHART_HEIGHT, CHART_WIDTH, renderChart } from "../analytics/platform/charts/index.ts";
import { fmt, medianMs } from "./common.ts";

/** Chart render ms ÷ the cost of encoding a blank PNG of the same size (the floor of any chart). */
export async function benchChart() {
  const spec = {
    kind: "line" as const,
    title: "Revenue per day · Oct 24 – Nov 22, 2026",
    labels: Array.from({ length: 30 }, (_, i) => `Nov ${i + 1}`),
    series: [
      { name: "Last 30 days", values: Array.from({ length: 30 }, (_, i) => 4000 + 900 * Math.sin(i / 3)) },
      {
        name: "previous 30 days",
        values: Array.from({ length: 30 }, (_, i) => 3800 + 700 * Math.sin(i / 3)),
        dashed: true,
      },
    ],
    format: "money" as const,
    currency: "USD",
  };
  renderChart(spec);
  const chart = await medianMs(21, () => renderChart(spec));
  const blank = await medianMs(21, () => {
    const canvas = createCanvas(CHART_WIDTH, CHART_HEIGHT);
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, CHART_WIDTH, CHART_HEIGHT);
    return canvas.toBuffer("image/png");
  });
  return {
    name: "chart render (line, 30 days × 2 series, 960×480 PNG)",
    ratio: chart / blank,
    goal: "—",
    detail: `${fmt(chart, 1)} ms ÷ blank PNG encode ${fmt(blank, 1)} ms`,
  };
}
