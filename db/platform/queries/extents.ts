import type { Db } from "../../client.ts";
import { type DayRange, statement } from "./metrics.ts";

export interface Coverage {
  /** Days in the range that have any data of this kind. */
  events: Set<string>;
  orders: Set<string>;
  spend: Set<string>;
}

/** Which days in a range have data at all: tells "no data" apart from "zero". */
export async function dataCoverage(db: Db, range: DayRange): Promise<Coverage> {
  const days = (sql: string) =>
    new Set((statement(db, sql).all(range.from, range.to) as { day: string }[]).map((row) => row.day));
  return {
    events: days("SELECT DISTINCT day FROM daily_events WHERE day BETWEEN ? AND ?"),
    orders: days("SELECT DISTINCT day FROM daily_orders WHERE day BETWEEN ? AND ? AND orders <> 0"),
    spend: days("SELECT DISTINCT day FROM campaign_daily WHERE day BETWEEN ? AND ?"),
  };
}

export interface SourceExtent {
  firstDay: string | null;
  lastDay: string | null;
  lastReceivedAt: number | null;
}

/** First and last day with data, and when each source last delivered. */
export async function dataExtents(db: Db): Promise<Record<"events" | "orders" | "spend", SourceExtent>> {
  const extent = (sql: string, key: string): SourceExtent => {
    const row = statement(db, sql).get() as { first: string | null; last: string | null };
    const received = statement(db, "SELECT value FROM meta WHERE key = ?").get(`received:${key}`) as
      | { value: string }
      | undefined;
    return {
      firstDay: row.first,
      lastDay: row.last,
      lastReceivedAt: received ? Number(received.value) : null,
    };
  };
  return {
    events: extent("SELECT min(day) AS first, max(day) AS last FROM daily_events", "events"),
    orders: extent(
      "SELECT min(day) AS first, max(day) AS last FROM daily_orders WHERE orders <> 0",
      "orders",
    ),
    spend: extent("SELECT min(day) AS first, max(day) AS last FROM campaign_daily", "campaigns"),
  };
}

/** Whether any events or orders are stored: one index probe each, not a count. */
export async function hasAnyData(db: Db): Promise<boolean> {
  const row = statement(
    db,
    "SELECT EXISTS (SELECT 1 FROM events) OR EXISTS (SELECT 1 FROM orders) AS any",
  ).get() as {
    any: number;
  };
  return row.any === 1;
}

/** Row counts for the status page. */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const count = (table: string) =>
    (statement(db, `SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    events: count("events"),
    people: count("people"),
    customers: count("customers"),
    orders: count("orders"),
    campaigns: count("campaigns"),
  };
}

export interface FunnelEventRow {
  personId: string;
  eventKey: string;
  timestamp: number;
  channel: string;
}

/** Every occurrence of the given steps between two instants, ordered by person and time (for funnels). */
export async function funnelEvents(
  db: Db,
  eventKeys: string[],
  window: { fromMs: number; toMs: number },
): Promise<FunnelEventRow[]> {
  const wantsPage = eventKeys.includes("$page");
  const names = eventKeys.filter((key) => key !== "$page");
  const clauses: string[] = [];
  if (names.length > 0) clauses.push(`(type = 'track' AND event IN (${names.map(() => "?").join(", ")}))`);
  if (wantsPage) clauses.push("type = 'page'");
  if (clauses.length === 0) return [];
  return statement(
    db,
    `SELECT person_id AS personId, CASE type WHEN 'page' THEN '$page' ELSE event END AS eventKey, timestamp, channel
     FROM events WHERE timestamp >= ? AND timestamp < ? AND (${clauses.join(" OR ")})
     ORDER BY person_id, timestamp`,
  ).all(window.fromMs, window.toMs, ...names) as FunnelEventRow[];
}

/** Spend per campaign from its start (or `from`) through `to`, for budget pacing. */
export async function campaignSpendToDate(
  db: Db,
  to: string,
): Promise<{ id: string; spendMinor: number; lastDay: string | null; days: number }[]> {
  return statement(
    db,
    `SELECT c.id AS id, coalesce(sum(d.spend_minor), 0) AS spendMinor, max(d.day) AS lastDay, count(d.day) AS days
     FROM campaigns c LEFT JOIN campaign_daily d ON d.campaign_id = c.id
       AND d.day >= coalesce(c.start_day, '0000-00-00') AND d.day <= ?
     GROUP BY c.id`,
  ).all(to) as { id: string; spendMinor: number; lastDay: string | null; days: number }[];
}
