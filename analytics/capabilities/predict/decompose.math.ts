/*
 * Seasonal adjustment by a seasonal profile, for forecasting by decomposition (the approach of
 * Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", 3rd ed., §7.8 "Forecasting
 * with decomposition"): the series less its seasonal profile is forecast without a season, and the
 * profile is added back. On hourly series a one-step likelihood drives a seasonal ETS to α ≈ 1
 * (the last hour carries over) and its forecasts hours ahead suffer; the profile does not.
 */

/** A centred moving average over one season (2×m when m is even), NaN where it does not reach. */
function centredAverage(y: readonly number[], m: number): number[] {
  const n = y.length;
  const out = new Array<number>(n).fill(Number.NaN);
  const half = Math.floor(m / 2);
  for (let t = half; t < n - half; t++) {
    let sum = 0;
    if (m % 2 === 1) {
      for (let i = t - half; i <= t + half; i++) sum += y[i]!;
      out[t] = sum / m;
    } else {
      // The 2×m average: the two ends weigh one half.
      for (let i = t - half + 1; i < t + half; i++) sum += y[i]!;
      sum += 0.5 * (y[t - half]! + y[t + half]!);
      out[t] = sum / m;
    }
  }
  return out;
}

/**
 * The average deviation from the trend at each position of the season (position 0 is the first
 * point's), over the latest `cycles` seasons the trend reaches, centred on zero.
 */
export function seasonalProfile(y: readonly number[], m: number, cycles = 8): number[] {
  const trend = centredAverage(y, m);
  const sums = new Array<number>(m).fill(0);
  const counts = new Array<number>(m).fill(0);
  const first = Math.max(0, y.length - cycles * m - Math.floor(m / 2));
  for (let t = first; t < y.length; t++) {
    if (Number.isNaN(trend[t]!)) continue;
    sums[t % m]! += y[t]! - trend[t]!;
    counts[t % m]!++;
  }
  const profile = sums.map((s, j) => (counts[j]! > 0 ? s / counts[j]! : 0));
  const centre = profile.reduce((a, b) => a + b, 0) / m;
  return profile.map((p) => p - centre);
}

/** The series less its profile. */
export function adjust(y: readonly number[], profile: readonly number[]): number[] {
  const m = profile.length;
  return y.map((v, t) => v - profile[t % m]!);
}
