import { eq } from "drizzle-orm";
import { dbOf, type Tables } from "../client.ts";
import { getMeta } from "../platform/queries/meta.ts";
import { writeTransaction } from "../write.ts";
import { sentimentWords, topics } from "./schema.ts";

export interface TopicRow {
  name: string;
  terms: string[];
  owner: string | null;
  createdAt: number;
}

export async function listTopics(tables: Tables): Promise<TopicRow[]> {
  const db = dbOf(tables);
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
export async function saveTopic(
  tables: Tables,
  topic: TopicRow,
  matches: (text: string) => boolean,
): Promise<number> {
  const db = dbOf(tables);
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

export async function deleteTopic(tables: Tables, name: string): Promise<boolean> {
  const db = dbOf(tables);
  return writeTransaction(db, () => {
    db.sqlite.prepare("DELETE FROM mention_topics WHERE topic = ?").run(name);
    db.sqlite.prepare("DELETE FROM mention_buckets WHERE topic = ?").run(name);
    return db.orm.delete(topics).where(eq(topics.name, name)).run().changes > 0;
  });
}

export async function lexiconWords(tables: Tables): Promise<Map<string, number>> {
  const db = dbOf(tables);
  return new Map(
    db.orm
      .select()
      .from(sentimentWords)
      .all()
      .map((row) => [row.word, row.score]),
  );
}

/** The workspace lexicon's version: every change bumps it, and mentions are rescored. */
export async function lexiconVersion(tables: Tables): Promise<number> {
  const db = dbOf(tables);
  return Number((await getMeta(db, "sentiment_lexicon_version")) ?? 0);
}

export async function setLexiconWord(
  tables: Tables,
  word: string,
  score: number | null,
  actor: string,
  at: number,
) {
  const db = dbOf(tables);
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
export async function bucketCounts(
  tables: Tables,
  grain: "5m" | "1h",
  topic: string,
  from: number,
  to: number,
  platform?: string,
): Promise<BucketRow[]> {
  const db = dbOf(tables);
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

export async function findMentions(tables: Tables, filter: MentionFilter): Promise<MentionView[]> {
  const db = dbOf(tables);
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
      `SELECT m.id, m.platform, lift_open(m.url) AS url, lift_open(m.author) AS author, m.text, m.lang, m.timestamp, m.sentiment_score AS score,
              m.sentiment_label AS label, m.likes, m.reposts, m.replies
       FROM mentions m WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ?`,
    )
    .all(...args, filter.limit) as MentionView[];
}

/** How many mentions are stored (for `lift status`). */
export async function countMentions(tables: Tables): Promise<number> {
  const db = dbOf(tables);
  return (db.sqlite.prepare("SELECT count(*) AS n FROM mentions").get() as { n: number }).n;
}
