import { eq } from "drizzle-orm";
import type { Db } from "../client.ts";
import { importProgress } from "../schema/index.ts";

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

export interface WriteOptions {
  /** Progress of the file import this batch belongs to, committed with the batch. */
  checkpoint?: ImportCheckpoint | undefined;
  /** When the data arrived (for freshness); defaults to now. */
  receivedAt?: number | undefined;
}

/** Runs `work` in one transaction, committing the import checkpoint with it. */
export function transact<T>(db: Db, options: WriteOptions | undefined, work: () => T): T {
  return db.sqlite.transaction(() => {
    const result = work();
    if (options?.checkpoint) saveCheckpointInTransaction(db, options.checkpoint);
    return result;
  })();
}
