import { AppError } from "../../platform/base/errors.ts";
import { formatDay, formatPercent } from "../../platform/base/format.ts";
import { type Evaluation, every } from "../../platform/contract/alerts.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { AlertKind } from "../../platform/contract/capability.ts";
import { seasonalBand } from "../../platform/metrics/anomaly.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import { formatMetric } from "../../platform/metrics/report.ts";
import { addDays } from "../../platform/time/zone.ts";
import { dayWindow, metricAndChannel, metricWords, phrase, withoutCadence } from "./words.ts";

export interface AnomalyRule {
  kind: "anomaly";
  metric: string;
  channel?: string;
  [field: string]: unknown;
}

/** Weeks of the same weekday an anomaly is judged against, and the fewest it needs. */
export const ANOMALY_WEEKS = 8;
const ANOMALY_MIN_WEEKS = 4;
/** Below this many a day, a count's chance swings are as large as any anomaly. */
export const MIN_DAILY_COUNT = 20;

/**
 * One day's value against the same weekday of the 8 weeks before it (values by day): its usual
 * band, or why it cannot be judged. Tuned on the demo workspace (seeds 7 and 42, 60 days × 5
 * metrics × 9 series): wide enough that ordinary days never fire, narrow enough that a two-day
 * paid-search budget cap (−80 % traffic) does.
 */
export function judgeDay(
  byDay: Map<string, number | null>,
  day: string,
  counts: boolean,
):
  | { band: ReturnType<typeof seasonalBand>; history: number[] }
  | { unknown: "history"; weeks: number }
  | { unknown: "few"; median: number } {
  const history: number[] = [];
  for (let week = 1; week <= ANOMALY_WEEKS; week++) {
    const v = byDay.get(addDays(day, -7 * week));
    if (v !== null && v !== undefined) history.push(v);
  }
  if (history.length < ANOMALY_MIN_WEEKS) return { unknown: "history", weeks: history.length };
  const band = seasonalBand(history, { k: 3.5, counts, minRelative: counts ? 0.35 : 0.45 });
  if (counts && band.median < MIN_DAILY_COUNT) return { unknown: "few", median: band.median };
  return { band, history };
}

/**
 * Yesterday's value of a count against the same weekday over the last 8 weeks:
 * the median ± 3.5 robust σ, never narrower than 35 % of the median or 4·√median.
 */
export async function judgeAnomaly(
  platform: PlatformApi,
  metric: string,
  channel: string | undefined,
  day: string,
): Promise<Evaluation> {
  const definition = metricByKey(metric)!;
  const currency = platform.settings.currency;
  const filter = channel ? { channel } : {};
  const label = metricWords(metric, channel);
  const show = (value: number | null | undefined) => formatMetric(definition, value, currency);
  const window = dayWindow(day, day, platform.settings.timeZone);
  const subject = { kind: "metric", id: metric, ...(channel ? { channel } : {}) };
  const from = addDays(day, -7 * ANOMALY_WEEKS);
  const byDay = await platform.dailyValues(metric, { from, to: day }, filter);
  const value = byDay.get(day) ?? null;
  if (value === null) {
    return {
      state: "stale",
      period: day,
      headline: `${label} for ${formatDay(day)} cannot be judged: no data arrived for that day.`,
      facts: [],
    };
  }
  const judged = judgeDay(byDay, day, definition.format === "count");
  if ("unknown" in judged) {
    return {
      state: "unknown",
      period: day,
      headline:
        judged.unknown === "history"
          ? `${label}: not enough history yet (${judged.weeks} of ${ANOMALY_MIN_WEEKS} weeks).`
          : `${label}: too few a day (about ${Math.round(judged.median)}) to tell an anomaly from chance.`,
      facts: [],
    };
  }
  const { band, history } = judged;
  const firing = value < band.low || value > band.high;
  const relative = band.median === 0 ? null : value / band.median - 1;
  return {
    state: firing ? "firing" : "ok",
    period: day,
    headline: `${label} was ${show(value)} on ${formatDay(day)}, ${value < band.low ? "below" : value > band.high ? "above" : "within"} its usual range for the weekday (${show(Math.max(0, band.low))} – ${show(band.high)}).`,
    facts: [
      {
        label,
        value: show(value),
        ...(relative !== null
          ? { note: `${relative >= 0 ? "+" : "−"}${formatPercent(Math.abs(relative), 0)} vs the median` }
          : {}),
      },
      { label: `Usual (median of ${history.length} weeks)`, value: show(band.median) },
    ],
    window,
    subject,
  };
}

/** "signups anomaly", "visitors anomaly for paid search": yesterday outside the usual range for its weekday. */
export const anomalyAlert: AlertKind<AnomalyRule> = {
  kind: "anomaly",
  order: 40,
  examples: ["signups anomaly", "visitors anomaly for paid search"],
  cadence: "hourly",
  nextCheck: every(3600_000, 5 * 60_000),
  parse(text, { today }) {
    const t = phrase(text);
    const match = /\s(anomaly|anomalies|anomalous|unusual|outlier)(?=\s)/.exec(t);
    if (!match) return null;
    const rest = withoutCadence(t.slice(0, match.index) + t.slice(match.index + match[0].length));
    const watched = metricAndChannel(rest, today);
    // A day's revenue or rate swings too much with a few large orders for a weekday band to mean anything.
    if (metricByKey(watched.metric)?.format !== "count") {
      throw new AppError(
        "invalid_input",
        `Anomaly alerts watch counts (visitors, orders, signups, events), not ${metricByKey(watched.metric)?.label ?? watched.metric}`,
        { hint: `try \`alert ${watched.metric.replace(/_/g, " ")} drops 20% week over week\`` },
      );
    }
    return { kind: "anomaly", ...watched };
  },
  describe: (rule) => `${metricWords(rule.metric, rule.channel)} outside its usual range`,
  async evaluate({ platform }, rule) {
    return judgeAnomaly(platform, rule.metric, rule.channel, addDays(platform.today(), -1));
  },
};
