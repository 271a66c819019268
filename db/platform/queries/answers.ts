import { eq, lt } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { answers } from "../schema/operations.ts";

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
