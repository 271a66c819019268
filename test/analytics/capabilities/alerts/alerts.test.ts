import { describe, expect, it } from "vitest";
import type { AlertRule } from "../../../../analytics/platform/contract/alerts.ts";
import { memoryPlatform } from "../../../support/db.ts";

const today = "2026-11-24";
const kinds = memoryPlatform().registries.alertKinds;
const parseAlertRule = (text: string, day: string) => kinds.parse(text, { today: day, currency: "USD" });
const describeRule = (rule: AlertRule, currency: string) => kinds.describe(rule, currency);

describe("reading alerts", () => {
  it.each([
    [
      "revenue below 5000 daily",
      { kind: "threshold", metric: "revenue", op: "below", value: 5000, grain: "daily" },
    ],
    [
      "revenue under $5k a day",
      { kind: "threshold", metric: "revenue", op: "below", value: 5000, grain: "daily" },
    ],
    [
      "orders above 200 weekly",
      { kind: "threshold", metric: "orders", op: "above", value: 200, grain: "weekly" },
    ],
    [
      "conversion rate below 2%",
      { kind: "threshold", metric: "conversion_rate", op: "below", value: 0.02, grain: "daily" },
    ],
    [
      "conversion rate drops 20% week over week",
      { kind: "change", metric: "conversion_rate", direction: "drops", percent: 0.2, grain: "weekly" },
    ],
    [
      "signups fall by 15% day over day",
      { kind: "change", metric: "signups", direction: "drops", percent: 0.15, grain: "daily" },
    ],
    [
      "cpa rises 30% for paid search",
      {
        kind: "change",
        metric: "cpa",
        direction: "rises",
        percent: 0.3,
        grain: "weekly",
        channel: "paid_search",
      },
    ],
    ["signups anomaly", { kind: "anomaly", metric: "signups" }],
    ["visitors anomaly for paid search", { kind: "anomaly", metric: "visitors", channel: "paid_search" }],
    ["no data for 6 h", { kind: "no_data", hours: 6 }],
    ["no events for 12 hours", { kind: "no_data", hours: 12 }],
  ])("“%s”", (text, rule) => {
    expect(parseAlertRule(text, today)).toEqual(rule);
  });

  it("explains what it cannot read", () => {
    expect(() => parseAlertRule("revenue is weird", today)).toThrow(/could not read the alert/);
    expect(() => parseAlertRule("revenue and orders below 5", today)).toThrow(/one metric/);
    expect(() => parseAlertRule("revenue anomaly", today)).toThrow(/Anomaly alerts watch counts/);
  });

  it("says the rule in words, money in the reporting currency", () => {
    expect(describeRule(parseAlertRule("revenue below 5000 daily", today), "USD")).toBe(
      "Revenue below $5,000.00 a day",
    );
    expect(describeRule(parseAlertRule("conversion rate drops 20% week over week", today), "USD")).toBe(
      "Conversion rate drops 20% week over week",
    );
    expect(describeRule(parseAlertRule("visitors anomaly for paid search", today), "USD")).toBe(
      "Visitors (Paid search) outside its usual range",
    );
  });
});
