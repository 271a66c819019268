import { eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { getMeta } from "../platform/queries/meta.ts";
import { sentimentWords, topics } from "../schema.ts";
import { writeTransaction } from "../write.ts";

export interface TopicRow {
  name: string;
  terms: string[];
  owner: string | null;
  createdAt: number;
}

export async function listTopics(db: Db): Promise<TopicRow[]> {
  return db.orm
    .select()
    .from(topics)
    .all()
    .map((row) => ({ ...row, terms: JSON.parse(row.terms) as string[] }));
}

/**
 * Saves a topic and files every stored mention that contains one of its terms
 * under it (bucket counts included), in one transaction.
 */
export function saveTopic(db: Db, topic: TopicRow, matches: (text: string) => boolean): number {
  return writeTransaction(db, () => {
    db.orm
      .insert(topics)
      .values({ ...topic, terms: JSON.stringify(topic.terms) })
      .onConflictDoUpdate({
        target: topics.name,
        set: { terms: JSON.stringify(topic.terms), owner: topic.owner },
      })
      .run();
    db.sqlite.prepare("DELETE FROM mention_topics WHERE topic = ?").run(topic.name);
    db.sqlite.prepare("DELETE FROM mention_buckets WHERE topic = ?").run(topic.name);
    const add = db.sqlite.prepare("INSERT INTO mention_topics (topic, mention_id) VALUES (?, ?)");
    let filed = 0;
    // Read first, then write (one connection cannot insert while it iterates).
    for (const m of db.sqlite.prepare("SELECT id, text FROM mentions").all() as {
      id: number;
      text: string;
    }[]) {
      if (!matches(m.text)) continue;
      add.run(topic.name, m.id);
      filed++;
    }
    for (const [grain, ms] of [
      ["5m", 300_000],
      ["1h", 3_600_000],
    ] as const)
      db.sqlite
        .prepare(
          `INSERT INTO mention_buckets (grain, start, topic, platform, label, count, score_sum)
           SELECT ?, (m.timestamp / ?) * ?, ?, m.platform, m.sentiment_label, count(*), sum(m.sentiment_score)
           FROM mention_topics t JOIN mentions m ON m.id = t.mention_id WHERE t.topic = ? GROUP BY 2, 4, 5`,
        )
        .run(grain, ms, ms, topic.name, topic.name);
    return filed;
  });
}

export function deleteTopic(db: Db, name: string): boolean {
  return writeTransaction(db, () => {
    db.sqlite.prepare("DELETE FROM mention_topics WHERE topic = ?").run(name);
    db.sqlite.prepare("DELETE FROM mention_buckets WHERE topic = ?").run(name);
    return db.orm.delete(topics).where(eq(topics.name, name)).run().changes > 0;
  });
}

export async function lexiconWords(db: Db): Promise<Map<string, number>> {
  return new Map(
    db.orm
      .select()
      .from(sentimentWords)
      .all()
      .map((row) => [row.word, row.score]),
  );
}

/** The workspace lexicon's version: every change bumps it, and mentions are rescored. */
export async function lexiconVersion(db: Db): Promise<number> {
  return Number((await getMeta(db, "sentiment_lexicon_version")) ?? 0);
}

export async function setLexiconWord(db: Db, word: string, score: number | null, actor: string, at: number) {
  writeTransaction(db, () => {
    if (score === null) db.orm.delete(sentimentWords).where(eq(sentimentWords.word, word)).run();
    else
      db.orm
        .insert(sentimentWords)
        .values({ word, score, addedBy: actor, addedAt: at })
        .onConflictDoUpdate({ target: sentimentWords.word, set: { score, addedBy: actor, addedAt: at } })
        .run();
    db.sqlite
      .prepare(
        `INSERT INTO meta (key, value) VALUES ('sentiment_lexicon_version', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
      )
      .run();
  });
}

export interface BucketRow {
  start: number;
  label: string;
  count: number;
  scoreSum: number;
}

/** Bucket counts of a topic between two instants, per bucket start and label (every platform, or one). */
export function bucketCounts(
  db: Db,
  grain: "5m" | "1h",
  topic: string,
  from: number,
  to: number,
  platform?: string,
): BucketRow[] {
  return db.sqlite
    .prepare(
      `SELECT start, label, sum(count) AS count, sum(score_sum) AS scoreSum FROM mention_buckets
       WHERE grain = ? AND topic = ? AND start >= ? AND start < ?${platform ? " AND platform = ?" : ""}
       GROUP BY start, label`,
    )
    .all(grain, topic, from, to, ...(platform ? [platform] : [])) as BucketRow[];
}

export interface MentionView {
  id: number;
  platform: string;
  url: string | null;
  author: string | null;
  text: string;
  lang: string | null;
  timestamp: number;
  score: number;
  label: string;
  likes: number | null;
  reposts: number | null;
  replies: number | null;
}

export interface MentionFilter {
  from: number;
  to: number;
  topic?: string | undefined;
  label?: string | undefined;
  /** Text the mention contains (case-insensitive). */
  term?: string | undefined;
  platform?: string | undefined;
  limit: number;
  /** "recent" (newest first) or "engaged" (most likes, reposts and replies first). */
  order?: "recent" | "engaged";
}

export function findMentions(db: Db, filter: MentionFilter): MentionView[] {
  const where = ["m.timestamp >= ?", "m.timestamp < ?"];
  const args: (string | number)[] = [filter.from, filter.to];
  if (filter.topic) {
    where.push("m.id IN (SELECT mention_id FROM mention_topics WHERE topic = ?)");
    args.push(filter.topic);
  }
  if (filter.label) {
    where.push("m.sentiment_label = ?");
    args.push(filter.label);
  }
  if (filter.term) {
    where.push("m.text LIKE ? ESCAPE '\\'");
    args.push(`%${filter.term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (filter.platform) {
    where.push("m.platform = ?");
    args.push(filter.platform);
  }
  const order =
    filter.order === "engaged"
      ? "coalesce(m.likes, 0) + 2 * coalesce(m.reposts, 0) + coalesce(m.replies, 0) DESC, m.timestamp DESC"
      : "m.timestamp DESC";
  return db.sqlite
    .prepare(
      `SELECT m.id, m.platform, m.url, m.author, m.text, m.lang, m.timestamp, m.sentiment_score AS score,
              m.sentiment_label AS label, m.likes, m.reposts, m.replies
       FROM mentions m WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`,
    )
    .all(...args, filter.limit) as MentionView[];
}
