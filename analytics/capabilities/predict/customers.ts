import { Worker } from "node:worker_threads";
import {
  databaseFile,
  latestFit,
  type PurchaseHistory,
  purchaseDaysOf,
  purchaseHistory,
  saveFit,
} from "../../../db/predict/queries.ts";
import { AppError } from "../../platform/base/errors.ts";
import type { CapabilityContext } from "../../platform/contract/capability.ts";
import { addDays, dayOf } from "../../platform/time/zone.ts";
import { workerScript } from "../../platform/workers/index.ts";
import { buyProbability } from "./buy.ts";
import {
  type BaseCustomer,
  type ClvFit,
  type CustomerPrediction,
  customerBase,
  epochDay,
  fitClv,
  predictCustomer,
} from "./clv.ts";
import { fitFromJson, fitToJson } from "./fit-json.ts";
import type { PredictSettings } from "./settings.ts";

/**
 * A customer's predictions, with what answers show beside them, and their chance of buying in the
 * next 30 days (null without a trusted model). Only these fields: half a million of them are kept.
 */
export type Scored = Pick<BaseCustomer, "id" | "x" | "revenueMinor" | "firstDay" | "lastDay"> &
  CustomerPrediction & { pBuy30: number | null };

/** How long a computed set of scores answers again (segment rules read three fields in a row). */
const SCORES_TTL_MS = 60_000;
/** Sets of scores kept at once: the digest and App Home compare a week ago with now, two days each. */
const SCORES_KEPT = 2;

/**
 * The customer models of one workspace: fitted nightly on the orders up to yesterday (the last
 * whole day) and kept, read by answers, segment rules, the digest and the customer page.
 */
export class CustomerModels {
  private readonly cache = new Map<string, { at: number; scores: Scored[] }>();

  constructor(private readonly context: CapabilityContext<PredictSettings>) {}

  get discount(): number {
    return this.context.settings.LIFT_CLV_DISCOUNT;
  }

  /** The last whole day in the workspace's zone. */
  lastWholeDay(): string {
    return addDays(this.context.platform.today(), -1);
  }

  private async history(lastDay: string): Promise<PurchaseHistory> {
    return purchaseHistory(this.context.tables, lastDay);
  }

  /**
   * Fits on the orders up to yesterday and keeps the fit (the nightly job; admins on demand). On a
   * database file the fit runs on a thread of its own (fit-worker.ts); in memory, here.
   */
  async refit(): Promise<ClvFit> {
    const day = this.lastWholeDay();
    const file = await databaseFile(this.context.tables);
    const fit = file
      ? await fitOnThread(file, day)
      : fitClv(await this.history(day), epochDay(day), epochDay(day));
    await saveFit(this.context.tables, {
      kind: "clv",
      asOf: day,
      data: fitToJson(fit),
      fittedAt: this.context.now(),
    });
    this.cache.clear();
    this.context.logger.info(
      { asOf: day, customers: fit.customers, repeat: fit.repeatCustomers, trusted: fit.trusted },
      "customer models fitted",
    );
    return fit;
  }

  /** The kept fit for yesterday, fitting it first when the night's job has not run yet. */
  async current(): Promise<ClvFit> {
    const kept = await latestFit(this.context.tables, "clv");
    if (kept && kept.asOf >= this.lastWholeDay()) return fitFromJson<ClvFit>(kept.data);
    return this.refit();
  }

  /**
   * A fit on the orders up to `asOf` (the calibration end), checked on the orders after it up to
   * yesterday: what `lift predict clv --as-of` shows. Not kept.
   */
  async fitAsOf(asOf: string): Promise<ClvFit> {
    const last = this.lastWholeDay();
    if (asOf > last)
      throw new AppError("invalid_input", `The as-of day must be a whole day past: ${last} at the latest`);
    return fitClv(await this.history(last), epochDay(asOf), epochDay(last));
  }

  /** Every customer's predictions as of a day's end, from a fit (the current one by default). */
  async scores(fit?: ClvFit, asOf?: string): Promise<Scored[]> {
    const model = fit ?? (await this.current());
    const day = asOf ?? model.asOf;
    const key = `${day}|${model.asOf}|${model.logLikelihood}`;
    const now = this.context.now();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < SCORES_TTL_MS) return cached.scores;
    const scores = scoreBase(model, customerBase(await this.history(day), epochDay(day)), this.discount);
    this.cache.delete(key);
    this.cache.set(key, { at: now, scores });
    // The oldest set goes first (a Map keeps the order sets were added in).
    while (this.cache.size > SCORES_KEPT) this.cache.delete(this.cache.keys().next().value!);
    return scores;
  }

  /** Scores as of the day an instant falls on (segment rules' as-of). */
  async scoresAt(asOfMs: number): Promise<Scored[]> {
    const day = dayOf(asOfMs, this.context.platform.settings.timeZone);
    const kept = await latestFit(this.context.tables, "clv", day);
    const fit = kept ? fitFromJson<ClvFit>(kept.data) : await this.current();
    return this.scores(fit, day);
  }

  /** One customer's predictions today, or null when they have no order. */
  async customer(id: string): Promise<{ fit: ClvFit; score: Scored } | null> {
    const fit = await this.current();
    const day = this.context.platform.today();
    const rows = await purchaseDaysOf(this.context.tables, id, day);
    if (rows.length === 0) return null;
    const history: PurchaseHistory = {
      customers: [id],
      offsets: Int32Array.from([0, rows.length]),
      days: Int32Array.from(rows.map((r) => epochDay(r.day))),
      amounts: Float64Array.from(rows.map((r) => r.amountMinor)),
    };
    const [c] = customerBase(history, epochDay(day));
    return c ? { fit, score: scoreBase(fit, [c], this.discount)[0]! } : null;
  }
}

/** The fit on a thread of its own, reading the database file on its own connection. */
function fitOnThread(path: string, lastDay: string): Promise<ClvFit> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript("fit-worker", import.meta.url), { workerData: { path, lastDay } });
    worker.once("message", (message: { fit?: ClvFit; error?: string }) => {
      void worker.terminate();
      if (message.fit) resolve(message.fit);
      else reject(new Error(`the customer models' fit failed: ${message.error}`));
    });
    worker.once("error", reject);
    // A thread that ends without a word (killed, out of memory) fails the fit; a settled promise ignores it.
    worker.once("exit", (code) => reject(new Error(`the customer models' fit thread ended (code ${code})`)));
  });
}

/**
 * Every customer's predictions. Each object is written out field by field: a spread of two objects
 * per customer is ten times slower at half a million.
 */
export function scoreBase(fit: ClvFit, base: readonly BaseCustomer[], discount: number): Scored[] {
  const buy = fit.buy?.trusted ? fit.buy : null;
  const out = new Array<Scored>(base.length);
  for (let i = 0; i < base.length; i++) {
    const c = base[i]!;
    const p = predictCustomer(fit, c, discount);
    out[i] = {
      id: c.id,
      x: c.x,
      revenueMinor: c.revenueMinor,
      firstDay: c.firstDay,
      lastDay: c.lastDay,
      pAlive: p.pAlive,
      expected30: p.expected30,
      expected90: p.expected90,
      expected365: p.expected365,
      expectedSpend: p.expectedSpend,
      clv12m: p.clv12m,
      pBuy30: buy ? buyProbability(buy, c) : null,
    };
  }
  return out;
}
