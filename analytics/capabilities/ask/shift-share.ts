/**
 * Splitting a change into its drivers. A metric that is a product of factors
 * (revenue = visitors × conversion rate × order value) or a ratio (conversion
 * rate = orders ÷ visitors) moves because its factors moved; the logarithmic
 * mean Divisia index (LMDI-I: Ang & Liu 2001, "A new energy decomposition
 * method: perfect in decomposition and consistent in aggregation", Energy 26;
 * Ang 2005, "The LMDI approach to decomposition analysis: a practical guide",
 * Energy Policy 33) gives each factor a share of M₁ − M₀ that adds up to it
 * exactly, with no residual term:
 *
 *   Δ_i = L(M₁, M₀) · e_i · ln(f_i₁ / f_i₀),   L(a, b) = (a − b) / (ln a − ln b).
 */

/** The logarithmic mean of two positive numbers; L(a, a) = a. */
export function logMean(a: number, b: number): number {
  if (a <= 0 || b <= 0) throw new Error("the logarithmic mean needs positive numbers");
  if (Math.abs(a - b) <= 1e-12 * Math.max(a, b)) return (a + b) / 2;
  return (a - b) / (Math.log(a) - Math.log(b));
}

export interface Factor {
  name: string;
  before: number;
  after: number;
  /** 1 for a factor (visitors), −1 for a divisor (visitors under conversion rate). */
  exponent: 1 | -1;
}

export interface Contribution {
  name: string;
  contribution: number;
}

/**
 * Each factor's part of the change from `before` to `after` (M = Π f_i^e_i).
 * Null when a value is zero or negative in either period (a channel that
 * started or stopped has no ratio to split): the caller shows the change whole.
 */
export function shiftShare(before: number, after: number, factors: Factor[]): Contribution[] | null {
  if (before <= 0 || after <= 0) return null;
  if (factors.some((f) => !(f.before > 0) || !(f.after > 0))) return null;
  const weight = logMean(after, before);
  return factors.map((f) => ({
    name: f.name,
    contribution: weight * f.exponent * Math.log(f.after / f.before),
  }));
}
