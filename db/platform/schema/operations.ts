import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Where data comes from on a schedule: kind, its settings, and the cursor a pull resumes from. */
export const sources = sqliteTable(
  "sources",
  {
    id: integer("id").primaryKey(),
    kind: text("kind").notNull(),
    name: text("name").notNull(),
    config: text("config").notNull(),
    cursor: text("cursor"),
    schedule: text("schedule"),
    lastStatus: text("last_status"),
    lastError: text("last_error"),
    lastRunAt: integer("last_run_at"),
    createdAt: integer("created_at").notNull(),
    /** active, paused (by a person) or deleted (kept so its mentions keep their source). */
    status: text("status", { enum: ["active", "paused", "deleted"] })
      .notNull()
      .default("active"),
    /** How often it is pulled. */
    everyMinutes: integer("every_minutes").notNull().default(15),
    nextRunAt: integer("next_run_at"),
    /** Pulls that failed in a row: the backoff grows with them. */
    failures: integer("failures").notNull().default(0),
    lastOkAt: integer("last_ok_at"),
    /** Rows the source has brought in, in all. */
    itemsTotal: integer("items_total").notNull().default(0),
    owner: text("owner"),
  },
  (t) => [index("sources_due").on(t.status, t.nextRunAt)],
);

/**
 * Every answer a person was shown, with its chart specs, kept at least 7 days:
 * "Post to channel", "Send chart to me" and "Download CSV" act on the stored
 * answer (the numbers the person saw), never on a rerun.
 */
export const answers = sqliteTable(
  "answers",
  {
    id: text("id").primaryKey(),
    command: text("command").notNull(),
    userId: text("user_id").notNull(),
    channelId: text("channel_id"),
    kind: text("kind").notNull(),
    report: text("report").notNull(),
    createdAt: integer("created_at").notNull(),
    /** What the person typed, when it differs from the command (a question in plain words): for feedback. */
    question: text("question"),
  },
  (t) => [index("answers_created").on(t.createdAt)],
);

/**
 * 👍 / 👎 on an answer, one per person and answer (the latest counts), with the question, the
 * command it was read as and the answer's kind: misreadings become test cases.
 */
export const feedback = sqliteTable(
  "feedback",
  {
    answerId: text("answer_id").notNull(),
    userId: text("user_id").notNull(),
    value: text("value", { enum: ["good", "bad"] }).notNull(),
    question: text("question").notNull(),
    command: text("command").notNull(),
    kind: text("kind").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.answerId, t.userId] }), index("feedback_created").on(t.createdAt)],
);

/** Digests and alerts people asked for: where, when, what. */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: integer("id").primaryKey(),
    kind: text("kind").notNull(),
    channel: text("channel").notNull(),
    owner: text("owner").notNull(),
    schedule: text("schedule").notNull(),
    timezone: text("timezone").notNull(),
    options: text("options").notNull(),
    nextRunAt: integer("next_run_at"),
    active: integer("active", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("subscriptions_due").on(t.active, t.nextRunAt)],
);

/** Alert incidents: one row per incident, so each is announced once and resolved once. */
export const alerts = sqliteTable(
  "alerts",
  {
    id: integer("id").primaryKey(),
    subscriptionId: integer("subscription_id").references(() => subscriptions.id),
    kind: text("kind").notNull(),
    incidentKey: text("incident_key").notNull(),
    status: text("status", { enum: ["open", "resolved"] }).notNull(),
    openedAt: integer("opened_at").notNull(),
    resolvedAt: integer("resolved_at"),
    payload: text("payload").notNull(),
  },
  (t) => [uniqueIndex("alerts_incident").on(t.incidentKey)],
);

export const jobRuns = sqliteTable(
  "job_runs",
  {
    id: integer("id").primaryKey(),
    job: text("job").notNull(),
    scheduledFor: integer("scheduled_for").notNull(),
    startedAt: integer("started_at").notNull(),
    endedAt: integer("ended_at"),
    status: text("status", { enum: ["running", "ok", "failed"] }).notNull(),
    error: text("error"),
    /** Tries of this run: a crashed run, or one left running by a dead process, is taken over. */
    attempts: integer("attempts").notNull().default(1),
  },
  (t) => [uniqueIndex("job_runs_once").on(t.job, t.scheduledFor), index("job_runs_status").on(t.status)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey(),
    at: integer("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    detail: text("detail").notNull(),
    /** Where it was done: slack, console, cli, workflow, api, or lift (a job). Null in rows from before it was kept. */
    surface: text("surface"),
  },
  (t) => [index("audit_log_at").on(t.at)],
);

/** Segment-style write keys; only a SHA-256 hash of each key is stored. */
export const writeKeys = sqliteTable("write_keys", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  keyHash: text("key_hash").notNull().unique(),
  prefix: text("prefix").notNull(),
  createdAt: integer("created_at").notNull(),
  revokedAt: integer("revoked_at"),
  lastUsedAt: integer("last_used_at"),
});

/** How far a file import got: a killed import resumes after the last committed row. */
export const importProgress = sqliteTable("import_progress", {
  fingerprint: text("fingerprint").primaryKey(),
  kind: text("kind").notNull(),
  path: text("path").notNull(),
  rowsCommitted: integer("rows_committed").notNull(),
  startedAt: integer("started_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  finishedAt: integer("finished_at"),
});

/** Small settings the database keeps about itself (e.g. the time zone its rollups were cut in). */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export type WriteKeyRow = typeof writeKeys.$inferSelect;
