import { dataExtents } from "../../db/queries/metrics.ts";
import { parseKpiQuestion } from "../commands/grammar.ts";
import type { Core } from "../core.ts";
import { AppError } from "../errors.ts";
import { currencyDecimals, formatAgo, formatDay, formatPercent } from "../format.ts";
import { metricByKey } from "../metrics/definitions.ts";
import { CHANNEL_LABELS } from "../metrics/kpis.ts";
import { formatMetric } from "../metrics/report.ts";
import type { Fact } from "../reports/report.ts";
import { addDays } from "../time/zone.ts";
import { seasonalBand } from "./anomaly.ts";

export type AlertRule =
  | {
      kind: "threshold";
      metric: string;
      op: "below" | "above";
      value: number;
      grain: "daily" | "weekly";
      channel?: string;
    }
  | {
      kind: "change";
      metric: string;
      direction: "drops" | "rises";
      percent: number;
      grain: "daily" | "weekly";
      channel?: string;
    }
  | { kind: "anomaly"; metric: string; channel?: string }
  | { kind: "no_data"; hours: number };

/** Weeks of the same weekday an anomaly is judged against, and the fewest it needs. */
export const ANOMALY_WEEKS = 8;
const ANOMALY_MIN_WEEKS = 4;
/** Below this many a day, a count's chance swings are as large as any anomaly. */
const MIN_DAILY_COUNT = 20;

function metricAndChannel(words: string, today: string): { metric: string; channel?: string } {
  const query = parseKpiQuestion(words, today);
  if (query.metrics.length !== 1) {
    throw new AppError("invalid_input", "An alert watches one metric", {
      hint: "e.g. `alert revenue below 5000 daily` or `alert signups anomaly`",
    });
  }
  return { metric: query.metrics[0]!, ...(query.filter.channel ? { channel: query.filter.channel } : {}) };
}

/**
 * Reads an alert: "revenue below 5000 daily", "conversion rate drops 20% week over week",
 * "signups anomaly", "visitors anomaly for paid search", "no data for 6 h".
 */
export function parseAlertRule(text: string, today: string): AlertRule {
  const t = ` ${text.toLowerCase().replace(/\s+/g, " ").trim()} `;
  const noData = /\sno (?:data|events)(?: for)? (\d{1,3}) ?(?:h|hours?)\s/.exec(t);
  if (noData) return { kind: "no_data", hours: Number(noData[1]) };
  const grainOf = (s: string): "daily" | "weekly" =>
    /\s(weekly|week over week|wow|a week|per week)\s/.test(s) ? "weekly" : "daily";
  const strip = (s: string) =>
    s.replace(
      /\s(daily|weekly|week over week|day over day|wow|dod|a day|per day|a week|per week|each day)(?=\s)/g,
      " ",
    );
  const threshold =
    /\s(below|under|less than|above|over|more than|exceeds)\s\$?([\d,.]+)\s?(%|k)?(?=\s)/.exec(t);
  if (threshold) {
    const op = /below|under|less/.test(threshold[1]!) ? "below" : "above";
    let value = Number(threshold[2]!.replace(/,/g, ""));
    if (threshold[3] === "k") value *= 1000;
    const rest = strip(t.slice(0, threshold.index) + t.slice(threshold.index + threshold[0].length));
    const { metric, channel } = metricAndChannel(rest, today);
    const definition = metricByKey(metric)!;
    if (definition.format === "percent" && (threshold[3] === "%" || value >= 1)) value /= 100;
    if (!Number.isFinite(value)) throw new AppError("invalid_input", `“${threshold[2]}” is not a number`);
    return { kind: "threshold", metric, op, value, grain: grainOf(t), ...(channel ? { channel } : {}) };
  }
  const change =
    /\s(drops?|falls?|declines?|rises?|grows?|jumps?|increases?)\s(?:by\s)?(?:more than\s)?(\d{1,3}(?:\.\d+)?)\s?%(?=\s)/.exec(
      t,
    );
  if (change) {
    const direction = /drop|fall|decline/.test(change[1]!) ? "drops" : "rises";
    const rest = strip(t.slice(0, change.index) + t.slice(change.index + change[0].length));
    const { metric, channel } = metricAndChannel(rest, today);
    const grain = /\s(day over day|dod)\s/.test(t) ? "daily" : "weekly";
    return {
      kind: "change",
      metric,
      direction,
      percent: Number(change[2]) / 100,
      grain,
      ...(channel ? { channel } : {}),
    };
  }
  const anomaly = /\s(anomaly|anomalies|anomalous|unusual|outlier)(?=\s)/.exec(t);
  if (anomaly) {
    const rest = strip(t.slice(0, anomaly.index) + t.slice(anomaly.index + anomaly[0].length));
    const watched = metricAndChannel(rest, today);
    // A day's revenue or rate swings too much with a few large orders for a weekday band to mean anything.
    if (metricByKey(watched.metric)?.format !== "count") {
      throw new AppError(
        "invalid_input",
        `Anomaly alerts watch counts (visitors, orders, signups, events), not ${metricByKey(watched.metric)?.label ?? watched.metric}`,
        {
          hint: `try \`alert ${watched.metric.replace(/_/g, " ")} drops 20% week over week\``,
        },
      );
    }
    return { kind: "anomaly", ...watched };
  }
  throw new AppError("invalid_input", `I could not read the alert “${text.trim()}”`, {
    hint: "try `alert revenue below 5000 daily`, `alert conversion rate drops 20% week over week`, `alert signups anomaly` or `alert no data for 6 h`",
  });
}

function metricWords(metric: string, channel?: string): string {
  const label = metricByKey(metric)?.label ?? metric;
  return channel ? `${label} (${CHANNEL_LABELS[channel] ?? channel})` : label;
}

export function describeRule(rule: AlertRule, currency: string): string {
  switch (rule.kind) {
    case "no_data":
      return `No events for ${rule.hours} h`;
    case "anomaly":
      return `${metricWords(rule.metric, rule.channel)} outside its usual range`;
    case "change":
      return `${metricWords(rule.metric, rule.channel)} ${rule.direction === "drops" ? "drops" : "rises"} ${formatPercent(rule.percent, 0)} ${rule.grain === "weekly" ? "week over week" : "day over day"}`;
    case "threshold": {
      const definition = metricByKey(rule.metric)!;
      const value =
        definition.format === "money" ? rule.value * 10 ** currencyDecimals(currency) : rule.value;
      return `${metricWords(rule.metric, rule.channel)} ${rule.op} ${formatMetric(definition, value, currency)} ${rule.grain === "weekly" ? "over 7 days" : "a day"}`;
    }
  }
}

/** What an incident row keeps of the evaluation that opened it. */
export interface IncidentPayload {
  state: Evaluation["state"];
  period: string;
  headline: string;
}

export function incidentPayload(incident: { payload: string }): IncidentPayload {
  return JSON.parse(incident.payload) as IncidentPayload;
}

export interface Evaluation {
  /** "stale": the data the rule needs stopped arriving, so it cannot be judged (never a fake drop). */
  state: "firing" | "ok" | "stale" | "unknown";
  /** Which period was judged ("2026-11-23", "2026-11-17..2026-11-23"): part of the incident key. */
  period: string;
  headline: string;
  facts: Fact[];
}

/** Judges a rule on complete periods only: yesterday, or the last 7 complete days. */
export async function evaluateRule(core: Core, rule: AlertRule, now: number): Promise<Evaluation> {
  const today = core.today();
  const yesterday = addDays(today, -1);
  const currency = core.settings.currency;
  if (rule.kind === "no_data") {
    const extents = await dataExtents(core.db);
    const last = extents.events.lastReceivedAt;
    const silentMs = last === null ? Number.POSITIVE_INFINITY : now - last;
    const firing = silentMs >= rule.hours * 3600_000;
    return {
      state: firing ? "firing" : "ok",
      period: last === null ? "never" : String(last),
      headline:
        last === null
          ? "No events have arrived yet."
          : firing
            ? `No events have arrived for ${formatAgo(last, now).replace(/ ago$/, "")} (the last ${formatAgo(last, now)}).`
            : `Events are arriving (the last ${formatAgo(last, now)}).`,
      facts: [],
    };
  }
  const definition = metricByKey(rule.metric)!;
  const filter = rule.channel ? { channel: rule.channel } : {};
  const label = metricWords(rule.metric, rule.channel);
  const show = (value: number | null | undefined) => formatMetric(definition, value, currency);
  if (rule.kind === "anomaly") {
    const from = addDays(yesterday, -7 * ANOMALY_WEEKS);
    const byDay = await core.dailyValues(rule.metric, { from, to: yesterday }, filter);
    const value = byDay.get(yesterday) ?? null;
    if (value === null) {
      return {
        state: "stale",
        period: yesterday,
        headline: `${label} for ${formatDay(yesterday)} cannot be judged: no data arrived for that day.`,
        facts: [],
      };
    }
    const history: number[] = [];
    for (let week = 1; week <= ANOMALY_WEEKS; week++) {
      const v = byDay.get(addDays(yesterday, -7 * week));
      if (v !== null && v !== undefined) history.push(v);
    }
    if (history.length < ANOMALY_MIN_WEEKS) {
      return {
        state: "unknown",
        period: yesterday,
        headline: `${label}: not enough history yet (${history.length} of ${ANOMALY_MIN_WEEKS} weeks).`,
        facts: [],
      };
    }
    const counts = definition.format === "count";
    // Tuned on the demo workspace (seeds 7 and 42, 60 days × 5 metrics × 9 series): wide enough that
    // ordinary days never fire, narrow enough that a two-day paid-search budget cap (−80 % traffic) does.
    const band = seasonalBand(history, { k: 3.5, counts, minRelative: counts ? 0.35 : 0.45 });
    if (counts && band.median < MIN_DAILY_COUNT) {
      return {
        state: "unknown",
        period: yesterday,
        headline: `${label}: too few a day (about ${Math.round(band.median)}) to tell an anomaly from chance.`,
        facts: [],
      };
    }
    const firing = value < band.low || value > band.high;
    const relative = band.median === 0 ? null : value / band.median - 1;
    return {
      state: firing ? "firing" : "ok",
      period: yesterday,
      headline: `${label} was ${show(value)} on ${formatDay(yesterday)}, ${value < band.low ? "below" : value > band.high ? "above" : "within"} its usual range for the weekday (${show(Math.max(0, band.low))} – ${show(band.high)}).`,
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
    };
  }
  const period =
    rule.grain === "weekly" ? ({ kind: "last_days", n: 7 } as const) : ({ kind: "yesterday" } as const);
  const result = await core.kpis({ metrics: [rule.metric], period, compare: "previous", by: "none", filter });
  const periodKey = `${result.period.from}..${result.period.to}`;
  const value = result.totals.current[rule.metric] ?? null;
  const when = rule.grain === "weekly" ? result.period.label.toLowerCase() : formatDay(result.period.from);
  if (value === null || result.warnings.length > 0) {
    return {
      state: "stale",
      period: periodKey,
      headline: `${label} for ${when} cannot be judged: ${result.warnings[0] ?? "its data is missing"}.`,
      facts: [],
    };
  }
  if (rule.kind === "threshold") {
    const limit = definition.format === "money" ? rule.value * 10 ** currencyDecimals(currency) : rule.value;
    const firing = rule.op === "below" ? value < limit : value > limit;
    return {
      state: firing ? "firing" : "ok",
      period: periodKey,
      headline: `${label} was ${show(value)} ${rule.grain === "weekly" ? `over the ${when}` : `on ${when}`}, ${firing ? rule.op : rule.op === "below" ? "above" : "below"} ${show(limit)}.`,
      facts: [
        { label, value: show(value) },
        { label: "Threshold", value: `${rule.op} ${show(limit)}` },
      ],
    };
  }
  const before = result.totals.previous?.[rule.metric] ?? null;
  if (before === null || before === 0) {
    return {
      state: "unknown",
      period: periodKey,
      headline: `${label}: nothing to compare with before ${when}.`,
      facts: [],
    };
  }
  const change = value / before - 1;
  const firing = rule.direction === "drops" ? change <= -rule.percent : change >= rule.percent;
  return {
    state: firing ? "firing" : "ok",
    period: periodKey,
    headline: `${label} ${change < 0 ? "fell" : "rose"} ${formatPercent(Math.abs(change), 1)} (${show(before)} → ${show(value)}), ${rule.grain === "weekly" ? "the last 7 days against the 7 before" : `${when} against the day before`}.`,
    facts: [
      { label, value: show(value) },
      { label: "Before", value: show(before) },
      { label: "Change", value: `${change >= 0 ? "+" : "−"}${formatPercent(Math.abs(change), 1)}` },
    ],
  };
}
