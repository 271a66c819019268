/*
 * Spikes on counts that are mostly zero (a small brand's mentions in 5-minute buckets): each
 * short window's count against a Poisson expectation from the same time of day on the days
 * before, over-dispersion measured from those days and allowed for. A robust z on such series
 * is meaningless (the median absolute deviation is 0, so every post is "far out"); a tail
 * probability is not, and a minimum count keeps a lone post from ever being a spike.
 */

export interface CountSpikeOptions {
  /** Points per day. */
  period: number;
  /** Buckets a burst is summed over (3 × 5 minutes). */
  span?: number;
  /** A spike opens below this tail probability, and closes above `closeP`. */
  openP?: number;
  closeP?: number;
  /** The fewest posts in the span that can be a spike, whatever the probability. */
  minCount?: number;
  /** Days of history the expectation reads. */
  days?: number;
  /** Slots either side of the same time of day that share its rate (the rate is smooth within an hour). */
  halfWidth?: number;
}

export interface CountFlag {
  flag: boolean;
  /** P(X ≥ the window's count) under the expectation: small is surprising. */
  p: number;
  expected: number;
  count: number;
}

const DEFAULTS = { span: 3, openP: 3e-4, closeP: 1e-2, minCount: 5, days: 7 };

/** ln Γ(x) by Lanczos (g = 7, n = 9; Numerical Recipes' coefficients), for x > 0. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = c[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≥ k) for X ~ Poisson(λ), summed from k up (exact enough for the small counts it is used on). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // The terms from k up, each from the last: λ^j e^−λ / j!.
  let term = Math.exp(k * Math.log(lambda) - lambda - lnGamma(k + 1));
  let sum = 0;
  for (let j = k; j < k + 1000; j++) {
    sum += term;
    term *= lambda / (j + 1);
    if (term < sum * 1e-15) break;
  }
  return Math.min(1, sum);
}

/**
 * Whether a series is counts (whole numbers, never negative): mentions, posts, orders per bucket.
 * Counts of any level go to the count model, whose over-dispersion term widens the tail for bursty
 * real series (on NAB's Twitter volumes, 0.4 to 86 a bucket, it beat the robust z at every level).
 */
export function isCountSeries(values: number[]): boolean {
  if (values.length === 0) return false;
  for (const v of values) if (v < 0 || !Number.isInteger(v)) return false;
  return true;
}

/**
 * Causal flags for a count series (a point's flag uses only the points before it). The
 * expectation of a window is the mean rate of the same time of day (± `halfWidth` slots) over
 * the last `days` days, at least a tenth of the recent overall rate; spikes' own points stay out
 * of it. Over-dispersion φ (the variance of those days' window counts over their mean, at least
 * 1) scales the Poisson tail: P(X/φ ≥ count/φ) with mean expected/φ.
 */
export function detectCountSpikes(values: number[], options: CountSpikeOptions): CountFlag[] {
  const span = options.span ?? DEFAULTS.span;
  const openP = options.openP ?? DEFAULTS.openP;
  const closeP = options.closeP ?? DEFAULTS.closeP;
  const minCount = options.minCount ?? DEFAULTS.minCount;
  const days = options.days ?? DEFAULTS.days;
  const period = Math.max(1, options.period);
  const halfWidth = options.halfWidth ?? Math.max(1, Math.round(period / 24));
  const clean = values.slice();
  const out: CountFlag[] = [];
  let flagged = false;
  // Over-dispersion from the last two days' ordinary windows: the mean of (count − expected)² /
  // expected (1 for Poisson counts; real mentions come in bursts and run higher).
  const pearson: number[] = [];
  const recentWindow = 2 * period;
  let quietUntil = -1;
  // Running sums of the cleaned values: a window's sum in O(1).
  const prefix = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) {
    const count = values.slice(Math.max(0, i - span + 1), i + 1).reduce((a, b) => a + b, 0);
    // History: the same slots (± halfWidth) on each earlier day that exists.
    let historySum = 0;
    let historySlots = 0;
    const windows: number[] = [];
    for (let d = 1; d <= days; d++) {
      const centre = i - d * period;
      if (centre - halfWidth < 0) break;
      let daySum = 0;
      for (let j = centre - halfWidth; j <= Math.min(centre + halfWidth, i - 1); j++) daySum += clean[j]!;
      historySum += daySum;
      historySlots += 2 * halfWidth + 1;
      windows.push(prefix[centre + 1]! - prefix[Math.max(0, centre - span + 1)]!);
    }
    // The recent overall rate (the last day), so a slot that was always empty is not a zero.
    const back = Math.min(i, period);
    const recentRate = back > 0 ? (prefix[i]! - prefix[i - back]!) / back : 0;
    if (historySlots === 0 || windows.length < 2) {
      out.push({ flag: false, p: 1, expected: 0, count });
      prefix[i + 1] = prefix[i]! + clean[i]!;
      continue;
    }
    const rate = Math.max(historySum / historySlots, recentRate / 10, 1e-3);
    const expected = rate * span;
    const recent = pearson.slice(-recentWindow);
    const dispersion =
      recent.length >= span * 8 ? Math.max(1, recent.reduce((a, b) => a + b, 0) / recent.length) : 1;
    const p = poissonTail(Math.ceil(count / dispersion), expected / dispersion);
    const wasFlagged = flagged;
    flagged = flagged ? p < closeP && count >= 1 : i >= quietUntil && p < openP && count >= minCount;
    // After a spike, an hour passes before another can open: a burst that ebbs and flows is one.
    if (wasFlagged && !flagged) quietUntil = i + Math.max(1, Math.round(period / 24));
    if (!flagged) pearson.push((count - expected) ** 2 / Math.max(expected, 1e-3));
    // A spike's own posts stay out of the expectation: the slot keeps its usual rate.
    if (flagged) clean[i] = Math.min(values[i]!, Math.round(rate));
    prefix[i + 1] = prefix[i]! + clean[i]!;
    out.push({ flag: flagged, p, expected, count });
  }
  return out;
}
