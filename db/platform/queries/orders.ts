import type { Db } from "../../client.ts";
import type { WriteOptions } from "./imports.ts";
import { preparedFor, type RowOutcome, type WriteCounts, writeEach } from "./statements.ts";

/** An order ready to store: amounts already in reporting-currency minor units. */
export interface OrderWrite {
  id: string;
  customerId: string | null;
  amountMinor: number;
  originalAmountMinor: number;
  originalCurrency: string;
  timestamp: number;
  day: string;
  channel: string;
  campaignId: string | null;
  origin: "event" | "import" | "api";
  updatedAt: number;
  /** Refunded, cancelled or failed: the stored order leaves orders and revenue. */
  voided?: boolean;
}

interface StoredOrder {
  customer_id: string | null;
  amount_minor: number;
  original_amount_minor: number;
  original_currency: string;
  timestamp: number;
  day: string;
  channel: string;
  campaign_id: string | null;
  updated_at: number;
}

const prepared = preparedFor((sqlite) => ({
  find: sqlite.prepare<[string], StoredOrder>(
    `SELECT customer_id, amount_minor, original_amount_minor, original_currency, timestamp, day, channel,
            campaign_id, updated_at FROM orders WHERE id = ?`,
  ),
  insert: sqlite.prepare(
    `INSERT INTO orders (id, customer_id, amount_minor, original_amount_minor, original_currency, timestamp, day,
       channel, campaign_id, origin, updated_at)
     VALUES (@id, @customerId, @amountMinor, @originalAmountMinor, @originalCurrency, @timestamp, @day,
       @channel, @campaignId, @origin, @updatedAt)`,
  ),
  update: sqlite.prepare(
    `UPDATE orders SET customer_id = @customerId, amount_minor = @amountMinor,
       original_amount_minor = @originalAmountMinor, original_currency = @originalCurrency,
       timestamp = @timestamp, day = @day, channel = @channel, campaign_id = @campaignId,
       origin = @origin, updated_at = @updatedAt WHERE id = @id`,
  ),
  remove: sqlite.prepare("DELETE FROM orders WHERE id = ?"),
  voided: sqlite.prepare<[string], { updated_at: number }>(
    "SELECT updated_at FROM voided_orders WHERE id = ?",
  ),
  tombstone: sqlite.prepare(
    `INSERT INTO voided_orders (id, updated_at) VALUES (?, ?)
     ON CONFLICT (id) DO UPDATE SET updated_at = max(updated_at, excluded.updated_at)`,
  ),
  rollup: sqlite.prepare(
    `INSERT INTO daily_orders (day, channel, campaign_id, orders, revenue_minor) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (day, channel, campaign_id) DO UPDATE SET
       orders = orders + excluded.orders, revenue_minor = revenue_minor + excluded.revenue_minor`,
  ),
}));

function sameOrder(stored: StoredOrder, order: OrderWrite): boolean {
  return (
    stored.customer_id === order.customerId &&
    stored.amount_minor === order.amountMinor &&
    stored.original_amount_minor === order.originalAmountMinor &&
    stored.original_currency === order.originalCurrency &&
    stored.timestamp === order.timestamp &&
    stored.channel === order.channel &&
    stored.campaign_id === order.campaignId
  );
}

/**
 * Inserts or updates one order and moves its daily rollup with it.
 * Must run inside a transaction (the caller's). An order older than the stored
 * one is left alone ("stale"); an identical one is a duplicate.
 */
export function upsertOrderInTransaction(db: Db, order: OrderWrite): RowOutcome {
  const q = prepared(db);
  const stored = q.find.get(order.id);
  if (order.voided) {
    if (stored && order.updatedAt < stored.updated_at) return "stale";
    q.tombstone.run(order.id, order.updatedAt);
    // Nothing stored: nothing to take back now (a refund seen before its order, or twice).
    if (!stored) return "duplicate";
    q.remove.run(order.id);
    q.rollup.run(stored.day, stored.channel, stored.campaign_id ?? "", -1, -stored.amount_minor);
    return "updated";
  }
  // An order voided since this copy was made stays out.
  const voided = stored ? undefined : q.voided.get(order.id);
  if (voided && order.updatedAt <= voided.updated_at) return "stale";
  if (!stored) {
    q.insert.run(order);
    q.rollup.run(order.day, order.channel, order.campaignId ?? "", 1, order.amountMinor);
    return "accepted";
  }
  if (order.updatedAt < stored.updated_at) return "stale";
  if (sameOrder(stored, order)) return "duplicate";
  q.update.run(order);
  q.rollup.run(stored.day, stored.channel, stored.campaign_id ?? "", -1, -stored.amount_minor);
  q.rollup.run(order.day, order.channel, order.campaignId ?? "", 1, order.amountMinor);
  return "updated";
}

/** Upserts a batch of orders in one transaction. */
export async function writeOrders(
  db: Db,
  orders: OrderWrite[],
  options?: WriteOptions,
): Promise<{ counts: WriteCounts; outcomes: RowOutcome[] }> {
  return writeEach(db, orders, options, "orders", upsertOrderInTransaction);
}
