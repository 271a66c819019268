import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type CustomerFigures,
  ranks,
  rfm,
  segmentOf,
} from "../../../../analytics/capabilities/segments/rfm.ts";

// test/fixtures/segments/rfm-reference.py (pandas 1.5.3, numpy 1.24.2 on /usr/bin/python3) wrote the
// customers and the scores pandas gives for both tie rules.
const reference = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../../fixtures/segments/rfm-reference.json"), "utf8"),
) as {
  customers: CustomerFigures[];
  average: { r: number[]; f: number[]; m: number[] };
  first: { r: number[]; f: number[]; m: number[] };
};

describe("RFM scores", () => {
  for (const rule of ["average", "first"] as const) {
    it(`match pandas with ties ${rule === "average" ? "sharing a score" : "broken by customer id"}`, () => {
      const scored = rfm(reference.customers, rule);
      expect(scored.map((c) => c.r)).toEqual(reference[rule].r);
      expect(scored.map((c) => c.f)).toEqual(reference[rule].f);
      expect(scored.map((c) => c.m)).toEqual(reference[rule].m);
    });
  }

  it("rank ties as pandas does: the average of their places, or in id order", () => {
    expect(ranks([10, 20, 20, 30], ["a", "b", "c", "d"], "average")).toEqual([1, 2.5, 2.5, 4]);
    expect(ranks([10, 20, 20, 30], ["a", "c", "b", "d"], "first")).toEqual([1, 3, 2, 4]);
  });

  it("give the most recent customers a recency of 5", () => {
    const scored = rfm([
      { id: "old", recencyDays: 300, orders: 1, revenueMinor: 100 },
      { id: "new", recencyDays: 1, orders: 1, revenueMinor: 100 },
    ]);
    expect(scored.map((c) => [c.id, c.r])).toEqual([
      ["old", 3],
      ["new", 5],
    ]);
  });

  it("name segments by the rfm package's map, first rule first, Hibernating when none matches", () => {
    expect(segmentOf(5, 5, 5)).toBe("Champions");
    expect(segmentOf(5, 1, 1)).toBe("New");
    expect(segmentOf(1, 4, 5)).toBe("Can't lose them");
    expect(segmentOf(1, 1, 1)).toBe("Lost");
    expect(segmentOf(2, 5, 1)).toBe("Hibernating");
  });
});
