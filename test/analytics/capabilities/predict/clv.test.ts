import { describe, expect, it } from "vitest";
import { buyProbability, fitBuyModel } from "../../../../analytics/capabilities/predict/buy.ts";
import { expectedPurchases } from "../../../../analytics/capabilities/predict/clv.math.ts";
import {
  type ClvFit,
  customerBase,
  epochDay,
  fitClv,
  HOLDOUT_TOLERANCE,
  predictCustomer,
} from "../../../../analytics/capabilities/predict/clv.ts";
import { simulatedShop } from "../../../../analytics/capabilities/predict/simulate.ts";
import type { PurchaseHistory } from "../../../../db/predict/queries.ts";

/**
 * Customers who buy exactly as BG/NBD says (rates Gamma(r, α) per day, leaving after each repeat
 * purchase with a Beta(a, b) chance; simulate.ts), acquired evenly over `span` days, or at a fixed
 * interval (`every`).
 */
function shop(options: {
  customers: number;
  span: number;
  end: string;
  r: number;
  alpha: number;
  a: number;
  b: number;
  every?: number;
  seed?: number;
}): PurchaseHistory {
  const { r, alpha, a, b } = options;
  return simulatedShop({
    customers: options.customers,
    span: options.span,
    end: epochDay(options.end),
    model: { r, alpha, a, b, p: 6, q: 4, v: 3000 },
    seed: options.seed ?? 1,
    ...(options.every !== undefined ? { every: options.every } : {}),
  });
}

const TRUTH = { r: 0.8, alpha: 40, a: 1.2, b: 5 };

describe("customer value on a shop's purchase days", () => {
  const history = shop({ customers: 6000, span: 365, end: "2026-11-30", ...TRUTH });
  const fit = fitClv(history, epochDay("2026-11-30"), epochDay("2026-11-30"));

  it("recovers the parameters the purchases were drawn with", () => {
    // r, α: the rates' shape and scale; a/(a+b): the mean chance of leaving after a purchase.
    expect(fit.bgnbd.r).toBeGreaterThan(TRUTH.r * 0.8);
    expect(fit.bgnbd.r).toBeLessThan(TRUTH.r * 1.25);
    expect(fit.bgnbd.r / fit.bgnbd.alpha).toBeCloseTo(TRUTH.r / TRUTH.alpha, 2);
    const leave = fit.bgnbd.a / (fit.bgnbd.a + fit.bgnbd.b);
    expect(Math.abs(leave - TRUTH.a / (TRUTH.a + TRUTH.b))).toBeLessThan(0.04);
  });

  it("is checked on a backtest and trusted when it holds", () => {
    expect(fit.holdout).not.toBeNull();
    expect(fit.holdout!.days).toBe(90);
    expect(fit.holdout!.from).toBe("2026-09-02");
    expect(Math.abs(fit.holdout!.predicted - fit.holdout!.actual) / fit.holdout!.actual).toBeLessThan(
      HOLDOUT_TOLERANCE,
    );
    // Predicted and actual by purchases before the holdout add up to the totals.
    const groups = fit.holdout!.byPurchases;
    expect(groups.reduce((s, g) => s + g.actual, 0)).toBe(fit.holdout!.actual);
    expect(groups.reduce((s, g) => s + g.customers, 0)).toBe(fit.holdout!.customers);
    expect(fit.trusted).toBe(true);
    expect(fit.reasons).toEqual([]);
  });

  it("counts purchase days, not orders, and a customer's value from their own history", () => {
    const base = customerBase(history, epochDay("2026-11-30"));
    expect(base).toHaveLength(6000);
    const c = base.find((b) => b.x >= 3)!;
    const p = predictCustomer(fit, c, 0);
    expect(p.expected90).toBeCloseTo(expectedPurchases(fit.bgnbd, c, 90), 10);
    // Undiscounted, a year's value is the expected purchases in 12 months times the expected spend.
    expect(p.clv12m).toBeCloseTo(expectedPurchases(fit.bgnbd, c, 360) * p.expectedSpend, 6);
    expect(predictCustomer(fit, c, 0.1).clv12m).toBeLessThan(p.clv12m);
    expect(p.pAlive).toBeGreaterThan(0);
    expect(p.pAlive).toBeLessThanOrEqual(1);
  });

  it("refuses, with the reason, when few customers buy twice", () => {
    const small = shop({ customers: 250, span: 365, end: "2026-11-30", ...TRUTH, seed: 2 });
    const f = fitClv(small, epochDay("2026-11-30"), epochDay("2026-11-30"));
    expect(f.trusted).toBe(false);
    expect(f.reasons.join(" ")).toMatch(
      /only \d+ customers bought on more than one day; the model needs about 200/,
    );
  });

  it("refuses a subscription shop: purchases at regular intervals", () => {
    const renewals = shop({ customers: 1500, span: 365, end: "2026-11-30", ...TRUTH, every: 30, seed: 3 });
    const f: ClvFit = fitClv(renewals, epochDay("2026-11-30"), epochDay("2026-11-30"));
    expect(f.trusted).toBe(false);
    expect(f.reasons.join(" ")).toMatch(/buy at regular intervals, as subscriptions renew/);
  });

  it("refuses when there is too little history to hold days out", () => {
    const young = shop({ customers: 3000, span: 40, end: "2026-11-30", ...TRUTH, seed: 4 });
    const f = fitClv(young, epochDay("2026-11-30"), epochDay("2026-11-30"));
    expect(f.holdout).toBeNull();
    expect(f.reasons.join(" ")).toMatch(/too few to check the model on weeks held out/);
  });

  it("checks a fit as of a past day on the days after it", () => {
    const f = fitClv(history, epochDay("2026-10-31"), epochDay("2026-11-30"));
    expect(f.asOf).toBe("2026-10-31");
    expect(f.holdout).toMatchObject({ from: "2026-11-01", to: "2026-11-30", days: 30 });
  });

  it("learns each customer's chance of buying in the next 30 days from an earlier day, judged on a later one", () => {
    const buy = fitBuyModel(history, epochDay("2026-11-30"));
    expect(buy.trusted).toBe(true);
    // Recent, frequent buyers buy again: on BG/NBD buyers the ranking is far better than chance.
    expect(buy.auc).toBeGreaterThan(0.7);
    expect(buy.brier).toBeLessThan(buy.brierBaseline);
    const base = customerBase(history, epochDay("2026-11-30"));
    const p = base.map((c) => buyProbability(buy, c));
    const recent = base.map((c, i) => ({ c, p: p[i]! })).sort((a, b) => b.p - a.p);
    expect(recent[0]!.c.T - recent[0]!.c.tx).toBeLessThan(recent.at(-1)!.c.T - recent.at(-1)!.c.tx);
    const tiny = fitBuyModel(
      shop({ customers: 100, span: 365, end: "2026-11-30", ...TRUTH, seed: 5 }),
      epochDay("2026-11-30"),
    );
    expect(tiny.trusted).toBe(false);
    expect(tiny.reasons.join(" ")).toMatch(/needs at least 50 buyers/);
  });
});
