import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { WRITER_WORKER } from "../analytics/capabilities/index.ts";
import { WriterThread } from "../analytics/platform/ingest/index.ts";
import { bareInsertRate, CACHE, coreOn, fmt, freshDb } from "./common.ts";
import { storedRow, syntheticEvent } from "./events.ts";

/**
 * Bulk import rows/s through `lift import` (read + parse + validate + normalise
 * + dedupe + write + rollups) ÷ raw better-sqlite3 prepared inserts of the same
 * rows into the same indexed events table, one transaction per 5,000 rows.
 */
export async function benchImport(rows: number) {
  const path = join(CACHE, `import-${rows}.ndjson`);
  const start = Date.UTC(2026, 9, 1);
  const events = Array.from({ length: rows }, (_, i) =>
    syntheticEvent(i, start, 20_000, Math.max(1000, rows / 10)),
  );
  await new Promise<void>((done, fail) => {
    const out = createWriteStream(path);
    out.on("error", fail);
    for (const event of events) out.write(`${JSON.stringify(event)}\n`);
    out.end(done);
  });

  // Baseline: the rows already in their final shape, inserted with a prepared statement.
  const receivedAt = Date.now();
  const rawRate = bareInsertRate(
    "import-raw.db",
    events.map((event) => storedRow(event, receivedAt)),
    5000,
  );

  // As `lift import` runs it: reading and validation here, writes on the writer thread.
  const lift = freshDb("import-lift.db");
  const writer = new WriterThread(WRITER_WORKER, lift.path);
  const core = coreOn(lift.db, undefined, writer);
  // The writer thread is started and ready before the clock, as in a running server (its start,
  // loading the writer's modules, is the startup bench's; here it would be a fixed cost in a rate).
  let t = performance.now();
  await writer.submit([]);
  const writerStart = performance.now() - t;
  t = performance.now();
  const summary = await core.importFile({ kind: "events", path });
  const liftSeconds = (performance.now() - t) / 1000;
  await writer.close();
  lift.db.close();
  if (summary.accepted !== rows) throw new Error(`import accepted ${summary.accepted} of ${rows}`);
  const liftRate = rows / liftSeconds;
  return {
    name: "bulk import (NDJSON events)",
    ratio: liftRate / rawRate,
    goal: "≥ 0.5",
    detail: `lift import ${fmt(liftRate)} rows/s ÷ raw prepared insert ${fmt(rawRate)} rows/s (${fmt(rows)} rows, 5,000 a transaction; the writer thread started in ${fmt(writerStart)} ms before)`,
  };
}
