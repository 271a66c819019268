import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  dayCutter,
  dayOf,
  eachDay,
  isDay,
  localTimeMs,
  startOfDayMs,
  startOfWeek,
  weekday,
} from "../../../../analytics/platform/time/zone.ts";

// Reference instants from Python 3.11 zoneinfo (IANA tzdata), an implementation independent of ICU:
//   datetime(2026, 3, 29, tzinfo=ZoneInfo("Europe/Berlin")).timestamp() * 1000, etc.
describe("time zones", () => {
  it.each([
    ["Europe/Berlin", "2026-03-29", 1774738800000],
    ["Europe/Berlin", "2026-10-25", 1792879200000],
    ["America/New_York", "2026-03-08", 1772946000000],
    ["America/New_York", "2026-11-01", 1793505600000],
    ["Asia/Kathmandu", "2026-06-01", 1780251300000],
    ["Australia/Lord_Howe", "2026-10-04", 1791034200000],
  ])("finds local midnight of %s on %s", (zone, day, expected) => {
    expect(startOfDayMs(day, zone)).toBe(expected);
  });

  it("knows DST days are 23 and 25 hours long", () => {
    const hours = (zone: string, day: string) =>
      (startOfDayMs(addDays(day, 1), zone) - startOfDayMs(day, zone)) / 3_600_000;
    expect(hours("Europe/Berlin", "2026-03-29")).toBe(23);
    expect(hours("Europe/Berlin", "2026-10-25")).toBe(25);
    expect(hours("America/New_York", "2026-11-01")).toBe(25);
    expect(hours("Australia/Lord_Howe", "2026-10-04")).toBe(23.5);
  });

  it.each([
    ["Europe/Berlin", "2026-03-28T23:30:00Z", "2026-03-29"],
    ["America/New_York", "2026-11-02T04:30:00Z", "2026-11-01"],
    ["America/New_York", "2026-11-02T05:30:00Z", "2026-11-02"],
    ["Pacific/Auckland", "2026-11-23T11:00:00Z", "2026-11-24"],
  ])("cuts the local day of an instant in %s", (zone, iso, day) => {
    expect(dayOf(Date.parse(iso), zone)).toBe(day);
  });

  it("places 09:00 on DST days at the right instant", () => {
    expect(localTimeMs("2026-03-29", 9, 0, "Europe/Berlin")).toBe(1774767600000);
    expect(localTimeMs("2026-11-01", 9, 0, "America/New_York")).toBe(1793541600000);
  });

  it("moves a wall time that DST skips forward by the gap (02:30 → 03:30 CEST)", () => {
    expect(localTimeMs("2026-03-29", 2, 30, "Europe/Berlin")).toBe(1774747800000);
  });

  it("cuts days in bulk exactly as the slow path does, in every kind of zone", () => {
    const zones = [
      "Europe/Berlin",
      "America/New_York",
      "Asia/Kathmandu",
      "Australia/Lord_Howe",
      "Asia/Kolkata",
      "UTC",
    ];
    const cutters = new Map(zones.map((zone) => [zone, dayCutter(zone)]));
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2028, 0, 1) }),
        (zone, ms) => {
          expect(cutters.get(zone)!(ms)).toBe(dayOf(ms, zone));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("does calendar arithmetic on day strings", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonths("2026-01-15", 13)).toBe("2027-02-15");
    expect(weekday("2026-11-23")).toBe(1);
    expect(weekday("2026-11-29")).toBe(7);
    expect(startOfWeek("2026-11-29")).toBe("2026-11-23");
    expect(startOfWeek("2026-11-23")).toBe("2026-11-23");
    expect(eachDay("2026-12-30", "2027-01-02")).toEqual([
      "2026-12-30",
      "2026-12-31",
      "2027-01-01",
      "2027-01-02",
    ]);
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2028-02-29")).toBe(true);
  });
});
