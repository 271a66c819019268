import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mase, seasonalNaive } from "../../analytics/capabilities/predict/ets.math.ts";
import { fillGaps, forecastValues } from "../../analytics/capabilities/predict/forecast.ts";
import { addDays } from "../../analytics/platform/time/zone.ts";
import type { BenchContext, BenchEntry, BenchResult } from "../common.ts";

const DATA = join(dirname(fileURLToPath(import.meta.url)), "..", "data", "forecast");

interface Series {
  name: string;
  /** Tuning part or held out (see bench/data/forecast/README.md), or the demo workspace's KPIs. */
  part: "tuning" | "held out" | "demo";
  values: (number | null)[];
  /** The natural season: what MASE is scaled by and what statsmodels is given. */
  season: number;
  lags: number[];
  window: number;
  horizon: number;
  origins: number;
}

/** A `date,value` or `timestamp,value` file as a regular series, missing steps as null. */
function readSeries(file: string, stepMs: number): (number | null)[] {
  const lines = readFileSync(join(DATA, file), "utf8").trim().split("\n").slice(1);
  const points = lines.map((line) => {
    const [at, value] = line.split(",");
    return { at: Date.parse(at!.length === 10 ? `${at}T00:00:00Z` : `${at}Z`), value: Number(value) };
  });
  const start = points[0]!.at;
  const steps = Math.round((points[points.length - 1]!.at - start) / stepMs) + 1;
  const values = new Array<number | null>(steps).fill(null);
  for (const p of points) values[Math.round((p.at - start) / stepMs)] = p.value;
  return values;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function allSeries(quick: boolean): Series[] {
  const daily = (name: string, file: string, part: Series["part"]): Series => ({
    name,
    part,
    values: readSeries(file, DAY),
    season: 7,
    lags: [7],
    window: 365,
    horizon: 28,
    origins: quick ? 3 : 8,
  });
  const hourly = (name: string, file: string): Series => ({
    name,
    part: "held out",
    values: readSeries(file, HOUR),
    season: 24,
    lags: [24, 168],
    window: 480,
    horizon: 48,
    origins: quick ? 3 : 8,
  });
  return [
    daily("Wikipedia views, Peyton Manning (daily)", "wikipedia-peyton-manning-daily.csv", "tuning"),
    daily("Wikipedia views, R (daily)", "wikipedia-r-daily.csv", "tuning"),
    daily("Melbourne pedestrians (daily)", "melbourne-pedestrians-daily.csv", "held out"),
    hourly("Melbourne pedestrians, sensor 4 (hourly)", "melbourne-pedestrians-hourly-4.csv"),
    hourly("Melbourne pedestrians, sensor 41 (hourly)", "melbourne-pedestrians-hourly-41.csv"),
  ];
}

interface Window {
  series: string;
  part: Series["part"];
  season: number;
  train: number[];
  actual: number[];
}

/** Rolling origins: the last `origins` windows, a horizon apart, each `window` points of history. */
function windows(series: Series): Window[] {
  const { values } = fillGaps(series.values);
  const out: Window[] = [];
  for (let o = 0; o < series.origins; o++) {
    const end = values.length - series.horizon * (series.origins - o);
    const start = end - series.window;
    if (start < 0) continue;
    out.push({
      series: series.name,
      part: series.part,
      season: series.season,
      train: values.slice(start, end),
      actual: values.slice(end, end + series.horizon),
    });
  }
  return out;
}

/**
 * The demo workspace's daily revenue, orders, visitors and signups (90 days, full scale): four
 * origins a week apart in its last month, 14 days ahead, each from every day before it.
 */
async function demoWindows(context: BenchContext): Promise<Window[]> {
  const platform = context.freshPlatform("predict-demo.db");
  const end = "2026-11-22";
  await platform.seedDemo({ seed: 42, end, scale: "full", timeZone: "UTC", derive: false });
  const out: Window[] = [];
  for (const metric of ["revenue", "orders", "visitors", "signups"]) {
    const byDay = await platform.dailyValues(metric, { from: addDays(end, -89), to: end }, {});
    const values = fillGaps([...byDay.values()]).values;
    for (let o = 0; o < 4; o++) {
      const cut = values.length - 14 - 7 * (3 - o);
      out.push({
        series: `demo ${metric}`,
        part: "demo",
        season: 7,
        train: values.slice(0, cut),
        actual: values.slice(cut, cut + 14),
      });
    }
  }
  return out;
}

const STATSMODELS = `
import json, sys, warnings
warnings.filterwarnings("ignore")
import numpy as np
from statsmodels.tsa.holtwinters import ExponentialSmoothing
out = []
for w in json.load(sys.stdin):
    model = ExponentialSmoothing(np.array(w["train"], dtype=float), trend="add", damped_trend=True,
                                 seasonal="add", seasonal_periods=w["season"])
    out.append(list(model.fit().forecast(len(w["actual"]))))
print(json.dumps(out))
`;

/**
 * Forecast accuracy on public series (bench/data/forecast): mean MASE of Lift's forecaster ÷ the
 * seasonal naive forecast's and ÷ statsmodels' ExponentialSmoothing (additive damped trend and
 * season) on the same rolling windows, and how often the 95 % band held the actual value.
 */
export const predictBench: BenchEntry = {
  name: "predict",
  async run(context) {
    const all = [...allSeries(context.quick).flatMap(windows), ...(await demoWindows(context))];
    const t = performance.now();
    const lift = all.map((w) => {
      const lags = allSeries(true).find((s) => s.name === w.series)?.lags ?? [7];
      return forecastValues(w.train, { horizon: w.actual.length, lags, nonNegative: true });
    });
    const liftMs = (performance.now() - t) / all.length;
    const python = await context.python(
      STATSMODELS.replace(
        "json.load(sys.stdin)",
        `json.loads(${JSON.stringify(JSON.stringify(all.map((w) => ({ train: w.train, actual: w.actual, season: w.season }))))})`,
      ),
    );
    const reference = python ? (JSON.parse(python) as number[][]) : null;
    const results: BenchResult[] = [];
    for (const part of ["tuning", "held out", "demo"] as const) {
      const idx = all.map((w, i) => (w.part === part ? i : -1)).filter((i) => i >= 0);
      const mean = (f: (i: number) => number) => idx.reduce((a, i) => a + f(i), 0) / idx.length;
      const liftMase = mean((i) =>
        mase(
          all[i]!.train,
          all[i]!.actual,
          lift[i]!.steps.map((s) => s.mean),
          all[i]!.season,
        ),
      );
      const naiveMase = mean((i) =>
        mase(
          all[i]!.train,
          all[i]!.actual,
          seasonalNaive(all[i]!.train, all[i]!.season, all[i]!.actual.length),
          all[i]!.season,
        ),
      );
      const smMase = reference
        ? mean((i) => mase(all[i]!.train, all[i]!.actual, reference[i]!, all[i]!.season))
        : null;
      let inside = 0;
      let total = 0;
      for (const i of idx)
        all[i]!.actual.forEach((v, h) => {
          total++;
          const s = lift[i]!.steps[h]!;
          if (v >= s.lower95 && v <= s.upper95) inside++;
        });
      const names = [...new Set(idx.map((i) => all[i]!.series))].join("; ");
      results.push({
        name: `forecast MASE ÷ seasonal naive (${part}: ${idx.length} windows)`,
        ratio: liftMase / naiveMase,
        goal: "≤ 0.9",
        detail: `Lift ${liftMase.toFixed(3)} ÷ seasonal naive ${naiveMase.toFixed(3)} (${names})`,
      });
      results.push({
        name: `forecast MASE ÷ statsmodels ExponentialSmoothing (${part})`,
        ratio: smMase === null ? Number.NaN : liftMase / smMase,
        goal: "≤ 1",
        detail:
          smMase === null
            ? "statsmodels not installed (apt install python3-statsmodels)"
            : `Lift ${liftMase.toFixed(3)} ÷ statsmodels (additive damped trend and season) ${smMase.toFixed(3)}`,
      });
      results.push({
        name: `forecast 95 % band coverage (${part})`,
        ratio: inside / total,
        goal: "0.90–0.97",
        detail: `${inside} of ${total} actual values inside the band; ${liftMs.toFixed(1)} ms a forecast (model choice and holdout included)`,
      });
    }
    return results;
  },
};
