import { afterEach, describe, expect, it } from "vitest";
import { reportToCsv } from "../../../../analytics/platform/reports/cells.ts";
import { contextLine } from "../../../../analytics/platform/reports/context.ts";
import { reportFilename } from "../../../../analytics/platform/reports/files.ts";
import { localTimeMs } from "../../../../analytics/platform/time/zone.ts";
import { renderHtml } from "../../../../bot/render/html.ts";
import { renderText } from "../../../../bot/render/text.ts";
import { demoDb, emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());
const ask = (text: string) => t.platform.registries.commands.run(text, { userId: "U1" });

describe("answers that say what they are", () => {
  it("says a filter everywhere a reader looks: title, summary, chart, context line, file name", async () => {
    t = demoDb();
    const filtered = await ask("roas for paid social");
    const blended = await ask("roas");
    expect(filtered.title).toBe("ROAS · Paid social · Last 30 days");
    expect(filtered.summary).toMatch(/^ROAS for Paid social was \d+\.\d\d×/);
    expect(filtered.facts[0]!.value).not.toBe(blended.facts[0]!.value);
    expect(filtered.charts[0]!.title).toMatch(/^ROAS per day · Paid social · Oct 24 – Nov 22, 2026$/);
    expect(contextLine(filtered)).toMatch(/^Paid social · Oct 24 – Nov 22, 2026 \(Europe\/Berlin\)/);
    expect(reportFilename(filtered, "csv")).toBe("lift-kpi-paid-social-2026-11-22.csv");
    const campaign = await ask('revenue campaign "Brand search" last 7 days');
    expect(campaign.title).toBe("Revenue · campaign Brand search · Last 7 days");
  });

  it("gives no percentage against a period before the data starts, and says when the data starts", async () => {
    t = demoDb();
    // The demo's events start Aug 25, 2026; the 56 days before the last 8 weeks begin Jul 31. (Its
    // orders go back a year: the customer models' regulars, issue 25; events still start with the 90 days.)
    const weeks = await ask("signups by week for the last 8 weeks");
    expect(weeks.facts[0]!.change).toBeUndefined();
    expect(weeks.summary).toMatch(
      /; no comparison with the previous 56 days \(events data starts Aug 25, 2026\)\.$/,
    );
    expect(weeks.warnings).toContain(
      "No comparison with the previous 56 days: events data starts Aug 25, 2026.",
    );
    // A period that starts before the data says so, instead of passing for a whole quarter.
    const quarter = await ask("visitors by channel last quarter");
    expect(quarter.warnings).toContain(
      "Events data starts Aug 25, 2026: Jul 1 – Aug 24, 2026 have none, so the figures cover less than the period.",
    );
    // Weeks wholly before the data read "no data", not zero.
    const byWeek = await ask("pageviews by week last 20 weeks");
    expect(byWeek.table!.rows[0]![1]).toBeNull();
  });

  it("shows a change on fewer than 30 orders without an arrow or a colour, marked few data", async () => {
    const now = localTimeMs("2026-11-23", 15, 0, "Europe/Berlin");
    t = emptyDb({ now: () => now });
    const order = (id: string, day: string, hour: number) => ({
      id,
      amount: "40.00",
      timestamp: new Date(localTimeMs(day, hour, 0, "Europe/Berlin")).toISOString(),
    });
    await t.platform.ingest.write("orders", [
      order("a1", "2026-11-16", 9),
      order("a2", "2026-11-16", 10),
      order("b1", "2026-11-23", 9),
      order("b2", "2026-11-23", 10),
      order("b3", "2026-11-23", 11),
    ]);
    const [today] = await t.core.panel("today", "console");
    const orders = today!.facts.find((f) => f.label === "Orders")!;
    expect(orders.value).toBe("3");
    expect(orders.change).toEqual({ text: "+50.0%", direction: "flat", tone: "neutral", few: true });
    expect(renderHtml(today!)).toContain('<span class="change neutral few">+50.0% · few data</span>');
    expect(renderText(today!)).toMatch(/Orders +3 +\+50\.0% · few data/);
    expect(today!.summary).not.toMatch(/up 50/);
  });

  it("uses ranking words that mean what they say: lowest CPA first, never 'leads' for a cost", async () => {
    t = demoDb();
    const cpa = await ask("cpa by channel");
    expect(cpa.summary).toMatch(/ Lowest CPA: \w[\w ]+ \(\$[\d.,]+\); highest: \w[\w ]+ \(\$[\d.,]+\)\.$/);
    expect(cpa.summary).not.toMatch(/leads/);
    const revenue = await ask("revenue by channel");
    expect(revenue.summary).toMatch(/ leads with \$/);
  });

  it("marks the rows of a breakdown whose change rests on too few orders", async () => {
    t = demoDb();
    const campaigns = await ask("orders by campaign yesterday");
    const change = campaigns.table!.columns.findIndex((c) => c.key === "change");
    expect(campaigns.table!.rows.every((row) => row[change] === null)).toBe(true);
    expect(
      campaigns.warnings.some((w) =>
        /show no change: fewer than 30 orders in one of the periods \(few data\)/.test(w),
      ),
    ).toBe(true);
    expect(reportToCsv(campaigns).split("\n")[0]).toContain("Orders vs the day before");
  });
});
