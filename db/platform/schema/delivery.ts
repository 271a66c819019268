import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every scheduled or alert message, queued before it is sent: retried with
 * backoff, sent at most once (its idempotency key travels with the message),
 * and kept as failed, with Slack's error code, after the last retry.
 */
export const deliveries = sqliteTable(
  "deliveries",
  {
    id: integer("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    destination: text("destination").notNull(),
    subscriptionId: integer("subscription_id"),
    kind: text("kind").notNull(),
    /** The Report, as JSON. */
    report: text("report").notNull(),
    /** The key of the delivery this one replies to (an alert's "resolved" goes in its thread). */
    replyTo: text("reply_to"),
    status: text("status", { enum: ["pending", "sending", "sent", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    leaseUntil: integer("lease_until"),
    /** The last try ended without knowing whether the message went out (a timeout). */
    unclear: integer("unclear", { mode: "boolean" }).notNull(),
    lastError: text("last_error"),
    /** Where it was posted (Slack's message ts). */
    sentRef: text("sent_ref"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("deliveries_due").on(t.status, t.nextAttemptAt)],
);

/** What the local Notifier delivered: the console's feed of digests and alerts. */
export const consoleFeed = sqliteTable(
  "console_feed",
  {
    id: integer("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    destination: text("destination").notNull(),
    kind: text("kind").notNull(),
    report: text("report").notNull(),
    replyTo: text("reply_to"),
    at: integer("at").notNull(),
  },
  (t) => [index("console_feed_at").on(t.at)],
);
