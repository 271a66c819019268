import { normalCdf, normalQuantile } from "../../platform/base/distributions.math.ts";
import { adjust, seasonalProfile } from "./decompose.math.ts";
import {
  chooseEts,
  detectPeriod,
  type EtsFit,
  type EtsSpec,
  etsName,
  fitEts,
  forecastSteps,
  mase,
  seasonalNaive,
  sumVariance,
} from "./ets.math.ts";

const Z80 = normalQuantile(0.9);
const Z95 = normalQuantile(0.975);

/** The fewest points a forecast is made from: two weeks of days. */
export const MIN_POINTS = 14;

export interface ForecastStep {
  mean: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

/** How the chosen model did on the most recent points, forecast from the points before them. */
export interface Holdout {
  points: number;
  /** Mean absolute scaled error (below 1 beats repeating the last season). */
  mase: number;
  /** The seasonal naive forecast's MASE on the same points, for comparison. */
  naiveMase: number;
  /** Σ|error| ÷ Σ|actual|: how far off, as a share of the actual total. */
  wape: number;
  model: string;
  /** Mean of error² ÷ predicted variance on the block: above 1, the model's bands were too narrow. */
  varianceRatio: number;
}

/**
 * How much to widen (or narrow) the bands: the holdout's variance ratio, halfway to 1 on the log
 * scale (one block of days is a noisy measure) and within ¼–4, so bands follow what the method's
 * errors were on days it did not see rather than only its in-sample fit.
 */
export function bandScale(holdout: Holdout | null): number {
  if (!holdout || !Number.isFinite(holdout.varianceRatio) || holdout.varianceRatio <= 0) return 1;
  return Math.min(4, Math.max(0.25, Math.sqrt(holdout.varianceRatio)));
}

export interface Forecast {
  model: string;
  /** The season used (0: none), found by autocorrelation unless given. */
  period: number;
  steps: ForecastStep[];
  holdout: Holdout | null;
  /** Missing points filled by straight lines between their neighbours. */
  filled: number;
  nonNegative: boolean;
  /** The variance of the total of the next `h` points. */
  sumVariance(h: number): number;
  /** The point forecasts of the next `h` points, unclamped. */
  stepMeans(h: number): number[];
}

/** Missing values filled by straight lines between the known neighbours (ends held flat). */
export function fillGaps(values: readonly (number | null)[]): { values: number[]; filled: number } {
  const known = values.map((v, i) => (v === null || !Number.isFinite(v) ? -1 : i)).filter((i) => i >= 0);
  if (known.length === 0) return { values: [], filled: 0 };
  const out: number[] = [];
  let filled = 0;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      out.push(v);
      continue;
    }
    filled++;
    // known[k]: the last known position before i (or the first known one, when none is before it).
    while (k + 1 < known.length && known[k + 1]! < i) k++;
    const before = known[k]! < i ? known[k]! : null;
    const after = before === null ? known[0]! : (known[k + 1] ?? null);
    if (before === null) out.push(values[after!] as number);
    else if (after === null) out.push(values[before] as number);
    else {
      const a = values[before] as number;
      const b = values[after] as number;
      out.push(a + ((b - a) * (i - before)) / (after - before));
    }
  }
  return { values: out, filled };
}

function band(mean: number, variance: number, nonNegative: boolean): ForecastStep {
  const sd = Math.sqrt(variance);
  const clamp = (x: number) => (nonNegative ? Math.max(0, x) : x);
  return {
    mean: clamp(mean),
    lower80: clamp(mean - Z80 * sd),
    upper80: clamp(mean + Z80 * sd),
    lower95: clamp(mean - Z95 * sd),
    upper95: clamp(mean + Z95 * sd),
  };
}

/** How many of the latest points a holdout block has: two seasons (two weeks of days), at most a fifth of them. */
function holdoutSize(n: number, period: number, horizon: number): number {
  return Math.min(Math.max(2 * Math.max(period, 7), 14), Math.max(horizon, 7), Math.floor(n / 5));
}

/** A way to forecast, fitted to some points. */
interface Fitted {
  model: string;
  period: number;
  /** The ETS fit behind it (the seasonally adjusted series' for a decomposition); null for the naive forecast. */
  fit: EtsFit | null;
  steps(horizon: number): { mean: number; variance: number }[];
  sumVariance(horizon: number): number;
}

interface Method {
  name: string;
  /** The fewest points it needs. */
  needs: number;
  fit(y: readonly number[]): Fitted;
}

function etsMethod(spec: EtsSpec): Method {
  return {
    name: etsName(spec),
    needs: spec.period > 1 ? 2 * spec.period + 2 : MIN_POINTS,
    fit(y) {
      const fit = fitEts(y, spec);
      return {
        model: etsName(spec),
        period: spec.period,
        fit,
        steps: (h) => forecastSteps(fit, h),
        sumVariance: (h) => sumVariance(fit, h),
      };
    },
  };
}

/** The seasonal profile of `period` taken out, the rest forecast by ETS without a season (AICc), the profile put back. */
function decompositionMethod(period: number): Method {
  return {
    name: `seasonal profile (${period}) + ETS`,
    needs: 2 * period + 2,
    fit(y) {
      const profile = seasonalProfile(y, period);
      const { best } = chooseEts(adjust(y, profile), 0);
      const n = y.length;
      return {
        model: `${etsName(best.spec)} on the series less its ${period}-step seasonal profile`,
        period,
        fit: best,
        steps: (h) =>
          forecastSteps(best, h).map((s) => ({ ...s, mean: s.mean + profile[(n + s.h - 1) % period]! })),
        sumVariance: (h) => sumVariance(best, h),
      };
    },
  };
}

/**
 * The seasonal naive forecast as a method of its own (the last season repeated), with the
 * variance of a seasonal random walk: σ² of the in-sample seasonal differences, times the number of
 * seasons ahead. On series whose season is the whole story (hours of a week) it is hard to beat.
 */
function naiveMethod(period: number): Method {
  return {
    name: `seasonal naive (${period})`,
    needs: 2 * period + 2,
    fit(y) {
      const n = y.length;
      let squares = 0;
      for (let t = period; t < n; t++) squares += (y[t]! - y[t - period]!) ** 2;
      const sigma2 = squares / (n - period);
      return {
        model: `the last ${period} steps repeated (seasonal naive)`,
        period,
        fit: null,
        steps: (h) =>
          Array.from({ length: h }, (_, i) => ({
            h: i + 1,
            mean: y[n - period + (i % period)]!,
            variance: sigma2 * (Math.floor(i / period) + 1),
          })),
        // Each position of the season is its own random walk: Σ_{i≤k} (k−i+1)² = k(k+1)(2k+1)/6 for its k steps.
        sumVariance: (h) => {
          let total = 0;
          for (let j = 0; j < Math.min(period, h); j++) {
            const k = Math.floor((h - 1 - j) / period) + 1;
            total += (k * (k + 1) * (2 * k + 1)) / 6;
          }
          return sigma2 * total;
        },
      };
    },
  };
}

/** The methods worth trying on `n` points with these seasons. */
function methods(n: number, periods: readonly number[]): Method[] {
  const list: Method[] = [etsMethod({ trend: "none", period: 0 }), etsMethod({ trend: "damped", period: 0 })];
  for (const period of periods) {
    if (period < 2) continue;
    list.push(
      etsMethod({ trend: "none", period }),
      etsMethod({ trend: "damped", period }),
      decompositionMethod(period),
      naiveMethod(period),
    );
  }
  return list.filter((m) => m.needs <= n);
}

function absoluteError(actual: readonly number[], forecast: readonly number[]): number {
  return actual.reduce((a, v, i) => a + Math.abs(v - forecast[i]!), 0);
}

/**
 * The method that forecast a recent block best: fitted on the points before the block and judged
 * by its absolute error (a rolling-origin choice, Hyndman & Athanasopoulos §5.10), or, with too
 * few points for a block, the ETS model with the lowest AICc.
 */
function choose(y: readonly number[], periods: readonly number[], block: number): Method {
  const train = y.slice(0, y.length - block);
  const tried = methods(train.length, periods);
  if (block < 7 || tried.length === 0) {
    // Each model fitted once (the comparison would otherwise refit both sides at every step).
    const scored = methods(y.length, periods)
      .filter((m) => m.name.startsWith("ETS"))
      .map((m) => ({ m, aicc: m.fit(y).fit?.aicc ?? Number.POSITIVE_INFINITY }));
    return scored.reduce((a, b) => (b.aicc < a.aicc ? b : a)).m;
  }
  const actual = y.slice(y.length - block);
  let best = tried[0]!;
  let bestError = Number.POSITIVE_INFINITY;
  for (const method of tried) {
    const forecast = method
      .fit(train)
      .steps(block)
      .map((s) => s.mean);
    const error = absoluteError(actual, forecast);
    if (error < bestError) {
      best = method;
      bestError = error;
    }
  }
  return best;
}

/** How the chosen way of forecasting did on the latest block, chosen and fitted without it. */
function measureHoldout(
  y: readonly number[],
  periods: readonly number[],
  scale: number,
  block: number,
): Holdout | null {
  const train = y.slice(0, y.length - block);
  if (block < 7 || train.length < MIN_POINTS + block || train.length <= scale) return null;
  const method = choose(train, periods, block);
  const fitted = method.fit(train);
  const actual = y.slice(y.length - block);
  const predicted = fitted.steps(block);
  const forecast = predicted.map((s) => s.mean);
  // Realised squared errors over the variances the model predicted for them: 1 when its bands are right.
  const ratio =
    predicted.reduce((a, s, i) => a + (s.variance > 0 ? (actual[i]! - s.mean) ** 2 / s.variance : 1), 0) /
    block;
  const absolute = actual.reduce((a, v) => a + Math.abs(v), 0);
  const scaled = mase(train, actual, forecast, scale);
  if (!Number.isFinite(scaled)) return null;
  return {
    points: block,
    mase: scaled,
    naiveMase: mase(train, actual, seasonalNaive(train, scale, block), scale),
    wape: absolute > 0 ? absoluteError(actual, forecast) / absolute : 0,
    model: fitted.model,
    varianceRatio: ratio,
  };
}

/**
 * A forecast of the next `horizon` points of a regular series, with 80 % and 95 % prediction
 * intervals. Tried: ETS without a season, ETS with each season, and the series less its seasonal
 * profile forecast by ETS; the one that forecast the latest block best is refitted on everything.
 * Seasons are `period` when given, else those of `lags` the autocorrelation finds. Its error on a
 * block held out from the choice and the fit is measured too, and said with every answer.
 */
export function forecastValues(
  series: readonly (number | null)[],
  options: { horizon: number; period?: number; lags: readonly number[]; nonNegative: boolean },
): Forecast {
  const { values, filled } = fillGaps(series);
  const detected = detectPeriod(values, options.lags);
  const periods =
    options.period !== undefined
      ? [options.period]
      : [...new Set([detected, ...options.lags.filter((lag) => values.length >= 2 * lag + 2)])].filter(
          (p) => p > 1,
        );
  const scale = options.period ?? (detected || periods[0] || 1);
  const block = holdoutSize(values.length, scale, options.horizon);
  const method = choose(values, periods, block);
  const fitted = method.fit(values);
  const holdout = measureHoldout(values, periods, scale, block);
  const widen = bandScale(holdout);
  const steps = fitted
    .steps(options.horizon)
    .map((s) => band(s.mean, s.variance * widen, options.nonNegative));
  return {
    model: fitted.model,
    period: fitted.period,
    steps,
    holdout,
    filled,
    nonNegative: options.nonNegative,
    sumVariance: (h) => fitted.sumVariance(h) * widen,
    stepMeans: (h) => fitted.steps(h).map((s) => s.mean),
  };
}

/**
 * The total of the next `horizon` points: its expected value, the 80 % range, and the chance it
 * reaches `target` (normal, with the variance of a sum of the model's correlated forecast errors).
 */
export function forecastTotal(
  forecast: Forecast,
  horizon: number,
  already: number,
  target: number | null,
): { expected: number; low80: number; high80: number; chance: number | null; sd: number } {
  const raw = forecast.stepMeans(horizon).reduce((a, b) => a + b, 0);
  const sd = Math.sqrt(forecast.sumVariance(horizon));
  const floor = forecast.nonNegative ? already : Number.NEGATIVE_INFINITY;
  const expected = Math.max(floor, already + raw);
  const low80 = Math.max(floor, already + raw - Z80 * sd);
  const high80 = Math.max(floor, already + raw + Z80 * sd);
  let chance: number | null = null;
  if (target !== null) {
    if (already >= target) chance = 1;
    else if (sd === 0) chance = already + raw >= target ? 1 : 0;
    else chance = 1 - normalCdf((target - already - raw) / sd);
  }
  return { expected, low80, high80, chance, sd };
}
