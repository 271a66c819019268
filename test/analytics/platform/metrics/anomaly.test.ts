import { describe, expect, it } from "vitest";
import { MAD_TO_SIGMA, median, seasonalBand } from "../../../../analytics/platform/metrics/anomaly.ts";

// Reference values from scipy 1.x: numpy.median(x) and
// scipy.stats.median_abs_deviation(x, scale="normal") (σ estimate = MAD / Φ⁻¹(0.75)).
const REFERENCE: [number[], number, number][] = [
  [[120, 131, 118, 125, 140, 122, 127, 119], 123.5, 5.930408874022408],
  [[10, 10, 10, 10], 10, 0],
  [[5.5, 7.25, 6.0, 9.75, 4.5], 6.0, 1.8532527731320025],
];

describe("seasonal band", () => {
  it.each(REFERENCE)("median and robust σ of %j match scipy", (history, expectedMedian, expectedSigma) => {
    const band = seasonalBand(history, { k: 3, minRelative: 0 });
    expect(band.median).toBeCloseTo(expectedMedian, 12);
    expect(band.sigma).toBeCloseTo(expectedSigma, 12);
  });

  it("is k robust σ wide, but never narrower than its floors", () => {
    const [history] = REFERENCE[0]!;
    const band = seasonalBand(history, { k: 3, minRelative: 0 });
    expect(band.low).toBeCloseTo(123.5 - 3 * 5.930408874022408, 9);
    expect(band.high).toBeCloseTo(123.5 + 3 * 5.930408874022408, 9);
    // A flat history still has room for ordinary noise: the relative floor.
    expect(seasonalBand([10, 10, 10, 10], { minRelative: 0.2 })).toMatchObject({ low: 8, high: 12 });
    // Counts: at least (k + ½)·√median, Poisson's own spread.
    expect(seasonalBand([100, 100, 100], { k: 3, minRelative: 0, counts: true })).toMatchObject({
      low: 65,
      high: 135,
    });
  });

  it("uses 1/Φ⁻¹(3/4) to scale the MAD", () => {
    expect(MAD_TO_SIGMA).toBeCloseTo(1 / 0.6744897501960817, 12);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
