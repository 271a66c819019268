import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { logMean, shiftShare } from "../../../../analytics/capabilities/ask/shift-share.ts";

// Reference values: LMDI-I (Ang 2005, Energy Policy 33) computed with /usr/bin/python3 3.11.2 and the
// standard library's math.log:
//   L = lambda a, b: (a - b) / (math.log(a) - math.log(b))
//   w = L(9555, 9000); [w*log(4200/5000), w*log((147/4200)/(150/5000)), w*log((9555/147)/(9000/150))]
const REVENUE_PARTS = [-1617.0810375943101, 1429.7063301325, 742.3747074618105];
//   c0, c1 = 150/5000, 147/4200; w = L(c1, c0); [w*log(147/150), -w*log(4200/5000)]
const RATE_PARTS = [-0.0006552908926564148, 0.005655290892656414];

describe("shift-share (LMDI)", () => {
  it("splits revenue = visitors × conversion × order value as the reference does, adding up exactly", () => {
    const parts = shiftShare(9000, 9555, [
      { name: "traffic", before: 5000, after: 4200, exponent: 1 },
      { name: "conversion", before: 150 / 5000, after: 147 / 4200, exponent: 1 },
      { name: "order value", before: 9000 / 150, after: 9555 / 147, exponent: 1 },
    ])!;
    parts.forEach((p, i) => {
      expect(p.contribution).toBeCloseTo(REVENUE_PARTS[i]!, 9);
    });
    expect(parts.reduce((a, p) => a + p.contribution, 0)).toBeCloseTo(555, 9);
  });

  it("splits a ratio into numerator and denominator", () => {
    const parts = shiftShare(150 / 5000, 147 / 4200, [
      { name: "orders", before: 150, after: 147, exponent: 1 },
      { name: "traffic", before: 5000, after: 4200, exponent: -1 },
    ])!;
    parts.forEach((p, i) => {
      expect(p.contribution).toBeCloseTo(RATE_PARTS[i]!, 12);
    });
  });

  it("always adds up to the change, whatever the figures", () => {
    const positive = fc.double({ min: 0.01, max: 1e7, noNaN: true });
    fc.assert(
      fc.property(positive, positive, positive, positive, positive, positive, (v0, v1, o0, o1, r0, r1) => {
        const parts = shiftShare(r0, r1, [
          { name: "traffic", before: v0, after: v1, exponent: 1 },
          { name: "conversion", before: o0 / v0, after: o1 / v1, exponent: 1 },
          { name: "order value", before: r0 / o0, after: r1 / o1, exponent: 1 },
        ])!;
        const total = parts.reduce((a, p) => a + p.contribution, 0);
        expect(Math.abs(total - (r1 - r0))).toBeLessThanOrEqual(
          1e-6 * Math.max(1, Math.abs(r1 - r0), r0, r1),
        );
      }),
    );
  });

  it("does not split what started or stopped, and means what a logarithmic mean means", () => {
    expect(shiftShare(0, 100, [{ name: "traffic", before: 0, after: 10, exponent: 1 }])).toBeNull();
    expect(logMean(5, 5)).toBe(5);
    expect(logMean(1, Math.E)).toBeCloseTo(Math.E - 1, 12);
  });
});
