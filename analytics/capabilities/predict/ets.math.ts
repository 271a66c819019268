/*
 * Exponential smoothing in its state-space form with additive errors (Hyndman, Koehler, Ord &
 * Snyder, "Forecasting with Exponential Smoothing", Springer 2008, ch. 2 and 6): ETS(A,N,N),
 * ETS(A,Ad,N), ETS(A,N,A) and ETS(A,Ad,A), fitted by maximum likelihood, the model chosen by AICc,
 * and the analytic forecast variance of class 1 models (their Table 6.1). Checked against
 * statsmodels' ETSModel in test/analytics/capabilities/predict/ets.math.test.ts.
 *
 *   ŷ_t = ℓ_{t−1} + φ b_{t−1} + s_{t−m}          e_t = y_t − ŷ_t
 *   ℓ_t = ℓ_{t−1} + φ b_{t−1} + α e_t
 *   b_t = φ b_{t−1} + β e_t                       (0 < β < α; φ in [0.8, 0.98])
 *   s_t = s_{t−m} + γ e_t                         (0 < γ < 1 − α)
 */

import { minimize } from "./nelder-mead.math.ts";

export interface EtsSpec {
  trend: "none" | "damped";
  /** The season's length in steps (7 for days in a week, 24 for hours in a day); 0 without a season. */
  period: number;
}

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
  /** ℓ_0 and b_0: the states before the first observation. */
  level: number;
  slope: number;
  /** s_{1−m} … s_0: the state used for the first observation comes first. */
  seasonal: number[];
}

export interface EtsFit {
  spec: EtsSpec;
  params: EtsParams;
  n: number;
  sse: number;
  /** σ², the maximum-likelihood estimate SSE / n. */
  sigma2: number;
  logLikelihood: number;
  /** Parameters counted for the AIC: smoothing parameters, initial states and σ. */
  k: number;
  aicc: number;
  /** The states after the last observation, for forecasting. */
  end: { level: number; slope: number; seasonal: number[] };
  fitted: number[];
}

export interface Step {
  /** Steps ahead (1 is the next). */
  h: number;
  mean: number;
  variance: number;
}

/** The model's name as the literature writes it: ETS(A,Ad,A). */
export function etsName(spec: EtsSpec): string {
  return `ETS(A,${spec.trend === "damped" ? "Ad" : "N"},${spec.period > 1 ? "A" : "N"})`;
}

/** Runs the recursions over `y`: the sum of squared one-step errors, the fitted values and the end states. */
export function smooth(y: readonly number[], spec: EtsSpec, p: EtsParams) {
  const m = spec.period > 1 ? spec.period : 0;
  const damped = spec.trend === "damped";
  const phi = damped ? p.phi : 0;
  let level = p.level;
  let slope = damped ? p.slope : 0;
  const seasonal = m ? p.seasonal.slice() : [];
  const fitted = new Array<number>(y.length);
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const s = m ? seasonal[t % m]! : 0;
    const forecast = level + phi * slope + s;
    fitted[t] = forecast;
    const e = y[t]! - forecast;
    sse += e * e;
    level = level + phi * slope + p.alpha * e;
    if (damped) slope = phi * slope + p.beta * e;
    if (m) seasonal[t % m] = s + p.gamma * e;
  }
  // Rotate so that seasonal[0] is the state of the next step, as in `params.seasonal`.
  const shift = m ? y.length % m : 0;
  const next = m ? [...seasonal.slice(shift), ...seasonal.slice(0, shift)] : [];
  return { sse, fitted, end: { level, slope, seasonal: next } };
}

/** The forecasts 1…h steps after the fit, each with its variance σ²(1 + Σ_{j<h} c_j²). */
export function forecastSteps(fit: EtsFit, horizon: number): Step[] {
  const { spec, params, end, sigma2 } = fit;
  const m = spec.period > 1 ? spec.period : 0;
  const damped = spec.trend === "damped";
  const steps: Step[] = [];
  let phiH = 0;
  let sumC2 = 0;
  for (let h = 1; h <= horizon; h++) {
    if (damped) phiH += params.phi ** h;
    const mean = end.level + (damped ? phiH * end.slope : 0) + (m ? end.seasonal[(h - 1) % m]! : 0);
    steps.push({ h, mean, variance: sigma2 * (1 + sumC2) });
    sumC2 += cj(fit, h, phiH) ** 2;
  }
  return steps;
}

/** c_j of Table 6.1 for additive-error models: α + βφ_j + γ·[j a multiple of m]. */
function cj(fit: EtsFit, j: number, phiJ: number): number {
  const { spec, params } = fit;
  const m = spec.period > 1 ? spec.period : 0;
  return (
    params.alpha + (spec.trend === "damped" ? params.beta * phiJ : 0) + (m && j % m === 0 ? params.gamma : 0)
  );
}

/**
 * The variance of the sum of the next `horizon` values (a quarter's total): the innovation of step
 * k enters every later step, so its weight is 1 + Σ_{j ≤ H−k} c_j, and Var = σ² Σ_k weight_k².
 */
export function sumVariance(fit: EtsFit, horizon: number): number {
  const c: number[] = [];
  let phiJ = 0;
  for (let j = 1; j < horizon; j++) {
    if (fit.spec.trend === "damped") phiJ += fit.params.phi ** j;
    c.push(cj(fit, j, phiJ));
  }
  let total = 0;
  let prefix = 0;
  const prefixes = [0];
  for (const value of c) {
    prefix += value;
    prefixes.push(prefix);
  }
  for (let k = 1; k <= horizon; k++) total += (1 + prefixes[horizon - k]!) ** 2;
  return fit.sigma2 * total;
}

/** Starting states from the first seasons (Hyndman et al. 2008, §2.6.1, simplified): cycle means and deviations. */
function initialStates(
  y: readonly number[],
  spec: EtsSpec,
): { level: number; slope: number; seasonal: number[] } {
  const m = spec.period > 1 ? spec.period : 0;
  if (!m) {
    const k = Math.min(y.length, 10);
    const head = y.slice(0, k);
    const mean = head.reduce((a, b) => a + b, 0) / k;
    const slope = k > 1 && spec.trend === "damped" ? (head[k - 1]! - head[0]!) / (k - 1) : 0;
    return { level: mean - (slope * (k + 1)) / 2, slope, seasonal: [] };
  }
  const cycles = Math.min(Math.floor(y.length / m), 3);
  const means: number[] = [];
  for (let c = 0; c < cycles; c++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += y[c * m + i]!;
    means.push(sum / m);
  }
  const seasonal = new Array<number>(m).fill(0);
  for (let c = 0; c < cycles; c++)
    for (let i = 0; i < m; i++) seasonal[i]! += (y[c * m + i]! - means[c]!) / cycles;
  const centre = seasonal.reduce((a, b) => a + b, 0) / m;
  for (let i = 0; i < m; i++) seasonal[i]! -= centre;
  const slope =
    spec.trend === "damped" && cycles > 1 ? (means[cycles - 1]! - means[0]!) / ((cycles - 1) * m) : 0;
  return { level: means[0]! - (slope * (m + 1)) / 2, slope, seasonal };
}

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

/** Fits one model by maximum likelihood: smoothing parameters and the level and slope to start from. */
export function fitEts(y: readonly number[], spec: EtsSpec): EtsFit {
  const n = y.length;
  const m = spec.period > 1 ? spec.period : 0;
  const damped = spec.trend === "damped";
  const start = initialStates(y, spec);
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const scale = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / n) || Math.abs(mean) || 1;
  // x: [logit α', logit β', logit γ', logit φ', level offset, slope offset] (only the ones the model has).
  const decode = (x: readonly number[]): EtsParams => {
    let i = 0;
    const alpha = 1e-4 + (1 - 2e-4) * logistic(x[i++]!);
    const beta = damped ? alpha * (1e-4 + (1 - 2e-4) * logistic(x[i++]!)) : 0;
    const gamma = m ? (1 - alpha) * (1e-4 + (1 - 2e-4) * logistic(x[i++]!)) : 0;
    const phi = damped ? 0.8 + 0.18 * logistic(x[i++]!) : 1;
    const level = start.level + x[i++]! * scale;
    const slope = damped ? start.slope + (x[i++]! * scale) / Math.max(m, 1) : 0;
    return { alpha, beta, gamma, phi, level, slope, seasonal: start.seasonal };
  };
  const x0 = [
    logit(0.2),
    ...(damped ? [logit(0.2)] : []),
    ...(m ? [logit(0.1)] : []),
    ...(damped ? [logit(0.5)] : []),
    0,
    ...(damped ? [0] : []),
  ];
  const objective = (x: readonly number[]) => {
    const { sse } = smooth(y, spec, decode(x));
    return Number.isFinite(sse) ? sse : Number.MAX_VALUE;
  };
  const best = minimize(objective, x0, { step: 0.5, maxEvaluations: 400 * x0.length, restarts: 2 });
  const params = decode(best.x);
  const { sse, fitted, end } = smooth(y, spec, params);
  const sigma2 = sse / n;
  const logLikelihood = -0.5 * n * (Math.log(2 * Math.PI * sigma2) + 1);
  // α (+β, φ) (+γ), ℓ0 (+b0) (+ m − 1 free seasonal states), and σ.
  const k = 1 + (damped ? 2 : 0) + (m ? 1 : 0) + 1 + (damped ? 1 : 0) + (m ? m - 1 : 0) + 1;
  const aic = -2 * logLikelihood + 2 * k;
  const aicc = n - k - 1 > 0 ? aic + (2 * k * (k + 1)) / (n - k - 1) : Number.POSITIVE_INFINITY;
  return { spec, params, n, sse, sigma2, logLikelihood, k, aicc, end, fitted };
}

/** The models worth trying on `n` points with a season of `period`: a season needs two full cycles. */
export function candidates(n: number, period: number): EtsSpec[] {
  const specs: EtsSpec[] = [
    { trend: "none", period: 0 },
    { trend: "damped", period: 0 },
  ];
  if (period > 1 && n >= 2 * period + 2) {
    specs.push({ trend: "none", period }, { trend: "damped", period });
  }
  return specs;
}

/** Every candidate fitted; the one with the lowest AICc (Hyndman & Khandakar's choice in forecast::ets). */
export function chooseEts(y: readonly number[], period: number): { best: EtsFit; tried: EtsFit[] } {
  const tried = candidates(y.length, period).map((spec) => fitEts(y, spec));
  const best = tried.reduce((a, b) => (b.aicc < a.aicc ? b : a));
  return { best, tried };
}

/** The seasonal naive forecast (the value one season back), the yardstick of MASE. */
export function seasonalNaive(y: readonly number[], period: number, horizon: number): number[] {
  const m = Math.max(period, 1);
  return Array.from({ length: horizon }, (_, h) => y[y.length - m + (h % m)]!);
}

/**
 * Mean absolute scaled error (Hyndman & Koehler 2006): the forecast's mean absolute error over the
 * in-sample mean absolute error of the seasonal naive forecast. Below 1 beats repeating last season.
 */
export function mase(
  train: readonly number[],
  actual: readonly number[],
  forecast: readonly number[],
  period: number,
): number {
  const m = Math.max(period, 1);
  let scale = 0;
  for (let t = m; t < train.length; t++) scale += Math.abs(train[t]! - train[t - m]!);
  scale /= train.length - m;
  let error = 0;
  for (let i = 0; i < actual.length; i++) error += Math.abs(actual[i]! - forecast[i]!);
  return error / actual.length / scale;
}

/**
 * The season of a series from its autocorrelation: among `lags` (7 for days, 24 and 168 for hours),
 * the one whose autocorrelation after removing a straight-line trend is highest, if it is at least
 * 0.2 and a local peak; 0 (no season) otherwise.
 */
export function detectPeriod(y: readonly number[], lags: readonly number[]): number {
  const n = y.length;
  const tMean = (n - 1) / 2;
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tMean) * (y[t]! - yMean);
    sxx += (t - tMean) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const r = y.map((v, t) => v - yMean - slope * (t - tMean));
  const denominator = r.reduce((a, b) => a + b * b, 0);
  if (denominator === 0) return 0;
  const acf = (lag: number) => {
    let sum = 0;
    for (let t = lag; t < n; t++) sum += r[t]! * r[t - lag]!;
    return sum / denominator;
  };
  let best = 0;
  let bestAcf = 0.2;
  for (const lag of lags) {
    if (lag < 2 || n < 2 * lag + 2) continue;
    const value = acf(lag);
    if (value > bestAcf && value >= acf(lag - 1) && value >= acf(lag + 1)) {
      best = lag;
      bestAcf = value;
    }
  }
  return best;
}
