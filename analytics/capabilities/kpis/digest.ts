import { formatPercent } from "../../platform/base/format.ts";
import { type DigestSection, digestPeriod } from "../../platform/digest/digest.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import { formatMetric, kpiReport, MIN_UNITS_FOR_CHANGE } from "../../platform/metrics/report.ts";

export const DIGEST_METRICS = ["revenue", "orders", "visitors", "conversion_rate", "spend", "roas"];

export const kpiSection: DigestSection = {
  id: "kpis",
  order: 10,
  title: "KPIs",
  async build({ platform, grain }) {
    const result = await platform.kpis({
      metrics: DIGEST_METRICS,
      period: digestPeriod(grain),
      compare: "previous",
      by: "none",
      filter: {},
    });
    const trend = kpiReport(
      await platform.kpis({
        metrics: ["revenue"],
        period: { kind: "last_days", n: 30 },
        compare: "none",
        by: "day",
        filter: {},
      }),
    );
    const chart = trend.charts[0];
    return { facts: kpiReport(result).facts, ...(chart ? { chart } : {}), warnings: result.warnings };
  },
};

const signed = (change: number) => `${change >= 0 ? "+" : "−"}${formatPercent(Math.abs(change), 0)}`;

/**
 * The channel that earned the most (its change beside it), and the biggest
 * gain and drop among channels with enough orders in both periods for a
 * change to mean something. "Top" means most revenue, never most growth.
 */
export const channelSection: DigestSection = {
  id: "channels",
  order: 20,
  title: "Channels",
  async build({ platform, grain }) {
    const result = await platform.kpis({
      metrics: ["revenue", "orders", "visitors"],
      period: digestPeriod(grain),
      compare: "previous",
      by: "channel",
      filter: {},
    });
    const revenue = metricByKey("revenue")!;
    const money = (value: number | null | undefined) => formatMetric(revenue, value, result.currency);
    const lines: string[] = [];
    const top = result.groups.find((g) => (g.current["revenue"] ?? 0) > 0);
    if (top) {
      const before = top.previous?.["revenue"];
      const now = top.current["revenue"]!;
      const enough =
        (top.current["orders"] ?? 0) >= MIN_UNITS_FOR_CHANGE &&
        (top.previous?.["orders"] ?? 0) >= MIN_UNITS_FOR_CHANGE;
      lines.push(
        `Top channel by revenue: ${top.label}, ${money(now)}${enough && before ? ` (${signed(now / before - 1)})` : ""}`,
      );
    }
    const moved = result.groups
      .filter(
        (g) =>
          (g.current["orders"] ?? 0) >= MIN_UNITS_FOR_CHANGE &&
          (g.previous?.["orders"] ?? 0) >= MIN_UNITS_FOR_CHANGE &&
          (g.previous?.["revenue"] ?? 0) > 0,
      )
      .map((g) => ({ g, change: (g.current["revenue"] ?? 0) / g.previous!["revenue"]! - 1 }))
      .sort((a, b) => b.change - a.change);
    const gain = moved[0];
    const drop = moved.at(-1);
    if (gain && gain.change > 0) lines.push(`Biggest gain: ${gain.g.label}, revenue ${signed(gain.change)}`);
    if (drop && drop.change < 0 && drop !== gain)
      lines.push(`Biggest drop: ${drop.g.label}, revenue ${signed(drop.change)}`);
    return {
      lines,
      details: [
        "Revenue by channel:",
        ...result.groups.map((g) => `  ${g.label.padEnd(14)} ${money(g.current["revenue"]).padStart(12)}`),
      ],
    };
  },
};
