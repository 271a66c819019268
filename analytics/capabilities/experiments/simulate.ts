import { Random } from "../../platform/demo/random.ts";
import { analyseExperiment, DEFAULT_DECISION, type DecisionSettings } from "./analysis.ts";
import { rateArm, welch } from "./stats.ts";

/*
 * Simulated experiments checked daily, as the alert job checks real ones: how
 * often the decision rule declares a winner or loser when there is no effect
 * (A/A), and how often it finds a real one. The tests and the benchmark run
 * these; the plain daily t-test beside them shows what peeking costs.
 */

export interface SimulationSpec {
  experiments: number;
  days: number;
  /** People per arm per day. */
  perArmPerDay: number;
  baseline: number;
  /** True relative effect of the treatment (0 for A/A). */
  effect: number;
  seed: number;
  settings?: DecisionSettings;
}

export interface SimulationOutcome {
  /** Share of experiments the rule ever called a winner or loser within the days. */
  decided: number;
  /** Share called a winner (ship). */
  winners: number;
  /** Share a plain daily two-sided t-test (p < 0.05, no correction) ever called. */
  peekingDecided: number;
}

/** Conversions among n people at rate p (a normal approximation beyond 500 people, exact below). */
function binomial(random: Random, n: number, p: number): number {
  if (n <= 500) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random.next() < p) k++;
    return k;
  }
  // Box–Muller.
  const u = Math.max(random.next(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  return Math.max(0, Math.min(n, Math.round(n * p + z * Math.sqrt(n * p * (1 - p)))));
}

export function simulate(spec: SimulationSpec): SimulationOutcome {
  const random = new Random(spec.seed);
  const settings = spec.settings ?? DEFAULT_DECISION;
  let decided = 0;
  let winners = 0;
  let peeking = 0;
  for (let e = 0; e < spec.experiments; e++) {
    let nA = 0;
    let nB = 0;
    let cA = 0;
    let cB = 0;
    let called = false;
    let won = false;
    let peeked = false;
    for (let day = 1; day <= spec.days; day++) {
      nA += spec.perArmPerDay;
      nB += spec.perArmPerDay;
      cA += binomial(random, spec.perArmPerDay, spec.baseline);
      cB += binomial(random, spec.perArmPerDay, spec.baseline * (1 + spec.effect));
      if (!peeked && welch(rateArm(nA, cA), rateArm(nB, cB)).relative.pValue < 0.05) peeked = true;
      if (called) continue;
      const result = analyseExperiment({
        id: "sim",
        status: "running",
        metric: "conversion",
        control: "A",
        split: { A: 1, B: 1 },
        variants: [
          { id: "A", users: nA, conversions: cA, sum: cA, sumOfSquares: cA },
          { id: "B", users: nB, conversions: cB, sum: cB, sumOfSquares: cB },
        ],
        excluded: 0,
        daysRunning: day,
        settings,
      });
      const verdict = result.decision.verdict;
      if (verdict === "ship" || verdict === "stop_harm") {
        called = true;
        won = verdict === "ship";
      }
    }
    if (called) decided++;
    if (won) winners++;
    if (peeked) peeking++;
  }
  return {
    decided: decided / spec.experiments,
    winners: winners / spec.experiments,
    peekingDecided: peeking / spec.experiments,
  };
}
