import { describe, expect, it } from "vitest";
import {
  analyseExperiment,
  DEFAULT_DECISION,
} from "../../../../analytics/capabilities/experiments/analysis.ts";
import {
  bayes,
  cuped,
  holm,
  meanArm,
  rateArm,
  sampleRatio,
  sampleSizePerVariant,
  sequential,
  welch,
} from "../../../../analytics/capabilities/experiments/stats.ts";

/*
 * Reference values: the gbstats 0.8 definitions written out with numpy and
 * scipy in test/analytics/capabilities/experiments/reference.py (run with /usr/bin/python3;
 * Debian python3-scipy 1.10.1, numpy 1.24.2, statsmodels 0.13.5 for Holm), its
 * printed output pasted here. Case 1 is the one in the experiments issue.
 */
const near = (actual: number, expected: number, tolerance = 1e-9) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);

function check(
  result: ReturnType<typeof welch>,
  reference: { df: number; abs: number[]; rel: number[]; bayes: number[]; seq: number[] },
  n: number,
) {
  near(result.df, reference.df, 1e-6);
  near(result.absolute.estimate, reference.abs[0]!);
  near(result.absolute.ci[0], reference.abs[1]!);
  near(result.absolute.ci[1], reference.abs[2]!);
  near(result.absolute.pValue, reference.abs[3]!);
  near(result.relative.estimate, reference.rel[0]!);
  near(result.relative.ci[0], reference.rel[1]!);
  near(result.relative.ci[1], reference.rel[2]!);
  near(result.relative.pValue, reference.rel[3]!);
  const b = bayes(result.relative.estimate, result.relativeVariance);
  near(b.chanceToWin, reference.bayes[0]!);
  near(b.risk[0], reference.bayes[1]!);
  near(b.risk[1], reference.bayes[2]!);
  const s = sequential(result.relative.estimate, result.relativeVariance, n);
  near(s.ci[0], reference.seq[0]!);
  near(s.ci[1], reference.seq[1]!);
  near(s.pValue, reference.seq[2]!);
}

describe("experiment statistics against the reference values", () => {
  it("control 100/1000 vs treatment 120/1000 (the issue's case, to 1e-4 and beyond)", () => {
    const result = welch(rateArm(1000, 100), rateArm(1000, 120));
    check(
      result,
      {
        df: 1985.3714563542521,
        abs: [0.02, -0.007428203192453929, 0.04742820319245391, 0.15286535607857565],
        rel: [0.2, -0.1007679748483562, 0.5007679748483561, 0.19235020701505573],
        bayes: [0.9039004818067534, 0.2069216079126779, 0.006921607912677957],
        seq: [-0.2790699964885092, 0.6790699964885092, 1.0],
      },
      2000,
    );
    // As the issue states them.
    near(result.absolute.pValue, 0.15287, 1e-4);
    near(result.relative.ci[0], -0.100768, 1e-4);
    expect(sequential(0.2, result.relativeVariance, 2000).significant).toBe(false);
  });

  it("revenue per person (means with the sample variance); Welch's p equals scipy's ttest_ind", () => {
    const control = meanArm(4000, 11891.673107141058, 1082597.6027586735);
    const treatment = meanArm(4200, 14112.817585595996, 1350027.0074865734);
    check(
      welch(control, treatment),
      {
        df: 8187.478907334694,
        abs: [0.38727638645187756, -0.34442775285061333, 1.1189805257543686, 0.2995227439815011],
        rel: [0.13026809027211295, -0.13141023535142393, 0.3919464158956498, 0.32916816194739784],
        bayes: [0.835430334422011, 0.1419110412971096, 0.011642951024996656],
        seq: [-0.27671425207177835, 0.5372504326160042, 1.0],
      },
      8200,
    );
  });

  it("three variants: Holm-adjusted p-values as statsmodels' multipletests", () => {
    const a = rateArm(5000, 400);
    const raw = [welch(a, rateArm(5000, 450)).absolute.pValue, welch(a, rateArm(5000, 420)).absolute.pValue];
    near(raw[0]!, 0.07297714059628764);
    near(raw[1]!, 0.4660333885857252);
    const adjusted = holm(raw);
    near(adjusted[0]!, 0.14595428119257528);
    near(adjusted[1]!, 0.4660333885857252);
    // Order does not matter, and adjusted values never fall below an earlier one.
    expect(holm([0.04, 0.01, 0.03])).toEqual([0.06, 0.03, 0.06]);
  });

  it("sample ratio mismatch as scipy's chisquare", () => {
    const broken = sampleRatio([5200, 4800], [50, 50]);
    near(broken.chiSquare, 16);
    near(broken.pValue, 6.334248366623988e-5, 1e-12);
    expect(broken.ok).toBe(false);
    const fine = sampleRatio([3400, 3300, 3300], [34, 33, 33]);
    near(fine.pValue, 1);
    expect(fine.ok).toBe(true);
  });

  it("CUPED: θ, the variance removed, and the adjusted test", () => {
    const sums = (v: number[]) => ({
      n: v[0]!,
      sumY: v[1]!,
      sumY2: v[2]!,
      sumX: v[3]!,
      sumX2: v[4]!,
      sumXY: v[5]!,
    });
    const adjusted = cuped([
      sums([
        3000, 36897.94790735884, 879597.4190745312, 61426.25321966625, 1919448.8460263307, 1146049.7695196224,
      ]),
      sums([
        3000, 38493.59548503913, 900943.4429284153, 59988.080759155535, 1777801.913586555, 1122780.8941767265,
      ]),
    ]);
    near(adjusted.theta, 0.5996864698035149);
    near(adjusted.varianceReduction, 0.5354611664653394);
    check(
      welch(adjusted.arms[0]!, adjusted.arms[1]!),
      {
        df: 5997.421266518963,
        abs: [0.8193667144975283, 0.41285892041670424, 1.2258745085783525, 7.860479625341496e-5],
        rel: [0.067406666516584, 0.03280803293509675, 0.10200530009807125, 0.0001352016441667662],
        bayes: [0.9999330747035969, 0.06740694331727055, 2.7680068655222545e-7],
        seq: [0.013812180773554089, 0.12100115225961391, 0.004411577287757833],
      },
      6000,
    );
    // Without the covariate the same data is not significant (p 0.080).
    const plain = welch(
      meanArm(3000, 36897.94790735884, 879597.4190745312),
      meanArm(3000, 38493.59548503913, 900943.4429284153),
    );
    near(plain.absolute.pValue, 0.08047885441418882);
  });

  it("people needed per variant for a 10 % relative lift at a 10 % rate", () => {
    // 2 · p(1−p) · (z₀.₉₇₅ + z₀.₈)² / (p · 0.1)² = 14,127.98…, rounded up.
    expect(sampleSizePerVariant(0.1, 0.09, 0.1)).toBe(14128);
  });
});

describe("the multi-arm sequential test", () => {
  it("gives each arm the definition's p-value (ρ from the nominal α, n the two arms compared), its interval at α / arms", () => {
    // Python, the definition (Waudby-Smith et al. 2023 as GrowthBook): ρ = √((−2 ln α + ln(1 − 2 ln α)) / 5000)
    // with α = 0.05; p = √(nρ² + 1) · exp(−x̂² n² ρ² / (2 s² (nρ² + 1))), s² = var · n, n = 2000; the interval's
    // width at α / 2 for two treatments (Bonferroni). Control 100/1000, B 130/1000, C 95/1000.
    const result = analyseExperiment({
      id: "three",
      status: "running",
      metric: "conversion",
      control: "A",
      split: { A: 1, B: 1, C: 1 },
      variants: [
        { id: "A", users: 1000, conversions: 100, sum: 100, sumOfSquares: 100 },
        { id: "B", users: 1000, conversions: 130, sum: 130, sumOfSquares: 130 },
        { id: "C", users: 1000, conversions: 95, sum: 95, sumOfSquares: 95 },
      ],
      excluded: 0,
      daysRunning: 14,
      settings: DEFAULT_DECISION,
    });
    const b = result.comparisons.find((c) => c.variant === "B")!.sequential;
    near(b.pValue, 0.5622208729310171);
    near(b.ci[0], -0.2541912277097983);
    near(b.ci[1], 0.8541912277097984);
    const c = result.comparisons.find((x) => x.variant === "C")!.sequential;
    near(c.pValue, 1);
    near(c.ci[0], -0.49003885275442827);
    near(c.ci[1], 0.3900388527544282);
  });
});
