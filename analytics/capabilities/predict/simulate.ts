/*
 * Customers who buy exactly as the BG/NBD and Gamma-Gamma models say people do: each at their own
 * Poisson rate (Gamma(r, α) across customers, per day), each free to leave after any repeat purchase
 * with their own chance (Beta(a, b)), each purchase's spend Gamma(p, ν) with ν Gamma(q, v) across
 * customers. The demo's regular customers, the tests' shops and the benchmark's half million.
 */

import type { PurchaseHistory } from "../../../db/predict/queries.ts";
import { Random } from "../../platform/demo/index.ts";

export interface ShopModel {
  r: number;
  alpha: number;
  a: number;
  b: number;
  /** Spend: each purchase Gamma(p, ν), ν ~ Gamma(q, rate v); mean spend per purchase p·v/(q − 1). */
  p: number;
  q: number;
  v: number;
}

/** A Gamma(shape, scale 1) draw (Marsaglia & Tsang 2000; shape < 1 by Gamma(shape + 1)·U^(1/shape)). */
export function gammaDraw(next: () => number, shape: number): number {
  if (shape < 1) return gammaDraw(next, shape + 1) * next() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    // A standard normal by Box–Muller.
    const x = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(next()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * One customer's purchases from their first (day `first`) up to day `end`: whole days (purchases on
 * one day merge, as Lift counts them) and each day's spend.
 */
export function simulateCustomer(
  next: () => number,
  model: ShopModel,
  first: number,
  end: number,
  every?: number,
): { days: number[]; spend: number[] } {
  const rate = gammaDraw(next, model.r) / model.alpha;
  const x = gammaDraw(next, model.a);
  const leave = x / (x + gammaDraw(next, model.b));
  const nu = gammaDraw(next, model.q) / model.v;
  const draw = () => gammaDraw(next, model.p) / nu;
  const days = [first];
  const spend = [draw()];
  let t = first;
  for (;;) {
    t += every ?? -Math.log(1 - next()) / rate;
    if (t >= end + 1) break;
    const day = Math.floor(t);
    if (day === days[days.length - 1]) spend[spend.length - 1]! += draw();
    else {
      days.push(day);
      spend.push(draw());
    }
    if (every === undefined && next() < leave) break;
  }
  return { days, spend };
}

/**
 * A whole shop as the customer models read it: `customers` customers acquired evenly over the
 * `span` days up to `end` (an epoch day), each simulated from `model` (or buying every `every` days
 * without leaving: a subscription), drawn from a seeded stream.
 */
export function simulatedShop(options: {
  customers: number;
  span: number;
  end: number;
  model: ShopModel;
  seed: number;
  every?: number;
}): PurchaseHistory {
  const random = new Random(options.seed);
  const next = () => random.next();
  const customers: string[] = [];
  const offsets = [0];
  const days: number[] = [];
  const amounts: number[] = [];
  for (let k = 0; k < options.customers; k++) {
    const first = options.end - Math.floor(next() * options.span);
    const bought = simulateCustomer(next, options.model, first, options.end, options.every);
    customers.push(`c${String(k).padStart(6, "0")}`);
    for (let i = 0; i < bought.days.length; i++) {
      days.push(bought.days[i]!);
      amounts.push(bought.spend[i]!);
    }
    offsets.push(days.length);
  }
  return {
    customers,
    offsets: Int32Array.from(offsets),
    days: Int32Array.from(days),
    amounts: Float64Array.from(amounts),
  };
}
