import type Database from "better-sqlite3";
import {
  type BenchResult,
  bareInsertRate,
  EVENT_COLUMNS,
  EVENT_ROW,
  fmt,
  insertOneByOne,
  insertRate,
} from "./common.ts";
import { type IdForm, loadBatches, storedRow } from "./events.ts";

/**
 * `npm run bench -- --only levers`: the write-path levers the ingest issue named, each measured
 * on the same events (the HTTP benchmark's, with each form of message id) against the storage
 * floor measured in the same run: the bare indexed insert, one row a statement, one transaction
 * per 100. Kept in Lift: what pays (see README, "Ingest throughput").
 */
export function benchLevers(total: number): BenchResult[] {
  return [...leversFor(total, "time"), ...leversFor(total, "uuid")];
}

function leversFor(total: number, ids: IdForm): BenchResult[] {
  const receivedAt = Date.now();
  const rows = loadBatches(total / 100, 100, 0, ids).flatMap((batch) =>
    batch.map((event) => storedRow(event, receivedAt)),
  );
  const floor = bareInsertRate("levers-floor.db", rows, 100);
  const results: BenchResult[] = [];
  const lever = (name: string, value: number, how: string) =>
    results.push({
      name: `lever (${ids === "time" ? "time-prefixed ids" : "UUID v4 ids"}): ${name}`,
      ratio: value / floor,
      goal: "> 1 pays",
      detail: `${fmt(value)} rows/s ÷ floor ${fmt(floor)} rows/s (${how})`,
    });

  lever(
    "each batch sorted by message_id",
    insertRate("levers-sorted.db", rows, 100, (sqlite) => {
      const insert = insertOneByOne(sqlite);
      return (batch) => insert([...batch].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)));
    }),
    "100 a transaction, in key order",
  );
  lever(
    "multi-row VALUES",
    insertRate("levers-multirow.db", rows, 100, (sqlite) => {
      const statements = new Map<number, Database.Statement>();
      return (batch) => {
        let statement = statements.get(batch.length);
        if (!statement) {
          statement = sqlite.prepare(
            `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${Array(batch.length).fill(EVENT_ROW).join(", ")}`,
          );
          statements.set(batch.length, statement);
        }
        statement.run(...batch.flat());
      };
    }),
    "100 rows in one statement",
  );
  lever(
    "unindexed staging table merged in key order",
    insertRate("levers-staging.db", rows, 100, (sqlite) => {
      sqlite.exec(`CREATE TEMP TABLE staging AS SELECT ${EVENT_COLUMNS} FROM events WHERE 0`);
      const stage = sqlite.prepare(`INSERT INTO staging (${EVENT_COLUMNS}) VALUES ${EVENT_ROW}`);
      const merge = sqlite.prepare(
        `INSERT OR IGNORE INTO events (${EVENT_COLUMNS}) SELECT ${EVENT_COLUMNS} FROM staging ORDER BY message_id`,
      );
      const clear = sqlite.prepare("DELETE FROM staging");
      return (batch) => {
        for (const row of batch) stage.run(...row);
        merge.run();
        clear.run();
      };
    }),
    "100 a transaction",
  );
  lever(
    "larger transactions (group commit)",
    insertRate("levers-group.db", rows, 2000, insertOneByOne),
    "2,000 a transaction: 20 requests grouped",
  );
  lever(
    "no checkpoint in the writer's commits",
    insertRate("levers-nockpt.db", rows, 100, insertOneByOne, ["wal_autocheckpoint = 0"]),
    "100 a transaction; the WAL left to another connection to checkpoint",
  );
  const imported = insertRate("levers-import.db", rows, 5000, insertOneByOne);
  const SECONDARY = {
    events_person_time: "(person_id, timestamp)",
    events_name_time: "(event, timestamp, person_id)",
    events_time: "(timestamp)",
  };
  const rebuilt = insertRate("levers-rebuild.db", rows, 5000, insertOneByOne, [], {
    before: (sqlite) => {
      for (const index of Object.keys(SECONDARY)) sqlite.exec(`DROP INDEX ${index}`);
    },
    after: (sqlite) => {
      for (const [index, columns] of Object.entries(SECONDARY))
        sqlite.exec(`CREATE INDEX ${index} ON events ${columns}`);
    },
  });
  results.push({
    name: `lever (${ids === "time" ? "time-prefixed ids" : "UUID v4 ids"}): an import that drops and rebuilds the secondary indexes`,
    ratio: rebuilt / imported,
    goal: "> 1 pays",
    detail: `${fmt(rebuilt)} rows/s, rebuild included ÷ with the indexes kept ${fmt(imported)} rows/s (5,000 a transaction, ${fmt(total)} rows into an empty table)`,
  });
  return results;
}
