import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase, type UpgradeProgress } from "../../db/client.ts";
import { distinctPeople } from "../../db/platform/queries/day-people.ts";

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A database as Lift wrote it before migration 0004 (migrations 0000–0003 applied as drizzle applies them). */
function oldDatabase(path: string): Database.Database {
  const sqlite = new Database(path);
  sqlite.exec(
    "CREATE TABLE __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)",
  );
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  for (const entry of journal.entries.slice(0, 4)) {
    const text = readFileSync(join(MIGRATIONS_FOLDER, `${entry.tag}.sql`), "utf8");
    for (const statement of text.split("--> statement-breakpoint"))
      if (statement.trim()) sqlite.exec(statement);
    sqlite
      .prepare("INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)")
      .run(createHash("sha256").update(text).digest("hex"), entry.when);
  }
  return sqlite;
}

describe("upgrading a database to person numbers (migration 0004)", () => {
  it("keeps every person, identity and active day, numbers the people, and says it is upgrading", () => {
    dir = mkdtempSync(join(tmpdir(), "lift-upgrade-"));
    const path = join(dir, "lift.db");
    const old = oldDatabase(path);
    const person = old.prepare(
      "INSERT INTO people (person_id, channel, campaign_id, first_seen, last_seen) VALUES (?, ?, NULL, ?, ?)",
    );
    const active = old.prepare(
      "INSERT INTO daily_people (day, person_id, channel, first_at) VALUES (?, ?, ?, ?)",
    );
    old.transaction(() => {
      for (let p = 0; p < 500; p++) {
        person.run(`p-${p}`, p % 2 ? "email" : null, 1_000_000 + p, 2_000_000 + p);
        for (let d = 0; d < 5; d++)
          active.run(
            `2026-11-${String(1 + ((p + d * 3) % 28)).padStart(2, "0")}`,
            `p-${p}`,
            p % 2 ? "email" : "direct",
            p,
          );
      }
      old.prepare("INSERT INTO identities (anonymous_id, user_id, linked_at) VALUES ('a-1', 'p-1', 5)").run();
    })();
    const distinctBefore = old
      .prepare(
        "SELECT count(DISTINCT person_id) FROM daily_people WHERE day BETWEEN '2026-11-03' AND '2026-11-20'",
      )
      .pluck()
      .get();
    const rowsBefore = old.prepare("SELECT count(*) FROM daily_people").pluck().get();
    old.close();

    const told: UpgradeProgress[] = [];
    const db = openDatabase(path, { onUpgrade: (progress) => told.push(progress) });
    try {
      expect(told).toEqual([
        {
          phase: "start",
          migrations: [
            "0004_people_numbers",
            "0005_experiments",
            "0006_social",
            "0007_segments",
            "0008_assistant",
            "0009_predict",
            "0010_automations",
            "0011_crm",
            "0012_connectors",
            "0013_privacy",
            "0014_sealed",
            "0015_access",
          ],
          rows: 500 + 1 + 2500,
        },
        {
          phase: "done",
          migrations: [
            "0004_people_numbers",
            "0005_experiments",
            "0006_social",
            "0007_segments",
            "0008_assistant",
            "0009_predict",
            "0010_automations",
            "0011_crm",
            "0012_connectors",
            "0013_privacy",
            "0014_sealed",
            "0015_access",
          ],
          seconds: expect.any(Number),
        },
      ]);
      const { sqlite } = db;
      // Numbers in order of first appearance, 1 to 500, and the next one to give.
      expect(sqlite.prepare("SELECT no FROM people WHERE person_id = 'p-0'").pluck().get()).toBe(1);
      expect(sqlite.prepare("SELECT max(no) FROM people").pluck().get()).toBe(500);
      expect(sqlite.prepare("SELECT value FROM meta WHERE key = 'next_person_no'").pluck().get()).toBe("501");
      expect(sqlite.prepare("SELECT count(*) FROM daily_people").pluck().get()).toBe(rowsBefore);
      expect(sqlite.prepare("SELECT user_id FROM identities WHERE anonymous_id = 'a-1'").pluck().get()).toBe(
        "p-1",
      );
      // WITHOUT ROWID: the primary key is the table.
      for (const table of ["people", "identities", "daily_people", "day_versions", "day_people"])
        expect(sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = ?").pluck().get(table)).toMatch(
          /WITHOUT ROWID$/,
        );
      expect(distinctPeople(db, { from: "2026-11-03", to: "2026-11-20", grain: "none" }).get("")).toBe(
        distinctBefore,
      );
    } finally {
      db.close();
    }
    // Opened again: nothing to upgrade, nothing said.
    const again: UpgradeProgress[] = [];
    openDatabase(path, { onUpgrade: (progress) => again.push(progress) }).close();
    expect(again).toEqual([]);
  });

  it("says nothing when it creates a new database", () => {
    dir = mkdtempSync(join(tmpdir(), "lift-upgrade-"));
    const told: UpgradeProgress[] = [];
    openDatabase(join(dir, "new.db"), { onUpgrade: (progress) => told.push(progress) }).close();
    expect(told).toEqual([]);
  });
});
