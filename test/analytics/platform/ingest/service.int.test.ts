import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { dayCutter } from "../../../../analytics/platform/time/zone.ts";
import { rebuildRollups, rollupSnapshot } from "../../../../db/platform/queries/rollups.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";

let t: TestDb;
afterEach(() => t?.cleanup());

const count = (sql: string) => (t.db.sqlite.prepare(sql).get() as { n: number }).n;

describe("ingest core", () => {
  it("joins an anonymous history to the user when an event carries both ids", async () => {
    t = emptyDb();
    const result = await t.platform.ingest.write("events", [
      {
        type: "page",
        anonymousId: "anon-1",
        timestamp: "2026-11-20T09:00:00Z",
        messageId: "1",
        context: { campaign: { medium: "cpc", source: "google", name: "ps-brand" } },
      },
      { type: "page", anonymousId: "anon-1", timestamp: "2026-11-21T09:00:00Z", messageId: "2" },
      {
        type: "identify",
        userId: "u-1",
        anonymousId: "anon-1",
        traits: { email: "ana@example.com", plan: "pro" },
        timestamp: "2026-11-21T09:01:00Z",
        messageId: "3",
      },
      {
        type: "track",
        event: "Order Completed",
        anonymousId: "anon-1",
        properties: { order_id: "o-1", revenue: 40 },
        timestamp: "2026-11-21T09:05:00Z",
        messageId: "4",
      },
    ]);
    expect(result).toEqual({ accepted: 4, updated: 0, duplicates: 0, stale: 0, rejected: [] });
    expect(t.db.sqlite.prepare("SELECT DISTINCT person_id AS p FROM events").all()).toEqual([{ p: "u-1" }]);
    // The user was new: they take the anonymous person's number, and their days stay where they are.
    expect(t.db.sqlite.prepare("SELECT person_id AS p, no FROM people").all()).toEqual([{ p: "u-1", no: 1 }]);
    expect(count("SELECT count(*) AS n FROM daily_people WHERE person_no = 1")).toBe(2);
    // The untagged visit and the order inherit the last non-direct channel and campaign.
    expect(
      t.db.sqlite.prepare("SELECT channel, campaign_id AS c, customer_id AS u FROM orders").get(),
    ).toEqual({ channel: "paid_search", c: "ps-brand", u: null });
    expect(
      t.db.sqlite
        .prepare("SELECT lift_email(email) AS email, lift_traits(traits, email) AS traits FROM customers")
        .get(),
    ).toEqual({
      email: "ana@example.com",
      traits: '{"plan":"pro"}',
    });
  });

  it("counts an order once whether it arrives as an event, an import, or both", async () => {
    t = emptyDb();
    await t.platform.ingest.write("events", [
      {
        type: "track",
        event: "Order Completed",
        userId: "u-1",
        properties: { order_id: "o-9", revenue: "25.00" },
        timestamp: "2026-11-20T10:00:00Z",
      },
    ]);
    const imported = await t.platform.ingest.write("orders", [
      {
        id: "o-9",
        customer_id: "u-1",
        amount: "25.00",
        timestamp: "2026-11-20T10:00:00Z",
        channel: "direct",
      },
    ]);
    expect(imported).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(
      t.db.sqlite.prepare("SELECT sum(orders) AS o, sum(revenue_minor) AS r FROM daily_orders").get(),
    ).toEqual({ o: 1, r: 2500 });
  });

  it("updates a changed order and moves its rollup, and leaves an older version alone", async () => {
    t = emptyDb();
    const base = {
      id: "o-1",
      amount: "10.00",
      timestamp: "2026-11-20T10:00:00Z",
      channel: "email",
      updated_at: "2026-11-20T10:00:00Z",
    };
    expect(await t.platform.ingest.write("orders", [base])).toMatchObject({ accepted: 1 });
    expect(
      await t.platform.ingest.write("orders", [
        { ...base, amount: "12.00", timestamp: "2026-11-21T10:00:00Z", updated_at: "2026-11-21T00:00:00Z" },
      ]),
    ).toMatchObject({ updated: 1 });
    expect(
      await t.platform.ingest.write("orders", [
        { ...base, amount: "99.00", updated_at: "2026-11-20T11:00:00Z" },
      ]),
    ).toMatchObject({ stale: 1 });
    expect(
      t.db.sqlite.prepare("SELECT day, orders, revenue_minor AS r FROM daily_orders WHERE orders <> 0").all(),
    ).toEqual([{ day: "2026-11-21", orders: 1, r: 1200 }]);
  });

  it("rejects each bad row with its reason and writes the good ones", async () => {
    t = emptyDb();
    const result = await t.platform.ingest.write("orders", [
      { id: "a", amount: "12,5O", timestamp: "2026-11-20" },
      { id: "b", amount: "5", currency: "GBP", timestamp: "2026-11-20" },
      { id: "c", amount: "5", timestamp: "2026-11-20", channel: "tv" },
      { amount: "5", timestamp: "2026-11-20" },
      { id: "e", amount: "7.25", timestamp: "2026-11-20" },
    ]);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      { index: 0, reason: 'amount "12,5O" is not a number' },
      {
        index: 1,
        reason:
          "amount currency GBP differs from the reporting currency USD and no rate is set (add GBP=<rate> to LIFT_FX_RATES)",
      },
      {
        index: 2,
        reason:
          'channel "tv" is not one of organic, paid_search, paid_social, email, referral, affiliate, direct, other',
      },
      { index: 3, reason: "id is missing" },
    ]);
  });

  it("leaves no trace of a batch that fails mid-way", async () => {
    t = emptyDb();
    t.db.sqlite.exec(`CREATE TRIGGER fail_sixth BEFORE INSERT ON events WHEN NEW.message_id = 'm6'
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    const batch = Array.from({ length: 10 }, (_, i) => ({
      type: "track",
      event: i % 2 ? "Order Completed" : "Signed Up",
      userId: `u${i}`,
      messageId: `m${i}`,
      properties: { order_id: `o${i}`, revenue: 10 },
      timestamp: "2026-11-20T10:00:00Z",
    }));
    await expect(t.platform.ingest.write("events", batch)).rejects.toThrow(/disk on fire/);
    for (const table of [
      "events",
      "orders",
      "customers",
      "people",
      "daily_events",
      "daily_people",
      "daily_orders",
      "identities",
    ]) {
      expect(count(`SELECT count(*) AS n FROM ${table}`), table).toBe(0);
    }
  });

  it("keeps incremental rollups equal to a rebuild from raw rows, however batches are split or repeated", async () => {
    const people = ["a", "b", "c", "d"];
    const eventArb = fc.record({
      kind: fc.constantFrom("page", "Product Added", "Order Completed", "identify"),
      anon: fc.constantFrom(...people),
      user: fc.option(fc.constantFrom("u1", "u2"), { nil: undefined }),
      hour: fc.integer({ min: 0, max: 96 }),
      medium: fc.option(fc.constantFrom("cpc", "email", "affiliate"), { nil: undefined }),
      id: fc.integer({ min: 0, max: 60 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(eventArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 10 }),
        async (specs, split) => {
          const db = emptyDb({ timeZone: "America/New_York" });
          try {
            const events = specs.map((s) => ({
              type: s.kind === "page" ? "page" : s.kind === "identify" ? "identify" : "track",
              ...(s.kind !== "page" && s.kind !== "identify" ? { event: s.kind } : {}),
              anonymousId: s.anon,
              ...(s.user || s.kind === "identify" ? { userId: s.user ?? "u1" } : {}),
              messageId: `m${s.id}`,
              properties: { order_id: `o${s.id}`, revenue: 10 + s.id },
              context: s.medium ? { campaign: { medium: s.medium, name: `c-${s.medium}` } } : {},
              timestamp: new Date(Date.UTC(2026, 10, 1) + s.hour * 3_600_000).toISOString(),
            }));
            for (let i = 0; i < events.length; i += split)
              await db.platform.ingest.write("events", events.slice(i, i + split));
            await db.platform.ingest.write("events", events);
            const incremental = await rollupSnapshot(db.db);
            await rebuildRollups(db.db, dayCutter("America/New_York"));
            expect(incremental).toEqual(await rollupSnapshot(db.db));
          } finally {
            db.cleanup();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("gives a person-day the same channel however same-millisecond events and identity merges arrive", async () => {
    // Found by the property below (fast-check seed 470107356): a tie in time used to be broken by
    // row id in the rebuild but by arrival order in the incremental rollup.
    t = emptyDb({ timeZone: "America/New_York" });
    const at = "2026-11-01T01:00:00.000Z";
    await t.platform.ingest.write("events", [
      { type: "page", anonymousId: "c", messageId: "m0", timestamp: at },
    ]);
    await t.platform.ingest.write("events", [
      {
        type: "page",
        anonymousId: "a",
        userId: "u1",
        messageId: "m1",
        timestamp: at,
        context: { campaign: { medium: "cpc" } },
      },
    ]);
    await t.platform.ingest.write("events", [
      { type: "page", anonymousId: "c", userId: "u1", messageId: "m0", timestamp: at },
    ]);
    const incremental = await rollupSnapshot(t.db);
    await rebuildRollups(t.db, dayCutter("America/New_York"));
    expect(incremental).toEqual(await rollupSnapshot(t.db));
    expect(
      t.db.sqlite
        .prepare("SELECT p.person_id AS p, d.channel FROM daily_people d JOIN people p ON p.no = d.person_no")
        .all(),
    ).toEqual([{ p: "u1", channel: "direct" }]);
  });

  it("dedupes repeated messageIds and content-hashes events that have none", async () => {
    t = emptyDb();
    const event = { type: "track", event: "Signed Up", userId: "u", timestamp: "2026-11-20T10:00:00Z" };
    expect(await t.platform.ingest.write("events", [event, event])).toMatchObject({
      accepted: 1,
      duplicates: 1,
    });
    expect(
      await t.platform.ingest.write("events", [
        { ...event, messageId: "x" },
        { ...event, messageId: "x" },
      ]),
    ).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it("refuses events from the future and unsupported calls with a reason", async () => {
    t = emptyDb({ now: () => Date.parse("2026-11-20T12:00:00Z") });
    const result = await t.platform.ingest.write("events", [
      { type: "track", event: "X", userId: "u", timestamp: "2026-11-25T12:00:00Z" },
      { type: "screen", userId: "u" },
      { type: "track", userId: "u" },
      { type: "page" },
    ]);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      "timestamp 2026-11-25T12:00:00.000Z is in the future",
      'type "screen" is not supported: Lift takes track, page and identify events (Segment spec)',
      "event is missing: a track call needs an event name",
      "userId is missing: every event needs a userId or an anonymousId",
    ]);
  });
});

describe("text that enters", () => {
  it("loses the private-use characters reports mark Slack channel links with, so data never becomes a link", async () => {
    t = emptyDb();
    await t.core.ingest("mentions", [
      {
        platform: "rss",
        platform_id: "1",
        text: "see \ue000#C999\ue001 now",
        timestamp: "2026-11-20T10:00:00Z",
      },
    ]);
    await t.core.ingestEvents([
      {
        type: "track",
        event: "Clicked \ue000#C999\ue001",
        userId: "u",
        messageId: "m1",
        timestamp: "2026-11-20T10:00:00Z",
      },
    ]);
    expect(t.db.sqlite.prepare("SELECT text FROM mentions").pluck().get()).toBe("see #C999 now");
    expect(t.db.sqlite.prepare("SELECT event FROM events").pluck().get()).toBe("Clicked #C999");
  });
});
