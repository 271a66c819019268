import { AppError } from "../../platform/base/errors.ts";
import { formatCount, formatDayRange, formatPercent } from "../../platform/base/format.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import { answerFreshness } from "../../platform/metrics/freshness.ts";
import { CHANNEL_LABELS } from "../../platform/metrics/kpis.ts";
import { type PeriodSpec, resolvePeriod } from "../../platform/metrics/periods.ts";
import type { Report } from "../../platform/reports/report.ts";
import { addDays, dayOf, startOfDayMs } from "../../platform/time/zone.ts";
import { funnelDepths, stepCounts } from "./funnel-math.ts";

export interface FunnelQuery {
  /** Event names; "page" (or "$page") means any page view. */
  steps: string[];
  period: PeriodSpec;
  windowDays: number;
  byChannel: boolean;
}

export interface FunnelResult {
  steps: string[];
  from: string;
  to: string;
  windowDays: number;
  counts: number[];
  channels: { channel: string; counts: number[] }[];
}

/** "page > Product Added > Order Completed" (also → or ->) → the step names. */
export function parseFunnelSteps(text: string): string[] {
  return (
    text
      .split(/\s*(?:>|→|->)\s*/)
      // Quotes are how a step with spaces is written ("Product Added"), not part of its name.
      .map((step) =>
        step
          .trim()
          .replace(/^["“'](.*)["”']$/, "$1")
          .trim(),
      )
      .filter(Boolean)
  );
}

function stepKey(step: string): string {
  return /^\$?page(s| views?| ?view)?$/i.test(step.trim()) ? "$page" : step.trim();
}

/** Conversion through ordered steps for people who started in the period, by channel of their start. */
export async function computeFunnel(platform: PlatformApi, query: FunnelQuery): Promise<FunnelResult> {
  if (query.steps.length < 2 || query.steps.length > 8) {
    throw new AppError("invalid_input", "A funnel needs 2 to 8 steps", {
      hint: "e.g. page > Product Added > Order Completed",
    });
  }
  if (!(query.windowDays >= 1 && query.windowDays <= 90)) {
    throw new AppError("invalid_input", "The conversion window is 1 to 90 days", { hint: "--within 7d" });
  }
  const steps = query.steps.map(stepKey);
  const now = platform.now();
  const { timeZone } = platform.settings;
  const period = resolvePeriod(query.period, dayOf(now, timeZone));
  const startFrom = startOfDayMs(period.from, timeZone);
  const startTo = startOfDayMs(addDays(period.to, 1), timeZone);
  const windowMs = query.windowDays * 86_400_000;
  const rows = await platform.funnelEvents([...new Set(steps)], {
    fromMs: startFrom,
    toMs: Math.min(now, startTo + windowMs),
  });
  const people = funnelDepths(rows, steps, windowMs, startFrom, startTo);
  const channels = new Map<string, { depth: number; channel: string }[]>();
  for (const person of people.values()) {
    const list = channels.get(person.channel) ?? [];
    list.push(person);
    channels.set(person.channel, list);
  }
  return {
    steps,
    from: period.from,
    to: period.to,
    windowDays: query.windowDays,
    counts: stepCounts(people.values(), steps.length),
    channels: query.byChannel
      ? [...channels.entries()]
          .map(([channel, list]) => ({ channel, counts: stepCounts(list, steps.length) }))
          .sort((a, b) => b.counts[0]! - a.counts[0]!)
      : [],
  };
}

const label = (step: string) => (step === "$page" ? "Page view" : step);

export async function funnelReport(platform: PlatformApi, query: FunnelQuery): Promise<Report> {
  const result = await computeFunnel(platform, query);
  const freshness = await platform.freshness();
  const { timeZone } = platform.settings;
  const { counts, steps } = result;
  const overall = counts[0]! > 0 ? counts.at(-1)! / counts[0]! : null;
  const drops = steps.slice(1).map((_, k) => (counts[k]! > 0 ? 1 - counts[k + 1]! / counts[k]! : 0));
  const worst = drops.indexOf(Math.max(...drops));
  const report: Report = {
    kind: "funnel",
    title: `Funnel · ${steps.map(label).join(" → ")}`,
    summary:
      overall === null
        ? `Nobody started this funnel (${label(steps[0]!)}) in ${formatDayRange(result.from, result.to)}.`
        : `${formatPercent(overall)} of the ${formatCount(counts[0]!)} people who started went all the way within ${result.windowDays} days; ` +
          `the biggest drop is ${label(steps[worst]!)} → ${label(steps[worst + 1]!)} (${formatPercent(drops[worst]!)} lost).`,
    period: {
      label: formatDayRange(result.from, result.to),
      from: result.from,
      to: result.to,
      timeZone,
      partial: false,
    },
    freshness: answerFreshness(freshness),
    facts: [
      { label: "Started", value: formatCount(counts[0]!) },
      { label: "Completed", value: formatCount(counts.at(-1)!) },
      { label: "Conversion", value: overall === null ? "—" : formatPercent(overall) },
    ],
    table: {
      columns: [
        { key: "step", label: "Step", format: "text" },
        { key: "people", label: "People", format: "count" },
        { key: "from_previous", label: "From previous step", format: "percent" },
        { key: "from_start", label: "From start", format: "percent" },
      ],
      rows: steps.map((step, k) => [
        `${k + 1}. ${label(step)}`,
        counts[k]!,
        k === 0 ? null : counts[k - 1]! > 0 ? counts[k]! / counts[k - 1]! : null,
        counts[0]! > 0 ? counts[k]! / counts[0]! : null,
      ]),
    },
    charts: [
      {
        kind: result.channels.length > 0 ? "stacked-bar" : "bar",
        title: `Funnel · ${formatDayRange(result.from, result.to)}`,
        labels: steps.map(label),
        series:
          result.channels.length > 0
            ? result.channels
                .slice(0, 8)
                .map((c) => ({ name: CHANNEL_LABELS[c.channel] ?? c.channel, values: c.counts }))
            : [{ name: "People", values: counts }],
        format: "count",
      },
    ],
    actions: [],
    warnings: [],
  };
  if (result.to >= addDays(platform.today(), -query.windowDays)) {
    report.warnings.push(
      `People who started in the last ${query.windowDays} days have not had the full window yet, so recent conversion reads low.`,
    );
  }
  if (result.channels.length > 0) {
    report.table!.columns.push({ key: "best_channel", label: "Best channel (start → end)", format: "text" });
    const best = result.channels
      .filter((c) => c.counts[0]! >= 20)
      .map((c) => ({ c, rate: c.counts.at(-1)! / c.counts[0]! }))
      .sort((a, b) => b.rate - a.rate)[0];
    report.table!.rows.forEach((row, k) => {
      row.push(
        k === 0 && best
          ? `${CHANNEL_LABELS[best.c.channel] ?? best.c.channel} (${formatPercent(best.rate)})`
          : null,
      );
    });
  }
  return report;
}
