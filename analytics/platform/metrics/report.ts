import { formatChange, formatDay, formatDayRange, formatPercent, toMajorUnits } from "../base/format.ts";
import type { ChartSpec } from "../charts/spec.ts";
import { CHANNEL_LABELS } from "../ingest/channel.ts";
import { formatCell } from "../reports/cells.ts";
import type { Change, Column, Report, ReportPeriod } from "../reports/report.ts";
import { kpiData } from "./data.ts";
import { type MetricDefinition, metricByKey } from "./definitions.ts";
import { answerFreshness } from "./freshness.ts";
import type { KpiQuery, KpiResult } from "./kpis.ts";
import { queryText } from "./query-text.ts";

import { MIN_UNITS_FOR_CHANGE } from "./units.ts";

export { MIN_UNITS_FOR_CHANGE };

/** A metric value as people read it; null reads "—". */
export function formatMetric(
  metric: MetricDefinition,
  value: number | null | undefined,
  currency: string,
): string {
  return formatCell(metric.format, value, currency);
}

/** "Revenue (Paid search)": a metric, and the channel it is limited to. */
export function metricWords(metric: string, channel?: string): string {
  const label = metricByKey(metric)?.label ?? metric;
  return channel ? `${label} (${CHANNEL_LABELS[channel] ?? channel})` : label;
}

/** A change as people read it; one on too few units ("few data") gets no arrow and no colour. */
export function describeChange(
  metric: MetricDefinition,
  change: number | null | undefined,
  few = false,
): Change | undefined {
  if (change === null || change === undefined) return undefined;
  if (few) return { text: formatChange(change), direction: "flat", tone: "neutral", few: true };
  const direction = Math.abs(change) < 0.0005 ? "flat" : change > 0 ? "up" : "down";
  const tone =
    direction === "flat" || metric.better === "neither"
      ? "neutral"
      : (direction === "up") === (metric.better === "up")
        ? "good"
        : "bad";
  return { text: formatChange(change), direction, tone };
}

/** " by channel", " by segment", or nothing. */
const breakdownWords = (by: string) => (by === "none" ? "" : ` by ${by}`);

/** The period a KPI result covers, with its comparison, as every answer states it. */
export function reportPeriod(result: KpiResult): ReportPeriod {
  const { period, comparison } = result;
  return {
    label: period.label,
    from: period.from,
    to: period.to,
    timeZone: result.timeZone,
    partial: period.partial,
    ...(comparison
      ? { comparison: { label: comparison.label, from: comparison.from, to: comparison.to } }
      : {}),
  };
}

/** What every answer built on a KPI result states: its filter, period (with comparison) and data freshness. */
export function resultFrame(result: KpiResult): Pick<Report, "scope" | "period" | "freshness"> {
  return {
    ...(result.scope ? { scope: result.scope } : {}),
    period: reportPeriod(result),
    freshness: answerFreshness(result.freshness),
  };
}

/** The result's warnings, and one more when the data is stale. */
export function resultWarnings(result: KpiResult): string[] {
  return [
    ...result.warnings,
    ...(result.freshness.stale
      ? ["Data is stale: no events have arrived in the last 6 hours. Check your sources."]
      : []),
  ];
}

/** Builds the KPI answer: facts with changes, a table per group, a chart, follow-up actions. */
// Long on purpose: the KPI report in reading order (summary, facts, table, charts, actions, warnings).
export function kpiReport(result: KpiResult): Report {
  const { metrics, period, comparison, currency, totals } = result;
  const first = metrics[0]!;
  const by = result.query.by;
  // The filter goes wherever a reader looks: a filtered figure must never pass for the total.
  const scope = result.scope ? `${result.scope} · ` : "";
  const rank = result.query.rank
    ? ` · ${result.query.rank.order === "top" ? "highest" : "lowest"}${result.query.rank.n === null ? " first" : ` ${result.query.rank.n}`}`
    : "";
  const title = `${metrics.length <= 3 ? metrics.map((m) => m.label).join(", ") : "KPIs"} · ${scope}${period.label}${breakdownWords(by)}${rank}`;

  const facts = metrics.map((metric) => {
    const change = describeChange(metric, totals.change[metric.key], totals.few[metric.key]);
    const value = totals.current[metric.key];
    return {
      label: metric.label,
      value: value === null ? "no data" : formatMetric(metric, value, currency),
      ...(change ? { change } : {}),
      ...(comparison && totals.previous
        ? { note: `${formatMetric(metric, totals.previous[metric.key], currency)} ${comparison.label}` }
        : {}),
    };
  });

  const summary = summarize(result);
  const report: Report = {
    kind: "kpi",
    title,
    summary,
    ...resultFrame(result),
    facts,
    charts: [],
    actions: [],
    warnings: resultWarnings(result),
    data: kpiData(result),
  };

  if (by !== "none" && result.groups.length > 0) {
    const columns: Column[] = [{ key: by, label: by[0]!.toUpperCase() + by.slice(1), format: "text" }];
    for (const metric of metrics)
      columns.push({ key: metric.key, label: metric.label, format: metric.format });
    const withChange = result.groups.some((group) => group.previous !== null);
    if (withChange)
      columns.push({
        key: "change",
        label: `${first.label} vs ${comparison?.label ?? "before"}`,
        format: "change",
        better: first.better,
      });
    const rows = result.groups.map((group) => {
      const row: (string | number | null)[] = [
        group.label,
        ...metrics.map((m) => group.current[m.key] ?? null),
      ];
      if (withChange) {
        const a = group.current[first.key];
        const b = group.previous?.[first.key];
        row.push(
          a === null ||
            a === undefined ||
            b === null ||
            b === undefined ||
            b === 0 ||
            result.fewGroups.has(group.key)
            ? null
            : (a - b) / Math.abs(b),
        );
      }
      return row;
    });
    // Counted over the rows shown (a "top 1" shows one), each once.
    const few = result.groups.filter((group) => result.fewGroups.has(group.key)).length;
    if (withChange && few > 0)
      report.warnings.push(
        `${few} of ${result.groups.length} ${result.groups.length === 1 ? "row shows" : "rows show"} no change: fewer than ${MIN_UNITS_FOR_CHANGE} ${unitWord(first)} in one of the periods (few data).`,
      );
    const totalsRow: (string | number | null)[] = [
      "Total",
      ...metrics.map((m) => totals.current[m.key] ?? null),
    ];
    if (withChange) totalsRow.push(totals.few[first.key] ? null : (totals.change[first.key] ?? null));
    report.table = { columns, rows, totals: totalsRow, currency };
  }

  report.charts.push(...kpiCharts(result));
  const base = (grain: KpiQuery["by"]) => `kpi ${queryText({ ...result.query, by: grain })}`;
  if (by !== "channel")
    report.actions.push({ id: "by_channel", label: "By channel", command: base("channel") });
  if (by !== "campaign" && !metrics.some((m) => m.needs.includes("events"))) {
    report.actions.push({ id: "by_campaign", label: "By campaign", command: base("campaign") });
  }
  // A scope's breakdown ("By segment") for metrics of orders, the only ones that carry a customer.
  if (metrics.every((m) => m.needs.every((need) => need === "orders")))
    for (const word of result.scopeWords.filter((w) => w !== by))
      report.actions.push({ id: `by_${word}`, label: `By ${word}`, command: base(word) });
  if (by !== "day") report.actions.push({ id: "by_day", label: "Daily trend", command: base("day") });
  return report;
}

/** What a metric's changes rest on, in words ("orders", "visitors"). */
function unitWord(metric: MetricDefinition): string {
  return metric.unitsLabel ?? "units";
}

/**
 * The answer in a sentence: the figure (with its filter), how it moved, and
 * the top of a breakdown in words that mean what they say ("leads with" only
 * where higher is better; "lowest CPA" where lower is).
 */
function summarize(result: KpiResult): string {
  const { metrics, totals, comparison, period, currency } = result;
  const first = metrics[0]!;
  const value = totals.current[first.key];
  const range = formatDayRange(period.from, period.to);
  const scope = result.scope ? ` for ${result.scope}` : "";
  if (value === null || value === undefined) {
    return `There is no data for ${first.label.toLowerCase()}${scope} in ${range}.`;
  }
  const verb = /s$/.test(first.label) ? "were" : "was";
  let sentence = `${first.label}${scope} ${verb} ${formatMetric(first, value, currency)} (${range})`;
  const change = totals.change[first.key];
  const before = totals.previous?.[first.key];
  if (comparison && change !== null && change !== undefined && totals.few[first.key]) {
    sentence += `, against ${formatMetric(first, before, currency)} ${comparison.label}: too few ${unitWord(first)} to call it a change`;
  } else if (comparison && change !== null && change !== undefined) {
    const word = Math.abs(change) < 0.0005 ? "flat" : change > 0 ? "up" : "down";
    sentence +=
      word === "flat"
        ? `, flat on ${comparison.label}`
        : `, ${word} ${formatChange(Math.abs(change)).replace("+", "")} on ${comparison.label}`;
  } else if (comparison) {
    sentence += `; no comparison with ${comparison.label} (${result.comparisonNote ?? "data missing"})`;
  }
  sentence += ".";
  const ranked = result.groups.filter((g) => typeof g.current[first.key] === "number");
  if (result.query.rank && ranked.length > 0) {
    const { order, n } = result.query.rank;
    const word = order === "top" ? "Highest" : "Lowest";
    const shown = ranked
      .slice(0, 5)
      .map((g) => `${g.label} (${formatMetric(first, g.current[first.key], currency)})`);
    const of = result.rankedOf ?? ranked.length;
    sentence += ` ${word} ${first.label}${n === null ? "" : `, ${Math.min(n, of)} of ${of} ${result.query.by}s`}: ${shown.join(", ")}${ranked.length > 5 ? ", …" : ""}.`;
  } else if ((result.query.by === "channel" || result.query.by === "campaign") && ranked.length > 1) {
    const show = (g: (typeof ranked)[number]) =>
      `${g.label} (${formatMetric(first, g.current[first.key], currency)})`;
    const top = ranked[0]!;
    const topValue = top.current[first.key]!;
    if (first.better === "up") {
      sentence += ` ${top.label} leads with ${formatMetric(first, topValue, currency)}`;
      if (first.additive && value > 0) sentence += ` (${formatPercent(topValue / value, 0)} of the total)`;
      sentence += ".";
    } else if (first.better === "down") {
      const byValue = [...ranked].sort((a, b) => a.current[first.key]! - b.current[first.key]!);
      sentence += ` Lowest ${first.label}: ${show(byValue[0]!)}; highest: ${show(byValue.at(-1)!)}.`;
    } else {
      sentence += ` Most ${first.label.toLowerCase()}: ${show(top)}`;
      if (first.additive && value > 0) sentence += `, ${formatPercent(topValue / value, 0)} of the total`;
      sentence += ".";
    }
  }
  return sentence;
}

function chartFormat(metric: MetricDefinition) {
  return metric.format;
}

/** Money values in charts are major units, so axes read $1,200 rather than 120000. */
function chartValue(
  metric: MetricDefinition,
  value: number | null | undefined,
  currency: string,
): number | null {
  if (value === null || value === undefined) return null;
  return metric.format === "money" ? toMajorUnits(value, currency) : value;
}

const chartScope = (result: KpiResult) => (result.scope ? `${result.scope} · ` : "");

function kpiCharts(result: KpiResult): ChartSpec[] {
  const first = result.metrics[0]!;
  const by = result.query.by;
  if (by === "channel" || by === "campaign") {
    const groups = result.groups.slice(0, 12);
    const series = [
      {
        name: result.period.label,
        values: groups.map((g) => chartValue(first, g.current[first.key], result.currency)),
      },
    ];
    if (result.comparison && groups.some((g) => g.previous)) {
      series.push({
        name: result.comparison.label,
        values: groups.map((g) => chartValue(first, g.previous?.[first.key], result.currency)),
      });
    }
    return [
      {
        kind: "bar",
        title: `${first.label} by ${by} · ${chartScope(result)}${formatDayRange(result.period.from, result.period.to)}`,
        labels: groups.map((g) => g.label),
        series,
        format: chartFormat(first),
        currency: result.currency,
      },
    ];
  }
  if (by === "day" || by === "week" || by === "month") {
    return [
      {
        kind: by === "day" ? "line" : "bar",
        title: `${first.label} by ${by} · ${chartScope(result)}${formatDayRange(result.period.from, result.period.to)}`,
        labels: result.groups.map((g) => g.label),
        series: [
          {
            name: first.label,
            values: result.groups.map((g) => chartValue(first, g.current[first.key], result.currency)),
          },
        ],
        format: chartFormat(first),
        currency: result.currency,
      },
    ];
  }
  if (result.trend.days.length < 2) return [];
  const series = [
    {
      name: result.period.label,
      values: result.trend.current.map((values) => chartValue(first, values[first.key], result.currency)),
    },
  ];
  if (result.trend.previous && result.comparison) {
    series.push({
      name: result.comparison.label,
      values: result.trend.previous.map((values) => chartValue(first, values[first.key], result.currency)),
      dashed: true,
    } as (typeof series)[number]);
  }
  return [
    {
      kind: "line",
      title: `${first.label} per day · ${chartScope(result)}${formatDayRange(result.period.from, result.period.to)}`,
      labels: result.trend.days.map((day) => formatDay(day, { short: true })),
      series,
      format: chartFormat(first),
      currency: result.currency,
    },
  ];
}
