import { dbOf, type Tables } from "../client.ts";
import { preparedFor } from "../platform/queries/statements.ts";

/*
 * The suppression list: addresses that never get marketing mail again, kept by keyed hash
 * (under the workspace's hash key, kept with the database's keys).
 */

const prepared = preparedFor((sqlite) => ({
  suppressed: sqlite.prepare("SELECT 1 FROM suppressions WHERE hash = ?"),
}));

export async function suppress(
  tables: Tables,
  hash: string,
  reason: "unsubscribed" | "bounced" | "manual",
  at: number,
): Promise<boolean> {
  return (
    dbOf(tables)
      .sqlite.prepare("INSERT OR IGNORE INTO suppressions (hash, reason, at) VALUES (?, ?, ?)")
      .run(hash, reason, at).changes > 0
  );
}

export async function isSuppressed(tables: Tables, hash: string): Promise<boolean> {
  return prepared(dbOf(tables)).suppressed.get(hash) !== undefined;
}
