import { AppError } from "../../platform/base/errors.ts";
import { formatDay, formatDayRange, formatPercent } from "../../platform/base/format.ts";
import type { ChartSpec } from "../../platform/charts/spec.ts";
import type { MetricDefinition } from "../../platform/metrics/definitions.ts";
import type { Report } from "../../platform/reports/report.ts";
import { forecastTotal } from "./forecast.ts";
import { basis, dataValue, forecastWarnings, type KpiForecast, show } from "./kpi-forecast.ts";
import { scopeWords } from "./words.ts";

/** How many days of actuals the chart shows before the forecast. */
const CHART_HISTORY = 56;

function shortDay(day: string): string {
  return formatDay(day, { short: true });
}

function chart(f: KpiForecast): ChartSpec {
  const past = f.history.slice(-CHART_HISTORY);
  const n = past.length;
  const steps = f.forecast.steps;
  const pad = <T>(k: number) => Array<T | null>(k).fill(null);
  return {
    kind: "line",
    title: `${f.metric.label}${f.scope ? ` · ${f.scope}` : ""}: actual and forecast`,
    labels: [...past.map((d) => shortDay(d.day)), ...f.days.map(shortDay)],
    series: [
      { name: "Actual", values: [...past.map((d) => d.value), ...pad<number>(steps.length)] },
      {
        name: `Forecast (${f.forecast.model.split(" ")[0]})`,
        values: [...pad<number>(n), ...steps.map((s) => s.mean)],
        dashed: true,
      },
    ],
    band: {
      name: "80 % prediction interval",
      low: [...pad<number>(n), ...steps.map((s) => s.lower80)],
      high: [...pad<number>(n), ...steps.map((s) => s.upper80)],
    },
    markers: [{ at: shortDay(f.days[0]!), text: "today" }],
    format: f.metric.format,
    currency: f.currency,
  };
}

function steps(f: KpiForecast) {
  return f.forecast.steps.map((s, i) => ({
    day: f.days[i]!,
    forecast: dataValue(f, s.mean),
    lower80: dataValue(f, s.lower80),
    upper80: dataValue(f, s.upper80),
    lower95: dataValue(f, s.lower95),
    upper95: dataValue(f, s.upper95),
  }));
}

function holdoutData(f: KpiForecast) {
  const h = f.forecast.holdout;
  return h
    ? {
        days: h.points,
        mase: Number(h.mase.toFixed(4)),
        naive_mase: Number(h.naiveMase.toFixed(4)),
        wape: Number(h.wape.toFixed(4)),
      }
    : null;
}

/** `forecast revenue next 30 days`: the daily forecast with its bands, and the total when it adds up. */
export function forecastReport(f: KpiForecast, command: string): Report {
  const count = f.days.length;
  const range = f.horizon.kind === "period" ? f.horizon.label : `the next ${count} days`;
  const total = f.metric.additive ? forecastTotal(f.forecast, count, f.soFar ?? 0, null) : null;
  const mean = f.forecast.steps.reduce((a, s) => a + s.mean, 0) / count;
  const soFarText =
    f.soFar !== null && f.horizon.kind === "period"
      ? ` (${show(f, f.soFar)} so far, ${formatDayRange(f.horizon.from, f.through)}, and ${show(f, total!.expected - f.soFar)} forecast for the ${count} days left)`
      : "";
  const headline = total
    ? `${f.metric.label}${f.scope ? ` for ${f.scope}` : ""} in ${range}: about ${show(f, total.expected)} (80 %: ${show(f, total.low80)}–${show(f, total.high80)})${soFarText}, ${show(f, mean)} a day on average.`
    : `${f.metric.label}${f.scope ? ` for ${f.scope}` : ""} over ${range}: about ${show(f, mean)} a day on average (a day's 80 % range around ${show(f, f.forecast.steps[0]!.mean)} today: ${show(f, f.forecast.steps[0]!.lower80)}–${show(f, f.forecast.steps[0]!.upper80)}). ${f.metric.label} ${f.metric.key === "visitors" ? "count each person once a day, so days do not add up to a total" : "is a ratio, so days do not add up to a total"}.`;
  return {
    kind: "forecast",
    command,
    title: `${f.metric.label} forecast · ${range}`,
    ...(f.scope ? { scope: f.scope } : {}),
    summary: `${headline} ${basis(f)}`,
    period: {
      label:
        f.horizon.kind === "period"
          ? f.horizon.label
          : `${formatDay(f.days[0]!)} – ${formatDay(f.days[count - 1]!)}`,
      from: f.days[0]!,
      to: f.days[count - 1]!,
      timeZone: f.timeZone,
      partial: true,
    },
    freshness: f.freshness,
    facts: [
      ...(total
        ? [
            { label: `Forecast, ${range}`, value: show(f, total.expected) },
            { label: "80 % range", value: `${show(f, total.low80)}–${show(f, total.high80)}` },
          ]
        : []),
      { label: "A day on average", value: show(f, mean) },
      { label: "Model", value: f.forecast.model },
      ...(f.forecast.holdout
        ? [
            {
              label: "Error on days held out",
              value: `${Math.round(f.forecast.holdout.wape * 100)} % (MASE ${f.forecast.holdout.mase.toFixed(2)})`,
            },
          ]
        : []),
    ],
    table: {
      columns: [
        { key: "day", label: "Day", format: "text" },
        { key: "forecast", label: "Forecast", format: f.metric.format },
        { key: "low80", label: "80 % low", format: f.metric.format },
        { key: "high80", label: "80 % high", format: f.metric.format },
        { key: "low95", label: "95 % low", format: f.metric.format },
        { key: "high95", label: "95 % high", format: f.metric.format },
      ],
      rows: f.forecast.steps.map((s, i) => [f.days[i]!, s.mean, s.lower80, s.upper80, s.lower95, s.upper95]),
      currency: f.currency,
    },
    charts: [chart(f)],
    actions: [
      {
        id: "forecast-alert",
        label: "Alert me below the forecast",
        command: `alert ${f.metric.key} ${scopeWords({ channel: f.filter.channel })} below forecast`.replace(
          /\s+/g,
          " ",
        ),
      },
    ],
    warnings: forecastWarnings(f),
    data: {
      schema: "forecast/1",
      metric: f.metric.key,
      channel: f.filter.channel ?? null,
      campaign: f.filter.campaignId ?? null,
      model: f.forecast.model,
      season_days: f.forecast.period,
      history: { from: f.history[0]!.day, to: f.through, days: f.history.length, filled: f.forecast.filled },
      holdout: holdoutData(f),
      total: total
        ? {
            so_far: f.soFar === null ? null : dataValue(f, f.soFar),
            expected: dataValue(f, total.expected),
            low80: dataValue(f, total.low80),
            high80: dataValue(f, total.high80),
          }
        : null,
      steps: steps(f),
    },
  };
}

/** A target is a total: refused in words for a metric that does not add up over days. */
export function refuseTotal(metric: MetricDefinition, horizonText: string): void {
  if (metric.additive) return;
  throw new AppError(
    "unsupported",
    `Lift can't say whether ${metric.label.toLowerCase()} will reach a total: ${metric.key === "visitors" ? "visitors over a period count each person once, which daily forecasts cannot add up to" : "it is a ratio, and ratios do not add up over days"}`,
    {
      hint: `\`forecast ${metric.key} ${horizonText}\` gives its daily forecast; targets work for revenue, orders, signups, spend, pageviews and clicks`,
    },
  );
}

/** "about a 23 % chance", never "0 %" or "100 %" for what is only very unlikely or very likely. */
function chanceText(chance: number): string {
  if (chance < 0.01) return "under a 1 % chance";
  if (chance > 0.99) return "over a 99 % chance";
  return `about a ${formatPercent(chance, 0)} chance`;
}

/** The chance in words: a marketer reads "likely", not 0.71. */
function chanceWords(chance: number): string {
  if (chance >= 0.9) return "Very likely";
  if (chance >= 0.65) return "Likely";
  if (chance >= 0.35) return "Too close to call";
  if (chance >= 0.1) return "Unlikely";
  return "Very unlikely";
}

/**
 * `target revenue 1000000 this quarter` ("will we hit $1M this quarter?"): the chance the period's
 * total reaches the target, its projected total and range, and what each remaining day needs.
 */
export function targetReport(f: KpiForecast, target: number, command: string): Report {
  refuseTotal(f.metric, f.horizon.text);
  const count = f.days.length;
  const soFar = f.soFar ?? 0;
  const total = forecastTotal(f.forecast, count, soFar, target);
  const chance = total.chance!;
  const needed = Math.max(0, (target - soFar) / count);
  const mean = (total.expected - soFar) / count;
  const range = f.horizon.kind === "period" ? f.horizon.label : `the next ${count} days`;
  const reached = soFar >= target;
  const summary = reached
    ? `Reached: ${f.metric.label.toLowerCase()} is already ${show(f, soFar)} in ${range}, past ${show(f, target)}.`
    : `${chanceWords(chance)}: ${chanceText(chance)} ${f.metric.label.toLowerCase()}${f.scope ? ` for ${f.scope}` : ""} ${f.metric.label.endsWith("s") ? "reach" : "reaches"} ${show(f, target)} in ${range}. ` +
      `${f.soFar !== null ? `So far ${show(f, soFar)} (${formatDayRange((f.horizon as { from: string }).from, f.through)}); ` : ""}` +
      `the forecast adds ${show(f, total.expected - soFar)} for the ${count} days left, for about ${show(f, total.expected)} (80 %: ${show(f, total.low80)}–${show(f, total.high80)}). ` +
      `Reaching ${show(f, target)} needs ${show(f, needed)} a day from today; the forecast is ${show(f, mean)} a day.`;
  const report = forecastReport(f, command);
  return {
    ...report,
    kind: "target",
    title: `${f.metric.label} vs ${show(f, target)} · ${range}`,
    summary: `${summary} ${basis(f)}`,
    facts: [
      { label: "Chance of reaching it", value: chanceText(chance).replace(/ chance$/, "") },
      { label: "Projected total", value: show(f, total.expected) },
      { label: "80 % range", value: `${show(f, total.low80)}–${show(f, total.high80)}` },
      ...(f.soFar !== null ? [{ label: "So far", value: show(f, soFar) }] : []),
      { label: "Needed a day", value: show(f, needed) },
      { label: "Forecast a day", value: show(f, mean) },
      { label: "Model", value: f.forecast.model },
    ],
    data: {
      ...report.data!,
      schema: "forecast/1",
      target: dataValue(f, target),
      chance: Number(chance.toFixed(4)),
      needed_per_day: dataValue(f, needed),
    },
  };
}
