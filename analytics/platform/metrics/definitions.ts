import type { BaseFigures } from "../../../db/platform/queries/metrics.ts";
import type { ValueFormat } from "../charts/spec.ts";

/**
 * Every KPI Lift reports, defined once. README.md ("Definitions") documents
 * the same formulas; keep them in step.
 */
export interface MetricDefinition {
  key: string;
  label: string;
  synonyms: string[];
  format: ValueFormat;
  /** Whether a rise is good news (revenue), bad news (CPA) or neither (spend). */
  better: "up" | "down" | "neither";
  /** What data it needs: used to say "no data" instead of zero. */
  needs: ("events" | "orders" | "spend")[];
  /** null when it cannot be computed (a ratio over zero). Money metrics are in minor units. */
  compute(figures: BaseFigures): number | null;
  /** Adds up across groups (a total row makes sense). */
  additive: boolean;
  /**
   * The count a change of this metric rests on (orders for revenue and AOV,
   * visitors, signups, clicks…): below MIN_UNITS_FOR_CHANGE in either period a
   * change is "few data". None for spend, which is not a count of anything.
   */
  units?: (figures: BaseFigures) => number | null;
  /** Those units in words ("orders"). */
  unitsLabel?: string;
  description: string;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const event = (figures: BaseFigures, key: string) => figures.events[key] ?? 0;

export const METRICS: MetricDefinition[] = [
  {
    key: "visitors",
    label: "Visitors",
    synonyms: ["visitors", "users", "active users", "people", "traffic", "uniques", "unique visitors"],
    format: "count",
    better: "up",
    needs: ["events"],
    compute: (f) => f.visitors,
    additive: false,
    units: (f) => f.visitors,
    unitsLabel: "visitors",
    description: "distinct people (userId, else anonymousId) with any event in the period",
  },
  {
    key: "pageviews",
    label: "Pageviews",
    synonyms: ["pageviews", "page views", "views", "pages"],
    format: "count",
    better: "up",
    needs: ["events"],
    compute: (f) => event(f, "$page"),
    additive: true,
    units: (f) => event(f, "$page"),
    unitsLabel: "pageviews",
    description: "page calls",
  },
  {
    key: "signups",
    label: "Signups",
    synonyms: ["signups", "sign ups", "sign-ups", "registrations", "signed up", "new users"],
    format: "count",
    better: "up",
    needs: ["events"],
    compute: (f) => event(f, "Signed Up"),
    additive: true,
    units: (f) => event(f, "Signed Up"),
    unitsLabel: "signups",
    description: "Signed Up events",
  },
  {
    key: "orders",
    label: "Orders",
    synonyms: ["orders", "purchases", "transactions", "conversions", "sales count"],
    format: "count",
    better: "up",
    needs: ["orders"],
    compute: (f) => f.orders,
    additive: true,
    units: (f) => f.orders,
    unitsLabel: "orders",
    description: "orders (imported, or Order Completed events keyed by order_id)",
  },
  {
    key: "revenue",
    label: "Revenue",
    synonyms: ["revenue", "sales", "income", "gmv", "turnover"],
    format: "money",
    better: "up",
    needs: ["orders"],
    compute: (f) => f.revenueMinor,
    additive: true,
    units: (f) => f.orders,
    unitsLabel: "orders",
    description: "sum of order amounts in the reporting currency",
  },
  {
    key: "aov",
    label: "AOV",
    synonyms: ["aov", "average order value", "basket size", "avg order value"],
    format: "money",
    better: "up",
    needs: ["orders"],
    compute: (f) => ratio(f.revenueMinor, f.orders),
    additive: false,
    units: (f) => f.orders,
    unitsLabel: "orders",
    description: "revenue ÷ orders",
  },
  {
    key: "conversion_rate",
    label: "Conversion rate",
    synonyms: ["conversion rate", "conversion", "cr", "cvr", "conv rate"],
    format: "percent",
    better: "up",
    needs: ["events", "orders"],
    compute: (f) => (f.visitors === null ? null : ratio(f.orders, f.visitors)),
    additive: false,
    units: (f) => (f.visitors === null ? null : Math.min(f.orders, f.visitors)),
    unitsLabel: "orders",
    description: "orders ÷ visitors",
  },
  {
    key: "spend",
    label: "Spend",
    synonyms: ["spend", "cost", "ad spend", "costs", "budget spent"],
    format: "money",
    better: "neither",
    needs: ["spend"],
    compute: (f) => f.spendMinor,
    additive: true,
    description: "campaign spend as the ad platforms report it",
  },
  {
    key: "impressions",
    label: "Impressions",
    synonyms: ["impressions", "impr", "reach"],
    format: "count",
    better: "up",
    needs: ["spend"],
    compute: (f) => f.impressions,
    additive: true,
    units: (f) => f.impressions,
    unitsLabel: "impressions",
    description: "campaign impressions",
  },
  {
    key: "clicks",
    label: "Clicks",
    synonyms: ["clicks", "ad clicks"],
    format: "count",
    better: "up",
    needs: ["spend"],
    compute: (f) => f.clicks,
    additive: true,
    units: (f) => f.clicks,
    unitsLabel: "clicks",
    description: "campaign clicks",
  },
  {
    key: "cpc",
    label: "CPC",
    synonyms: ["cpc", "cost per click"],
    format: "money",
    better: "down",
    needs: ["spend"],
    compute: (f) => ratio(f.spendMinor, f.clicks),
    additive: false,
    units: (f) => f.clicks,
    unitsLabel: "clicks",
    description: "spend ÷ clicks",
  },
  {
    key: "ctr",
    label: "CTR",
    synonyms: ["ctr", "click through rate", "click-through rate"],
    format: "percent",
    better: "up",
    needs: ["spend"],
    compute: (f) => ratio(f.clicks, f.impressions),
    additive: false,
    units: (f) => f.clicks,
    unitsLabel: "clicks",
    description: "clicks ÷ impressions",
  },
  {
    key: "cpa",
    label: "CPA",
    synonyms: ["cpa", "cac", "cost per acquisition", "cost per order", "customer acquisition cost"],
    format: "money",
    better: "down",
    needs: ["spend", "orders"],
    compute: (f) => (f.spendMinor === 0 ? null : ratio(f.spendMinor, f.orders)),
    additive: false,
    units: (f) => f.orders,
    unitsLabel: "orders",
    description: "spend ÷ orders in the same channel or campaign (blended over all orders for the total)",
  },
  {
    key: "roas",
    label: "ROAS",
    synonyms: ["roas", "return on ad spend"],
    format: "multiple",
    better: "up",
    needs: ["spend", "orders"],
    compute: (f) => ratio(f.revenueMinor, f.spendMinor),
    additive: false,
    units: (f) => f.orders,
    unitsLabel: "orders",
    description: "revenue ÷ spend in the same channel or campaign (blended for the total)",
  },
];

const BY_KEY = new Map(METRICS.map((metric) => [metric.key, metric]));

/** A metric by key, or the count of any event ("event:Product Added"). */
export function metricByKey(key: string): MetricDefinition | null {
  const known = BY_KEY.get(key);
  if (known) return known;
  if (key.startsWith("event:")) return eventMetric(key.slice("event:".length));
  return null;
}

export function eventMetric(name: string): MetricDefinition {
  return {
    key: `event:${name}`,
    label: name,
    synonyms: [name.toLowerCase()],
    format: "count",
    better: "up",
    needs: ["events"],
    compute: (f) => event(f, name),
    additive: true,
    units: (f) => event(f, name),
    unitsLabel: `“${name}” events`,
    description: `${name} events`,
  };
}

/** Finds a metric by any of its names ("cac" → cpa, "sales" → revenue). */
export function findMetric(words: string): MetricDefinition | null {
  const text = words.trim().toLowerCase().replace(/\s+/g, " ");
  for (const metric of METRICS) if (metric.key === text || metric.synonyms.includes(text)) return metric;
  return null;
}

export const DEFAULT_METRICS = ["visitors", "orders", "revenue", "conversion_rate", "aov", "spend", "roas"];
