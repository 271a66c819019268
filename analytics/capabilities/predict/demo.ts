import {
  ascii,
  COUNTRIES,
  type DemoBatch,
  type DemoContext,
  type DemoPart,
  FIRST_NAMES,
  plantedOrderRow,
} from "../../platform/demo/index.ts";
import { addDays } from "../../platform/time/zone.ts";
import { customerModels } from "./api.ts";
import { gammaDraw, simulateCustomer } from "./simulate.ts";

/*
 * A year of a shop's regular customers, for the customer models to learn from, on this part's own
 * random stream: customers who buy as the BG/NBD model says people do (simulate.ts: each at their
 * own rate, each free to leave after a repeat purchase, spend as the Gamma-Gamma model has it), and
 * a few planted valuable regulars who bought every week or two and stopped months ago — the ones
 * `churn risk` must find. The other parts' stories are untouched: these are customers of their own,
 * and their orders are a small stream beside the 90 days' visitors.
 */

/** The generating parameters (per day), so a test can compare what the fit finds. */
export const DEMO_CLV = {
  /** At full scale; a tenth at small scale. */
  customers: 300,
  lapsed: 25,
  days: 365,
  r: 0.9,
  alpha: 25,
  a: 1,
  b: 12,
  p: 6,
  q: 4,
  /** Dollars per purchase on average. */
  meanSpend: 60,
} as const;

interface PlannedOrder {
  /** Days from the demo's last day (0 = the last day, −364 = a year before). */
  offset: number;
  customer: string;
  amount: number;
  channel: string;
}

function plan(context: DemoContext): { customers: Record<string, unknown>[]; orders: PlannedOrder[] } {
  const r = context.random;
  const next = () => r.next();
  const scale = context.options.scale === "full" ? 1 : 0.1;
  const { days, p, q, meanSpend } = DEMO_CLV;
  const customers: Record<string, unknown>[] = [];
  const orders: PlannedOrder[] = [];
  const person = (group: string, n: number) => {
    const id = context.id("cust");
    const first = r.pick(FIRST_NAMES);
    customers.push({
      id,
      email: `${ascii(first)}.${group}.${n}@example.com`,
      name: first,
      country: r.weighted(COUNTRIES),
      plan: "free",
    });
    return id;
  };
  const model = { ...DEMO_CLV, v: (meanSpend * (q - 1)) / p };
  for (let n = 1; n <= Math.round(DEMO_CLV.customers * scale); n++) {
    const id = person("regular", n);
    const channel = r.chance(0.5) ? "email" : "organic";
    const bought = simulateCustomer(next, model, -r.int(0, days - 1), 0);
    bought.days.forEach((offset, i) => {
      orders.push({ offset, customer: id, amount: bought.spend[i]!, channel });
    });
  }
  // Valuable regulars who stopped: an order every week or two for months, none in the last five.
  for (let n = 1; n <= Math.max(3, Math.round(DEMO_CLV.lapsed * scale)); n++) {
    const id = person("lapsed-regular", n);
    const mean = r.int(150, 300);
    const stop = -r.int(150, 220);
    for (let t = -r.int(330, days - 1); t <= stop; t += 3 - Math.log(1 - next()) * 8)
      orders.push({
        offset: Math.floor(t),
        customer: id,
        amount: Math.max(1, (gammaDraw(next, p) * mean) / p),
        channel: "email",
      });
  }
  return { customers, orders };
}

export const predictDemo: DemoPart = {
  id: "predict",
  order: 75,
  // The nightly fit, once: `clv` answers before a server has run.
  finish: async ({ platform }) => void (await customerModels.of(platform).refit()),
  setup(context): DemoBatch[] {
    const planned = plan(context);
    const { options, random } = context;
    const rows: Record<string, unknown>[] = [];
    planned.orders.forEach((order, n) => {
      const row = plantedOrderRow(random, options, addDays(options.end, order.offset), {
        id: `${context.id("order")}-${n}`,
        customer: order.customer,
        amount: order.amount.toFixed(2),
        channel: order.channel,
      });
      if (row) rows.push(row);
    });
    return [
      { kind: "customers", rows: planned.customers },
      { kind: "orders", rows },
    ];
  },
};
