import { and, eq, lt } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";
import { assistantThreads, conversationThreads, slackEvents } from "../schema/slack.ts";

export type EventClaim = "claimed" | "running" | "done";

/**
 * Takes on a Slack event by its id, in one transaction. A new event, one whose
 * earlier try failed, or one left "running" for longer than `staleMs` (its
 * process died) is claimed; an event running elsewhere or done is not.
 */
export async function claimSlackEvent(
  db: Db,
  eventId: string,
  at: number,
  staleMs: number,
): Promise<EventClaim> {
  return writeTransaction(db, (): EventClaim => {
    const row = db.orm.select().from(slackEvents).where(eq(slackEvents.eventId, eventId)).get();
    if (!row) {
      db.orm
        .insert(slackEvents)
        .values({ eventId, status: "running", attempts: 1, receivedAt: at, updatedAt: at })
        .run();
      return "claimed";
    }
    if (row.status === "done") return "done";
    if (row.status === "running" && at - row.updatedAt < staleMs) return "running";
    db.orm
      .update(slackEvents)
      .set({ status: "running", attempts: row.attempts + 1, updatedAt: at })
      .where(eq(slackEvents.eventId, eventId))
      .run();
    return "claimed";
  });
}

export async function finishSlackEvent(
  db: Db,
  eventId: string,
  status: "done" | "failed",
  at: number,
): Promise<void> {
  db.orm.update(slackEvents).set({ status, updatedAt: at }).where(eq(slackEvents.eventId, eventId)).run();
}

/** Slack retries for at most about an hour; older ids need not be kept. */
export async function forgetSlackEvents(db: Db, before: number): Promise<number> {
  return db.orm.delete(slackEvents).where(lt(slackEvents.receivedAt, before)).run().changes;
}

/** Threads nobody has replied in for a long time lose their context. */
export async function forgetThreads(db: Db, before: number): Promise<number> {
  const threads = db.orm
    .delete(conversationThreads)
    .where(lt(conversationThreads.updatedAt, before))
    .run().changes;
  // An assistant thread's context is kept as long as its conversation.
  db.orm.delete(assistantThreads).where(lt(assistantThreads.updatedAt, before)).run();
  return threads;
}

export async function rememberThread(
  db: Db,
  thread: { channelId: string; threadTs: string; command: string; userId: string; at: number },
): Promise<void> {
  db.orm
    .insert(conversationThreads)
    .values({
      channelId: thread.channelId,
      threadTs: thread.threadTs,
      command: thread.command,
      userId: thread.userId,
      updatedAt: thread.at,
    })
    .onConflictDoUpdate({
      target: [conversationThreads.channelId, conversationThreads.threadTs],
      set: { command: thread.command, userId: thread.userId, updatedAt: thread.at },
    })
    .run();
}

export async function threadCommand(db: Db, channelId: string, threadTs: string): Promise<string | null> {
  const row = db.orm
    .select({ command: conversationThreads.command })
    .from(conversationThreads)
    .where(and(eq(conversationThreads.channelId, channelId), eq(conversationThreads.threadTs, threadTs)))
    .get();
  return row?.command ?? null;
}

/** The context of an assistant-panel thread (the channel being viewed), and whether it has its title. */
export async function assistantThread(
  db: Db,
  channelId: string,
  threadTs: string,
): Promise<{ context: Record<string, unknown>; titled: boolean } | null> {
  const row = db.orm
    .select()
    .from(assistantThreads)
    .where(and(eq(assistantThreads.channelId, channelId), eq(assistantThreads.threadTs, threadTs)))
    .get();
  return row
    ? { context: JSON.parse(row.context) as Record<string, unknown>, titled: row.titled === 1 }
    : null;
}

export async function saveAssistantThread(
  db: Db,
  thread: {
    channelId: string;
    threadTs: string;
    context?: Record<string, unknown>;
    titled?: boolean;
    at: number;
  },
): Promise<void> {
  const context = JSON.stringify(thread.context ?? {});
  db.orm
    .insert(assistantThreads)
    .values({
      channelId: thread.channelId,
      threadTs: thread.threadTs,
      context,
      titled: thread.titled ? 1 : 0,
      updatedAt: thread.at,
    })
    .onConflictDoUpdate({
      target: [assistantThreads.channelId, assistantThreads.threadTs],
      set: {
        ...(thread.context ? { context } : {}),
        ...(thread.titled !== undefined ? { titled: thread.titled ? 1 : 0 } : {}),
        updatedAt: thread.at,
      },
    })
    .run();
}
