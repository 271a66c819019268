import { listCampaigns } from "../../../db/campaigns/queries.ts";
import type { Db } from "../../../db/client.ts";
import {
  type BaseFigures,
  type Coverage,
  type DayRange,
  dataCoverage,
  dataExtents,
  emptyFigures,
  type FigureParts,
  figuresFromRaw,
  figuresFromRollups,
  type Grain,
  type MetricFilter,
} from "../../../db/platform/queries/metrics.ts";
import { listSegments } from "../../../db/segments/queries.ts";
import { AppError } from "../errors.ts";
import { formatDay, formatDayRange } from "../format.ts";
import {
  addDays,
  dayOf,
  eachDay,
  endOfMonth,
  startOfDayMs,
  startOfMonth,
  startOfWeek,
} from "../time/zone.ts";
import { DEFAULT_METRICS, METRICS, type MetricDefinition, metricByKey } from "./definitions.ts";
import { describeFreshness, type FreshnessInfo } from "./freshness.ts";
import {
  type ComparisonSpec,
  comparisonPeriod,
  type Period,
  type PeriodSpec,
  resolvePeriod,
} from "./periods.ts";
import { MIN_UNITS_FOR_CHANGE } from "./units.ts";

export interface KpiQuery {
  metrics: string[];
  period: PeriodSpec;
  compare: ComparisonSpec;
  by: Grain;
  filter: MetricFilter;
  /** "top 5" / "bottom 3": a breakdown by channel, campaign or segment ordered by the first metric and cut. */
  rank?: Rank;
}

/** Highest first ("top") or lowest first ("bottom"), keeping n groups (all when null). */
export interface Rank {
  order: "top" | "bottom";
  n: number | null;
}

export interface MetricsDeps {
  db: Db;
  timeZone: string;
  currency: string;
  now: () => number;
}

export type Values = Record<string, number | null>;

export interface KpiGroup {
  key: string;
  label: string;
  current: Values;
  previous: Values | null;
}

export interface KpiResult {
  query: KpiQuery;
  /** The filter in words ("Paid social", "campaign Brand search"), or null without one. */
  scope: string | null;
  metrics: MetricDefinition[];
  period: Period;
  comparison: Period | null;
  timeZone: string;
  currency: string;
  totals: {
    current: Values;
    previous: Values | null;
    change: Values;
    /** Metrics whose change rests on fewer than MIN_UNITS_FOR_CHANGE units in either period. */
    few: Record<string, boolean>;
  };
  /** Why there is no comparison for some metrics ("orders data starts Sep 3, 2026"), or null. */
  comparisonNote: string | null;
  /** One per channel, campaign or time bucket when the query breaks down. */
  groups: KpiGroup[];
  /** With a rank: how many groups there were before the cut ("top 5 of 9"). */
  rankedOf?: number;
  /** Groups whose change rests on too few units (their change is not shown). */
  fewGroups: Set<string>;
  /** Daily values of each metric over the period, aligned with the comparison's days. */
  trend: { days: string[]; current: Values[]; previous: Values[] | null };
  warnings: string[];
  freshness: FreshnessInfo;
}

/** What a segment question asks when it names no metric. */
const SEGMENT_METRICS = ["revenue", "orders", "aov"];

/**
 * A segment filter or breakdown: only metrics of orders (customers are on
 * orders, not on events or spend), a segment that exists, segments computed.
 * Returns the note every such answer carries: membership is today's.
 */
function segmentsReady(deps: MetricsDeps, query: KpiQuery, metrics: MetricDefinition[]): string {
  const unsupported = metrics.filter((m) => m.needs.some((need) => need !== "orders"));
  if (unsupported.length > 0) {
    const supported = METRICS.filter((m) => m.needs.every((need) => need === "orders")).map((m) =>
      m.label.toLowerCase(),
    );
    throw new AppError(
      "invalid_input",
      `${unsupported.map((m) => m.label).join(", ")} cannot be read by segment: segments are groups of customers, and only orders carry a customer`,
      { hint: `by segment or for a segment: ${supported.join(", ")}` },
    );
  }
  const segments = listSegments(deps.db);
  if (query.filter.segment !== undefined && !segments.some((s) => s.name === query.filter.segment)) {
    const names = segments.map((s) => s.name);
    throw new AppError("not_found", `There is no segment “${query.filter.segment}”`, {
      hint:
        names.length > 0
          ? `segments: ${names.slice(0, 14).join(", ")}`
          : "segments are computed nightly; `segment recompute` computes them now",
    });
  }
  const computed = segments.filter((s) =>
    query.by === "segment" ? s.kind === "rfm" : s.name === query.filter.segment,
  );
  const at = Math.max(0, ...computed.map((s) => s.computedAt ?? 0));
  if (query.by === "segment" && at === 0)
    throw new AppError("not_found", "The RFM segments have not been computed yet", {
      hint: "they are computed nightly; `segment recompute` computes them now",
    });
  return `By today's segment membership (computed ${formatDay(dayOf(at, deps.timeZone))}): past orders are counted for the segment their customer is in now, which flatters segments such as Champions in past periods.`;
}

/** The day a partial "today" covers up to now, compared with the same span a week earlier. */
function rawWindow(period: Period, timeZone: string, now: number, shiftDays = 0) {
  const from = startOfDayMs(addDays(period.from, shiftDays), timeZone);
  const elapsed = now - startOfDayMs(period.from, timeZone);
  return { fromMs: from, toMs: from + elapsed };
}

export const CHANNEL_LABELS: Record<string, string> = {
  organic: "Organic",
  paid_search: "Paid search",
  paid_social: "Paid social",
  email: "Email",
  referral: "Referral",
  affiliate: "Affiliate",
  direct: "Direct",
  other: "Other",
};

function valuesOf(
  metrics: MetricDefinition[],
  figures: BaseFigures | undefined,
  missing: Set<string>,
): Values {
  const values: Values = {};
  for (const metric of metrics) {
    values[metric.key] = metric.needs.some((need) => missing.has(need))
      ? null
      : metric.compute(figures ?? emptyFigures());
  }
  return values;
}

function sourcesWithout(coverage: Coverage): Set<string> {
  const missing = new Set<string>();
  if (coverage.events.size === 0) missing.add("events");
  if (coverage.orders.size === 0) missing.add("orders");
  if (coverage.spend.size === 0) missing.add("spend");
  return missing;
}

const SOURCE_NAMES = { events: "events", orders: "orders", spend: "campaign spend" } as const;

/** Days of `period` after a source's last data day, when that is not the whole period. */
function trailingGap(days: Set<string>, period: Period): string[] {
  const all = eachDay(period.from, period.to);
  const lastWithData = all.filter((day) => days.has(day)).pop();
  if (lastWithData === undefined) return [];
  return all.filter((day) => day > lastWithData);
}

/**
 * Computes KPIs for a period, compared with another, overall and broken down.
 * Figures come from the daily rollups; "today" comes from raw rows up to now.
 * Missing data is reported as missing (null + a warning), never as zero.
 */
export async function computeKpis(deps: MetricsDeps, query: KpiQuery): Promise<KpiResult> {
  const now = deps.now();
  const today = dayOf(now, deps.timeZone);
  const bySegment = query.by === "segment" || query.filter.segment !== undefined;
  const keys = query.metrics.length > 0 ? query.metrics : bySegment ? SEGMENT_METRICS : DEFAULT_METRICS;
  const metrics = keys.map((key) => {
    const metric = metricByKey(key);
    if (!metric)
      throw new AppError("invalid_input", `“${key}” is not a metric Lift knows`, {
        hint: "run `help kpi` for the list",
      });
    return metric;
  });
  if (query.rank && query.by !== "channel" && query.by !== "campaign" && query.by !== "segment") {
    throw new AppError("invalid_input", `“${query.rank.order}” ranks channels, campaigns or segments`, {
      hint: `add what to rank: “${query.rank.order}${query.rank.n === null ? "" : ` ${query.rank.n}`} campaigns”, “by channel”`,
    });
  }
  const segmentNote = bySegment ? segmentsReady(deps, query, metrics) : null;
  if (query.by === "campaign" && metrics.some((m) => m.needs.includes("events"))) {
    const names = metrics.filter((m) => m.needs.includes("events")).map((m) => m.label);
    throw new AppError("invalid_input", `${names.join(", ")} cannot be split by campaign`, {
      hint: "campaign breakdowns cover orders, revenue, spend, clicks, CPA and ROAS",
    });
  }
  const period = resolvePeriod(query.period, today);
  const comparison = comparisonPeriod(period, query.compare);
  const parts = partsFor(metrics);
  const warnings: string[] = segmentNote ? [segmentNote] : [];

  const read = (p: Period, grain: Grain, shift: number) =>
    period.partial
      ? figuresFromRaw(deps.db, rawWindow(period, deps.timeZone, now, shift), p, grain, query.filter, parts)
      : figuresFromRollups(deps.db, p, grain, query.filter, parts);
  const shift = comparison
    ? Math.round((Date.parse(comparison.from) - Date.parse(period.from)) / 86_400_000)
    : 0;

  const [coverage, previousCoverage, freshness, extents] = await Promise.all([
    dataCoverage(deps.db, period),
    comparison ? dataCoverage(deps.db, comparison) : Promise.resolve(null),
    describeFreshness(deps.db, now, deps.timeZone),
    dataExtents(deps.db),
  ]);
  const missingNow = sourcesWithout(coverage);
  const missingBefore = previousCoverage ? sourcesWithout(previousCoverage) : new Set<string>();

  const [totalsNow, totalsBefore] = await Promise.all([
    read(period, "none", 0),
    comparison ? read(comparison, "none", shift) : Promise.resolve(null),
  ]);
  const current = valuesOf(metrics, totalsNow.get(""), missingNow);
  const previous = totalsBefore ? valuesOf(metrics, totalsBefore.get(""), missingBefore) : null;

  // A source that stops before the period ends would show as a fall, and a comparison with days
  // before a source's first data as a rise: say so and withhold the change.
  const incomplete = new Set<string>();
  const notes: string[] = [];
  for (const source of ["events", "orders", "spend"] as const) {
    if (!metrics.some((m) => m.needs.includes(source))) continue;
    const first = extents[source].firstDay;
    if (first !== null && comparison && comparison.from < first) {
      incomplete.add(source);
      notes.push(`${SOURCE_NAMES[source]} data starts ${formatDay(first)}`);
    }
    if (first !== null && period.from < first && !missingNow.has(source)) {
      warnings.push(
        `${capitalize(SOURCE_NAMES[source])} data starts ${formatDay(first)}: ${formatDayRange(period.from, addDays(first, -1))} ${first === addDays(period.from, 1) ? "has" : "have"} none, so the figures cover less than the period.`,
      );
    }
    if (missingNow.has(source)) {
      warnings.push(
        `No ${SOURCE_NAMES[source]} at all for ${formatDayRange(period.from, period.to)}: shown as “no data”, not zero.`,
      );
      continue;
    }
    const gap = period.partial ? [] : trailingGap(coverage[source], period);
    if (gap.length > 0) {
      incomplete.add(source);
      warnings.push(
        `${SOURCE_NAMES[source][0]!.toUpperCase()}${SOURCE_NAMES[source].slice(1)} stop after ${formatDay(addDays(gap[0]!, -1))}: ` +
          `${formatDayRange(gap[0]!, gap.at(-1)!)} ${gap.length === 1 ? "has" : "have"} no data yet, so changes that depend on them are not shown.`,
      );
    }
    if (comparison && missingBefore.has(source)) {
      warnings.push(
        `No ${SOURCE_NAMES[source]} for the comparison period (${formatDayRange(comparison.from, comparison.to)}).`,
      );
    }
  }
  if (period.partial)
    warnings.push(
      `Today is not over: compared with the same hours of ${comparison ? formatDay(comparison.from) : "last week"}.`,
    );

  if (notes.length > 0) warnings.push(`No comparison with ${comparison!.label}: ${notes.join(", ")}.`);
  const change: Values = {};
  const few: Record<string, boolean> = {};
  for (const metric of metrics) {
    const a = current[metric.key];
    const b = previous?.[metric.key];
    const blocked = metric.needs.some((need) => incomplete.has(need));
    change[metric.key] =
      a === null || a === undefined || b === null || b === undefined || b === 0 || blocked
        ? null
        : (a - b) / Math.abs(b);
    few[metric.key] = fewUnits(metric, totalsNow.get(""), totalsBefore?.get(""));
  }
  const blockedComparison = metrics.some((m) => m.needs.some((need) => incomplete.has(need)));

  const groups: KpiGroup[] = [];
  let rankedOf: number | undefined;
  const fewGroups = new Set<string>();
  let byDayNow: Map<string, BaseFigures> | undefined;
  if (query.by !== "none") {
    const [byNow, byBefore] = await Promise.all([
      read(period, query.by, 0),
      comparison &&
      !blockedComparison &&
      (query.by === "channel" || query.by === "campaign" || query.by === "segment")
        ? read(comparison, query.by, shift)
        : Promise.resolve(null),
    ]);
    if (query.by === "day" && !period.partial) byDayNow = byNow;
    const labels =
      query.by === "campaign"
        ? new Map((await listCampaigns(deps.db)).map((c) => [c.id, c.name]))
        : query.by === "segment"
          ? new Map(listSegments(deps.db).map((s) => [s.name, s.definition]))
          : null;
    const keysInOrder =
      query.by === "day" || query.by === "week" || query.by === "month"
        ? timeBuckets(period, query.by)
        : [...new Set([...byNow.keys(), ...(byBefore?.keys() ?? [])])];
    for (const key of keysInOrder) {
      const label =
        query.by === "channel"
          ? (CHANNEL_LABELS[key] ?? key)
          : query.by === "segment"
            ? (labels?.get(key) ?? key)
            : query.by === "campaign"
              ? key === ""
                ? "(no campaign)"
                : (labels?.get(key) ?? key)
              : query.by === "day"
                ? formatDay(key, { short: true })
                : query.by === "week"
                  ? `Week of ${formatDay(key, { short: true })}`
                  : new Date(`${key}T12:00:00Z`).toLocaleDateString("en-US", {
                      month: "short",
                      year: "numeric",
                      timeZone: "UTC",
                    });
      groups.push({
        key,
        label,
        current: valuesOf(
          metrics,
          byNow.get(key),
          query.by === "day" || query.by === "week" || query.by === "month"
            ? missingIn(coverage, bucketDays(key, query.by, period), missingNow)
            : missingNow,
        ),
        previous: byBefore ? valuesOf(metrics, byBefore.get(key), missingBefore) : null,
      });
      if (byBefore && fewUnits(metrics[0]!, byNow.get(key), byBefore.get(key))) fewGroups.add(key);
    }
    if (query.by === "channel" || query.by === "campaign" || query.by === "segment") {
      const first = metrics[0]!;
      // Groups without a value (a ratio over zero) go last either way.
      const sign = query.rank?.order === "bottom" ? -1 : 1;
      groups.sort(
        (a, b) =>
          sign * ((b.current[first.key] ?? -sign * Infinity) - (a.current[first.key] ?? -sign * Infinity)),
      );
      if (query.rank) {
        rankedOf = groups.length;
        if (query.rank.n !== null) groups.splice(query.rank.n);
      }
    }
  }

  const trend = await dailyTrend(
    deps,
    query,
    metrics,
    period,
    comparison,
    coverage,
    previousCoverage,
    missingNow,
    byDayNow,
  );
  return {
    query,
    scope: await scopeOf(deps, query),
    metrics,
    period,
    comparison,
    timeZone: deps.timeZone,
    currency: deps.currency,
    totals: { current, previous, change, few },
    ...(rankedOf === undefined ? {} : { rankedOf }),
    comparisonNote: notes.length > 0 ? notes.join(", ") : null,
    groups,
    fewGroups,
    trend,
    warnings,
    freshness,
  };
}

const PEOPLE_METRICS = new Set(["visitors", "conversion_rate"]);

/** Only the queries the metrics need: distinct people are the costly one. */
function partsFor(metrics: MetricDefinition[]): FigureParts {
  return {
    people: metrics.some((m) => PEOPLE_METRICS.has(m.key)),
    events: metrics.some((m) => m.needs.includes("events") && !PEOPLE_METRICS.has(m.key)),
    orders: metrics.some((m) => m.needs.includes("orders")),
    spend: metrics.some((m) => m.needs.includes("spend")),
  };
}

function timeBuckets(period: Period, grain: "day" | "week" | "month"): string[] {
  const days = eachDay(period.from, period.to);
  if (grain === "day") return days;
  return [...new Set(days.map((day) => (grain === "month" ? startOfMonth(day) : startOfWeek(day))))];
}

const capitalize = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** The filter in words: "Paid social", "campaign Brand search", or both. */
async function scopeOf(deps: MetricsDeps, query: KpiQuery): Promise<string | null> {
  const parts: string[] = [];
  if (query.filter.channel) parts.push(CHANNEL_LABELS[query.filter.channel] ?? query.filter.channel);
  if (query.filter.campaignId) {
    const campaign = (await listCampaigns(deps.db)).find((c) => c.id === query.filter.campaignId);
    parts.push(`campaign ${campaign?.name ?? query.filter.campaignId}`);
  }
  if (query.filter.segment) parts.push(`segment ${query.filter.segment}`);
  return parts.length > 0 ? parts.join(", ") : null;
}

/**
 * Whether a change of `metric` rests on too few units to be news: fewer than
 * MIN_UNITS_FOR_CHANGE orders, visitors, signups (…) in either period.
 */
function fewUnits(
  metric: MetricDefinition,
  now: BaseFigures | undefined,
  before: BaseFigures | undefined,
): boolean {
  if (!metric.units) return false;
  const a = metric.units(now ?? emptyFigures());
  const b = metric.units(before ?? emptyFigures());
  return a !== null && b !== null && Math.min(a, b) < MIN_UNITS_FOR_CHANGE;
}

/** The days of the period a time bucket covers (a week or month may start before it). */
function bucketDays(key: string, grain: "day" | "week" | "month", period: Period): string[] {
  if (grain === "day") return [key];
  const end = grain === "week" ? addDays(key, 6) : endOfMonth(key);
  // Days are ISO strings: the later start and the earlier end of the bucket and the period.
  const from = [key, period.from].sort()[1]!;
  const to = [end, period.to].sort()[0]!;
  return eachDay(from, to);
}

/** The sources with no data on any of `days`, besides those missing for the whole period. */
function missingIn(coverage: Coverage, days: string[], base: Set<string>): Set<string> {
  const missing = new Set(base);
  if (!days.some((day) => coverage.events.has(day))) missing.add("events");
  if (!days.some((day) => coverage.orders.has(day))) missing.add("orders");
  if (!days.some((day) => coverage.spend.has(day))) missing.add("spend");
  return missing;
}

/** The sources with no data on `day`, besides those missing for the whole period. */
function missingOn(coverage: Coverage, day: string, base: Set<string>): Set<string> {
  const missing = new Set(base);
  if (!coverage.events.has(day)) missing.add("events");
  if (!coverage.orders.has(day)) missing.add("orders");
  if (!coverage.spend.has(day)) missing.add("spend");
  return missing;
}

async function dailyTrend(
  deps: MetricsDeps,
  query: KpiQuery,
  metrics: MetricDefinition[],
  period: Period,
  comparison: Period | null,
  coverage: Coverage,
  previousCoverage: Coverage | null,
  missingNow: Set<string>,
  /** The period's daily figures when the question already read them (`by day`). */
  alreadyByDay?: Map<string, BaseFigures>,
): Promise<KpiResult["trend"]> {
  if (period.partial) return { days: [], current: [], previous: null };
  const days = eachDay(period.from, period.to);
  const parts = partsFor(metrics);
  const byDay = alreadyByDay ?? (await figuresFromRollups(deps.db, period, "day", query.filter, parts));
  const current = days.map((day) => valuesOf(metrics, byDay.get(day), missingOn(coverage, day, missingNow)));
  let previous: Values[] | null = null;
  if (comparison && previousCoverage) {
    const before = await figuresFromRollups(deps.db, comparison, "day", query.filter, parts);
    const previousDays = eachDay(comparison.from, comparison.to);
    previous = days.map((_, i) => {
      const day = previousDays[i];
      return day === undefined
        ? {}
        : valuesOf(metrics, before.get(day), missingOn(previousCoverage, day, new Set()));
    });
  }
  return { days, current, previous };
}

/**
 * One metric's value on each day of a range, and nothing else (no totals, no
 * comparison): what an anomaly check reads over weeks of history. A distinct
 * count over the whole range would cost seconds on a large workspace; per day
 * it is a count of rollup rows. A day a source has no data for is null.
 */
export async function dailyValues(
  deps: MetricsDeps,
  metric: MetricDefinition,
  range: DayRange,
  filter: MetricFilter,
): Promise<Map<string, number | null>> {
  const [byDay, coverage] = await Promise.all([
    figuresFromRollups(deps.db, range, "day", filter, partsFor([metric])),
    dataCoverage(deps.db, range),
  ]);
  const values = new Map<string, number | null>();
  for (const day of eachDay(range.from, range.to)) {
    const missing = missingOn(coverage, day, new Set());
    values.set(
      day,
      metric.needs.some((need) => missing.has(need))
        ? null
        : metric.compute(byDay.get(day) ?? emptyFigures()),
    );
  }
  return values;
}
