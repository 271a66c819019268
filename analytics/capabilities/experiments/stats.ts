import {
  chiSquareSf,
  normalCdf,
  normalPdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from "../../platform/base/distributions.math.ts";

/*
 * The statistics of an A/B test, as GrowthBook's engine (gbstats 0.8) defines
 * them, as pure functions: a variant is summarised by its people, the mean of
 * their metric and its variance (p(1−p), the population form, for a rate; the
 * sample variance for a mean). Every estimate is a lift of a treatment over
 * control, absolute (difference of means) and relative (ratio − 1).
 */

export interface Arm {
  /** People in the arm. */
  n: number;
  mean: number;
  /** Variance of one person's value. */
  variance: number;
}

export interface Estimate {
  estimate: number;
  /** The 1 − α interval. */
  ci: [number, number];
  pValue: number;
}

export interface Frequentist {
  absolute: Estimate;
  relative: Estimate;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Variance of the relative estimate (delta method): what Bayes and the sequential test read. */
  relativeVariance: number;
  absoluteVariance: number;
}

/** The arm of a conversion metric: `conversions` of `n` people, variance p(1−p). */
export function rateArm(n: number, conversions: number): Arm {
  const p = n > 0 ? conversions / n : 0;
  return { n, mean: p, variance: p * (1 - p) };
}

/** The arm of a mean metric from sums: Σx and Σx² over `n` people, sample variance (n − 1). */
export function meanArm(n: number, sum: number, sumOfSquares: number): Arm {
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1)) : 0;
  return { n, mean, variance };
}

function twoSided(t: number, df: number): number {
  return 2 * (1 - studentTCdf(Math.abs(t), df));
}

/** Welch's t test of treatment against control, absolute and relative (delta method). */
export function welch(control: Arm, treatment: Arm, alpha = 0.05): Frequentist {
  const vc = control.variance / control.n;
  const vt = treatment.variance / treatment.n;
  const absoluteVariance = vc + vt;
  const df = absoluteVariance ** 2 / (vc ** 2 / (control.n - 1) + vt ** 2 / (treatment.n - 1));
  const q = studentTQuantile(1 - alpha / 2, df);
  const difference = treatment.mean - control.mean;
  const seAbsolute = Math.sqrt(absoluteVariance);
  const mc = control.mean;
  const relative = mc !== 0 ? treatment.mean / mc - 1 : 0;
  const relativeVariance = mc !== 0 ? vt / mc ** 2 + (treatment.mean ** 2 * vc) / mc ** 4 : 0;
  const seRelative = Math.sqrt(relativeVariance);
  const test = (estimate: number, se: number): Estimate => ({
    estimate,
    ci: [estimate - q * se, estimate + q * se],
    pValue: se > 0 ? twoSided(estimate / se, df) : 1,
  });
  return {
    absolute: test(difference, seAbsolute),
    relative: test(relative, seRelative),
    df,
    relativeVariance,
    absoluteVariance,
  };
}

export interface Bayes {
  /** Chance the treatment beats control. */
  chanceToWin: number;
  /** Expected loss of choosing control, and of choosing the treatment (in the estimate's units). */
  risk: [number, number];
}

/**
 * The Bayesian reading with a flat prior on the effect: the posterior is
 * normal around the estimate with its variance. Chance to win is P(effect > 0);
 * the risk of a choice is the expected effect lost by it.
 */
export function bayes(estimate: number, variance: number): Bayes {
  const sd = Math.sqrt(variance);
  if (sd === 0)
    return {
      chanceToWin: estimate > 0 ? 1 : estimate < 0 ? 0 : 0.5,
      risk: [Math.max(estimate, 0), Math.max(-estimate, 0)],
    };
  const z = estimate / sd;
  const chanceToWin = normalCdf(z);
  // E[max(effect, 0)] for a normal effect: what sticking with control gives up.
  const controlRisk = estimate * chanceToWin + sd * normalPdf(z);
  return { chanceToWin, risk: [controlRisk, controlRisk - estimate] };
}

export interface Sequential {
  ci: [number, number];
  pValue: number;
  significant: boolean;
}

/** The mixing parameter ρ of the normal-mixture sequential test for a tuning sample size (gbstats; Howard et al. 2021, eq. 161). */
export function sequentialRho(alpha: number, tuning: number): number {
  return Math.sqrt((-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning);
}

/**
 * Always-valid interval and p-value (the mixture sequential test of Waudby-Smith et al. 2023, as
 * GrowthBook's): valid however often it is looked at. `variance` is the estimate's variance, `n`
 * all people in the two arms compared, `tuning` the sample size the test is tightest at
 * (GrowthBook's default 5,000). The mixture's ρ is set by the test's nominal α (`rhoAlpha`); the
 * interval's width by `alpha`, which a multi-arm test lowers (Bonferroni) while the p-value stays
 * the definition's, so the interval leaves out zero exactly when p < alpha.
 */
export function sequential(
  estimate: number,
  variance: number,
  n: number,
  tuning = 5000,
  alpha = 0.05,
  rhoAlpha = alpha,
): Sequential {
  const rho = sequentialRho(rhoAlpha, tuning);
  const s2 = variance * n;
  const nr2 = n * rho * rho;
  const halfWidth =
    Math.sqrt(s2) * Math.sqrt(((2 * (nr2 + 1)) / (n * n * rho * rho)) * Math.log(Math.sqrt(nr2 + 1) / alpha));
  // The smallest α at which the interval leaves out zero.
  const pValue =
    s2 > 0
      ? Math.min(
          1,
          Math.sqrt(nr2 + 1) * Math.exp(-(estimate * estimate * n * n * rho * rho) / (2 * s2 * (nr2 + 1))),
        )
      : 1;
  const ci: [number, number] = [estimate - halfWidth, estimate + halfWidth];
  return { ci, pValue, significant: ci[0] > 0 || ci[1] < 0 };
}

export interface SampleRatio {
  chiSquare: number;
  pValue: number;
  /** False when p < 0.001: the split is broken, the results cannot be trusted. */
  ok: boolean;
}

/** Sample ratio mismatch: a chi-square test of the people per variant against the planned split. */
export function sampleRatio(observed: number[], planned: number[]): SampleRatio {
  const total = observed.reduce((a, b) => a + b, 0);
  const weights = planned.reduce((a, b) => a + b, 0);
  let chiSquare = 0;
  observed.forEach((count, i) => {
    const expected = (total * planned[i]!) / weights;
    if (expected > 0) chiSquare += (count - expected) ** 2 / expected;
  });
  const pValue = total > 0 ? chiSquareSf(chiSquare, observed.length - 1) : 1;
  return { chiSquare, pValue, ok: pValue >= 0.001 };
}

/** Holm's step-down adjustment of a family of p-values (the order of the input is kept). */
export function holm(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}

/**
 * People needed per variant to detect a relative effect `mde` on a metric
 * with this mean and variance, with a two-sided test at α and the given power
 * (fixed horizon; the sequential test needs more, see README).
 */
export function sampleSizePerVariant(
  mean: number,
  variance: number,
  mde: number,
  alpha = 0.05,
  power = 0.8,
): number {
  const delta = Math.abs(mean * mde);
  if (delta === 0 || variance <= 0) return Number.POSITIVE_INFINITY;
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power);
  return Math.ceil((2 * variance * z * z) / (delta * delta));
}

export interface Cuped {
  /** θ = cov(x, y) / var(x), pooled over every arm. */
  theta: number;
  /** 1 − var(y − θx) / var(y): the share of variance removed. */
  varianceReduction: number;
  /** The arms of the adjusted metric y − θ(x − x̄). */
  arms: Arm[];
}

/** Per-arm sums of a metric y and its pre-exposure covariate x. */
export interface CovariateSums {
  n: number;
  sumY: number;
  sumY2: number;
  sumX: number;
  sumX2: number;
  sumXY: number;
}

/**
 * CUPED (Deng et al. 2013): each person's metric minus θ times their
 * pre-exposure value's distance from the overall mean. The adjusted means keep
 * the treatment effect and lose the variance the covariate explains.
 */
export function cuped(arms: CovariateSums[]): Cuped {
  const total = arms.reduce(
    (acc, a) => ({
      n: acc.n + a.n,
      sumY: acc.sumY + a.sumY,
      sumY2: acc.sumY2 + a.sumY2,
      sumX: acc.sumX + a.sumX,
      sumX2: acc.sumX2 + a.sumX2,
      sumXY: acc.sumXY + a.sumXY,
    }),
    { n: 0, sumY: 0, sumY2: 0, sumX: 0, sumX2: 0, sumXY: 0 },
  );
  const n = total.n;
  const meanX = total.sumX / n;
  // Pooled within-arm covariance and variance (the arms' means differ by the effect).
  let covXY = 0;
  let varX = 0;
  let varY = 0;
  for (const a of arms) {
    if (a.n === 0) continue;
    const mx = a.sumX / a.n;
    const my = a.sumY / a.n;
    covXY += a.sumXY - a.n * mx * my;
    varX += a.sumX2 - a.n * mx * mx;
    varY += a.sumY2 - a.n * my * my;
  }
  const theta = varX > 0 ? covXY / varX : 0;
  const adjusted = arms.map((a): Arm => {
    if (a.n === 0) return { n: 0, mean: 0, variance: 0 };
    const mx = a.sumX / a.n;
    const my = a.sumY / a.n;
    // Σ(y − θ(x − x̄))² expanded over the sums, then the sample variance.
    const sumAdj = a.sumY - theta * (a.sumX - a.n * meanX);
    const mean = sumAdj / a.n;
    const sxx = a.sumX2 - a.n * mx * mx;
    const syy = a.sumY2 - a.n * my * my;
    const sxy = a.sumXY - a.n * mx * my;
    const ss = syy - 2 * theta * sxy + theta * theta * sxx;
    return { n: a.n, mean, variance: a.n > 1 ? Math.max(0, ss / (a.n - 1)) : 0 };
  });
  return {
    theta,
    varianceReduction: varY > 0 ? 1 - (varY - 2 * theta * covXY + theta * theta * varX) / varY : 0,
    arms: adjusted,
  };
}
