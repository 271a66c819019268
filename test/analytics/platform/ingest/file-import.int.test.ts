import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { emptyDb, reopenDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const ORDERS_CSV = `Order ID,Customer,Total,Currency,Order Date,Channel
A-1,u-1,12.50,USD,2026-11-20,email
A-2,u-2,"12,5O",USD,2026-11-20,email
A-3,u-3,30.00,USD,03/04/2026,direct
A-4,u-4,8.00,USD,2026-11-21
A-5,u-5,9.99,USD,2026-11-21,paid search
`;

describe("file import", () => {
  it("imports the good rows of a CSV and explains each bad one, by row", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    writeFileSync(path, ORDERS_CSV);
    const rejects = join(t.dir, "rejects.csv");
    const summary = await t.core.importFile({ kind: "orders", path, rejectsPath: rejects });
    expect(summary).toMatchObject({ rows: 5, accepted: 2, rejectedCount: 3 });
    expect(summary.rejections).toEqual([
      { row: 2, reason: 'amount "12,5O" is not a number' },
      {
        row: 3,
        reason:
          'timestamp "03/04/2026" is ambiguous (day/month or month/day?): pass --date-format DD/MM/YYYY or MM/DD/YYYY',
      },
      { row: 4, reason: "has 5 fields, the header has 6" },
    ]);
    // The rejects file is the original rows plus the reason, ready to fix and import again.
    const lines = readFileSync(rejects, "utf8").trim().split("\n");
    expect(lines[0]).toBe("Order ID,Customer,Total,Currency,Order Date,Channel,lift_error");
    expect(lines[1]).toBe('A-2,u-2,"12,5O",USD,2026-11-20,email,"row 2: amount ""12,5O"" is not a number"');
    expect(
      t.db.sqlite.prepare("SELECT id, amount_minor AS a, channel FROM orders ORDER BY id").all(),
    ).toEqual([
      { id: "A-1", a: 1250, channel: "email" },
      { id: "A-5", a: 999, channel: "paid_search" },
    ]);
  });

  it("adds nothing when the same file is imported again", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    writeFileSync(path, ORDERS_CSV);
    await t.core.importFile({ kind: "orders", path });
    const again = await t.core.importFile({ kind: "orders", path });
    expect(again).toMatchObject({ accepted: 0, duplicates: 2, rejectedCount: 3, resumedAfter: 0 });
    expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM orders").get()).toEqual({ n: 2 });
  });

  it("reads ambiguous dates with --date-format and columns renamed with --map", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    writeFileSync(path, "Bestellnummer,Umsatz,Datum\nB-1,10.00,03/04/2026\n");
    const summary = await t.core.importFile({
      kind: "orders",
      path,
      map: { Bestellnummer: "id", Umsatz: "amount", Datum: "timestamp" },
      dateFormat: "DMY",
    });
    expect(summary).toMatchObject({ accepted: 1, rejectedCount: 0 });
    expect(t.db.sqlite.prepare("SELECT day FROM orders").get()).toEqual({ day: "2026-04-03" });
  });

  it("refuses two columns that fill the same field, naming both", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    writeFileSync(path, "id,revenue,total,date\nx,1,2,2026-01-01\n");
    await expect(t.core.importFile({ kind: "orders", path })).rejects.toThrow(
      'Columns "revenue" and "total" both fill amount',
    );
  });

  it("imports NDJSON events and says which lines are broken", async () => {
    t = emptyDb();
    const path = join(t.dir, "events.ndjson");
    writeFileSync(
      path,
      [
        JSON.stringify({
          type: "track",
          event: "Signed Up",
          userId: "u1",
          timestamp: "2026-11-20T10:00:00Z",
        }),
        "{not json",
        JSON.stringify({ type: "page", anonymousId: "a1", timestamp: "2026-11-20T10:00:00Z" }),
        "[1,2]",
      ].join("\n"),
    );
    const summary = await t.core.importFile({ kind: "events", path });
    expect(summary.accepted).toBe(2);
    expect(summary.rejections.map((r) => r.row)).toEqual([2, 4]);
    expect(summary.rejections[0]!.reason).toMatch(/^is not valid JSON/);
    expect(summary.rejections[1]!.reason).toBe("is not a JSON object");
  });

  it("writes nothing on a dry run", async () => {
    t = emptyDb();
    const path = join(t.dir, "orders.csv");
    writeFileSync(path, ORDERS_CSV);
    const summary = await t.core.importFile({ kind: "orders", path, dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, accepted: 2, rejectedCount: 3 });
    expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM orders").get()).toEqual({ n: 0 });
  });

  it("resumes a killed import with nothing doubled or half-written", async () => {
    t = emptyDb();
    const path = join(t.dir, "events.ndjson");
    const total = 60_000;
    const lines: string[] = [];
    for (let i = 0; i < total; i++) {
      lines.push(
        JSON.stringify({
          type: "track",
          event: i % 10 === 0 ? "Order Completed" : "Product Added",
          userId: `u${i % 5000}`,
          messageId: `m${i}`,
          properties: { order_id: `o${i}`, revenue: 10 },
          timestamp: new Date(Date.UTC(2026, 10, 1) + i * 20_000).toISOString(),
        }),
      );
    }
    writeFileSync(path, `${lines.join("\n")}\n`);
    t.db.close();
    const env = {
      ...process.env,
      DATABASE_URL: t.path,
      LIFT_TIMEZONE: "Europe/Berlin",
      LIFT_DEMO: "off",
      LOG_LEVEL: "silent",
    };
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "main.ts", "import", "events", path, "--batch-size", "500"],
      { env, stdio: "ignore" },
    );
    // Listen now: a child that fails early must not leave the test waiting for an exit already gone.
    const exited = new Promise((done) => child.once("exit", done));
    const watcher = new Database(t.path, { readonly: true, fileMustExist: true });
    watcher.pragma("busy_timeout = 5000");
    let committed = 0;
    const deadline = Date.now() + 60_000;
    while (committed < 5_000 && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 20));
      try {
        committed =
          (
            watcher.prepare("SELECT max(rows_committed) AS n FROM import_progress").get() as {
              n: number | null;
            }
          ).n ?? 0;
      } catch {
        // the schema may not exist yet in the first few milliseconds
      }
    }
    child.kill("SIGKILL");
    await exited;
    watcher.close();
    expect(committed).toBeGreaterThan(0);

    const reopened = reopenDb(t);
    const progress = reopened.db.sqlite
      .prepare("SELECT rows_committed AS n, finished_at AS f FROM import_progress")
      .get() as { n: number; f: number | null };
    expect(progress.f).toBeNull();
    expect(progress.n).toBeLessThan(total);
    // Whatever committed is whole: events and their orders and rollups agree.
    const stored = reopened.db.sqlite.prepare("SELECT count(*) AS n FROM events").get() as { n: number };
    expect(stored.n).toBe(progress.n);
    const summary = await reopened.core.importFile({ kind: "events", path });
    expect(summary.resumedAfter).toBe(progress.n);
    expect(summary.accepted).toBe(total - progress.n);
    const counts = reopened.db.sqlite
      .prepare(
        "SELECT (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM orders) AS o, (SELECT sum(count) FROM daily_events) AS r",
      )
      .get();
    expect(counts).toEqual({ e: total, o: total / 10, r: total });
  }, 120_000);
});
