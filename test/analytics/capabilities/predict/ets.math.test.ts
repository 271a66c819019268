import { describe, expect, it } from "vitest";
import {
  detectPeriod,
  type EtsFit,
  type EtsParams,
  type EtsSpec,
  fitEts,
  forecastSteps,
  mase,
  seasonalNaive,
  smooth,
  sumVariance,
} from "../../../../analytics/capabilities/predict/ets.math.ts";
import { bandScale, fillGaps, forecastValues } from "../../../../analytics/capabilities/predict/forecast.ts";
import { minimize } from "../../../../analytics/capabilities/predict/nelder-mead.math.ts";

/*
 * Reference values: statsmodels 0.13.5 (Debian python3-statsmodels), ETSModel(y, error="add", …,
 * initialization_method="known").smooth(params), then get_prediction(start=40, end=49):
 * predicted_mean and forecast_variance. The script: test/fixtures/predict/ets_ref.py.
 */
const Y = Array.from({ length: 40 }, (_, i) =>
  Number((100 + 0.8 * i + 10 * Math.sin((2 * Math.PI * i) / 7) + (((i * 37) % 11) - 5) * 0.7).toFixed(2)),
);
const SEASONAL = [0, 5, 9, -3, -6, -4, -1];

const CASES: {
  name: string;
  spec: EtsSpec;
  params: EtsParams;
  sse: number;
  llf: number;
  fitted: number[];
  mean: number[];
  variance: number[];
}[] = [
  {
    name: "ETS(A,Ad,A)",
    spec: { trend: "damped", period: 7 },
    params: { alpha: 0.3, beta: 0.1, gamma: 0.2, phi: 0.9, level: 100, slope: 1, seasonal: SEASONAL },
    sse: 837.5158802940559,
    llf: -117.58875674720008,
    fitted: [100.9, 104.994, 110.50774],
    mean: [
      122.8541837336, 127.4067142223, 134.4312548029, 141.720899719, 146.132215377, 138.7194071208,
      129.459559099, 127.0077022066, 131.144880848, 137.795604766,
    ],
    variance: [
      20.9378970074, 24.1225511422, 28.7674351522, 34.9614348071, 42.7399146359, 52.0985502568, 63.0041662355,
      82.6856602541, 96.5106492466, 111.6853565675,
    ],
  },
  {
    name: "ETS(A,N,N)",
    spec: { trend: "none", period: 0 },
    params: { alpha: 0.3, beta: 0, gamma: 0, phi: 1, level: 100, slope: 0, seasonal: [] },
    sse: 2977.614958922507,
    llf: -142.95751043978916,
    fitted: [100.0, 98.95, 101.641],
    mean: Array(10).fill(130.257137738),
    variance: [
      74.4403739731, 81.1400076306, 87.8396412882, 94.5392749458, 101.2389086034, 107.9385422609,
      114.6381759185, 121.3378095761, 128.0374432337, 134.7370768912,
    ],
  },
  {
    name: "ETS(A,Ad,N)",
    spec: { trend: "damped", period: 0 },
    params: { alpha: 0.3, beta: 0.1, gamma: 0, phi: 0.9, level: 100, slope: 1, seasonal: [] },
    sse: 3476.907015939223,
    llf: -146.05792002668022,
    fitted: [100.9, 99.994, 103.45774],
    mean: [
      133.5986911886, 134.291056295, 134.9141848908, 135.475000627, 135.9797347896, 136.4339955359,
      136.8428302075, 137.2107814121, 137.5419374961, 137.8399779718,
    ],
    variance: [
      86.9226753985, 100.1436143266, 119.4266275597, 145.1407201085, 177.4327061191, 216.2846331279,
      261.5587749102, 313.0327069674, 370.4264858248, 433.4235556002,
    ],
  },
  {
    name: "ETS(A,N,A)",
    spec: { trend: "none", period: 7 },
    params: { alpha: 0.3, beta: 0, gamma: 0.2, phi: 1, level: 100, slope: 0, seasonal: SEASONAL },
    sse: 923.510396847377,
    llf: -119.54359339925396,
    fitted: [100.0, 103.95, 109.141],
    mean: [
      121.2722840997, 124.9063050722, 130.9326866665, 137.4385333588, 141.2366829703, 133.4127052242,
      124.1297265885, 121.2722840997, 124.9063050722, 130.9326866665,
    ],
    variance: [
      23.0877599212, 25.1656583141, 27.243556707, 29.3214550999, 31.3993534928, 33.4772518857, 35.5551502786,
      41.3270902589, 43.4049886518, 45.4828870447,
    ],
  },
];

function fitWith(spec: EtsSpec, params: EtsParams): EtsFit {
  const run = smooth(Y, spec, params);
  const sigma2 = run.sse / Y.length;
  return {
    spec,
    params,
    n: Y.length,
    sse: run.sse,
    sigma2,
    logLikelihood: -0.5 * Y.length * (Math.log(2 * Math.PI * sigma2) + 1),
    k: 0,
    aicc: 0,
    end: run.end,
    fitted: run.fitted,
  };
}

describe("ETS recursions and forecast variance against statsmodels' ETSModel", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const fit = fitWith(c.spec, c.params);
      expect(fit.sse).toBeCloseTo(c.sse, 8);
      expect(fit.logLikelihood).toBeCloseTo(c.llf, 8);
      for (const [i, v] of c.fitted.entries()) expect(fit.fitted[i]).toBeCloseTo(v, 8);
      const steps = forecastSteps(fit, 10);
      for (const [i, v] of c.mean.entries()) expect(steps[i]!.mean).toBeCloseTo(v, 7);
      for (const [i, v] of c.variance.entries()) expect(steps[i]!.variance).toBeCloseTo(v, 7);
    });
  }

  it("the variance of a sum over the horizon is the sum of the steps' covariances (simulated)", () => {
    // Monte Carlo of the same state-space model from the end state: the analytic Var(Σ) within 3 %.
    const c = CASES[0]!;
    const fit = fitWith(c.spec, c.params);
    // Mulberry32 (Tommy Ettinger's public-domain generator) and Box–Muller.
    let seed = 42;
    const uniform = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
    };
    const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const H = 20;
    const sums: number[] = [];
    for (let run = 0; run < 40_000; run++) {
      let { level, slope } = fit.end;
      const seasonal = fit.end.seasonal.slice();
      let total = 0;
      for (let h = 0; h < H; h++) {
        const s = seasonal[h % 7]!;
        const e = Math.sqrt(fit.sigma2) * gauss();
        const value = level + c.params.phi * slope + s + e;
        total += value;
        level = level + c.params.phi * slope + c.params.alpha * e;
        slope = c.params.phi * slope + c.params.beta * e;
        seasonal[h % 7] = s + c.params.gamma * e;
      }
      sums.push(total);
    }
    const mean = sums.reduce((a, b) => a + b, 0) / sums.length;
    const variance = sums.reduce((a, b) => a + (b - mean) ** 2, 0) / (sums.length - 1);
    expect(variance / sumVariance(fit, H)).toBeGreaterThan(0.97);
    expect(variance / sumVariance(fit, H)).toBeLessThan(1.03);
    const steps = forecastSteps(fit, H);
    expect(mean).toBeCloseTo(
      steps.reduce((a, s) => a + s.mean, 0),
      -1,
    );
  });
});

describe("fitting", () => {
  it("Nelder–Mead finds Rosenbrock's minimum", () => {
    const result = minimize((x) => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2, [-1.2, 1], {
      maxEvaluations: 4000,
      restarts: 2,
      tolerance: 1e-14,
    });
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });

  it("recovers a weekly season and a trend, and its likelihood is at least that of the parameters that made the data", () => {
    const fit = fitEts(Y, { trend: "damped", period: 7 });
    const truth = fitWith(CASES[0]!.spec, CASES[0]!.params);
    expect(fit.logLikelihood).toBeGreaterThan(truth.logLikelihood);
    expect(fit.params.beta).toBeLessThan(fit.params.alpha);
    expect(fit.params.gamma).toBeLessThan(1 - fit.params.alpha);
  });

  it("finds the season by autocorrelation, and none in noise", () => {
    const weekly = Array.from(
      { length: 120 },
      (_, i) => 50 + (i % 7 < 5 ? 20 : -30) + 0.3 * i + ((i * 13) % 7),
    );
    expect(detectPeriod(weekly, [7, 30])).toBe(7);
    const hourly = Array.from(
      { length: 24 * 14 },
      (_, i) => 100 + 60 * Math.sin((2 * Math.PI * i) / 24) + ((i * 7) % 5),
    );
    expect(detectPeriod(hourly, [24, 168])).toBe(24);
    let seed = 7;
    const noise = Array.from({ length: 200 }, () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    });
    expect(detectPeriod(noise, [7, 24])).toBe(0);
  });

  it("MASE: the forecast's mean absolute error over the in-sample seasonal naive's", () => {
    const train = [1, 2, 3, 2, 3, 4];
    // In-sample seasonal naive errors |2−1|, |3−2|, |4−3| → scale 1; the season repeated is exact here.
    expect(seasonalNaive(train, 3, 3)).toEqual([2, 3, 4]);
    expect(mase(train, [2, 3, 4], seasonalNaive(train, 3, 3), 3)).toBe(0);
    const walk = [0, 1, 2, 3, 4, 5];
    expect(mase(walk, [6, 7], seasonalNaive(walk, 1, 2), 1)).toBe(1.5);
  });
});

describe("bands calibrated on the days held out", () => {
  it("widens bands whose errors were larger than predicted, narrows wide ones, halfway and within ¼–4", () => {
    const holdout = (varianceRatio: number) => ({
      points: 14,
      mase: 1,
      naiveMase: 1,
      wape: 0.1,
      model: "ETS(A,N,N)",
      varianceRatio,
    });
    expect(bandScale(holdout(4))).toBe(2);
    expect(bandScale(holdout(0.25))).toBe(0.5);
    expect(bandScale(holdout(100))).toBe(4);
    expect(bandScale(holdout(0.0001))).toBe(0.25);
    expect(bandScale(null)).toBe(1);
  });

  it("a series whose noise grows late gets wider bands than its in-sample fit alone would give", () => {
    const quiet = Array.from({ length: 120 }, (_, i) => 100 + (i % 7) * 5 + ((i * 37) % 5) - 2);
    const noisy = quiet.map((v, i) => (i >= 113 ? v + (((i * 53) % 41) - 20) : v));
    const calm = forecastValues(quiet, { horizon: 7, lags: [7], nonNegative: true });
    const rough = forecastValues(noisy, { horizon: 7, lags: [7], nonNegative: true });
    expect(rough.holdout!.varianceRatio).toBeGreaterThan(1);
    expect(rough.steps[0]!.upper95 - rough.steps[0]!.lower95).toBeGreaterThan(
      calm.steps[0]!.upper95 - calm.steps[0]!.lower95,
    );
  });
});

describe("missing points", () => {
  it("are filled by straight lines between their neighbours, ends held flat, and counted", () => {
    expect(fillGaps([null, null, 3, null, null, 9, null, 1, null])).toEqual({
      values: [3, 3, 3, 5, 7, 9, 5, 1, 1],
      filled: 6,
    });
    expect(fillGaps([null, null])).toEqual({ values: [], filled: 0 });
  });
});
