import { describe, expect, it } from "vitest";
import {
  chiSquareSf,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from "../../../../analytics/platform/base/distributions.math.ts";

// Reference values: scipy 1.10.1 (numpy 1.24.2, Debian python3-scipy), /usr/bin/python3:
//   from scipy import stats; stats.norm.cdf(x), stats.norm.ppf(p), stats.t.cdf(x, df),
//   stats.t.ppf(p, df), stats.chi2.sf(x, k)
const close = (actual: number, expected: number, relative = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    relative * Math.max(1e-300, Math.abs(expected)) + 1e-15,
  );

describe("distributions against scipy.stats", () => {
  it("normal cdf and quantile", () => {
    const cdf: [number, number][] = [
      [-8, 6.22096057427174e-16],
      [-3.2, 0.0006871379379158471],
      [-1.96, 0.024997895148220435],
      [-0.5, 0.3085375387259869],
      [0, 0.5],
      [0.7, 0.758036347776927],
      [1.3041, 0.9039002555445466],
      [2.5, 0.9937903346742238],
      [6, 0.9999999990134123],
    ];
    for (const [x, p] of cdf) close(normalCdf(x), p);
    const ppf: [number, number][] = [
      [1e-10, -6.361340902404056],
      [0.001, -3.090232306167813],
      [0.025, -1.9599639845400545],
      [0.3, -0.5244005127080409],
      [0.9, 1.2815515655446004],
      [0.975, 1.959963984540054],
      [0.999999, 4.753424308817087],
    ];
    for (const [p, x] of ppf) close(normalQuantile(p), x);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 14);
  });

  it("Student's t cdf and quantile, fractional degrees of freedom included", () => {
    const cdf: [number, number, number][] = [
      [1.43, 1990.3, 0.9235630128289126],
      [-2.1, 5, 0.04487662494229934],
      [0.3, 1, 0.5927735790777423],
      [3.5, 12.7, 0.9979780800371497],
      [10, 3, 0.9989358004707929],
    ];
    for (const [x, df, p] of cdf) close(studentTCdf(x, df), p);
    const ppf: [number, number, number][] = [
      [0.975, 1990.3, 1.961156613793398],
      [0.975, 5, 2.5705818366147395],
      [0.9, 2.5, 1.730250928807177],
      [0.001, 30, -3.3851848668182165],
    ];
    for (const [p, df, x] of ppf) close(studentTQuantile(p, df), x);
  });

  it("chi-square survival function", () => {
    const sf: [number, number, number][] = [
      [3.84, 1, 0.05004352124870519],
      [10.828, 1, 0.0009997657195830916],
      [0.5, 2, 0.7788007830714049],
      [25, 3, 1.5440498291101365e-5],
      [100, 10, 5.4497019829205215e-17],
    ];
    for (const [x, k, p] of sf) close(chiSquareSf(x, k), p, 1e-8);
  });
});
