import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  followUpCommand,
  parseKpiQuestion,
  queryText,
} from "../../../../analytics/platform/commands/index.ts";
import { CHANNELS } from "../../../../analytics/platform/ingest/channel.ts";
import { METRICS } from "../../../../analytics/platform/metrics/definitions.ts";
import type { KpiQuery } from "../../../../analytics/platform/metrics/kpis.ts";
import { memoryPlatform } from "../../../support/db.ts";

const today = "2026-11-24";
const registry = memoryPlatform().registries.commands;
const follow = (previous: string, reply: string) => followUpCommand(registry, previous, reply, today);

describe("follow-ups in a thread", () => {
  it.each([
    ["kpi revenue last 30 days by channel", "and by campaign?", "kpi revenue last 30 days by campaign"],
    ["kpi revenue last 30 days by channel", "what about last week", "kpi revenue last week by channel"],
    [
      "kpi revenue last 30 days by channel",
      "same for email",
      "kpi revenue last 30 days by channel for email",
    ],
    ["kpi revenue last 30 days by channel", "orders instead", "kpi orders last 30 days by channel"],
    ["kpi revenue last 30 days by channel", "also orders", "kpi revenue and orders last 30 days by channel"],
    ["kpi revenue last 30 days", "vs last year?", "kpi revenue last 30 days vs last year"],
    ["revenue yesterday", "and this month", "kpi revenue this month"],
    ["channels this month", "and last month?", "channels last month"],
    ["campaigns this month", "for paid search", "campaigns this month for paid search"],
    [
      "kpi cpa for paid search by campaign yesterday",
      "and for paid social",
      "kpi cpa yesterday by campaign for paid social",
    ],
  ])("after “%s”, “%s” means “%s”", (previous, reply, expected) => {
    expect(follow(previous, reply)).toBe(expected);
  });

  it("treats a reply that is a command of its own, or a fresh question, as itself", () => {
    expect(follow("kpi revenue last 30 days", "help")).toBe("help");
    expect(follow("kpi revenue last 30 days", "pacing")).toBe("pacing");
    expect(follow("kpi revenue last 30 days", "funnel page > Order Completed")).toBe(
      "funnel page > Order Completed",
    );
    expect(follow("channels this month", "kpi orders")).toBe("kpi orders");
    expect(follow("pacing", "by campaign")).toBe("by campaign");
    // Words nothing can read are left for the command to explain.
    expect(follow("kpi revenue last 30 days", "thanks!")).toBe("thanks!");
  });

  it("writes any query back into words that read to the same query", () => {
    const period = fc.oneof(
      fc.constantFrom(
        ...(
          [
            "today",
            "yesterday",
            "this_week",
            "last_week",
            "this_month",
            "last_month",
            "this_quarter",
            "last_quarter",
            "this_year",
          ] as const
        ).map((kind) => ({ kind })),
      ),
      fc.record({
        kind: fc.constantFrom("last_days" as const, "last_weeks" as const, "last_months" as const),
        n: fc.integer({ min: 1, max: 120 }),
      }),
      fc.tuple(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 90 })).map(([start, length]) => {
        const from = new Date(Date.UTC(2025, 0, 1 + start));
        const to = new Date(from.getTime() + length * 86_400_000);
        return {
          kind: "range" as const,
          from: from.toISOString().slice(0, 10),
          to: to.toISOString().slice(0, 10),
        };
      }),
    );
    const query = fc.record({
      metrics: fc.uniqueArray(
        fc.oneof(
          fc.constantFrom(...METRICS.map((m) => m.key)),
          fc.constantFrom("event:Product Added", "event:Signed Up"),
        ),
        { minLength: 1, maxLength: 3 },
      ),
      period,
      compare: fc.constantFrom("previous" as const, "last_year" as const, "none" as const),
      by: fc.constantFrom(
        "none" as const,
        "channel" as const,
        "campaign" as const,
        "day" as const,
        "week" as const,
        "month" as const,
      ),
      filter: fc.record(
        {
          channel: fc.constantFrom(...CHANNELS),
          campaignId: fc.constantFrom("brand-search", "Black Friday 2026"),
        },
        { requiredKeys: [] },
      ),
    });
    fc.assert(
      fc.property(query, (q) => {
        expect(parseKpiQuestion(queryText(q as KpiQuery), today)).toEqual(q);
      }),
      { numRuns: 500 },
    );
  });
});
