import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";
import { accessRules } from "../schema/access.ts";
import { writeAudit } from "./audit.ts";

export type AccessRuleRow = typeof accessRules.$inferSelect;
export type AccessRuleKind = AccessRuleRow["kind"];
export type AccessRole = NonNullable<AccessRuleRow["role"]>;

export async function listAccessRules(db: Db): Promise<AccessRuleRow[]> {
  return db.orm.select().from(accessRules).orderBy(asc(accessRules.kind), asc(accessRules.label)).all();
}

/** Sets (or replaces) one rule and audits it, in one transaction; returns the rule it replaced. */
export async function setAccessRule(db: Db, row: AccessRuleRow): Promise<AccessRuleRow | undefined> {
  return writeTransaction(db, () => {
    const before = db.orm
      .select()
      .from(accessRules)
      .where(and(eq(accessRules.kind, row.kind), eq(accessRules.subject, row.subject)))
      .get();
    db.orm
      .insert(accessRules)
      .values(row)
      .onConflictDoUpdate({
        target: [accessRules.kind, accessRules.subject],
        set: { label: row.label, role: row.role, setBy: row.setBy, setAt: row.setAt },
      })
      .run();
    writeAudit(db, {
      at: row.setAt,
      actor: row.setBy,
      action: row.kind === "channel" ? "access.channel" : "access.role",
      detail: JSON.stringify({ [row.kind]: row.label, role: row.role, was: before?.role ?? null }),
    });
    return before;
  });
}

/** Removes one rule and audits it; false when there was none. */
export async function removeAccessRule(
  db: Db,
  key: { kind: AccessRuleKind; subject: string },
  actor: string,
  at: number,
): Promise<AccessRuleRow | undefined> {
  return writeTransaction(db, () => {
    const removed = db.orm
      .delete(accessRules)
      .where(and(eq(accessRules.kind, key.kind), eq(accessRules.subject, key.subject)))
      .returning()
      .get();
    if (removed)
      writeAudit(db, {
        at,
        actor,
        action: "access.remove",
        detail: JSON.stringify({ [removed.kind]: removed.label, role: removed.role }),
      });
    return removed;
  });
}
