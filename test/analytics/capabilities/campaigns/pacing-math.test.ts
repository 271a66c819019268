import { describe, expect, it } from "vitest";
import { pace } from "../../../../analytics/capabilities/campaigns/pacing-math.ts";

describe("budget pacing", () => {
  // A 30-day, $3,000 flight: even spend is $100/day.
  const flight = { budgetMinor: 300_000, startDay: "2026-11-01", endDay: "2026-11-30" };

  it("is on track when spend is within 10% of even spend", () => {
    const p = pace({ ...flight, spendMinor: 105_000, through: "2026-11-10" });
    expect(p).toMatchObject({
      status: "on_track",
      daysElapsed: 10,
      daysLeft: 20,
      expectedMinor: 100_000,
      projectedMinor: 315_000,
    });
    expect(p.pace).toBeCloseTo(1.05, 10);
    // ($3,000 − $1,050) / 20 days = $97.50 a day
    expect(p.neededPerDayMinor).toBe(9_750);
  });

  it("flags over- and underpacing and the daily spend that lands on budget", () => {
    expect(pace({ ...flight, spendMinor: 150_000, through: "2026-11-10" })).toMatchObject({
      status: "over",
      neededPerDayMinor: 7_500,
    });
    expect(pace({ ...flight, spendMinor: 50_000, through: "2026-11-10" })).toMatchObject({
      status: "under",
      neededPerDayMinor: 12_500,
    });
  });

  it("knows campaigns that have not started, have ended or spent past their budget", () => {
    expect(pace({ ...flight, spendMinor: 0, through: "2026-10-20" })).toMatchObject({
      status: "not_started",
      neededPerDayMinor: 10_000,
    });
    expect(pace({ ...flight, spendMinor: 290_000, through: "2026-12-05" })).toMatchObject({
      status: "ended",
      daysLeft: 0,
      daysElapsed: 30,
    });
    expect(pace({ ...flight, spendMinor: 310_000, through: "2026-11-25" })).toMatchObject({
      status: "overspent",
      neededPerDayMinor: 0,
    });
    // Once the flight is over it has ended, whatever it spent.
    expect(pace({ ...flight, spendMinor: 310_000, through: "2026-12-01" })).toMatchObject({
      status: "ended",
      remainingMinor: -10_000,
    });
  });
});
