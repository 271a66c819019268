import type { Db } from "./client.ts";

const BUSY = new Set(["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_LOCKED"]);
const TRIES = 4;

export function isBusy(error: unknown): boolean {
  return BUSY.has((error as { code?: string }).code ?? "");
}

/** Blocks the thread for `ms` (better-sqlite3 is synchronous; so is waiting for its lock). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `work` in a write transaction begun IMMEDIATE: the write lock is taken
 * before the first read, so two Lift processes on one file queue on SQLite's
 * busy timeout instead of one failing with SQLITE_BUSY when a deferred
 * transaction tries to turn its read into a write. If the lock is still not
 * had after the busy timeout, the whole transaction is tried again (up to four
 * times); nothing of a failed try is kept. Inside another transaction it is a
 * savepoint of that one.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  const run = db.sqlite.transaction(work);
  for (let attempt = 1; ; attempt++) {
    try {
      return db.sqlite.inTransaction ? run() : run.immediate();
    } catch (error) {
      if (!isBusy(error) || attempt >= TRIES || db.sqlite.inTransaction) throw error;
      pause(100 * attempt);
    }
  }
}
