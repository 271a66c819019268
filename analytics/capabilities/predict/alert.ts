import { AppError } from "../../platform/base/errors.ts";
import { formatDay, formatDayRange } from "../../platform/base/format.ts";
import { type AlertRule, dayWindow, type Evaluation, every, phrase } from "../../platform/contract/alerts.ts";
import type { AlertKind, CapabilityContext } from "../../platform/contract/capability.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import { parseKpiQuestion } from "../../platform/metrics/grammar.ts";
import { formatMetric, metricWords } from "../../platform/metrics/report.ts";
import { addDays, eachDay } from "../../platform/time/zone.ts";
import { forecastValues, MIN_POINTS } from "./forecast.ts";
import { HISTORY_DAYS } from "./kpi-forecast.ts";

export interface ForecastBandRule extends AlertRule {
  kind: "forecast";
  metric: string;
  channel?: string;
  /** Days running the actual must be outside the band. */
  days: number;
  direction: "below" | "above" | "outside";
}

function words(rule: ForecastBandRule): string {
  return metricWords(rule.metric, rule.channel);
}

/**
 * The last `days` days against the 95 % band of a forecast made the day before they began (from
 * up to a year of history): firing when every one of them fell outside it on the rule's side.
 * A day outside a forecast made that morning is news; the same forecast refitted on the drop
 * would have bent to it.
 */
export async function judgeBand(context: CapabilityContext, rule: ForecastBandRule): Promise<Evaluation> {
  const { platform } = context;
  const yesterday = addDays(platform.today(), -1);
  const first = addDays(yesterday, -(rule.days - 1));
  const through = addDays(first, -1);
  const from = addDays(through, -(HISTORY_DAYS - 1));
  const filter = rule.channel ? { channel: rule.channel } : {};
  const byDay = await platform.dailyValues(rule.metric, { from, to: yesterday }, filter);
  const metric = metricByKey(rule.metric)!;
  const show = (v: number) => formatMetric(metric, v, platform.settings.currency);
  const timeZone = platform.settings.timeZone;
  const window = dayWindow(first, yesterday, timeZone);
  const subject = { kind: "metric", id: rule.metric, ...(rule.channel ? { channel: rule.channel } : {}) };
  const period = `${first}..${yesterday}`;
  const history = eachDay(from, through).map((d) => byDay.get(d) ?? null);
  const start = history.findIndex((v) => v !== null);
  const known = start < 0 ? [] : history.slice(start);
  const recent = eachDay(first, yesterday).map((d) => byDay.get(d) ?? null);
  if (recent.some((v) => v === null))
    return {
      state: "stale",
      period,
      headline: `${words(rule)} has no data for some of ${formatDayRange(first, yesterday)}: the band alert cannot judge it.`,
      facts: [],
      window,
      subject,
    };
  if (known.filter((v) => v !== null).length < MIN_POINTS)
    return {
      state: "unknown",
      period,
      headline: `${words(rule)} has under ${MIN_POINTS} days of history before ${formatDay(first)}: too few to forecast.`,
      facts: [],
      window,
      subject,
    };
  const forecast = forecastValues(known, { horizon: rule.days, lags: [7], nonNegative: true });
  const outside = recent.map((v, i) => {
    const step = forecast.steps[i]!;
    if (rule.direction === "below") return v! < step.lower95;
    if (rule.direction === "above") return v! > step.upper95;
    return v! < step.lower95 || v! > step.upper95;
  });
  const firing = outside.every(Boolean);
  const last = forecast.steps[rule.days - 1]!;
  const actual = recent[rule.days - 1]!;
  return {
    state: firing ? "firing" : "ok",
    period,
    headline: firing
      ? `${words(rule)} has been ${rule.direction} its forecast's 95 % band ${rule.days === 1 ? `on ${formatDay(yesterday)}` : `${rule.days} days running (${formatDayRange(first, yesterday)})`}: ${show(actual)} on ${formatDay(yesterday)} against a forecast of ${show(last.mean)} (95 %: ${show(last.lower95)}–${show(last.upper95)}).`
      : `${words(rule)} is within its forecast's 95 % band (${show(actual)} on ${formatDay(yesterday)}; forecast ${show(last.mean)}).`,
    facts: [
      { label: `${words(rule)}, ${formatDay(yesterday)}`, value: show(actual) },
      {
        label: "Forecast",
        value: show(last.mean),
        note: `95 %: ${show(last.lower95)}–${show(last.upper95)}`,
      },
      {
        label: "Model",
        value: forecast.model,
        note: `forecast on ${formatDay(through)} from ${known.length} days`,
      },
    ],
    window,
    subject,
  };
}

/** "revenue below forecast", "signups below the forecast 3 days", "visitors above forecast for email". */
export const forecastBandAlert: AlertKind<ForecastBandRule> = {
  kind: "forecast",
  order: 8,
  examples: ["revenue below forecast", "signups below the forecast 3 days running"],
  cadence: "checked daily at 08:10 UTC",
  nextCheck: every(86_400_000, 8 * 3600_000 + 10 * 60_000),
  parse(text, { today }) {
    const t = phrase(text);
    const match =
      /\s(below|under|above|over|outside)\s(?:the |its |our )?forecast(?:s|ed)?(?: band)?(?=\s)/.exec(t);
    if (!match) return null;
    let rest = t.slice(0, match.index) + t.slice(match.index + match[0].length);
    const running = /\s(?:for )?(\d{1,2}|two|three|four|five) days?(?: running| in a row)?(?=\s)/.exec(rest);
    const WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5 };
    const days = running ? (WORDS[running[1]!] ?? Number(running[1])) : 2;
    if (running) rest = rest.replace(running[0], " ");
    if (days < 1 || days > 14)
      throw new AppError("invalid_input", "A forecast band alert watches 1 to 14 days running", {
        hint: "e.g. `alert revenue below forecast 3 days`",
      });
    const query = parseKpiQuestion(rest.replace(/\s(daily|each day|every day)\s/g, " "), today);
    if (query.metrics.length !== 1)
      throw new AppError("invalid_input", "A forecast band alert watches one metric", {
        hint: "e.g. `alert revenue below forecast`",
      });
    const metric = query.metrics[0]!;
    return {
      kind: "forecast",
      metric,
      ...(query.filter.channel ? { channel: query.filter.channel } : {}),
      days,
      direction:
        match[1] === "above" || match[1] === "over" ? "above" : match[1] === "outside" ? "outside" : "below",
    };
  },
  describe: (rule) =>
    `${words(rule)} ${rule.direction} its forecast's 95 % band ${rule.days === 1 ? "for a day" : `${rule.days} days running`}`,
  muteLabel: (rule) => `Mute ${metricByKey(rule.metric)?.label.toLowerCase() ?? rule.metric} 24 h`,
  evaluate: (context, rule) => judgeBand(context, rule),
};
