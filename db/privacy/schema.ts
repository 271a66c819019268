import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The people erased, by keyed hash of each identifier (email, customer id, anonymous id, order
 * id, handle) — never the identifier itself: ingest refuses their data, and the list proves an
 * erasure without holding whom. WITHOUT ROWID (migration 0013), so a hash is stored once.
 */
export const erasures = sqliteTable("erasures", {
  hash: text("hash").primaryKey(),
  kind: text("kind").notNull(),
  at: integer("at").notNull(),
});

/** Each erasure request done: when, by whom (a Slack user id, console or cli), how many rows. */
export const erasureRuns = sqliteTable("erasure_runs", {
  id: integer("id").primaryKey(),
  at: integer("at").notNull(),
  actor: text("actor").notNull(),
  surface: text("surface").notNull(),
  rows: integer("rows").notNull(),
});
