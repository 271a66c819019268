import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import {
  auc,
  brier,
  fitLogistic,
  liftByDecile,
  predictLogistic,
  reliability,
} from "../../../../analytics/capabilities/predict/logistic.math.ts";
import {
  encode,
  featureNames,
  planColumns,
  stratifiedSplit,
  type Table,
} from "../../../../analytics/capabilities/predict/scoring.ts";

/**
 * scikit-learn 1.2.1 LogisticRegression(C=1, solver newton-cg, tol=1e-12) on the same design (numbers standardised,
 * every category one-hot, levels sorted): test/fixtures/predict/logistic_ref.py on bank-sample.csv
 * (every 30th row of UCI Bank Marketing without `duration`; CC BY 4.0).
 */
const SKLEARN = {
  rows: 1508,
  positives: 182,
  features: 50,
  intercept: -2.0136411238492937,
  coef: {
    age: 0.11926129547864715,
    balance: 0.10429365362170265,
    "housing = yes": -0.17463416949483326,
    "contact = unknown": -0.8083472115722915,
    "month = mar": 0.8513017584272723,
    campaign: -0.5536138875878799,
    "poutcome = success": 1.1183482614400682,
  } as Record<string, number>,
  auc: 0.7866466113072448,
  brier: 0.08582384510493364,
};

function bank(): Table {
  const text = readFileSync(join(import.meta.dirname, "../../../fixtures/predict/bank-sample.csv"), "utf8");
  const [header, ...rows] = parse(text) as string[][];
  return { header: header!, rows };
}

describe("L2 logistic regression (IRLS) against scikit-learn", () => {
  const table = bank();
  const target = table.header.indexOf("y");
  const rows = table.rows.map((_, i) => i);
  const columns = planColumns(table, rows, new Set([target]));
  const names = featureNames(columns);
  const X = encode(columns, table, rows);
  const y = Uint8Array.from(table.rows, (r) => (r[target] === "yes" ? 1 : 0));
  const model = fitLogistic(X, y, names.length, { C: 1 });

  it("reads the same design and finds the same optimum", () => {
    expect(table.rows).toHaveLength(SKLEARN.rows);
    expect(y.reduce((s, v) => s + v, 0)).toBe(SKLEARN.positives);
    expect(names).toHaveLength(SKLEARN.features);
    expect(model.converged).toBe(true);
    expect(model.intercept).toBeCloseTo(SKLEARN.intercept, 5);
    for (const [name, value] of Object.entries(SKLEARN.coef))
      expect(model.weights[names.indexOf(name)]!, name).toBeCloseTo(value, 5);
  });

  it("gives scikit-learn's AUC and Brier score on its predictions", () => {
    const p = predictLogistic(model, X, names.length);
    expect(auc(p, y)).toBeCloseTo(SKLEARN.auc, 6);
    expect(brier(p, y)).toBeCloseTo(SKLEARN.brier, 6);
  });

  it("counts AUC ties as half, as Mann–Whitney does", () => {
    // sklearn.metrics.roc_auc_score([0,0,1,1],[0.1,0.4,0.35,0.8]) = 0.75; with a tie 0.625.
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auc([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.875, 12);
    expect(auc([0.5, 0.5], [0, 1])).toBe(0.5);
  });

  it("tables reliability and lift so they add up", () => {
    const p = predictLogistic(model, X, names.length);
    const bins = reliability(p, y);
    expect(bins.reduce((s, b) => s + b.rows, 0)).toBe(SKLEARN.rows);
    expect(bins.reduce((s, b) => s + b.observed * b.rows, 0)).toBeCloseTo(SKLEARN.positives, 6);
    const deciles = liftByDecile(p, y);
    expect(deciles).toHaveLength(10);
    expect(deciles[0]!.lift).toBeGreaterThan(2);
    expect(deciles.reduce((s, d) => s + d.rate * d.rows, 0)).toBeCloseTo(SKLEARN.positives, 6);
  });

  it("holds out a fifth of each class, the same rows every time", () => {
    const split = stratifiedSplit(y);
    expect(split.test).toHaveLength(Math.round(182 * 0.2) + Math.round(1326 * 0.2));
    expect(split.test.filter((i) => y[i] === 1)).toHaveLength(Math.round(182 * 0.2));
    expect(new Set([...split.train, ...split.test]).size).toBe(SKLEARN.rows);
    expect(stratifiedSplit(y)).toEqual(split);
  });
});
