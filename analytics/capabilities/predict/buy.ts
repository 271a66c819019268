import type { PurchaseHistory } from "../../../db/predict/queries.ts";
import { type BaseCustomer, customerBase } from "./clv.ts";
import { auc, brier, fitLogistic, type LogisticModel, predictLogistic, sigmoid } from "./logistic.math.ts";

/*
 * The chance each customer buys in the next 30 days, learnt from the shop's own past: for a past
 * day, each customer's recency, frequency, tenure and spend then, and whether they bought in the 30
 * days after. Trained on the day 60 days back, judged on the day 30 days back (labels it never saw,
 * of a later day), then retrained on that later day to score today.
 */

export const BUY_FEATURES = [
  "days since last purchase",
  "purchase days",
  "days since first purchase",
  "spend (log)",
  "purchase days, last 30 days",
  "purchase days, last 90 days",
] as const;

/** Fewer buyers than this in a 30-day window cannot train a model worth its name. */
const MIN_POSITIVES = 50;

export interface BuyModel {
  trusted: boolean;
  reasons: string[];
  /** Judged on the later day's customers. */
  auc: number;
  brier: number;
  brierBaseline: number;
  judgedOn: number;
  /** The day the kept model learnt from (epoch day) and its standardisation. */
  means: number[];
  sds: number[];
  intercept: number;
  weights: number[];
}

/** One customer's features, in BUY_FEATURES' order. */
export function buyFeatures(c: BaseCustomer): number[] {
  return [c.T - c.tx, c.x + 1, c.T, Math.log1p(Math.max(0, c.revenueMinor) / 100), c.recent30, c.recent90];
}

function design(base: readonly BaseCustomer[], means: number[], sds: number[]): Float64Array {
  const d = BUY_FEATURES.length;
  const X = new Float64Array(base.length * d);
  base.forEach((c, i) => {
    buyFeatures(c).forEach((v, j) => {
      X[i * d + j] = sds[j]! > 0 ? (v - means[j]!) / sds[j]! : 0;
    });
  });
  return X;
}

function train(base: readonly BaseCustomer[]): { model: LogisticModel; means: number[]; sds: number[] } {
  const d = BUY_FEATURES.length;
  const rows = base.map(buyFeatures);
  const means = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
  const sds = Array.from({ length: d }, (_, j) =>
    Math.sqrt(rows.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / rows.length),
  );
  const y = Uint8Array.from(base, (c) => (c.next30 > 0 ? 1 : 0));
  return { model: fitLogistic(design(base, means, sds), y, d), means, sds };
}

/** A model of six features learns as well from 100,000 customers as from a million: every k-th one above that. */
const MAX_ROWS = 100_000;

function sample(base: BaseCustomer[]): BaseCustomer[] {
  const every = Math.ceil(base.length / MAX_ROWS);
  return every <= 1 ? base : base.filter((_, i) => i % every === 0);
}

/** Trains and judges the 30-day purchase model on the history up to `asOf` (an epoch day). */
export function fitBuyModel(history: PurchaseHistory, asOf: number): BuyModel {
  const early = sample(customerBase(history, asOf - 60));
  const later = sample(customerBase(history, asOf - 30));
  const positives = (base: readonly BaseCustomer[]) => base.filter((c) => c.next30 > 0).length;
  const reasons: string[] = [];
  if (positives(early) < MIN_POSITIVES || early.length - positives(early) < MIN_POSITIVES)
    reasons.push(
      `${positives(early)} of the ${early.length} customers known 60 days ago bought in the 30 days after; a 30-day purchase model needs at least ${MIN_POSITIVES} buyers and ${MIN_POSITIVES} others to learn from`,
    );
  const empty = { auc: Number.NaN, brier: Number.NaN, brierBaseline: Number.NaN, judgedOn: 0 };
  if (reasons.length > 0 || positives(later) === 0 || positives(later) === later.length)
    return { trusted: false, reasons, ...empty, means: [], sds: [], intercept: 0, weights: [] };
  const first = train(early);
  const scores = predictLogistic(first.model, design(later, first.means, first.sds), BUY_FEATURES.length);
  const labels = Uint8Array.from(later, (c) => (c.next30 > 0 ? 1 : 0));
  const rate = positives(early) / early.length;
  const judged = {
    auc: auc(scores, labels),
    brier: brier(scores, labels),
    brierBaseline: brier(new Float64Array(labels.length).fill(rate), labels),
    judgedOn: later.length,
  };
  // A model no better at ranking than a coin is not offered.
  if (!(judged.auc >= 0.6))
    reasons.push(
      `on the customers of 30 days ago it ranked buyers above the others only ${Math.round(judged.auc * 100)} % of the time`,
    );
  const kept = train(later);
  return {
    trusted: reasons.length === 0,
    reasons,
    ...judged,
    means: kept.means,
    sds: kept.sds,
    intercept: kept.model.intercept,
    weights: [...kept.model.weights],
  };
}

/** One customer's chance of buying in the next 30 days. */
export function buyProbability(model: BuyModel, c: BaseCustomer): number {
  const { means, sds, weights } = model;
  const f = buyFeatures(c);
  let z = model.intercept;
  for (let j = 0; j < f.length; j++) if (sds[j]! > 0) z += (weights[j]! * (f[j]! - means[j]!)) / sds[j]!;
  return sigmoid(z);
}
