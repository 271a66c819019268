import type { KpiQuery } from "../../../../analytics/platform/metrics/kpis.ts";

/**
 * Phrasings the KPI grammar must read, with the query each reads to (order of
 * words does not matter; synonyms do). The grammar test reads them; the ask
 * test checks that, as a fallback, ask gives every one the same answer as before.
 */
export const today = "2026-11-24"; // a Tuesday
const D30 = { kind: "last_days", n: 30 } as const;
const q = (partial: Partial<KpiQuery>): KpiQuery => ({
  metrics: [],
  period: D30,
  compare: "previous",
  by: "none",
  filter: {},
  ...partial,
});

// Each phrasing with the query it must read to. Order of words does not matter; synonyms do.
export const PHRASINGS: [string, KpiQuery][] = [
  // metrics alone, and their synonyms
  ["revenue", q({ metrics: ["revenue"] })],
  ["sales", q({ metrics: ["revenue"] })],
  ["GMV", q({ metrics: ["revenue"] })],
  ["orders", q({ metrics: ["orders"] })],
  ["purchases", q({ metrics: ["orders"] })],
  ["transactions", q({ metrics: ["orders"] })],
  ["visitors", q({ metrics: ["visitors"] })],
  ["active users", q({ metrics: ["visitors"] })],
  ["traffic", q({ metrics: ["visitors"] })],
  ["unique visitors", q({ metrics: ["visitors"] })],
  ["pageviews", q({ metrics: ["pageviews"] })],
  ["page views", q({ metrics: ["pageviews"] })],
  ["signups", q({ metrics: ["signups"] })],
  ["sign ups", q({ metrics: ["signups"] })],
  ["registrations", q({ metrics: ["signups"] })],
  ["conversion rate", q({ metrics: ["conversion_rate"] })],
  ["cvr", q({ metrics: ["conversion_rate"] })],
  ["aov", q({ metrics: ["aov"] })],
  ["average order value", q({ metrics: ["aov"] })],
  ["spend", q({ metrics: ["spend"] })],
  ["ad spend", q({ metrics: ["spend"] })],
  ["cost", q({ metrics: ["spend"] })],
  ["impressions", q({ metrics: ["impressions"] })],
  ["clicks", q({ metrics: ["clicks"] })],
  ["cpc", q({ metrics: ["cpc"] })],
  ["cost per click", q({ metrics: ["cpc"] })],
  ["ctr", q({ metrics: ["ctr"] })],
  ["click-through rate", q({ metrics: ["ctr"] })],
  ["cpa", q({ metrics: ["cpa"] })],
  ["CAC", q({ metrics: ["cpa"] })],
  ["customer acquisition cost", q({ metrics: ["cpa"] })],
  ["roas", q({ metrics: ["roas"] })],
  ["return on ad spend", q({ metrics: ["roas"] })],
  ['"Product Added"', q({ metrics: ["event:Product Added"] })],
  ['event:"Checkout Started"', q({ metrics: ["event:Checkout Started"] })],
  ["event:Subscribed", q({ metrics: ["event:Subscribed"] })],
  ["", q({})],
  ["kpis", q({})],
  // several metrics
  ["revenue and orders", q({ metrics: ["revenue", "orders"] })],
  ["revenue, orders, aov", q({ metrics: ["revenue", "orders", "aov"] })],
  ["spend & roas", q({ metrics: ["spend", "roas"] })],
  ["signups + conversion rate", q({ metrics: ["conversion_rate", "signups"] })],
  ["revenue orders", q({ metrics: ["revenue", "orders"] })],
  // periods
  ["revenue last 30 days", q({ metrics: ["revenue"] })],
  ["revenue in the last 7 days", q({ metrics: ["revenue"], period: { kind: "last_days", n: 7 } })],
  ["revenue over the past 14 days", q({ metrics: ["revenue"], period: { kind: "last_days", n: 14 } })],
  ["revenue last seven days", q({ metrics: ["revenue"], period: { kind: "last_days", n: 7 } })],
  ["revenue last 90d", q({ metrics: ["revenue"], period: { kind: "last_days", n: 90 } })],
  ["revenue 7d", q({ metrics: ["revenue"], period: { kind: "last_days", n: 7 } })],
  ["revenue past week", q({ metrics: ["revenue"], period: { kind: "last_days", n: 7 } })],
  ["revenue past month", q({ metrics: ["revenue"], period: { kind: "last_days", n: 30 } })],
  // "past/last N weeks" are rolling complete days, like "past week"; whole weeks are "calendar weeks".
  ["revenue last 2 weeks", q({ metrics: ["revenue"], period: { kind: "last_days", n: 14 } })],
  ["revenue past 2 weeks", q({ metrics: ["revenue"], period: { kind: "last_days", n: 14 } })],
  ["revenue past week", q({ metrics: ["revenue"], period: { kind: "last_days", n: 7 } })],
  ["revenue last 2 calendar weeks", q({ metrics: ["revenue"], period: { kind: "last_weeks", n: 2 } })],
  ["revenue last 3 months", q({ metrics: ["revenue"], period: { kind: "last_months", n: 3 } })],
  ["revenue last twelve months", q({ metrics: ["revenue"], period: { kind: "last_months", n: 12 } })],
  ["revenue today", q({ metrics: ["revenue"], period: { kind: "today" } })],
  ["today's revenue", q({ metrics: ["revenue"], period: { kind: "today" } })],
  ["revenue so far today", q({ metrics: ["revenue"], period: { kind: "today" } })],
  ["revenue yesterday", q({ metrics: ["revenue"], period: { kind: "yesterday" } })],
  ["yesterday's orders", q({ metrics: ["orders"], period: { kind: "yesterday" } })],
  ["revenue this week", q({ metrics: ["revenue"], period: { kind: "this_week" } })],
  ["revenue this month", q({ metrics: ["revenue"], period: { kind: "this_month" } })],
  ["revenue month to date", q({ metrics: ["revenue"], period: { kind: "this_month" } })],
  ["revenue mtd", q({ metrics: ["revenue"], period: { kind: "this_month" } })],
  ["revenue this quarter", q({ metrics: ["revenue"], period: { kind: "this_quarter" } })],
  ["revenue ytd", q({ metrics: ["revenue"], period: { kind: "this_year" } })],
  ["revenue this year", q({ metrics: ["revenue"], period: { kind: "this_year" } })],
  ["revenue last week", q({ metrics: ["revenue"], period: { kind: "last_week" } })],
  ["revenue last month", q({ metrics: ["revenue"], period: { kind: "last_month" } })],
  ["revenue previous month", q({ metrics: ["revenue"], period: { kind: "last_month" } })],
  ["revenue last quarter", q({ metrics: ["revenue"], period: { kind: "last_quarter" } })],
  [
    "revenue last year",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2025-01-01", to: "2025-12-31" } }),
  ],
  [
    "revenue in october",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-10-01", to: "2026-10-31" } }),
  ],
  [
    "revenue oct",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-10-01", to: "2026-10-31" } }),
  ],
  [
    "revenue in december",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2025-12-01", to: "2025-12-31" } }),
  ],
  ["revenue in november", q({ metrics: ["revenue"], period: { kind: "this_month" } })],
  [
    "revenue september 2025",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2025-09-01", to: "2025-09-30" } }),
  ],
  [
    "revenue in may",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-05-01", to: "2026-05-31" } }),
  ],
  [
    "revenue 2026-10-01..2026-10-15",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-10-01", to: "2026-10-15" } }),
  ],
  [
    "revenue from 2026-10-01 to 2026-10-15",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-10-01", to: "2026-10-15" } }),
  ],
  [
    "revenue between 2026-10-01 and 2026-10-15",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-10-01", to: "2026-10-15" } }),
  ],
  [
    "revenue since 2026-11-01",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-11-01", to: "2026-11-23" } }),
  ],
  [
    "revenue on 2026-11-02",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-11-02", to: "2026-11-02" } }),
  ],
  // breakdowns
  ["revenue by channel", q({ metrics: ["revenue"], by: "channel" })],
  ["revenue by channels", q({ metrics: ["revenue"], by: "channel" })],
  ["revenue per channel", q({ metrics: ["revenue"], by: "channel" })],
  ["revenue by source", q({ metrics: ["revenue"], by: "channel" })],
  ["revenue split by campaign", q({ metrics: ["revenue"], by: "campaign" })],
  ["revenue broken down by campaign", q({ metrics: ["revenue"], by: "campaign" })],
  ["revenue for each campaign", q({ metrics: ["revenue"], by: "campaign" })],
  ["revenue by day", q({ metrics: ["revenue"], by: "day" })],
  ["daily revenue", q({ metrics: ["revenue"], by: "day" })],
  ["revenue weekly", q({ metrics: ["revenue"], by: "week" })],
  ["revenue by week", q({ metrics: ["revenue"], by: "week" })],
  ["monthly revenue", q({ metrics: ["revenue"], by: "month" })],
  ["revenue month by month", q({ metrics: ["revenue"], by: "month" })],
  // comparisons
  ["revenue vs last year", q({ metrics: ["revenue"], compare: "last_year" })],
  ["revenue yoy", q({ metrics: ["revenue"], compare: "last_year" })],
  ["revenue year over year", q({ metrics: ["revenue"], compare: "last_year" })],
  ["revenue compared to the same period last year", q({ metrics: ["revenue"], compare: "last_year" })],
  ["revenue vs previous period", q({ metrics: ["revenue"] })],
  ["revenue versus the prior period", q({ metrics: ["revenue"] })],
  ["revenue this month vs last month", q({ metrics: ["revenue"], period: { kind: "this_month" } })],
  [
    "revenue last week compared with the week before",
    q({ metrics: ["revenue"], period: { kind: "last_week" } }),
  ],
  ["revenue wow", q({ metrics: ["revenue"] })],
  ["revenue no comparison", q({ metrics: ["revenue"], compare: "none" })],
  ["revenue without comparison", q({ metrics: ["revenue"], compare: "none" })],
  // filters
  ["revenue for email", q({ metrics: ["revenue"], filter: { channel: "email" } })],
  ["revenue from paid search", q({ metrics: ["revenue"], filter: { channel: "paid_search" } })],
  ["revenue on paid social", q({ metrics: ["revenue"], filter: { channel: "paid_social" } })],
  ["revenue via affiliates", q({ metrics: ["revenue"], filter: { channel: "affiliate" } })],
  ["revenue in organic", q({ metrics: ["revenue"], filter: { channel: "organic" } })],
  ["revenue for seo", q({ metrics: ["revenue"], filter: { channel: "organic" } })],
  ["revenue for ppc", q({ metrics: ["revenue"], filter: { channel: "paid_search" } })],
  ["revenue email only", q({ metrics: ["revenue"], filter: { channel: "email" } })],
  ["revenue channel referral", q({ metrics: ["revenue"], filter: { channel: "referral" } })],
  ["revenue for campaign ps-brand", q({ metrics: ["revenue"], filter: { campaignId: "ps-brand" } })],
  ['spend campaign "Brand search"', q({ metrics: ["spend"], filter: { campaignId: "Brand search" } })],
  // everything together, in any order
  ["revenue last 30 days by channel", q({ metrics: ["revenue"], by: "channel" })],
  ["by channel revenue last 30 days", q({ metrics: ["revenue"], by: "channel" })],
  [
    "signups and orders this month vs last year",
    q({ metrics: ["signups", "orders"], period: { kind: "this_month" }, compare: "last_year" }),
  ],
  [
    "cpa for paid search by campaign yesterday",
    q({
      metrics: ["cpa"],
      period: { kind: "yesterday" },
      by: "campaign",
      filter: { channel: "paid_search" },
    }),
  ],
  ["what was our revenue yesterday?", q({ metrics: ["revenue"], period: { kind: "yesterday" } })],
  ["how many orders did we get last week", q({ metrics: ["orders"], period: { kind: "last_week" } })],
  [
    "show me spend and roas by campaign this month",
    q({ metrics: ["spend", "roas"], period: { kind: "this_month" }, by: "campaign" }),
  ],
  [
    "weekly conversion rate for email over the last 12 calendar weeks",
    q({
      metrics: ["conversion_rate"],
      period: { kind: "last_weeks", n: 12 },
      by: "week",
      filter: { channel: "email" },
    }),
  ],
  [
    '"Product Added" daily since 2026-09-01',
    q({
      metrics: ["event:Product Added"],
      period: { kind: "range", from: "2026-09-01", to: "2026-11-23" },
      by: "day",
    }),
  ],
  [
    "Revenue, AOV and CVR by Channel — last 14 days",
    q({
      metrics: ["revenue", "aov", "conversion_rate"],
      period: { kind: "last_days", n: 14 },
      by: "channel",
    }),
  ],
  [
    "give me clicks ctr cpc for paid social by day last 7 days",
    q({
      metrics: ["ctr", "cpc", "clicks"],
      period: { kind: "last_days", n: 7 },
      by: "day",
      filter: { channel: "paid_social" },
    }),
  ],
  [
    "tell me total sales ytd yoy",
    q({ metrics: ["revenue"], period: { kind: "this_year" }, compare: "last_year" }),
  ],
  // ranks: "top 5 campaigns", "bottom 3", with or without what they rank
  [
    "roas last 30 days by campaign top 5",
    q({ metrics: ["roas"], by: "campaign", rank: { order: "top", n: 5 } }),
  ],
  ["top 5 campaigns by roas", q({ metrics: ["roas"], by: "campaign", rank: { order: "top", n: 5 } })],
  ["cpa by channel bottom", q({ metrics: ["cpa"], by: "channel", rank: { order: "bottom", n: null } })],
  [
    "bottom three channels orders",
    q({ metrics: ["orders"], by: "channel", rank: { order: "bottom", n: 3 } }),
  ],
  // comparisons with a named period, and with the same days a week before
  [
    "revenue in november vs october",
    q({
      metrics: ["revenue"],
      period: { kind: "this_month" },
      compare: { from: "2026-10-01", to: "2026-10-31" },
    }),
  ],
  [
    "orders in october compared to september",
    q({
      metrics: ["orders"],
      period: { kind: "range", from: "2026-10-01", to: "2026-10-31" },
      compare: { from: "2026-09-01", to: "2026-09-30" },
    }),
  ],
  [
    "revenue yesterday vs same day last week",
    q({ metrics: ["revenue"], period: { kind: "yesterday" }, compare: "week_before" }),
  ],
  [
    "signups last 7 days vs same days a week before",
    q({ metrics: ["signups"], period: { kind: "last_days", n: 7 }, compare: "week_before" }),
  ],
  [
    "visitors 2026-11-01..2026-11-07 vs 2026-10-01..2026-10-07",
    q({
      metrics: ["visitors"],
      period: { kind: "range", from: "2026-11-01", to: "2026-11-07" },
      compare: { from: "2026-10-01", to: "2026-10-07" },
    }),
  ],
  // quarters by name
  [
    "revenue in q3",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-07-01", to: "2026-09-30" } }),
  ],
  ["orders q4", q({ metrics: ["orders"], period: { kind: "this_quarter" } })],
  [
    "revenue in the first quarter of 2025 vs q1 2024",
    q({
      metrics: ["revenue"],
      period: { kind: "range", from: "2025-01-01", to: "2025-03-31" },
      compare: { from: "2024-01-01", to: "2024-03-31" },
    }),
  ],
  // the latest whole weekend; "same week last year"
  [
    "revenue last weekend",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-11-21", to: "2026-11-22" } }),
  ],
  [
    "orders this week vs same week last year",
    q({ metrics: ["orders"], period: { kind: "this_week" }, compare: "last_year" }),
  ],
  // a weekday: the latest one before today (today is Tuesday 2026-11-24)
  [
    "orders on friday",
    q({ metrics: ["orders"], period: { kind: "range", from: "2026-11-20", to: "2026-11-20" } }),
  ],
  [
    "revenue last tuesday",
    q({ metrics: ["revenue"], period: { kind: "range", from: "2026-11-17", to: "2026-11-17" } }),
  ],
];
