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
function grouped(customers: readonly Rfm[]): { c: Rfm; n: number }[] {
  const map = new Map<string, { c: Rfm; n: number }>();
  for (const c of customers) {
    const key = `${c.x}|${c.tx}|${c.T}`;
    const entry = map.get(key);
    if (entry) entry.n++;
    else map.set(key, { c, n: 1 });
  }
  return [...map.values()];
}

/** The BG/NBD parameters of most likelihood (Nelder–Mead on their logarithms), and that log-likelihood. */
export function fitBgNbd(customers: readonly Rfm[]): { params: BgNbd; logLikelihood: number } {
  const groups = grouped(customers);
  const decode = (v: readonly number[]): BgNbd => ({
    r: Math.exp(v[0]!),
    alpha: Math.exp(v[1]!),
    a: Math.exp(v[2]!),
    b: Math.exp(v[3]!),
  });
  const negative = (v: readonly number[]) => {
    const p = decode(v);
    let sum = 0;
    for (const { c, n } of groups) sum += n * bgnbdLogLikelihood(p, c);
    return Number.isFinite(sum) ? -sum : Number.MAX_VALUE;
  };
  const meanT = customers.reduce((s, c) => s + c.T, 0) / customers.length;
  const best = minimize(negative, [0, Math.log(Math.max(meanT / 10, 1e-3)), 0, 0], {
    step: 0.5,
    maxEvaluations: 4000,
    tolerance: 1e-12,
    restarts: 3,
  });
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

/** The Gamma-Gamma parameters of most likelihood over the repeat customers (x ≥ 1, z̄ > 0). */
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
  const negative = (v: readonly number[]) => {
    const g = decode(v);
    let sum = 0;
    for (const c of repeat) sum += gammaGammaLogLikelihood(g, c.x, c.zbar);
    return Number.isFinite(sum) ? -sum : Number.MAX_VALUE;
  };
  const mean = repeat.reduce((s, c) => s + c.zbar, 0) / repeat.length;
  const best = minimize(negative, [Math.log(2), Math.log(3), Math.log(mean)], {
    step: 0.5,
    maxEvaluations: 4000,
    tolerance: 1e-12,
    restarts: 3,
  });
  return { params: decode(best.x), logLikelihood: -best.value };
}

/** E[average spend | x, z̄]: the customer's mean pulled toward the population's (note 025, eq. 5). */
export function expectedSpend(g: GammaGamma, x: number, zbar: number): number {
  return (g.p * (g.v + x * zbar)) / (g.p * x + g.q - 1);
}
