import { describe, expect, it } from "vitest";
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  chartConfiguration,
  renderChart,
} from "../../../../analytics/platform/charts/index.ts";
import type { ChartSpec } from "../../../../analytics/platform/charts/spec.ts";

const spec: ChartSpec = {
  kind: "line",
  title: "Revenue per day",
  labels: ["Nov 1", "Nov 2", "Nov 3"],
  series: [
    { name: "This period", values: [120, null, 140] },
    { name: "Before", values: [100, 110, 90], dashed: true },
  ],
  format: "money",
  currency: "USD",
};

describe("charts", () => {
  it("renders a PNG of the chart's size", () => {
    const png = renderChart(spec);
    expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
    // The IHDR chunk holds width and height at bytes 16–23.
    expect(png.readUInt32BE(16)).toBe(CHART_WIDTH);
    expect(png.readUInt32BE(20)).toBe(CHART_HEIGHT);
  });

  it("draws missing values as gaps, not zeros, and the comparison dashed", () => {
    const config = chartConfiguration(spec);
    const datasets = config.data.datasets as {
      data: (number | null)[];
      borderDash: number[];
      spanGaps: boolean;
    }[];
    expect(datasets[0]!.data).toEqual([120, null, 140]);
    expect(datasets[0]!.spanGaps).toBe(false);
    expect(datasets[1]!.borderDash).toEqual([6, 4]);
  });

  it("labels the money axis in the currency, every tick in one unit", () => {
    const config = chartConfiguration(spec) as unknown as {
      options: {
        scales: { y: { ticks: { callback: (v: number, i: number, ticks: { value: number }[]) => string } } };
      };
    };
    const ticks = [0, 2000, 4000, 6000, 8000, 10000, 12000].map((value) => ({ value }));
    const labels = ticks.map((tick, i) => config.options.scales.y.ticks.callback(tick.value, i, ticks));
    // One format per axis: "12K, 10K, 8K", never "12K, 10K, 8,000".
    expect(labels).toEqual(["$0", "$2K", "$4K", "$6K", "$8K", "$10K", "$12K"]);
  });
});
