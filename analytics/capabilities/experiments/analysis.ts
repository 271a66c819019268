import { formatPercent } from "../../platform/base/format.ts";
import {
  type Arm,
  bayes,
  type CovariateSums,
  cuped,
  holm,
  meanArm,
  rateArm,
  sampleRatio,
  sampleSizePerVariant,
  sequential,
  welch,
} from "./stats.ts";

/*
 * One experiment's result from its per-variant figures: every comparison of a
 * treatment with control, the split check, power and the decision. Pure: the
 * service reads the figures from the database, the tests and the simulations
 * make them up.
 */

export type Verdict = "keep_running" | "ship" | "stop_no_effect" | "stop_harm" | "check_srm";

/** When a decision may be taken (documented in README; per experiment with `experiment set`). */
export interface DecisionSettings {
  /** Confidence level 1 − α. */
  alpha: number;
  /** The sequential test's tuning sample size (GrowthBook's default 5,000). */
  tuning: number;
  /** No verdict before this many days… */
  minDays: number;
  /** …nor before this many people in every variant. */
  minPerVariant: number;
  /** The smallest relative effect worth finding (for power and "no effect likely"). */
  mde: number;
}

export const DEFAULT_DECISION: DecisionSettings = {
  alpha: 0.05,
  tuning: 5000,
  minDays: 7,
  minPerVariant: 200,
  mde: 0.1,
};

export type MetricKind = "conversion" | "mean";

/** One variant's figures for the goal metric. */
export interface VariantFigures {
  id: string;
  /** People exposed (first exposure in this variant only). */
  users: number;
  /** People who converted (conversion metrics), or the sum of the metric (means). */
  conversions: number;
  sum: number;
  sumOfSquares: number;
  /** Pre-exposure sums for CUPED (means only), when Lift has the history. */
  covariate?: CovariateSums;
}

export interface ExperimentInput {
  id: string;
  status: string;
  metric: MetricKind;
  control: string;
  /** Variant → planned weight. */
  split: Record<string, number>;
  variants: VariantFigures[];
  /** People seen in more than one variant (left out). */
  excluded: number;
  daysRunning: number;
  settings: DecisionSettings;
}

export interface Comparison {
  variant: string;
  control: string;
  absolute: { estimate: number; ci: [number, number]; pValue: number };
  relative: { estimate: number; ci: [number, number]; pValue: number };
  bayes: { chanceToWin: number; risk: [number, number] };
  sequential: { ci: [number, number]; pValue: number; significant: boolean };
  pValueHolm: number;
  cuped: { theta: number; varianceReduction: number } | null;
}

export interface ExperimentResult {
  schema: "experiment/1";
  id: string;
  status: string;
  metric: MetricKind;
  variants: { id: string; users: number; conversions: number; rate: number | null; mean: number }[];
  excluded: number;
  comparisons: Comparison[];
  srm: { pValue: number; ok: boolean };
  power: { neededPerVariant: number | null; daysLeft: number | null };
  decision: { verdict: Verdict; variant: string | null; reason: string };
}

function armOf(metric: MetricKind, v: VariantFigures): Arm {
  return metric === "conversion" ? rateArm(v.users, v.conversions) : meanArm(v.users, v.sum, v.sumOfSquares);
}

const pct = (x: number) => `${x >= 0 ? "+" : "−"}${formatPercent(Math.abs(x), Math.abs(x) < 0.1 ? 1 : 0)}`;

// Long on purpose: GrowthBook's analysis in its documented order (SRM, per-variant tests, sequential bands, decision).
export function analyseExperiment(input: ExperimentInput): ExperimentResult {
  const { settings, metric } = input;
  const control = input.variants.find((v) => v.id === input.control) ?? input.variants[0]!;
  const treatments = input.variants.filter((v) => v !== control);
  // CUPED when every variant has its pre-exposure sums (means only).
  const adjusted =
    metric === "mean" && input.variants.every((v) => v.covariate && v.covariate.n === v.users && v.users > 1)
      ? cuped(input.variants.map((v) => v.covariate!))
      : null;
  const armFor = (v: VariantFigures): Arm => {
    if (adjusted) return adjusted.arms[input.variants.indexOf(v)]!;
    return armOf(metric, v);
  };
  const controlArm = armFor(control);
  // The sequential test shares α among the treatments (Bonferroni); the fixed-horizon family uses Holm.
  const sequentialAlpha = settings.alpha / Math.max(1, treatments.length);
  const comparisons: Comparison[] = treatments
    .filter((v) => v.users > 1 && control.users > 1)
    .map((v) => {
      const arm = armFor(v);
      const test = welch(controlArm, arm, settings.alpha);
      const posterior = bayes(test.relative.estimate, test.relativeVariance);
      const always = sequential(
        test.relative.estimate,
        test.relativeVariance,
        control.users + v.users,
        settings.tuning,
        sequentialAlpha,
        settings.alpha,
      );
      return {
        variant: v.id,
        control: control.id,
        absolute: test.absolute,
        relative: test.relative,
        bayes: posterior,
        sequential: always,
        pValueHolm: test.relative.pValue,
        cuped: adjusted ? { theta: adjusted.theta, varianceReduction: adjusted.varianceReduction } : null,
      };
    });
  const adjustedP = holm(comparisons.map((c) => c.relative.pValue));
  comparisons.forEach((c, i) => {
    c.pValueHolm = adjustedP[i]!;
  });
  const weights = input.variants.map((v) => input.split[v.id] ?? 1);
  const srm = sampleRatio(
    input.variants.map((v) => v.users),
    weights,
  );
  const baseline = armOf(metric, control);
  const needed =
    control.users > 1
      ? sampleSizePerVariant(baseline.mean, baseline.variance, settings.mde, settings.alpha)
      : null;
  const perDay =
    input.daysRunning > 0 ? Math.min(...input.variants.map((v) => v.users)) / input.daysRunning : 0;
  const smallest = Math.min(...input.variants.map((v) => v.users));
  const daysLeft =
    needed === null || !Number.isFinite(needed)
      ? null
      : smallest >= needed
        ? 0
        : perDay > 0
          ? Math.ceil((needed - smallest) / perDay)
          : null;
  return {
    schema: "experiment/1",
    id: input.id,
    status: input.status,
    metric,
    variants: input.variants.map((v) => {
      const arm = armOf(metric, v);
      return {
        id: v.id,
        users: v.users,
        conversions: v.conversions,
        rate: metric === "conversion" ? arm.mean : null,
        mean: arm.mean,
      };
    }),
    excluded: input.excluded,
    comparisons,
    srm: { pValue: srm.pValue, ok: srm.ok },
    power: { neededPerVariant: needed !== null && Number.isFinite(needed) ? needed : null, daysLeft },
    decision: decide(input, comparisons, srm.ok, needed, smallest),
  };
}

function decide(
  input: ExperimentInput,
  comparisons: Comparison[],
  srmOk: boolean,
  needed: number | null,
  smallest: number,
): ExperimentResult["decision"] {
  const { settings } = input;
  const total = input.variants.reduce((sum, v) => sum + v.users, 0);
  if (!srmOk && total >= 2 * settings.minPerVariant)
    return {
      verdict: "check_srm",
      variant: null,
      reason: `The split is off plan (${input.variants.map((v) => `${v.id} ${v.users.toLocaleString("en-US")}`).join(", ")}; chance of that by luck below 0.1 %): fix the assignment before reading results.`,
    };
  if (input.daysRunning < settings.minDays || smallest < settings.minPerVariant)
    return {
      verdict: "keep_running",
      variant: null,
      reason: `Too early to call: ${Math.floor(input.daysRunning)} of ${settings.minDays} days and ${smallest.toLocaleString("en-US")} of ${settings.minPerVariant.toLocaleString("en-US")} people in the smallest variant.`,
    };
  const winners = comparisons
    .filter((c) => c.sequential.significant && c.sequential.ci[0] > 0)
    .sort((a, b) => b.relative.estimate - a.relative.estimate);
  if (winners.length > 0) {
    const best = winners[0]!;
    return {
      verdict: "ship",
      variant: best.variant,
      reason: `${best.variant} beats ${best.control} by ${pct(best.relative.estimate)} (always-valid 95 % CI ${pct(best.sequential.ci[0])} to ${pct(best.sequential.ci[1])}); safe to ship.`,
    };
  }
  const losers = comparisons.filter((c) => c.sequential.significant && c.sequential.ci[1] < 0);
  if (losers.length > 0 && losers.length === comparisons.length) {
    const worst = losers.sort((a, b) => a.relative.estimate - b.relative.estimate)[0]!;
    return {
      verdict: "stop_harm",
      variant: null,
      reason: `${worst.variant} does worse than ${worst.control} by ${pct(worst.relative.estimate)} (always-valid 95 % CI ${pct(worst.sequential.ci[0])} to ${pct(worst.sequential.ci[1])}); stop it and keep ${worst.control}.`,
    };
  }
  const mde = settings.mde;
  if (
    needed !== null &&
    smallest >= needed &&
    comparisons.length > 0 &&
    comparisons.every((c) => c.relative.ci[0] > -mde && c.relative.ci[1] < mde)
  ) {
    return {
      verdict: "stop_no_effect",
      variant: null,
      reason: `No effect likely: with ${smallest.toLocaleString("en-US")} people per variant every lift's 95 % CI lies within ±${formatPercent(mde, 0)}; stop and keep ${input.control}.`,
    };
  }
  return {
    verdict: "keep_running",
    variant: null,
    reason: "No clear winner yet: keep it running.",
  };
}
