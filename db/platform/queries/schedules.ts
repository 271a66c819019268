import { and, asc, desc, eq, gte, isNotNull, lt, lte, or } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";
import { alerts, jobRuns, subscriptions } from "../schema/operations.ts";
import { writeAudit } from "./audit.ts";

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type IncidentRow = typeof alerts.$inferSelect;

/**
 * Claims one scheduled run of a job: the id for exactly one process per (job,
 * scheduled time). A run that failed (fewer than `maxAttempts` times) or was
 * left "running" for longer than `staleMs` (its process died) is taken over.
 */
export async function claimJobRun(
  db: Db,
  job: string,
  scheduledFor: number,
  at: number,
  options: { staleMs: number; maxAttempts: number },
): Promise<number | null> {
  return writeTransaction(db, (): number | null => {
    const inserted = db.orm
      .insert(jobRuns)
      .values({ job, scheduledFor, startedAt: at, status: "running" })
      .onConflictDoNothing()
      .returning({ id: jobRuns.id })
      .get();
    if (inserted) return inserted.id;
    const row = db.orm
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.job, job), eq(jobRuns.scheduledFor, scheduledFor)))
      .get();
    if (!row) return null;
    const retry =
      (row.status === "failed" && row.attempts < options.maxAttempts) ||
      (row.status === "running" && at - row.startedAt >= options.staleMs);
    if (!retry) return null;
    db.orm
      .update(jobRuns)
      .set({ status: "running", startedAt: at, endedAt: null, attempts: row.attempts + 1 })
      .where(eq(jobRuns.id, row.id))
      .run();
    return row.id;
  });
}

/** Runs of a job since `since` that failed or were left running: the next tick retries them. */
export async function unfinishedJobRuns(
  db: Db,
  job: string,
  since: number,
  at: number,
  options: { staleMs: number; maxAttempts: number },
): Promise<{ scheduledFor: number }[]> {
  return db.orm
    .select({ scheduledFor: jobRuns.scheduledFor })
    .from(jobRuns)
    .where(
      and(
        eq(jobRuns.job, job),
        gte(jobRuns.scheduledFor, since),
        or(
          and(eq(jobRuns.status, "failed"), lt(jobRuns.attempts, options.maxAttempts)),
          and(eq(jobRuns.status, "running"), lte(jobRuns.startedAt, at - options.staleMs)),
        ),
      ),
    )
    .orderBy(asc(jobRuns.scheduledFor))
    .all();
}

export async function finishJobRun(
  db: Db,
  id: number,
  status: "ok" | "failed",
  at: number,
  error?: string,
): Promise<void> {
  db.orm
    .update(jobRuns)
    .set({ status, endedAt: at, error: error ?? null })
    .where(eq(jobRuns.id, id))
    .run();
}

export async function recentJobRuns(db: Db, job: string, limit = 20) {
  return db.orm
    .select()
    .from(jobRuns)
    .where(eq(jobRuns.job, job))
    .orderBy(desc(jobRuns.scheduledFor))
    .limit(limit)
    .all();
}

export async function insertSubscription(
  db: Db,
  row: Omit<typeof subscriptions.$inferInsert, "id">,
  actor: string,
): Promise<SubscriptionRow> {
  return writeTransaction(db, () => {
    const inserted = db.orm.insert(subscriptions).values(row).returning().get();
    writeAudit(db, {
      at: row.createdAt,
      actor,
      action: `${row.kind}.create`,
      detail: JSON.stringify({ id: inserted.id, channel: row.channel }),
    });
    return inserted;
  });
}

export async function getSubscription(db: Db, id: number): Promise<SubscriptionRow | undefined> {
  return db.orm.select().from(subscriptions).where(eq(subscriptions.id, id)).get();
}

export async function listSubscriptions(
  db: Db,
  filter: { kind?: string; channel?: string; owner?: string } = {},
): Promise<SubscriptionRow[]> {
  const conditions = [eq(subscriptions.active, true)];
  if (filter.kind) conditions.push(eq(subscriptions.kind, filter.kind));
  if (filter.channel) conditions.push(eq(subscriptions.channel, filter.channel));
  if (filter.owner) conditions.push(eq(subscriptions.owner, filter.owner));
  return db.orm
    .select()
    .from(subscriptions)
    .where(and(...conditions))
    .orderBy(asc(subscriptions.id))
    .all();
}

export async function deactivateSubscription(
  db: Db,
  id: number,
  actor: string,
  at: number,
): Promise<boolean> {
  return writeTransaction(db, () => {
    const changed = db.orm
      .update(subscriptions)
      .set({ active: false, nextRunAt: null })
      .where(and(eq(subscriptions.id, id), eq(subscriptions.active, true)))
      .run().changes;
    if (changed > 0) {
      writeAudit(db, { at, actor, action: "subscription.delete", detail: JSON.stringify({ id }) });
    }
    return changed > 0;
  });
}

export async function setSubscriptionOptions(
  db: Db,
  id: number,
  options: string,
  actor: string,
  at: number,
): Promise<void> {
  writeTransaction(db, () => {
    db.orm.update(subscriptions).set({ options }).where(eq(subscriptions.id, id)).run();
    writeAudit(db, { at, actor, action: "subscription.update", detail: options });
  });
}

export async function dueSubscriptions(db: Db, now: number): Promise<SubscriptionRow[]> {
  return db.orm
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.active, true),
        isNotNull(subscriptions.nextRunAt),
        lte(subscriptions.nextRunAt, now),
      ),
    )
    .orderBy(asc(subscriptions.nextRunAt))
    .all();
}

/**
 * Moves a subscription's next run on, only if it is still `expected`: of two
 * processes that saw the same due run, exactly one wins and sends it.
 */
export async function advanceSubscription(
  db: Db,
  id: number,
  expected: number,
  next: number,
): Promise<boolean> {
  return (
    db.orm
      .update(subscriptions)
      .set({ nextRunAt: next })
      .where(
        and(eq(subscriptions.id, id), eq(subscriptions.nextRunAt, expected), eq(subscriptions.active, true)),
      )
      .run().changes === 1
  );
}

export async function openIncident(db: Db, subscriptionId: number): Promise<IncidentRow | undefined> {
  return db.orm
    .select()
    .from(alerts)
    .where(and(eq(alerts.subscriptionId, subscriptionId), eq(alerts.status, "open")))
    .get();
}

/** Opens an incident unless one with this key exists; null when it did. */
export async function insertIncident(
  db: Db,
  row: { subscriptionId: number; kind: string; incidentKey: string; openedAt: number; payload: string },
): Promise<IncidentRow | null> {
  return (
    db.orm
      .insert(alerts)
      .values({ ...row, status: "open" })
      .onConflictDoNothing()
      .returning()
      .get() ?? null
  );
}

export async function resolveIncident(db: Db, id: number, at: number): Promise<boolean> {
  return (
    db.orm
      .update(alerts)
      .set({ status: "resolved", resolvedAt: at })
      .where(and(eq(alerts.id, id), eq(alerts.status, "open")))
      .run().changes === 1
  );
}

export async function openIncidents(db: Db): Promise<IncidentRow[]> {
  return db.orm.select().from(alerts).where(eq(alerts.status, "open")).orderBy(desc(alerts.openedAt)).all();
}

export async function lastResolvedIncident(db: Db, subscriptionId: number): Promise<IncidentRow | undefined> {
  return db.orm
    .select()
    .from(alerts)
    .where(and(eq(alerts.subscriptionId, subscriptionId), eq(alerts.status, "resolved")))
    .orderBy(desc(alerts.resolvedAt))
    .get();
}
