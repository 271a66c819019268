import { AsyncLocalStorage } from "node:async_hooks";
import { and, desc, eq, gte, lt } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { auditLog } from "../schema/operations.ts";

/** Where a change was made: Slack, a Workflow Builder step, the console, the CLI, the HTTP API, or Lift itself (a job). */
export type Surface = "slack" | "workflow" | "console" | "cli" | "api" | "lift";

export const SURFACES: readonly Surface[] = ["slack", "workflow", "console", "cli", "api", "lift"];

/** The change being made now: who, from where, and whether it has written its audit row yet. */
export interface AuditScope {
  actor: string;
  surface: Surface;
  wrote: boolean;
}

const scope = new AsyncLocalStorage<AuditScope>();

/**
 * Runs a change with who makes it and from where, so every audit row written
 * while it runs (by the platform or a capability's own queries) says where it
 * came from, and the caller can tell whether the change audited itself.
 */
export function withAuditScope<T>(
  who: { actor: string; surface: Surface },
  run: (current: AuditScope) => Promise<T>,
): Promise<T> {
  const current: AuditScope = { ...who, wrote: false };
  return scope.run(current, () => run(current));
}

/** The surface of an actor when no change names it: a Slack user id is Slack; console and cli are themselves. */
export function surfaceOfActor(actor: string): Surface {
  if (actor === "console" || actor === "cli" || actor === "workflow" || actor === "api") return actor;
  if (/^[UW][A-Z0-9]{2,}$/.test(actor)) return "slack";
  return "lift";
}

/** Writes one audit row now (inside a caller's transaction: synchronous). */
export function writeAudit(
  db: Db,
  row: { at: number; actor: string; action: string; detail: string; surface?: Surface },
): void {
  const current = scope.getStore();
  const surface = row.surface ?? (current?.actor === row.actor ? current.surface : surfaceOfActor(row.actor));
  db.orm
    .insert(auditLog)
    .values({ at: row.at, actor: row.actor, action: row.action, detail: row.detail, surface })
    .run();
  if (current) current.wrote = true;
}

export async function insertAudit(
  db: Db,
  row: { at: number; actor: string; action: string; detail: string; surface?: Surface },
): Promise<void> {
  writeAudit(db, row);
}

export async function listAudit(db: Db, action: string, limit = 50) {
  return db.orm
    .select()
    .from(auditLog)
    .where(eq(auditLog.action, action))
    .orderBy(desc(auditLog.at))
    .limit(limit)
    .all();
}

export type AuditRow = typeof auditLog.$inferSelect;

/** The audit rows in [from, to), newest first, at most `limit` (and how many there are in all). */
export async function auditBetween(
  db: Db,
  from: number,
  to: number,
  limit: number,
): Promise<{ rows: AuditRow[]; total: number }> {
  const where = and(gte(auditLog.at, from), lt(auditLog.at, to));
  const rows = db.orm
    .select()
    .from(auditLog)
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit)
    .all();
  const total = db.sqlite
    .prepare("SELECT count(*) AS n FROM audit_log WHERE at >= ? AND at < ?")
    .get(from, to) as { n: number };
  return { rows, total: total.n };
}
