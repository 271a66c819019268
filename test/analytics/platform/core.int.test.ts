import { describe, expect, it } from "vitest";
import { Core } from "../../../analytics/platform/core.ts";
import { depsFor, emptyDb } from "../../support/db.ts";

describe("settings a database was built with", () => {
  it("re-cuts stored days and rebuilds the rollups when the reporting time zone changes", async () => {
    const t = emptyDb({ timeZone: "Europe/Berlin" });
    try {
      await t.core.checkSettings();
      // 23:30 UTC is already the next day in Berlin, still the same day in New York.
      await t.platform.ingest.write("events", [
        { type: "track", event: "Signed Up", userId: "u", timestamp: "2026-11-20T23:30:00Z" },
      ]);
      expect(t.db.sqlite.prepare("SELECT day, count FROM daily_events").all()).toEqual([
        { day: "2026-11-21", count: 1 },
      ]);
      const moved = new Core(depsFor(t.db, { timeZone: "America/New_York" }));
      expect(await moved.checkSettings()).toEqual({ rebuilt: true });
      expect(t.db.sqlite.prepare("SELECT day FROM events").get()).toEqual({ day: "2026-11-20" });
      expect(t.db.sqlite.prepare("SELECT day, count FROM daily_events").all()).toEqual([
        { day: "2026-11-20", count: 1 },
      ]);
      expect(await moved.checkSettings()).toEqual({ rebuilt: false });
    } finally {
      t.cleanup();
    }
  });

  it("refuses a different reporting currency once amounts are stored", async () => {
    const t = emptyDb({ currency: "USD" });
    try {
      await t.core.checkSettings();
      await t.platform.ingest.write("orders", [
        { id: "o1", amount: "10.00", timestamp: "2026-11-20T10:00:00Z" },
      ]);
      const euro = new Core(depsFor(t.db, { currency: "EUR" }));
      await expect(euro.checkSettings()).rejects.toMatchObject({
        message: "This database holds amounts in USD, but LIFT_CURRENCY is EUR",
        hint: "set LIFT_CURRENCY=USD, or use a new DATABASE_URL",
      });
    } finally {
      t.cleanup();
    }
  });
});
