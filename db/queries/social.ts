import { eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { sentimentWords, topics } from "../schema/index.ts";
import { writeTransaction } from "../write.ts";
import { getMeta } from "./meta.ts";

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
    for (const m of db.sqlite.prepare("SELECT id, text FROM mentions").iterate() as Iterable<{
      id: number;
      text: string;
    }>) {
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
           FROM mention_topics t JOIN mentions m ON m.id = t.mention_id WHERE t.topic = ? GROUP BY 2, 5, 6`,
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
