import { describe, expect, it } from "vitest";
import { describeSchedule, nextRunAt, readSchedule } from "../../../../analytics/platform/time/schedule.ts";

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);
const daily9 = { every: "day" as const, hour: 9, minute: 0 };

describe("reading schedules", () => {
  it.each([
    ["daily 09:00", { every: "day", hour: 9, minute: 0 }, ""],
    ["weekly monday 09:00", { every: "week", weekday: 1, hour: 9, minute: 0 }, ""],
    ["every friday at 4pm", { every: "week", weekday: 5, hour: 16, minute: 0 }, ""],
    ["weekdays 8:30 #marketing", { every: "weekday", hour: 8, minute: 30 }, "#marketing"],
    ["daily 07:15 Europe/Berlin", { every: "day", hour: 7, minute: 15 }, "europe/berlin"],
    ["weekly", { every: "week", weekday: 1, hour: 9, minute: 0 }, ""],
  ])("“%s”", (text, schedule, rest) => {
    expect(readSchedule(text)).toEqual({ schedule, rest });
  });

  it("refuses a time that is not one", () => {
    expect(() => readSchedule("daily 25:00")).toThrow(/not a time of day/);
    expect(readSchedule("revenue")).toBeNull();
  });

  it("says the schedule in words", () => {
    expect(describeSchedule({ every: "week", weekday: 1, hour: 9, minute: 0 })).toBe("Mondays at 09:00");
    expect(describeSchedule(daily9)).toBe("daily at 09:00");
  });
});

describe("next run across DST", () => {
  it("keeps 09:00 Berlin time through the spring and autumn changes", () => {
    // 2026-03-29: CET (+1) → CEST (+2) at 01:00 UTC. 2026-10-25: back to CET at 01:00 UTC.
    expect(iso(nextRunAt(daily9, "Europe/Berlin", at("2026-03-28T08:00:00Z")))).toBe(
      "2026-03-29T07:00:00.000Z",
    );
    expect(iso(nextRunAt(daily9, "Europe/Berlin", at("2026-03-29T07:00:00Z")))).toBe(
      "2026-03-30T07:00:00.000Z",
    );
    expect(iso(nextRunAt(daily9, "Europe/Berlin", at("2026-10-24T07:00:00Z")))).toBe(
      "2026-10-25T08:00:00.000Z",
    );
  });

  it("keeps 09:00 New York time through the spring and autumn changes", () => {
    // 2026-03-08: EST (−5) → EDT (−4). 2026-11-01: back to EST.
    expect(iso(nextRunAt(daily9, "America/New_York", at("2026-03-07T14:00:00Z")))).toBe(
      "2026-03-08T13:00:00.000Z",
    );
    expect(iso(nextRunAt(daily9, "America/New_York", at("2026-10-31T13:00:00Z")))).toBe(
      "2026-11-01T14:00:00.000Z",
    );
  });

  it("runs a time the clocks skip an hour later, and a time that happens twice once", () => {
    const twoThirty = { every: "day" as const, hour: 2, minute: 30 };
    // Berlin has no 02:30 on 2026-03-29: it runs at 03:30 CEST (01:30 UTC).
    expect(iso(nextRunAt(twoThirty, "Europe/Berlin", at("2026-03-28T12:00:00Z")))).toBe(
      "2026-03-29T01:30:00.000Z",
    );
    // 02:30 happens twice on 2026-10-25 (00:30 and 01:30 UTC): one run that day, the next the day after.
    const first = nextRunAt(twoThirty, "Europe/Berlin", at("2026-10-24T12:00:00Z"));
    expect(new Date(first).toISOString().slice(0, 10)).toBe("2026-10-25");
    expect(iso(nextRunAt(twoThirty, "Europe/Berlin", first))).toBe("2026-10-26T01:30:00.000Z");
  });

  it("runs weekly on the weekday and weekdays Monday to Friday", () => {
    const monday = { every: "week" as const, weekday: 1, hour: 9, minute: 0 };
    // 2026-11-24 is a Tuesday.
    expect(iso(nextRunAt(monday, "Europe/Berlin", at("2026-11-24T10:00:00Z")))).toBe(
      "2026-11-30T08:00:00.000Z",
    );
    const weekdays = { every: "weekday" as const, hour: 9, minute: 0 };
    expect(iso(nextRunAt(weekdays, "Europe/Berlin", at("2026-11-27T09:00:00Z")))).toBe(
      "2026-11-30T08:00:00.000Z",
    );
  });
});
