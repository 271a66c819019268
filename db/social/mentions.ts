import { type Db, dbOf, type Tables } from "../client.ts";
import { transact, type WriteOptions } from "../platform/queries/imports.ts";
import {
  emptyCounts,
  noteReceivedInTransaction,
  preparedFor,
  type RowOutcome,
  type WriteCounts,
} from "../platform/queries/statements.ts";
import { writeTransaction } from "../write.ts";
import type { mentions } from "./schema.ts";

type MentionRow = typeof mentions.$inferInsert;

export type MentionLabel = MentionRow["sentimentLabel"];

/** A mention as written: the table's columns (from its drizzle schema) and the topics it is filed under. */
export type MentionWrite = Required<
  Pick<
    MentionRow,
    | "platform"
    | "platformId"
    | "url"
    | "author"
    | "text"
    | "lang"
    | "timestamp"
    | "day"
    | "sentimentScore"
    | "sentimentLabel"
    | "sentimentVersion"
    | "likes"
    | "reposts"
    | "replies"
    | "sourceId"
    | "receivedAt"
  >
> & {
  /** The topics it belongs to ("brand" and every topic whose terms it contains). */
  topics: string[];
};

/** The bucket grains kept: 5 minutes (spike checks) and an hour (trends up to a few months). */
export const GRAINS = [
  ["5m", 300_000],
  ["1h", 3_600_000],
] as const;

const prepared = preparedFor((sqlite) => ({
  insert: sqlite.prepare(
    `INSERT INTO mentions (platform, platform_id, url, author, text, lang, timestamp, day, sentiment_score,
       sentiment_label, sentiment_version, likes, reposts, replies, source_id, received_at)
     VALUES (@platform, @platformId, @url, @author, @text, @lang, @timestamp, @day, @sentimentScore,
       @sentimentLabel, @sentimentVersion, @likes, @reposts, @replies, @sourceId, @receivedAt)
     ON CONFLICT (platform, platform_id) DO NOTHING`,
  ),
  rollup: sqlite.prepare(
    `INSERT INTO daily_mentions (day, platform, label, count, score_sum) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (day, platform, label) DO UPDATE SET count = count + excluded.count, score_sum = score_sum + excluded.score_sum`,
  ),
  topic: sqlite.prepare("INSERT OR IGNORE INTO mention_topics (topic, mention_id) VALUES (?, ?)"),
  bucket: sqlite.prepare(
    `INSERT INTO mention_buckets (grain, start, topic, platform, label, count, score_sum) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (grain, topic, start, platform, label) DO UPDATE SET count = count + excluded.count,
       score_sum = score_sum + excluded.score_sum`,
  ),
  topicsOf: sqlite.prepare<[number], { topic: string }>(
    "SELECT topic FROM mention_topics WHERE mention_id = ?",
  ),
  rescore: sqlite.prepare(
    "UPDATE mentions SET sentiment_score = ?, sentiment_label = ?, sentiment_version = ? WHERE id = ?",
  ),
  stale: sqlite.prepare<
    [number, number],
    {
      id: number;
      text: string;
      lang: string | null;
      platform: string;
      timestamp: number;
      day: string;
      score: number;
      label: MentionLabel;
    }
  >(
    `SELECT id, text, lang, platform, timestamp, day, sentiment_score AS score, sentiment_label AS label
     FROM mentions WHERE sentiment_version >= 0 AND sentiment_version <> ? ORDER BY id LIMIT ?`,
  ),
}));

/** Adds (or, with −1, takes away) one mention in its buckets and daily rollup. */
function count(
  db: Db,
  m: { platform: string; timestamp: number; day: string; label: MentionLabel; score: number },
  topics: string[],
  sign: 1 | -1,
): void {
  const q = prepared(db);
  q.rollup.run(m.day, m.platform, m.label, sign, sign * m.score);
  for (const topic of topics)
    for (const [grain, ms] of GRAINS)
      q.bucket.run(
        grain,
        Math.floor(m.timestamp / ms) * ms,
        topic,
        m.platform,
        m.label,
        sign,
        sign * m.score,
      );
}

/** Inserts new mentions (a repeated platform id is a duplicate) with their topics and rollups, in one transaction. */
export async function writeMentions(
  tables: Tables,
  rows: MentionWrite[],
  options?: WriteOptions,
): Promise<{ counts: WriteCounts; outcomes: RowOutcome[] }> {
  const db = dbOf(tables);
  const q = prepared(db);
  return transact(db, options, () => {
    const counts = emptyCounts();
    const outcomes = rows.map((row): RowOutcome => {
      const { topics, ...values } = row;
      // The author's handle and the post's address (which names them) are sealed; the text stays searchable.
      const inserted = q.insert.run({
        ...values,
        author: db.sealer.sealNullable(values.author),
        url: db.sealer.sealNullable(values.url),
      });
      if (inserted.changes === 0) {
        counts.duplicates++;
        return "duplicate";
      }
      const id = Number(inserted.lastInsertRowid);
      for (const topic of topics) q.topic.run(topic, id);
      count(db, { ...row, label: row.sentimentLabel, score: row.sentimentScore }, topics, 1);
      counts.accepted++;
      return "accepted";
    });
    const latest = rows.reduce((max, row) => Math.max(max, row.receivedAt), 0);
    if (latest > 0) noteReceivedInTransaction(db, "mentions", latest);
    return { counts, outcomes };
  });
}

export interface StaleMention {
  id: number;
  text: string;
  lang: string | null;
}

/**
 * Rescoring: up to `limit` mentions scored by another version, rescored by
 * `score`, their rollups moved from the old label to the new, in one
 * transaction (a few thousand at a time, so ingest never waits long).
 */
export async function rescoreBatch(
  tables: Tables,
  version: number,
  limit: number,
  score: (m: StaleMention) => { score: number; label: MentionLabel },
): Promise<number> {
  const db = dbOf(tables);
  const q = prepared(db);
  return writeTransaction(db, () => {
    const stale = q.stale.all(version, limit);
    for (const m of stale) {
      const next = score(m);
      if (next.label !== m.label || next.score !== m.score) {
        const topics = q.topicsOf.all(m.id).map((t) => t.topic);
        count(db, m, topics, -1);
        count(db, { ...m, label: next.label, score: next.score }, topics, 1);
      }
      q.rescore.run(next.score, next.label, version, m.id);
    }
    return stale.length;
  });
}
