import { describe, expect, it } from "vitest";
import {
  currencyDecimals,
  formatAgo,
  formatChange,
  formatCount,
  formatDayRange,
  formatMoney,
  formatPercent,
  toMajorUnits,
} from "../../../../analytics/platform/base/format.ts";

describe("numbers for people", () => {
  it("formats money from minor units in the currency's own digits", () => {
    expect(formatMoney(123456, "USD")).toBe("$1,234.56");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
    expect(formatMoney(1234567, "USD", { compact: true })).toBe("$12.3K");
    expect(formatMoney(-500, "EUR")).toBe("-€5.00");
  });

  it("formats counts, rates and changes", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatCount(12345, { compact: true })).toBe("12.3K");
    expect(formatPercent(0.03456)).toBe("3.5%");
    expect(formatChange(0.123)).toBe("+12.3%");
    expect(formatChange(-0.05)).toBe("−5.0%");
    expect(formatChange(0)).toBe("±0%");
    expect(formatChange(12.5)).toBe("+1250%");
  });

  it("writes day ranges and ages the short way", () => {
    expect(formatDayRange("2026-10-25", "2026-11-23")).toBe("Oct 25 – Nov 23, 2026");
    expect(formatDayRange("2025-12-25", "2026-01-02")).toBe("Dec 25, 2025 – Jan 2, 2026");
    expect(formatAgo(0, 3 * 60_000)).toBe("3 min ago");
    expect(formatAgo(0, 5 * 3_600_000)).toBe("5 h ago");
    expect(formatAgo(0, 3 * 86_400_000)).toBe("3 days ago");
  });
});

describe("minor units", () => {
  it("converts to major units with each currency's own digits", () => {
    expect(toMajorUnits(123456, "USD")).toBe(1234.56);
    expect(toMajorUnits(1500, "JPY")).toBe(1500);
    expect(toMajorUnits(1234, "KWD")).toBe(1.234);
    expect(currencyDecimals("JPY")).toBe(0);
  });
});
