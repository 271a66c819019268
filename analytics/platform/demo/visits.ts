import { addDays, dayOf, localTimeMs, weekday } from "../time/zone.ts";
import {
  ADD_TO_CART,
  ANOMALY_DAYS_AGO,
  ANOMALY_FACTOR,
  ANOMALY_TRAFFIC,
  ascii,
  CAMPAIGNS,
  CHANNEL_MIX,
  type ChannelKey,
  type DemoCampaign,
  HOUR_WEIGHTS,
  INTENT,
  ORDER_AFTER_ADD,
  ORGANIC_REFERRERS,
  PAGES,
  PRODUCTS,
  SCALES,
  SIGNUP,
  SITE,
  WEEKDAY_FACTOR,
} from "./catalogue.ts";
import { DEMO_DAYS, type DemoContext, type DemoOptions, type DemoPart } from "./parts.ts";
import type { Random } from "./random.ts";
import { COUNTRIES, FIRST_NAMES } from "./texts.ts";

/** A customer the visits can return as. */
export interface DemoCustomer {
  id: string;
  anonymousId: string;
}

/** What one day's visits brought each campaign: the campaigns capability turns it into spend. */
export type CampaignDayStats = Map<string, { visits: number; orders: number; revenue: number }>;

export const CUSTOMERS_KEY = "customers";
export const campaignStatsKey = (day: string) => `campaign-stats:${day}`;

const HOURS = HOUR_WEIGHTS.map((weight, hour) => [hour, weight] as const);

/** A moment of a local day, drawn by the shop's hours (busier in the evening). */
export function localHourTime(random: Random, day: string, timeZone: string): number {
  const hour = random.weighted(HOURS);
  return localTimeMs(day, hour, random.int(0, 59), timeZone) + random.int(0, 59_999);
}

/**
 * A planted order as the orders kind takes it, in dollars, at a moment of its day drawn by the
 * shop's hours; null when that moment is later than the demo runs to (today, not over).
 */
export function plantedOrderRow(
  random: Random,
  options: { timeZone: string; until?: number },
  day: string,
  order: { id: string; customer: string; amount: string; channel: string },
): Record<string, unknown> | null {
  const at = localHourTime(random, day, options.timeZone);
  if (options.until !== undefined && at > options.until) return null;
  return {
    id: order.id,
    customer_id: order.customer,
    amount: order.amount,
    currency: "USD",
    timestamp: new Date(at).toISOString(),
    channel: order.channel,
  };
}

export function activeCampaigns(end: string, day: string, channel: ChannelKey): DemoCampaign[] {
  return CAMPAIGNS.filter((c) => {
    if (c.channel !== channel) return false;
    const starts = addDays(end, -c.startsAgo);
    const ends = c.endsAgo === null ? null : addDays(end, -c.endsAgo);
    return day >= starts && (ends === null || day <= ends);
  });
}

/** Customers who signed up before the 90 days (the customers import), and the list visits return as. */
export function existingCustomers(context: DemoContext): {
  rows: Record<string, unknown>[];
  customers: DemoCustomer[];
} {
  const r = context.random;
  const rows: Record<string, unknown>[] = [];
  const customers: DemoCustomer[] = [];
  for (let n = 1; n <= SCALES[context.options.scale].existingCustomers; n++) {
    const id = `cust-${String(n).padStart(6, "0")}`;
    const first = r.pick(FIRST_NAMES);
    const signup = addDays(context.start, -r.int(1, 720));
    customers.push({ id, anonymousId: `dev-${id}` });
    rows.push({
      id,
      email: `${ascii(first)}.${n}@example.com`,
      first_seen: `${signup}T12:00:00Z`,
      name: first,
      country: r.weighted(COUNTRIES),
      plan: r.weighted([
        ["free", 70],
        ["member", 25],
        ["pro", 5],
      ] as const),
    });
  }
  return { rows, customers };
}

/**
 * People visiting the shop: page views, carts, signups and orders, by channel
 * and campaign, with the weekly rhythm, slow growth and the two-day paid-search
 * budget cap. One model for the seeded days and for `lift demo --live`.
 */
export class Visits {
  private readonly anonymous: string[] = [];
  private orderCounter = 0;

  constructor(
    private readonly options: DemoOptions,
    private readonly random: Random,
    private readonly id: (prefix: string) => string,
    private readonly customers: DemoCustomer[],
  ) {}

  private timeIn(day: string): number {
    return localHourTime(this.random, day, this.options.timeZone);
  }

  /** One day (index 0 … 89) of visits: the events, and each campaign's visits, orders and revenue. */
  day(index: number, day: string): { events: Record<string, unknown>[]; stats: CampaignDayStats } {
    const daysAgo = DEMO_DAYS - 1 - index;
    const growth = 1 + 0.15 * (index / DEMO_DAYS);
    const season = WEEKDAY_FACTOR[weekday(day) - 1]!;
    const scale = SCALES[this.options.scale];
    const visits = this.random.poisson(
      scale.visitsPerDay * growth * season * (1 + 0.05 * this.random.normal()),
    );
    const anomaly = (ANOMALY_DAYS_AGO as readonly number[]).includes(daysAgo);
    const events: Record<string, unknown>[] = [];
    const stats: CampaignDayStats = new Map();
    for (let v = 0; v < visits; v++) {
      const channel = this.random.weighted(CHANNEL_MIX);
      // The budget cap: most paid-search visits of the anomaly days never happen.
      if (anomaly && channel === "paid_search" && !this.random.chance(ANOMALY_TRAFFIC)) continue;
      const campaign = this.campaignFor(day, channel);
      const visit = this.visit(day, channel, campaign, anomaly);
      events.push(...visit.events);
      if (campaign) {
        const s = stats.get(campaign.id) ?? { visits: 0, orders: 0, revenue: 0 };
        s.visits++;
        if (visit.revenue > 0) {
          s.orders++;
          s.revenue += visit.revenue;
        }
        stats.set(campaign.id, s);
      }
    }
    const until = this.options.until;
    const kept = (
      until === undefined ? events : events.filter((e) => (e["timestamp"] as number) <= until)
    ).sort((a, b) => (a["timestamp"] as number) - (b["timestamp"] as number));
    for (const event of kept) event["timestamp"] = new Date(event["timestamp"] as number).toISOString();
    return { events: kept, stats };
  }

  /** Visits happening around `at` (for `lift demo --live`). */
  live(at: number, visits: number): Record<string, unknown>[] {
    const day = dayOf(at, this.options.timeZone);
    const events: Record<string, unknown>[] = [];
    for (let v = 0; v < visits; v++) {
      const channel = this.random.weighted(CHANNEL_MIX);
      const campaign = this.campaignFor(day, channel);
      events.push(...this.visit(day, channel, campaign, false, at - this.random.int(0, 60_000)).events);
    }
    for (const event of events) {
      event["timestamp"] = new Date(Math.min(at, event["timestamp"] as number)).toISOString();
    }
    return events;
  }

  private campaignFor(day: string, channel: ChannelKey): DemoCampaign | null {
    const campaigns = activeCampaigns(this.options.end, day, channel);
    return campaigns.length > 0 ? this.random.weighted(campaigns.map((c) => [c, c.weight] as const)) : null;
  }

  // Long on purpose: one visitor's session as the demo's model generates it, step by step on one random stream.
  private visit(
    day: string,
    channel: ChannelKey,
    campaign: DemoCampaign | null,
    anomaly: boolean,
    startAt?: number,
  ): { events: Record<string, unknown>[]; revenue: number } {
    const r = this.random;
    let userId: string | null = null;
    let anonymousId: string;
    const kind = r.next();
    if (kind < 0.4 && this.customers.length > 0) {
      const customer = r.pick(this.customers);
      userId = customer.id;
      anonymousId = customer.anonymousId;
    } else if (kind < 0.55 && this.anonymous.length > 0) {
      anonymousId = r.pick(this.anonymous);
    } else {
      anonymousId = this.id("anon");
      this.anonymous.push(anonymousId);
      if (this.anonymous.length > 4000) this.anonymous.splice(0, 1000);
    }
    let t = startAt ?? this.timeIn(day);
    const landing = r.pick(PAGES);
    const context: Record<string, unknown> = { page: { url: `${SITE}${landing}`, path: landing } };
    if (campaign)
      context["campaign"] = { name: campaign.id, source: campaign.source, medium: campaign.medium };
    else if (channel === "organic")
      (context["page"] as Record<string, unknown>)["referrer"] = r.pick(ORGANIC_REFERRERS);
    const events: Record<string, unknown>[] = [];
    const push = (event: Record<string, unknown>) => {
      events.push({
        ...event,
        messageId: this.id("msg"),
        anonymousId,
        ...(userId ? { userId } : {}),
        timestamp: t,
      });
    };
    push({
      type: "page",
      name: landing === "/" ? "Home" : landing,
      properties: { path: landing, url: `${SITE}${landing}` },
      context,
    });
    const pageContext = { page: { url: `${SITE}/` } };
    while (r.chance(0.45) && events.length < 6) {
      t += r.int(15_000, 180_000);
      const path = r.pick(PAGES);
      push({ type: "page", name: path, properties: { path, url: `${SITE}${path}` }, context: pageContext });
    }
    let revenue = 0;
    const signUp = () => {
      const customer = { id: `cust-${this.id("new")}`, anonymousId };
      this.customers.push(customer);
      userId = customer.id;
      t += r.int(20_000, 120_000);
      const first = r.pick(FIRST_NAMES);
      push({
        type: "identify",
        traits: {
          email: `${ascii(first)}.${customer.id}@example.com`,
          name: first,
          country: r.weighted(COUNTRIES),
          createdAt: new Date(t).toISOString(),
        },
      });
      push({
        type: "track",
        event: "Signed Up",
        properties: { method: r.pick(["email", "google", "apple"]) },
      });
    };
    if (r.chance(ADD_TO_CART * INTENT[channel])) {
      const product = r.pick(PRODUCTS);
      t += r.int(30_000, 300_000);
      push({
        type: "track",
        event: "Product Added",
        properties: { product_id: product.id, name: product.name, price: product.price, quantity: 1 },
      });
      let p = ORDER_AFTER_ADD;
      if (anomaly && channel === "paid_search") p *= ANOMALY_FACTOR;
      if (r.chance(p)) {
        if (!userId) signUp();
        revenue =
          Math.round(Math.exp(Math.log(product.price * 0.55) + 0.45 * r.normal()) * 100) / 100 +
          product.price * 0.3;
        revenue = Math.round(revenue * 100) / 100;
        t += r.int(60_000, 600_000);
        this.orderCounter++;
        push({
          type: "track",
          event: "Order Completed",
          properties: {
            // The run's own prefix: a live run's orders never take a seeded order's id.
            order_id: `ord-${this.options.idPrefix ?? this.options.seed}-${this.orderCounter}`,
            revenue,
            currency: "USD",
            products: [{ product_id: product.id, name: product.name, price: product.price, quantity: 1 }],
          },
          ...(campaign ? { context: { campaign: context["campaign"] } } : {}),
        });
      }
    }
    if (!userId && r.chance(SIGNUP)) signUp();
    return { events, revenue };
  }
}

/** Customers who signed up before the 90 days. */
export const customersPart: DemoPart = {
  id: "customers",
  order: 10,
  core: true,
  setup(context) {
    const { rows, customers } = existingCustomers(context);
    context.shared.set(CUSTOMERS_KEY, customers);
    return [{ kind: "customers", rows }];
  },
};

function visitsOf(context: DemoContext): Visits {
  let visits = context.shared.get("visits") as Visits | undefined;
  if (!visits) {
    const customers = (context.shared.get(CUSTOMERS_KEY) as DemoCustomer[] | undefined) ?? [];
    visits = new Visits(context.options, context.random, context.id, customers);
    context.shared.set("visits", visits);
  }
  return visits;
}

/** The shop's visits and orders, day by day. */
export const visitsPart: DemoPart = {
  id: "visits",
  order: 20,
  core: true,
  day(context, index, day) {
    const { events, stats } = visitsOf(context).day(index, day);
    context.shared.set(campaignStatsKey(day), stats);
    return [{ kind: "events", rows: events }];
  },
};
