import {
  ascii,
  COUNTRIES,
  DEMO_DAYS,
  type DemoBatch,
  type DemoContext,
  type DemoPart,
  FIRST_NAMES,
  plantedOrderRow,
} from "../../platform/demo/index.ts";
import { segmentsService } from "./api.ts";

/**
 * Four groups of customers planted in the demo, on this part's own random
 * stream (the visits, orders and KPIs the other parts make stay as they were
 * apart from these orders): what `segments`, `segment clusters` and the RFM
 * map should find.
 */
interface DemoGroup {
  key: string;
  /** Customers at full scale (a tenth, at least 6, at small scale). */
  customers: number;
  channel: string;
  /** Orders per customer, inclusive. */
  orders: [number, number];
  /** Order value in dollars, inclusive. */
  amount: [number, number];
  /** Days (0 … 89) their orders fall in. */
  days: [number, number];
}

export const DEMO_GROUPS: readonly DemoGroup[] = [
  // Loyal, high-value, by email: an order every week or two, all through the 90 days.
  { key: "loyal-email", customers: 70, channel: "email", orders: [6, 9], amount: [120, 220], days: [0, 89] },
  // Lapsing: regular buyers in the first six weeks, nothing since.
  { key: "lapsing", customers: 110, channel: "organic", orders: [3, 5], amount: [60, 110], days: [0, 40] },
  // Bargain hunters from affiliates: a few small baskets.
  {
    key: "bargain-affiliates",
    customers: 120,
    channel: "affiliate",
    orders: [2, 4],
    amount: [9, 22],
    days: [0, 89],
  },
  // New from paid social: one first order in the last two weeks.
  {
    key: "new-paid-social",
    customers: 100,
    channel: "paid_social",
    orders: [1, 1],
    amount: [45, 80],
    days: [76, 89],
  },
];

interface PlannedOrder {
  id: string;
  customer: string;
  day: number;
  amount: string;
  channel: string;
}

const PLAN_KEY = "segments-demo-plan";

function plan(context: DemoContext): {
  customers: Record<string, unknown>[];
  orders: Map<number, PlannedOrder[]>;
} {
  const r = context.random;
  const customers: Record<string, unknown>[] = [];
  const orders = new Map<number, PlannedOrder[]>();
  for (const group of DEMO_GROUPS) {
    const count =
      context.options.scale === "full" ? group.customers : Math.max(6, Math.round(group.customers / 10));
    for (let n = 1; n <= count; n++) {
      const id = context.id("cust");
      const first = r.pick(FIRST_NAMES);
      customers.push({
        id,
        email: `${ascii(first)}.${group.key}.${n}@example.com`,
        name: first,
        country: r.weighted(COUNTRIES),
        plan: group.key === "loyal-email" ? "member" : "free",
      });
      const k = r.int(group.orders[0], group.orders[1]);
      // Spread over their window: sorted draws, so a loyal customer's orders are a steady rhythm, not a burst.
      const days = Array.from({ length: k }, () => r.int(group.days[0], group.days[1])).sort((a, b) => a - b);
      days.forEach((day) => {
        const list = orders.get(day) ?? [];
        list.push({
          id: context.id("order"),
          customer: id,
          day,
          amount: (r.int(group.amount[0] * 100, group.amount[1] * 100) / 100).toFixed(2),
          channel: group.channel,
        });
        orders.set(day, list);
      });
    }
  }
  return { customers, orders };
}

export const segmentsDemo: DemoPart = {
  id: "segments",
  order: 70,
  // The nightly recompute, once: `segment champions` answers before a server has run.
  finish: async ({ platform }) => void (await segmentsService.of(platform).recompute()),
  setup(context): DemoBatch[] {
    const planned = plan(context);
    context.shared.set(PLAN_KEY, planned.orders);
    return [{ kind: "customers", rows: planned.customers }];
  },
  day(context, index, day): DemoBatch[] {
    const planned =
      (context.shared.get(PLAN_KEY) as Map<number, PlannedOrder[]> | undefined)?.get(index) ?? [];
    const { options, random } = context;
    const rows: Record<string, unknown>[] = [];
    for (const order of planned) {
      const row = plantedOrderRow(random, options, day, order);
      if (row) rows.push(row);
    }
    return index < DEMO_DAYS ? [{ kind: "orders", rows }] : [];
  },
};
