import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toReportingMoney } from "../../../../analytics/platform/ingest/money.ts";
import {
  parseDateFormat,
  parseMinorUnits,
  parseTimestamp,
} from "../../../../analytics/platform/ingest/values.ts";

const berlin = { timeZone: "Europe/Berlin" };

describe("money", () => {
  it("reads amounts into exact minor units", () => {
    expect(parseMinorUnits("12.50", 2)).toEqual({ ok: true, value: 1250 });
    expect(parseMinorUnits("1,234.56", 2)).toEqual({ ok: true, value: 123456 });
    expect(parseMinorUnits(0.1 + 0.2, 2)).toEqual({ ok: true, value: 30 });
    expect(parseMinorUnits("0.995", 2)).toEqual({ ok: true, value: 100 });
    expect(parseMinorUnits("-3", 2)).toEqual({ ok: true, value: -300 });
    expect(parseMinorUnits("1500", 0)).toEqual({ ok: true, value: 1500 });
    expect(parseMinorUnits("1.234", 3)).toEqual({ ok: true, value: 1234 });
  });

  it("says what is wrong with an amount that is not a number", () => {
    expect(parseMinorUnits("12,5O", 2)).toEqual({ ok: false, error: '"12,5O" is not a number' });
    expect(parseMinorUnits("12,50", 2)).toEqual({
      ok: false,
      error: '"12,50" is not a number: use a decimal point (write 12.50)',
    });
    expect(parseMinorUnits("", 2)).toEqual({ ok: false, error: "is empty" });
  });

  it("round-trips any cent amount written with two decimals", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000_00, max: 10_000_000_00 }), (cents) => {
        const text = (cents / 100).toFixed(2);
        expect(parseMinorUnits(text, 2)).toEqual({ ok: true, value: cents });
      }),
    );
  });

  it("converts other currencies only when a rate is configured", () => {
    const policy = { currency: "USD", rates: { EUR: 1.1, JPY: 0.0067 } };
    expect(toReportingMoney("10.00", "EUR", policy)).toEqual({
      ok: true,
      value: { minor: 1100, originalMinor: 1000, originalCurrency: "EUR" },
    });
    // JPY has no minor unit: ¥1,500 × 0.0067 = $10.05
    expect(toReportingMoney("1500", "JPY", policy)).toEqual({
      ok: true,
      value: { minor: 1005, originalMinor: 1500, originalCurrency: "JPY" },
    });
    const gbp = toReportingMoney("10", "GBP", policy);
    expect(gbp.ok).toBe(false);
    expect(!gbp.ok && gbp.error).toContain("add GBP=<rate> to LIFT_FX_RATES");
    expect(toReportingMoney("10", "XYZ1", policy).ok).toBe(false);
  });
});

describe("dates", () => {
  it("reads ISO 8601 with an offset as that instant", () => {
    expect(parseTimestamp("2026-11-20T10:00:00Z", berlin)).toEqual({
      ok: true,
      value: Date.parse("2026-11-20T10:00:00Z"),
    });
    expect(parseTimestamp("2026-11-20T10:00:00+02:00", berlin)).toEqual({
      ok: true,
      value: Date.parse("2026-11-20T08:00:00Z"),
    });
  });

  it("reads times without an offset as wall-clock time in the reporting zone", () => {
    expect(parseTimestamp("2026-11-20 10:00", berlin)).toEqual({
      ok: true,
      value: Date.parse("2026-11-20T09:00:00Z"),
    });
    expect(parseTimestamp("2026-07-20", berlin)).toEqual({
      ok: true,
      value: Date.parse("2026-07-19T22:00:00Z"),
    });
  });

  it("reads epoch seconds and milliseconds", () => {
    expect(parseTimestamp(1795168800, berlin)).toEqual({ ok: true, value: 1795168800000 });
    expect(parseTimestamp("1795168800000", berlin)).toEqual({ ok: true, value: 1795168800000 });
  });

  it("refuses a day/month date that could be read both ways, and says how to fix it", () => {
    const result = parseTimestamp("03/04/2026", berlin);
    expect(result).toEqual({
      ok: false,
      error:
        '"03/04/2026" is ambiguous (day/month or month/day?): pass --date-format DD/MM/YYYY or MM/DD/YYYY',
    });
  });

  it("reads slashed dates that can only mean one thing, or as the given format says", () => {
    expect(parseTimestamp("13/04/2026", berlin)).toEqual({
      ok: true,
      value: Date.parse("2026-04-12T22:00:00Z"),
    });
    expect(parseTimestamp("04/13/2026", berlin)).toEqual({
      ok: true,
      value: Date.parse("2026-04-12T22:00:00Z"),
    });
    expect(parseTimestamp("03/04/2026", { ...berlin, dateFormat: "DMY" })).toEqual({
      ok: true,
      value: Date.parse("2026-04-02T22:00:00Z"),
    });
    expect(parseTimestamp("03/04/2026", { ...berlin, dateFormat: "MDY" })).toEqual({
      ok: true,
      value: Date.parse("2026-03-03T23:00:00Z"),
    });
    expect(parseTimestamp("31/02/2026", berlin).ok).toBe(false);
  });

  it("understands the date formats people type", () => {
    expect(parseDateFormat("DD/MM/YYYY")).toBe("DMY");
    expect(parseDateFormat("mm/dd/yyyy")).toBe("MDY");
    expect(parseDateFormat("YYYY-MM-DD")).toBe("YMD");
    expect(parseDateFormat("dd.yy")).toBeNull();
  });

  it.each([
    // Shopify: "2026-11-02 10:15:00 +0000"; WooCommerce and Stripe dashboards: ISO with or without T and millis.
    ["2026-11-02 10:15:00 +0000", "2026-11-02T10:15:00Z"],
    ["2026-11-02T10:15:00.000+01:00", "2026-11-02T09:15:00Z"],
    ["2026-11-02 10:15:00 -0500", "2026-11-02T15:15:00Z"],
    ["2026-11-02 10:15 UTC", "2026-11-02T10:15:00Z"],
    ["2026-11-02 10:15", "2026-11-02T09:15:00Z"],
    ["Nov 2, 2026", "2026-11-01T23:00:00Z"],
    ["November 2, 2026 10:15 AM", "2026-11-02T09:15:00Z"],
    ["2 Nov 2026 22:15", "2026-11-02T21:15:00Z"],
    ["11/02/2026 10:15 PM", "2026-11-02T21:15:00Z"],
    ["1793614500", "2026-11-02T10:15:00Z"],
    ["1793614500000", "2026-11-02T10:15:00Z"],
  ])("reads the export date %s", (text, iso) => {
    const dateFormat = text.includes("/") ? ("MDY" as const) : undefined;
    expect(parseTimestamp(text, { ...berlin, dateFormat })).toEqual({ ok: true, value: Date.parse(iso) });
  });

  it("refuses dates before 2000 or past 2099, and nanoseconds, as strings and as numbers", () => {
    expect(parseTimestamp("1999-12-31T23:00:00Z", berlin)).toEqual({
      ok: false,
      error: '"1999-12-31T23:00:00Z" is before the year 2000',
    });
    expect(parseTimestamp(1e20, berlin)).toEqual({
      ok: false,
      error: "100000000000000000000 is after the year 2099 (a unit mix-up?)",
    });
    expect(parseTimestamp("1793614500000000000", berlin)).toEqual({
      ok: false,
      error:
        '"1793614500000000000" looks like micro- or nanoseconds: send seconds or milliseconds since 1970',
    });
    expect(parseTimestamp(-5, berlin).ok).toBe(false);
  });

  it("lists the forms it reads when it cannot read a date", () => {
    const result = parseTimestamp("next tuesday", berlin);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toBe(
      '"next tuesday" is not a date Lift reads (it takes 2026-11-02, 2026-11-02 10:15, 2026-11-02T10:15:00Z, 2026-11-02T10:15:00.000+01:00, 2026-11-02 10:15:00 +0000, Nov 2, 2026, 2 Nov 2026 10:15, 02/11/2026 (with --date-format), unix seconds or milliseconds)',
    );
  });
});
