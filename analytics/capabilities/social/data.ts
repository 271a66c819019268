import { z } from "zod";
import type { MentionWrite } from "../../../db/social/mentions.ts";
import { writeMentions } from "../../../db/social/mentions.ts";
import {
  cell,
  contentId,
  type DataKind,
  optionalText,
  parseNumber,
  readRow,
  requiredText,
} from "../../platform/ingest/index.ts";
import { enrichMentions } from "./enrich.ts";

export const mentionRowSchema = z.object({
  likes: cell,
  reposts: cell,
  replies: cell,
  platform: requiredText(64).transform((value) => value.toLowerCase()),
  platform_id: optionalText(512),
  url: optionalText(2048).pipe(z.url("is not a URL").optional()),
  author: optionalText(256),
  text: requiredText(10_000),
  lang: optionalText(16),
  timestamp: z.union([z.string(), z.number()], { error: "is missing" }),
  sentiment_score: cell,
});

export { labelOf as labelFor } from "./sentiment/score.ts";

/**
 * A mention as read from its source, before its language, sentiment and topics
 * are worked out: what is written, less what Lift adds, with the score the
 * source gave (−1…1), if any.
 */
export type MentionInput = Omit<
  MentionWrite,
  "sentimentScore" | "sentimentLabel" | "sentimentVersion" | "topics"
> & { givenScore: number | null };

function count(value: unknown, field: string): { value: number | null } | { error: string } {
  if (value === undefined || value === null || value === "") return { value: null };
  const n = parseNumber(value);
  if (!n.ok || !Number.isInteger(n.value) || n.value < 0)
    return { error: `${field} ${JSON.stringify(value)} is not a whole number ≥ 0` };
  return { value: n.value };
}

/** Social posts about the brand (pushed, imported or pulled): immutable text, derived language, sentiment and topics. */
export const mentionsKind: DataKind<MentionInput> = {
  name: "mentions",
  source: "mentions",
  aliases: {
    platform: ["platform", "network", "site", "source"],
    platform_id: ["platform_id", "id", "post_id", "tweet_id", "status_id"],
    url: ["url", "link", "permalink", "post_url"],
    author: ["author", "user", "username", "handle", "screen_name"],
    text: ["text", "body", "content", "message", "post", "caption"],
    lang: ["lang", "language"],
    timestamp: ["timestamp", "date", "created_at", "time", "posted_at", "published_at"],
    sentiment_score: ["sentiment_score", "sentiment", "score"],
    likes: ["likes", "like_count", "favourites_count", "favorites", "points", "upvotes"],
    reposts: ["reposts", "repost_count", "reblogs_count", "retweets", "shares"],
    replies: ["replies", "reply_count", "replies_count", "comments", "num_comments"],
  },
  otherColumns: "ignore",
  fields:
    "`platform`, `platform_id`, `url`, `author`, `text`, `lang`, `timestamp`, `sentiment_score` (optional), `likes`, `reposts`, `replies`",
  normalize(input, context) {
    const parsed = readRow(mentionRowSchema, input);
    if ("error" in parsed) return parsed;
    const row = parsed.value;
    const timestamp = context.time(row.timestamp, "timestamp");
    if ("error" in timestamp) return timestamp;
    let givenScore: number | null = null;
    if (row.sentiment_score !== undefined && row.sentiment_score !== null && row.sentiment_score !== "") {
      const given = parseNumber(row.sentiment_score);
      if (!given.ok || given.value < -1 || given.value > 1) {
        return { error: `sentiment_score ${given.ok ? `${given.value} is outside −1…1` : given.error}` };
      }
      givenScore = given.value;
    }
    const engagement: Record<string, number | null> = {};
    for (const field of ["likes", "reposts", "replies"] as const) {
      const n = count(row[field], field);
      if ("error" in n) return n;
      engagement[field] = n.value;
    }
    return {
      value: {
        platform: row.platform,
        platformId:
          row.platform_id ?? row.url ?? contentId("post", [row.author ?? null, row.text, timestamp.value]),
        url: row.url ?? null,
        author: row.author ?? null,
        text: row.text,
        lang: row.lang ?? null,
        timestamp: timestamp.value,
        day: context.cutDay(timestamp.value),
        givenScore,
        likes: engagement["likes"] ?? null,
        reposts: engagement["reposts"] ?? null,
        replies: engagement["replies"] ?? null,
        sourceId: context.sourceId ?? null,
        receivedAt: context.receivedAt,
      },
    };
  },
  // Language, sentiment and topics need the detector and the workspace's words and topics: worked out here.
  // A post by an erased person's handle is refused like the rest of their data.
  identifiers: (row) => (row.author ? [{ key: "handle", value: row.author }] : []),
  write: async (db, rows, options) => writeMentions(db, await enrichMentions(db, rows), options),
};
