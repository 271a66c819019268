import type { Db } from "../../../db/client.ts";
import { listCampaigns } from "../../../db/platform/queries/campaigns.ts";
import {
  type BaseFigures,
  type MetricFilter as DbFilter,
  dataCoverage,
  dataExtents,
  type Grain,
} from "../../../db/platform/queries/metrics.ts";
import { AppError } from "../base/errors.ts";
import { formatCount, formatMoney } from "../base/format.ts";
import { addDays, dayOf, startOfDayMs } from "../time/zone.ts";
import { DEFAULT_METRICS, METRICS, type MetricDefinition, metricByKey } from "./definitions.ts";
import { describeFreshness } from "./freshness.ts";
import { breakdownGroups } from "./groups.ts";
import { comparisonPeriod, type Period, resolvePeriod } from "./periods.ts";
import { type FigureReader, figureReader, partsFor, valuesOf } from "./read.ts";
import type { KpiScope, MetricSource } from "./scopes.ts";
import { fewUnits, sourcesWithout, sourceWarnings } from "./sources-of-data.ts";
import { dailyTrend } from "./trend.ts";
import { isGroupBreakdown, type KpiQuery, type KpiResult, type Values } from "./types.ts";

export type { KpiGroup, KpiQuery, KpiResult, MetricFilter, Rank, Values } from "./types.ts";

/** What the metrics engine reads with: the database, the reporting zone and currency, the clock, and the extensions. */
export interface MetricsDeps {
  db: Db;
  timeZone: string;
  currency: string;
  now: () => number;
  /** Filters and breakdowns capabilities contribute ("segment"). */
  scopes: readonly KpiScope[];
  /** Figures of other records capabilities contribute ("deals"). */
  sources: readonly MetricSource[];
}

/** What a scope question asks when it names no metric. */
const SCOPE_METRICS = ["revenue", "orders", "aov"];

import { CHANNEL_LABELS } from "../ingest/channel.ts";

export { CHANNEL_LABELS };

function metricsOf(query: KpiQuery, scoped: boolean): MetricDefinition[] {
  const keys = query.metrics.length > 0 ? query.metrics : scoped ? SCOPE_METRICS : DEFAULT_METRICS;
  return keys.map((key) => {
    const metric = metricByKey(key);
    if (!metric)
      throw new AppError("invalid_input", `“${key}” is not a metric Lift knows`, {
        hint: "run `help kpi` for the list",
      });
    return metric;
  });
}

/** The scope a breakdown or filter word names, or an error listing the words there are. */
export function scopeNamed(deps: MetricsDeps, word: string): KpiScope {
  const scope = deps.scopes.find((s) => s.word === word);
  if (!scope)
    throw new AppError("invalid_input", `Lift cannot break figures down by “${word}”`, {
      hint: `by channel, campaign, day, week or month${deps.scopes.map((s) => `, ${s.word}`).join("")}`,
    });
  return scope;
}

/** What a scope filter or breakdown reads, and the notes its answer carries. */
interface ScopeRead {
  where: DbFilter["orders"];
  key: Parameters<FigureReader>[3];
  labels: Map<string, string> | null;
  notes: string[];
}

/**
 * A scope's filter or breakdown ("for segment champions", "by segment"): only
 * metrics of orders (customers are on orders, not on events or spend).
 */
async function readScopes(
  deps: MetricsDeps,
  query: KpiQuery,
  metrics: MetricDefinition[],
): Promise<ScopeRead> {
  const filters = Object.entries(query.filter.scopes ?? {});
  const byScope =
    query.by !== "none" && isGroupBreakdown(query.by) && !["channel", "campaign"].includes(query.by);
  const read: ScopeRead = { where: [], key: undefined, labels: null, notes: [] };
  if (filters.length === 0 && !byScope) return read;
  const unsupported = metrics.filter((m) => m.needs.some((need) => need !== "orders"));
  if (unsupported.length > 0) {
    const word = byScope ? query.by : filters[0]![0];
    const supported = METRICS.filter((m) => m.needs.every((need) => need === "orders")).map((m) =>
      m.label.toLowerCase(),
    );
    throw new AppError(
      "invalid_input",
      `${unsupported.map((m) => m.label).join(", ")} cannot be read by ${word}: ${word}s are groups of customers, and only orders carry a customer`,
      { hint: `by ${word} or for a ${word}: ${supported.join(", ")}` },
    );
  }
  for (const [word, name] of filters) {
    const { where, note } = await scopeNamed(deps, word).filter(name);
    read.where!.push(where);
    read.notes.push(note);
  }
  if (byScope) {
    const { key, labels, note } = await scopeNamed(deps, query.by).breakdown();
    read.key = key;
    read.labels = labels;
    if (!read.notes.includes(note)) read.notes.push(note);
  }
  return read;
}

/** The day a partial "today" covers up to now, compared with the same span a week earlier. */
function rawWindow(period: Period, timeZone: string, now: number, shiftDays: number) {
  const from = startOfDayMs(addDays(period.from, shiftDays), timeZone);
  const elapsed = now - startOfDayMs(period.from, timeZone);
  return { fromMs: from, toMs: from + elapsed };
}

function checkRank(query: KpiQuery): void {
  if (query.rank && !isGroupBreakdown(query.by))
    throw new AppError("invalid_input", `“${query.rank.order}” ranks channels, campaigns or segments`, {
      hint: `add what to rank: “${query.rank.order}${query.rank.n === null ? "" : ` ${query.rank.n}`} campaigns”, “by channel”`,
    });
}

function checkCampaignSplit(query: KpiQuery, metrics: MetricDefinition[]): void {
  if (query.by === "campaign" && metrics.some((m) => m.needs.includes("events"))) {
    const names = metrics.filter((m) => m.needs.includes("events")).map((m) => m.label);
    throw new AppError("invalid_input", `${names.join(", ")} cannot be split by campaign`, {
      hint: "campaign breakdowns cover orders, revenue, spend, clicks, CPA and ROAS",
    });
  }
}

/** Relative change of each metric, withheld where a source is incomplete, and whether it rests on few units. */
function changes(
  metrics: MetricDefinition[],
  current: Values,
  previous: Values | null,
  incomplete: Set<string>,
  now: BaseFigures | undefined,
  before: BaseFigures | undefined,
): { change: Values; few: Record<string, boolean> } {
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
    few[metric.key] = fewUnits(metric, now, before);
  }
  return { change, few };
}

/**
 * Computes KPIs for a period, compared with another, overall and broken down.
 * Figures come from the daily rollups; "today" comes from raw rows up to now.
 * Missing data is reported as missing (null + a warning), never as zero.
 */
/** What a KPI question reads: its metrics, scopes, periods, and a reader of its figures. */
async function planKpis(deps: MetricsDeps, query: KpiQuery, now: number) {
  const today = dayOf(now, deps.timeZone);
  const scoped =
    Object.keys(query.filter.scopes ?? {}).length > 0 ||
    (isGroupBreakdown(query.by) && !["channel", "campaign"].includes(query.by));
  const metrics = metricsOf(query, scoped);
  checkRank(query);
  const scopes = await readScopes(deps, query, metrics);
  checkCampaignSplit(query, metrics);
  const period = resolvePeriod(query.period, today);
  const comparison = comparisonPeriod(period, query.compare);
  const grain: Grain = scopes.key ? "scope" : (query.by as Grain);
  // A ranking of campaigns counts what came through a campaign, totals included: orders with no
  // campaign are said apart, never ranked or blended into the campaigns' ROAS.
  const attributed = query.by === "campaign" && !query.filter.campaignId;
  const filter: DbFilter = {
    channel: query.filter.channel,
    campaignId: query.filter.campaignId,
    ...(scopes.where!.length > 0 ? { orders: scopes.where } : {}),
    ...(attributed ? { attributed: true } : {}),
  };
  const reader = figureReader(deps, query, filter, partsFor(metrics));
  const read = (p: Period, by: Grain, shift: number) =>
    reader(p, by, period.partial ? rawWindow(period, deps.timeZone, now, shift) : null, scopes.key);
  const shift = comparison
    ? Math.round((Date.parse(comparison.from) - Date.parse(period.from)) / 86_400_000)
    : 0;
  return { metrics, scopes, period, comparison, grain, filter, reader, read, shift, attributed };
}

/** What a ranking of campaigns leaves out: the orders and revenue that came with no campaign. */
async function unattributedNote(
  deps: MetricsDeps,
  query: KpiQuery,
  plan: Awaited<ReturnType<typeof planKpis>>,
  now: number,
): Promise<string | null> {
  const { attributed: _, ...all } = plan.filter;
  const reader = figureReader(deps, query, all, { events: false, people: false, orders: true, spend: false });
  const { period } = plan;
  const [everything, through] = await Promise.all([
    reader(period, "none", period.partial ? rawWindow(period, deps.timeZone, now, 0) : null, plan.scopes.key),
    plan.read(period, "none", 0),
  ]);
  const orders = (everything.get("")?.orders ?? 0) - (through.get("")?.orders ?? 0);
  const revenue = (everything.get("")?.revenueMinor ?? 0) - (through.get("")?.revenueMinor ?? 0);
  if (orders <= 0) return null;
  return `Not ranked and not in the totals: ${formatCount(orders)} orders (${formatMoney(revenue, deps.currency)}) that came with no campaign (organic, direct, referral …).`;
}

/** The totals of both periods, their changes, and what the data's gaps leave out (as warnings). */
async function kpiTotals(
  deps: MetricsDeps,
  query: KpiQuery,
  plan: Awaited<ReturnType<typeof planKpis>>,
  now: number,
) {
  const { metrics, period, comparison, read, shift, filter } = plan;
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
  const {
    warnings: sourceNotes,
    incomplete,
    notes,
  } = sourceWarnings({
    metrics,
    period,
    comparison,
    coverage,
    missingNow,
    missingBefore,
    extents,
  });
  const warnings = [...plan.scopes.notes, ...sourceNotes];
  if (notes.length > 0) warnings.push(`No comparison with ${comparison!.label}: ${notes.join(", ")}.`);
  warnings.push(...(await excludedSources(deps, query, metrics, period, filter)));
  const { change, few } = changes(
    metrics,
    current,
    previous,
    incomplete,
    totalsNow.get(""),
    totalsBefore?.get(""),
  );
  const blockedComparison = metrics.some((m) => m.needs.some((need) => incomplete.has(need)));
  return {
    coverage,
    previousCoverage,
    freshness,
    missingNow,
    missingBefore,
    totals: { current, previous, change, few },
    notes,
    warnings,
    blockedComparison,
  };
}

/**
 * Computes KPIs for a period, compared with another, overall and broken down.
 * Figures come from the daily rollups; "today" comes from raw rows up to now.
 * Missing data is reported as missing (null + a warning), never as zero.
 */
export async function computeKpis(deps: MetricsDeps, query: KpiQuery): Promise<KpiResult> {
  const now = deps.now();
  const plan = await planKpis(deps, query, now);
  const { metrics, period, comparison, grain, reader, read, shift, scopes } = plan;
  const t = await kpiTotals(deps, query, plan, now);
  if (plan.attributed) {
    const note = await unattributedNote(deps, query, plan, now);
    if (note) t.warnings.push(note);
  }
  const breakdown =
    query.by === "none"
      ? { groups: [], fewGroups: new Set<string>(), byDay: undefined }
      : await breakdownGroups({
          query,
          metrics,
          period,
          comparison: t.blockedComparison ? null : comparison,
          coverage: t.coverage,
          missingNow: t.missingNow,
          missingBefore: t.missingBefore,
          read: (p, shiftDays) => read(p, grain, shiftDays),
          shift,
          labels: scopes.labels ?? (query.by === "campaign" ? await campaignLabels(deps.db) : null),
        });
  const trend = await dailyTrend(
    reader,
    metrics,
    period,
    comparison,
    t.coverage,
    t.previousCoverage,
    t.missingNow,
    breakdown.byDay,
  );
  return {
    query,
    scope: await scopeOf(deps.db, query),
    metrics,
    period,
    comparison,
    timeZone: deps.timeZone,
    currency: deps.currency,
    totals: t.totals,
    ...(breakdown.rankedOf === undefined ? {} : { rankedOf: breakdown.rankedOf }),
    comparisonNote: t.notes.length > 0 ? t.notes.join(", ") : null,
    groups: breakdown.groups,
    fewGroups: breakdown.fewGroups,
    trend,
    warnings: t.warnings,
    freshness: t.freshness,
    scopeWords: deps.scopes.map((s) => s.word),
  };
}

async function campaignLabels(db: Db): Promise<Map<string, string>> {
  return new Map((await listCampaigns(db)).map((c) => [c.id, c.name]));
}

/**
 * What metric sources left out of orders and revenue would add ("Shop orders only: `… including
 * deals` adds 14 closed-won deals, $48,200."), when the question is about orders and they have any.
 */
async function excludedSources(
  deps: MetricsDeps,
  query: KpiQuery,
  metrics: MetricDefinition[],
  period: Period,
  filter: DbFilter,
): Promise<string[]> {
  if (!metrics.some((m) => m.needs.includes("orders"))) return [];
  const lines: string[] = [];
  for (const source of deps.sources) {
    if (query.include?.includes(source.word)) continue;
    const figures = (await source.read(period, "none", filter)).get("");
    if (!figures || figures.orders === 0) continue;
    lines.push(
      `Shop orders only: \`… including ${source.word}\` adds ${formatCount(figures.orders)} ${source.noun}${figures.orders === 1 ? "" : "s"}, ${formatMoney(figures.revenueMinor, deps.currency)}.`,
    );
  }
  return lines;
}

/** The filter in words: "Paid social", "campaign Brand search", "segment champions". */
async function scopeOf(db: Db, query: KpiQuery): Promise<string | null> {
  const parts: string[] = [];
  if (query.filter.channel) parts.push(CHANNEL_LABELS[query.filter.channel] ?? query.filter.channel);
  if (query.filter.campaignId) {
    const campaign = (await listCampaigns(db)).find((c) => c.id === query.filter.campaignId);
    parts.push(`campaign ${campaign?.name ?? query.filter.campaignId}`);
  }
  for (const [word, name] of Object.entries(query.filter.scopes ?? {})) parts.push(`${word} ${name}`);
  return parts.length > 0 ? parts.join(", ") : null;
}

export { dailyValues } from "./trend.ts";
