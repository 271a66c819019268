import type Database from "better-sqlite3";
import type { Db } from "../../client.ts";
import { transact, type WriteOptions } from "./imports.ts";

/** Prepares a module's statements once per connection and hands them back on every call. */
export function preparedFor<T>(build: (sqlite: Database.Database) => T): (db: Db) => T {
  const cache = new WeakMap<Database.Database, T>();
  return (db) => {
    let prepared = cache.get(db.sqlite);
    if (!prepared) {
      prepared = build(db.sqlite);
      cache.set(db.sqlite, prepared);
    }
    return prepared;
  };
}

/** Outcome counts of one write, before the ingest core adds rejected rows. */
export interface WriteCounts {
  accepted: number;
  updated: number;
  duplicates: number;
  stale: number;
}

export function emptyCounts(): WriteCounts {
  return { accepted: 0, updated: 0, duplicates: 0, stale: 0 };
}

export type RowOutcome = "accepted" | "updated" | "duplicate" | "stale";

/** Upserts rows one by one in one transaction (with the import checkpoint), counting outcomes. */
export async function writeEach<T>(
  db: Db,
  rows: T[],
  options: WriteOptions | undefined,
  source: DataSource,
  upsert: (db: Db, row: T) => RowOutcome,
): Promise<{ counts: WriteCounts; outcomes: RowOutcome[] }> {
  return transact(db, options, () => {
    const counts = emptyCounts();
    const outcomes = rows.map((row) => {
      const outcome = upsert(db, row);
      countOutcome(counts, outcome);
      return outcome;
    });
    if (rows.length > 0) noteReceivedInTransaction(db, source, options?.receivedAt ?? Date.now());
    return { counts, outcomes };
  });
}

export function countOutcome(counts: WriteCounts, outcome: RowOutcome): void {
  if (outcome === "accepted") counts.accepted++;
  else if (outcome === "updated") counts.updated++;
  else if (outcome === "duplicate") counts.duplicates++;
  else counts.stale++;
}

const freshness = preparedFor((sqlite) =>
  sqlite.prepare(
    `INSERT INTO meta (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
  ),
);

export type DataSource = "events" | "orders" | "customers" | "campaigns" | "mentions" | "experiments";

const bump = preparedFor((sqlite) =>
  sqlite.prepare(
    `INSERT INTO meta (key, value) VALUES ('data_version', '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
  ),
);

/**
 * Records, inside the writing transaction, when a source last delivered data
 * (for freshness lines), and bumps the data version live views watch.
 */
export function noteReceivedInTransaction(db: Db, source: DataSource, at: number): void {
  freshness(db).run(`received:${source}`, String(at));
  bump(db).run();
}
