import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Slack events Lift has taken on, by Slack's `event_id`. Slack retries an event
 * it thinks was not delivered (HTTP `x-slack-retry-num`, Socket Mode
 * `retry_attempt`); a retry of an event that is running or done is skipped, a
 * retry of one whose first try failed is handled.
 */
export const slackEvents = sqliteTable(
  "slack_events",
  {
    eventId: text("event_id").primaryKey(),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    receivedAt: integer("received_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("slack_events_received").on(t.receivedAt)],
);

/** The last command asked in a thread, so a follow-up there ("and by campaign?") keeps its context. */
export const conversationThreads = sqliteTable(
  "conversation_threads",
  {
    channelId: text("channel_id").notNull(),
    threadTs: text("thread_ts").notNull(),
    command: text("command").notNull(),
    userId: text("user_id").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.threadTs] }),
    index("conversation_threads_updated").on(t.updatedAt),
  ],
);

/**
 * A thread of Lift's assistant panel: the channel the person was viewing when they asked (Slack's
 * thread context), and whether its title was set from the first question.
 */
export const assistantThreads = sqliteTable(
  "assistant_threads",
  {
    channelId: text("channel_id").notNull(),
    threadTs: text("thread_ts").notNull(),
    context: text("context").notNull(),
    titled: integer("titled").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.threadTs] }),
    index("assistant_threads_updated").on(t.updatedAt),
  ],
);
