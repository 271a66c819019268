import type Database from "better-sqlite3";
import { type BenchResult, bareInsertRate, fmt, freshDb } from "./common.ts";
import { type IdForm, loadBatches, storedRow } from "./events.ts";

const COLUMNS =
  "message_id, type, event, person_id, user_id, anonymous_id, channel, properties, context, timestamp, day, received_at";
const ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/** Rows per second of `write` over `rows` in batches of `per`, each batch in one transaction. */
function rate(
  name: string,
  rows: unknown[][],
  per: number,
  prepare: (sqlite: Database.Database) => (batch: unknown[][]) => void,
  pragmas: string[] = [],
  around?: { before(sqlite: Database.Database): void; after(sqlite: Database.Database): void },
): number {
  const { db } = freshDb(name);
  for (const pragma of pragmas) db.sqlite.pragma(pragma);
  const write = db.sqlite.transaction(prepare(db.sqlite));
  const t = performance.now();
  around?.before(db.sqlite);
  for (let i = 0; i < rows.length; i += per) write(rows.slice(i, i + per));
  around?.after(db.sqlite);
  const seconds = (performance.now() - t) / 1000;
  const count = (db.sqlite.prepare("SELECT count(*) AS n FROM events").get() as { n: number }).n;
  db.close();
  if (count !== rows.length) throw new Error(`${name}: ${count} of ${rows.length} rows stored`);
  return rows.length / seconds;
}

const oneByOne = (sqlite: Database.Database) => {
  const insert = sqlite.prepare(`INSERT INTO events (${COLUMNS}) VALUES ${ROW}`);
  return (batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
  };
};

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
    rate("levers-sorted.db", rows, 100, (sqlite) => {
      const insert = oneByOne(sqlite);
      return (batch) => insert([...batch].sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)));
    }),
    "100 a transaction, in key order",
  );
  lever(
    "multi-row VALUES",
    rate("levers-multirow.db", rows, 100, (sqlite) => {
      const statements = new Map<number, Database.Statement>();
      return (batch) => {
        let statement = statements.get(batch.length);
        if (!statement) {
          statement = sqlite.prepare(
            `INSERT INTO events (${COLUMNS}) VALUES ${Array(batch.length).fill(ROW).join(", ")}`,
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
    rate("levers-staging.db", rows, 100, (sqlite) => {
      sqlite.exec(`CREATE TEMP TABLE staging AS SELECT ${COLUMNS} FROM events WHERE 0`);
      const stage = sqlite.prepare(`INSERT INTO staging (${COLUMNS}) VALUES ${ROW}`);
      const merge = sqlite.prepare(
        `INSERT OR IGNORE INTO events (${COLUMNS}) SELECT ${COLUMNS} FROM staging ORDER BY message_id`,
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
    rate("levers-group.db", rows, 2000, oneByOne),
    "2,000 a transaction: 20 requests grouped",
  );
  lever(
    "no checkpoint in the writer's commits",
    rate("levers-nockpt.db", rows, 100, oneByOne, ["wal_autocheckpoint = 0"]),
    "100 a transaction; the WAL left to another connection to checkpoint",
  );
  const imported = rate("levers-import.db", rows, 5000, oneByOne);
  const SECONDARY = {
    events_person_time: "(person_id, timestamp)",
    events_name_time: "(event, timestamp, person_id)",
    events_time: "(timestamp)",
  };
  const rebuilt = rate("levers-rebuild.db", rows, 5000, oneByOne, [], {
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
