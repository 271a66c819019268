import { formatDayRange } from "../base/format.ts";
import type { Report } from "./report.ts";

/** The line every answer carries: period, comparison, time zone and data freshness. */
export function contextLine(report: Report): string {
  const parts: string[] = [];
  if (report.scope) parts.push(report.scope);
  if (report.period) {
    const { period } = report;
    parts.push(`${formatDayRange(period.from, period.to)} (${period.timeZone})`);
    if (period.comparison) parts.push(`vs ${formatDayRange(period.comparison.from, period.comparison.to)}`);
  }
  if (report.freshness) parts.push(report.freshness.text);
  return parts.join(" · ");
}
