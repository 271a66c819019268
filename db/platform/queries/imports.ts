import { eq, sql } from "drizzle-orm";
import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";
import { importProgress, sources } from "../schema/operations.ts";

export interface ImportCheckpoint {
  fingerprint: string;
  kind: string;
  path: string;
  rowsCommitted: number;
  at: number;
  finished: boolean;
}

export async function getImportCheckpoint(
  db: Db,
  fingerprint: string,
): Promise<{ rowsCommitted: number; finishedAt: number | null } | null> {
  const row = db.orm.select().from(importProgress).where(eq(importProgress.fingerprint, fingerprint)).get();
  return row ? { rowsCommitted: row.rowsCommitted, finishedAt: row.finishedAt } : null;
}

/** Records how far a file import got; called inside the transaction that wrote those rows. */
export function saveCheckpointInTransaction(db: Db, checkpoint: ImportCheckpoint): void {
  const finishedAt = checkpoint.finished ? checkpoint.at : null;
  db.orm
    .insert(importProgress)
    .values({
      fingerprint: checkpoint.fingerprint,
      kind: checkpoint.kind,
      path: checkpoint.path,
      rowsCommitted: checkpoint.rowsCommitted,
      startedAt: checkpoint.at,
      updatedAt: checkpoint.at,
      finishedAt,
    })
    .onConflictDoUpdate({
      target: importProgress.fingerprint,
      set: { rowsCommitted: checkpoint.rowsCommitted, updatedAt: checkpoint.at, finishedAt },
    })
    .run();
}

/** Marks an import finished (or records progress) on its own, e.g. when its last batch was all rejects. */
export async function saveCheckpoint(db: Db, checkpoint: ImportCheckpoint): Promise<void> {
  saveCheckpointInTransaction(db, checkpoint);
}

/** A pulled source's progress, committed with the rows its pull brought. */
export interface SourceProgress {
  id: number;
  cursor: string | null;
  at: number;
  nextRunAt: number;
}

export interface WriteOptions {
  /** Progress of the file import this batch belongs to, committed with the batch. */
  checkpoint?: ImportCheckpoint | undefined;
  /** The pulled source this batch came from: its cursor moves in the same transaction. */
  source?: SourceProgress | undefined;
  /** When the data arrived (for freshness); defaults to now. */
  receivedAt?: number | undefined;
}

/** A good pull: the cursor moves, the failures reset, the rows are counted. */
function saveSourceProgressInTransaction(db: Db, progress: SourceProgress, added: number): void {
  db.orm
    .update(sources)
    .set({
      cursor: progress.cursor,
      lastStatus: "ok",
      lastError: null,
      lastRunAt: progress.at,
      lastOkAt: progress.at,
      failures: 0,
      nextRunAt: progress.nextRunAt,
      itemsTotal: sql`${sources.itemsTotal} + ${added}`,
    })
    .where(eq(sources.id, progress.id))
    .run();
}

/** Runs `work` in one transaction, committing the import checkpoint or the source's cursor with it. */
export function transact<T>(db: Db, options: WriteOptions | undefined, work: () => T): T {
  return writeTransaction(db, () => {
    const result = work();
    if (options?.checkpoint) saveCheckpointInTransaction(db, options.checkpoint);
    if (options?.source) {
      const added = (result as { counts?: { accepted?: number } }).counts?.accepted ?? 0;
      saveSourceProgressInTransaction(db, options.source, added);
    }
    return result;
  });
}
