import { addDays, dayOf, localTimeMs, weekday } from "../time/zone.ts";
import { Random } from "./random.ts";
import { COUNTRIES, FIRST_NAMES, type MentionMood, mentionText } from "./texts.ts";

/**
 * The demo workspace: an outdoor-gear shop with six channels, twelve campaigns,
 * a running checkout experiment, one KPI anomaly and one sentiment incident.
 * Everything follows from (seed, end day, scale, time zone).
 */

export type DemoScale = "small" | "full";

export interface DemoOptions {
  seed: number;
  /** The last day of the 90 (in the reporting time zone). */
  end: string;
  scale: DemoScale;
  timeZone: string;
  /** Events after this instant are left out (when the end day is today). */
  until?: number;
  /** Prefix for generated ids (defaults to the seed). */
  idPrefix?: string;
}

export const DEMO_DAYS = 90;
/**
 * Days before the end day of the KPI anomaly: a paid-search budget cap (two days).
 * Paid-search traffic falls to 20 % and its conversion to 60 %, far outside the usual
 * day-to-day noise, so an anomaly check must find it and nothing else.
 */
export const ANOMALY_DAYS_AGO = [8, 7] as const;
export const ANOMALY_FACTOR = 0.6;
export const ANOMALY_TRAFFIC = 0.2;
/** Days before the end day of the shipping-delay complaints (peak first). */
export const SPIKE_DAYS_AGO = { 10: 3.5, 9: 1.6, 11: 0.6 } as Record<number, number>;
export const EXPERIMENT = { id: "checkout-cta", name: "Checkout CTA", lift: 1.08 } as const;

const SCALES = {
  // ~20k customers, ~300k events, ~8k mentions over 90 days.
  full: { visitsPerDay: 1150, existingCustomers: 14_000, mentionsPerDay: 85 },
  // A tenth of that: what the test suite uses.
  small: { visitsPerDay: 115, existingCustomers: 1_400, mentionsPerDay: 8.5 },
} as const;

/** Mon … Sun: shoppers browse more on weekdays (index 0 = Monday). */
const WEEKDAY_FACTOR = [1.05, 1.08, 1.06, 1.02, 0.95, 0.86, 0.88];
/** Share of visits per hour of the local day. */
const HOUR_WEIGHTS = [
  1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4.5, 5, 5, 4.5, 4, 4, 4, 4.5, 5, 6, 6, 5, 3.5, 2,
];
const HOURS = HOUR_WEIGHTS.map((weight, hour) => [hour, weight] as const);

type ChannelKey = "organic" | "paid_search" | "paid_social" | "email" | "referral" | "affiliate" | "direct";
const CHANNEL_MIX: readonly (readonly [ChannelKey, number])[] = [
  ["organic", 0.3],
  ["paid_search", 0.22],
  ["paid_social", 0.16],
  ["email", 0.1],
  ["referral", 0.07],
  ["affiliate", 0.07],
  ["direct", 0.08],
];
/** How much likelier than average a visit from each channel is to add to cart. */
const INTENT: Record<ChannelKey, number> = {
  organic: 1,
  paid_search: 1.12,
  paid_social: 0.8,
  email: 1.3,
  referral: 0.9,
  affiliate: 1.05,
  direct: 1.2,
};
const ADD_TO_CART = 0.18;
const ORDER_AFTER_ADD = 0.3;
const SIGNUP = 0.05;

export interface DemoCampaign {
  id: string;
  name: string;
  channel: Exclude<ChannelKey, "organic" | "direct">;
  source: string;
  medium: string;
  /** Days relative to the end day. */
  startsAgo: number;
  endsAgo: number | null;
  /** Budget ÷ what the campaign is expected to spend over its flight: below 1 overpaces, above underpaces. */
  pace: number;
  weight: number;
  ctr: number;
  cpc: number;
}

export const CAMPAIGNS: readonly DemoCampaign[] = [
  {
    id: "ps-brand",
    name: "Brand search",
    channel: "paid_search",
    source: "google",
    medium: "cpc",
    startsAgo: 89,
    endsAgo: null,
    pace: 1.0,
    weight: 3,
    ctr: 0.09,
    cpc: 0.45,
  },
  {
    id: "ps-generic",
    name: "Generic outdoor terms",
    channel: "paid_search",
    source: "google",
    medium: "cpc",
    startsAgo: 80,
    endsAgo: null,
    pace: 0.8,
    weight: 4,
    ctr: 0.035,
    cpc: 1.35,
  },
  {
    id: "ps-shopping",
    name: "Shopping ads",
    channel: "paid_search",
    source: "google",
    medium: "cpc",
    startsAgo: 85,
    endsAgo: null,
    pace: 1.05,
    weight: 2.5,
    ctr: 0.012,
    cpc: 0.9,
  },
  {
    id: "ps-competitor",
    name: "Competitor terms",
    channel: "paid_search",
    source: "bing",
    medium: "cpc",
    startsAgo: 75,
    endsAgo: 30,
    pace: 1.0,
    weight: 1,
    ctr: 0.02,
    cpc: 2.1,
  },
  {
    id: "social-lookalike",
    name: "Lookalike prospecting",
    channel: "paid_social",
    source: "facebook",
    medium: "paid_social",
    startsAgo: 70,
    endsAgo: null,
    pace: 1.35,
    weight: 3,
    ctr: 0.009,
    cpc: 0.7,
  },
  {
    id: "social-retarget",
    name: "Retargeting",
    channel: "paid_social",
    source: "instagram",
    medium: "paid_social",
    startsAgo: 89,
    endsAgo: null,
    pace: 0.98,
    weight: 2,
    ctr: 0.016,
    cpc: 0.55,
  },
  {
    id: "social-bf",
    name: "Black Friday teaser",
    channel: "paid_social",
    source: "tiktok",
    medium: "paid_social",
    startsAgo: 21,
    endsAgo: null,
    pace: 1.0,
    weight: 2,
    ctr: 0.011,
    cpc: 0.6,
  },
  {
    id: "email-newsletter",
    name: "Weekly newsletter",
    channel: "email",
    source: "newsletter",
    medium: "email",
    startsAgo: 89,
    endsAgo: null,
    pace: 1.0,
    weight: 3,
    ctr: 0.22,
    cpc: 0,
  },
  {
    id: "email-cart",
    name: "Cart recovery",
    channel: "email",
    source: "lifecycle",
    medium: "email",
    startsAgo: 89,
    endsAgo: null,
    pace: 1.0,
    weight: 1.5,
    ctr: 0.3,
    cpc: 0,
  },
  {
    id: "aff-coupons",
    name: "Coupon partners",
    channel: "affiliate",
    source: "couponhub",
    medium: "affiliate",
    startsAgo: 89,
    endsAgo: null,
    pace: 0.85,
    weight: 2,
    ctr: 0.02,
    cpc: 0,
  },
  {
    id: "aff-reviews",
    name: "Review sites",
    channel: "affiliate",
    source: "gearlab",
    medium: "affiliate",
    startsAgo: 60,
    endsAgo: null,
    pace: 1.0,
    weight: 1.5,
    ctr: 0.025,
    cpc: 0,
  },
  {
    id: "ref-blogs",
    name: "Partner blogs",
    channel: "referral",
    source: "trailblog",
    medium: "referral",
    startsAgo: 89,
    endsAgo: null,
    pace: 1.0,
    weight: 1,
    ctr: 0.03,
    cpc: 0,
  },
];

const ORGANIC_REFERRERS = [
  "https://www.google.com/",
  "https://www.google.com/",
  "https://www.bing.com/",
  "https://duckduckgo.com/",
  "https://www.reddit.com/r/hiking/",
];
const SITE = "https://liftoutfitters.example";
const PAGES = [
  "/",
  "/collections/jackets",
  "/collections/footwear",
  "/products/trail-runner",
  "/products/rain-shell",
  "/products/merino-hoodie",
  "/blog/layering-guide",
  "/collections/sale",
];
const PRODUCTS = [
  { id: "sku-trail", name: "Trail runner", price: 129 },
  { id: "sku-shell", name: "Rain shell", price: 189 },
  { id: "sku-hoodie", name: "Merino hoodie", price: 95 },
  { id: "sku-pack", name: "Daypack 22L", price: 79 },
  { id: "sku-bottle", name: "Insulated bottle", price: 32 },
  { id: "sku-socks", name: "Hiking socks (3)", price: 24 },
];
const PLATFORMS: readonly (readonly [string, number])[] = [
  ["twitter", 45],
  ["instagram", 25],
  ["reddit", 15],
  ["tiktok", 10],
  ["facebook", 5],
];

export interface DemoDay {
  day: string;
  events: Record<string, unknown>[];
  campaignDaily: Record<string, unknown>[];
  mentions: Record<string, unknown>[];
}

/** "Chloé" → "chloe": email local parts stay ASCII. */
function ascii(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A person's experiment arm: stable, 50/50. */
export function variantFor(personKey: string): "control" | "treatment" {
  return fnv1a(`${EXPERIMENT.id}:${personKey}`) % 2 === 0 ? "control" : "treatment";
}

interface Customer {
  id: string;
  anonymousId: string;
}

export class DemoWorld {
  readonly random: Random;
  readonly start: string;
  private readonly scale: (typeof SCALES)[DemoScale];
  private readonly customers: Customer[] = [];
  private readonly anonymous: string[] = [];
  private counter = 0;
  private orderCounter = 0;
  private mentionCounter = 0;

  constructor(readonly options: DemoOptions) {
    this.random = new Random(options.seed);
    this.scale = SCALES[options.scale];
    this.start = addDays(options.end, -(DEMO_DAYS - 1));
  }

  private id(prefix: string): string {
    this.counter++;
    return `${prefix}-${this.options.idPrefix ?? this.options.seed}-${this.counter.toString(36)}`;
  }

  /**
   * Visits happening around `at` (for `lift demo --live`), from the same
   * model as the seeded days; ids carry `idPrefix` so they never collide.
   */
  liveEvents(at: number, visits: number): Record<string, unknown>[] {
    if (this.customers.length === 0) this.existingCustomers();
    const day = dayOf(at, this.options.timeZone);
    const events: Record<string, unknown>[] = [];
    for (let v = 0; v < visits; v++) {
      const channel = this.random.weighted(CHANNEL_MIX);
      const campaigns = this.activeCampaigns(day, channel);
      const campaign =
        campaigns.length > 0 ? this.random.weighted(campaigns.map((c) => [c, c.weight] as const)) : null;
      events.push(...this.visit(day, channel, campaign, false, at - this.random.int(0, 60_000)).events);
    }
    for (const event of events) {
      event["timestamp"] = new Date(Math.min(at, event["timestamp"] as number)).toISOString();
    }
    return events;
  }

  /** Customers who signed up before the 90 days, for the customers import. */
  existingCustomers(): Record<string, unknown>[] {
    const rows: Record<string, unknown>[] = [];
    for (let n = 1; n <= this.scale.existingCustomers; n++) {
      const id = `cust-${String(n).padStart(6, "0")}`;
      const first = this.random.pick(FIRST_NAMES);
      const signup = addDays(this.start, -this.random.int(1, 720));
      this.customers.push({ id, anonymousId: `dev-${id}` });
      rows.push({
        id,
        email: `${ascii(first)}.${n}@example.com`,
        first_seen: `${signup}T12:00:00Z`,
        name: first,
        country: this.random.weighted(COUNTRIES),
        plan: this.random.weighted([
          ["free", 70],
          ["member", 25],
          ["pro", 5],
        ] as const),
      });
    }
    return rows;
  }

  /** Campaign definitions (no daily figures), with budgets sized to the expected spend of their flight. */
  campaignRows(): Record<string, unknown>[] {
    return CAMPAIGNS.map((c) => {
      const start = addDays(this.options.end, -c.startsAgo);
      const end = c.endsAgo === null ? addDays(this.options.end, 30) : addDays(this.options.end, -c.endsAgo);
      const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
      return {
        id: c.id,
        name: c.name,
        channel: c.channel,
        budget: Math.round(this.expectedDailySpend(c) * days * c.pace),
        start,
        end,
      };
    });
  }

  /** What a campaign spends on an average day, from the same model that generates its figures. */
  private expectedDailySpend(campaign: DemoCampaign): number {
    const share = CHANNEL_MIX.find(([channel]) => channel === campaign.channel)![1];
    // Campaigns share their channel's visits by weight, and only on the days they run.
    const live = (c: DemoCampaign) =>
      (Math.min(c.startsAgo, DEMO_DAYS - 1) - (c.endsAgo ?? 0) + 1) / DEMO_DAYS;
    const siblings = CAMPAIGNS.filter((c) => c.channel === campaign.channel).reduce(
      (sum, c) => sum + c.weight * live(c),
      0,
    );
    const visits = this.scale.visitsPerDay * 1.07 * share * (campaign.weight / siblings);
    if (campaign.channel === "email") return campaign.id === "email-newsletter" ? 25 : 12;
    if (campaign.channel === "referral") return 15;
    if (campaign.channel === "affiliate") return visits * ADD_TO_CART * ORDER_AFTER_ADD * 85 * 0.08 + 10;
    return visits * 1.2 * campaign.cpc;
  }

  private activeCampaigns(day: string, channel: ChannelKey): DemoCampaign[] {
    return CAMPAIGNS.filter((c) => {
      if (c.channel !== channel) return false;
      const starts = addDays(this.options.end, -c.startsAgo);
      const ends = c.endsAgo === null ? null : addDays(this.options.end, -c.endsAgo);
      return day >= starts && (ends === null || day <= ends);
    });
  }

  private timeIn(day: string): number {
    const hour = this.random.weighted(HOURS);
    return localTimeMs(day, hour, this.random.int(0, 59), this.options.timeZone) + this.random.int(0, 59_999);
  }

  /** Generates one day (index 0 … 89) of the world. */
  day(index: number): DemoDay {
    const day = addDays(this.start, index);
    const daysAgo = DEMO_DAYS - 1 - index;
    const growth = 1 + 0.15 * (index / DEMO_DAYS);
    const season = WEEKDAY_FACTOR[weekday(day) - 1]!;
    const visits = this.random.poisson(
      this.scale.visitsPerDay * growth * season * (1 + 0.05 * this.random.normal()),
    );
    const anomaly = (ANOMALY_DAYS_AGO as readonly number[]).includes(daysAgo);
    const events: Record<string, unknown>[] = [];
    const perCampaign = new Map<string, { visits: number; orders: number; revenue: number }>();

    for (let v = 0; v < visits; v++) {
      const channel = this.random.weighted(CHANNEL_MIX);
      // The budget cap: most paid-search visits of the anomaly days never happen.
      if (anomaly && channel === "paid_search" && !this.random.chance(ANOMALY_TRAFFIC)) continue;
      const campaigns = this.activeCampaigns(day, channel);
      const campaign =
        campaigns.length > 0 ? this.random.weighted(campaigns.map((c) => [c, c.weight] as const)) : null;
      if (campaign) {
        const stats = perCampaign.get(campaign.id) ?? { visits: 0, orders: 0, revenue: 0 };
        stats.visits++;
        perCampaign.set(campaign.id, stats);
      }
      const visit = this.visit(day, channel, campaign, anomaly);
      events.push(...visit.events);
      if (campaign && visit.revenue > 0) {
        const stats = perCampaign.get(campaign.id)!;
        stats.orders++;
        stats.revenue += visit.revenue;
      }
    }
    const until = this.options.until;
    const kept = (
      until === undefined ? events : events.filter((e) => (e["timestamp"] as number) <= until)
    ).sort((a, b) => (a["timestamp"] as number) - (b["timestamp"] as number));
    for (const event of kept) event["timestamp"] = new Date(event["timestamp"] as number).toISOString();

    return {
      day,
      events: kept,
      campaignDaily: this.campaignDaily(day, perCampaign),
      mentions: this.mentions(day, daysAgo),
    };
  }

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
      const personKey = userId ?? anonymousId;
      const variant = variantFor(personKey);
      t += r.int(10_000, 60_000);
      push({
        type: "track",
        event: "Experiment Viewed",
        properties: {
          experiment_id: EXPERIMENT.id,
          experiment_name: EXPERIMENT.name,
          variation_id: variant,
          variation_name: variant === "control" ? "Buy now" : "Get it today",
        },
      });
      let p = ORDER_AFTER_ADD * (variant === "treatment" ? EXPERIMENT.lift : 1);
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
            order_id: `ord-${this.options.seed}-${this.orderCounter}`,
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

  private campaignDaily(
    day: string,
    perCampaign: Map<string, { visits: number; orders: number; revenue: number }>,
  ) {
    const rows: Record<string, unknown>[] = [];
    for (const campaign of CAMPAIGNS) {
      const stats = perCampaign.get(campaign.id);
      if (!stats) continue;
      const r = this.random;
      // Not every ad click becomes a tracked visit (blockers, bounces before the tag loads).
      const clicks = Math.round(stats.visits * (1.1 + 0.2 * r.next()));
      const impressions = Math.round(clicks / (campaign.ctr * (0.9 + 0.2 * r.next())));
      let spend: number;
      if (campaign.channel === "email") spend = campaign.id === "email-newsletter" ? 25 : 12;
      else if (campaign.channel === "affiliate") spend = stats.revenue * 0.08 + 10;
      else if (campaign.channel === "referral") spend = 15;
      else spend = clicks * campaign.cpc * (0.9 + 0.2 * r.next());
      rows.push({
        id: campaign.id,
        day,
        impressions,
        clicks,
        spend: spend.toFixed(2),
        // Ad platforms over-claim conversions a little (view-through, cross-device).
        conversions: Math.round(stats.orders * 1.1),
        revenue: (stats.revenue * 1.1).toFixed(2),
      });
    }
    return rows;
  }

  private mentions(day: string, daysAgo: number): Record<string, unknown>[] {
    const r = this.random;
    const rows: Record<string, unknown>[] = [];
    const base = r.poisson(this.scale.mentionsPerDay * WEEKDAY_FACTOR[weekday(day) - 1]!);
    const spike = Math.round(this.scale.mentionsPerDay * (SPIKE_DAYS_AGO[daysAgo] ?? 0));
    const make = (mood: MentionMood) => {
      this.mentionCounter++;
      const platform = r.weighted(PLATFORMS);
      const t = this.timeIn(day);
      if (this.options.until !== undefined && t > this.options.until) return;
      const postId = `${this.options.seed}${this.mentionCounter.toString().padStart(7, "0")}`;
      const author = `@${ascii(r.pick(FIRST_NAMES))}${r.int(1, 9999)}`;
      rows.push({
        platform,
        platform_id: postId,
        url: `https://${platform === "twitter" ? "x" : platform}.com/${author.slice(1)}/status/${postId}`,
        author,
        text: mentionText(mood, r),
        lang: "en",
        timestamp: new Date(t).toISOString(),
      });
    };
    for (let i = 0; i < base; i++)
      make(
        r.weighted([
          ["positive", 45],
          ["neutral", 35],
          ["negative", 20],
        ] as const),
      );
    for (let i = 0; i < spike; i++) make(r.chance(0.85) ? "shipping" : "negative");
    return rows;
  }
}
