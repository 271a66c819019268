import { z } from "zod";
import type { PlatformApi } from "../../platform/contract/api.ts";
import { seasonalBand } from "../../platform/metrics/anomaly.ts";
import { type MetricDefinition, metricByKey } from "../../platform/metrics/definitions.ts";
import type { KpiGroup, KpiQuery, KpiResult, Values } from "../../platform/metrics/kpis.ts";
import { addDays, daysBetween, startOfDayMs } from "../../platform/time/zone.ts";
import { type Contribution, type Factor, shiftShare } from "./shift-share.ts";

export { explanationReport } from "./explain-report.ts";

/**
 * "Why did revenue drop yesterday?": the change, whether it is beyond normal
 * variation, what drove it (by channel and campaign, each split into traffic,
 * conversion and order value), and what else happened in the same days.
 * Deterministic: every figure comes from the data, and the drivers add up to
 * the change.
 */

const contributionSchema = z.object({ name: z.string(), contribution: z.number() });
const driverSchema = z.object({
  label: z.string(),
  before: z.number().nullable(),
  after: z.number().nullable(),
  change: z.number(),
  parts: z.array(contributionSchema).nullable(),
});

/**
 * `why` answers' machine-readable data (`lift run --json "why …"`). Money is in
 * major units of the reporting currency (as kpi/1), rates are fractions.
 */
export const whyDataSchema = z.object({
  schema: z.literal("why/1"),
  metric: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  comparison: z.object({ from: z.string(), to: z.string() }).nullable(),
  before: z.number().nullable(),
  after: z.number().nullable(),
  change: z.number().nullable(),
  factors: z.array(contributionSchema).nullable(),
  drivers: z.object({ by: z.enum(["channel", "campaign"]), rows: z.array(driverSchema) }).nullable(),
  campaigns: z.array(driverSchema).nullable(),
  verdict: z.object({
    state: z.enum(["beyond", "within", "unknown"]),
    low: z.number().optional(),
    high: z.number().optional(),
    median: z.number().optional(),
    basis: z.string(),
    history: z.array(z.number().nullable()),
  }),
  context: z.array(z.string()),
});

/** How many earlier windows "normal" is read from, and how many must have data. */
const HISTORY_WINDOWS = 8;
const MIN_HISTORY = 4;
/** Windows longer than this have no weekly rhythm to compare with. */
const MAX_HISTORY_DAYS = 92;

/** A factor of a metric: one figure (`top`), or a ratio of two (`top` ÷ `bottom`), with its exponent. */
interface FactorSpec {
  name: string;
  top: string;
  bottom?: string;
  exponent: 1 | -1;
}

/** What a metric is the product (or ratio) of; null when it does not split. */
function factorSpecs(metric: MetricDefinition): FactorSpec[] | null {
  const f = (name: string, top: string, bottom?: string, exponent: 1 | -1 = 1): FactorSpec => ({
    name,
    top,
    ...(bottom ? { bottom } : {}),
    exponent,
  });
  switch (metric.key) {
    case "revenue":
      return [
        f("traffic", "visitors"),
        f("conversion", "orders", "visitors"),
        f("order value", "revenue", "orders"),
      ];
    case "orders":
      return [f("traffic", "visitors"), f("conversion", "orders", "visitors")];
    case "conversion_rate":
      return [f("orders", "orders"), f("traffic", "visitors", undefined, -1)];
    case "aov":
      return [f("revenue", "revenue"), f("orders", "orders", undefined, -1)];
    case "roas":
      return [f("revenue", "revenue"), f("spend", "spend", undefined, -1)];
    case "cpa":
      return [f("spend", "spend"), f("orders", "orders", undefined, -1)];
    case "ctr":
      return [f("clicks", "clicks"), f("impressions", "impressions", undefined, -1)];
    case "cpc":
      return [f("spend", "spend"), f("clicks", "clicks", undefined, -1)];
    default:
      // Signups, pageviews and other events: people × events per person.
      if (metric.needs.length === 1 && metric.needs[0] === "events" && metric.key !== "visitors")
        return [f("traffic", "visitors"), f("rate per visitor", metric.key, "visitors")];
      return null;
  }
}

/** The factors from one group's figures; null when one is missing, or a ratio's divisor is zero. */
function factorsOf(metric: MetricDefinition, now: Values, before: Values): Factor[] | null {
  const specs = factorSpecs(metric);
  if (!specs) return null;
  const figure = (values: Values, spec: FactorSpec): number | null => {
    const top = values[spec.top] ?? null;
    if (spec.bottom === undefined) return top;
    const bottom = values[spec.bottom] ?? null;
    return top === null || bottom === null || bottom === 0 ? null : top / bottom;
  };
  const factors: Factor[] = [];
  for (const spec of specs) {
    const a = figure(before, spec);
    const b = figure(now, spec);
    if (a === null || b === null) return null;
    factors.push({ name: spec.name, before: a, after: b, exponent: spec.exponent });
  }
  return factors;
}

/** The figures the factors are made of, besides the metric itself. */
function helperMetrics(metric: MetricDefinition): string[] {
  const keys = (factorSpecs(metric) ?? []).flatMap((spec) => [
    spec.top,
    ...(spec.bottom ? [spec.bottom] : []),
  ]);
  return [...new Set(keys)].filter((key) => key !== metric.key);
}

export interface DriverRow {
  label: string;
  before: number | null;
  after: number | null;
  change: number;
  /** The change split by factor (traffic, conversion, order value), when it splits. */
  parts: Contribution[] | null;
}

export interface Verdict {
  state: "beyond" | "within" | "unknown";
  low?: number;
  high?: number;
  median?: number;
  /** What "normal" was read from, in words. */
  basis: string;
  /** The values of the earlier windows, oldest first. */
  history: (number | null)[];
}

export interface Explanation {
  query: KpiQuery;
  metric: MetricDefinition;
  result: KpiResult;
  before: number | null;
  after: number | null;
  change: number | null;
  /** The total change split by factor; adds up to `change`. */
  factors: Contribution[] | null;
  /** By channel (or by campaign, within a channel filter), largest moves first; adds up to `change` with `rest`. */
  drivers: { by: "channel" | "campaign"; rows: DriverRow[] } | null;
  /** By campaign, the largest moves and the rest in one row; adds up to `change`. */
  campaigns: DriverRow[] | null;
  verdict: Verdict;
  context: string[];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** Driver rows for a breakdown: each group's change and its split; a last row for whatever the groups do not add up to. */
function driverRows(
  metric: MetricDefinition,
  groups: KpiGroup[],
  total: number,
  restLabel: string,
  top: number,
): DriverRow[] {
  const rows = groups.map((g) => {
    const after = g.current[metric.key] ?? null;
    const before = g.previous?.[metric.key] ?? null;
    const change = (after ?? 0) - (before ?? 0);
    const factors = g.previous ? factorsOf(metric, g.current, g.previous) : null;
    const parts = factors && before !== null && after !== null ? shiftShare(before, after, factors) : null;
    return { label: g.label, before, after, change, parts };
  });
  rows.sort((a, b) => Math.abs(b.change) - Math.abs(a.change));
  const shown = rows.slice(0, top);
  const others = rows.slice(top);
  if (others.length > 0) {
    shown.push({
      label: `${others.length} more`,
      before: sum(others.map((r) => r.before ?? 0)),
      after: sum(others.map((r) => r.after ?? 0)),
      change: sum(others.map((r) => r.change)),
      parts: null,
    });
  }
  const residual = total - sum(shown.map((r) => r.change));
  // Visitors overlap across channels (a person can arrive by two), and some orders have no channel.
  if (Math.abs(residual) > 1e-6 * Math.max(1, Math.abs(total))) {
    shown.push({ label: restLabel, before: null, after: null, change: residual, parts: null });
  }
  return shown;
}

/** The same window on earlier weeks: what "normal" looks like for this metric, scope and weekday(s). */
async function normalVariation(
  platform: PlatformApi,
  query: KpiQuery,
  metric: MetricDefinition,
  result: KpiResult,
): Promise<Verdict> {
  const { period } = result;
  const length = daysBetween(period.from, period.to) + 1;
  const history: (number | null)[] = [];
  if (period.partial) return { state: "unknown", basis: "today is not over yet", history };
  if (length > MAX_HISTORY_DAYS)
    return {
      state: "unknown",
      basis: `a ${length}-day period has no weekly rhythm to compare with`,
      history,
    };
  const step = 7 * Math.ceil(length / 7);
  for (let k = HISTORY_WINDOWS; k >= 1; k--) {
    const from = addDays(period.from, -step * k);
    const to = addDays(period.to, -step * k);
    const earlier = await platform.kpis({
      metrics: [metric.key],
      period: { kind: "range", from, to },
      compare: "none",
      by: "none",
      filter: query.filter,
    });
    history.push(earlier.totals.current[metric.key] ?? null);
  }
  const known = history.filter((v): v is number => v !== null);
  const counts = metric.format === "count";
  const window = length === 1 ? "the same weekday" : `the same ${length} days`;
  const over =
    step === 7
      ? `over the last ${HISTORY_WINDOWS} weeks`
      : `in each of the ${HISTORY_WINDOWS} earlier ${step}-day steps`;
  const basis = counts
    ? `the anomaly band: median ± 3 robust σ of ${window} ${over}`
    : `${window} ${over}, median ± 3 robust σ`;
  const value = result.totals.current[metric.key];
  if (known.length < MIN_HISTORY || value === null || value === undefined)
    return {
      state: "unknown",
      basis: `not enough history to say what is normal (${known.length} of ${HISTORY_WINDOWS} earlier windows have data)`,
      history,
    };
  const band = seasonalBand(known, { counts });
  return {
    state: value < band.low || value > band.high ? "beyond" : "within",
    low: Math.max(0, band.low),
    high: band.high,
    median: band.median,
    basis,
    history,
  };
}

export async function explain(platform: PlatformApi, input: KpiQuery): Promise<Explanation> {
  const metric = metricByKey(input.metrics[0] ?? "revenue");
  if (!metric) throw new Error(`no metric ${input.metrics[0]}`);
  const query: KpiQuery = {
    ...input,
    metrics: [metric.key],
    by: "none",
    compare: input.compare === "none" ? "previous" : input.compare,
  };
  delete query.rank;
  const metrics = [metric.key, ...helperMetrics(metric)];
  const result = await platform.kpis({ ...query, metrics });
  const after = result.totals.current[metric.key] ?? null;
  const before = result.totals.previous?.[metric.key] ?? null;
  const change = after !== null && before !== null ? after - before : null;
  const factors =
    change !== null && result.totals.previous
      ? (() => {
          const f = factorsOf(metric, result.totals.current, result.totals.previous!);
          return f ? shiftShare(before!, after!, f) : null;
        })()
      : null;

  let drivers: Explanation["drivers"] = null;
  let campaigns: DriverRow[] | null = null;
  if (change !== null) {
    // Channels explain a total; within one channel, its campaigns do. Ratios do not add up by group: their factors do.
    const by: "channel" | "campaign" =
      query.filter.channel || query.filter.campaignId ? "campaign" : "channel";
    const byCampaignWorks = !metric.needs.includes("events");
    if (
      metric.additive &&
      (by === "channel" || byCampaignWorks) &&
      !query.filter.campaignId &&
      !query.filter.scopes
    ) {
      // Campaigns carry orders, revenue and spend, not visitors: within a channel they split the change whole.
      const splitMetrics =
        by === "campaign" ? metrics.filter((m) => !metricByKey(m)?.needs.includes("events")) : metrics;
      const split = await platform.kpis({ ...query, metrics: splitMetrics, by });
      drivers = {
        by,
        rows: driverRows(
          metric,
          split.groups,
          change,
          by === "channel"
            ? "not in one channel (people who came by several, orders without one)"
            : "no campaign",
          6,
        ),
      };
    } else if (metric.key === "visitors" && !query.filter.scopes) {
      const split = await platform.kpis({ ...query, metrics, by: "channel" });
      drivers = {
        by: "channel",
        rows: driverRows(metric, split.groups, change, "people who came by several channels", 6),
      };
    }
    if (by === "channel" && metric.additive && byCampaignWorks && !query.filter.scopes) {
      const split = await platform.kpis({ ...query, metrics: [metric.key], by: "campaign" });
      if (split.groups.length > 1) campaigns = driverRows(metric, split.groups, change, "no campaign", 5);
    }
  }

  const verdict = await normalVariation(platform, query, metric, result);
  const zone = platform.settings.timeZone;
  const window = {
    from: result.period.from,
    to: result.period.to,
    fromMs: startOfDayMs(result.period.from, zone),
    toMs: Math.min(startOfDayMs(addDays(result.period.to, 1), zone), platform.now()),
  };
  // Every capability's "around then" (an explanation's drivers already say what the KPIs did).
  const context = await platform.aroundThen(window, {
    kind: "explanation",
    id: metric.key,
    ...(query.filter.channel ? { channel: query.filter.channel } : {}),
  });
  return { query, metric, result, before, after, change, factors, drivers, campaigns, verdict, context };
}
