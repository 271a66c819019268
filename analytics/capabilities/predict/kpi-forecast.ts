import { AppError } from "../../platform/base/errors.ts";
import { formatDay, toMajorUnits } from "../../platform/base/format.ts";
import { question, resolveCampaign } from "../../platform/commands/index.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import { type MetricDefinition, metricByKey } from "../../platform/metrics/definitions.ts";
import { answerFreshness } from "../../platform/metrics/freshness.ts";
import { CHANNEL_LABELS } from "../../platform/metrics/kpis.ts";
import { formatMetric } from "../../platform/metrics/report.ts";
import type { Freshness } from "../../platform/reports/report.ts";
import { addDays, eachDay } from "../../platform/time/zone.ts";
import { type Forecast, forecastValues, MIN_POINTS } from "./forecast.ts";
import { type Horizon, horizonDays } from "./words.ts";

/** The most history a KPI forecast learns from: a year of days. */
export const HISTORY_DAYS = 365;

/** A level at least this many times another (or under its inverse) is a different regime. */
const SHIFT = 3;
/** The days a new level must have held to be learnt from alone. */
const SHIFT_MIN_DAYS = 56;

/**
 * Where the series' current level starts, when it moved by a factor of three or more and held
 * since for at least eight weeks (a shop that started tracking, opened a channel or closed one):
 * the index of the day that splits the history most sharply, or 0 when no such move happened.
 * Learning from the old level would pull the forecast and widen its bands for nothing.
 */
export function levelStart(values: readonly (number | null)[]): number {
  const n = values.length;
  const prefix = [0];
  const counts = [0];
  for (const v of values) {
    prefix.push(prefix.at(-1)! + (v ?? 0));
    counts.push(counts.at(-1)! + (v === null ? 0 : 1));
  }
  const mean = (from: number, to: number) =>
    counts[to]! - counts[from]! > 0 ? (prefix[to]! - prefix[from]!) / (counts[to]! - counts[from]!) : null;
  let best = 0;
  let sharpest = Math.log(SHIFT);
  for (let d = 28; d <= n - SHIFT_MIN_DAYS; d++) {
    const before = mean(Math.max(0, d - SHIFT_MIN_DAYS), d);
    const after = mean(d, n);
    // The new level from its first weeks on, not a mix that only averages out to it.
    const start = mean(d, d + 28);
    if (before === null || after === null || start === null || after <= 0 || start <= 0) continue;
    const ratio = Math.abs(Math.log(after / Math.max(before, after * 1e-6)));
    const early = Math.abs(Math.log(start / Math.max(before, start * 1e-6)));
    // The split is where the four weeks after differ most from the eight before (a step is sharpest
    // there); the level since must differ as much, so a spike that faded is no new level.
    if (early >= sharpest && ratio >= Math.log(SHIFT)) {
      sharpest = early;
      best = d;
    }
  }
  return best;
}

/** A KPI's forecast, with everything an answer says about it. */
export interface KpiForecast {
  metric: MetricDefinition;
  filter: { channel?: string; campaignId?: string };
  /** "Paid search", "campaign Brand search", or null. */
  scope: string | null;
  /** The history it learned from: the days with data, up to yesterday. */
  history: { day: string; value: number | null }[];
  through: string;
  /** Where the metric's data starts, when that is inside the last year. */
  dataStarts: string | null;
  /** The day the current level starts, when the forecast learns from it on only (levelStart). */
  levelFrom: string | null;
  forecast: Forecast;
  /** The forecast days, today first. */
  days: string[];
  /** The actual total of a period's days before today (a month or quarter to date), when totalling. */
  soFar: number | null;
  horizon: Horizon;
  freshness: Freshness;
  timeZone: string;
  currency: string;
}

/** The one metric and its channel or campaign the words name, as the KPI grammar reads them. */
export async function readMetric(
  platform: PlatformApi,
  words: string,
): Promise<{
  metric: MetricDefinition;
  filter: { channel?: string; campaignId?: string };
  scope: string | null;
}> {
  const query = await resolveCampaign(platform, question(words, platform));
  if (query.metrics.length !== 1) {
    throw new AppError(
      "invalid_input",
      query.metrics.length === 0 ? "Name the metric to forecast" : "A forecast is of one metric",
      { hint: "e.g. `forecast revenue next 30 days` or `forecast signups for paid search this month`" },
    );
  }
  if (query.filter.scopes && Object.keys(query.filter.scopes).length > 0)
    throw new AppError(
      "unsupported",
      "Lift forecasts a whole workspace, a channel or a campaign, not a segment",
      {
        hint: "e.g. `forecast revenue for email next 30 days`",
      },
    );
  const metric = metricByKey(query.metrics[0]!)!;
  const filter = {
    ...(query.filter.channel ? { channel: query.filter.channel } : {}),
    ...(query.filter.campaignId ? { campaignId: query.filter.campaignId } : {}),
  };
  let scope: string | null = null;
  if (filter.channel) scope = CHANNEL_LABELS[filter.channel] ?? filter.channel;
  if (filter.campaignId) {
    const campaign = (await platform.campaigns()).find((c) => c.id === filter.campaignId);
    scope = `campaign ${campaign?.name ?? filter.campaignId}`;
  }
  return { metric, filter, scope };
}

/**
 * A KPI's daily forecast from up to a year of its history through yesterday (today is not over:
 * it is the first day forecast), and, for a calendar period, what the period has so far.
 */
export async function forecastKpi(
  platform: PlatformApi,
  read: Awaited<ReturnType<typeof readMetric>>,
  horizon: Horizon,
): Promise<KpiForecast> {
  const today = platform.today();
  const through = addDays(today, -1);
  const from = addDays(through, -(HISTORY_DAYS - 1));
  const [byDay, freshness] = await Promise.all([
    platform.dailyValues(read.metric.key, { from, to: through }, read.filter),
    platform.freshness(),
  ]);
  const all = eachDay(from, through).map((day) => ({ day, value: byDay.get(day) ?? null }));
  const first = all.findIndex((d) => d.value !== null);
  const data = first < 0 ? [] : all.slice(first);
  const dataStarts = first > 0 ? data[0]!.day : null;
  const level = levelStart(data.map((d) => d.value));
  const history = data.slice(level);
  const levelFrom = level > 0 ? history[0]!.day : null;
  const known = history.filter((d) => d.value !== null).length;
  if (known < MIN_POINTS) {
    throw new AppError(
      "no_data",
      `Lift needs at least ${MIN_POINTS} days of ${read.metric.label.toLowerCase()} to forecast it${read.scope ? ` for ${read.scope}` : ""}; it has ${known}${history.length > 0 ? ` (data starts ${formatDay(history[0]!.day)})` : ""}`,
      { hint: "ask again when there are two weeks of data, or look at `kpi … last 7 days by day`" },
    );
  }
  const { days: count } = horizonDays(horizon, today);
  const forecast = forecastValues(
    history.map((d) => d.value),
    { horizon: count, lags: [7], nonNegative: true },
  );
  const days = eachDay(today, addDays(today, count - 1));
  let soFar: number | null = null;
  if (horizon.kind === "period" && horizon.from < today) {
    soFar = 0;
    for (const d of history) if (d.day >= horizon.from && d.value !== null) soFar += d.value;
  }
  return {
    metric: read.metric,
    filter: read.filter,
    scope: read.scope,
    history,
    through,
    dataStarts,
    levelFrom,
    forecast,
    days,
    soFar,
    horizon,
    freshness: answerFreshness(freshness),
    timeZone: platform.settings.timeZone,
    currency: platform.settings.currency,
  };
}

/** A figure of the metric as people read it. */
export function show(f: KpiForecast, value: number): string {
  return formatMetric(f.metric, value, f.currency);
}

/** A money metric's minor units as major units (forecast/1 data, like kpi/1), other metrics as they are. */
export function dataValue(f: KpiForecast, value: number): number {
  return f.metric.format === "money" ? toMajorUnits(Math.round(value), f.currency) : Number(value.toFixed(4));
}

/** What the forecast rests on and how good it was, in one sentence (said with every forecast). */
export function basis(f: KpiForecast): string {
  const { forecast } = f;
  const season = forecast.period > 1 ? `, a ${forecast.period}-day week` : "";
  const held = forecast.holdout;
  const quality = held
    ? `; on the ${held.points} days held out before that it was off by ${Math.round(held.wape * 100)} % of the actual (MASE ${held.mase.toFixed(2)}; repeating the last week: ${held.naiveMase.toFixed(2)})`
    : "; too little history to hold days out and measure its error";
  return `Based on ${f.history.length} days through ${formatDay(f.through)} (${f.timeZone})${season}: ${forecast.model}, the best of the ways Lift tried on the latest days${quality}.`;
}

/** The warnings every forecast answer carries. */
export function forecastWarnings(f: KpiForecast): string[] {
  const warnings: string[] = [];
  if (f.dataStarts)
    warnings.push(
      `${f.metric.label} data starts ${formatDay(f.dataStarts)}: the forecast learns from ${f.history.length} days, not a year.`,
    );
  if (f.levelFrom)
    warnings.push(
      `${f.metric.label} moved to a new level on ${formatDay(f.levelFrom)} (three times the weeks before, or less than a third) and has held it: the forecast learns from ${f.history.length} days since, not from before.`,
    );
  if (f.forecast.filled > 0)
    warnings.push(
      `${f.forecast.filled} day${f.forecast.filled === 1 ? "" : "s"} without data filled by a straight line between the days around ${f.forecast.filled === 1 ? "it" : "them"}.`,
    );
  if (f.forecast.holdout && f.forecast.holdout.mase > f.forecast.holdout.naiveMase)
    warnings.push(
      "On the days held out this forecast did worse than repeating the last week: read it as a rough guide.",
    );
  warnings.push(
    "Today is not over: the forecast starts with today, and today's figures so far are not counted.",
  );
  return warnings;
}
