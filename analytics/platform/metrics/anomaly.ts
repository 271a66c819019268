/**
 * A seasonal band for one day's value: the median of the same weekday over
 * recent weeks, ± k robust standard deviations (1.4826 × the median absolute
 * deviation, which estimates σ for normal data: Rousseeuw & Croux 1993;
 * scipy.stats.median_abs_deviation(scale="normal")). A floor of `minRelative`
 * of the median keeps a very regular history from flagging ordinary noise.
 */
export interface Band {
  median: number;
  /** Robust σ: 1.4826 × MAD. */
  sigma: number;
  low: number;
  high: number;
}

/** 1 / Φ⁻¹(3/4): scales the MAD to σ for normally distributed data. */
export const MAD_TO_SIGMA = 1.482602218505602;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface BandOptions {
  /** How many robust σ away counts as unusual. */
  k?: number;
  /** The band is never narrower than this share of the median. */
  minRelative?: number;
  /** For counts: never narrower than k·√median either (Poisson noise of a count is √mean). */
  counts?: boolean;
}

export function seasonalBand(history: number[], options: BandOptions = {}): Band {
  if (history.length === 0) throw new Error("a band needs history");
  const k = options.k ?? 3;
  const m = median(history);
  const sigma = MAD_TO_SIGMA * median(history.map((v) => Math.abs(v - m)));
  const half = Math.max(
    k * sigma,
    (options.minRelative ?? 0.2) * Math.abs(m),
    options.counts ? (k + 0.5) * Math.sqrt(Math.abs(m)) : 0,
  );
  return { median: m, sigma, low: m - half, high: m + half };
}
