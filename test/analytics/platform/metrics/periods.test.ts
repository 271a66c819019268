import { describe, expect, it } from "vitest";
import {
  comparisonPeriod,
  parsePeriod,
  resolvePeriod,
} from "../../../../analytics/platform/metrics/periods.ts";

const today = "2026-11-24"; // a Tuesday

describe("periods", () => {
  it("makes 'last 30 days' thirty complete days ending yesterday, compared with the thirty before", () => {
    const period = resolvePeriod({ kind: "last_days", n: 30 }, today);
    expect([period.from, period.to, period.partial]).toEqual(["2026-10-25", "2026-11-23", false]);
    const before = comparisonPeriod(period, "previous")!;
    expect([before.from, before.to]).toEqual(["2026-09-25", "2026-10-24"]);
  });

  it("compares month to date with the same days of last month", () => {
    const period = resolvePeriod({ kind: "this_month" }, today);
    expect([period.from, period.to]).toEqual(["2026-11-01", "2026-11-23"]);
    const before = comparisonPeriod(period, "previous")!;
    expect([before.from, before.to, before.label]).toEqual([
      "2026-10-01",
      "2026-10-23",
      "same days last month",
    ]);
    const march = comparisonPeriod(resolvePeriod({ kind: "this_month" }, "2026-03-31"), "previous")!;
    expect([march.from, march.to]).toEqual(["2026-02-01", "2026-02-28"]);
  });

  it("starts weeks on Monday", () => {
    expect(resolvePeriod({ kind: "last_week" }, today)).toMatchObject({
      from: "2026-11-16",
      to: "2026-11-22",
    });
    expect(resolvePeriod({ kind: "this_week" }, today)).toMatchObject({
      from: "2026-11-23",
      to: "2026-11-23",
    });
    expect(resolvePeriod({ kind: "last_weeks", n: 2 }, today)).toMatchObject({
      from: "2026-11-09",
      to: "2026-11-22",
    });
  });

  it("says when a to-date period has no complete day yet instead of answering with nothing", () => {
    expect(() => resolvePeriod({ kind: "this_month" }, "2026-12-01")).toThrow(/no complete day yet/);
    expect(() => resolvePeriod({ kind: "this_week" }, "2026-11-23")).toThrow(/today is Monday/);
  });

  it("compares last month with the month before, and today with the same weekday last week", () => {
    const last = resolvePeriod({ kind: "last_month" }, "2026-03-15");
    expect([last.from, last.to]).toEqual(["2026-02-01", "2026-02-28"]);
    expect(comparisonPeriod(last, "previous")).toMatchObject({ from: "2026-01-01", to: "2026-01-31" });
    const todayPeriod = resolvePeriod({ kind: "today" }, today);
    expect(todayPeriod.partial).toBe(true);
    expect(comparisonPeriod(todayPeriod, "previous")).toMatchObject({ from: "2026-11-17", to: "2026-11-17" });
    expect(comparisonPeriod(last, "last_year")).toMatchObject({ from: "2025-02-01", to: "2025-02-28" });
    expect(comparisonPeriod(last, "none")).toBeNull();
  });

  it("refuses ranges that are not real or run backwards", () => {
    expect(() => resolvePeriod({ kind: "range", from: "2026-02-30", to: "2026-03-01" }, today)).toThrow(
      /real days/,
    );
    expect(() => resolvePeriod({ kind: "range", from: "2026-03-02", to: "2026-03-01" }, today)).toThrow(
      /after it ends/,
    );
  });

  it.each([
    ["last 30 days", { kind: "last_days", n: 30 }],
    ["past 7 days", { kind: "last_days", n: 7 }],
    ["last seven days", { kind: "last_days", n: 7 }],
    ["Last 2 Weeks", { kind: "last_days", n: 14 }],
    ["past 2 weeks", { kind: "last_days", n: 14 }],
    ["last 2 calendar weeks", { kind: "last_weeks", n: 2 }],
    ["last 3 months", { kind: "last_months", n: 3 }],
    ["90d", { kind: "last_days", n: 90 }],
    ["mtd", { kind: "this_month" }],
    ["this month", { kind: "this_month" }],
    ["previous month", { kind: "last_month" }],
    ["yesterday", { kind: "yesterday" }],
    ["ytd", { kind: "this_year" }],
    ["2026-10-01..2026-10-31", { kind: "range", from: "2026-10-01", to: "2026-10-31" }],
    ["2026-10-01 to 2026-10-31", { kind: "range", from: "2026-10-01", to: "2026-10-31" }],
    ["since 2026-11-01", { kind: "range", from: "2026-11-01", to: "2026-11-23" }],
    ["on 2026-11-02", { kind: "range", from: "2026-11-02", to: "2026-11-02" }],
  ])("reads “%s”", (text, spec) => {
    expect(parsePeriod(text, today)).toEqual(spec);
  });

  it("does not mistake other words for a period", () => {
    expect(parsePeriod("revenue")).toBeNull();
    expect(parsePeriod("last zero days")).toBeNull();
    expect(parsePeriod("last 0 days")).toBeNull();
  });

  it("compares a whole month with the month before, not with the 30 days before it", () => {
    const november = resolvePeriod({ kind: "range", from: "2026-11-01", to: "2026-11-30" }, "2026-12-01");
    expect(comparisonPeriod(november, "previous")).toMatchObject({
      from: "2026-10-01",
      to: "2026-10-31",
      label: "October 2026",
    });
    const q3 = resolvePeriod({ kind: "range", from: "2026-07-01", to: "2026-09-30" }, "2026-12-01");
    expect(comparisonPeriod(q3, "previous")).toMatchObject({ from: "2026-04-01", to: "2026-06-30" });
    const days = resolvePeriod({ kind: "range", from: "2026-11-03", to: "2026-11-09" }, "2026-12-01");
    expect(comparisonPeriod(days, "previous")).toMatchObject({ from: "2026-10-27", to: "2026-11-02" });
  });

  it("compares with a period of its own, or with the same days a week before", () => {
    const november = resolvePeriod({ kind: "range", from: "2026-11-01", to: "2026-11-30" }, "2026-12-01");
    expect(comparisonPeriod(november, { from: "2026-03-01", to: "2026-03-31" })).toMatchObject({
      from: "2026-03-01",
      to: "2026-03-31",
      label: "March 2026",
    });
    const yesterday = resolvePeriod({ kind: "yesterday" }, "2026-12-01");
    expect(comparisonPeriod(yesterday, "week_before")).toMatchObject({
      from: "2026-11-23",
      to: "2026-11-23",
      label: "same weekday a week before",
    });
  });
});
