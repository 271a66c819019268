import type Database from "better-sqlite3";
import type { Db } from "../../client.ts";
import { distinctPeople } from "./day-people.ts";
import { preparedFor } from "./statements.ts";

export type { Coverage, FunnelEventRow, SourceExtent } from "./extents.ts";
export {
  campaignSpendToDate,
  dataCoverage,
  dataExtents,
  funnelEvents,
  hasAnyData,
  tableCounts,
} from "./extents.ts";

/**
 * Reads for the metrics core. Whole-day questions read the daily rollups
 * (cost O(days)); the raw variants scan events and orders by timestamp and
 * serve partial days ("today so far") and the benchmark's raw-scan baseline.
 */

/** "scope": by a key a capability computes per order (segments: today's membership); orders only. */
export type Grain = "none" | "channel" | "campaign" | "day" | "week" | "month" | "scope";

/**
 * A piece of SQL with its arguments that a capability's db/ functions build
 * over the orders row `o` (a scope's filter or group key: `o.customer_id IN
 * (…)`), spliced into the figures' queries here.
 */
export interface SqlPart {
  sql: string;
  args: (string | number)[];
}

export interface DayRange {
  from: string;
  to: string;
}

/** Which base figures to read: each is a query, so read only what the metrics need. */
export interface FigureParts {
  events: boolean;
  people: boolean;
  orders: boolean;
  spend: boolean;
}

export const ALL_PARTS: FigureParts = { events: true, people: true, orders: true, spend: true };

export interface MetricFilter {
  channel?: string | undefined;
  campaignId?: string | undefined;
  /** Conditions on orders (`o`) from scopes: orders of some customers only. */
  orders?: SqlPart[] | undefined;
  /** Only what came through a campaign (a ranking of campaigns: its totals are the campaigns' own). */
  attributed?: boolean | undefined;
}

/** Base figures of one group (a channel, a campaign, a day, or everything). */
export interface BaseFigures {
  visitors: number | null;
  events: Record<string, number>;
  orders: number;
  revenueMinor: number;
  impressions: number;
  clicks: number;
  spendMinor: number;
  platformConversions: number;
}

export function emptyFigures(): BaseFigures {
  return {
    visitors: 0,
    events: {},
    orders: 0,
    revenueMinor: 0,
    impressions: 0,
    clicks: 0,
    spendMinor: 0,
    platformConversions: 0,
  };
}

function bucket(
  grain: Grain,
  dayColumn: string,
  channelColumn: string,
  campaignColumn: string | null,
  scopeKey?: SqlPart,
): string {
  switch (grain) {
    case "none":
      return "''";
    case "day":
      return dayColumn;
    // SQLite: go back six days, then forward to the next Monday (on or after): the week's Monday.
    case "week":
      return `date(${dayColumn}, '-6 days', 'weekday 1')`;
    case "month":
      return `substr(${dayColumn}, 1, 7) || '-01'`;
    case "channel":
      return channelColumn;
    case "campaign":
      return campaignColumn ?? "NULL";
    case "scope":
      if (!scopeKey) throw new Error("a scope breakdown needs its key");
      return `(${scopeKey.sql})`;
  }
}

function filters(
  filter: MetricFilter,
  channelColumn: string,
  campaignColumn: string | null,
): { sql: string; args: (string | number)[] } {
  let sql = "";
  const args: (string | number)[] = [];
  if (filter.channel) {
    sql += ` AND ${channelColumn} = ?`;
    args.push(filter.channel);
  }
  if (filter.campaignId) {
    sql += campaignColumn ? ` AND ${campaignColumn} = ?` : " AND 0";
    if (campaignColumn) args.push(filter.campaignId);
  }
  if (filter.attributed)
    sql += campaignColumn ? ` AND ${campaignColumn} IS NOT NULL AND ${campaignColumn} <> ''` : " AND 0";
  return { sql, args };
}

function figuresFor(map: Map<string, BaseFigures>, key: string | null): BaseFigures {
  const k = key ?? "";
  let figures = map.get(k);
  if (!figures) {
    figures = emptyFigures();
    map.set(k, figures);
  }
  return figures;
}

type Statement = Database.Statement<unknown[]>;
const cachedStatements = preparedFor(() => new Map<string, Statement>());

export function statement(db: Db, sql: string): Statement {
  const cache = cachedStatements(db);
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.sqlite.prepare<unknown[]>(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}

type Group = (...more: string[]) => string;

/** Where figures come from: the daily rollups (whole days) or the raw rows (any window). */
interface FigureSource {
  /** Whole days (rollups: people from the day sets) or raw rows. */
  kind: "rollups" | "raw";
  /** The period condition; its arguments come first. */
  where: string;
  args: (string | number)[];
  /** `group` writes the GROUP BY clause: none at all for a plain total (a constant key costs a sort). */
  events(key: string, where: string, group: Group): string;
  /** `filter` is separate: on raw rows it applies after each person-day's first event is found. */
  people(key: string, where: string, filter: string, group: Group): string;
  orders(key: string, where: string, group: Group): string;
}

const ROLLUPS = (range: DayRange): FigureSource => ({
  kind: "rollups",
  where: "day BETWEEN ? AND ?",
  args: [range.from, range.to],
  events: (k, w, g) =>
    `SELECT ${k} AS k, event_key AS e, sum(count) AS n FROM daily_events WHERE ${w}${g("e")}`,
  // Whole days' people come from the day sets (day-people.ts), not from SQL.
  people: () => {
    throw new Error("people over whole days are read from the day sets");
  },
  orders: (k, w, g) =>
    `SELECT ${k} AS k, sum(orders) AS n, sum(revenue_minor) AS r FROM daily_orders o WHERE ${w}${g()}`,
});

/** Orders by customer (a scope's filter or breakdown): the rollups have no customers, so the orders table, by day. */
const ORDERS_BY_DAY = (k: string, w: string, g: Group) =>
  `SELECT ${k} AS k, count(*) AS n, sum(o.amount_minor) AS r FROM orders o WHERE ${w}${g()}`;

const RAW = (window: { fromMs: number; toMs: number }): FigureSource => ({
  kind: "raw",
  where: "timestamp >= ? AND timestamp < ?",
  args: [window.fromMs, window.toMs],
  events: (k, w, g) =>
    `SELECT ${k} AS k, CASE type WHEN 'track' THEN event WHEN 'page' THEN '$page' ELSE '$identify' END AS e, count(*) AS n
     FROM events WHERE ${w}${g("e")}`,
  // Same rule as daily_people: a person's day counts for the channel of their earliest event that day.
  people: (k, w, f, g) =>
    `SELECT ${k} AS k, count(DISTINCT person_id) AS n FROM (
       SELECT day, person_id, channel, row_number() OVER (PARTITION BY day, person_id ORDER BY timestamp, channel) AS first
       FROM events WHERE ${w}) WHERE first = 1${f}${g()}`,
  orders: (k, w, g) =>
    `SELECT ${k} AS k, count(*) AS n, sum(amount_minor) AS r FROM orders o WHERE ${w}${g()}`,
});

async function readFigures(
  db: Db,
  source: FigureSource,
  range: DayRange,
  grain: Grain,
  filter: MetricFilter,
  parts: FigureParts,
  scopeKey?: SqlPart,
): Promise<Map<string, BaseFigures>> {
  const out = new Map<string, BaseFigures>();
  const scoped = grain === "scope" || (filter.orders?.length ?? 0) > 0;
  // Only orders know their customer: events, people and spend are never read by a scope.
  const withoutEvents = grain === "campaign" || filter.campaignId !== undefined || scoped;
  const group: Group = (...more) => {
    const keys = grain === "none" ? more : ["k", ...more];
    return keys.length > 0 ? ` GROUP BY ${keys.join(", ")}` : "";
  };
  const rows = <T>(sql: string, args: (string | number)[]) => statement(db, sql).all(...args) as T[];
  if (!withoutEvents && parts.events) {
    const f = filters(filter, "channel", null);
    const key = bucket(grain, "day", "channel", null);
    const events = rows<{ k: string; e: string; n: number }>(
      source.events(key, source.where + f.sql, group),
      [...source.args, ...f.args],
    );
    for (const row of events) figuresFor(out, row.k).events[row.e] = row.n;
  }
  if (!withoutEvents && parts.people && source.kind === "rollups") {
    const counts = distinctPeople(db, { from: range.from, to: range.to, grain, channel: filter.channel });
    for (const [key, n] of counts) figuresFor(out, key).visitors = n;
  } else if (!withoutEvents && parts.people) {
    const f = filters(filter, "channel", null);
    const key = bucket(grain, "day", "channel", null);
    const people = rows<{ k: string; n: number }>(source.people(key, source.where, f.sql, group), [
      ...source.args,
      ...f.args,
    ]);
    for (const row of people) figuresFor(out, row.k).visitors = row.n;
  }
  if (parts.orders) {
    const f = filters(filter, "o.channel", "o.campaign_id");
    const key = bucket(grain, "o.day", "o.channel", "nullif(o.campaign_id, '')", scopeKey);
    for (const part of filter.orders ?? []) {
      f.sql += ` AND (${part.sql})`;
      f.args.push(...part.args);
    }
    // The key's arguments come first: it is the SELECT's first column.
    const keyArgs = grain === "scope" ? (scopeKey?.args ?? []) : [];
    const orders = rows<{ k: string | null; n: number | null; r: number | null }>(
      scoped && source.kind === "rollups"
        ? ORDERS_BY_DAY(key, source.where + f.sql, group)
        : source.orders(key, source.where + f.sql, group),
      [...keyArgs, ...source.args, ...f.args],
    );
    for (const row of orders) {
      // A plain total over no rows is one row of NULLs.
      if (row.n === null) continue;
      const figures = figuresFor(out, row.k);
      figures.orders = row.n;
      figures.revenueMinor = row.r ?? 0;
    }
  }
  if (parts.spend && !scoped) {
    // Spend is reported per day, so it always comes from whole days.
    const f = filters(filter, "c.channel", "d.campaign_id");
    const spend = rows<{ k: string; i: number | null; c: number; s: number; v: number }>(
      `SELECT ${bucket(grain, "d.day", "c.channel", "d.campaign_id")} AS k, sum(d.impressions) AS i, sum(d.clicks) AS c,
              sum(d.spend_minor) AS s, sum(d.conversions) AS v
       FROM campaign_daily d JOIN campaigns c ON c.id = d.campaign_id
       WHERE d.day BETWEEN ? AND ?${f.sql}${group()}`,
      [range.from, range.to, ...f.args],
    );
    for (const row of spend) {
      if (row.i === null) continue;
      const figures = figuresFor(out, row.k);
      figures.impressions = row.i;
      figures.clicks = row.c;
      figures.spendMinor = row.s;
      figures.platformConversions = row.v;
    }
  }
  if (withoutEvents) for (const figures of out.values()) figures.visitors = null;
  return out;
}

/** Figures per group over whole days, from the rollups. Visitors are exact distinct people per group. */
export async function figuresFromRollups(
  db: Db,
  range: DayRange,
  grain: Grain,
  filter: MetricFilter = {},
  parts: FigureParts = ALL_PARTS,
  scopeKey?: SqlPart,
): Promise<Map<string, BaseFigures>> {
  return readFigures(db, ROLLUPS(range), range, grain, filter, parts, scopeKey);
}

/**
 * The same figures from raw events and orders between two instants (today so
 * far, and the benchmark's raw-scan baseline). Spend comes from the whole days of `range`.
 */
export async function figuresFromRaw(
  db: Db,
  window: { fromMs: number; toMs: number },
  range: DayRange,
  grain: Grain,
  filter: MetricFilter = {},
  parts: FigureParts = ALL_PARTS,
  scopeKey?: SqlPart,
): Promise<Map<string, BaseFigures>> {
  return readFigures(db, RAW(window), range, grain, filter, parts, scopeKey);
}

/** Whether an order (the orders row `o`) is its customer's first: "new", "returning", or "(no customer)". */
export function customerTypeOfOrder(): SqlPart {
  return {
    sql: `CASE WHEN o.customer_id IS NULL OR o.customer_id = '' THEN '(no customer)'
  WHEN EXISTS (SELECT 1 FROM orders e WHERE e.customer_id = o.customer_id
               AND (e.timestamp < o.timestamp OR (e.timestamp = o.timestamp AND e.id < o.id))) THEN 'returning'
  ELSE 'new' END`,
    args: [],
  };
}
