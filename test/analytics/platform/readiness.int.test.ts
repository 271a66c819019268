import { closeSync, openSync, truncateSync, writeSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ReadinessCheck } from "../../../analytics/platform/readiness.ts";
import { openDatabase } from "../../../db/client.ts";
import { emptyDb, type TestDb } from "../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

describe("readiness", () => {
  it("is ready with room on the disk, a write that commits and a sound file", async () => {
    t = emptyDb();
    expect(await new ReadinessCheck(t.db, Date.now).check()).toEqual({ ok: true, integrity: "checked" });
  });

  it("writes at most once every few seconds however often it is asked (an unauthenticated probe)", async () => {
    t = emptyDb();
    let clock = 1_000_000;
    const check = new ReadinessCheck(t.db, () => clock);
    const changes = () => Number(t.db.sqlite.prepare("SELECT total_changes()").pluck().get());
    const before = changes();
    for (let i = 0; i < 100; i++) await check.check();
    expect(changes() - before).toBe(1);
    clock += 5_000;
    await check.check();
    expect(changes() - before).toBe(2);
  });

  it("says when the integrity check was skipped for a large database", async () => {
    t = emptyDb();
    t.db.close();
    // Past 256 MB of file (sparse: SQLite reads its size from the header and ignores the rest).
    truncateSync(t.path, 300 * 1024 * 1024);
    t.db = openDatabase(t.path, { migrate: false });
    expect(await new ReadinessCheck(t.db, Date.now).check()).toEqual({
      ok: true,
      integrity: "skipped: the database is over 256 MB (the write check still runs)",
    });
  });

  it("is not ready when the disk is (nearly) full, and says so", async () => {
    t = emptyDb();
    const check = new ReadinessCheck(t.db, Date.now, () => 200 * 1024);
    expect(await check.check()).toMatchObject({
      ok: false,
      diskFull: true,
      reason: expect.stringMatching(/^disk full: 200 KB free/),
    });
  });

  it("is not ready when a write fails, naming SQLite's error", async () => {
    t = emptyDb();
    const readonly = openDatabase(t.path, { readonly: true, migrate: false });
    try {
      expect(await new ReadinessCheck(readonly, Date.now).check()).toMatchObject({
        ok: false,
        diskFull: false,
        reason: expect.stringContaining("SQLITE_READONLY"),
      });
    } finally {
      readonly.close();
    }
  });

  it("is not ready when the database fails its integrity check", async () => {
    t = emptyDb();
    const { sqlite } = t.db;
    sqlite.exec("CREATE TABLE filler (x TEXT)");
    const insert = sqlite.prepare("INSERT INTO filler VALUES (?)");
    sqlite.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`row ${i} ${"y".repeat(100)}`);
    })();
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const pages = Number(sqlite.pragma("page_count", { simple: true }));
    const pageSize = Number(sqlite.pragma("page_size", { simple: true }));
    t.db.close();
    // Scribble over a b-tree page near the end (the filler table's), as a failing disk might.
    const fd = openSync(t.path, "r+");
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (pages - 3) * pageSize);
    closeSync(fd);
    const reopened = openDatabase(t.path, { migrate: false });
    t.db = reopened;
    const result = await new ReadinessCheck(reopened, Date.now).check();
    expect(result).toMatchObject({ ok: false, diskFull: false });
    expect((result as { reason: string }).reason).toMatch(/integrity check|SQLITE_CORRUPT|malformed/);
  });
});
