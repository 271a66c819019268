import type Database from "better-sqlite3";
import type { Db } from "../../client.ts";
import type { PersonalTable } from "../../personal.ts";
import { add, CHUNK, checkNames, type PersonIds } from "./personal.ts";

/*
 * Retention: rows of a kind (raw events, mentions, sends, stored answers) older than its setting,
 * deleted a batch at a time with the rows derived from them, as the personal-data maps say.
 */

/**
 * Deletes a batch of the rows of one kind older than `before` (and the rows derived from them,
 * through the maps' yields); the count deleted, 0 when none are left.
 */
export async function retire(
  db: Db,
  tables: readonly PersonalTable[],
  kind: string,
  before: number,
  limit: number,
): Promise<number> {
  const { sqlite } = db;
  let deleted = 0;
  sqlite.transaction(() => {
    for (const table of tables) {
      if (table.retention?.kind !== kind) continue;
      checkNames(sqlite, table);
      const hasId = sqlite
        .prepare("SELECT 1 FROM pragma_table_info(?) WHERE pk > 0 AND name = 'id'")
        .get(table.table);
      if (!hasId) throw new Error(`retention needs an id column: ${table.table}`);
      const yields = Object.keys(table.yields ?? {});
      const rows = sqlite
        .prepare(
          `SELECT ${["id", ...yields].map((c) => `"${c}"`).join(", ")} FROM "${table.table}" WHERE "${table.retention.column}" < ? LIMIT ?`,
        )
        .all(before, limit) as Record<string, unknown>[];
      if (rows.length === 0) continue;
      // What was derived from these rows goes with them (a mention's topics, a send's clicks).
      const ids: PersonIds = {};
      for (const row of rows) for (const c of yields) add(ids, table.yields![c]!, row[c]);
      for (const other of tables) {
        if (other === table) continue;
        for (const [c, key] of Object.entries(other.findBy)) {
          if (key === "text" || !ids[key]) continue;
          deleteIn(sqlite, other.table, c, [...ids[key]]);
        }
      }
      deleted += deleteIn(
        sqlite,
        table.table,
        "id",
        rows.map((r) => r["id"] as string),
      );
    }
  })();
  return deleted;
}

function deleteIn(
  sqlite: Database.Database,
  table: string,
  column: string,
  values: readonly unknown[],
): number {
  let changes = 0;
  for (let i = 0; i < values.length; i += CHUNK) {
    const chunk = values.slice(i, i + CHUNK);
    changes += sqlite
      .prepare(`DELETE FROM "${table}" WHERE "${column}" IN (${chunk.map(() => "?").join(", ")})`)
      .run(...chunk).changes;
  }
  return changes;
}

/** Rows of each retained kind older than `before`, for `privacy` to say what retention will do. */
export async function countOlder(
  db: Db,
  tables: readonly PersonalTable[],
  kind: string,
  before: number,
): Promise<number> {
  let total = 0;
  for (const table of tables) {
    if (table.retention?.kind !== kind) continue;
    checkNames(db.sqlite, table);
    const row = db.sqlite
      .prepare(`SELECT count(*) AS n FROM "${table.table}" WHERE "${table.retention.column}" < ?`)
      .get(before) as { n: number };
    total += row.n;
  }
  return total;
}
