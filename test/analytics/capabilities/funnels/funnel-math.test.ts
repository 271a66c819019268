import { describe, expect, it } from "vitest";
import {
  type FunnelEvent,
  funnelDepths,
  stepCounts,
} from "../../../../analytics/capabilities/funnels/funnel-math.ts";

const H = 3_600_000;
const steps = ["$page", "Product Added", "Order Completed"];
const e = (personId: string, eventKey: string, hours: number, channel = "organic"): FunnelEvent => ({
  personId,
  eventKey,
  timestamp: hours * H,
  channel,
});

describe("ordered funnels", () => {
  const events = [
    // a: completes in order within the window
    e("a", "$page", 0),
    e("a", "Product Added", 1),
    e("a", "Order Completed", 2),
    // b: buys before adding to cart: only the first step counts in order
    e("b", "$page", 0),
    e("b", "Order Completed", 1),
    e("b", "Product Added", 30 * 24),
    // c: second step happens after the 7-day window
    e("c", "$page", 0, "email"),
    e("c", "Product Added", 8 * 24, "email"),
    // d: a later start reaches further than the first one
    e("d", "$page", 0, "paid_search"),
    e("d", "$page", 200, "email"),
    e("d", "Product Added", 201),
    e("d", "Order Completed", 202),
    // f: started before the period: not counted
    e("f", "$page", -5),
    e("f", "Product Added", 1),
  ];

  it("counts each person once at the deepest step reached in order within the window", () => {
    const people = funnelDepths(events, steps, 7 * 24 * H, 0, 1000 * H);
    expect(people.get("a")).toEqual({ depth: 3, channel: "organic" });
    expect(people.get("b")?.depth).toBe(1);
    expect(people.get("c")).toEqual({ depth: 1, channel: "email" });
    expect(people.get("d")).toEqual({ depth: 3, channel: "email" });
    expect(people.has("f")).toBe(false);
    expect(stepCounts(people.values(), 3)).toEqual([4, 2, 2]);
  });

  it("lets a repeated event satisfy a repeated step only once", () => {
    const repeated = [e("x", "$page", 0), e("x", "$page", 1)];
    expect(stepCounts(funnelDepths(repeated, ["$page", "$page"], H * 24, 0, H * 10).values(), 2)).toEqual([
      1, 1,
    ]);
    expect(
      stepCounts(funnelDepths([e("y", "$page", 0)], ["$page", "$page"], H * 24, 0, H * 10).values(), 2),
    ).toEqual([1, 0]);
  });
});
