import { formatPercent } from "../../platform/base/format.ts";
import type { AlertSubject, AlertWindow } from "../../platform/contract/alerts.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { ContextProvider } from "../../platform/contract/capability.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import type { KpiQuery } from "../../platform/metrics/kpis.ts";
import type { PeriodSpec } from "../../platform/metrics/periods.ts";
import { formatMetric, MIN_UNITS_FOR_CHANGE } from "../../platform/metrics/report.ts";

/** A move smaller than this is not worth naming beside an alert. */
const NOTABLE = 0.1;
const HEADLINE = ["revenue", "orders", "conversion_rate"];

const signed = (change: number) => `${change >= 0 ? "+" : "−"}${formatPercent(Math.abs(change), 0)}`;

/** A window of whole days compared with the days before; today (not over) with the same hours last week. */
function periodOf(platform: PlatformApi, window: AlertWindow): PeriodSpec {
  return window.to >= platform.today()
    ? { kind: "today" }
    : { kind: "range", from: window.from, to: window.to };
}

async function channelsThatMoved(
  platform: PlatformApi,
  window: AlertWindow,
  metric: string,
): Promise<string | null> {
  const definition = metricByKey(metric);
  if (!definition) return null;
  const query: KpiQuery = {
    metrics: [metric, "orders", "visitors"],
    period: periodOf(platform, window),
    compare: "previous",
    by: "channel",
    filter: {},
  };
  const result = await platform.kpis(query);
  const currency = platform.settings.currency;
  const moved = result.groups
    .map((g) => {
      const now = g.current[metric];
      const before = g.previous?.[metric];
      // Small numbers are not news: a channel needs enough orders or visitors in both periods.
      const units = (v: Record<string, number | null> | null | undefined) =>
        Math.max(v?.["orders"] ?? 0, definition.needs.includes("events") ? (v?.["visitors"] ?? 0) : 0);
      if (typeof now !== "number" || typeof before !== "number" || before === 0) return null;
      if (units(g.current) < MIN_UNITS_FOR_CHANGE || units(g.previous) < MIN_UNITS_FOR_CHANGE) return null;
      const change = now / before - 1;
      return Math.abs(change) >= NOTABLE
        ? { label: g.label, change, now, before, weight: Math.abs(now - before) }
        : null;
    })
    .filter((x): x is NonNullable<typeof x> => x !== null)
    .sort((a, b) => (definition.additive ? b.weight - a.weight : Math.abs(b.change) - Math.abs(a.change)))
    .slice(0, 3);
  if (moved.length === 0) return null;
  return `${definition.label.toLowerCase()} by channel: ${moved
    .map(
      (m) =>
        `${m.label} ${signed(m.change)} (${formatMetric(definition, m.before, currency)} → ${formatMetric(definition, m.now, currency)})`,
    )
    .join(", ")}`;
}

async function headlineMoves(platform: PlatformApi, window: AlertWindow): Promise<string | null> {
  const result = await platform.kpis({
    metrics: HEADLINE,
    period: periodOf(platform, window),
    compare: "previous",
    by: "none",
    filter: {},
  });
  const orders = [result.totals.current["orders"] ?? 0, result.totals.previous?.["orders"] ?? 0];
  if (Math.min(...orders) < MIN_UNITS_FOR_CHANGE) return null;
  const moves = HEADLINE.map((key) => ({ key, change: result.totals.change[key] }))
    .filter(
      (m): m is { key: string; change: number } =>
        typeof m.change === "number" && Math.abs(m.change) >= NOTABLE,
    )
    .map((m) => `${metricByKey(m.key)!.label.toLowerCase()} ${signed(m.change)}`);
  return moves.length > 0
    ? `${moves.join(", ")} (${result.period.label.toLowerCase()} vs ${result.comparison?.label ?? "before"})`
    : null;
}

/**
 * What the KPIs did around an alert. For a KPI alert, the channels that moved
 * the watched metric most ("revenue by channel: Paid search −80 %"); for any
 * other alert (a sentiment spike, an experiment), the headline KPIs that moved.
 */
export const kpiContext: ContextProvider = {
  id: "kpis",
  order: 10,
  async lines({ platform }, window, subject: AlertSubject) {
    // An explanation (`why`) says what the KPIs did in its drivers.
    if (subject.kind === "explanation") return [];
    if (subject.kind === "metric") {
      if (subject.channel) return [];
      const line = await channelsThatMoved(platform, window, subject.id);
      return line ? [line] : [];
    }
    const line = await headlineMoves(platform, window);
    return line ? [line] : [];
  },
};
