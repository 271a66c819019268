import { AppError } from "../../platform/base/errors.ts";
import { formatDay, formatPercent } from "../../platform/base/format.ts";
import type { Command, CommandContext } from "../../platform/contract/capability.ts";
import { CHANNEL_LABELS, CHANNELS } from "../../platform/ingest/channel.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import { answerFreshness } from "../../platform/metrics/freshness.ts";
import { type Period, parsePeriod, periodSpecText, resolvePeriod } from "../../platform/metrics/periods.ts";
import { formatMetric } from "../../platform/metrics/report.ts";
import type { Report } from "../../platform/reports/report.ts";
import { addDays, eachDay } from "../../platform/time/zone.ts";
import { ANOMALY_WEEKS, judgeDay } from "./anomaly.ts";

/** Weeks of the same weekday with a value above zero a series needs before its days are judged. */
const MIN_WEEKS = 4;

/** What the scan looks at: the daily KPIs a marketer acts on. */
const SCANNED = ["visitors", "signups", "orders", "revenue", "spend"];

interface Finding {
  day: string;
  metric: string;
  /** "Paid search", "campaign Brand search", or null for the whole workspace. */
  where: string | null;
  /** The command's filter words ("for paid search", `campaign "ps-brand"`). */
  filter: string;
  value: number;
  low: number;
  high: number;
  median: number;
  /** How far outside the band, in band half-widths: what the ranking sorts by. */
  distance: number;
}

/** The days of the period that are complete (today is not over), most recent last. */
function completeDays(period: Period, today: string): string[] {
  return eachDay(period.from, period.to < today ? period.to : addDays(today, -1)).filter(
    (d) => d >= period.from,
  );
}

async function scanSeries(
  context: CommandContext,
  metric: string,
  filter: { channel?: string; campaignId?: string },
  days: string[],
  where: string | null,
  filterWords: string,
): Promise<Finding[]> {
  const definition = metricByKey(metric)!;
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const range = { from: addDays(first, -7 * ANOMALY_WEEKS), to: last };
  const byDay = await context.platform.dailyValues(metric, range, filter);
  // Revenue swings with a handful of orders as much as any anomaly: judged only where the same
  // series has enough orders a day to be judged itself.
  const orders = metric === "revenue" ? await context.platform.dailyValues("orders", range, filter) : null;
  const found: Finding[] = [];
  for (const day of days) {
    const value = byDay.get(day);
    if (value === null || value === undefined) continue;
    const judged = judgeDay(byDay, day, definition.format === "count");
    if ("unknown" in judged) continue;
    // A series that was mostly zero on that weekday (a campaign that just started, a quiet channel)
    // has no usual range to leave: its first busy days are news, not anomalies.
    if (judged.history.filter((v) => v > 0).length < MIN_WEEKS) continue;
    if (orders) {
      const counted = judgeDay(orders, day, true);
      if ("unknown" in counted) continue;
    }
    const { band } = judged;
    if (value >= band.low && value <= band.high) continue;
    const half = Math.max(1e-9, (band.high - band.low) / 2);
    const distance = (value < band.low ? band.low - value : value - band.high) / half;
    found.push({
      day,
      metric,
      where,
      filter: filterWords,
      value,
      low: band.low,
      high: band.high,
      median: band.median,
      distance,
    });
  }
  return found;
}

/**
 * `unusual [period]`: every daily KPI, for the workspace, each channel and each campaign, against
 * the same weekday of the 8 weeks before (the anomaly alert's rule), the days outside their usual
 * range ranked by how far outside, each with a button to explain it.
 */
export const unusualCommand: Command = {
  name: "unusual",
  aliases: ["anomalies"],
  summary: "Anything unusual: every KPI, channel and campaign against its usual range for the weekday",
  usage: "unusual [period]",
  examples: ["unusual last 7 days", "unusual yesterday"],
  mutates: false,
  personal: false,
  async run(args, context) {
    const { platform } = context;
    const today = platform.today();
    const spec = args.trim() ? parsePeriod(args.trim(), today) : { kind: "last_days" as const, n: 7 };
    if (!spec)
      throw new AppError("invalid_input", `I could not read “${args.trim()}” as a period`, {
        hint: "unusual last 7 days · unusual yesterday · unusual this month",
      });
    const notes: string[] = [];
    let period: Period;
    try {
      period = resolvePeriod(spec, today);
    } catch (error) {
      // "this week" on a Monday: nothing complete to judge yet; the last 7 days are.
      if (!(error instanceof AppError)) throw error;
      notes.push(`${error.message}: the last 7 days instead.`);
      period = resolvePeriod({ kind: "last_days", n: 7 }, today);
    }
    let days = completeDays(period, today).slice(-31);
    if (days.length === 0) {
      // "this week" on a Monday: nothing complete to judge yet; the last 7 days are.
      notes.push(`${period.label} has no complete day yet: the last 7 days instead.`);
      period = resolvePeriod({ kind: "last_days", n: 7 }, today);
      days = completeDays(period, today);
    }
    const series: Promise<Finding[]>[] = [];
    const campaigns = await platform.campaigns();
    for (const metric of SCANNED) {
      series.push(scanSeries(context, metric, {}, days, null, ""));
      for (const channel of CHANNELS)
        series.push(
          scanSeries(
            context,
            metric,
            { channel },
            days,
            CHANNEL_LABELS[channel] ?? channel,
            `for ${channel.replace(/_/g, " ")}`,
          ),
        );
      if (metric === "spend" || metric === "orders" || metric === "revenue")
        for (const c of campaigns)
          series.push(
            scanSeries(
              context,
              metric,
              { campaignId: c.id },
              days,
              `campaign ${c.name}`,
              `campaign "${c.id}"`,
            ),
          );
    }
    const findings = (await Promise.all(series)).flat().sort((a, b) => b.distance - a.distance);
    const report = unusualReport(
      findings,
      period,
      days,
      await platform.freshness(),
      platform.settings.currency,
      platform.settings.timeZone,
      campaigns.length,
    );
    return { ...report, warnings: [...notes, ...report.warnings] };
  },
};

function unusualReport(
  findings: Finding[],
  period: Period,
  days: string[],
  freshness: Awaited<ReturnType<CommandContext["platform"]["freshness"]>>,
  currency: string,
  timeZone: string,
  campaigns: number,
): Report {
  const show = (f: Finding, v: number) => formatMetric(metricByKey(f.metric)!, v, currency);
  const what = (f: Finding) => `${metricByKey(f.metric)!.label}${f.where ? ` · ${f.where}` : ""}`;
  const line = (f: Finding) =>
    `${what(f)} ${f.value < f.low ? "fell to" : "rose to"} ${show(f, f.value)} on ${formatDay(f.day, { short: true })} (usual ${show(f, Math.max(0, f.low))} – ${show(f, f.high)})`;
  const scope = `${SCANNED.length} KPIs for the workspace, ${CHANNELS.length} channels and ${campaigns} campaigns`;
  const top = findings.slice(0, 10);
  return {
    kind: "unusual",
    title: `Unusual · ${period.label}`,
    summary:
      findings.length === 0
        ? `Nothing unusual: ${scope} stayed within their usual range for the weekday on each of the ${days.length} days.`
        : `${findings.length} ${findings.length === 1 ? "figure" : "figures"} outside the usual range; the furthest: ${line(findings[0]!)}.`,
    period: { label: period.label, from: days[0]!, to: days[days.length - 1]!, timeZone, partial: false },
    freshness: answerFreshness(freshness),
    facts: [
      { label: "Outside the usual range", value: String(findings.length) },
      { label: "Days scanned", value: String(days.length) },
    ],
    ...(top.length > 0
      ? {
          table: {
            columns: [
              { key: "day", label: "Day", format: "text" as const },
              { key: "what", label: "What", format: "text" as const },
              { key: "value", label: "Value", format: "text" as const },
              { key: "usual", label: "Usual range", format: "text" as const },
              { key: "vs", label: "vs median (%)", format: "text" as const },
            ],
            rows: top.map((f) => [
              formatDay(f.day, { short: true }),
              what(f),
              show(f, f.value),
              `${show(f, Math.max(0, f.low))} – ${show(f, f.high)}`,
              f.median === 0
                ? "—"
                : `${f.value >= f.median ? "+" : "−"}${formatPercent(Math.abs(f.value / f.median - 1), 0)}`,
            ]),
          },
        }
      : {}),
    charts: [],
    actions: top.slice(0, 5).map((f, i) => ({
      id: `why_${i}`,
      label: `Why ${metricByKey(f.metric)!.label.toLowerCase()} ${formatDay(f.day, { short: true })}`,
      command: `why ${f.metric.replace(/_/g, " ")} ${f.day}..${f.day} ${f.filter}`.trim(),
    })),
    warnings: [
      `Each day against the same weekday of the ${ANOMALY_WEEKS} weeks before it (the anomaly alert's rule); series too small to judge (under 20 a day) are left out.`,
    ],
    ...(findings.length > 10 ? { details: findings.slice(10, 40).map(line) } : {}),
    command: `unusual ${periodSpecText(period.spec)}`,
  };
}
