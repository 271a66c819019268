import type { Db } from "../client.ts";
import { transact, type WriteOptions } from "./imports.ts";
import {
  emptyCounts,
  noteReceivedInTransaction,
  preparedFor,
  type RowOutcome,
  type WriteCounts,
} from "./statements.ts";

export interface MentionWrite {
  platform: string;
  platformId: string;
  url: string | null;
  author: string | null;
  text: string;
  lang: string | null;
  timestamp: number;
  day: string;
  sentimentScore: number;
  sentimentLabel: "positive" | "neutral" | "negative";
  sourceId: number | null;
  receivedAt: number;
}

const prepared = preparedFor((sqlite) => ({
  insert: sqlite.prepare(
    `INSERT INTO mentions (platform, platform_id, url, author, text, lang, timestamp, day, sentiment_score,
       sentiment_label, source_id, received_at)
     VALUES (@platform, @platformId, @url, @author, @text, @lang, @timestamp, @day, @sentimentScore,
       @sentimentLabel, @sourceId, @receivedAt)
     ON CONFLICT (platform, platform_id) DO NOTHING`,
  ),
  rollup: sqlite.prepare(
    `INSERT INTO daily_mentions (day, platform, label, count, score_sum) VALUES (?, ?, ?, 1, ?)
     ON CONFLICT (day, platform, label) DO UPDATE SET count = count + 1, score_sum = score_sum + excluded.score_sum`,
  ),
}));

/** Inserts new mentions (a repeated platform id is a duplicate) with their daily rollup, in one transaction. */
export async function writeMentions(
  db: Db,
  rows: MentionWrite[],
  options?: WriteOptions,
): Promise<{ counts: WriteCounts; outcomes: RowOutcome[] }> {
  const q = prepared(db);
  return transact(db, options, () => {
    const counts = emptyCounts();
    const outcomes = rows.map((row): RowOutcome => {
      if (q.insert.run(row).changes === 0) {
        counts.duplicates++;
        return "duplicate";
      }
      q.rollup.run(row.day, row.platform, row.sentimentLabel, row.sentimentScore);
      counts.accepted++;
      return "accepted";
    });
    const latest = rows.reduce((max, row) => Math.max(max, row.receivedAt), 0);
    if (latest > 0) noteReceivedInTransaction(db, "mentions", latest);
    return { counts, outcomes };
  });
}
