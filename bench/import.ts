import { createWriteStream } from "node:fs";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { WRITER_WORKER } from "../analytics/capabilities/index.ts";
import { WriterThread } from "../analytics/platform/ingest/index.ts";
import { CACHE, coreOn, fmt, freshDb, syntheticEvent } from "./common.ts";

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
  const raw = freshDb("import-raw.db");
  const prepared = events.map((e, i) => [
    e["messageId"],
    e["type"],
    (e["event"] ?? e["name"]) as string,
    (e["userId"] ?? e["anonymousId"]) as string,
    (e["userId"] ?? null) as string | null,
    e["anonymousId"],
    "direct",
    JSON.stringify(e["properties"]),
    JSON.stringify(e["context"]),
    start + i * 20_000,
    new Date(start + i * 20_000).toISOString().slice(0, 10),
    Date.now(),
  ]);
  const insert = (raw.db.sqlite as Database.Database).prepare(
    `INSERT INTO events (message_id, type, event, person_id, user_id, anonymous_id, channel, properties, context, timestamp, day, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMany = raw.db.sqlite.transaction((batch: unknown[][]) => {
    for (const row of batch) insert.run(...row);
  });
  let t = performance.now();
  for (let i = 0; i < prepared.length; i += 5000) insertMany(prepared.slice(i, i + 5000));
  const rawSeconds = (performance.now() - t) / 1000;
  raw.db.close();

  // As `lift import` runs it: reading and validation here, writes on the writer thread.
  const lift = freshDb("import-lift.db");
  const writer = new WriterThread(WRITER_WORKER, lift.path);
  const core = coreOn(lift.db, undefined, writer);
  t = performance.now();
  const summary = await core.importFile({ kind: "events", path });
  const liftSeconds = (performance.now() - t) / 1000;
  await writer.close();
  lift.db.close();
  if (summary.accepted !== rows) throw new Error(`import accepted ${summary.accepted} of ${rows}`);
  const liftRate = rows / liftSeconds;
  const rawRate = rows / rawSeconds;
  return {
    name: "bulk import (NDJSON events)",
    ratio: liftRate / rawRate,
    goal: "≥ 0.5",
    detail: `lift import ${fmt(liftRate)} rows/s ÷ raw prepared insert ${fmt(rawRate)} rows/s (${fmt(rows)} rows)`,
  };
}
