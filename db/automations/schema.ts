import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Marketing automations: what a marketer said (`automation create …`), read into a spec (JSON),
 * with its owner, status and version. Editing a live automation makes a new version; what was
 * sent under the old one is never sent again (sends are keyed by automation, occurrence and step).
 */
export const automations = sqliteTable("automations", {
  id: integer("id").primaryKey(),
  name: text("name").notNull().unique(),
  owner: text("owner").notNull(),
  /** Where approvals and the owner's Slack messages go (a channel id, or "console"). */
  channel: text("channel").notNull(),
  status: text("status", { enum: ["draft", "live", "paused"] }).notNull(),
  version: integer("version").notNull(),
  definition: text("definition").notNull(),
  spec: text("spec").notNull(),
  /** Share of entrants who get nothing (0–0.5), compared with the rest as an experiment. */
  holdout: real("holdout").notNull().default(0),
  /** Going live enrols the segment's current members too (else only new entrants). */
  includeCurrent: integer("include_current", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  liveSince: integer("live_since"),
  /** The triggers' read position (last incident, last schedule run, events read up to), as JSON. */
  cursor: text("cursor").notNull().default("{}"),
  /** Sending stopped (SMTP down) since this instant, and why; the owner was told once. */
  pausedSendingAt: integer("paused_sending_at"),
  pausedSendingWhy: text("paused_sending_why"),
});

/**
 * One customer's (or one incident's) way through an automation: the step it is at and when
 * that step is due. `occurrence` tells two passes apart (one per person for a segment; one per
 * abandoned checkout); `held` runs wait for a bulk send's approval.
 */
export const automationRuns = sqliteTable(
  "automation_runs",
  {
    id: integer("id").primaryKey(),
    automationId: integer("automation_id")
      .notNull()
      .references(() => automations.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    personId: text("person_id").notNull(),
    occurrence: text("occurrence").notNull(),
    arm: text("arm", { enum: ["treatment", "holdout"] }).notNull(),
    state: text("state", { enum: ["held", "active", "done", "exited", "rejected"] }).notNull(),
    step: integer("step").notNull(),
    dueAt: integer("due_at").notNull(),
    enteredAt: integer("entered_at").notNull(),
    /** What the trigger carried (the incident's headline, the event's properties), as JSON. */
    payload: text("payload").notNull().default("{}"),
  },
  (t) => [
    uniqueIndex("automation_runs_once").on(t.automationId, t.occurrence),
    index("automation_runs_due").on(t.state, t.dueAt),
    index("automation_runs_person").on(t.personId),
  ],
);

/**
 * Every message an automation sends, written before it goes (the outbox): keyed so one
 * (automation, occurrence, step) is sent at most once across restarts and processes.
 * `claimed` is in flight; a claim older than the claim timeout is `unclear` (SMTP cannot
 * say whether it went) and is shown, never resent blindly.
 */
export const automationSends = sqliteTable(
  "automation_sends",
  {
    id: integer("id").primaryKey(),
    key: text("key").notNull().unique(),
    automationId: integer("automation_id")
      .notNull()
      .references(() => automations.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    runId: integer("run_id").notNull(),
    personId: text("person_id").notNull(),
    step: integer("step").notNull(),
    channel: text("channel", { enum: ["email", "webhook", "slack", "action"] }).notNull(),
    /** Marketing mail needs consent and counts against the cap; transactional does not. */
    marketing: integer("marketing", { mode: "boolean" }).notNull(),
    /** An address, a URL, a channel. */
    recipient: text("recipient").notNull(),
    template: text("template"),
    status: text("status", {
      enum: ["queued", "claimed", "sent", "shown", "unclear", "failed", "skipped"],
    }).notNull(),
    /** Why it failed or was skipped ("refused by the server: 550 …", "no consent", "suppressed"). */
    reason: text("reason"),
    attempts: integer("attempts").notNull().default(0),
    dueAt: integer("due_at").notNull(),
    claimedAt: integer("claimed_at"),
    sentAt: integer("sent_at"),
    messageId: text("message_id"),
    /** Subject, text and HTML as sent (the console's outbox shows them). */
    subject: text("subject"),
    body: text("body"),
    html: text("html"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("automation_sends_due").on(t.status, t.dueAt),
    index("automation_sends_person").on(t.personId, t.sentAt),
    index("automation_sends_automation").on(t.automationId, t.status),
  ],
);

/** Clicks through Lift's redirect links (opens are not tracked: pixels are unreliable). */
export const automationClicks = sqliteTable(
  "automation_clicks",
  {
    sendId: integer("send_id").notNull(),
    at: integer("at").notNull(),
    url: text("url").notNull(),
  },
  (t) => [index("automation_clicks_send").on(t.sendId)],
);

/**
 * Addresses that never get marketing mail again, kept by keyed hash (HMAC-SHA256 under the
 * workspace's hash key): the list proves an address is suppressed without holding it.
 */
export const suppressions = sqliteTable("suppressions", {
  hash: text("hash").primaryKey(),
  reason: text("reason", { enum: ["unsubscribed", "bounced", "manual", "erased"] }).notNull(),
  at: integer("at").notNull(),
});

/** Email templates: subject and body with {{merge fields}}, who sends and where replies go. */
export const emailTemplates = sqliteTable("email_templates", {
  name: text("name").primaryKey(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  fromAddress: text("from_address"),
  replyTo: text("reply_to"),
  kind: text("kind", { enum: ["marketing", "transactional"] })
    .notNull()
    .default("marketing"),
  updatedAt: integer("updated_at").notNull(),
  updatedBy: text("updated_by").notNull(),
});

/** Which customers of a segment an automation has seen, to tell who entered or left since. */
export const automationMembers = sqliteTable(
  "automation_members",
  {
    automationId: integer("automation_id")
      .notNull()
      .references(() => automations.id, { onDelete: "cascade" }),
    personId: text("person_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.automationId, t.personId] })],
);

export type AutomationRow = typeof automations.$inferSelect;
export type RunRow = typeof automationRuns.$inferSelect;
export type SendRow = typeof automationSends.$inferSelect;
export type TemplateRow = typeof emailTemplates.$inferSelect;
