import { formatDay } from "../../platform/base/format.ts";
import type { Evaluation } from "../../platform/contract/alerts.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import { metricByKey } from "../../platform/metrics/definitions.ts";
import type { KpiResult } from "../../platform/metrics/kpis.ts";
import { formatMetric } from "../../platform/metrics/report.ts";
import type { Fact } from "../../platform/reports/report.ts";
import { dayWindow, metricWords } from "./words.ts";

/**
 * Threshold and change alerts judge a complete period: yesterday, or the last
 * 7 complete days. When the data the rule needs stopped arriving, the answer
 * is "stale" (cannot be judged), never a fall to zero.
 */
export async function judgeCompletePeriod(
  platform: PlatformApi,
  rule: { metric: string; channel?: string; grain: "daily" | "weekly" },
  judge: (
    value: number,
    show: (value: number | null | undefined) => string,
    label: string,
    when: string,
    result: KpiResult,
  ) => { state: Evaluation["state"]; headline: string; facts: Fact[] },
): Promise<Evaluation> {
  const definition = metricByKey(rule.metric)!;
  const currency = platform.settings.currency;
  const filter = rule.channel ? { channel: rule.channel } : {};
  const label = metricWords(rule.metric, rule.channel);
  const show = (value: number | null | undefined) => formatMetric(definition, value, currency);
  const period =
    rule.grain === "weekly" ? ({ kind: "last_days", n: 7 } as const) : ({ kind: "yesterday" } as const);
  const result = await platform.kpis({
    metrics: [rule.metric],
    period,
    compare: "previous",
    by: "none",
    filter,
  });
  const periodKey = `${result.period.from}..${result.period.to}`;
  const value = result.totals.current[rule.metric] ?? null;
  const when = rule.grain === "weekly" ? result.period.label.toLowerCase() : formatDay(result.period.from);
  const window = dayWindow(result.period.from, result.period.to, platform.settings.timeZone);
  const subject = { kind: "metric", id: rule.metric, ...(rule.channel ? { channel: rule.channel } : {}) };
  if (value === null || result.warnings.length > 0) {
    return {
      state: "stale",
      period: periodKey,
      headline: `${label} for ${when} cannot be judged: ${result.warnings[0] ?? "its data is missing"}.`,
      facts: [],
      window,
      subject,
    };
  }
  return { period: periodKey, window, subject, ...judge(value, show, label, when, result) };
}
