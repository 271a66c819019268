import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.ts";

describe("the database file", () => {
  it("is made readable by its owner only (customer data), with its WAL", () => {
    const dir = mkdtempSync(join(tmpdir(), "lift-db-"));
    try {
      const db = openDatabase(join(dir, "lift.db"));
      db.sqlite.exec("INSERT INTO meta (key, value) VALUES ('x', 'y')");
      expect(statSync(join(dir, "lift.db")).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, "lift.db-wal")).mode & 0o777).toBe(0o600);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
