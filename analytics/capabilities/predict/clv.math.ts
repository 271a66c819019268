/*
 * Customer-base models for non-contractual repeat buying, as pure math: the BG/NBD model (Fader,
 * Hardie & Lee, "Counting Your Customers the Easy Way", Marketing Science 24(2), 2005) and the
 * Gamma-Gamma spend model (Fader & Hardie, "The Gamma-Gamma Model of Monetary Value", note 025,
 * 2013). Fitted by maximum likelihood; checked against the papers' CDNOW figures in
 * test/analytics/capabilities/predict/clv.math.test.ts.
 *
 * Per customer: x repeat purchases, t_x the time of the last one, T the time since the first
 * (all in one unit of time); z̄ the average value of the repeat purchases.
 */

import { logGamma } from "../../platform/base/distributions.math.ts";
import { minimize } from "./nelder-mead.math.ts";

export interface Rfm {
  x: number;
  tx: number;
  T: number;
}

export interface BgNbd {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1 (what the BG/NBD's expectations need). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 100_000; n++) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (Math.abs(term) < 1e-15 * Math.abs(sum)) break;
  }
  return sum;
}

/** ln of FHL (2005) eq. 6: one customer's likelihood. */
export function bgnbdLogLikelihood(p: BgNbd, c: Rfm): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const front =
    logGamma(r + x) -
    logGamma(r) +
    r * Math.log(alpha) +
    logGamma(a + b) +
    logGamma(b + x) -
    logGamma(b) -
    logGamma(a + b + x);
  const first = -(r + x) * Math.log(alpha + T);
  if (x === 0) return front + first;
  const second = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  // log(e^first + e^second) without overflow.
  const top = Math.max(first, second);
  return front + top + Math.log(Math.exp(first - top) + Math.exp(second - top));
}

/** Customers with the same (x, t_x, T) counted once, weighted: most shops have many one-time buyers alike. */
function grouped(customers: readonly Rfm[]) {
  const index = new Map<string | number, number>();
  const x: number[] = [];
  const tx: number[] = [];
  const T: number[] = [];
  const n: number[] = [];
  // Whole days make a number of the triple (a string key costs more than the likelihood itself).
  const numeric = customers.every(
    (c) => Number.isInteger(c.tx) && Number.isInteger(c.T) && c.T < 1e5 && c.x < 1e5,
  );
  for (const c of customers) {
    const key = numeric ? (c.x * 1e5 + c.tx) * 1e5 + c.T : `${c.x}|${c.tx}|${c.T}`;
    const at = index.get(key);
    if (at !== undefined) n[at]!++;
    else {
      index.set(key, x.length);
      x.push(c.x);
      tx.push(c.tx);
      T.push(c.T);
      n.push(1);
    }
  }
  const whole =
    T.every((t) => Number.isInteger(t) && t >= 0) && tx.every((t) => Number.isInteger(t) && t >= 0);
  const longest = T.reduce((m, t) => Math.max(m, t), 0);
  return {
    x: Int32Array.from(x),
    tx: Float64Array.from(tx),
    T: Float64Array.from(T),
    n: Float64Array.from(n),
    /** The longest time when every time is a whole number of days (a table of logarithms serves), else −1. */
    wholeUpTo: whole && longest <= 1_000_000 ? longest : -1,
  };
}

/**
 * The summed log-likelihood of grouped customers: eq. 6 with the terms that depend only on x (the
 * log-gammas) computed once per distinct x, so a customer costs three logarithms and an exponential.
 */
function summedLogLikelihood(p: BgNbd, g: ReturnType<typeof grouped>, maxX: number): number {
  const { r, alpha, a, b } = p;
  const base = r * Math.log(alpha) - logGamma(r) + logGamma(a + b) - logGamma(b);
  const front = new Float64Array(maxX + 1);
  const second = new Float64Array(maxX + 1);
  const lnA = Math.log(a);
  for (let x = 0; x <= maxX; x++) {
    front[x] = base + logGamma(r + x) + logGamma(b + x) - logGamma(a + b + x);
    second[x] = x > 0 ? lnA - Math.log(b + x - 1) : 0;
  }
  // Whole-day times (Lift's own) take ln(α + t) from a table made once per evaluation.
  const table = g.wholeUpTo >= 0 ? new Float64Array(g.wholeUpTo + 1) : null;
  if (table) for (let t = 0; t <= g.wholeUpTo; t++) table[t] = Math.log(alpha + t);
  const lnAt = table ? (t: number) => table[t]! : (t: number) => Math.log(alpha + t);
  let sum = 0;
  for (let i = 0; i < g.x.length; i++) {
    const x = g.x[i]!;
    const first = -(r + x) * lnAt(g.T[i]!);
    let ll: number;
    if (x === 0) ll = front[x]! + first;
    else {
      const other = second[x]! - (r + x) * lnAt(g.tx[i]!);
      const top = Math.max(first, other);
      ll = front[x]! + top + Math.log(Math.exp(first - top) + Math.exp(other - top));
    }
    sum += g.n[i]! * ll;
  }
  return sum;
}

const CAP = 10;

/** Above this many customers, the simplex first finds its way on every k-th one (a start, not the answer). */
const SAMPLE = 20_000;

/**
 * The BG/NBD parameters of most likelihood (Nelder–Mead on their logarithms), and that
 * log-likelihood. A large base is fitted on a sample first and then polished on everyone from
 * there: the same optimum, in a tenth of the full-size evaluations.
 */
export function fitBgNbd(customers: readonly Rfm[]): { params: BgNbd; logLikelihood: number } {
  // a and b are held under e^10: past it the chance of leaving is one number for everyone (a shop
  // where nobody's dropout differs), and the likelihood is flat along a + b for ever.
  const decode = (v: readonly number[]): BgNbd => ({
    r: Math.exp(v[0]!),
    alpha: Math.exp(v[1]!),
    a: Math.exp(Math.min(v[2]!, CAP)),
    b: Math.exp(Math.min(v[3]!, CAP)),
  });
  const fitOn = (list: readonly Rfm[], start: number[], step: number, restarts: number) => {
    const groups = grouped(list);
    const maxX = groups.x.reduce((m, x) => Math.max(m, x), 0);
    const negative = (v: readonly number[]) => {
      const sum = summedLogLikelihood(decode(v), groups, maxX);
      return Number.isFinite(sum) ? -sum : Number.MAX_VALUE;
    };
    return minimize(negative, start, { step, maxEvaluations: 4000, tolerance: 1e-12, restarts });
  };
  const meanT = customers.reduce((s, c) => s + c.T, 0) / customers.length;
  let start = [0, Math.log(Math.max(meanT / 10, 1e-3)), 0, 0];
  let step = 0.5;
  let restarts = 3;
  if (customers.length > 2 * SAMPLE) {
    const every = Math.ceil(customers.length / SAMPLE);
    start = fitOn(
      customers.filter((_, i) => i % every === 0),
      start,
      step,
      restarts,
    ).x.map((v) => Math.min(v, CAP));
    step = 0.05;
    restarts = 0;
  }
  const best = fitOn(customers, start, step, restarts);
  return { params: decode(best.x), logLikelihood: -best.value };
}

/** P(alive | x, t_x, T): FHL (2005) eq. 13. */
export function probabilityAlive(p: BgNbd, c: Rfm): number {
  if (c.x === 0) return 1;
  return 1 / (1 + (p.a / (p.b + c.x - 1)) * ((p.alpha + c.T) / (p.alpha + c.tx)) ** (p.r + c.x));
}

/** E[purchases in the next t | x, t_x, T]: FHL (2005) eq. 10. */
export function expectedPurchases(p: BgNbd, c: Rfm, t: number): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const z = t / (alpha + T + t);
  const head = (a + b + x - 1) / (a - 1);
  const tail = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z);
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0);
  return (head * tail) / denominator;
}

/**
 * E[purchases in the next t] for several increasing t at once, into `out`: eq. 10's ₂F₁ has the
 * same a, b, c for every t of a customer, so its coefficients are made once for all of them (one
 * division a term instead of one per t). Allocates nothing: scoring half a million customers calls it.
 */
export function expectedPurchasesAt(
  p: BgNbd,
  c: Rfm,
  ts: Float64Array,
  out: Float64Array,
  scratch: { z: Float64Array; power: Float64Array },
): void {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const A = r + x;
  const C = a + b + x - 1;
  // Euler's transformation, ₂F₁(A, B; C; z) = (1 − z)^(C − A − B) ₂F₁(C − A, C − B; C; z): here
  // C − A = a + b − 1 − r and C − B = a − 1 do not grow with x, so the series ends in a few terms
  // where the plain one takes hundreds for a frequent buyer far ahead.
  // Unless a is large (everyone's dropout chance alike, a and b in the thousands): then Euler's
  // parameters are the large ones, and the plain series is the short one.
  const euler = Math.abs((a + b - 1 - r) * (a - 1)) < (r + x) * (b + x);
  const A2 = euler ? a + b - 1 - r : A;
  const B2 = euler ? a - 1 : b + x;
  const k = ts.length;
  const { z, power } = scratch;
  for (let i = 0; i < k; i++) {
    z[i] = ts[i]! / (alpha + T + ts[i]!);
    power[i] = z[i]!;
    out[i] = 1;
  }
  let coefficient = 1;
  for (let n = 0; n < 100_000; n++) {
    coefficient *= ((A2 + n) * (B2 + n)) / ((C + n) * (n + 1));
    for (let i = 0; i < k; i++) {
      out[i]! += coefficient * power[i]!;
      power[i]! *= z[i]!;
    }
    // The largest z converges last.
    if (Math.abs(coefficient * power[k - 1]!) < 1e-16 * Math.abs(out[k - 1]!)) break;
  }
  const head = (a + b + x - 1) / (a - 1);
  const denominator = 1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** A : 0);
  // 1 − z = (α + T)/(α + T + t): eq. 10's power times Euler's factor is (1 − z)^(a − 1).
  const power1 = euler ? a - 1 : A;
  for (let i = 0; i < k; i++) out[i] = (head * (1 - (1 - z[i]!) ** power1 * out[i]!)) / denominator;
}

/** P(no purchase in a period of length t) for a customer just acquired: FHL (2005) eq. 8 at x = 0. */
export function probabilityNoPurchase(p: BgNbd, t: number): number {
  return (p.alpha / (p.alpha + t)) ** p.r;
}

export interface GammaGamma {
  p: number;
  q: number;
  v: number;
}

/** ln of one repeat customer's likelihood of an average spend z̄ over x purchases (note 025, eq. 3). */
export function gammaGammaLogLikelihood(g: GammaGamma, x: number, zbar: number): number {
  const { p, q, v } = g;
  return (
    logGamma(p * x + q) -
    logGamma(p * x) -
    logGamma(q) +
    q * Math.log(v) +
    (p * x - 1) * Math.log(zbar) +
    p * x * Math.log(x) -
    (p * x + q) * Math.log(v + x * zbar)
  );
}

/**
 * The Gamma-Gamma parameters of most likelihood over the repeat customers (x ≥ 1, z̄ > 0). The
 * log-gammas depend on x alone and the (px − 1)·ln z̄ terms add up beforehand, so a customer costs
 * one logarithm an evaluation; a large base is fitted on a sample first, then polished on everyone.
 */
export function fitGammaGamma(customers: readonly { x: number; zbar: number }[]): {
  params: GammaGamma;
  logLikelihood: number;
} {
  const repeat = customers.filter((c) => c.x >= 1 && c.zbar > 0);
  const decode = (v: readonly number[]): GammaGamma => ({
    p: Math.exp(v[0]!),
    q: Math.exp(v[1]!),
    v: Math.exp(v[2]!),
  });
  const fitOn = (
    list: readonly { x: number; zbar: number }[],
    start: number[],
    step: number,
    restarts: number,
  ) => {
    const n = list.length;
    const xs = Float64Array.from(list, (c) => c.x);
    const zs = Float64Array.from(list, (c) => c.zbar);
    const counts = new Map<number, number>();
    let sumXLnZ = 0;
    let sumLnZ = 0;
    let sumXLnX = 0;
    for (const c of list) {
      counts.set(c.x, (counts.get(c.x) ?? 0) + 1);
      sumXLnZ += c.x * Math.log(c.zbar);
      sumLnZ += Math.log(c.zbar);
      sumXLnX += c.x * Math.log(c.x);
    }
    const negative = (v: readonly number[]) => {
      const g = decode(v);
      let sum = n * (g.q * Math.log(g.v) - logGamma(g.q)) + g.p * sumXLnZ - sumLnZ + g.p * sumXLnX;
      for (const [x, k] of counts) sum += k * (logGamma(g.p * x + g.q) - logGamma(g.p * x));
      for (let i = 0; i < n; i++) sum -= (g.p * xs[i]! + g.q) * Math.log(g.v + xs[i]! * zs[i]!);
      return Number.isFinite(sum) ? -sum : Number.MAX_VALUE;
    };
    return minimize(negative, start, { step, maxEvaluations: 4000, tolerance: 1e-12, restarts });
  };
  const mean = repeat.reduce((s, c) => s + c.zbar, 0) / repeat.length;
  let start = [Math.log(2), Math.log(3), Math.log(mean)];
  let step = 0.5;
  let restarts = 3;
  if (repeat.length > 2 * SAMPLE) {
    const every = Math.ceil(repeat.length / SAMPLE);
    start = fitOn(
      repeat.filter((_, i) => i % every === 0),
      start,
      step,
      restarts,
    ).x;
    step = 0.05;
    restarts = 0;
  }
  const best = fitOn(repeat, start, step, restarts);
  return { params: decode(best.x), logLikelihood: -best.value };
}

/** E[average spend | x, z̄]: the customer's mean pulled toward the population's (note 025, eq. 5). */
export function expectedSpend(g: GammaGamma, x: number, zbar: number): number {
  return (g.p * (g.v + x * zbar)) / (g.p * x + g.q - 1);
}
