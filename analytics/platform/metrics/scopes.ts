import type { SqlPart } from "../../../db/platform/queries/metrics.ts";

export type { SqlPart };

/**
 * A filter and breakdown of KPIs by something a capability knows of customers
 * ("for segment champions", "by segment"). Only orders carry a customer, so a
 * scope reads orders, revenue and AOV; the SQL parts are built by the
 * capability's own db/ functions over the orders row `o` (its `o.customer_id`).
 */
export interface KpiScope {
  /** The word in questions and commands: "segment" (`for segment NAME`, `segment "name"`, `by segment`). */
  word: string;
  /** Its plural, for "top 5 segments" and "by segments". */
  plural: string;
  /** What questions may name after the word (segment names), for the grammar and typo correction. */
  names(): Promise<string[]>;
  /** The orders of one ("champions"); throws not_found when there is none. The note is said in the answer. */
  filter(name: string): Promise<{ where: SqlPart; note: string }>;
  /** Every order's group and each group's label; throws when the groups are not known yet. */
  breakdown(): Promise<{ key: SqlPart; labels: Map<string, string>; note: string }>;
}

/** Revenue and orders of one group, from a metric source. */
export interface SourceFigures {
  orders: number;
  revenueMinor: number;
}

/**
 * Figures from another kind of record than shop orders (a CRM's closed-won
 * deals as revenue), kept out of revenue unless a question asks for them
 * (`… including deals`); the answer says what they would add.
 */
export interface MetricSource {
  /** The word in questions: "deals" (`including deals`). */
  word: string;
  /** What one is called in a sentence: "closed-won deal". */
  noun: string;
  /** Its figures over whole days, grouped as the question breaks down (channel, campaign, day …). */
  read(
    range: { from: string; to: string },
    by: string,
    filter: { channel?: string | undefined; campaignId?: string | undefined },
  ): Promise<Map<string, SourceFigures>>;
}
