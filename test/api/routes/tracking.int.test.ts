import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import { Analytics } from "@segment/analytics-node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WriteKeys } from "../../../analytics/platform/keys/index.ts";
import { createApi } from "../../../api/app.ts";
import { openDatabase } from "../../../db/client.ts";
import { emptyDb, type TestDb } from "../../support/db.ts";

let t: TestDb;
let url: string;
let key: string;
let close: () => Promise<void>;

beforeEach(async () => {
  const now = Date.parse("2026-11-23T12:00:00Z");
  t = emptyDb({ now: () => now });
  key = (await t.core.keys.create("test")).key;
  const app = createApi(t.core);
  await new Promise<void>((ready) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      url = `http://127.0.0.1:${info.port}`;
      close = () => new Promise((done) => server.close(() => done()));
      ready();
    });
  });
});

afterEach(async () => {
  await close();
  t.cleanup();
});

interface Answer {
  success?: boolean;
  accepted?: number;
  duplicates?: number;
  rejected?: { index: number; reason: string }[];
  error?: { code: string; message: string; hint?: string };
}
const json = async (response: Response) => (await response.json()) as Answer;

const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: basic(key), ...headers },
    body: typeof body === "string" || body instanceof Uint8Array ? body : JSON.stringify(body),
  });

describe("Segment-compatible HTTP API", () => {
  it("takes events from the real @segment/analytics-node client, and they show up in the KPIs", async () => {
    const analytics = new Analytics({ writeKey: key, host: url, flushAt: 10, maxRetries: 0 });
    const errors: unknown[] = [];
    analytics.on("error", (error) => errors.push(error));
    for (let i = 0; i < 5; i++) {
      analytics.page({
        anonymousId: `anon-${i}`,
        name: "Home",
        timestamp: new Date("2026-11-22T10:00:00Z"),
        context: { campaign: { medium: "email", source: "newsletter", name: "weekly" } },
      });
    }
    analytics.track({
      userId: "u-1",
      anonymousId: "anon-0",
      event: "Order Completed",
      properties: { order_id: "o-1", revenue: 42.5 },
      timestamp: new Date("2026-11-22T10:05:00Z"),
    });
    analytics.identify({
      userId: "u-1",
      traits: { email: "ana@example.com" },
      timestamp: new Date("2026-11-22T10:06:00Z"),
    });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    const kpis = await t.platform.kpis({
      metrics: ["visitors", "pageviews", "orders", "revenue"],
      period: { kind: "yesterday" },
      compare: "none",
      by: "channel",
      filter: {},
    });
    expect(kpis.totals.current).toEqual({ visitors: 5, pageviews: 5, orders: 1, revenue: 4250 });
    expect(kpis.groups.map((g) => [g.key, g.current["revenue"]])).toEqual([["email", 4250]]);
  });

  it("writes the valid events of a batch and lists the rejected ones with their reasons", async () => {
    const response = await post("/v1/batch", {
      batch: [
        { type: "track", event: "Signed Up", userId: "u1", messageId: "a" },
        { type: "track", userId: "u2" },
        { type: "alias", userId: "u3", previousId: "x" },
      ],
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      success: true,
      accepted: 1,
      duplicates: 0,
      rejected: [
        { index: 1, reason: "event is missing: a track call needs an event name" },
        {
          index: 2,
          reason: 'type "alias" is not supported: Lift takes track, page and identify events (Segment spec)',
        },
      ],
    });
  });

  it("answers 400 when nothing in a batch is valid, 401 for a bad key and 413 for oversize", async () => {
    const bad = await post("/v1/batch", { batch: [{ type: "track", userId: "u" }] });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error?.code).toBe("invalid_input");
    const unauthorized = await post("/v1/batch", { batch: [] }, { authorization: basic("lift_wk_wrong") });
    expect(unauthorized.status).toBe(401);
    expect(await json(unauthorized)).toEqual({
      error: {
        code: "unauthorized",
        message: "That write key is not valid or was revoked",
        hint: "lift keys list",
      },
    });
    const missing = await fetch(`${url}/v1/track`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(missing.status).toBe(401);
    const huge = await post("/v1/batch", {
      batch: [{ type: "track", event: "X", userId: "u", properties: { blob: "x".repeat(600 * 1024) } }],
    });
    expect(huge.status).toBe(413);
    const garbage = await post("/v1/batch", "{oops");
    expect(garbage.status).toBe(400);
    expect((await json(garbage)).error?.message).toMatch(/^The body is not valid JSON/);
  });

  it("rejects each bad event with its index and reason and stores the rest: dates out of range, deep nesting, NUL", async () => {
    // 5,000 levels, written as text (JSON.stringify itself would overflow the stack).
    const deep = `${"[".repeat(5000)}1${"]".repeat(5000)}`;
    const ok = (id: string) => ({ type: "track", event: "A", userId: "u", messageId: id });
    const body = JSON.stringify({
      batch: [
        ok("good-1"),
        { ...ok("far"), timestamp: 1e20 },
        { ...ok("nanos"), timestamp: "1763887100000000000" },
        { ...ok("old"), timestamp: "1999-12-31T23:59:59Z" },
        { ...ok("old-number"), timestamp: 946684799 },
        { ...ok("deep"), properties: { deep: "DEEP" } },
        { ...ok("nul"), userId: "u\u0000" },
        { ...ok("half-emoji"), event: "Liked \ud83d" },
        ok("good-2"),
      ],
    }).replace('"DEEP"', deep);
    const response = await post("/v1/batch", body);
    expect(response.status).toBe(200);
    const answer = await json(response);
    expect(answer.accepted).toBe(3);
    expect(answer.rejected).toEqual([
      { index: 1, reason: "timestamp 100000000000000000000 is after the year 2099 (a unit mix-up?)" },
      {
        index: 2,
        reason:
          'timestamp "1763887100000000000" looks like micro- or nanoseconds: send seconds or milliseconds since 1970',
      },
      { index: 3, reason: 'timestamp "1999-12-31T23:59:59Z" is before the year 2000' },
      { index: 4, reason: "timestamp 946684799 is before the year 2000" },
      { index: 5, reason: "is nested more than 64 levels deep" },
      { index: 6, reason: "userId contains a NUL character (\\u0000): remove it" },
    ]);
    // A lone surrogate is replaced, never stored as invalid UTF-8.
    const stored = t.db.sqlite
      .prepare("SELECT message_id AS m, event, hex(event) AS h FROM events ORDER BY message_id")
      .all() as { m: string; event: string; h: string }[];
    expect(stored.map((row) => row.m)).toEqual(["good-1", "good-2", "half-emoji"]);
    expect(stored[2]!.event).toBe("Liked \ufffd");
    expect(stored[2]!.h).toBe(Buffer.from("Liked \ufffd").toString("hex").toUpperCase());
  });

  it("rejects money that cannot be: a negative or absurd order revenue, by name", async () => {
    const order = (id: string, revenue: unknown) => ({
      type: "track",
      event: "Order Completed",
      userId: "u",
      messageId: id,
      timestamp: "2026-11-22T10:00:00Z",
      properties: { order_id: id, revenue },
    });
    const response = await post("/v1/batch", {
      batch: [order("neg", -1e12), order("huge", 1e12), order("refund", -5), order("fine", 42.5)],
    });
    const answer = await json(response);
    expect(answer.accepted).toBe(1);
    expect(answer.rejected!.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(answer.rejected![0]!.reason).toMatch(/^properties\.revenue -1000000000000 is negative/);
    expect(answer.rejected![1]!.reason).toMatch(/larger than Lift takes for one row \(100,000,000 USD\)/);
    expect(t.db.sqlite.prepare("SELECT id, amount_minor FROM orders").all()).toEqual([
      { id: "fine", amount_minor: 4250 },
    ]);
  });

  it("refuses NUL in order, experiment, variation and campaign ids, as README says ids do", async () => {
    const track = (id: string, event: string, properties: Record<string, unknown>, context = {}) => ({
      type: "track",
      event,
      userId: "u",
      messageId: id,
      properties,
      context,
    });
    const response = await post("/v1/batch", {
      batch: [
        track("o", "Order Completed", { order_id: "A\u0000", revenue: 1 }),
        track("e", "Experiment Viewed", { experiment_id: "x\u0000", variation_id: "a" }),
        track("v", "Experiment Viewed", { experiment_id: "x", variation_id: "a\u0000" }),
        track("c", "Clicked", {}, { campaign: { name: "spring\u0000" } }),
        track("ok", "Clicked", {}),
      ],
    });
    const answer = await json(response);
    expect(answer.accepted).toBe(1);
    expect(answer.rejected!.map((r) => r.reason)).toEqual([
      "properties.order_id contains a NUL character (\\u0000): remove it",
      "properties.experiment_id or properties.variation_id contains a NUL character (\\u0000): remove it",
      "properties.experiment_id or properties.variation_id contains a NUL character (\\u0000): remove it",
      "context.campaign.name contains a NUL character (\\u0000): remove it",
    ]);
  });

  it("answers a single event nested 100,000 levels deep with 400, not a 500", async () => {
    for (const type of ["track", "identify", "page"]) {
      const deep = `{"event":"A","userId":"u","properties":{"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`;
      const response = await post(`/v1/${type}`, deep);
      expect(response.status, type).toBe(400);
      expect((await json(response)).error!.message).toMatch(/nested more than 64 levels/);
    }
  });

  it("decides a wrong Authorization header before reading the body, and reads bodies without one a few at a time", async () => {
    const stalled = (headers: Record<string, string>) => {
      const controller = new AbortController();
      const body = new ReadableStream<Uint8Array>({
        start(stream) {
          stream.enqueue(new TextEncoder().encode(`{"batch":[`));
        },
      });
      const response = fetch(`${url}/v1/batch`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
        duplex: "half",
        signal: controller.signal,
      } as RequestInit).then((r) => r.status);
      return { response, abort: () => controller.abort() };
    };
    // A wrong key in the header: refused at once, though its body never finishes.
    const wrong = stalled({ authorization: basic("not-a-key") });
    expect(await wrong.response).toBe(401);
    // Without a header the write key may be in the body, so it is read, through the gate.
    const many = Array.from({ length: 34 }, () => stalled({}));
    const statuses = await Promise.all(many.map((m) => m.response));
    for (const m of many) m.abort();
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    expect(statuses.filter((s) => s === 408)).toHaveLength(32);
  }, 30_000);

  it("rejects a single event over 32 KB inside an accepted batch", async () => {
    const response = await post("/v1/batch", {
      batch: [
        { type: "track", event: "Big", userId: "u", properties: { blob: "x".repeat(40 * 1024) } },
        { type: "track", event: "Small", userId: "u" },
      ],
    });
    expect(response.status).toBe(200);
    expect((await json(response)).rejected).toEqual([
      { index: 0, reason: "is larger than 32 KB (Segment's limit per event)" },
    ]);
  });

  it("accepts gzip bodies, and refuses a zip bomb as too large", async () => {
    const body = gzipSync(JSON.stringify({ batch: [{ type: "track", event: "Zipped", userId: "u" }] }));
    const ok = await post("/v1/batch", body, { "content-encoding": "gzip" });
    expect(ok.status).toBe(200);
    expect((await json(ok)).accepted).toBe(1);
    const bomb = gzipSync(JSON.stringify({ batch: [], pad: "0".repeat(5 * 1024 * 1024) }));
    expect(bomb.length).toBeLessThan(50 * 1024);
    expect((await post("/v1/batch", bomb, { "content-encoding": "gzip" })).status).toBe(413);
  });

  it("counts a retried batch as duplicates, not new events", async () => {
    const batch = { batch: [{ type: "track", event: "Signed Up", userId: "u1", messageId: "retry-1" }] };
    await post("/v1/batch", batch);
    const retry = await post("/v1/batch", batch);
    expect(await json(retry)).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it("stops accepting a revoked key", async () => {
    const { key: other, info } = await t.core.keys.create("temporary");
    expect(
      (await post("/v1/track", { event: "X", userId: "u" }, { authorization: basic(other) })).status,
    ).toBe(200);
    await t.core.keys.revoke(String(info.id));
    expect(
      (await post("/v1/track", { event: "X", userId: "u" }, { authorization: basic(other) })).status,
    ).toBe(401);
  });

  it("takes a key made by another process at once, and refuses it at once when that process revokes it", async () => {
    // `lift keys create` and `lift keys revoke` run in a process of their own, on the same database.
    const other = openDatabase(t.path);
    try {
      const cli = new WriteKeys(other, () => Date.now());
      const track = (writeKey: string) =>
        post("/v1/track", { event: "X", userId: "u" }, { authorization: basic(writeKey) }).then(
          (r) => r.status,
        );
      expect(await track(key)).toBe(200);
      const made = await cli.create("made elsewhere");
      expect(await track(made.key)).toBe(200);
      await cli.revoke(String(made.info.id));
      expect(await track(made.key)).toBe(401);
      await cli.revoke("test");
      expect(await track(key)).toBe(401);
    } finally {
      other.close();
    }
  });

  it("takes social posts at /v1/mentions and scores their sentiment", async () => {
    const response = await post("/v1/mentions", {
      mentions: [
        {
          platform: "twitter",
          platform_id: "1",
          text: "I love this shop, great service",
          timestamp: "2026-11-22T10:00:00Z",
        },
        {
          platform: "twitter",
          platform_id: "2",
          text: "Terrible, my order is late and support is awful",
          timestamp: "2026-11-22T11:00:00Z",
        },
        { platform: "twitter", text: "" },
      ],
    });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toHaveLength(1);
    expect(
      t.db.sqlite.prepare("SELECT platform_id AS id, sentiment_label AS l FROM mentions ORDER BY id").all(),
    ).toEqual([
      { id: "1", l: "positive" },
      { id: "2", l: "negative" },
    ]);
  });

  it("takes every data kind at /v1/ingest/:kind in /v1/batch's shape, and refuses what it cannot take", async () => {
    const customers = await post("/v1/ingest/customers", {
      rows: [
        { id: "c1", email: "ana@example.com", created_at: "2026-11-01T09:00:00Z" },
        { id: "c2", created_at: "2026-11-02T09:00:00Z" },
        { email: "no id" },
      ],
    });
    expect(customers.status).toBe(200);
    expect(await json(customers)).toMatchObject({ success: true, accepted: 2, duplicates: 0 });
    // Field names as an import reads them: created_at is the customer's first_seen, not a trait.
    expect(
      t.db.sqlite
        .prepare("SELECT first_seen, lift_traits(traits, email) AS traits FROM customers WHERE id = 'c1'")
        .get(),
    ).toEqual({
      first_seen: Date.parse("2026-11-01T09:00:00Z"),
      traits: "{}",
    });
    // An array, or one row; a repeat is a duplicate, not a second order.
    const order = { id: "o1", customer_id: "c1", amount: "25.00", timestamp: "2026-11-22T10:00:00Z" };
    expect(await json(await post("/v1/ingest/orders", [order]))).toMatchObject({ accepted: 1 });
    expect(await json(await post("/v1/ingest/orders", order))).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(t.db.sqlite.prepare("SELECT count(*) FROM orders").pluck().get()).toBe(1);
    // Too deep a row is refused by position; the others are written.
    let deep: unknown = "x";
    for (let i = 0; i < 80; i++) deep = { deep };
    const mixed = await json(
      await post("/v1/ingest/customers", [
        { id: "c3", created_at: "2026-11-03T09:00:00Z", deep },
        { id: "c4" },
      ]),
    );
    expect(mixed.rejected).toEqual([{ index: 0, reason: "is nested more than 64 levels deep" }]);
    // Nothing valid: 400 with every reason; an unknown kind: 404 naming the kinds; no key: 401.
    const none = await post("/v1/ingest/orders", { rows: [{ id: "o2" }] });
    expect(none.status).toBe(400);
    expect((await json(none)).rejected).toHaveLength(1);
    const unknown = await post("/v1/ingest/invoices", { rows: [] });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error?.hint).toMatch(/kinds: .*customers.*orders.*campaigns.*mentions/);
    const anonymous = await fetch(`${url}/v1/ingest/orders`, {
      method: "POST",
      body: JSON.stringify([order]),
    });
    expect(anonymous.status).toBe(401);
  });

  it("answers health and readiness", async () => {
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ok: true,
      hasData: false,
      freshness: expect.stringMatching(/^Data as of /),
      integrity: "checked",
    });
  });
});

describe("concurrent batches", () => {
  it("answers each of many concurrent requests with its own outcome when they share a commit", async () => {
    const requests = Array.from({ length: 12 }, (_, r) =>
      post("/v1/batch", {
        batch: Array.from({ length: 20 }, (_, i) => ({
          type: "track",
          event: "Product Added",
          userId: `u${r}`,
          // Requests 0 and 1 send the same ids: whichever commits first wins, the other sees duplicates.
          messageId: r < 2 ? `shared-${i}` : `r${r}-${i}`,
        })),
      }),
    );
    const answers = await Promise.all(requests.map(async (response) => json(await response)));
    expect(answers.reduce((sum, a) => sum + a.accepted!, 0)).toBe(220);
    expect(answers[0]!.accepted! + answers[1]!.accepted!).toBe(20);
    expect(answers[0]!.duplicates! + answers[1]!.duplicates!).toBe(20);
    expect(t.db.sqlite.prepare("SELECT count(*) AS n FROM events").get()).toEqual({ n: 220 });
  });

  it("fails only the request whose rows cannot be written, not the others sharing its commit", async () => {
    t.db.sqlite.exec(`CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.message_id = 'poison'
      BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    const good = post("/v1/batch", {
      batch: [{ type: "track", event: "A", userId: "u", messageId: "fine" }],
    });
    const bad = post("/v1/batch", {
      batch: [{ type: "track", event: "A", userId: "u", messageId: "poison" }],
    });
    const [goodResponse, badResponse] = await Promise.all([good, bad]);
    expect(goodResponse.status).toBe(200);
    expect(badResponse.status).toBe(500);
    expect((await json(badResponse)).error?.code).toBe("internal");
    expect(t.db.sqlite.prepare("SELECT message_id AS m FROM events").all()).toEqual([{ m: "fine" }]);
  });
});
