import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Webhook deliveries taken (Shopify's X-Shopify-Webhook-Id, Stripe's event id): a delivery
 * replayed or retried with the same id is answered 200 and written once.
 */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    provider: text("provider").notNull(),
    eventId: text("event_id").notNull(),
    topic: text("topic").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.eventId] }),
    index("webhook_events_received").on(t.receivedAt),
  ],
);
