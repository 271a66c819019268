import { randomBytes } from "node:crypto";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { dbOf, type Tables } from "../client.ts";
import { preparedFor } from "../platform/queries/statements.ts";

/*
 * The suppression list (addresses that never get marketing mail again, kept by keyed hash) and
 * the key those hashes are made under when the workspace sets none.
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

/**
 * A secret kept beside the database file (0600), made on first use: the workspace's hash key
 * in local mode. Two processes starting at once agree (the second reads what the first wrote).
 * An in-memory database gets one for the process.
 */
export async function keyBesideDatabase(
  tables: Tables,
  file: string,
): Promise<{ key: Buffer; path: string | null; created: boolean }> {
  const { path } = dbOf(tables);
  if (path === ":memory:" || path === "") return { key: randomBytes(32), path: null, created: true };
  const keyPath = join(dirname(path), file);
  try {
    return {
      key: Buffer.from(readFileSync(keyPath, "utf8").trim(), "base64"),
      path: keyPath,
      created: false,
    };
  } catch {
    try {
      writeFileSync(keyPath, `${randomBytes(32).toString("base64")}\n`, { flag: "wx", mode: 0o600 });
      chmodSync(keyPath, 0o600);
      return {
        key: Buffer.from(readFileSync(keyPath, "utf8").trim(), "base64"),
        path: keyPath,
        created: true,
      };
    } catch {
      return {
        key: Buffer.from(readFileSync(keyPath, "utf8").trim(), "base64"),
        path: keyPath,
        created: false,
      };
    }
  }
}
