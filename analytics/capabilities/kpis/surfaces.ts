import { formatDay, toMajorUnits } from "../../platform/base/format.ts";
import type { ChartSpec } from "../../platform/charts/spec.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { Panel } from "../../platform/contract/capability.ts";
import { CHANNEL_LABELS, type KpiQuery } from "../../platform/metrics/kpis.ts";
import type { Report } from "../../platform/reports/report.ts";
import type { HomeSection } from "../../platform/surfaces/home.ts";

/** Today so far against the same hours of the same weekday last week: the console's tiles and the App Home. */
export const TODAY_QUERY: KpiQuery = {
  metrics: ["visitors", "orders", "revenue", "conversion_rate"],
  period: { kind: "today" },
  compare: "previous",
  by: "none",
  filter: {},
};

/** Quick questions offered on the home, as buttons. */
export const QUICK_COMMANDS: { label: string; command: string }[] = [
  { label: "Revenue by channel, 30 days", command: "kpi revenue last 30 days by channel" },
  { label: "Channels this month", command: "channels this month" },
  { label: "Campaigns and pacing", command: "campaigns this month" },
  { label: "What can I ask?", command: "help" },
];

/** Today so far against the same hours a week earlier, with the quick questions. */
export const todayHome: HomeSection = {
  id: "today",
  order: 10,
  async build({ platform }) {
    const report = await platform.kpiReport(TODAY_QUERY);
    return {
      ...report,
      title: "Today so far",
      charts: [],
      actions: QUICK_COMMANDS.map((quick, i) => ({
        id: `home_${i}`,
        label: quick.label,
        command: quick.command,
      })),
    };
  },
};

/** The console's tiles: today so far, live. */
export const todayPanel: Panel = {
  id: "today",
  title: "Today so far",
  subtitle: "vs the same hours of the same weekday last week",
  order: 10,
  live: true,
  async build({ platform }) {
    const report = await platform.kpiReport(TODAY_QUERY);
    return [{ ...report, title: "Today so far", charts: [], actions: [] }];
  },
};

/** The last 30 days of revenue per day, stacked by channel. */
export async function revenueTrend(platform: PlatformApi): Promise<Report> {
  const last30 = { kind: "last_days", n: 30 } as const;
  const channels = await platform.kpis({
    metrics: ["revenue"],
    period: last30,
    compare: "none",
    by: "channel",
    filter: {},
  });
  const byChannel = await Promise.all(
    channels.groups.map(async (group) => ({
      channel: group.key,
      result: await platform.kpis({
        metrics: ["revenue"],
        period: last30,
        compare: "none",
        by: "day",
        filter: { channel: group.key },
      }),
    })),
  );
  const days = byChannel[0]?.result.groups.map((g) => g.key) ?? [];
  const currency = platform.settings.currency;
  const chart: ChartSpec = {
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
        return value === null || value === undefined ? null : toMajorUnits(value, currency);
      }),
    })),
    format: "money",
    currency,
  };
  return {
    kind: "trend",
    title: "Revenue by channel, last 30 days",
    summary: channels.groups.length === 0 ? "No revenue in the last 30 days yet." : "",
    period: {
      label: channels.period.label,
      from: channels.period.from,
      to: channels.period.to,
      timeZone: channels.timeZone,
      partial: false,
    },
    freshness: {
      text: channels.freshness.text,
      stale: channels.freshness.stale,
      asOf: channels.freshness.asOf,
    },
    facts: [],
    charts: [chart],
    actions: [{ id: "trend_channels", label: "Channels, last 30 days", command: "channels last 30 days" }],
    warnings: channels.warnings,
  };
}

export const trendPanel: Panel = {
  id: "trend",
  title: "Revenue by channel",
  order: 20,
  live: true,
  build: async ({ platform }) => [await revenueTrend(platform)],
};
