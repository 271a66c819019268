import { describe, expect, it } from "vitest";
import type { AppError } from "../../../../analytics/platform/base/errors.ts";
import { parseKpiQuestion } from "../../../../analytics/platform/metrics/grammar.ts";
import { PHRASINGS, today } from "./phrasings.ts";

describe("KPI grammar", () => {
  it("says when a period is longer than Lift answers for, instead of guessing a metric", () => {
    expect(() => parseKpiQuestion("revenue last 121 months", today)).toThrow(
      "“last 121 months” is longer than Lift answers for",
    );
    expect(parseKpiQuestion("revenue last 120 months", today).period).toEqual({
      kind: "last_months",
      n: 120,
    });
  });

  it("has at least 100 phrasings", () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(100);
  });

  it.each(PHRASINGS)("reads “%s”", (text, expected) => {
    const parsed = parseKpiQuestion(text, today);
    expect({ ...parsed, metrics: [...parsed.metrics].sort() }).toEqual({
      ...expected,
      metrics: [...expected.metrics].sort(),
    });
  });

  it("keeps metrics in the order they were asked for", () => {
    expect(parseKpiQuestion("visitors, orders and revenue by channel", today).metrics).toEqual([
      "visitors",
      "orders",
      "revenue",
    ]);
    expect(parseKpiQuestion('roas "Product Added" conversion rate spend', today).metrics).toEqual([
      "roas",
      "event:Product Added",
      "conversion_rate",
      "spend",
    ]);
  });

  it.each([
    ["revenu last week", "“revenue”"],
    ["happiness by channel", "help kpi"],
    ["ordrs", "“orders”"],
  ])("says which words in “%s” it could not read, with a suggestion", (text, hint) => {
    let error: { message: string; hint?: string } | undefined;
    try {
      parseKpiQuestion(text, today);
    } catch (caught) {
      error = caught as { message: string; hint?: string };
    }
    expect(error?.message).toMatch(/^I could not read “/);
    expect(error?.hint).toContain(hint);
  });

  it("says what it understood, and offers the closest questions that work", () => {
    let error: AppError | undefined;
    try {
      parseKpiQuestion("revnue by chanel last week for paid search", today);
    } catch (caught) {
      error = caught as AppError;
    }
    expect(error?.message).toBe("I could not read “revnue chanel”");
    expect(error?.hint).toBe("read so far: last week · for paid search; did you mean “revenue”?");
    expect(error?.suggestions[0]).toBe("revenue by channel last week for paid search");
    for (const suggestion of error!.suggestions)
      expect(() => parseKpiQuestion(suggestion, today)).not.toThrow();
  });

  it.each([
    ["paid search revenue last week", { channel: "paid_search" }],
    ["email signups yesterday", { channel: "email" }],
    ["organic visitors", { channel: "organic" }],
  ])("never blames a valid word: “%s” reads its channel", (text, filter) => {
    expect(parseKpiQuestion(text, today).filter).toEqual(filter);
  });
});
