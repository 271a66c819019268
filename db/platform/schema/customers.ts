import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** Known customers; `id` is the Segment userId. */
export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    email: text("email"),
    traits: text("traits").notNull(),
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // By email without case: connectors and the CRM merge people by it.
  (t) => [
    index("customers_first_seen").on(t.firstSeen),
    index("customers_email_lower").on(sql`lower(${t.email})`),
  ],
);

export type CustomerRow = typeof customers.$inferSelect;
