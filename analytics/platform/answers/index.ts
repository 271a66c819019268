import { randomBytes } from "node:crypto";
import type { Db } from "../../../db/client.ts";
import {
  type FeedbackRow,
  forgetAnswers,
  getAnswer,
  insertAnswer,
  listFeedback,
  saveFeedback,
} from "../../../db/platform/queries/answers.ts";
import { AppError } from "../base/errors.ts";
import type { Report } from "../reports/report.ts";

export type { FeedbackRow };

/** Answers are kept at least this long, so a button under an old answer still acts on it. */
export const KEEP_ANSWERS_MS = 30 * 24 * 3600_000;
/** The promise in README and the issue: at least seven days. */
export const MIN_KEEP_ANSWERS_MS = 7 * 24 * 3600_000;

export interface StoredAnswer {
  id: string;
  command: string;
  userId: string;
  channelId: string | null;
  report: Report;
  createdAt: number;
}

/**
 * Every answer a person sees, stored with its chart specs: "Post to channel",
 * "Send chart to me" and "Download CSV" act on the stored answer (the numbers
 * the person saw), so a command that changes state never runs twice and an
 * answer a language model wrote is never asked for again.
 */
export class Answers {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Stores the answer and returns it with its id (its actions carry the id too). */
  async store(
    report: Report,
    ask: { command: string; userId: string; channelId?: string | undefined; question?: string | undefined },
  ): Promise<Report> {
    const at = this.now();
    if (at - this.lastSweep > 3600_000) {
      this.lastSweep = at;
      await forgetAnswers(this.db, at - KEEP_ANSWERS_MS);
    }
    const id = randomBytes(9).toString("base64url");
    const stored: Report = {
      ...report,
      id,
      actions: report.actions.map((action) => ({ ...action, answerId: id })),
    };
    await insertAnswer(this.db, {
      id,
      command: ask.command,
      userId: ask.userId,
      channelId: ask.channelId ?? null,
      kind: report.kind,
      report: JSON.stringify(stored),
      createdAt: at,
      question: ask.question && ask.question !== ask.command ? ask.question : null,
    });
    return stored;
  }

  /**
   * A person's 👍 or 👎 on an answer they were shown, kept with the question, the command it
   * was read as and its kind; not_found once the answer has expired.
   */
  async feedback(answerId: string, userId: string, value: "good" | "bad"): Promise<void> {
    const row = /^[\w-]{6,40}$/.test(answerId) ? await getAnswer(this.db, answerId) : undefined;
    if (!row) throw new AppError("not_found", "That answer has expired; feedback on it cannot be kept");
    await saveFeedback(this.db, {
      answerId,
      userId,
      value,
      question: row.question ?? row.command,
      command: row.command,
      kind: row.kind,
      createdAt: this.now(),
    });
  }

  /** Feedback since an instant, newest first. */
  async feedbackSince(since: number): Promise<FeedbackRow[]> {
    return listFeedback(this.db, since);
  }

  async get(id: string): Promise<StoredAnswer | null> {
    if (!/^[\w-]{6,40}$/.test(id)) return null;
    const row = await getAnswer(this.db, id);
    if (!row) return null;
    return {
      id: row.id,
      command: row.command,
      userId: row.userId,
      channelId: row.channelId,
      report: JSON.parse(row.report) as Report,
      createdAt: row.createdAt,
    };
  }
}
