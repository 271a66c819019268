import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { forecastBandAlert } from "../../../../analytics/capabilities/predict/alert.ts";
import { addDays } from "../../../../analytics/platform/time/zone.ts";
import { runLift } from "../../../support/cli.ts";
import { demoDb, emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const ask = (text: string) => t.platform.registries.commands.run(text, { userId: "U0ADMIN" });

/** Orders with a planted week: weekdays 20 a day, weekends 8, rising 1 % a week; `drop` from a day on. */
async function plantOrders(from: string, days: number, drop?: { from: string; factor: number }) {
  const rows: Record<string, unknown>[] = [];
  for (let d = 0; d < days; d++) {
    const day = addDays(from, d);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    let count = Math.round((weekday === 0 || weekday === 6 ? 8 : 20) * (1 + 0.01 * Math.floor(d / 7)));
    if (drop && day >= drop.from) count = Math.round(count * drop.factor);
    for (let i = 0; i < count; i++)
      rows.push({
        id: `${day}-${i}`,
        amount: "50.00",
        timestamp: `${day}T${String(8 + (i % 12)).padStart(2, "0")}:00:00Z`,
      });
  }
  await t.platform.ingest.write("orders", rows);
}

describe("forecasts on the workspace", () => {
  it("forecasts a KPI with its bands, model, holdout error and forecast/1 data", async () => {
    t = demoDb();
    const report = await ask("forecast revenue next 30 days");
    expect(report.kind).toBe("forecast");
    expect(report.summary).toMatch(/ETS\(A,/);
    expect(report.summary).toMatch(/held out/);
    const data = report.data as unknown as {
      schema: string;
      steps: Record<string, number>[];
      total: { expected: number };
      holdout: unknown;
    };
    expect(data.schema).toBe("forecast/1");
    expect(data.steps).toHaveLength(30);
    for (const s of data.steps) {
      expect(s["lower95"]!).toBeLessThanOrEqual(s["lower80"]!);
      expect(s["lower80"]!).toBeLessThanOrEqual(s["forecast"]!);
      expect(s["forecast"]!).toBeLessThanOrEqual(s["upper80"]!);
      expect(s["upper80"]!).toBeLessThanOrEqual(s["upper95"]!);
    }
    const sum = data.steps.reduce((a, s) => a + s["forecast"]!, 0);
    expect(Math.abs(data.total.expected - sum)).toBeLessThan(1);
    expect(data.holdout).not.toBeNull();
    expect(report.charts[0]!.band?.name).toBe("80 % prediction interval");
  });

  it("learns a planted week and trend: the next two weeks within 10 % of what was planted", async () => {
    t = emptyDb({ now: () => Date.parse("2026-11-30T10:00:00Z"), timeZone: "UTC" });
    await plantOrders("2026-07-03", 150);
    const report = await ask("forecast orders next 14 days");
    const steps = (report.data as unknown as { steps: { day: string; forecast: number }[] }).steps;
    for (const s of steps) {
      const weekday = new Date(`${s.day}T12:00:00Z`).getUTCDay();
      const planted =
        (weekday === 0 || weekday === 6 ? 8 : 20) *
        (1 + 0.01 * Math.floor((Date.parse(s.day) - Date.parse("2026-07-03")) / 7 / 86_400_000));
      expect(Math.abs(s.forecast - planted) / planted).toBeLessThan(0.1);
    }
    expect((report.data as unknown as { season_days: number }).season_days).toBe(7);
  });

  it("says the chance of a target and what each day needs; a total of visitors is refused in words", async () => {
    t = emptyDb({ now: () => Date.parse("2026-11-30T10:00:00Z"), timeZone: "UTC" });
    await plantOrders("2026-07-03", 150);
    // November: about 17 a day → ~510 for the month; 1,000 is far off, 300 already reached.
    const far = await ask("will we hit 1000 orders this month?");
    expect(far.kind).toBe("target");
    expect(far.summary).toMatch(/^Very unlikely/);
    expect(far.data).toMatchObject({ schema: "forecast/1", target: 1000 });
    const reached = await ask("target orders 300 this month");
    expect(reached.summary).toMatch(/^Reached/);
    const visitors = await ask("target visitors 100000 this quarter").catch((error: Error) => error);
    expect(String((visitors as Error).message)).toMatch(/can't say whether visitors will reach a total/);
  });

  it("reads forecast questions in plain words", async () => {
    t = demoDb();
    expect((await ask("what will revenue be next month?")).command).toBe("forecast revenue next month");
    expect((await ask("are we on track to hit $200k revenue this quarter")).command).toBe(
      "target revenue 200000 this quarter",
    );
  });

  it("refuses a forecast from under two weeks of data, saying where the data starts", async () => {
    t = emptyDb({ now: () => Date.parse("2026-11-30T10:00:00Z"), timeZone: "UTC" });
    await plantOrders("2026-11-20", 10);
    const error = await ask("forecast orders next 7 days").catch((e: Error) => e);
    expect((error as Error).message).toMatch(/at least 14 days of orders.*data starts Nov 20/);
  });
});

describe("forecast band alert", () => {
  const rule = (text: string) => forecastBandAlert.parse(text, { today: "2026-11-30", currency: "USD" });

  it("reads its phrases", () => {
    expect(rule("orders below forecast 3 days")).toEqual({
      kind: "forecast",
      metric: "orders",
      days: 3,
      direction: "below",
    });
    expect(rule("signups above the forecast for email")).toMatchObject({
      metric: "signups",
      channel: "email",
      direction: "above",
      days: 2,
    });
    expect(rule("revenue drops 20%")).toBeNull();
  });

  it("fires when the last days fell below the band of a forecast made before them, and not otherwise", async () => {
    t = emptyDb({ now: () => Date.parse("2026-11-30T10:00:00Z"), timeZone: "UTC" });
    await plantOrders("2026-07-03", 150, { from: "2026-11-27", factor: 0.3 });
    const context = t.platform.contextFor("predict");
    const firing = await forecastBandAlert.evaluate(
      context,
      rule("orders below forecast 3 days")!,
      t.platform.now(),
    );
    expect(firing.state).toBe("firing");
    expect(firing.headline).toMatch(/below its forecast's 95 % band 3 days running/);
    t.cleanup();
    t = emptyDb({ now: () => Date.parse("2026-11-30T10:00:00Z"), timeZone: "UTC" });
    await plantOrders("2026-07-03", 150);
    const quiet = await forecastBandAlert.evaluate(
      t.platform.contextFor("predict"),
      rule("orders below forecast 3 days")!,
      t.platform.now(),
    );
    expect(quiet.state).toBe("ok");
  });
});

describe("lift forecast", () => {
  it("forecasts any daily series from a CSV, as CSV or JSON", async () => {
    t = emptyDb();
    const dir = mkdtempSync(join(tmpdir(), "lift-forecast-"));
    const file = join(dir, "series.csv");
    const lines = ["date,value"];
    for (let d = 0; d < 84; d++) {
      const day = addDays("2026-01-05", d);
      if (d === 40) continue; // a missing day, filled and counted
      lines.push(`${day},${d % 7 < 5 ? 100 + d : 40 + d}`);
    }
    writeFileSync(file, `${lines.join("\n")}\n`);
    const json = await runLift(t, ["forecast", file, "--horizon", "14", "--json"]);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out) as {
      model: string;
      season: number;
      filled: number;
      steps: { timestamp: string; forecast: number }[];
    };
    expect(parsed.filled).toBe(1);
    expect(parsed.steps).toHaveLength(14);
    expect(parsed.steps[0]!.timestamp).toBe("2026-03-30");
    // Monday after the last Sunday: a weekday, about 100 + 84.
    expect(Math.abs(parsed.steps[0]!.forecast - 184) / 184).toBeLessThan(0.1);
    const csv = await runLift(t, ["forecast", file, "--horizon", "3"]);
    expect(csv.out.split("\n")[0]).toBe("timestamp,forecast,lower80,upper80,lower95,upper95");
    expect(csv.out.trim().split("\n")).toHaveLength(4);
    const bad = await runLift(t, ["forecast", file, "--horizon", "zero"]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--horizon must be a whole number/);
  });

  it("runs the forecast command on the workspace otherwise", async () => {
    t = demoDb();
    const result = await runLift(t, ["forecast", "orders", "next", "7", "days", "--json"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).data.schema).toBe("forecast/1");
  });
});

describe("pacing", () => {
  it("projects each campaign's spend to its last day from a forecast of its daily spend", async () => {
    t = demoDb();
    const report = await ask("pacing");
    expect(report.details?.[0]).toMatch(/forecast of its daily spend to its last day \(.*ETS/);
  });
});
