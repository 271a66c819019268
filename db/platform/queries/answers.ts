import { desc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { answers, feedback } from "../schema/operations.ts";

export type AnswerRow = typeof answers.$inferSelect;

/*
 * Stored answers and feedback are sealed at rest: what was asked and answered may name a
 * customer (`customer grace@example.com`, a segment's members).
 */

export async function insertAnswer(db: Db, row: AnswerRow): Promise<void> {
  const { sealer } = db;
  db.orm
    .insert(answers)
    .values({
      ...row,
      command: sealer.seal(row.command),
      question: sealer.sealNullable(row.question),
      report: sealer.seal(row.report),
    })
    .run();
}

export async function getAnswer(db: Db, id: string): Promise<AnswerRow | undefined> {
  const row = db.orm.select().from(answers).where(eq(answers.id, id)).get();
  if (!row) return undefined;
  const { sealer } = db;
  return {
    ...row,
    command: sealer.open(row.command),
    question: sealer.openNullable(row.question),
    report: sealer.open(row.report),
  };
}

export async function forgetAnswers(db: Db, before: number): Promise<number> {
  return db.orm.delete(answers).where(lt(answers.createdAt, before)).run().changes;
}

export type FeedbackRow = typeof feedback.$inferSelect;

/** A person's 👍 or 👎 on an answer: their latest replaces the one before. */
export async function saveFeedback(db: Db, row: FeedbackRow): Promise<void> {
  db.orm
    .insert(feedback)
    .values({ ...row, question: db.sealer.seal(row.question), command: db.sealer.seal(row.command) })
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
    .all()
    .map((row) => ({ ...row, question: db.sealer.open(row.question), command: db.sealer.open(row.command) }));
}
