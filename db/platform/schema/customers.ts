import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Known customers; `id` is the Segment userId. `email` and the personal values in `traits` are
 * sealed (AES-256-GCM, db/sealer.ts); `email_index` is the email's blind index (its keyed hash),
 * what lookups by email go through — connectors and the CRM merge people by it.
 */
export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    email: text("email"),
    emailIndex: text("email_index"),
    traits: text("traits").notNull(),
    firstSeen: integer("first_seen").notNull(),
    lastSeen: integer("last_seen").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("customers_first_seen").on(t.firstSeen), index("customers_email_index").on(t.emailIndex)],
);

export type CustomerRow = typeof customers.$inferSelect;
