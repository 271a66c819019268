import type { FunnelEventRow, SourceExtent } from "../../../db/platform/queries/metrics.ts";
import type { MetricDefinition } from "./definitions.ts";
import type { FreshnessInfo } from "./freshness.ts";
import type { ComparisonSpec, Period, PeriodSpec } from "./periods.ts";

export type { FunnelEventRow, SourceExtent };

/**
 * How a question breaks down: by channel, campaign or time, or by the word of a
 * scope a capability contributes ("segment").
 */
export type Breakdown = "none" | "channel" | "campaign" | "day" | "week" | "month" | (string & {});

export const TIME_GRAINS = ["day", "week", "month"] as const;
/** Breakdowns that rank (top 5, bottom 3) and compare group by group. */
export const isGroupBreakdown = (by: Breakdown) =>
  by !== "none" && !(TIME_GRAINS as readonly string[]).includes(by);

export interface MetricFilter {
  channel?: string | undefined;
  campaignId?: string | undefined;
  /** A scope's word → one of its names ("segment" → "champions"): orders of those customers only. */
  scopes?: Record<string, string> | undefined;
}

/** Highest first ("top") or lowest first ("bottom"), keeping n groups (all when null). */
export interface Rank {
  order: "top" | "bottom";
  n: number | null;
}

export interface KpiQuery {
  metrics: string[];
  period: PeriodSpec;
  compare: ComparisonSpec;
  by: Breakdown;
  filter: MetricFilter;
  /** "top 5" / "bottom 3": a breakdown by channel, campaign or a scope ordered by the first metric and cut. */
  rank?: Rank;
  /** Metric sources asked for (`including deals`): added to orders and revenue. */
  include?: string[];
}

export type Values = Record<string, number | null>;

export interface KpiGroup {
  key: string;
  label: string;
  current: Values;
  previous: Values | null;
}

export interface KpiResult {
  query: KpiQuery;
  /** The filter in words ("Paid social", "campaign Brand search"), or null without one. */
  scope: string | null;
  metrics: MetricDefinition[];
  period: Period;
  comparison: Period | null;
  timeZone: string;
  currency: string;
  totals: {
    current: Values;
    previous: Values | null;
    change: Values;
    /** Metrics whose change rests on fewer than MIN_UNITS_FOR_CHANGE units in either period. */
    few: Record<string, boolean>;
  };
  /** Why there is no comparison for some metrics ("orders data starts Sep 3, 2026"), or null. */
  comparisonNote: string | null;
  /** One per channel, campaign or time bucket when the query breaks down. */
  groups: KpiGroup[];
  /** With a rank: how many groups there were before the cut ("top 5 of 9"). */
  rankedOf?: number;
  /** Groups whose change rests on too few units (their change is not shown). */
  fewGroups: Set<string>;
  /** Daily values of each metric over the period, aligned with the comparison's days. */
  trend: { days: string[]; current: Values[]; previous: Values[] | null };
  warnings: string[];
  freshness: FreshnessInfo;
  /** The words of the scopes capabilities contribute ("segment"), for the answer's "By segment" button. */
  scopeWords: string[];
}

export type DataExtents = Record<"events" | "orders" | "spend", SourceExtent>;

export interface SpendToDate {
  id: string;
  spendMinor: number;
  lastDay: string | null;
  days: number;
}
