/*
 * L2-regularised logistic regression by Newton's method (iteratively reweighted least squares),
 * and the measures a scoring model is judged by: AUC, Brier score, a reliability table, lift by
 * decile. The objective is scikit-learn's LogisticRegression's: C·Σ log-loss + ½‖w‖², the
 * intercept unpenalised; checked against it in test/analytics/capabilities/predict/logistic.math.test.ts.
 */

export interface LogisticModel {
  intercept: number;
  weights: Float64Array;
  iterations: number;
  converged: boolean;
}

/** 1 / (1 + e^−z), without overflow for large |z|. */
export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Solves A·x = b for a symmetric positive definite A (row-major, k × k) by Cholesky; A is overwritten. */
function choleskySolve(A: Float64Array, b: Float64Array, k: number): Float64Array {
  for (let j = 0; j < k; j++) {
    let d = A[j * k + j]!;
    for (let m = 0; m < j; m++) d -= A[j * k + m]! ** 2;
    if (d <= 0) d = 1e-12;
    const l = Math.sqrt(d);
    A[j * k + j] = l;
    for (let i = j + 1; i < k; i++) {
      let s = A[i * k + j]!;
      for (let m = 0; m < j; m++) s -= A[i * k + m]! * A[j * k + m]!;
      A[i * k + j] = s / l;
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= A[i * k + m]! * y[m]!;
    y[i] = s / A[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let m = i + 1; m < k; m++) s -= A[m * k + i]! * x[m]!;
    x[i] = s / A[i * k + i]!;
  }
  return x;
}

/**
 * Fits p(y = 1 | x) = σ(b + w·x) minimising C·Σ log-loss + ½‖w‖² (b unpenalised). `X` is row-major,
 * n rows of d values; `y` holds 0 and 1. Newton steps on the exact Hessian, halved while the
 * objective does not fall; stops when the largest gradient entry is under `tolerance`.
 */
export function fitLogistic(
  X: Float64Array,
  y: Uint8Array,
  d: number,
  options: { C?: number; maxIterations?: number; tolerance?: number } = {},
): LogisticModel {
  const n = y.length;
  const C = options.C ?? 1;
  const k = d + 1;
  const beta = new Float64Array(k);
  const positives = y.reduce((s, v) => s + v, 0);
  // Start at the base rate: the intercept alone.
  beta[0] = Math.log(Math.max(positives, 0.5) / Math.max(n - positives, 0.5));
  const objective = (b: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let z = b[0]!;
      for (let j = 0; j < d; j++) z += b[j + 1]! * X[i * d + j]!;
      // log(1 + e^z) − y·z, stably.
      loss += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i]! * z;
    }
    let penalty = 0;
    for (let j = 1; j < k; j++) penalty += b[j]! ** 2;
    return C * loss + 0.5 * penalty;
  };
  let current = objective(beta);
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  const row = new Float64Array(k);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const gradient = new Float64Array(k);
    const hessian = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      row[0] = 1;
      for (let j = 0; j < d; j++) row[j + 1] = X[i * d + j]!;
      let z = 0;
      for (let j = 0; j < k; j++) z += beta[j]! * row[j]!;
      const p = sigmoid(z);
      const residual = C * (p - y[i]!);
      const weight = C * p * (1 - p);
      for (let a = 0; a < k; a++) {
        const ra = row[a]!;
        if (ra === 0) continue;
        gradient[a]! += residual * ra;
        const wa = weight * ra;
        for (let b = 0; b <= a; b++) hessian[a * k + b]! += wa * row[b]!;
      }
    }
    for (let j = 1; j < k; j++) {
      gradient[j]! += beta[j]!;
      hessian[j * k + j]! += 1;
    }
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) hessian[a * k + b] = hessian[b * k + a]!;
    const largest = gradient.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
    if (largest < tolerance * Math.max(1, C * n) ** 0.5)
      return { intercept: beta[0]!, weights: beta.slice(1), iterations: iteration - 1, converged: true };
    const step = choleskySolve(hessian, gradient, k);
    let scale = 1;
    for (let halving = 0; halving < 30; halving++) {
      const trial = beta.map((v, j) => v - scale * step[j]!);
      const value = objective(trial);
      if (value <= current) {
        beta.set(trial);
        current = value;
        break;
      }
      scale /= 2;
    }
  }
  return { intercept: beta[0]!, weights: beta.slice(1), iterations: maxIterations, converged: false };
}

/** σ(b + w·x) for each row. */
export function predictLogistic(model: LogisticModel, X: Float64Array, d: number): Float64Array {
  const n = X.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = model.intercept;
    for (let j = 0; j < d; j++) z += model.weights[j]! * X[i * d + j]!;
    out[i] = sigmoid(z);
  }
  return out;
}

/** Area under the ROC curve: the chance a positive outranks a negative, ties counting half (Mann–Whitney). */
export function auc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const rank = (start + end + 2) / 2;
    for (let m = start; m <= end; m++)
      if (labels[order[m]!]) {
        positives++;
        rankSum += rank;
      }
    start = end + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared difference between the probability and what happened. */
export function brier(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += (scores[i]! - labels[i]!) ** 2;
  return sum / scores.length;
}

/** Rows sorted by score, highest first, cut into `groups` near-equal groups. */
function groupsByScore(scores: ArrayLike<number>, groups: number): number[][] {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  return Array.from({ length: groups }, (_, g) =>
    order.slice(Math.floor((g * order.length) / groups), Math.floor(((g + 1) * order.length) / groups)),
  ).filter((group) => group.length > 0);
}

/** Predicted and observed rates in ten bins of predicted probability (0–10 %, …, 90–100 %). */
export function reliability(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { from: number; to: number; rows: number; predicted: number; observed: number }[] {
  const bins = Array.from({ length: 10 }, (_, b) => ({
    from: b / 10,
    to: (b + 1) / 10,
    rows: 0,
    predicted: 0,
    observed: 0,
  }));
  for (let i = 0; i < scores.length; i++) {
    const bin = bins[Math.min(9, Math.floor(scores[i]! * 10))]!;
    bin.rows++;
    bin.predicted += scores[i]!;
    bin.observed += labels[i]!;
  }
  return bins
    .filter((b) => b.rows > 0)
    .map((b) => ({ ...b, predicted: b.predicted / b.rows, observed: b.observed / b.rows }));
}

/** Each score decile's rate of positives and its lift over the base rate, highest scores first. */
export function liftByDecile(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { decile: number; rows: number; rate: number; lift: number }[] {
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += labels[i]!;
  const base = total / labels.length;
  return groupsByScore(scores, 10).map((group, g) => {
    const rate = group.reduce((s, i) => s + labels[i]!, 0) / group.length;
    return { decile: g + 1, rows: group.length, rate, lift: base > 0 ? rate / base : Number.NaN };
  });
}
