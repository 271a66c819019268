import { desc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { answers, feedback } from "../schema/operations.ts";

export type AnswerRow = typeof answers.$inferSelect;

export async function insertAnswer(db: Db, row: AnswerRow): Promise<void> {
  db.orm.insert(answers).values(row).run();
}

export async function getAnswer(db: Db, id: string): Promise<AnswerRow | undefined> {
  return db.orm.select().from(answers).where(eq(answers.id, id)).get();
}

export async function forgetAnswers(db: Db, before: number): Promise<number> {
  return db.orm.delete(answers).where(lt(answers.createdAt, before)).run().changes;
}

export type FeedbackRow = typeof feedback.$inferSelect;

/** A person's 👍 or 👎 on an answer: their latest replaces the one before. */
export async function saveFeedback(db: Db, row: FeedbackRow): Promise<void> {
  db.orm
    .insert(feedback)
    .values(row)
    .onConflictDoUpdate({
      target: [feedback.answerId, feedback.userId],
      set: { value: row.value, createdAt: row.createdAt },
    })
    .run();
}

/** Feedback since an instant, newest first. */
export async function listFeedback(db: Db, since: number): Promise<FeedbackRow[]> {
  return db.orm
    .select()
    .from(feedback)
    .where(gte(feedback.createdAt, since))
    .orderBy(desc(feedback.createdAt))
    .all();
}
