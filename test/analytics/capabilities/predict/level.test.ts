import { describe, expect, it } from "vitest";
import { levelStart } from "../../../../analytics/capabilities/predict/kpi-forecast.ts";

/** A seeded wobble of ±20 %, so the levels are not flat lines. */
function wobble(n: number, level: (i: number) => number): number[] {
  let seed = 3;
  return Array.from({ length: n }, (_, i) => {
    seed = (seed * 16807) % 2147483647;
    return level(i) * (0.8 + 0.4 * (seed / 2147483647));
  });
}

describe("where a KPI's current level starts", () => {
  it("finds the day a metric jumped to a level it held (a shop that started tracking its orders)", () => {
    expect(levelStart(wobble(300, (i) => (i < 210 ? 60 : 600)))).toBe(210);
    // And a fall to under a third that held.
    expect(levelStart(wobble(300, (i) => (i < 150 ? 900 : 200)))).toBe(150);
  });

  it("keeps the whole history for steady growth, a doubling, or a move too recent to have held", () => {
    expect(levelStart(wobble(365, () => 100))).toBe(0);
    expect(levelStart(wobble(365, (i) => 100 + i))).toBe(0);
    expect(levelStart(wobble(365, (i) => (i < 200 ? 100 : 200)))).toBe(0);
    expect(levelStart(wobble(365, (i) => (i < 330 ? 100 : 500)))).toBe(0);
  });

  it("skips days without data", () => {
    const values: (number | null)[] = wobble(300, (i) => (i < 210 ? 60 : 600));
    for (let i = 0; i < 300; i += 9) values[i] = null;
    expect(levelStart(values)).toBe(210);
  });
});
