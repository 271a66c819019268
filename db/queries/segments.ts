import type { Db } from "../client.ts";

/** One customer's orders, as RFM and the clusters read them. */
export interface CustomerRow {
  id: string;
  orders: number;
  revenueMinor: number;
  firstAt: number;
  lastAt: number;
  /** The channel of their first order. */
  channel: string;
}

/** Every customer with an order before `beforeMs` (orders.customer_id), and the orders that have no customer. */
export function customerRows(
  db: Db,
  beforeMs: number,
): { customers: CustomerRow[]; withoutCustomer: number } {
  const customers = db.sqlite
    .prepare(
      `SELECT customer_id AS id, count(*) AS orders, sum(amount_minor) AS revenueMinor, min(timestamp) AS firstAt,
              max(timestamp) AS lastAt,
              (SELECT o2.channel FROM orders o2 WHERE o2.customer_id = o.customer_id AND o2.timestamp < ?
               ORDER BY o2.timestamp, o2.id LIMIT 1) AS channel
       FROM orders o WHERE customer_id IS NOT NULL AND customer_id <> '' AND timestamp < ?
       GROUP BY customer_id ORDER BY customer_id`,
    )
    .all(beforeMs, beforeMs) as CustomerRow[];
  const withoutCustomer = db.sqlite
    .prepare("SELECT count(*) FROM orders WHERE (customer_id IS NULL OR customer_id = '') AND timestamp < ?")
    .pluck()
    .get(beforeMs) as number;
  return { customers, withoutCustomer };
}

/** Each customer's orders per channel (the channel mix). */
export function channelMix(db: Db, beforeMs: number): Map<string, Map<string, number>> {
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
export function eventsPerPerson(db: Db, fromMs: number, toMs: number): Map<string, number> {
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
