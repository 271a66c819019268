import { describe, expect, it } from "vitest";
import { simulate } from "../../../../analytics/capabilities/experiments/simulate.ts";

/*
 * The decision rule checked daily for 30 days, as the alert job checks a real
 * experiment (defaults: α 0.05, sequential tuning 5,000, at least 7 days and
 * 200 people per variant).
 */
// Thousands of simulated experiments: seconds of work, which a loaded 2-core CI machine may stretch past the default 5 s.
describe("the decision rule under daily peeking", () => {
  it("calls at most 5.5 % of 2,000 A/A experiments a winner or loser; a daily t-test calls far more", () => {
    const outcome = simulate({
      experiments: 2000,
      days: 30,
      perArmPerDay: 400,
      baseline: 0.1,
      effect: 0,
      seed: 1,
    });
    expect(outcome.decided).toBeLessThanOrEqual(0.055);
    // The peeking problem: the same data read by an uncorrected daily test.
    expect(outcome.peekingDecided).toBeGreaterThan(0.15);
  }, 60_000);

  it("finds a true +10 % effect (10 % baseline, 1,500 people per arm a day) in at least 80 % of 500 experiments within 30 days", () => {
    const outcome = simulate({
      experiments: 500,
      days: 30,
      perArmPerDay: 1500,
      baseline: 0.1,
      effect: 0.1,
      seed: 2,
    });
    expect(outcome.winners).toBeGreaterThanOrEqual(0.8);
  }, 60_000);
});
