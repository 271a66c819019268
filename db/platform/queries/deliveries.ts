import { and, desc, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";
import { consoleFeed, deliveries } from "../schema/delivery.ts";

export type DeliveryRow = typeof deliveries.$inferSelect;
export type FeedRow = typeof consoleFeed.$inferSelect;

/** Queues a message; a second enqueue with the same key is a no-op (false). */
export async function enqueueDelivery(
  db: Db,
  row: {
    idempotencyKey: string;
    destination: string;
    subscriptionId: number | null;
    kind: string;
    report: string;
    replyTo: string | null;
  },
  at: number,
): Promise<boolean> {
  return (
    db.orm
      .insert(deliveries)
      .values({
        ...row,
        status: "pending",
        attempts: 0,
        nextAttemptAt: at,
        unclear: false,
        createdAt: at,
        updatedAt: at,
      })
      .onConflictDoNothing()
      .run().changes === 1
  );
}

/**
 * Takes the deliveries due now (and ones whose sender's lease ran out: a
 * process that died mid-send) for `leaseMs`, in one transaction, so two
 * processes never send the same message at the same time.
 */
export async function claimDeliveries(
  db: Db,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<DeliveryRow[]> {
  return writeTransaction(db, () => {
    const due = db.orm
      .select()
      .from(deliveries)
      .where(
        or(
          and(eq(deliveries.status, "pending"), lte(deliveries.nextAttemptAt, now)),
          and(eq(deliveries.status, "sending"), lte(deliveries.leaseUntil, now)),
        ),
      )
      .orderBy(deliveries.nextAttemptAt)
      .limit(limit)
      .all();
    if (due.length === 0) return [];
    db.orm
      .update(deliveries)
      .set({ status: "sending", leaseUntil: now + leaseMs, updatedAt: now })
      .where(
        inArray(
          deliveries.id,
          due.map((d) => d.id),
        ),
      )
      .run();
    // A lease that ran out means the last try may or may not have posted.
    return due.map((d) => (d.status === "sending" ? { ...d, unclear: true } : d));
  });
}

export async function markDeliverySent(db: Db, id: number, sentRef: string, at: number): Promise<void> {
  db.orm
    .update(deliveries)
    .set({
      status: "sent",
      sentRef,
      leaseUntil: null,
      unclear: false,
      updatedAt: at,
      attempts: oneMoreAttempt,
    })
    .where(eq(deliveries.id, id))
    .run();
}

/** One more try, counted in the same UPDATE. */
const oneMoreAttempt = sql`${deliveries.attempts} + 1`;

export async function markDeliveryRetry(
  db: Db,
  id: number,
  retry: { nextAttemptAt: number; error: string; unclear: boolean },
  at: number,
): Promise<void> {
  db.orm
    .update(deliveries)
    .set({
      status: "pending",
      nextAttemptAt: retry.nextAttemptAt,
      lastError: retry.error,
      unclear: retry.unclear,
      leaseUntil: null,
      attempts: oneMoreAttempt,
      updatedAt: at,
    })
    .where(eq(deliveries.id, id))
    .run();
}

export async function markDeliveryFailed(db: Db, id: number, error: string, at: number): Promise<void> {
  db.orm
    .update(deliveries)
    .set({
      status: "failed",
      lastError: error,
      leaseUntil: null,
      attempts: oneMoreAttempt,
      updatedAt: at,
    })
    .where(eq(deliveries.id, id))
    .run();
}

export async function deliveryByKey(db: Db, key: string): Promise<DeliveryRow | undefined> {
  return db.orm.select().from(deliveries).where(eq(deliveries.idempotencyKey, key)).get();
}

export async function failedDeliveries(db: Db, limit = 20): Promise<DeliveryRow[]> {
  return db.orm
    .select()
    .from(deliveries)
    .where(eq(deliveries.status, "failed"))
    .orderBy(desc(deliveries.updatedAt))
    .limit(limit)
    .all();
}

export async function insertFeedItem(db: Db, row: Omit<FeedRow, "id">): Promise<FeedRow> {
  const inserted = db.orm.insert(consoleFeed).values(row).onConflictDoNothing().returning().get();
  return (
    inserted ??
    db.orm.select().from(consoleFeed).where(eq(consoleFeed.idempotencyKey, row.idempotencyKey)).get()!
  );
}

export async function feedItemByKey(db: Db, key: string): Promise<FeedRow | undefined> {
  return db.orm.select().from(consoleFeed).where(eq(consoleFeed.idempotencyKey, key)).get();
}

export async function listFeed(db: Db, limit = 50): Promise<FeedRow[]> {
  return db.orm
    .select()
    .from(consoleFeed)
    .orderBy(desc(consoleFeed.at), desc(consoleFeed.id))
    .limit(limit)
    .all();
}
