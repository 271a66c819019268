import { customerBase, epochDay, fitClv } from "../../analytics/capabilities/predict/clv.ts";
import { scoreBase } from "../../analytics/capabilities/predict/customers.ts";
import { simulatedShop } from "../../analytics/capabilities/predict/simulate.ts";
import type { PurchaseHistory } from "../../db/predict/queries.ts";
import type { BenchEntry } from "../common.ts";

/** A shop of `n` customers over two years who buy as BG/NBD says (simulate.ts), seeded. */
function shop(n: number): PurchaseHistory {
  const model = { r: 0.8, alpha: 40, a: 1.2, b: 5, p: 6, q: 4, v: 3000 };
  return simulatedShop({ customers: n, span: 730, end: epochDay("2026-11-30"), model, seed: 7 });
}

/**
 * Customer models at scale: the nightly fit (BG/NBD and Gamma-Gamma, its backtest, the checks) and
 * scoring every customer, each against a bare pass over the same purchase days (the floor any
 * method that reads them pays). Goals from the issue: a fit on 500k customers < 10 s, scoring < 2 s.
 */
export const clvBench: BenchEntry = {
  name: "clv",
  async run(context) {
    const n = context.quick ? 50_000 : 500_000;
    const history = shop(n);
    const asOf = epochDay("2026-11-30");
    const bare = () => {
      const t = performance.now();
      let sum = 0;
      for (let i = 0; i < history.days.length; i++) sum += history.days[i]! + history.amounts[i]!;
      return { ms: performance.now() - t, sum };
    };
    const floor = Math.max(0.01, Math.min(bare().ms, bare().ms, bare().ms));
    let t = performance.now();
    const fit = fitClv(history, asOf, asOf);
    const fitMs = performance.now() - t;
    const base = customerBase(history, asOf);
    t = performance.now();
    const scores = scoreBase(fit, base, 0.1);
    const scoreMs = performance.now() - t;
    const value = scores.reduce((sum, s) => sum + s.clv12m, 0);
    const label = `${(n / 1000).toFixed(0)}k customers, ${(history.days.length / 1e6).toFixed(2)}M purchase days`;
    return [
      {
        name: `clv fit ÷ bare pass (${label})`,
        ratio: fitMs / floor,
        goal: "fit < 10 s at 500k",
        detail: `${(fitMs / 1000).toFixed(2)} s fit (BG/NBD r ${fit.bgnbd.r.toFixed(3)} of 0.8, α ${fit.bgnbd.alpha.toFixed(1)} of 40, a ${fit.bgnbd.a.toFixed(2)} of 1.2, b ${fit.bgnbd.b.toFixed(2)} of 5; backtest ${Math.round(fit.holdout?.predicted ?? 0)} predicted vs ${fit.holdout?.actual ?? 0}) ÷ ${floor.toFixed(2)} ms bare pass`,
      },
      {
        name: `clv scoring ÷ bare pass (${label})`,
        ratio: scoreMs / floor,
        goal: "scoring < 2 s at 500k",
        detail: `${(scoreMs / 1000).toFixed(2)} s for every customer's P(alive), 30/90/365-day purchases, 12-month value and 30-day purchase chance (scoreBase, as the product scores) (total ${(value / 100).toFixed(0)}) ÷ ${floor.toFixed(2)} ms bare pass`,
      },
    ];
  },
};
