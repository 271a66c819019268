import { z } from "zod";
import { type MentionWrite, writeMentions } from "../../db/queries/mentions.ts";
import {
  cell,
  contentId,
  type DataKind,
  describeIssues,
  optionalText,
  parseNumber,
  requiredText,
} from "../ingest/index.ts";
import { scoreSentiment } from "../sentiment/score.ts";

export const mentionRowSchema = z.object({
  platform: requiredText(64).transform((value) => value.toLowerCase()),
  platform_id: optionalText(512),
  url: optionalText(2048).pipe(z.url("is not a URL").optional()),
  author: optionalText(256),
  text: requiredText(10_000),
  lang: optionalText(16),
  timestamp: z.union([z.string(), z.number()], { error: "is missing" }),
  sentiment_score: cell,
});

/** Scores within ±0.05 count as neutral (the band VADER's authors recommend for compound scores). */
export function labelFor(score: number): "positive" | "neutral" | "negative" {
  if (score >= 0.05) return "positive";
  if (score <= -0.05) return "negative";
  return "neutral";
}

/** Social posts about the brand (pushed, imported or pulled): immutable text, derived sentiment. */
export const mentionsKind: DataKind<MentionWrite> = {
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
  },
  otherColumns: "ignore",
  fields:
    "`platform`, `platform_id`, `url`, `author`, `text`, `lang`, `timestamp`, `sentiment_score` (optional)",
  normalize(input, context) {
    const parsed = mentionRowSchema.safeParse(input);
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    const row = parsed.data;
    const timestamp = context.time(row.timestamp, "timestamp");
    if ("error" in timestamp) return timestamp;
    let score: number;
    if (row.sentiment_score !== undefined && row.sentiment_score !== null && row.sentiment_score !== "") {
      const given = parseNumber(row.sentiment_score);
      if (!given.ok || given.value < -1 || given.value > 1) {
        return { error: `sentiment_score ${given.ok ? `${given.value} is outside −1…1` : given.error}` };
      }
      score = given.value;
    } else score = scoreSentiment(row.text).score;
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
        sentimentScore: score,
        sentimentLabel: labelFor(score),
        sourceId: context.sourceId ?? null,
        receivedAt: context.receivedAt,
      },
    };
  },
  write: (db, rows, options) => writeMentions(db, rows, options),
};
