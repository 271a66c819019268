import { statSync } from "node:fs";
import type { Db } from "../../client.ts";
import { writeTransaction } from "../../write.ts";

/** Writes and commits one small row, as every ingest does: fails as a real write would (full disk, read-only, locked). */
export async function probeWrite(db: Db, at: number): Promise<void> {
  writeTransaction(db, () => {
    db.sqlite
      .prepare(
        "INSERT INTO meta (key, value) VALUES ('ready_probe', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(String(at));
  });
}

/** SQLite's quick_check (b-tree structure, no index cross-check): "ok", or the first problem it found. */
export async function quickCheck(db: Db): Promise<string> {
  const first = db.sqlite.prepare("PRAGMA quick_check(1)").pluck().get();
  return String(first);
}

/** The database file's size in bytes (0 in memory). */
export async function databaseBytes(db: Db): Promise<number> {
  if (db.path === ":memory:") return 0;
  try {
    return statSync(db.path).size;
  } catch {
    return 0;
  }
}
