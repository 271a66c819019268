import { afterEach, describe, expect, it } from "vitest";
import { pacingReport } from "../../../../analytics/capabilities/campaigns/pacing.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

describe("budget pacing report", () => {
  it("charts spend in the reporting currency's major units, also for currencies without cents", async () => {
    t = emptyDb({ currency: "JPY", now: () => Date.parse("2026-11-11T09:00:00Z") });
    await t.platform.ingest.write("campaigns", [
      {
        id: "c1",
        name: "Autumn",
        channel: "paid search",
        budget: "300000",
        start: "2026-11-01",
        end: "2026-11-30",
      },
      ...Array.from({ length: 10 }, (_, d) => ({
        id: "c1",
        day: `2026-11-${String(d + 1).padStart(2, "0")}`,
        spend: "10000",
      })),
    ]);
    const report = await pacingReport(t.platform);
    // ¥100,000 spent of ¥300,000 after 10 of 30 days: exactly on pace.
    expect(report.charts[0]!.series).toEqual([
      { name: "Spent", values: [100000] },
      { name: "Even pace", values: [100000] },
    ]);
    expect(report.table!.rows[0]!.slice(0, 5)).toEqual(["Autumn", "Paid search", 300000, 100000, 1]);
  });
});
