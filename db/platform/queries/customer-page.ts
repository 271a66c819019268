import type { Db } from "../../client.ts";

/** A customer as their page shows them. */
export interface CustomerRecord {
  id: string;
  email: string | null;
  traits: Record<string, unknown>;
  firstSeen: number;
  lastSeen: number;
}

export interface CustomerOrders {
  count: number;
  revenueMinor: number;
  first: number | null;
  last: number | null;
  /** Orders per first-touch channel, most first. */
  channels: { channel: string; orders: number }[];
  /** The latest few, newest first. */
  recent: { id: string; amountMinor: number; timestamp: number; channel: string }[];
}

export interface CustomerActivity {
  events: number;
  lastAt: number | null;
  /** Their most frequent tracked events. */
  top: { event: string; count: number }[];
}

/** The customer of an id, or of an email (any case); null when there is none. */
export async function findCustomer(db: Db, key: string): Promise<CustomerRecord | null> {
  type Row = { id: string; email: string | null; traits: string; first_seen: number; last_seen: number };
  const columns = "id, email, traits, first_seen, last_seen";
  const row =
    db.sqlite.prepare<[string], Row>(`SELECT ${columns} FROM customers WHERE id = ?`).get(key) ??
    (key.includes("@")
      ? db.sqlite
          .prepare<[string], Row>(`SELECT ${columns} FROM customers WHERE email_index = ? LIMIT 1`)
          .get(db.sealer.blind("email", key))
      : undefined);
  if (!row) return null;
  // One decryption: the email and the personal traits are sealed together.
  const opened = db.sealer.openCustomerObject(row.email, row.traits);
  return {
    id: row.id,
    email: opened.email,
    traits: opened.traits,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

export async function customerOrders(db: Db, id: string): Promise<CustomerOrders> {
  const totals = db.sqlite
    .prepare<[string], { n: number; revenue: number | null; first: number | null; last: number | null }>(
      `SELECT count(*) AS n, sum(amount_minor) AS revenue, min(timestamp) AS first, max(timestamp) AS last
       FROM orders WHERE customer_id = ?`,
    )
    .get(id)!;
  const channels = db.sqlite
    .prepare<[string], { channel: string; orders: number }>(
      `SELECT channel, count(*) AS orders FROM orders WHERE customer_id = ?
       GROUP BY channel ORDER BY orders DESC, channel`,
    )
    .all(id);
  const recent = db.sqlite
    .prepare<[string], { id: string; amountMinor: number; timestamp: number; channel: string }>(
      `SELECT id, amount_minor AS amountMinor, timestamp, channel FROM orders WHERE customer_id = ?
       ORDER BY timestamp DESC, id LIMIT 5`,
    )
    .all(id);
  return {
    count: totals.n,
    revenueMinor: totals.revenue ?? 0,
    first: totals.first,
    last: totals.last,
    channels,
    recent,
  };
}

export async function customerActivity(db: Db, id: string): Promise<CustomerActivity> {
  const totals = db.sqlite
    .prepare<[string], { n: number; last: number | null }>(
      "SELECT count(*) AS n, max(timestamp) AS last FROM events WHERE person_id = ?",
    )
    .get(id)!;
  const top = db.sqlite
    .prepare<[string], { event: string; count: number }>(
      `SELECT event, count(*) AS count FROM events WHERE person_id = ? AND type = 'track'
       GROUP BY event ORDER BY count DESC, event LIMIT 3`,
    )
    .all(id);
  return { events: totals.n, lastAt: totals.last, top };
}
