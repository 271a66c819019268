import { describe, expect, it } from "vitest";
import { checkSegmentEvent } from "../../../../analytics/platform/ingest/event-check.ts";
import { describeIssues, segmentEventSchema } from "../../../../analytics/platform/ingest/schemas.ts";

const viaZod = (input: unknown) => {
  const parsed = segmentEventSchema.safeParse(input);
  return parsed.success ? { value: parsed.data } : { error: describeIssues(parsed.error) };
};

let deep: Record<string, unknown> = { leaf: 1 };
// 64 levels: the object itself and 63 inside it.
for (let i = 0; i < 63; i++) deep = { d: deep };
const deepArrays: unknown[] = [];
let cursor = deepArrays;
for (let i = 0; i < 70; i++) {
  const next: unknown[] = [];
  cursor.push(next);
  cursor = next;
}

const base = { type: "track", event: "Order Completed", userId: "u-1" };
// Good and bad inputs, one change at a time and a few at once: both checks must say the same.
const CASES: unknown[] = [
  base,
  {
    ...base,
    anonymousId: "a-1",
    properties: { revenue: 12.5, items: [{ sku: "x" }] },
    context: { page: {} },
  },
  { ...base, timestamp: "2026-11-02T10:15:00Z", sentAt: 1763887100000, originalTimestamp: new Date(0) },
  { type: "page", anonymousId: "a", name: "Home" },
  { type: "page", anonymousId: "a", name: null, properties: null },
  { type: "identify", userId: 42, traits: { email: "a@example.com" } },
  "text",
  null,
  [],
  5,
  {},
  { type: "x" },
  { type: 5 },
  { type: "track" },
  { type: "track", userId: "u" },
  { type: "track", userId: 5, event: 3 },
  { type: "track", userId: "u", event: "" },
  { type: "track", userId: "u", event: "   " },
  { type: "track", userId: "  ", event: "a" },
  { type: "track", userId: true, event: "a" },
  { type: "page", anonymousId: "a", name: 5 },
  { type: "page", anonymousId: "a", name: "x".repeat(201) },
  { type: "page", anonymousId: "a", name: "x".repeat(200) },
  { ...base, event: "x".repeat(201) },
  { ...base, properties: [] },
  { ...base, properties: "{}" },
  { ...base, timestamp: true },
  { ...base, timestamp: {} },
  { ...base, messageId: "" },
  { ...base, messageId: "  " },
  { ...base, messageId: 5 },
  { ...base, messageId: "x".repeat(201) },
  { type: "identify", anonymousId: "a" },
  { type: "x", event: 5, userId: [] },
  { ...base, userId: "x".repeat(257) },
  { type: "track", userId: null, anonymousId: null, event: "a" },
  { ...base, context: "x", traits: 5, properties: null },
  { ...base, sentAt: {} },
  { ...base, userId: "u\u0000x" },
  { ...base, event: "Sign\u0000ed Up" },
  { ...base, messageId: "m\u0000" },
  { type: "page", anonymousId: "a", name: "N\u0000" },
  { ...base, userId: "x".repeat(300), event: "\u0000" },
  { ...base, event: "Half an emoji \ud83d" },
  { ...base, userId: "\udc00lone" },
  { ...base, properties: deep },
  { ...base, properties: { d: deep } },
  { ...base, context: { a: deepArrays } },
  { ...base, extra: "ignored", writeKey: "k" },
  { type: "track", event: 5, userId: "", anonymousId: 7 },
];

describe("the hand-written Segment check", () => {
  it("says exactly what the zod schema says, for good and bad events", () => {
    for (const input of CASES)
      expect(checkSegmentEvent(input), JSON.stringify(input)?.slice(0, 120)).toEqual(viaZod(input));
  });

  it("refuses NUL in ids and names, and replaces lone surrogates", () => {
    expect(checkSegmentEvent({ ...base, userId: "u\u0000x" })).toEqual({
      error: "userId contains a NUL character (\\u0000): remove it",
    });
    const value = (
      checkSegmentEvent({ ...base, event: "Half an emoji \ud83d" }) as { value: { event: string } }
    ).value;
    expect(value.event).toBe("Half an emoji \ufffd");
  });

  it("refuses properties nested more than 64 levels", () => {
    expect(checkSegmentEvent({ ...base, properties: deep })).toEqual({ value: expect.anything() });
    expect(checkSegmentEvent({ ...base, properties: { d: deep } })).toEqual({
      error: "properties is nested more than 64 levels deep",
    });
  });
});
