import { dbOf, type Tables } from "../client.ts";

/*
 * The erasure list (keyed hashes) and the record of erasures. Its writes run inside the
 * platform's erase transaction (synchronous steps), so a person is erased and suppressed together.
 */

/** Adds the hashes and the run to the list: a step of the erase's own transaction. */
export function suppressionStep(
  hashes: readonly { hash: string; kind: string }[],
  run: { at: number; actor: string; surface: string },
): (tables: Tables, counts: readonly { rows: number }[]) => void {
  return (tables, counts) => {
    const { sqlite } = dbOf(tables);
    const insert = sqlite.prepare("INSERT OR IGNORE INTO erasures (hash, kind, at) VALUES (?, ?, ?)");
    for (const { hash, kind } of hashes) insert.run(hash, kind, run.at);
    sqlite.prepare("INSERT INTO erasure_runs (at, actor, surface, rows) VALUES (?, ?, ?, ?)").run(
      run.at,
      run.actor,
      run.surface,
      counts.reduce((sum, c) => sum + c.rows, 0),
    );
  };
}

/** The list's size and its last change (a reader's cache key). */
export async function erasureVersion(tables: Tables): Promise<{ count: number; last: number }> {
  const row = dbOf(tables)
    .sqlite.prepare("SELECT count(*) AS count, max(at) AS last FROM erasures")
    .get() as {
    count: number;
    last: number | null;
  };
  return { count: row.count, last: row.last ?? 0 };
}

export async function erasureHashes(tables: Tables): Promise<Set<string>> {
  const rows = dbOf(tables).sqlite.prepare("SELECT hash FROM erasures").pluck().all() as string[];
  return new Set(rows);
}

/** When any of these hashes was put on the list; null when none is there. */
export async function erasedAt(tables: Tables, hashes: readonly string[]): Promise<number | null> {
  const statement = dbOf(tables).sqlite.prepare<[string], { at: number }>(
    "SELECT at FROM erasures WHERE hash = ?",
  );
  for (const hash of hashes) {
    const row = statement.get(hash);
    if (row) return row.at;
  }
  return null;
}

/** Erasures done, and the last one. */
export async function erasureRuns(tables: Tables): Promise<{ count: number; lastAt: number | null }> {
  const row = dbOf(tables)
    .sqlite.prepare("SELECT count(*) AS count, max(at) AS last FROM erasure_runs")
    .get() as {
    count: number;
    last: number | null;
  };
  return { count: row.count, lastAt: row.last };
}
