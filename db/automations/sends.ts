import { dbOf, type Tables } from "../client.ts";
import { preparedFor } from "../platform/queries/statements.ts";
import { writeTransaction } from "../write.ts";
import type { SendRow } from "./schema.ts";

/*
 * The outbox: every message is a row before it goes. Claiming is one UPDATE in a write
 * transaction, so two processes never take the same send; a claim not finished within the
 * claim timeout (the process died between claim and the SMTP reply) becomes `unclear`.
 */

export type { SendRow };

export type NewSend = Omit<
  SendRow,
  "id" | "status" | "reason" | "attempts" | "claimedAt" | "sentAt" | "messageId" | "subject" | "body" | "html"
>;

// The address and the rendered message are sealed at rest; a reason is Lift's words (an address
// a mail server quoted in one is replaced when it is written), so reasons can be counted.
const SEND_COLUMNS = `id, key, automation_id AS automationId, version, run_id AS runId, person_id AS personId, step, channel,
  marketing, lift_open(recipient) AS recipient, template, status, reason, attempts, due_at AS dueAt,
  claimed_at AS claimedAt, sent_at AS sentAt, message_id AS messageId, lift_open(subject) AS subject,
  lift_open(body) AS body, lift_open(html) AS html, created_at AS createdAt`;

/** A mail server's reply may quote the recipient: kept without the address. */
function withoutAddresses(text: string | null): string | null {
  return text === null ? null : text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+\.[A-Za-z]{2,}/g, "[address]");
}

function sendOf(row: Record<string, unknown>): SendRow {
  return { ...(row as unknown as SendRow), marketing: Boolean(row["marketing"]) };
}

/** The outbox's hot statements, prepared once per connection (a pass runs them per message). */
const prepared = preparedFor((sqlite) => ({
  queue: sqlite.prepare(
    `INSERT OR IGNORE INTO automation_sends (key, automation_id, version, run_id, person_id, step, channel, marketing,
       recipient, template, status, attempts, due_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)`,
  ),
  moveRun: sqlite.prepare("UPDATE automation_runs SET step = ?, due_at = ?, state = ? WHERE id = ?"),
  due: sqlite.prepare(
    `SELECT ${SEND_COLUMNS} FROM automation_sends WHERE status = 'queued' AND due_at <= ?
       AND automation_id IN (SELECT id FROM automations WHERE status = 'live') ORDER BY due_at, id LIMIT ?`,
  ),
  claim: sqlite.prepare(
    "UPDATE automation_sends SET status = 'claimed', claimed_at = ?, attempts = attempts + 1 WHERE id = ? AND status = 'queued'",
  ),
  update: sqlite.prepare(
    `UPDATE automation_sends SET status = ?, reason = coalesce(?, reason), due_at = coalesce(?, due_at), sent_at = coalesce(?, sent_at),
       message_id = coalesce(?, message_id), subject = coalesce(?, subject), body = coalesce(?, body), html = coalesce(?, html)
     WHERE id = ?`,
  ),
  sentTimes: sqlite.prepare(
    `SELECT id, coalesce(sent_at, claimed_at) AS at FROM automation_sends
     WHERE person_id = ? AND marketing = 1 AND channel = 'email' AND status IN ('sent', 'shown', 'claimed', 'unclear')
       AND coalesce(sent_at, claimed_at) >= ?`,
  ),
}));

/** One run moved on: where it is now, and the send its step queued (if any). */
export interface StepWrite {
  send: NewSend | null;
  run: { id: number; step: number; dueAt: number; state: "active" | "done" | "exited" };
}

/**
 * Queues sends and moves runs on, a batch in one transaction: a send whose key is there already
 * (this step was queued before a crash, or under an earlier version) is not queued again.
 * Returns how many sends were queued.
 */
export async function applySteps(tables: Tables, writes: readonly StepWrite[]): Promise<number> {
  const db = dbOf(tables);
  const q = prepared(db);
  return writeTransaction(db, () => {
    let queued = 0;
    for (const { send, run } of writes) {
      if (send)
        queued += q.queue.run(
          send.key,
          send.automationId,
          send.version,
          send.runId,
          send.personId,
          send.step,
          send.channel,
          send.marketing ? 1 : 0,
          db.sealer.seal(send.recipient),
          send.template,
          send.dueAt,
          send.createdAt,
        ).changes;
      q.moveRun.run(run.step, run.dueAt, run.state, run.id);
    }
    return queued;
  });
}

/** Sends due now, claimed for this process in one transaction (at most `limit`). */
export async function claimDue(tables: Tables, now: number, limit: number): Promise<SendRow[]> {
  const db = dbOf(tables);
  const q = prepared(db);
  return writeTransaction(db, () =>
    (q.due.all(now, limit) as Record<string, unknown>[])
      .map(sendOf)
      .filter((row) => q.claim.run(now, row.id).changes > 0)
      .map((row) => ({ ...row, status: "claimed" as const, claimedAt: now, attempts: row.attempts + 1 })),
  );
}

/** Claims older than `before` that never finished: Lift cannot know whether they went. */
export async function markStaleClaims(tables: Tables, before: number): Promise<number> {
  return dbOf(tables)
    .sqlite.prepare(
      "UPDATE automation_sends SET status = 'unclear', reason = 'the process stopped between claiming and the server’s answer: it may have gone; not resent' WHERE status = 'claimed' AND claimed_at < ?",
    )
    .run(before).changes;
}

export interface SendUpdate {
  status: SendRow["status"];
  reason?: string | null;
  dueAt?: number;
  sentAt?: number | null;
  messageId?: string | null;
  subject?: string | null;
  body?: string | null;
  html?: string | null;
}

export async function updateSend(tables: Tables, id: number, update: SendUpdate): Promise<void> {
  await updateSends(tables, [{ id, update }]);
}

/** Several sends' outcomes in one transaction (a batch of messages handed over). */
export async function updateSends(
  tables: Tables,
  updates: readonly { id: number; update: SendUpdate }[],
): Promise<void> {
  if (updates.length === 0) return;
  const db = dbOf(tables);
  const q = prepared(db);
  writeTransaction(db, () => {
    for (const { id, update } of updates)
      q.update.run(
        update.status,
        withoutAddresses(update.reason ?? null),
        update.dueAt ?? null,
        update.sentAt ?? null,
        update.messageId ?? null,
        db.sealer.sealNullable(update.subject ?? null),
        db.sealer.sealNullable(update.body ?? null),
        db.sealer.sealNullable(update.html ?? null),
        id,
      );
  });
}

/** Puts claimed sends back in the queue (the server is down: nothing was handed over). */
export async function requeue(
  tables: Tables,
  ids: readonly number[],
  dueAt: number,
  reason: string,
): Promise<void> {
  const db = dbOf(tables);
  writeTransaction(db, () => {
    const statement = db.sqlite.prepare(
      "UPDATE automation_sends SET status = 'queued', due_at = ?, reason = ?, attempts = attempts - 1 WHERE id = ? AND status = 'claimed'",
    );
    for (const id of ids) statement.run(dueAt, reason, id);
  });
}

/**
 * When each of these people was sent marketing mail (or may have been: claimed, unclear) since
 * an instant, leaving out the sends named in `except` (the batch being decided).
 */
export async function marketingSentTimes(
  tables: Tables,
  personIds: readonly string[],
  since: number,
  except: ReadonlySet<number>,
): Promise<Map<string, number[]>> {
  const statement = prepared(dbOf(tables)).sentTimes;
  const out = new Map<string, number[]>();
  for (const id of new Set(personIds))
    out.set(
      id,
      (statement.all(id, since) as { id: number; at: number }[])
        .filter((r) => !except.has(r.id))
        .map((r) => r.at),
    );
  return out;
}

export async function sendById(tables: Tables, id: number): Promise<SendRow | null> {
  const row = dbOf(tables)
    .sqlite.prepare(`SELECT ${SEND_COLUMNS} FROM automation_sends WHERE id = ?`)
    .get(id) as Record<string, unknown> | undefined;
  return row ? sendOf(row) : null;
}

/** The latest sends (of one automation, or all), newest first: the outbox. */
export async function recentSends(tables: Tables, limit: number, automationId?: number): Promise<SendRow[]> {
  const db = dbOf(tables);
  const rows = (
    automationId === undefined
      ? db.sqlite.prepare(`SELECT ${SEND_COLUMNS} FROM automation_sends ORDER BY id DESC LIMIT ?`).all(limit)
      : db.sqlite
          .prepare(
            `SELECT ${SEND_COLUMNS} FROM automation_sends WHERE automation_id = ? ORDER BY id DESC LIMIT ?`,
          )
          .all(automationId, limit)
  ) as Record<string, unknown>[];
  return rows.map(sendOf);
}

/** A customer's sends, newest first (the customer page). */
export async function sendsOfPerson(tables: Tables, personId: string, limit: number): Promise<SendRow[]> {
  return (
    dbOf(tables)
      .sqlite.prepare(
        `SELECT ${SEND_COLUMNS} FROM automation_sends WHERE person_id = ? ORDER BY id DESC LIMIT ?`,
      )
      .all(personId, limit) as Record<string, unknown>[]
  ).map(sendOf);
}

/** Counts by status, runs by state and arm, clicks and unsubscribes of one automation: its funnel. */
export async function funnelCounts(
  tables: Tables,
  automationId: number,
): Promise<{
  runs: Record<string, number>;
  sends: Record<string, number>;
  /** Sends by step and status. */
  steps: { step: number; status: string; n: number }[];
  clicked: number;
  opened: number;
  unsubscribed: number;
  reasons: { status: string; reason: string; n: number }[];
}> {
  const db = dbOf(tables).sqlite;
  const runs: Record<string, number> = {};
  for (const row of db
    .prepare(
      "SELECT state || ':' || arm AS k, count(*) AS n FROM automation_runs WHERE automation_id = ? GROUP BY k",
    )
    .all(automationId) as { k: string; n: number }[])
    runs[row.k] = row.n;
  const sends: Record<string, number> = {};
  for (const row of db
    .prepare("SELECT status, count(*) AS n FROM automation_sends WHERE automation_id = ? GROUP BY status")
    .all(automationId) as { status: string; n: number }[])
    sends[row.status] = row.n;
  const steps = db
    .prepare(
      "SELECT step, status, count(*) AS n FROM automation_sends WHERE automation_id = ? GROUP BY step, status ORDER BY step",
    )
    .all(automationId) as { step: number; status: string; n: number }[];
  const people = (opens: boolean) =>
    db
      .prepare(
        `SELECT count(DISTINCT s.person_id) FROM automation_clicks c JOIN automation_sends s ON s.id = c.send_id
         WHERE s.automation_id = ? AND (c.url = '(open)') = ?`,
      )
      .pluck()
      .get(automationId, opens ? 1 : 0) as number;
  const clicked = people(false);
  const opened = people(true);
  const unsubscribed = db
    .prepare(
      "SELECT count(*) FROM automation_sends WHERE automation_id = ? AND reason = 'unsubscribed after this message'",
    )
    .pluck()
    .get(automationId) as number;
  const reasons = db
    .prepare(
      `SELECT status, reason, count(*) AS n FROM automation_sends WHERE automation_id = ? AND status IN ('failed', 'unclear', 'skipped') AND reason IS NOT NULL
       GROUP BY status, reason ORDER BY n DESC LIMIT 8`,
    )
    .all(automationId) as { status: string; reason: string; n: number }[];
  return { runs, sends, steps, clicked, opened, unsubscribed, reasons };
}

export async function addClick(tables: Tables, sendId: number, at: number, url: string): Promise<void> {
  dbOf(tables)
    .sqlite.prepare("INSERT INTO automation_clicks (send_id, at, url) VALUES (?, ?, ?)")
    .run(sendId, at, url);
}

/** Notes on the send that its recipient unsubscribed through it (its funnel counts it). */
export async function markUnsubscribed(tables: Tables, sendId: number): Promise<void> {
  dbOf(tables)
    .sqlite.prepare(
      "UPDATE automation_sends SET reason = 'unsubscribed after this message' WHERE id = ? AND status IN ('sent', 'shown')",
    )
    .run(sendId);
}

/** Marks queued marketing sends to a suppressed address skipped, so none waits for a send that will not come. */
export async function skipQueuedTo(tables: Tables, personId: string, reason: string): Promise<number> {
  return dbOf(tables)
    .sqlite.prepare(
      "UPDATE automation_sends SET status = 'skipped', reason = ? WHERE person_id = ? AND status = 'queued' AND marketing = 1",
    )
    .run(reason, personId).changes;
}

/** Per automation: messages sent (or shown) and failed between two instants (a digest's days). */
export async function sendsBetween(
  tables: Tables,
  fromMs: number,
  toMs: number,
): Promise<{ automationId: number; sent: number; failed: number }[]> {
  return dbOf(tables)
    .sqlite.prepare(
      `SELECT automation_id AS automationId, sum(status IN ('sent', 'shown')) AS sent, sum(status IN ('failed', 'unclear')) AS failed
       FROM automation_sends WHERE coalesce(sent_at, claimed_at, created_at) >= ? AND coalesce(sent_at, claimed_at, created_at) < ?
       GROUP BY automation_id`,
    )
    .all(fromMs, toMs) as { automationId: number; sent: number; failed: number }[];
}

/** Runs waiting for an admin's approval, per automation. */
export async function heldRuns(tables: Tables): Promise<Map<number, number>> {
  const rows = dbOf(tables)
    .sqlite.prepare(
      "SELECT automation_id AS id, count(*) AS n FROM automation_runs WHERE state = 'held' GROUP BY automation_id",
    )
    .all() as { id: number; n: number }[];
  return new Map(rows.map((r) => [r.id, r.n]));
}
