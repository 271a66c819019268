import { formatChange, formatDayRange, toMajorUnits } from "../../platform/base/format.ts";
import type { ChartSpec } from "../../platform/charts/spec.ts";
import type { MetricDefinition } from "../../platform/metrics/definitions.ts";
import { queryText } from "../../platform/metrics/query-text.ts";
import { formatMetric, resultFrame, resultWarnings } from "../../platform/metrics/report.ts";
import type { Column, Report } from "../../platform/reports/report.ts";
import type { DriverRow, Explanation } from "./explain.ts";
import type { Contribution } from "./shift-share.ts";

/** A change in the metric's own units; a rate's in percentage points. */
const signedMetric = (metric: MetricDefinition, value: number, currency: string) =>
  metric.format === "percent"
    ? `${value < 0 ? "−" : "+"}${(Math.abs(value) * 100).toFixed(2)} pts`
    : `${value < 0 ? "−" : "+"}${formatMetric(metric, Math.abs(value), currency)}`;

/** The figures of `why/1`: money in major units of the currency (as kpi/1), everything else as computed. */
function inMajorUnits(e: Explanation, currency: string) {
  const m = (v: number | null): number | null =>
    v === null || e.metric.format !== "money" ? v : toMajorUnits(v, currency);
  const parts = (list: Contribution[] | null) =>
    list?.map((p) => ({ name: p.name, contribution: m(p.contribution)! })) ?? null;
  const rows = (list: DriverRow[]) =>
    list.map((r) => ({
      ...r,
      before: m(r.before),
      after: m(r.after),
      change: m(r.change)!,
      parts: parts(r.parts),
    }));
  const { low, high, median } = e.verdict;
  return {
    before: m(e.before),
    after: m(e.after),
    change: m(e.change),
    factors: parts(e.factors),
    drivers: e.drivers ? { by: e.drivers.by, rows: rows(e.drivers.rows) } : null,
    campaigns: e.campaigns ? rows(e.campaigns) : null,
    verdict: {
      ...e.verdict,
      ...(low === undefined ? {} : { low: m(low)! }),
      ...(high === undefined ? {} : { high: m(high)! }),
      ...(median === undefined ? {} : { median: m(median)! }),
    },
  };
}

/** The explanation as a Report: the change, the verdict, the drivers as a table and a ranked-bar chart, the context. */
// Long on purpose: the report in reading order (verdict, drivers, table, chart), each part a few lines.
export function explanationReport(e: Explanation, currency: string): Report {
  const { metric, result } = e;
  const scope = result.scope ? ` · ${result.scope}` : "";
  const comparison = result.comparison;
  const range = formatDayRange(result.period.from, result.period.to);
  const show = (v: number | null) => (v === null ? "no data" : formatMetric(metric, v, currency));
  const relative = e.change !== null && e.before ? e.change / Math.abs(e.before) : null;
  const direction = e.change === null ? "" : e.change === 0 ? "flat" : e.change > 0 ? "up" : "down";
  const title = `${metric.label}${scope} · ${result.period.label}: ${
    e.change === null
      ? "no comparison"
      : relative === null
        ? direction
        : `${direction} ${formatChange(Math.abs(relative)).replace("+", "")}`
  }`;

  let summary: string;
  if (e.after === null) {
    summary = `There is no ${metric.label.toLowerCase()} data${result.scope ? ` for ${result.scope}` : ""} in ${range}, so there is nothing to explain.`;
  } else if (e.change === null || !comparison) {
    summary = `${metric.label} was ${show(e.after)} (${range}); there is nothing to compare it with (${result.comparisonNote ?? "no earlier data"}).`;
  } else {
    summary = `${metric.label}${result.scope ? ` for ${result.scope}` : ""} ${/s$/.test(metric.label) ? "were" : "was"} ${show(e.after)} (${range}), ${
      direction === "flat"
        ? "flat"
        : `${direction} ${relative === null ? "" : `${formatChange(Math.abs(relative)).replace("+", "")} `}(${signedMetric(metric, e.change, currency)})`
    } on ${comparison.label} (${show(e.before)}).`;
    summary +=
      e.verdict.state === "beyond"
        ? ` That is beyond normal variation: usually ${show(e.verdict.low!)}–${show(e.verdict.high!)}.`
        : e.verdict.state === "within"
          ? ` That is within normal variation (${show(e.verdict.low!)}–${show(e.verdict.high!)}).`
          : ` Normal variation: ${e.verdict.basis}.`;
    const lead = e.drivers?.rows.find(
      (r) => r.parts !== null || !/^\d+ more$|^not in|^people|^no campaign/.test(r.label),
    );
    if (lead && e.change !== 0 && Math.sign(lead.change) === Math.sign(e.change)) {
      const parts = lead.parts
        ? `: ${lead.parts.map((p) => `${p.name} ${signedMetric(metric, p.contribution, currency)}`).join(", ")}`
        : "";
      summary += ` ${lead.label} accounts for ${signedMetric(metric, lead.change, currency)}${parts}.`;
    } else if (e.factors && e.change !== 0) {
      const main = e.factors
        .filter((f) => Math.sign(f.contribution) === Math.sign(e.change!))
        .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))[0];
      if (main)
        summary += ` Mostly from ${main.name} (${signedMetric(metric, main.contribution, currency)}).`;
    }
  }

  const report: Report = {
    kind: "why",
    title,
    summary,
    ...resultFrame(result),
    facts: [
      {
        label: metric.label,
        value: show(e.after),
        ...(comparison ? { note: `${show(e.before)} ${comparison.label}` } : {}),
      },
      ...(e.change === null ? [] : [{ label: "Change", value: signedMetric(metric, e.change, currency) }]),
      {
        label: "Normal variation",
        value: e.verdict.state === "beyond" ? "beyond" : e.verdict.state === "within" ? "within" : "unknown",
        note: e.verdict.basis,
      },
      ...(e.factors ?? []).map((f) => ({
        label: `From ${f.name}`,
        value: signedMetric(metric, f.contribution, currency),
      })),
    ],
    charts: [],
    actions: [
      {
        id: "figures",
        label: "The figures",
        command: `kpi ${queryText({ ...e.query, metrics: [metric.key] })}`,
      },
      { id: "by_channel", label: "By channel", command: `kpi ${queryText({ ...e.query, by: "channel" })}` },
      { id: "trend", label: "Daily trend", command: `kpi ${queryText({ ...e.query, by: "day" })}` },
    ],
    warnings: resultWarnings(result),
    details:
      e.context.length > 0 ? e.context.map((line) => `Around then: ${line.replace(/\.$/, "")}.`) : undefined,
    data: {
      schema: "why/1",
      metric: metric.key,
      period: { from: result.period.from, to: result.period.to },
      comparison: comparison ? { from: comparison.from, to: comparison.to } : null,
      ...inMajorUnits(e, currency),
      context: e.context,
    },
  };
  if (report.details === undefined) delete report.details;
  if (e.context.length > 0) report.summary += ` Around then: ${e.context[0]!.replace(/\.$/, "")}.`;

  const rows = e.drivers?.rows ?? [];
  if (rows.length > 0) {
    const partNames = [...new Set(rows.flatMap((r) => (r.parts ?? []).map((p) => p.name)))];
    const columns: Column[] = [
      { key: "group", label: e.drivers!.by === "channel" ? "Channel" : "Campaign", format: "text" },
      { key: "before", label: comparison?.label ?? "Before", format: metric.format },
      { key: "after", label: result.period.label, format: metric.format },
      { key: "change", label: "Change", format: metric.format },
      ...partNames.map((name) => ({ key: name, label: `From ${name}`, format: metric.format }) as Column),
    ];
    report.table = {
      columns,
      rows: rows.map((r) => [
        r.label,
        r.before,
        r.after,
        r.change,
        ...partNames.map((name) => r.parts?.find((p) => p.name === name)?.contribution ?? null),
      ]),
      totals: ["Total", e.before, e.after, e.change, ...partNames.map(() => null)],
      currency,
    };
    const chart: ChartSpec = {
      kind: "hbar",
      title: `What moved ${metric.label.toLowerCase()}${scope} (${result.period.label.toLowerCase()} vs ${comparison?.label ?? "before"})`,
      labels: rows.map((r) => r.label),
      series: [
        {
          name: "change",
          values: rows.map((r) => (metric.format === "money" ? toMajorUnits(r.change, currency) : r.change)),
        },
      ],
      format: metric.format,
      currency,
    };
    report.charts.push(chart);
  }
  if (e.campaigns && e.campaigns.length > 0) {
    const lines = e.campaigns
      .filter((r) => r.change !== 0)
      .map((r) => `${r.label}: ${signedMetric(metric, r.change, currency)}`);
    if (lines.length > 0) report.details = [...(report.details ?? []), `By campaign: ${lines.join(" · ")}`];
  }
  return report;
}
