import { describe, expect, it } from "vitest";
import { axisLabels } from "../../../../analytics/platform/charts/axis.ts";
import { chartConfiguration, renderChart } from "../../../../analytics/platform/charts/index.ts";
import type { ChartSpec } from "../../../../analytics/platform/charts/spec.ts";

const days = ["Nov 1", "Nov 2", "Nov 3", "Nov 4"];

describe("chart kinds the capabilities need", () => {
  it("shades an interval band behind the series, and draws markers at labels", () => {
    const spec: ChartSpec = {
      kind: "line",
      title: "Relative lift",
      labels: days,
      series: [{ name: "Lift", values: [0.02, 0.05, null, 0.04] }],
      band: { name: "95 % interval", low: [-0.1, -0.04, null, 0.01], high: [0.14, 0.14, null, 0.07] },
      markers: [{ at: "Nov 2", text: "started" }],
      format: "percent",
    };
    const config = chartConfiguration(spec) as unknown as {
      data: { datasets: { label: string; data: (number | null)[]; fill: unknown; tension: number }[] };
      options: { plugins: { liftMarkers: { markers: unknown[] } } };
    };
    const [high, low, lift] = config.data.datasets;
    expect(high).toMatchObject({ label: "95 % interval", data: [0.14, 0.14, null, 0.07], fill: "+1" });
    expect(low!.data).toEqual([-0.1, -0.04, null, 0.01]);
    // Never smoothed: straight segments between days.
    expect(lift).toMatchObject({ label: "Lift", tension: 0 });
    expect(config.options.plugins.liftMarkers.markers).toEqual([{ at: "Nov 2", text: "started" }]);
    expect(renderChart(spec).subarray(1, 4).toString()).toBe("PNG");
  });

  it("draws ranked lists as horizontal bars, taller when the list is long", () => {
    const labels = Array.from({ length: 20 }, (_, i) => `Post ${i + 1}`);
    const spec: ChartSpec = {
      kind: "hbar",
      title: "Top posts",
      labels,
      series: [{ name: "Likes", values: labels.map((_, i) => 100 - i) }],
      format: "count",
    };
    expect(
      (chartConfiguration(spec) as unknown as { options: { indexAxis: string } }).options.indexAxis,
    ).toBe("y");
    const png = renderChart(spec);
    expect(png.readUInt32BE(20)).toBeGreaterThan(480);
  });

  it("plots groups of points on a scatter chart with a format per axis", () => {
    const spec: ChartSpec = {
      kind: "scatter",
      title: "Customers",
      labels: [],
      series: [],
      points: [
        { name: "Loyal", points: [{ x: 5, y: 500 }] },
        { name: "New", points: [{ x: 1, y: 40 }] },
      ],
      axes: { x: { label: "Orders", format: "count" }, y: { label: "Revenue", format: "money" } },
      format: "money",
    };
    const config = chartConfiguration(spec) as unknown as {
      type: string;
      data: { datasets: { label: string }[] };
    };
    expect(config.type).toBe("scatter");
    expect(config.data.datasets.map((d) => d.label)).toEqual(["Loyal", "New"]);
    expect(renderChart(spec).subarray(1, 4).toString()).toBe("PNG");
  });

  it("writes every tick of an axis in one unit and one number of decimals", () => {
    expect(axisLabels([0, 2000, 4000, 6000, 8000, 10000, 12000], "count")).toEqual([
      "0",
      "2K",
      "4K",
      "6K",
      "8K",
      "10K",
      "12K",
    ]);
    expect(axisLabels([0, 500, 1000, 1500], "money", "USD")).toEqual(["$0", "$500", "$1,000", "$1,500"]);
    expect(axisLabels([0, 2.5e6, 5e6], "money", "EUR")).toEqual(["€0", "€2.5M", "€5.0M"]);
    expect(axisLabels([0, 0.005, 0.01, 0.015], "percent")).toEqual(["0.0%", "0.5%", "1.0%", "1.5%"]);
    expect(axisLabels([0, 0.25, 0.5], "multiple")).toEqual(["0.00×", "0.25×", "0.50×"]);
    expect(axisLabels([-0.1, 0, 0.1], "percent")).toEqual(["−10%", "0%", "10%"]);
  });
});
