import { blob, index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/*
 * Daily rollups, kept in the same transaction as the ingest that changes them,
 * so questions cost O(days) and never scan raw events. Days are cut in the
 * reporting time zone recorded in `meta` (key rollup_timezone).
 */

/** Count of events per day × event key × channel. Keys: the track event name, "$page", "$identify". */
export const dailyEvents = sqliteTable(
  "daily_events",
  {
    day: text("day").notNull(),
    eventKey: text("event_key").notNull(),
    channel: text("channel").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.eventKey, t.channel] })],
);

/**
 * One row per person active on a day, by the person's number (people.no).
 * WITHOUT ROWID (migration 0004; drizzle-kit cannot say so): the primary key is the table.
 */
export const dailyPeople = sqliteTable(
  "daily_people",
  {
    day: text("day").notNull(),
    personNo: integer("person_no").notNull(),
    /** The channel of the person's first event that day… */
    channel: text("channel").notNull(),
    /** …which happened at this instant (so late-arriving earlier events can take over). */
    firstAt: integer("first_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.personNo] }), index("daily_people_person").on(t.personNo)],
);

/** Bumped whenever a day's people change (new activity, a late event, two people merged). */
export const dayVersions = sqliteTable("day_versions", {
  day: text("day").primaryKey(),
  version: integer("version").notNull(),
});

/**
 * Each day's people per channel as a sorted array of person numbers (a
 * little-endian uint32 blob), built from daily_people when first asked for and
 * rebuilt when the day's version moves on: exact distinct counts over a year
 * are unions of these, not a DISTINCT over millions of rows.
 */
export const dayPeople = sqliteTable(
  "day_people",
  {
    day: text("day").notNull(),
    channel: text("channel").notNull(),
    version: integer("version").notNull(),
    people: blob("people", { mode: "buffer" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.channel] })],
);

/** Orders and revenue per day × channel × campaign ("" when an order has no campaign). */
export const dailyOrders = sqliteTable(
  "daily_orders",
  {
    day: text("day").notNull(),
    channel: text("channel").notNull(),
    campaignId: text("campaign_id").notNull(),
    orders: integer("orders").notNull(),
    revenueMinor: integer("revenue_minor").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.channel, t.campaignId] })],
);

/** Mentions per day × platform × sentiment label, with the score sum for averages. */
export const dailyMentions = sqliteTable(
  "daily_mentions",
  {
    day: text("day").notNull(),
    platform: text("platform").notNull(),
    label: text("label").notNull(),
    count: integer("count").notNull(),
    scoreSum: real("score_sum").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.platform, t.label] })],
);
