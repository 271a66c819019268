/**
 * The demo shop, Lift Outfitters: its channels, products, pages and campaigns.
 * Shared by the visits (which carry the campaigns' UTM tags) and by the
 * campaigns capability (their spend).
 */

export type ChannelKey =
  | "organic"
  | "paid_search"
  | "paid_social"
  | "email"
  | "referral"
  | "affiliate"
  | "direct";

export const CHANNEL_MIX: readonly (readonly [ChannelKey, number])[] = [
  ["organic", 0.3],
  ["paid_search", 0.22],
  ["paid_social", 0.16],
  ["email", 0.1],
  ["referral", 0.07],
  ["affiliate", 0.07],
  ["direct", 0.08],
];

/** How much likelier than average a visit from each channel is to add to cart. */
export const INTENT: Record<ChannelKey, number> = {
  organic: 1,
  paid_search: 1.12,
  paid_social: 0.8,
  email: 1.3,
  referral: 0.9,
  affiliate: 1.05,
  direct: 1.2,
};
export const ADD_TO_CART = 0.18;
export const ORDER_AFTER_ADD = 0.3;
export const SIGNUP = 0.05;

/** Mon … Sun: shoppers browse more on weekdays (index 0 = Monday). */
export const WEEKDAY_FACTOR = [1.05, 1.08, 1.06, 1.02, 0.95, 0.86, 0.88];
/** Share of visits per hour of the local day. */
export const HOUR_WEIGHTS = [
  1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4.5, 5, 5, 4.5, 4, 4, 4, 4.5, 5, 6, 6, 5, 3.5, 2,
];

export const SCALES = {
  // ~20k customers, ~300k events, ~8k mentions over 90 days.
  full: { visitsPerDay: 1150, existingCustomers: 14_000, mentionsPerDay: 85 },
  // A tenth of that: what the test suite uses.
  small: { visitsPerDay: 115, existingCustomers: 1_400, mentionsPerDay: 8.5 },
} as const;

/**
 * Days before the end day of the KPI anomaly: a paid-search budget cap (two days).
 * Paid-search traffic falls to 20 % and its conversion to 60 %, far outside the usual
 * day-to-day noise, so an anomaly check must find it and nothing else.
 */
export const ANOMALY_DAYS_AGO = [8, 7] as const;
export const ANOMALY_FACTOR = 0.6;
export const ANOMALY_TRAFFIC = 0.2;

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

const campaign = (
  id: string,
  name: string,
  channel: DemoCampaign["channel"],
  source: string,
  medium: string,
  startsAgo: number,
  endsAgo: number | null,
  pace: number,
  weight: number,
  ctr: number,
  cpc: number,
): DemoCampaign => ({ id, name, channel, source, medium, startsAgo, endsAgo, pace, weight, ctr, cpc });

export const CAMPAIGNS: readonly DemoCampaign[] = [
  campaign("ps-brand", "Brand search", "paid_search", "google", "cpc", 89, null, 1.0, 3, 0.09, 0.45),
  campaign(
    "ps-generic",
    "Generic outdoor terms",
    "paid_search",
    "google",
    "cpc",
    80,
    null,
    0.8,
    4,
    0.035,
    1.35,
  ),
  campaign("ps-shopping", "Shopping ads", "paid_search", "google", "cpc", 85, null, 1.05, 2.5, 0.012, 0.9),
  campaign("ps-competitor", "Competitor terms", "paid_search", "bing", "cpc", 75, 30, 1.0, 1, 0.02, 2.1),
  campaign(
    "social-lookalike",
    "Lookalike prospecting",
    "paid_social",
    "facebook",
    "paid_social",
    70,
    null,
    1.35,
    3,
    0.009,
    0.7,
  ),
  campaign(
    "social-retarget",
    "Retargeting",
    "paid_social",
    "instagram",
    "paid_social",
    89,
    null,
    0.98,
    2,
    0.016,
    0.55,
  ),
  campaign(
    "social-bf",
    "Black Friday teaser",
    "paid_social",
    "tiktok",
    "paid_social",
    21,
    null,
    1.0,
    2,
    0.011,
    0.6,
  ),
  campaign(
    "email-newsletter",
    "Weekly newsletter",
    "email",
    "newsletter",
    "email",
    89,
    null,
    1.0,
    3,
    0.22,
    0,
  ),
  campaign("email-cart", "Cart recovery", "email", "lifecycle", "email", 89, null, 1.0, 1.5, 0.3, 0),
  campaign(
    "aff-coupons",
    "Coupon partners",
    "affiliate",
    "couponhub",
    "affiliate",
    89,
    null,
    0.85,
    2,
    0.02,
    0,
  ),
  campaign("aff-reviews", "Review sites", "affiliate", "gearlab", "affiliate", 60, null, 1.0, 1.5, 0.025, 0),
  campaign("ref-blogs", "Partner blogs", "referral", "trailblog", "referral", 89, null, 1.0, 1, 0.03, 0),
];

export const ORGANIC_REFERRERS = [
  "https://www.google.com/",
  "https://www.google.com/",
  "https://www.bing.com/",
  "https://duckduckgo.com/",
  "https://www.reddit.com/r/hiking/",
];
export const SITE = "https://liftoutfitters.example";
export const PAGES = [
  "/",
  "/collections/jackets",
  "/collections/footwear",
  "/products/trail-runner",
  "/products/rain-shell",
  "/products/merino-hoodie",
  "/blog/layering-guide",
  "/collections/sale",
];
export const PRODUCTS = [
  { id: "sku-trail", name: "Trail runner", price: 129 },
  { id: "sku-shell", name: "Rain shell", price: 189 },
  { id: "sku-hoodie", name: "Merino hoodie", price: 95 },
  { id: "sku-pack", name: "Daypack 22L", price: 79 },
  { id: "sku-bottle", name: "Insulated bottle", price: 32 },
  { id: "sku-socks", name: "Hiking socks (3)", price: 24 },
];

/** "Chloé" → "chloe": email local parts stay ASCII. */
export function ascii(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase();
}
