import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  parseRule,
  type Rule,
  ruleText,
  segmentsIn,
} from "../../../../analytics/capabilities/segments/rules.ts";
import { isAppError } from "../../../../analytics/platform/base/errors.ts";

describe("the segment rule language", () => {
  it("reads the rules marketers write", () => {
    expect(parseRule("orders >= 3 and last_order < 60d and channel = email")).toEqual({
      kind: "and",
      left: {
        kind: "and",
        left: { kind: "compare", field: "orders", op: ">=", value: { kind: "number", value: 3 } },
        right: {
          kind: "compare",
          field: "last_order",
          op: "<",
          value: { kind: "duration", days: 60, text: "60d" },
        },
      },
      right: { kind: "compare", field: "channel", op: "=", value: { kind: "text", value: "email" } },
    });
    expect(parseRule("country in (DE, AT)")).toEqual({
      kind: "in",
      field: "country",
      negated: false,
      values: [
        { kind: "text", value: "DE" },
        { kind: "text", value: "AT" },
      ],
    });
    expect(parseRule("revenue > $500 or aov > 100").kind).toBe("or");
    expect(parseRule("in segment champions")).toEqual({ kind: "segment", name: "champions" });
    expect(parseRule('did "Product Added" in 7d and not did "Order Completed" in 7d')).toEqual({
      kind: "and",
      left: { kind: "did", event: "Product Added", withinDays: 7 },
      right: { kind: "not", rule: { kind: "did", event: "Order Completed", withinDays: 7 } },
    });
    expect(parseRule("last_order > 3m").kind).toBe("compare");
  });

  it("says where a rule goes wrong and what it expected", () => {
    const error = (text: string) => {
      try {
        parseRule(text);
      } catch (e) {
        if (isAppError(e)) return `${e.message} | ${e.hint}`;
        throw e;
      }
      return "parsed";
    };
    expect(error("orders >= ")).toBe(
      `Rule: expected a number (3, 500, $500) but the rule ends (at character 11) | orders >= \n          ^`,
    );
    expect(error("orders >= 3 and")).toMatch(
      /^Rule: expected a field .* but the rule ends \(at character 16\)/,
    );
    expect(error("revenue > lots")).toMatch(
      /^Rule: revenue compares with a number, not “lots” \(at character 11\)/,
    );
    expect(error("last_order < 60")).toMatch(/last_order compares with a duration like 60d/);
    expect(error("country in (DE AT)")).toMatch(/expected “,” or “\)”, found “AT” \(at character 16\)/);
    expect(error("channel ~ email")).toMatch(/“~” is not part of the rule language \(at character 9\)/);
    expect(error('did "Order Completed')).toMatch(/has no closing "/);
    expect(error("")).toMatch(/the rule is empty/);
    expect(error("(orders > 1")).toMatch(/expected “\)” but the rule ends/);
  });

  it("names the segments a rule refers to", () => {
    expect(segmentsIn(parseRule("in segment champions or (orders > 2 and in segment vip)"))).toEqual([
      "champions",
      "vip",
    ]);
  });

  // Property tests (fast-check): any rule the tree can hold is written and read back the same,
  // and any text either parses or fails with a readable error pointing inside it.
  const name = fc
    .stringMatching(/^[a-z][a-z0-9_]{0,8}$/)
    .filter((n) => !["and", "or", "not", "in", "segment", "did"].includes(n));
  const text = fc.oneof(name, fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,10}[A-Za-z]$/));
  const atom: fc.Arbitrary<Rule> = fc.oneof(
    fc.record({
      kind: fc.constant("compare" as const),
      field: fc.constantFrom("orders", "revenue", "aov"),
      op: fc.constantFrom("=", "!=", "<", "<=", ">", ">=" as const),
      value: fc.record({ kind: fc.constant("number" as const), value: fc.integer({ min: 0, max: 100000 }) }),
    }),
    fc.record({
      kind: fc.constant("compare" as const),
      field: fc.constantFrom("last_order", "first_order"),
      op: fc.constantFrom("<", ">" as const),
      value: fc
        .integer({ min: 1, max: 999 })
        .map((days) => ({ kind: "duration" as const, days, text: `${days}d` })),
    }),
    fc.record({
      kind: fc.constant("compare" as const),
      field: fc.constantFrom("channel", "country", "plan"),
      op: fc.constantFrom("=", "!=" as const),
      value: text.map((value) => ({ kind: "text" as const, value })),
    }),
    fc.record({
      kind: fc.constant("in" as const),
      field: fc.constantFrom("country", "channel"),
      negated: fc.boolean(),
      values: fc.array(
        text.map((value) => ({ kind: "text" as const, value })),
        { minLength: 1, maxLength: 3 },
      ),
    }),
    fc.record({ kind: fc.constant("segment" as const), name }),
    fc.record({
      kind: fc.constant("did" as const),
      event: text,
      withinDays: fc.option(fc.integer({ min: 1, max: 365 }), { nil: null }),
    }),
  );
  const rule: fc.Arbitrary<Rule> = fc.letrec<{ rule: Rule }>((tie) => ({
    rule: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      atom,
      fc.record({ kind: fc.constantFrom("and", "or" as const), left: tie("rule"), right: tie("rule") }),
      fc.record({ kind: fc.constant("not" as const), rule: tie("rule") }),
    ),
  })).rule;

  it("writes any rule so that it reads back the same", () => {
    const normal = (r: Rule): Rule =>
      JSON.parse(
        JSON.stringify(r, (key, v) =>
          key === "text" && typeof v === "string" && /^\d+d$/.test(v) ? undefined : v,
        ),
      );
    fc.assert(
      fc.property(rule, (r) => {
        expect(normal(parseRule(ruleText(r)))).toEqual(normal(r));
      }),
      { numRuns: 300 },
    );
  });

  it("either reads any text or says what is wrong and where, inside the text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (input) => {
        try {
          parseRule(input);
        } catch (e) {
          expect(isAppError(e)).toBe(true);
          const at = Number(/at character (\d+)\)$/.exec((e as Error).message)?.[1]);
          expect(at).toBeGreaterThanOrEqual(1);
          expect(at).toBeLessThanOrEqual(input.length + 1);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses a rule nested deeper than 32 or with more than 200 conditions, with a short message", () => {
    const deep = `${"(".repeat(20_000)}orders > 1${")".repeat(20_000)}`;
    expect(() => parseRule(deep)).toThrow(/brackets and “not” nest at most 32 deep/);
    expect(() => parseRule(`${"not ".repeat(20_000)}orders > 1`)).toThrow(/nest at most 32 deep/);
    const long = Array.from({ length: 20_000 }, () => "orders > 1").join(" and ");
    try {
      parseRule(long);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/at most 200 conditions/);
      expect(((error as { hint: string }).hint ?? "").length).toBeLessThan(300);
    }
    expect(parseRule(`${"(".repeat(10)}orders > 1${")".repeat(10)}`)).toEqual(parseRule("orders > 1"));
  });
});
