import { describe, expect, it } from "vitest";
import { plantedSeries } from "../../../../analytics/capabilities/social/planted.ts";
import { topTerms } from "../../../../analytics/capabilities/social/service.ts";
import { detectSpikes, evaluateSpikes, periodOf } from "../../../../analytics/capabilities/social/spikes.ts";

describe("spike detection on seasonal series with planted anomalies", () => {
  it("finds bursts, level shifts and drifts early, with few false alarms (30 series)", {
    timeout: 60_000,
  }, () => {
    const flags: boolean[][] = [];
    const all = { precision: 0, recall: 0, delays: [] as number[] };
    for (let seed = 1; seed <= 30; seed++) {
      const series = plantedSeries(seed);
      const flagged = detectSpikes(series.points).map((p) => p.flag);
      flags.push(flagged);
      const scored = evaluateSpikes(flagged, series.windows);
      all.precision += scored.precision / 30;
      all.recall += scored.recall / 30;
      all.delays.push(scored.medianDelay);
    }
    all.delays.sort((a, b) => a - b);
    expect(all.precision).toBeGreaterThanOrEqual(0.8);
    expect(all.recall).toBeGreaterThanOrEqual(0.8);
    expect(all.delays[15]!).toBeLessThanOrEqual(2);
  });

  it("is causal: a point's flag does not change when later points arrive", () => {
    const series = plantedSeries(3);
    const full = detectSpikes(series.points);
    const cut = 9 * 288 + 17;
    const prefix = detectSpikes(series.points.slice(0, cut), { period: periodOf(series.points) });
    expect(prefix.map((p) => p.flag)).toEqual(full.slice(0, cut).map((p) => p.flag));
    expect(prefix.map((p) => p.score)).toEqual(full.slice(0, cut).map((p) => p.score));
  });

  it("finds the day's length from the spacing, and calls nothing on a steady series", () => {
    const steady = Array.from({ length: 2000 }, (_, i) => ({
      at: i * 3600_000,
      value: 10 + Math.sin(i / 3),
    }));
    expect(periodOf(steady)).toBe(24);
    expect(detectSpikes(steady).some((p) => p.flag)).toBe(false);
  });
});

describe("what negative posts talk about", () => {
  it("names a phrase that carries the complaint rather than one of its words", () => {
    const texts = [
      "My return took ages, still no refund",
      "return took ages and nobody answers",
      "The return took ages. Never again",
      "zip broke after a week",
      "the zip broke on day two",
    ];
    const background = ["Love the boots", "great service", "fast delivery, thanks", "nice colours"];
    const terms = topTerms(texts, [], 5, background).map((t) => t.term);
    expect(terms).toContain("took ages");
    expect(terms).toContain("zip broke");
    expect(terms).not.toContain("ages");
  });
});
