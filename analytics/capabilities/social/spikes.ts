/*
 * Spike detection, causal (a point's flag uses only the points before it):
 * each point against what the same time of day held on the days before (its
 * seasonal reference), in units of the typical size of recent surprises (a
 * robust scale: 1.4826 × the median absolute deviation). A spike opens at a
 * robust z of `open` and closes below `close` (hysteresis), so one burst is
 * one incident; surprises while flagged do not widen the scale.
 */

import { detectCountSpikes, isCountSeries } from "./count-spikes.math.ts";

export interface SeriesPoint {
  at: number;
  value: number;
}

export interface SpikeOptions {
  /** Points per seasonal period (a day), found from the spacing when not given. */
  period?: number;
  /** Robust z at which a spike opens, and below which it closes. */
  open?: number;
  close?: number;
  /** How many past periods the seasonal reference reads. */
  periods?: number;
  /** How many past residuals the scale reads. */
  window?: number;
  /** The scale is never smaller than this share of the typical level (steady series are not all spikes). */
  minRelativeScale?: number;
}

export interface FlaggedPoint extends SeriesPoint {
  /** 0 (ordinary) … 1 (far outside anything seen). */
  score: number;
  flag: boolean;
  z: number;
}

const DEFAULTS = { open: 5, close: 2.5, periods: 4, minRelativeScale: 0.05 };
/** The robust scale is recomputed every this many points. */
const RESCALE_EVERY = 12;
/** How many recent ordinary points set today's level against the profile. */
const OFFSET_POINTS = 12;

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Points per day from the median spacing (at least 1). */
export function periodOf(points: SeriesPoint[]): number {
  if (points.length < 3) return 1;
  const gaps: number[] = [];
  for (let i = 1; i < Math.min(points.length, 2000); i++) gaps.push(points[i]!.at - points[i - 1]!.at);
  const step = median(gaps);
  return step > 0 ? Math.max(1, Math.round(86_400_000 / step)) : 1;
}

/**
 * Flags a series' spikes. Counts (whole numbers, never negative) go to the count model
 * (count-spikes.math.ts: an over-dispersed Poisson tail against the same time of day, at least 5
 * in 15 minutes); anything else (levels, rates, shares) to the robust z below.
 */
export function detectSpikes(points: SeriesPoint[], options: SpikeOptions = {}): FlaggedPoint[] {
  const values = points.map((p) => p.value);
  if (isCountSeries(values)) {
    const period = options.period ?? periodOf(points);
    return detectCountSpikes(values, { period }).map((f, i) => ({
      ...points[i]!,
      flag: f.flag,
      // Surprise as −log10 p: 5 (the opening p of 1e-5) scores 0.5, 10 or more scores 1.
      z: -Math.log10(Math.max(f.p, 1e-300)),
      score: Math.min(1, -Math.log10(Math.max(f.p, 1e-300)) / 10),
    }));
  }
  return detectContinuousSpikes(points, options);
}

/** The robust-z detector for continuous series (levels, rates, large counts). */
function detectContinuousSpikes(points: SeriesPoint[], options: SpikeOptions): FlaggedPoint[] {
  const open = options.open ?? DEFAULTS.open;
  const close = options.close ?? DEFAULTS.close;
  const period = options.period ?? periodOf(points);
  const periods = options.periods ?? DEFAULTS.periods;
  const window = options.window ?? Math.max(48, Math.min(3 * period, 2000));
  const minRelative = options.minRelativeScale ?? DEFAULTS.minRelativeScale;
  const values = points.map((p) => p.value);
  const residuals: number[] = [];
  /** Each point's distance from its seasonal profile, for the recent offset (flagged points left out). */
  const offsets: number[] = [];
  const out: FlaggedPoint[] = [];
  let flagged = false;
  let center = 0;
  let mad = 0;
  let level = 0;
  let scaleAt = -1;
  for (let i = 0; i < points.length; i++) {
    const value = values[i]!;
    // The seasonal profile: the same slot on earlier days (a week back too, when there is one).
    const seasonal: number[] = [];
    for (let k = 1; k <= periods; k++) if (i - k * period >= 0) seasonal.push(values[i - k * period]!);
    if (i - 7 * period >= 0) seasonal.push(values[i - 7 * period]!, values[i - 7 * period]!);
    const recent =
      seasonal.length >= 2 && i - scaleAt < RESCALE_EVERY && scaleAt >= 0
        ? []
        : values.slice(Math.max(0, i - Math.min(period, 48)), i);
    const profile = seasonal.length >= 2 ? median(seasonal) : median(recent);
    if (!Number.isFinite(profile)) {
      out.push({ ...points[i]!, score: 0, flag: false, z: 0 });
      continue;
    }
    // Today's level against the profile (a weekend, a holiday), from the last hour or so of ordinary points.
    const offset = seasonal.length >= 2 && offsets.length > 0 ? median(offsets.slice(-OFFSET_POINTS)) : 0;
    const reference = profile + offset;
    const residual = value - reference;
    if (residuals.length < 12) {
      // Too little history to judge: learn.
      residuals.push(residual);
      if (seasonal.length >= 2) offsets.push(value - profile);
      out.push({ ...points[i]!, score: 0, flag: false, z: 0 });
      continue;
    }
    // The scale is re-read every few points (it moves slowly; sorting a long window each point would not).
    if (i - scaleAt >= RESCALE_EVERY || scaleAt < 0) {
      const past = residuals.slice(-window);
      center = median(past);
      mad = median(past.map((r) => Math.abs(r - center)));
      level = Math.abs(median(recent.length > 0 ? recent : [reference]));
      scaleAt = i;
    }
    const scale = Math.max(1.4826 * mad, minRelative * level, 1e-9);
    const z = (residual - center) / scale;
    flagged = flagged ? Math.abs(z) >= close : Math.abs(z) >= open;
    // Surprises while flagged stay out of the scale and the level, so a long spike does not teach the
    // detector it is normal.
    if (!flagged) {
      residuals.push(residual);
      if (seasonal.length >= 2) offsets.push(value - profile);
    }
    out.push({ ...points[i]!, z, flag: flagged, score: Math.min(1, Math.abs(z) / (2 * open)) });
  }
  return out;
}

export interface SpikeEvaluation {
  precision: number;
  recall: number;
  /** Median points from an anomaly's start to its first flag (detected anomalies only). */
  medianDelay: number;
}

/**
 * Scores flags against known anomaly windows: a flagged run that overlaps a
 * window (or starts within `tolerance` points after it) is a true detection;
 * precision counts runs, recall counts windows.
 */
export function evaluateSpikes(
  flags: boolean[],
  windows: { start: number; end: number }[],
  tolerance = 5,
): SpikeEvaluation {
  const runs: { start: number; end: number }[] = [];
  for (let i = 0; i < flags.length; i++) {
    if (!flags[i]) continue;
    const start = i;
    while (i + 1 < flags.length && flags[i + 1]) i++;
    runs.push({ start, end: i });
  }
  const hits = (run: { start: number; end: number }) =>
    windows.some((w) => run.start <= w.end + tolerance && run.end >= w.start);
  const truePositives = runs.filter(hits).length;
  const delays: number[] = [];
  let found = 0;
  for (const w of windows) {
    const first = runs.find((r) => r.start <= w.end + tolerance && r.end >= w.start);
    if (!first) continue;
    found++;
    delays.push(Math.max(0, first.start - w.start));
  }
  return {
    precision: runs.length === 0 ? 1 : truePositives / runs.length,
    recall: windows.length === 0 ? 1 : found / windows.length,
    medianDelay: delays.length === 0 ? Number.POSITIVE_INFINITY : median(delays),
  };
}
