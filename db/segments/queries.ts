import { dbOf, type Tables } from "../client.ts";
import type { SqlPart } from "../platform/queries/metrics.ts";
import { personalTrait } from "../sealer.ts";
import { writeTransaction } from "../write.ts";

/** One customer's orders, as RFM and the clusters read them. */
export interface CustomerRow {
  id: string;
  orders: number;
  revenueMinor: number;
  firstAt: number;
  lastAt: number;
}

/** Every customer with an order before `beforeMs` (orders.customer_id), and the orders that have no customer. */
export async function customerRows(
  tables: Tables,
  beforeMs: number,
): Promise<{ customers: CustomerRow[]; withoutCustomer: number }> {
  const db = dbOf(tables);
  const customers = db.sqlite
    .prepare(
      `SELECT customer_id AS id, count(*) AS orders, sum(amount_minor) AS revenueMinor, min(timestamp) AS firstAt,
              max(timestamp) AS lastAt
       FROM orders WHERE customer_id IS NOT NULL AND customer_id <> '' AND timestamp < ?
       GROUP BY customer_id ORDER BY customer_id`,
    )
    .all(beforeMs) as CustomerRow[];

  const withoutCustomer = db.sqlite
    .prepare("SELECT count(*) FROM orders WHERE (customer_id IS NULL OR customer_id = '') AND timestamp < ?")
    .pluck()
    .get(beforeMs) as number;
  return { customers, withoutCustomer };
}

/** Each customer's orders per channel (the channel mix). */
export async function channelMix(
  tables: Tables,
  beforeMs: number,
): Promise<Map<string, Map<string, number>>> {
  const db = dbOf(tables);
  const mix = new Map<string, Map<string, number>>();
  for (const row of db.sqlite
    .prepare(
      `SELECT customer_id AS id, channel, count(*) AS n FROM orders
       WHERE customer_id IS NOT NULL AND customer_id <> '' AND timestamp < ? GROUP BY customer_id, channel`,
    )
    .all(beforeMs) as { id: string; channel: string; n: number }[]) {
    const channels = mix.get(row.id) ?? new Map<string, number>();
    channels.set(row.channel, row.n);
    mix.set(row.id, channels);
  }
  return mix;
}

/** Events per person between two instants (engagement), people as their user id. */
export async function eventsPerPerson(
  tables: Tables,
  fromMs: number,
  toMs: number,
): Promise<Map<string, number>> {
  const db = dbOf(tables);
  return new Map(
    (
      db.sqlite
        .prepare(
          "SELECT person_id AS id, count(*) AS n FROM events WHERE timestamp >= ? AND timestamp < ? GROUP BY person_id",
        )
        .all(fromMs, toMs) as { id: string; n: number }[]
    ).map((row) => [row.id, row.n]),
  );
}

export interface SegmentRow {
  id: number;
  name: string;
  definition: string;
  kind: "rule" | "rfm";
  owner: string | null;
  createdAt: number;
  computedAt: number | null;
}

export async function listSegments(tables: Tables): Promise<SegmentRow[]> {
  const db = dbOf(tables);
  return db.sqlite
    .prepare(
      "SELECT id, name, definition, kind, owner, created_at AS createdAt, computed_at AS computedAt FROM segments ORDER BY kind DESC, name",
    )
    .all() as SegmentRow[];
}

export async function segmentByName(tables: Tables, name: string): Promise<SegmentRow | null> {
  const db = dbOf(tables);
  return (
    (db.sqlite
      .prepare(
        "SELECT id, name, definition, kind, owner, created_at AS createdAt, computed_at AS computedAt FROM segments WHERE name = ?",
      )
      .get(name) as SegmentRow | undefined) ?? null
  );
}

/** Creates (or, for an RFM segment, makes sure of) a segment; returns its id. */
export async function saveSegment(
  tables: Tables,
  segment: { name: string; definition: string; kind: "rule" | "rfm"; owner: string | null; at: number },
): Promise<number> {
  const db = dbOf(tables);
  return writeTransaction(db, () => {
    db.sqlite
      .prepare(
        `INSERT INTO segments (name, definition, kind, owner, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET definition = excluded.definition`,
      )
      .run(segment.name, segment.definition, segment.kind, segment.owner, segment.at);
    return db.sqlite.prepare("SELECT id FROM segments WHERE name = ?").pluck().get(segment.name) as number;
  });
}

export async function deleteSegment(tables: Tables, id: number): Promise<void> {
  const db = dbOf(tables);
  writeTransaction(db, () => {
    for (const table of ["segment_members", "segment_history", "segment_changes"])
      db.sqlite.prepare(`DELETE FROM ${table} WHERE segment_id = ?`).run(id);
    db.sqlite.prepare("DELETE FROM segments WHERE id = ?").run(id);
  });
}

/**
 * Replaces a segment's members with `members` in one transaction, noting who
 * joined and who left on `day` and the day's size and revenue.
 */
export async function replaceMembers(
  tables: Tables,
  segmentId: number,
  members: { id: string; revenueMinor: number }[],
  day: string,
  at: number,
): Promise<{ joined: number; left: number }> {
  const db = dbOf(tables);
  return writeTransaction(db, () => {
    const before = new Set(
      db.sqlite
        .prepare("SELECT person_id FROM segment_members WHERE segment_id = ?")
        .pluck()
        .all(segmentId) as string[],
    );
    const after = new Set(members.map((m) => m.id));
    const change = db.sqlite.prepare(
      `INSERT INTO segment_changes (segment_id, day, person_id, change) VALUES (?, ?, ?, ?)
       ON CONFLICT (segment_id, day, person_id) DO UPDATE SET change = excluded.change`,
    );
    const add = db.sqlite.prepare("INSERT INTO segment_members (segment_id, person_id) VALUES (?, ?)");
    const remove = db.sqlite.prepare("DELETE FROM segment_members WHERE segment_id = ? AND person_id = ?");
    let joined = 0;
    let left = 0;
    for (const id of after)
      if (!before.has(id)) {
        add.run(segmentId, id);
        // A first computation fills the segment: nobody "joined" it.
        if (before.size > 0) change.run(segmentId, day, id, "joined");
        joined++;
      }
    for (const id of before)
      if (!after.has(id)) {
        remove.run(segmentId, id);
        change.run(segmentId, day, id, "left");
        left++;
      }
    const revenue = members.reduce((sum, m) => sum + m.revenueMinor, 0);
    db.sqlite
      .prepare(
        `INSERT INTO segment_history (segment_id, day, size, revenue_minor) VALUES (?, ?, ?, ?)
         ON CONFLICT (segment_id, day) DO UPDATE SET size = excluded.size, revenue_minor = excluded.revenue_minor`,
      )
      .run(segmentId, day, members.length, revenue);
    db.sqlite.prepare("UPDATE segments SET computed_at = ? WHERE id = ?").run(at, segmentId);
    return { joined, left };
  });
}

export async function segmentHistory(
  tables: Tables,
  segmentId: number,
  fromDay: string,
): Promise<{ day: string; size: number; revenueMinor: number }[]> {
  const db = dbOf(tables);
  return db.sqlite
    .prepare(
      "SELECT day, size, revenue_minor AS revenueMinor FROM segment_history WHERE segment_id = ? AND day >= ? ORDER BY day",
    )
    .all(segmentId, fromDay) as { day: string; size: number; revenueMinor: number }[];
}

export async function segmentChangesSince(
  tables: Tables,
  segmentId: number,
  fromDay: string,
): Promise<{ joined: string[]; left: string[] }> {
  const db = dbOf(tables);
  const rows = db.sqlite
    .prepare(
      "SELECT person_id AS id, change FROM segment_changes WHERE segment_id = ? AND day >= ? ORDER BY day, person_id",
    )
    .all(segmentId, fromDay) as { id: string; change: "joined" | "left" }[];
  return {
    joined: rows.filter((r) => r.change === "joined").map((r) => r.id),
    left: rows.filter((r) => r.change === "left").map((r) => r.id),
  };
}

export async function memberCount(tables: Tables, segmentId: number): Promise<number> {
  const db = dbOf(tables);
  return db.sqlite
    .prepare("SELECT count(*) FROM segment_members WHERE segment_id = ?")
    .pluck()
    .get(segmentId) as number;
}

/** A member as an export lists them: id, email, and their orders. */
export interface SegmentMember {
  id: string;
  email: string | null;
  orders: number;
  revenueMinor: number;
  lastOrderAt: number | null;
}

/**
 * A segment's members with their email and orders, a page at a time (500k members never
 * sit in memory together, and no statement stays open between pages: a download
 * that waits for a slow reader never holds the connection).
 */
export async function* streamMembers(
  tables: Tables,
  segmentId: number,
  pageSize = 5000,
): AsyncGenerator<SegmentMember> {
  const db = dbOf(tables);
  // Each member's orders through the orders_customer index: three lookups a row, a page at a time.
  const page = db.sqlite.prepare(
    `SELECT m.person_id AS id, lift_email(c.email) AS email,
            (SELECT count(*) FROM orders o WHERE o.customer_id = m.person_id) AS orders,
            (SELECT coalesce(sum(amount_minor), 0) FROM orders o WHERE o.customer_id = m.person_id) AS revenueMinor,
            (SELECT max(timestamp) FROM orders o WHERE o.customer_id = m.person_id) AS lastOrderAt
     FROM segment_members m LEFT JOIN customers c ON c.id = m.person_id
     WHERE m.segment_id = ? AND m.person_id > ? ORDER BY m.person_id LIMIT ?`,
  );
  let after = "";
  for (;;) {
    const rows = page.all(segmentId, after, pageSize) as SegmentMember[];
    yield* rows;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** Each segment's size on the latest noted day at or before `day` (segment id → size). */
export async function sizesOn(tables: Tables, day: string): Promise<Map<number, number>> {
  const db = dbOf(tables);
  const rows = db.sqlite
    .prepare(
      `SELECT h.segment_id AS id, h.size AS size FROM segment_history h
       WHERE h.day = (SELECT max(day) FROM segment_history WHERE segment_id = h.segment_id AND day <= ?)`,
    )
    .all(day) as { id: number; size: number }[];
  return new Map(rows.map((r) => [r.id, r.size]));
}

/** The latest day any segment was noted on, or null before the first computation. */
export async function lastComputedDay(tables: Tables): Promise<string | null> {
  const db = dbOf(tables);
  return (db.sqlite.prepare("SELECT max(day) FROM segment_history").pluck().get() as string | null) ?? null;
}

/**
 * The orders of a segment's current members: a condition on the orders row `o`
 * for the metrics engine (a KPI filter, "for segment champions").
 */
export function ordersOfSegment(name: string): SqlPart {
  return {
    sql: `o.customer_id IN (SELECT m.person_id FROM segment_members m JOIN segments s ON s.id = m.segment_id
  WHERE s.name = ?)`,
    args: [name],
  };
}

/**
 * An order's RFM segment by today's membership, as a group key over the orders
 * row `o` ("by segment"): "(no customer)" for orders without a customer id,
 * "(not yet segmented)" for customers new since the last recompute.
 */
export function rfmSegmentOfOrder(): SqlPart {
  return {
    sql: `CASE WHEN o.customer_id IS NULL OR o.customer_id = '' THEN '(no customer)'
  ELSE coalesce((SELECT s.name FROM segment_members m JOIN segments s ON s.id = m.segment_id
                 WHERE m.person_id = o.customer_id AND s.kind = 'rfm' LIMIT 1), '(not yet segmented)') END`,
    args: [],
  };
}

/** Whether any customer has a trait of this name (a rule's unknown field is a trait only when one does). */
export async function traitExists(tables: Tables, name: string): Promise<boolean> {
  const db = dbOf(tables);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) return false;
  return (
    db.sqlite
      .prepare(
        personalTrait(name)
          ? `SELECT EXISTS (SELECT 1 FROM customers WHERE json_extract(lift_traits(traits, email), '$.${name}') IS NOT NULL)`
          : `SELECT EXISTS (SELECT 1 FROM customers WHERE json_extract(traits, '$.${name}') IS NOT NULL)`,
      )
      .pluck()
      .get() === 1
  );
}

/** The segments a customer is in today, RFM first, then by name. */
export async function segmentsOfPerson(
  tables: Tables,
  personId: string,
): Promise<{ name: string; kind: string }[]> {
  const db = dbOf(tables);
  return db.sqlite
    .prepare<[string], { name: string; kind: string }>(
      `SELECT s.name, s.kind FROM segment_members m JOIN segments s ON s.id = m.segment_id
       WHERE m.person_id = ? ORDER BY s.kind = 'rfm' DESC, s.name`,
    )
    .all(personId);
}
