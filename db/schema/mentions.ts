import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Social posts about the brand, with their sentiment. Immutable once written. */
export const mentions = sqliteTable(
  "mentions",
  {
    id: integer("id").primaryKey(),
    platform: text("platform").notNull(),
    /** The platform's own id, or the post URL when there is none. */
    platformId: text("platform_id").notNull(),
    url: text("url"),
    author: text("author"),
    text: text("text").notNull(),
    lang: text("lang"),
    timestamp: integer("timestamp").notNull(),
    day: text("day").notNull(),
    sentimentScore: real("sentiment_score").notNull(),
    sentimentLabel: text("sentiment_label", { enum: ["positive", "neutral", "negative"] }).notNull(),
    sourceId: integer("source_id"),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    uniqueIndex("mentions_platform_id").on(t.platform, t.platformId),
    index("mentions_time").on(t.timestamp),
  ],
);

export type MentionRow = typeof mentions.$inferSelect;
