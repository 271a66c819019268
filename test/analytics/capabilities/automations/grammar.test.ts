import { describe, expect, it } from "vitest";
import { describeAutomation } from "../../../../analytics/capabilities/automations/describe.ts";
import { parseAutomation, readDuration } from "../../../../analytics/capabilities/automations/grammar.ts";

describe("the automation language", () => {
  it("reads the issue's win-back example into a trigger and steps, and says it back", () => {
    const spec = parseAutomation(
      'when customer enters segment "Can\'t lose them" send email win-back-1, wait 3 days, if no order send email win-back-2',
    );
    expect(spec).toEqual({
      trigger: { kind: "segment", on: "enters", segment: "can't lose them" },
      steps: [
        { kind: "email", template: "win-back-1" },
        { kind: "wait", ms: 3 * 86_400_000 },
        { kind: "if", condition: { kind: "no_order" } },
        { kind: "email", template: "win-back-2" },
      ],
      holdout: 0,
      includeCurrent: false,
    });
    expect(describeAutomation(spec)).toBe(
      "when a customer enters segment “can't lose them”: send email “win-back-1”, then wait 3 days, then if no order since they entered, then send email “win-back-2”",
    );
  });

  it("reads an abandoned checkout, a holdout, current members, webhooks, Slack and waits until a local time", () => {
    expect(
      parseAutomation(
        'event "Checkout Started" without "Order Completed" within 2 hours send email abandoned-cart',
      ).trigger,
    ).toEqual({
      kind: "event",
      event: "Checkout Started",
      without: { event: "Order Completed", withinMs: 7_200_000 },
    });
    const spec = parseAutomation(
      'customer leaves segment vip with holdout 10% including current members, wait until 9am then call webhook https://hooks.example.com/x; post to slack owner "{{customer_id}} left"',
    );
    expect(spec.holdout).toBeCloseTo(0.1);
    expect(spec.includeCurrent).toBe(true);
    expect(spec.trigger).toEqual({ kind: "segment", on: "leaves", segment: "vip" });
    expect(spec.steps).toEqual([
      { kind: "wait_until", hour: 9, minute: 0 },
      { kind: "webhook", url: "https://hooks.example.com/x" },
      { kind: "slack", to: "owner", text: "{{customer_id}} left" },
    ]);
    expect(parseAutomation('an alert opens post to slack C024BE91L "look at it"').trigger).toEqual({
      kind: "incident",
    });
    expect(
      parseAutomation('every monday at 09:00 for segment "newsletter" send email welcome').trigger,
    ).toEqual({
      kind: "schedule",
      schedule: { every: "week", weekday: 1, hour: 9, minute: 0 },
      segment: "newsletter",
    });
  });

  it("refuses what it cannot do, saying what it can", () => {
    const refused = (text: string) => {
      try {
        parseAutomation(text);
      } catch (error) {
        return `${(error as Error).message} | ${(error as { hint?: string }).hint}`;
      }
      return "read";
    };
    expect(refused('when customer enters segment "x" wait 2 days')).toMatch(/at least one action/);
    expect(refused("when an alert opens send email win-back-1")).toMatch(/An alert has no customer to email/);
    expect(refused('customer enters segment "x" call webhook http://example.com/x')).toMatch(/must be HTTPS/);
    expect(refused('customer enters segment "x" with holdout 70% send email a')).toMatch(/from 1 % to 50 %/);
    expect(refused("when the moon is full send email a")).toMatch(
      /could not read the trigger .* \| customer enters segment/,
    );
    expect(refused('customer enters segment "x" send carrier pigeon')).toMatch(
      /could not read the step “send carrier pigeon”/,
    );
    expect(refused('customer enters segment "x" if it rains send email a')).toMatch(
      /could not read the condition/,
    );
    expect(refused('customer enters segment "x" wait 400 days, send email a')).toMatch(
      /not a wait Lift can keep/,
    );
  });

  it("reads durations in minutes, hours, days and weeks", () => {
    expect(readDuration("30 minutes")).toBe(1_800_000);
    expect(readDuration("2h")).toBe(7_200_000);
    expect(readDuration("1 week")).toBe(604_800_000);
    expect(readDuration("soon")).toBeNull();
  });
});
