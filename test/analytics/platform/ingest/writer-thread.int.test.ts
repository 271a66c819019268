import { afterEach, describe, expect, it } from "vitest";
import { WRITER_WORKER } from "../../../../analytics/capabilities/index.ts";
import { WriterThread } from "../../../../analytics/platform/ingest/index.ts";
import { Platform } from "../../../../analytics/platform/platform.ts";
import { depsFor, emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
let writer: WriterThread | null = null;
afterEach(async () => {
  await writer?.close();
  writer = null;
  t?.cleanup();
});

function platformWithWriter(db: TestDb): Platform {
  writer = new WriterThread(WRITER_WORKER, db.path);
  return new Platform({ ...depsFor(db.db, { now: Date.now }), committer: writer });
}

describe("writer thread", () => {
  it("writes grouped events on its own connection and answers each caller with its outcome", async () => {
    t = emptyDb();
    const platform = platformWithWriter(t);
    const calls = Array.from({ length: 10 }, (_, c) =>
      platform.ingest.eventsGrouped(
        Array.from({ length: 30 }, (_, i) => ({
          type: "track",
          event: i % 10 === 0 ? "Order Completed" : "Product Added",
          userId: `u${c}`,
          messageId: c < 2 ? `same-${i}` : `c${c}-${i}`,
          properties: { order_id: `o${c}-${i}`, revenue: 10 },
          timestamp: "2026-11-20T10:00:00Z",
        })),
      ),
    );
    const results = await Promise.all(calls);
    expect(results.reduce((sum, r) => sum + r.accepted, 0)).toBe(270);
    expect(results[0]!.duplicates + results[1]!.duplicates).toBe(30);
    // The main thread's connection sees what the writer committed, rollups included.
    expect(
      t.db.sqlite
        .prepare("SELECT (SELECT count(*) FROM events) AS e, (SELECT sum(count) FROM daily_events) AS r")
        .get(),
    ).toEqual({ e: 270, r: 270 });
  });

  it("rejects only the caller whose rows cannot be written", async () => {
    t = emptyDb();
    t.db.sqlite.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.message_id = 'poison'
      BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const platform = platformWithWriter(t);
    const good = platform.ingest.eventsGrouped([
      { type: "track", event: "A", userId: "u", messageId: "fine" },
    ]);
    const bad = platform.ingest.eventsGrouped([
      { type: "track", event: "A", userId: "u", messageId: "poison" },
    ]);
    await expect(good).resolves.toMatchObject({ accepted: 1 });
    await expect(bad).rejects.toThrow("Writing events failed");
    expect(t.db.sqlite.prepare("SELECT message_id AS m FROM events").all()).toEqual([{ m: "fine" }]);
  });
});
