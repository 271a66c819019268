export { CHART_HEIGHT, CHART_WIDTH, chartConfiguration, PALETTE, renderChart } from "./render.ts";
export type { ChartSeries, ChartSpec, ValueFormat } from "./spec.ts";
