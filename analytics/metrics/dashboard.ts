import type { ChartSpec } from "../charts/spec.ts";
import { formatDay, toMajorUnits } from "../format.ts";
import type { Fact } from "../reports/report.ts";
import { CHANNEL_LABELS, type KpiQuery, type KpiResult } from "./kpis.ts";
import { describeChange, formatMetric } from "./report.ts";

/**
 * The live dashboard: today so far against the same hours of the same weekday
 * last week, and the last 30 days of revenue per day by channel. Built from the
 * same core calls as the answers in Slack.
 */
export const DASHBOARD_METRICS = ["visitors", "orders", "revenue", "conversion_rate"];

/** Today so far against the same hours a week earlier: the console's tiles and the App Home. */
export const TODAY_QUERY: KpiQuery = {
  metrics: DASHBOARD_METRICS,
  period: { kind: "today" },
  compare: "previous",
  by: "none",
  filter: {},
};

export interface Dashboard {
  tiles: Fact[];
  trend: ChartSpec;
  freshness: { text: string; stale: boolean };
  warnings: string[];
}

export function dashboardFrom(
  today: KpiResult,
  byChannel: { channel: string; result: KpiResult }[],
): Dashboard {
  const tiles = today.metrics.map((metric) => {
    const change = describeChange(metric, today.totals.change[metric.key]);
    const value = today.totals.current[metric.key];
    return {
      label: metric.label,
      value: value === null || value === undefined ? "no data" : formatMetric(metric, value, today.currency),
      ...(change ? { change } : {}),
      ...(today.comparison && today.totals.previous
        ? {
            note: `${formatMetric(metric, today.totals.previous[metric.key], today.currency)} ${today.comparison.label}`,
          }
        : {}),
    };
  });
  const days = byChannel[0]?.result.groups.map((g) => g.key) ?? [];
  const trend: ChartSpec = {
    kind: "stacked-bar",
    title:
      days.length > 0
        ? `Revenue per day by channel · ${formatDay(days[0]!, { short: true })} – ${formatDay(days.at(-1)!)}`
        : "Revenue per day by channel",
    labels: days.map((day) => formatDay(day, { short: true })),
    series: byChannel.map(({ channel, result }) => ({
      name: CHANNEL_LABELS[channel] ?? channel,
      values: result.groups.map((g) => {
        const value = g.current["revenue"];
        return value === null || value === undefined ? null : toMajorUnits(value, today.currency);
      }),
    })),
    format: "money",
    currency: today.currency,
  };
  return {
    tiles,
    trend,
    freshness: { text: today.freshness.text, stale: today.freshness.stale },
    warnings: today.warnings,
  };
}
