import { afterEach, describe, expect, it } from "vitest";
import { rollupSnapshot } from "../../../../db/platform/queries/rollups.ts";
import { demoDb, emptyDb, type TestDb } from "../../../support/db.ts";
import { DEMO } from "../../../support/demo.ts";

const open: TestDb[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.cleanup();
});
const track = (db: TestDb) => {
  open.push(db);
  return db;
};

describe("demo workspace", () => {
  it("is the same for the same seed and end day, and seeding again adds nothing", async () => {
    const shared = track(demoDb());
    const fresh = track(emptyDb());
    const summary = await fresh.core.seedDemo({
      seed: DEMO.seed,
      end: DEMO.end,
      scale: DEMO.scale,
      timeZone: DEMO.timeZone,
    });
    expect(await rollupSnapshot(fresh.db)).toEqual(await rollupSnapshot(shared.db));
    const again = await fresh.core.seedDemo({
      seed: DEMO.seed,
      end: DEMO.end,
      scale: DEMO.scale,
      timeZone: DEMO.timeZone,
    });
    expect(again.results["events"]!.accepted).toBe(0);
    expect(again.results["events"]!.duplicates).toBe(summary.results["events"]!.accepted);
  });

  it("differs for another seed", async () => {
    const other = track(emptyDb());
    await other.core.seedDemo({
      seed: DEMO.seed + 1,
      end: DEMO.end,
      scale: DEMO.scale,
      timeZone: DEMO.timeZone,
    });
    const shared = track(demoDb());
    expect(await rollupSnapshot(other.db)).not.toEqual(await rollupSnapshot(shared.db));
  });

  it("has 90 days, six channels, twelve campaigns and a negative spike ten days before the end", async () => {
    const t = track(demoDb());
    const q = (sql: string) => t.db.sqlite.prepare(sql).all();
    expect(q("SELECT min(day) AS a, max(day) AS b, count(DISTINCT day) AS n FROM daily_events")).toEqual([
      { a: "2026-08-25", b: "2026-11-22", n: 90 },
    ]);
    expect(
      (q("SELECT DISTINCT channel FROM daily_people") as { channel: string }[]).map((r) => r.channel).sort(),
    ).toEqual(["affiliate", "direct", "email", "organic", "paid_search", "paid_social", "referral"]);
    expect(q("SELECT count(*) AS n FROM campaigns")).toEqual([{ n: 12 }]);
    const negative = new Map(
      (
        q("SELECT day, sum(count) AS n FROM daily_mentions WHERE label = 'negative' GROUP BY day") as {
          day: string;
          n: number;
        }[]
      ).map((r) => [r.day, r.n]),
    );
    const peakDay = [...negative.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    expect(peakDay).toBe("2026-11-12");
    // Weekly seasonality: weekdays busier than weekends.
    const byWeekday = q(
      `SELECT strftime('%w', day) AS w, avg(n) AS n FROM (SELECT day, count(*) AS n FROM daily_people GROUP BY day) GROUP BY w`,
    ) as { w: string; n: number }[];
    const avg = (days: string[]) =>
      byWeekday.filter((r) => days.includes(r.w)).reduce((s, r) => s + r.n, 0) / days.length;
    expect(avg(["1", "2", "3"])).toBeGreaterThan(avg(["0", "6"]));
  });
});

describe("lift demo --live", () => {
  it("adds to the history and never rewrites it: its events and orders have ids of their own", async () => {
    const t = track(demoDb());
    const before = t.db.sqlite.prepare("SELECT id, timestamp, amount_minor FROM orders ORDER BY id").all();
    const visits = t.core.liveVisits({ ...DEMO, end: "2026-11-23", idPrefix: "live1" });
    const events = Array.from({ length: 20 }, (_, i) =>
      visits(Date.parse("2026-11-23T08:00:00Z") + i * 1000, 50),
    ).flat();
    const result = await t.platform.ingest.write("events", events);
    expect(result).toMatchObject({ updated: 0, duplicates: 0, rejected: [] });
    const orders = events.filter((e) => e["event"] === "Order Completed").length;
    expect(orders).toBeGreaterThan(0);
    const after = t.db.sqlite.prepare("SELECT id, timestamp, amount_minor FROM orders ORDER BY id").all();
    expect(after).toHaveLength(before.length + orders);
    expect(after).toEqual(expect.arrayContaining(before));
  });
});
