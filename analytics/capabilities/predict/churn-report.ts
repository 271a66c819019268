import {
  formatCount,
  formatDay,
  formatDayRange,
  formatMoney,
  formatPercent,
  toMajorUnits,
} from "../../platform/base/format.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { Report } from "../../platform/reports/report.ts";
import { RFM_ACTIONS, segmentsService } from "../segments/index.ts";
import { type ClvFit, dayText } from "./clv.ts";
import { basisLine, GONE, holdoutLine, round, untrustedSummary } from "./clv-reports.ts";
import type { Scored } from "./customers.ts";

/** A customer's row in a churn list: who, what they spent, when they last bought. */
function churnRow(s: Scored, pAlive: number | null) {
  return [s.id, s.x + 1, s.revenueMinor, formatDay(dayText(s.lastDay)), pAlive];
}

/** `churn risk`: repeat customers who have probably stopped buying, the most valuable first. */
export async function churnReport(
  platform: PlatformApi,
  fit: ClvFit,
  scores: readonly Scored[],
  command: string,
): Promise<Report> {
  const currency = platform.settings.currency;
  const columns = [
    { key: "customer", label: "Customer", format: "text" as const },
    { key: "days", label: "Purchase days", format: "count" as const },
    { key: "revenue", label: "Spent so far", format: "money" as const },
    { key: "last", label: "Last order", format: "text" as const },
    { key: "p_alive", label: "P(still buying)", format: "percent" as const },
  ];
  if (!fit.trusted) {
    const rfm = await segmentsService.of(platform).rfm();
    const risky = rfm.scores
      .filter((s) => s.segment === "Can't lose them" || s.segment === "At risk")
      .sort((a, b) => b.revenueMinor - a.revenueMinor);
    const revenue = risky.reduce((t, s) => t + s.revenueMinor, 0);
    return {
      kind: "churn",
      command,
      title: `Churn risk: by RFM, not predicted (as of ${formatDay(rfm.asOf)})`,
      summary: `${untrustedSummary(fit)} By RFM instead, ${formatCount(risky.length)} customers are "Can't lose them" or "At risk" (bought often or much, not lately), with ${formatMoney(revenue, currency)} spent so far: ${RFM_ACTIONS["At risk"]}.`,
      facts: [],
      charts: [],
      warnings: [],
      table: {
        columns: [
          { key: "customer", label: "Customer", format: "text" },
          { key: "orders", label: "Orders", format: "count" },
          { key: "revenue", label: "Spent so far", format: "money" },
          { key: "recency", label: "Days since last order", format: "count" },
          { key: "segment", label: "RFM segment", format: "text" },
        ],
        rows: risky.slice(0, 15).map((s) => [s.id, s.orders, s.revenueMinor, s.recencyDays, s.segment]),
        currency,
      },
      actions: [
        { id: "churn_at_risk", label: "At risk segment", command: "segment at risk" },
        { id: "churn_cant_lose", label: "Can't lose them", command: "segment can't lose them" },
      ],
      data: {
        schema: "churn/1",
        as_of: rfm.asOf,
        method: "rfm",
        trusted: false,
        reasons: fit.reasons,
        customers: risky.length,
      },
    };
  }
  const gone = scores
    .filter((s) => s.x > 0 && s.pAlive < GONE)
    .sort((a, b) => b.revenueMinor - a.revenueMinor);
  const revenue = gone.reduce((t, s) => t + s.revenueMinor, 0);
  const repeat = scores.filter((s) => s.x > 0).length;
  const valuable = gone.slice(0, Math.max(1, Math.ceil(gone.length / 5)));
  return {
    kind: "churn",
    command,
    title: `Churn risk, as of ${formatDay(fit.asOf)}`,
    summary:
      gone.length === 0
        ? `None of the ${formatCount(repeat)} repeat customers looks gone: each has a ${formatPercent(GONE, 0)} or better chance of still buying. ${holdoutLine(fit)}`
        : `${formatCount(gone.length)} of ${formatCount(repeat)} repeat customers have probably stopped buying (under ${formatPercent(GONE, 0)} chance they still buy), with ${formatMoney(revenue, currency)} spent so far; the top fifth spent ${formatMoney(
            valuable.reduce((t, s) => t + s.revenueMinor, 0),
            currency,
          )}. Win them back before a competitor does: a personal note and what is new since they last bought. ${holdoutLine(fit)}`,
    period: {
      label: `orders ${formatDayRange(fit.firstDay, fit.asOf)}`,
      from: fit.firstDay,
      to: fit.asOf,
      timeZone: platform.settings.timeZone,
      partial: false,
    },
    facts: [
      {
        label: "Probably gone",
        value: formatCount(gone.length),
        note: `of ${formatCount(repeat)} repeat customers`,
      },
      { label: "Their spend so far", value: formatMoney(revenue, currency) },
    ],
    charts: [],
    warnings: fit.caveats.map((c) => `Keep in mind: ${c}.`),
    table: { columns, rows: gone.slice(0, 15).map((s) => churnRow(s, round(s.pAlive, 3))), currency },
    details: [basisLine(fit)],
    actions: [
      {
        id: "churn_segment",
        label: "Save as segment",
        command: `segment create likely-gone where p_alive < ${GONE} and orders >= 2`,
        style: "primary",
      },
      { id: "churn_clv", label: "Customer value", command: "clv" },
    ],
    data: {
      schema: "churn/1",
      as_of: fit.asOf,
      method: "bg/nbd",
      trusted: true,
      threshold: GONE,
      customers: gone.length,
      repeat_customers: repeat,
      revenue: round(toMajorUnits(revenue, currency), 2),
      top: gone.slice(0, 15).map((s) => ({
        id: s.id,
        p_alive: round(s.pAlive),
        revenue: round(toMajorUnits(s.revenueMinor, currency), 2),
        last_order: dayText(s.lastDay),
      })),
    },
  };
}

/**
 * Repeat customers whose chance of still buying was at least GONE as of an earlier day and is under
 * it now, the most valuable first (both scored by the same fit).
 */
export function newlyGone(before: readonly Scored[], now: readonly Scored[]): Scored[] {
  const earlier = new Map(before.map((s) => [s.id, s.pAlive]));
  return now
    .filter((s) => s.x > 0 && s.pAlive < GONE && (earlier.get(s.id) ?? 0) >= GONE)
    .sort((a, b) => b.revenueMinor - a.revenueMinor);
}
