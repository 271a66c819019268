import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

/**
 * The product path on real purchases: the CDNOW sample's 6,919 orders by 2,357 customers, Jan 1997 –
 * Jun 1998 (test/fixtures/predict/README.md), imported as orders, asked `clv as of 1997-09-30` the
 * day after the data ends — Fader, Hardie & Lee's calibration period, with their 39 weeks held out.
 * Lift refuses orders before 2000 as mistyped, so every day moves 28 years on (the calendar repeats:
 * same weekdays, same leap days).
 */
const later = (day: string) => `${Number(day.slice(0, 4)) + 28}${day.slice(4)}`;
describe("customer value on the CDNOW sample, through the product", () => {
  it("fits Fader–Hardie–Lee's parameters in days and tracks the 39 weeks held out", async () => {
    t = emptyDb({ now: () => Date.parse(`${later("1998-07-01")}T12:00:00Z`) });
    const lines = readFileSync(
      join(import.meta.dirname, "../../../fixtures/predict/cdnow-sample.csv"),
      "utf8",
    )
      .trim()
      .split("\n")
      .slice(1);
    const rows = lines.map((line, i) => {
      const [customer, day, amount] = line.split(",");
      return { id: `cdnow-${i}`, customer_id: customer, amount, timestamp: `${later(day!)}T12:00:00Z` };
    });
    const written = await t.platform.ingest.write("orders", rows);
    expect(written.rejected).toEqual([]);
    const report = await t.platform.registries.commands.run(`clv as of ${later("1997-09-30")}`, {
      userId: "U0ADMIN",
    });
    const data = report.data as unknown as {
      trusted: boolean;
      customers: number;
      repeat_customers: number;
      r: number;
      alpha: number;
      a: number;
      b: number;
      holdout: { days: number; customers: number; predicted: number; actual: number };
    };
    expect(data.customers).toBe(2357);
    // FHL count 946 repeat buyers in the calibration weeks; orders on one day are one purchase here too.
    expect(data.repeat_customers).toBe(946);
    // Their r 0.243, α 4.414 weeks (30.9 days), a 0.793, b 2.426, with time in days instead of weeks.
    expect(data.r).toBeCloseTo(0.243, 1);
    expect(data.alpha / 7).toBeCloseTo(4.414, 0);
    expect(data.a).toBeCloseTo(0.793, 1);
    expect(data.b).toBeCloseTo(2.426, 0);
    expect(data.holdout.days).toBe(273);
    expect(data.holdout.customers).toBe(2357);
    // Predicted against actual repeat purchases in the 39 weeks: within the 20 % the product asks.
    expect(Math.abs(data.holdout.predicted - data.holdout.actual) / data.holdout.actual).toBeLessThan(0.2);
    expect(data.trusted).toBe(true);
    expect(report.summary).toMatch(/Checked on Oct 1, 2025 – Jun 30, 2026 held out/);
  });
});
