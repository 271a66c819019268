import { afterEach, describe, expect, it } from "vitest";
import { startOfDayMs } from "../../../../analytics/platform/time/zone.ts";
import { figuresFromRaw, figuresFromRollups } from "../../../../db/platform/queries/metrics.ts";
import { demoDb, type TestDb } from "../../../support/db.ts";
import { DEMO } from "../../../support/demo.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const query = (overrides = {}) => ({
  metrics: ["visitors", "orders", "revenue", "spend", "roas"],
  period: { kind: "last_days" as const, n: 30 },
  compare: "previous" as const,
  by: "none" as const,
  filter: {},
  ...overrides,
});

describe("KPIs on the demo workspace", () => {
  it("gives the same figures from rollups as from a scan of the raw rows, per channel", async () => {
    t = demoDb();
    const range = { from: "2026-10-24", to: "2026-11-22" };
    const window = {
      fromMs: startOfDayMs(range.from, DEMO.timeZone),
      toMs: startOfDayMs("2026-11-23", DEMO.timeZone),
    };
    const rollups = await figuresFromRollups(t.db, range, "channel");
    const raw = await figuresFromRaw(t.db, window, range, "channel");
    expect([...rollups.keys()].sort()).toEqual([...raw.keys()].sort());
    for (const [channel, figures] of rollups) expect(figures, channel).toEqual(raw.get(channel));
    // Visitors are exact distinct people, never a sum of daily counts.
    const distinct = t.db.sqlite
      .prepare("SELECT count(DISTINCT person_id) AS n FROM events WHERE timestamp >= ? AND timestamp < ?")
      .get(window.fromMs, window.toMs) as { n: number };
    const total = await figuresFromRollups(t.db, range, "none");
    expect(total.get("")!.visitors).toBe(distinct.n);
    const dailySum = t.db.sqlite
      .prepare("SELECT count(*) AS n FROM daily_people WHERE day BETWEEN ? AND ?")
      .get(range.from, range.to) as { n: number };
    expect(dailySum.n).toBeGreaterThan(distinct.n);
  });

  it("answers for 30 complete days in the reporting time zone, compared with the 30 before", async () => {
    t = demoDb();
    const result = await t.platform.kpis(query());
    expect([result.period.from, result.period.to, result.comparison?.from, result.comparison?.to]).toEqual([
      "2026-10-24",
      "2026-11-22",
      "2026-09-24",
      "2026-10-23",
    ]);
    expect(result.warnings).toEqual([]);
    expect(result.totals.current["revenue"]).toBeGreaterThan(0);
    const revenue = result.totals.current["revenue"]!;
    const before = result.totals.previous!["revenue"]!;
    expect(result.totals.change["revenue"]).toBeCloseTo((revenue - before) / before, 12);
    // ROAS is blended: all revenue over all spend.
    expect(result.totals.current["roas"]).toBeCloseTo(revenue / result.totals.current["spend"]!, 12);
  });

  it("says data stopped arriving instead of showing a drop", async () => {
    t = demoDb();
    // Events, orders and spend stop three days before the period ends.
    t.db.sqlite.exec(`DELETE FROM daily_events WHERE day > '2026-11-19'; DELETE FROM daily_people WHERE day > '2026-11-19';
      DELETE FROM daily_orders WHERE day > '2026-11-19'; DELETE FROM campaign_daily WHERE day > '2026-11-19';`);
    const result = await t.platform.kpis(query({ metrics: ["revenue", "visitors"] }));
    expect(result.totals.change["revenue"]).toBeNull();
    expect(result.totals.change["visitors"]).toBeNull();
    expect(result.warnings).toContain(
      "Events stop after Nov 19, 2026: Nov 20 – Nov 22, 2026 have no data yet, so changes that depend on them are not shown.",
    );
    const report = await t.platform.kpiReport(query({ metrics: ["revenue"] }));
    expect(report.facts[0]!.change).toBeUndefined();
    expect(report.summary).toMatch(/no comparison with the previous 30 days \(data missing\)/);
  });

  it("shows “no data”, not zero, for a period with nothing in it", async () => {
    t = demoDb();
    const report = await t.platform.kpiReport(
      query({ period: { kind: "range", from: "2025-01-01", to: "2025-01-31" } }),
    );
    expect(report.facts.map((f) => f.value)).toEqual(["no data", "no data", "no data", "no data", "no data"]);
    expect(report.summary).toBe("There is no data for visitors in Jan 1 – Jan 31, 2025.");
    expect(report.warnings[0]).toBe(
      "No events at all for Jan 1 – Jan 31, 2025: shown as “no data”, not zero.",
    );
  });

  it("breaks down by campaign with names, and refuses visitor metrics there", async () => {
    t = demoDb();
    const result = await t.platform.kpis(query({ metrics: ["spend", "orders", "cpa"], by: "campaign" }));
    const labels = result.groups.map((g) => g.label);
    expect(labels).toContain("Generic outdoor terms");
    // A ranking of campaigns: orders with no campaign are said apart, never a row or part of the totals.
    expect(labels).not.toContain("(no campaign)");
    const attributed = t.db.sqlite
      .prepare(
        "SELECT count(*) FROM orders WHERE campaign_id IS NOT NULL AND campaign_id <> '' AND day BETWEEN ? AND ?",
      )
      .pluck()
      .get(result.period.from, result.period.to) as number;
    expect(result.totals.current["orders"]).toBe(attributed);
    expect(result.warnings.some((w) => /^Not ranked and not in the totals: [\d,]+ orders/.test(w))).toBe(
      true,
    );
    const generic = result.groups.find((g) => g.key === "ps-generic")!;
    expect(generic.current["cpa"]).toBeCloseTo(generic.current["spend"]! / generic.current["orders"]!, 10);
    await expect(t.platform.kpis(query({ metrics: ["visitors"], by: "campaign" }))).rejects.toThrow(
      /cannot be split by campaign/,
    );
  });

  it("shows the demo's paid-search conversion dip a week before its end", async () => {
    t = demoDb();
    const result = await t.platform.kpis(
      query({
        metrics: ["orders"],
        by: "day",
        period: { kind: "range", from: "2026-10-23", to: "2026-11-22" },
        filter: { channel: "paid_search" },
      }),
    );
    const byDay = new Map(result.groups.map((g) => [g.key, g.current["orders"]!]));
    const dip = byDay.get("2026-11-14")! + byDay.get("2026-11-15")!;
    const others = [...byDay.entries()]
      .filter(([day]) => day !== "2026-11-14" && day !== "2026-11-15")
      .map(([, n]) => n);
    const typicalPair = (2 * others.reduce((a, b) => a + b, 0)) / others.length;
    expect(dip).toBeLessThan(typicalPair);
  });

  it("compares today so far with the same hours a week earlier", async () => {
    t = demoDb({ now: () => Date.parse("2026-11-22T13:00:00Z") });
    const result = await t.platform.kpis(
      query({ metrics: ["visitors", "orders"], period: { kind: "today" } }),
    );
    expect(result.period.partial).toBe(true);
    expect(result.comparison).toMatchObject({ from: "2026-11-15", to: "2026-11-15" });
    const cutoff = Date.parse("2026-11-22T13:00:00Z");
    const raw = t.db.sqlite
      .prepare("SELECT count(DISTINCT person_id) AS n FROM events WHERE timestamp >= ? AND timestamp < ?")
      .get(startOfDayMs("2026-11-22", DEMO.timeZone), cutoff) as { n: number };
    expect(result.totals.current["visitors"]).toBe(raw.n);
    expect(result.warnings[0]).toMatch(/^Today is not over/);
  });
});
