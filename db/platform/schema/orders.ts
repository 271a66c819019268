import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Orders: the only source of revenue. Money in integer minor units of the reporting currency. */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id"),
    amountMinor: integer("amount_minor").notNull(),
    /** What the source said, before conversion to the reporting currency. */
    originalAmountMinor: integer("original_amount_minor").notNull(),
    originalCurrency: text("original_currency").notNull(),
    timestamp: integer("timestamp").notNull(),
    day: text("day").notNull(),
    channel: text("channel").notNull(),
    campaignId: text("campaign_id"),
    origin: text("origin", { enum: ["event", "import", "api"] }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("orders_day").on(t.day), index("orders_customer").on(t.customerId)],
);

export type OrderRow = typeof orders.$inferSelect;

/**
 * Orders refunded, cancelled or failed after Lift stored them (shop connectors): the order left
 * orders and revenue; this remembers it, so an older copy arriving late (webhooks come in any
 * order) does not bring it back.
 */
export const voidedOrders = sqliteTable("voided_orders", {
  id: text("id").primaryKey(),
  updatedAt: integer("updated_at").notNull(),
});
