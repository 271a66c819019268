import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Raw events as Segment sends them (track, page, identify). Immutable once written. */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey(),
    messageId: text("message_id").notNull(),
    type: text("type", { enum: ["track", "page", "identify"] }).notNull(),
    /** Event name for track, page name for page, null for identify. */
    event: text("event"),
    /** userId, else anonymousId; re-keyed to the userId when an anonymous history joins it. */
    personId: text("person_id").notNull(),
    userId: text("user_id"),
    anonymousId: text("anonymous_id"),
    channel: text("channel").notNull(),
    properties: text("properties").notNull(),
    context: text("context").notNull(),
    timestamp: integer("timestamp").notNull(),
    /** Calendar day of `timestamp` in the reporting time zone. */
    day: text("day").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    uniqueIndex("events_message_id").on(t.messageId),
    index("events_person_time").on(t.personId, t.timestamp),
    index("events_name_time").on(t.event, t.timestamp, t.personId),
    index("events_time").on(t.timestamp),
  ],
);

/**
 * Everyone seen: their number (for the per-day sets of people), their last
 * non-direct channel and campaign (the attribution for untagged events).
 * WITHOUT ROWID (migration 0004).
 */
export const people = sqliteTable("people", {
  personId: text("person_id").primaryKey(),
  /** A small whole number, given in order of arrival and kept through merges: what the day sets hold. */
  no: integer("no").notNull(),
  channel: text("channel"),
  campaignId: text("campaign_id"),
  firstSeen: integer("first_seen").notNull(),
  lastSeen: integer("last_seen").notNull(),
});

/** anonymousId → userId, written the first time an event carries both. WITHOUT ROWID (migration 0004). */
export const identities = sqliteTable("identities", {
  anonymousId: text("anonymous_id").primaryKey(),
  userId: text("user_id").notNull(),
  linkedAt: integer("linked_at").notNull(),
});

export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
