import type { PurchaseHistory } from "../../../db/predict/queries.ts";
import { type BuyModel, fitBuyModel } from "./buy.ts";
import {
  type BgNbd,
  expectedPurchases,
  expectedPurchasesAt,
  expectedSpend,
  fitBgNbd,
  fitGammaGamma,
  type GammaGamma,
  probabilityAlive,
} from "./clv.math.ts";

/*
 * Customer value from a shop's own orders: the BG/NBD and Gamma-Gamma models (clv.math.ts) fitted
 * on purchase days (orders on one day are one purchase), checked on a holdout as Fader & Hardie do,
 * and refused — with the reason — where they cannot be trusted.
 */

/** Under this many repeat buyers the fit is noise (the figure; CDNOW has 946 of 2,357). */
export const MIN_REPEAT_BUYERS = 200;
/** The holdout's total may be off by this share at most. */
export const HOLDOUT_TOLERANCE = 0.2;
/** Fewer repeat purchases than this in the holdout cannot tell a good fit from a bad one. */
export const MIN_HOLDOUT_PURCHASES = 30;
/** The longest and shortest holdout of the nightly check, in days. */
const HOLDOUT_MAX = 90;
const HOLDOUT_MIN = 21;
/** Days in a month, for the monthly discounting of the 12-month value. */
const MONTH = 30;
const POINTS = Float64Array.from([...Array.from({ length: 12 }, (_, m) => (m + 1) * MONTH), 365]);
/** Reused by every call of predictCustomer (one thread; nothing awaits in between). */
const UP_TO = new Float64Array(13);
const SCRATCH = { z: new Float64Array(13), power: new Float64Array(13) };
let discounts: { rate: number; factors: Float64Array } | null = null;

/** 1 / (1 + monthly rate)^m for months 1…12, made once per yearly rate. */
function discountFactors(annual: number): Float64Array {
  if (discounts?.rate !== annual) {
    const monthly = (1 + annual) ** (1 / 12) - 1;
    discounts = {
      rate: annual,
      factors: Float64Array.from({ length: 12 }, (_, m) => 1 / (1 + monthly) ** (m + 1)),
    };
  }
  return discounts.factors;
}

/** One customer as the models see them, in days as of a calibration end. */
export interface BaseCustomer {
  id: string;
  /** Repeat purchase days (purchase days after the first). */
  x: number;
  /** Days from the first purchase to the last. */
  tx: number;
  /** Days from the first purchase to the as-of day. */
  T: number;
  /** Mean spend of the repeat purchase days with a positive spend (minor units); 0 without any. */
  zbar: number;
  /** Repeat purchase days with a positive spend (the Gamma-Gamma's count). */
  spendDays: number;
  revenueMinor: number;
  /** Days since 1970-01-01. */
  firstDay: number;
  lastDay: number;
  /** Purchase days after the as-of day, up to the history's end (the holdout). */
  later: number;
  /** Purchase days in the 30 days after the as-of day (a 30-day purchase model's label). */
  next30: number;
  /** Purchase days in the last 30 and 90 days up to the as-of day. */
  recent30: number;
  recent90: number;
}

export const epochDay = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
export const dayText = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** Every customer whose first purchase is on or before `asOf` (an epoch day), as of that day. */
export function customerBase(history: PurchaseHistory, asOf: number): BaseCustomer[] {
  const { customers, offsets, days, amounts } = history;
  const base: BaseCustomer[] = [];
  for (let k = 0; k < customers.length; k++) {
    const from = offsets[k]!;
    const to = offsets[k + 1]!;
    const first = days[from]!;
    if (first > asOf) continue;
    let last = first;
    let count = 0;
    let spend = 0;
    let spendDays = 0;
    let revenue = amounts[from]!;
    let later = 0;
    let next30 = 0;
    let recent30 = first > asOf - 30 ? 1 : 0;
    let recent90 = first > asOf - 90 ? 1 : 0;
    for (let i = from + 1; i < to; i++) {
      if (days[i]! > asOf) {
        later++;
        if (days[i]! <= asOf + 30) next30++;
        continue;
      }
      if (days[i]! > asOf - 30) recent30++;
      if (days[i]! > asOf - 90) recent90++;
      last = days[i]!;
      count++;
      revenue += amounts[i]!;
      if (amounts[i]! > 0) {
        spend += amounts[i]!;
        spendDays++;
      }
    }
    base.push({
      id: customers[k]!,
      x: count,
      tx: last - first,
      T: asOf - first,
      zbar: spendDays > 0 ? spend / spendDays : 0,
      spendDays,
      revenueMinor: revenue,
      firstDay: first,
      lastDay: last,
      later,
      next30,
      recent30,
      recent90,
    });
  }
  return base;
}

/** Predicted and actual repeat purchases in a holdout, in total and by purchases before it. */
export interface Holdout {
  from: string;
  to: string;
  days: number;
  customers: number;
  predicted: number;
  actual: number;
  byPurchases: { label: string; customers: number; predicted: number; actual: number }[];
}

export function holdoutCheck(
  params: BgNbd,
  base: readonly BaseCustomer[],
  asOf: number,
  end: number,
): Holdout {
  const days = end - asOf;
  const groups = ["0", "1", "2", "3", "4", "5", "6+"].map((label) => ({
    label,
    customers: 0,
    predicted: 0,
    actual: 0,
  }));
  let predicted = 0;
  let actual = 0;
  for (const c of base) {
    const expected = expectedPurchases(params, c, days);
    predicted += expected;
    actual += c.later;
    const group = groups[Math.min(c.x, 6)]!;
    group.customers++;
    group.predicted += expected;
    group.actual += c.later;
  }
  return {
    from: dayText(asOf + 1),
    to: dayText(end),
    days,
    customers: base.length,
    predicted,
    actual,
    byPurchases: groups.filter((g) => g.customers > 0),
  };
}

/**
 * Whether buying comes at regular intervals, as a subscription's renewals do: of the customers with
 * four purchases or more, the share whose gaps vary by less than a fifth of their mean. BG/NBD
 * models irregular, Poisson-like buying, so a shop where most repeat buyers renew like clockwork is
 * not one it describes.
 */
export function regularShare(history: PurchaseHistory, asOf: number): { regular: number; of: number } {
  const { offsets, days } = history;
  let regular = 0;
  let of = 0;
  for (let k = 0; k + 1 < offsets.length; k++) {
    const gaps: number[] = [];
    for (let i = offsets[k]! + 1; i < offsets[k + 1]! && days[i]! <= asOf; i++)
      gaps.push(days[i]! - days[i - 1]!);
    if (gaps.length < 3) continue;
    of++;
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / (gaps.length - 1));
    if (sd < 0.2 * mean) regular++;
  }
  return { regular, of };
}

/** Pearson's correlation of purchases and average spend among repeat buyers (Gamma-Gamma assumes none). */
function spendCorrelation(base: readonly BaseCustomer[]): number {
  const repeat = base.filter((c) => c.spendDays > 0);
  const n = repeat.length;
  if (n < 3) return 0;
  const mx = repeat.reduce((s, c) => s + c.spendDays, 0) / n;
  const mz = repeat.reduce((s, c) => s + c.zbar, 0) / n;
  let sxz = 0;
  let sxx = 0;
  let szz = 0;
  for (const c of repeat) {
    sxz += (c.spendDays - mx) * (c.zbar - mz);
    sxx += (c.spendDays - mx) ** 2;
    szz += (c.zbar - mz) ** 2;
  }
  return sxx > 0 && szz > 0 ? sxz / Math.sqrt(sxx * szz) : 0;
}

/** The backtest's fit learns from at most this many customers (every k-th): it checks the model, it predicts nothing. */
const BACKTEST_SAMPLE = 50_000;

function sample<T>(list: readonly T[]): readonly T[] {
  const every = Math.ceil(list.length / BACKTEST_SAMPLE);
  return every <= 1 ? list : list.filter((_, i) => i % every === 0);
}

/** A fit as kept and reported: `clv/1` is built from it. */
export interface ClvFit {
  /** The calibration end: orders up to and including this day. */
  asOf: string;
  firstDay: string;
  bgnbd: BgNbd;
  logLikelihood: number;
  /** Null when no repeat purchase has a positive spend. */
  gammaGamma: GammaGamma | null;
  customers: number;
  repeatCustomers: number;
  purchaseDays: number;
  /** The check on orders after a calibration end: after `asOf` itself when asked, else a backtest. */
  holdout: Holdout | null;
  trusted: boolean;
  /** Why it cannot be trusted, each a sentence; empty when trusted. */
  reasons: string[];
  /** What to keep in mind although trusted. */
  caveats: string[];
  /** The 30-day purchase model (buy.ts), trusted or not on its own. */
  buy: BuyModel;
}

function fitModels(base: readonly BaseCustomer[]) {
  const { params, logLikelihood } = fitBgNbd(base);
  const spenders = base.filter((c) => c.spendDays > 0).map((c) => ({ x: c.spendDays, zbar: c.zbar }));
  return { params, logLikelihood, gammaGamma: spenders.length >= 2 ? fitGammaGamma(spenders).params : null };
}

const share = (n: number) => `${Math.round(n * 100)} %`;

/**
 * Fits the models on the purchases up to `asOf` and checks them: on the purchases after it when
 * the history goes further (`lift predict clv --as-of`), else on a backtest — the same fit on all
 * but the last few weeks, judged on those weeks.
 */
export function fitClv(history: PurchaseHistory, asOf: number, end: number): ClvFit {
  const base = customerBase(history, asOf);
  const repeatCustomers = base.filter((c) => c.x > 0).length;
  const reasons: string[] = [];
  const caveats: string[] = [];
  const firstDay = base.reduce((m, c) => Math.min(m, c.firstDay), asOf);
  if (base.length === 0)
    return {
      asOf: dayText(asOf),
      firstDay: dayText(asOf),
      bgnbd: { r: Number.NaN, alpha: Number.NaN, a: Number.NaN, b: Number.NaN },
      logLikelihood: Number.NaN,
      gammaGamma: null,
      customers: 0,
      repeatCustomers: 0,
      purchaseDays: 0,
      holdout: null,
      trusted: false,
      reasons: ["there are no orders with a customer id to learn from"],
      caveats,
      buy: fitBuyModel(history, asOf),
    };
  const models = fitModels(base);
  let holdout: Holdout | null = null;
  if (end > asOf) holdout = holdoutCheck(models.params, base, asOf, end);
  else {
    const span = asOf - firstDay;
    const days = Math.min(HOLDOUT_MAX, Math.floor(span / 3));
    if (days >= HOLDOUT_MIN) {
      const calibration = customerBase(history, asOf - days);
      if (calibration.some((c) => c.x > 0))
        holdout = holdoutCheck(fitBgNbd(sample(calibration)).params, calibration, asOf - days, asOf);
    } else
      reasons.push(
        `there are ${span + 1} days of orders: too few to check the model on weeks held out (it needs ${3 * HOLDOUT_MIN})`,
      );
  }
  if (repeatCustomers < MIN_REPEAT_BUYERS)
    reasons.push(
      `only ${repeatCustomers} customers bought on more than one day; the model needs about ${MIN_REPEAT_BUYERS}`,
    );
  const regular = regularShare(history, asOf);
  if (regular.of >= 30 && regular.regular > 0.5 * regular.of)
    reasons.push(
      `${regular.regular} of ${regular.of} frequent buyers buy at regular intervals, as subscriptions renew; the model is for irregular buying`,
    );
  if (holdout) {
    const off = Math.abs(holdout.predicted - holdout.actual) / Math.max(1, holdout.actual);
    if (holdout.actual < MIN_HOLDOUT_PURCHASES)
      reasons.push(
        `the ${holdout.days} days held out (${holdout.from} – ${holdout.to}) had ${holdout.actual} repeat purchases: too few to check the model`,
      );
    else if (off > HOLDOUT_TOLERANCE)
      reasons.push(
        `on the ${holdout.days} days held out it predicted ${Math.round(holdout.predicted)} repeat purchases and there were ${holdout.actual} (${share(off)} off; it must be within ${share(HOLDOUT_TOLERANCE)})`,
      );
  }
  const correlation = spendCorrelation(base);
  if (Math.abs(correlation) > 0.3)
    caveats.push(
      `how often and how much customers spend go together (correlation ${correlation.toFixed(2)}): values per order lean ${correlation > 0 ? "low for frequent buyers" : "high for frequent buyers"}`,
    );
  return {
    asOf: dayText(asOf),
    firstDay: dayText(firstDay),
    bgnbd: models.params,
    logLikelihood: models.logLikelihood,
    gammaGamma: models.gammaGamma,
    customers: base.length,
    repeatCustomers,
    purchaseDays: base.reduce((s, c) => s + c.x + 1, 0),
    holdout,
    trusted: reasons.length === 0,
    reasons,
    caveats,
    buy: fitBuyModel(history, asOf),
  };
}

/** One customer's predictions. Money in minor units. */
export interface CustomerPrediction {
  pAlive: number;
  expected30: number;
  expected90: number;
  expected365: number;
  /** Expected spend per purchase day. */
  expectedSpend: number;
  /** The next 12 months' spend, discounted monthly. */
  clv12m: number;
}

/** A customer's predictions from a fit; `annualDiscount` is the yearly rate (0.1 = 10 %). */
export function predictCustomer(fit: ClvFit, c: BaseCustomer, annualDiscount: number): CustomerPrediction {
  const p = fit.bgnbd;
  const spend = fit.gammaGamma ? expectedSpend(fit.gammaGamma, c.spendDays, c.zbar) : c.zbar;
  const factors = discountFactors(annualDiscount);
  // Months of 30 days, as lifetimes' customer_lifetime_value counts them in days; the 1st and
  // 3rd are the 30- and 90-day expectations, and a 13th point is the year's 365 days.
  const upTo = UP_TO;
  expectedPurchasesAt(p, c, POINTS, upTo, SCRATCH);
  let clv = 0;
  for (let m = 0; m < 12; m++) clv += spend * (upTo[m]! - (m > 0 ? upTo[m - 1]! : 0)) * factors[m]!;
  return {
    pAlive: probabilityAlive(p, c),
    expected30: upTo[0]!,
    expected90: upTo[2]!,
    expected365: upTo[12]!,
    expectedSpend: spend,
    clv12m: clv,
  };
}
