import type { Db } from "../../../db/client.ts";
import {
  assistantThread,
  claimSlackEvent,
  type EventClaim,
  finishSlackEvent,
  forgetSlackEvents,
  forgetThreads,
  rememberThread,
  saveAssistantThread,
  threadCommand,
} from "../../../db/platform/queries/conversations.ts";

/** An event still "running" after this long was left by a process that died; a retry may take it. */
const STALE_RUNNING_MS = 2 * 60_000;
/** Slack stops retrying an event within about an hour (three retries: now, 1 min, 5 min). */
const KEEP_EVENT_IDS_MS = 24 * 3600_000;
/** A follow-up a month after the question starts afresh. */
const KEEP_THREADS_MS = 30 * 24 * 3600_000;

/**
 * What a conversation remembers: which Slack events were handled (so retries
 * run once) and the last command in each thread (so follow-ups keep context).
 */
export class Conversations {
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async claimEvent(eventId: string): Promise<EventClaim> {
    const at = this.now();
    if (at - this.lastSweep > 3600_000) {
      this.lastSweep = at;
      await forgetSlackEvents(this.db, at - KEEP_EVENT_IDS_MS);
      await forgetThreads(this.db, at - KEEP_THREADS_MS);
    }
    return claimSlackEvent(this.db, eventId, at, STALE_RUNNING_MS);
  }

  async finishEvent(eventId: string, ok: boolean): Promise<void> {
    await finishSlackEvent(this.db, eventId, ok ? "done" : "failed", this.now());
  }

  async remember(channelId: string, threadTs: string, command: string, userId: string): Promise<void> {
    await rememberThread(this.db, { channelId, threadTs, command, userId, at: this.now() });
  }

  async lastCommand(channelId: string, threadTs: string): Promise<string | null> {
    return threadCommand(this.db, channelId, threadTs);
  }

  /** An assistant-panel thread: the channel the person views (Slack's thread context), and its title state. */
  async assistantThread(
    channelId: string,
    threadTs: string,
  ): Promise<{ context: Record<string, unknown>; titled: boolean } | null> {
    return assistantThread(this.db, channelId, threadTs);
  }

  async saveAssistantThread(
    channelId: string,
    threadTs: string,
    change: { context?: Record<string, unknown>; titled?: boolean },
  ): Promise<void> {
    await saveAssistantThread(this.db, { channelId, threadTs, ...change, at: this.now() });
  }
}

export type { EventClaim } from "../../../db/platform/queries/conversations.ts";
