import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  expectedPurchases,
  expectedPurchasesAt,
  expectedSpend,
  fitBgNbd,
  fitGammaGamma,
  hyp2f1,
  probabilityAlive,
  probabilityNoPurchase,
} from "../../../../analytics/capabilities/predict/clv.math.ts";

/*
 * The CDNOW sample: 2,357 customers, calibration 1997-01-01 … 1997-09-30, time in weeks, from the
 * `lifetimes` repository (github.com/CamDavidsonPilon/lifetimes, lifetimes/datasets/
 * cdnow_customers_summary_with_transactions.csv at 4f2833f, MIT License): ID,x,t_x,T,zbar.
 * References: Fader, Hardie & Lee (2005) — r 0.243, α 4.414, a 0.793, b 2.426; E[Y(39) | 2, 30.43,
 * 38.86] = 1.226; P(X(39) = 0) = 0.5737864 with those rounded parameters. Fader & Hardie note 025 —
 * Gamma-Gamma on the 946 repeat customers p 6.25, q 3.74, v 15.44.
 */
const rows = readFileSync(new URL("../../../fixtures/predict/cdnow-summary.csv", import.meta.url), "utf8")
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [, x, tx, T, zbar] = line.split(",").map(Number);
    return { x: x!, tx: tx!, T: T!, zbar: zbar! };
  });

describe("BG/NBD and Gamma-Gamma on CDNOW", () => {
  it("fits Fader, Hardie & Lee's parameters", () => {
    expect(rows).toHaveLength(2357);
    const { params, logLikelihood } = fitBgNbd(rows);
    expect(params.r).toBeCloseTo(0.243, 2);
    expect(params.alpha).toBeCloseTo(4.414, 2);
    expect(params.a).toBeCloseTo(0.793, 2);
    expect(params.b).toBeCloseTo(2.426, 2);
    expect(Math.abs(params.r - 0.243)).toBeLessThan(0.005);
    expect(Math.abs(params.alpha - 4.414)).toBeLessThan(0.005);
    expect(Math.abs(params.a - 0.793)).toBeLessThan(0.005);
    expect(Math.abs(params.b - 2.426)).toBeLessThan(0.005);
    // FHL (2005) report LL = −9582.4 at their estimates.
    expect(logLikelihood).toBeCloseTo(-9582.4, 0);
  });

  it("reproduces the conditional expectation and the probability of no purchase", () => {
    const rounded = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    expect(expectedPurchases(rounded, { x: 2, tx: 30.43, T: 38.86 }, 39)).toBeCloseTo(1.226, 3);
    expect(probabilityNoPurchase(rounded, 39)).toBeCloseTo(0.5737864, 6);
    const alive = probabilityAlive(rounded, { x: 2, tx: 30.43, T: 38.86 });
    expect(alive).toBeGreaterThan(0);
    expect(alive).toBeLessThan(1);
    expect(probabilityAlive(rounded, { x: 0, tx: 0, T: 38.86 })).toBe(1);
  });

  it("fits the Gamma-Gamma spend model on the 946 repeat customers", () => {
    const repeat = rows.filter((r) => r.x > 0);
    expect(repeat).toHaveLength(946);
    const { params } = fitGammaGamma(repeat);
    expect(Math.abs(params.p - 6.25)).toBeLessThan(0.05);
    expect(Math.abs(params.q - 3.74)).toBeLessThan(0.05);
    expect(Math.abs(params.v - 15.44)).toBeLessThan(0.05);
    // A customer's expected spend lies between their own average and the population's.
    const spend = expectedSpend(params, 2, 22.35);
    const population = (params.p * params.v) / (params.q - 1);
    expect(spend).toBeGreaterThan(Math.min(22.35, population));
    expect(spend).toBeLessThan(Math.max(22.35, population));
  });

  it("₂F₁ agrees with its closed forms", () => {
    // ₂F₁(1, 1; 2; z) = −ln(1 − z)/z; ₂F₁(a, b; b; z) = (1 − z)^(−a).
    expect(hyp2f1(1, 1, 2, 0.5)).toBeCloseTo(-Math.log(0.5) / 0.5, 12);
    expect(hyp2f1(2.5, 3, 3, 0.3)).toBeCloseTo(0.7 ** -2.5, 12);
  });

  it("gives eq. 10 at several horizons at once, as it gives it at each", () => {
    const ts = Float64Array.from([4, 13, 39, 52, 104]);
    const out = new Float64Array(5);
    const scratch = { z: new Float64Array(5), power: new Float64Array(5) };
    // CDNOW's parameters, and a shop where everyone's chance of leaving is alike (a, b in the thousands).
    for (const p of [
      { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      { r: 0.11, alpha: 17.4, a: 22026, b: 90000 },
    ])
      for (const c of [
        { x: 0, tx: 0, T: 38.86 },
        { x: 2, tx: 30.43, T: 38.86 },
        { x: 14, tx: 37.1, T: 38.86 },
      ]) {
        expectedPurchasesAt(p, c, ts, out, scratch);
        for (let i = 0; i < ts.length; i++) expect(out[i]!).toBeCloseTo(expectedPurchases(p, c, ts[i]!), 10);
      }
  });
});
