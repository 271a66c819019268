import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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
    /** "unscored" for a language the scorer does not read: left out of sentiment shares, never neutral. */
    sentimentLabel: text("sentiment_label", {
      enum: ["positive", "neutral", "negative", "unscored"],
    }).notNull(),
    /** Which scorer and workspace lexicon gave the score: older ones are rescored. */
    sentimentVersion: integer("sentiment_version").notNull().default(0),
    /** Engagement as the platform gave it, when it did. */
    likes: integer("likes"),
    reposts: integer("reposts"),
    replies: integer("replies"),
    sourceId: integer("source_id"),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    uniqueIndex("mentions_platform_id").on(t.platform, t.platformId),
    index("mentions_time").on(t.timestamp),
  ],
);

export type MentionRow = typeof mentions.$inferSelect;

/** A topic: a saved list of terms; a mention belongs to every topic whose terms it contains. */
export const topics = sqliteTable("topics", {
  name: text("name").primaryKey(),
  /** JSON: the terms, lower case. */
  terms: text("terms").notNull(),
  owner: text("owner"),
  createdAt: integer("created_at").notNull(),
});

/** Which topics each mention belongs to ("brand" is every mention). WITHOUT ROWID (migration 0006). */
export const mentionTopics = sqliteTable(
  "mention_topics",
  {
    topic: text("topic").notNull(),
    mentionId: integer("mention_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.topic, t.mentionId] }), index("mention_topics_mention").on(t.mentionId)],
);

/**
 * Mentions per time bucket (5 minutes, an hour) × topic × platform ×
 * label, kept by the ingest transaction: spike checks and sentiment answers
 * read these, not the mentions. WITHOUT ROWID (migration 0006).
 */
export const mentionBuckets = sqliteTable(
  "mention_buckets",
  {
    grain: text("grain", { enum: ["5m", "1h"] }).notNull(),
    start: integer("start").notNull(),
    topic: text("topic").notNull(),
    platform: text("platform").notNull(),
    label: text("label").notNull(),
    count: integer("count").notNull(),
    scoreSum: real("score_sum").notNull(),
  },
  (t) => [primaryKey({ columns: [t.grain, t.topic, t.start, t.platform, t.label] })],
);

/** The workspace's own sentiment words (`sentiment lexicon add`), over the built-in ones. */
export const sentimentWords = sqliteTable("sentiment_words", {
  word: text("word").primaryKey(),
  score: real("score").notNull(),
  addedBy: text("added_by").notNull(),
  addedAt: integer("added_at").notNull(),
});
