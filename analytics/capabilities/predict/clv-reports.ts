import {
  formatCount,
  formatDay,
  formatDayRange,
  formatMoney,
  formatPercent,
  toMajorUnits,
} from "../../platform/base/format.ts";
import type { ChartSpec } from "../../platform/charts/spec.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { Report } from "../../platform/reports/report.ts";
import { RFM_ACTIONS, segmentsService } from "../segments/index.ts";
import type { ClvFit } from "./clv.ts";
import type { Scored } from "./customers.ts";

/** Under this probability of still buying, a repeat customer counts as probably gone. */
export const GONE = 0.5;

export const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** What the prediction rests on, in a sentence. */
export function basisLine(fit: ClvFit): string {
  return `BG/NBD and Gamma-Gamma fitted on ${formatCount(fit.customers)} customers' orders ${formatDayRange(fit.firstDay, fit.asOf)} (${formatCount(fit.repeatCustomers)} bought on more than one day)`;
}

/** How the model did on the days held out, in a sentence. */
export function holdoutLine(fit: ClvFit): string {
  const h = fit.holdout;
  if (!h) return "Not checked on days held out.";
  const off = (h.predicted - h.actual) / Math.max(1, h.actual);
  return `Checked on ${formatDayRange(h.from, h.to)} held out: it predicted ${formatCount(Math.round(h.predicted))} repeat purchases by the ${formatCount(h.customers)} customers it knew; there were ${formatCount(h.actual)} (${formatPercent(Math.abs(off), 0)} ${off >= 0 ? "over" : "under"}).`;
}

/** The 30-day purchase model in a sentence: how it did on days it never learnt from, or why there is none. */
export function buyLine(fit: ClvFit): string {
  const b = fit.buy;
  if (!b) return "";
  if (!b.trusted) return `No 30-day purchase chances (p_buy_30d): ${b.reasons.join("; ")}.`;
  return `30-day purchase chances (p_buy_30d): logistic regression on recency, frequency, tenure and spend, learnt on the customers of 60 days ago and judged on those of 30 days ago: AUC ${b.auc.toFixed(3)}, Brier ${b.brier.toFixed(4)} (the base rate alone: ${b.brierBaseline.toFixed(4)}), ${formatCount(b.judgedOn)} customers.`;
}

/** The `clv/1` data: the fit, its check, the totals. Money in major units, time in days. */
export function clvData(fit: ClvFit, scores: readonly Scored[], currency: string, discount: number) {
  const major = (minor: number) => round(toMajorUnits(minor, currency), 2);
  return {
    schema: "clv/1",
    as_of: fit.asOf,
    first_day: fit.firstDay,
    time_unit: "day",
    r: round(fit.bgnbd.r, 6),
    alpha: round(fit.bgnbd.alpha, 6),
    a: round(fit.bgnbd.a, 6),
    b: round(fit.bgnbd.b, 6),
    p: fit.gammaGamma ? round(fit.gammaGamma.p, 6) : null,
    q: fit.gammaGamma ? round(fit.gammaGamma.q, 6) : null,
    v: fit.gammaGamma ? major(fit.gammaGamma.v) : null,
    log_likelihood: round(fit.logLikelihood, 3),
    customers: fit.customers,
    repeat_customers: fit.repeatCustomers,
    purchase_days: fit.purchaseDays,
    discount_rate: discount,
    currency,
    trusted: fit.trusted,
    reasons: fit.reasons,
    caveats: fit.caveats,
    holdout: fit.holdout
      ? {
          from: fit.holdout.from,
          to: fit.holdout.to,
          days: fit.holdout.days,
          customers: fit.holdout.customers,
          predicted: round(fit.holdout.predicted, 2),
          actual: fit.holdout.actual,
          by_purchases: fit.holdout.byPurchases.map((g) => ({
            purchases: g.label,
            customers: g.customers,
            predicted: round(g.predicted, 2),
            actual: g.actual,
          })),
        }
      : null,
    buy_30d: fit.buy
      ? {
          trusted: fit.buy.trusted,
          reasons: fit.buy.reasons,
          auc: Number.isFinite(fit.buy.auc) ? round(fit.buy.auc) : null,
          brier: Number.isFinite(fit.buy.brier) ? round(fit.buy.brier) : null,
          brier_baseline: Number.isFinite(fit.buy.brierBaseline) ? round(fit.buy.brierBaseline) : null,
          customers: fit.buy.judgedOn,
        }
      : null,
    expected_orders_90d: fit.trusted
      ? round(
          sum(scores, (s) => s.expected90),
          1,
        )
      : null,
    clv_12m: fit.trusted ? major(sum(scores, (s) => s.clv12m)) : null,
  };
}

const sum = (list: readonly Scored[], f: (s: Scored) => number) => list.reduce((t, s) => t + f(s), 0);

/** The holdout's table: customers by purchases before it, predicted and actual purchases each. */
function holdoutTable(fit: ClvFit): Report["table"] {
  const h = fit.holdout;
  if (!h) return undefined;
  return {
    columns: [
      { key: "purchases", label: "Repeat purchases before", format: "text" },
      { key: "customers", label: "Customers", format: "count" },
      { key: "predicted", label: `Predicted in ${h.days} days`, format: "count" },
      { key: "actual", label: "Actual", format: "count" },
    ],
    rows: h.byPurchases.map((g) => [g.label, g.customers, Math.round(g.predicted), g.actual]),
    totals: ["All", h.customers, Math.round(h.predicted), h.actual],
  };
}

/** The holdout as a chart: predicted and actual repeat purchases by purchases before it (Fader–Hardie's check). */
function holdoutChart(fit: ClvFit): ChartSpec[] {
  const h = fit.holdout;
  if (!h) return [];
  return [
    {
      kind: "bar",
      title: `Repeat purchases in the ${h.days} days held out, by purchases before: predicted and actual`,
      labels: h.byPurchases.map((g) => g.label),
      series: [
        { name: "Predicted", values: h.byPurchases.map((g) => Math.round(g.predicted)) },
        { name: "Actual", values: h.byPurchases.map((g) => g.actual) },
      ],
      format: "count",
    },
  ];
}

function parameterLines(fit: ClvFit, currency: string): string[] {
  const p = fit.bgnbd;
  const g = fit.gammaGamma;
  return [
    `BG/NBD (purchase rates Gamma(r, α), leaving after a purchase Beta(a, b); time in days): r ${p.r.toFixed(3)}, α ${p.alpha.toFixed(2)}, a ${p.a.toFixed(3)}, b ${p.b.toFixed(3)}; log-likelihood ${fit.logLikelihood.toFixed(1)}.`,
    g
      ? `Gamma-Gamma (spend per purchase): p ${g.p.toFixed(2)}, q ${g.q.toFixed(2)}, v ${formatMoney(g.v, currency)}; an average purchase ${formatMoney((g.p * g.v) / Math.max(1e-9, g.q - 1), currency)}.`
      : "Gamma-Gamma: no repeat purchase with a spend to learn from; a customer's own average stands for it.",
  ];
}

/**
 * Where customers stand by RFM, for when the models cannot be trusted: each segment's size and
 * what to do with it. Never a prediction.
 */
async function rfmFallback(platform: PlatformApi): Promise<{ lines: string[]; table: Report["table"] }> {
  const summary = await segmentsService.of(platform).rfm();
  const bySegment = new Map<string, { customers: number; revenue: number }>();
  for (const s of summary.scores) {
    const entry = bySegment.get(s.segment) ?? { customers: 0, revenue: 0 };
    entry.customers++;
    entry.revenue += s.revenueMinor;
    bySegment.set(s.segment, entry);
  }
  const rows = [...bySegment.entries()].sort((a, b) => b[1].revenue - a[1].revenue);
  return {
    lines: rows
      .slice(0, 3)
      .map(([name, e]) => `${name}: ${formatCount(e.customers)} customers — ${RFM_ACTIONS[name] ?? ""}`),
    table: {
      columns: [
        { key: "segment", label: "RFM segment", format: "text" },
        { key: "customers", label: "Customers", format: "count" },
        { key: "revenue", label: "Revenue so far", format: "money" },
        { key: "action", label: "What to do", format: "text" },
      ],
      rows: rows.map(([name, e]) => [name, e.customers, e.revenue, RFM_ACTIONS[name] ?? ""]),
      currency: platform.settings.currency,
    },
  };
}

export function untrustedSummary(fit: ClvFit): string {
  return `I can't give customer predictions you can trust here: ${fit.reasons.join("; ")}.`;
}

/** `clv`: what the customers are expected to buy and be worth, how well that held on a holdout. */
export async function clvReport(
  platform: PlatformApi,
  fit: ClvFit,
  scores: readonly Scored[],
  discount: number,
  command: string,
): Promise<Report> {
  const currency = platform.settings.currency;
  const data = clvData(fit, scores, currency, discount);
  const period = {
    label: `orders ${formatDayRange(fit.firstDay, fit.asOf)}`,
    from: fit.firstDay,
    to: fit.asOf,
    timeZone: platform.settings.timeZone,
    partial: false,
  };
  const base: Report = {
    kind: "clv",
    command,
    title: `Customer value, as of ${formatDay(fit.asOf)}`,
    summary: "",
    period,
    facts: [],
    charts: holdoutChart(fit),
    actions: [],
    warnings: fit.caveats.map((c) => `Keep in mind: ${c}.`),
    data,
    table: holdoutTable(fit),
    details: [basisLine(fit), holdoutLine(fit), ...parameterLines(fit, currency), buyLine(fit)].filter(
      (line) => line !== "",
    ),
  };
  if (!fit.trusted) {
    const rfm = await rfmFallback(platform);
    return {
      ...base,
      title: `Customer value: not predicted, RFM instead (as of ${formatDay(fit.asOf)})`,
      summary: `${untrustedSummary(fit)} Where customers stand by RFM instead — ${rfm.lines.join("; ")}.`,
      table: rfm.table,
      details: [...(base.details ?? []), ...(fit.holdout ? holdoutDetail(fit) : [])],
      actions: [{ id: "clv_segments", label: "RFM segments", command: "segments" }],
    };
  }
  const repeat = scores.filter((s) => s.x > 0);
  const active = repeat.filter((s) => s.pAlive >= GONE).length;
  const expected90 = sum(scores, (s) => s.expected90);
  const value = sum(scores, (s) => s.clv12m);
  const top = [...scores].sort((a, b) => b.clv12m - a.clv12m).slice(0, 5);
  return {
    ...base,
    summary: `${formatCount(fit.customers)} customers are expected to buy on ${formatCount(Math.round(expected90))} more days in the next 90 days, worth ${formatMoney(value, currency)} over the next 12 months (discounted ${formatPercent(discount, 0)} a year). ${holdoutLine(fit)}`,
    facts: [
      {
        label: "Customers",
        value: formatCount(fit.customers),
        note: `${formatCount(fit.repeatCustomers)} repeat`,
      },
      {
        label: "Repeat customers still buying",
        value: formatCount(active),
        note: `of ${formatCount(repeat.length)}, P(alive) ≥ ${formatPercent(GONE, 0)}`,
      },
      { label: "Repeat purchases, next 90 days", value: formatCount(Math.round(expected90)) },
      { label: "12-month value", value: formatMoney(value, currency) },
      {
        label: "Per customer",
        value: formatMoney(value / Math.max(1, fit.customers), currency),
        note: "12 months",
      },
    ],
    details: [
      ...(base.details ?? []),
      `Most valuable in the next 12 months: ${top.map((s) => `${s.id} ${formatMoney(s.clv12m, currency)} (P(alive) ${formatPercent(s.pAlive, 0)})`).join("; ")}.`,
    ],
    actions: [{ id: "clv_churn", label: "Churn risk", command: "churn risk", style: "primary" }],
    download: { source: "clv", key: fit.asOf, filename: `customer-value-${fit.asOf}.csv` },
  };
}

function holdoutDetail(fit: ClvFit): string[] {
  return [
    `The holdout by purchases before it: ${fit.holdout!.byPurchases.map((g) => `${g.label}: ${Math.round(g.predicted)} predicted, ${g.actual} actual`).join("; ")}.`,
  ];
}
