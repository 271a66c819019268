import { and, asc, eq, isNotNull, lte, ne } from "drizzle-orm";
import { dbOf, type Tables } from "../client.ts";
import { writeAudit } from "../platform/queries/audit.ts";
import { sources } from "../platform/schema/operations.ts";
import { writeTransaction } from "../write.ts";

export type SourceRow = typeof sources.$inferSelect;

export async function insertSource(
  tables: Tables,
  row: {
    kind: string;
    name: string;
    config: string;
    everyMinutes: number;
    owner: string;
    at: number;
  },
): Promise<SourceRow> {
  const db = dbOf(tables);
  return writeTransaction(db, () => {
    const inserted = db.orm
      .insert(sources)
      .values({
        kind: row.kind,
        name: row.name,
        config: row.config,
        everyMinutes: row.everyMinutes,
        owner: row.owner,
        createdAt: row.at,
        nextRunAt: row.at,
        status: "active",
      })
      .returning()
      .get();
    writeAudit(db, {
      at: row.at,
      actor: row.owner,
      action: "source.create",
      detail: JSON.stringify({ id: inserted.id, kind: row.kind }),
    });
    return inserted;
  });
}

export async function getSource(tables: Tables, id: number): Promise<SourceRow | undefined> {
  const db = dbOf(tables);
  return db.orm
    .select()
    .from(sources)
    .where(and(eq(sources.id, id), ne(sources.status, "deleted")))
    .get();
}

export async function listSources(tables: Tables): Promise<SourceRow[]> {
  const db = dbOf(tables);
  return db.orm.select().from(sources).where(ne(sources.status, "deleted")).orderBy(asc(sources.id)).all();
}

export async function dueSources(tables: Tables, now: number): Promise<SourceRow[]> {
  const db = dbOf(tables);
  return db.orm
    .select()
    .from(sources)
    .where(and(eq(sources.status, "active"), isNotNull(sources.nextRunAt), lte(sources.nextRunAt, now)))
    .orderBy(asc(sources.nextRunAt))
    .all();
}

/**
 * Claims a due pull: moves its next run on to `leaseUntil` only if it is still
 * `expected`, so of two processes only one pulls it.
 */
export async function claimSourcePull(
  tables: Tables,
  id: number,
  expected: number | null,
  leaseUntil: number,
): Promise<boolean> {
  const db = dbOf(tables);
  const condition =
    expected === null ? eq(sources.id, id) : and(eq(sources.id, id), eq(sources.nextRunAt, expected));
  return db.orm.update(sources).set({ nextRunAt: leaseUntil }).where(condition).run().changes === 1;
}

export async function recordSourceFailure(
  tables: Tables,
  id: number,
  failure: { error: string; at: number; nextRunAt: number },
): Promise<void> {
  const db = dbOf(tables);
  const row = await getSource(tables, id);
  if (!row) return;
  db.orm
    .update(sources)
    .set({
      lastStatus: "error",
      lastError: failure.error,
      lastRunAt: failure.at,
      failures: row.failures + 1,
      nextRunAt: failure.nextRunAt,
    })
    .where(eq(sources.id, id))
    .run();
}

export async function setSourceStatus(
  tables: Tables,
  id: number,
  status: "active" | "paused" | "deleted",
  actor: string,
  at: number,
): Promise<boolean> {
  const db = dbOf(tables);
  return writeTransaction(db, () => {
    const changed = db.orm
      .update(sources)
      .set({ status, ...(status === "active" ? { nextRunAt: at, failures: 0 } : {}) })
      .where(and(eq(sources.id, id), ne(sources.status, "deleted")))
      .run().changes;
    if (changed > 0) {
      writeAudit(db, { at, actor, action: `source.${status}`, detail: JSON.stringify({ id }) });
    }
    return changed > 0;
  });
}
