import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../../../db/client.ts";
import { demoDb, emptyDb, type TestDb } from "../../../support/db.ts";
import { DEMO } from "../../../support/demo.ts";

const open: TestDb[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.cleanup();
});

/**
 * The core tables' rows as the core demo parts write them (receipt times left out: they are "now"),
 * sealed values opened (each is sealed with a random IV, and each database has its own key).
 */
const CORE_TABLES = {
  events:
    "message_id, type, event, person_id, user_id, anonymous_id, channel, lift_open_json(properties), lift_open_json(context), timestamp, day",
  customers: "id, lift_email(email), lift_traits(traits, email), first_seen, last_seen, updated_at",
  orders:
    "id, customer_id, amount_minor, original_amount_minor, original_currency, timestamp, day, channel, campaign_id, origin",
  identities: "anonymous_id, user_id, linked_at",
};

function coreHash(db: Db, prefix = ""): string {
  const hash = createHash("sha256");
  for (const [table, columns] of Object.entries(CORE_TABLES)) {
    for (const row of db.sqlite
      .prepare(`SELECT ${columns} FROM ${prefix}${table} ORDER BY 1, 2`)
      .raw()
      .iterate())
      hash.update(JSON.stringify(row));
  }
  return hash.digest("hex");
}

/**
 * Pinned when the demo was split into parts, each on its own random stream (seed 7, small scale, end
 * 2026-11-22, Europe/Berlin). A capability that adds demo data adds its own rows; it must never shift
 * these. Changing the core parts on purpose means changing this hash in the same commit.
 */
const CORE_HASH = "a7b7b4f2694ed95908cb0bcf1480a234114bed9ca269290ea48ad9b0cad83c09";

describe("demo data", () => {
  it("keeps the core tables the core parts seed fixed, whatever the capabilities add", async () => {
    const core = emptyDb();
    open.push(core);
    await core.platform.seedDemo(
      { seed: DEMO.seed, end: DEMO.end, scale: DEMO.scale, timeZone: DEMO.timeZone },
      undefined,
      (part) => core.platform.registries.demoParts.list().find((p) => p.id === part)?.core === true,
    );
    expect(coreHash(core.db)).toBe(CORE_HASH);
    // The shared demo database was seeded with every part: the core rows are there, unchanged.
    const full = demoDb();
    open.push(full);
    for (const [table, columns] of Object.entries(CORE_TABLES)) {
      const rows = (db: Db) =>
        new Set(
          db.sqlite
            .prepare(`SELECT ${columns} FROM ${table}`)
            .raw()
            .all()
            .map((row) => JSON.stringify(row)),
        );
      const all = rows(full.db);
      const missing = [...rows(core.db)].filter((row) => !all.has(row));
      expect(missing.length, table).toBe(0);
    }
  }, 60_000);
});
