import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { inHoldout } from "../../../../analytics/capabilities/automations/engine.ts";
import { automationsApi } from "../../../../analytics/capabilities/automations/index.ts";
import type { Notifier } from "../../../../analytics/platform/delivery/notifier.ts";
import type { Report } from "../../../../analytics/platform/reports/report.ts";
import { emptyDb, type TestDb } from "../../../support/db.ts";

/*
 * Triggers and the actions other than email, with mail shown in the outbox (no SMTP_URL):
 * abandoned checkouts, alert incidents, schedules, signed and retried webhooks, Slack
 * messages, a holdout analysed as an experiment, a new version that sends no step twice.
 */

const HOUR = 3_600_000;
let t: TestDb;
let now = Date.parse("2026-11-24T15:00:00Z");
let server: Server | null = null;

afterEach(async () => {
  if (server) await new Promise((r) => server!.close(r));
  server = null;
  t?.cleanup();
});

class RecordingNotifier implements Notifier {
  readonly delivered: { destination: string; report: Report; key: string }[] = [];
  async deliver(destination: string, report: Report, options: { idempotencyKey: string }) {
    this.delivered.push({ destination, report, key: options.idempotencyKey });
    return { ref: String(this.delivered.length) };
  }
  async wasDelivered() {
    return null;
  }
}

function setUp(env: Record<string, string> = {}) {
  now = Date.parse("2026-11-24T15:00:00Z");
  t = emptyDb({
    now: () => now,
    timeZone: "UTC",
    env: { LIFT_QUIET_HOURS: "off", LIFT_HASH_KEY: Buffer.alloc(32, 1).toString("base64"), ...env },
  });
}

const ask = (text: string) =>
  t.platform.registries.commands.run(text, { userId: "U0ADMIN", channelId: "C0OWNER" });
const pass = (notifier: Notifier | null = null) => automationsApi.of(t.platform).runNow(notifier, now);
const sends = () =>
  // Sealed at rest: read as the outbox reads them.
  t.db.sqlite
    .prepare(
      "SELECT *, lift_open(recipient) AS recipient, lift_open(subject) AS subject, lift_open(body) AS body, lift_open(html) AS html FROM automation_sends ORDER BY id",
    )
    .all() as Record<string, unknown>[];

async function people(n: number, extra: (i: number) => Record<string, unknown> = () => ({})) {
  const ids = Array.from({ length: n }, (_, i) => `c${String(i).padStart(4, "0")}`);
  await t.platform.ingest.write(
    "customers",
    ids.map((id, i) => ({
      id,
      email: `${id}@example.com`,
      accepts_marketing: true,
      updated_at: "2026-11-01T00:00:00Z",
      ...extra(i),
    })),
  );
  await t.platform.ingest.write(
    "orders",
    ids.map((id) => ({
      id: `first-${id}`,
      customer_id: id,
      amount: "10.00",
      timestamp: "2026-06-01T12:00:00Z",
    })),
  );
  return ids;
}

async function track(userId: string, event: string, at: number) {
  const result = await t.platform.ingest.write("events", [
    {
      type: "track",
      event,
      userId,
      messageId: `${userId}-${event}-${at}`,
      timestamp: new Date(at).toISOString(),
      properties: event === "Order Completed" ? { order_id: `o-${userId}-${at}`, revenue: 25 } : {},
    },
  ]);
  expect(result.rejected).toEqual([]);
}

describe("automation triggers and actions", () => {
  it("enrols an abandoned checkout once its window passed without the order, and not one that ordered", async () => {
    setUp();
    await people(2);
    await ask(
      'automation create cart when event "Checkout Started" without "Order Completed" within 2 hours send email abandoned-cart',
    );
    await ask("automation start cart");
    const start = now;
    now += HOUR;
    await track("c0000", "Checkout Started", start + 10 * 60_000);
    await track("c0001", "Checkout Started", start + 10 * 60_000);
    await track("c0001", "Order Completed", start + 40 * 60_000);
    expect((await pass()).enrolled).toBe(0);
    now += 2 * HOUR;
    // The preview counts who the last 7 days' events would have enrolled.
    expect((await ask("automation preview cart")).summary).toMatch(
      /over the last 7 days its events would have enrolled 1 person, 1 with an email address, 1 accept marketing, 0 suppressed/,
    );
    expect((await pass()).enrolled).toBe(1);
    now += HOUR;
    expect((await pass()).enrolled).toBe(0);
    expect(sends().map((s) => [s["person_id"], s["status"], s["subject"]])).toEqual([
      ["c0000", "shown", "You left something in your cart"],
    ]);
  });

  it("posts to Slack when an alert opens, and on a schedule, with no customer involved", async () => {
    setUp();
    await ask(
      'automation create on-alert when an alert opens post to slack C0ALERTS "An alert opened: look at it"',
    );
    await ask("automation start on-alert");
    await ask('automation create weekly when every monday at 09:00 post to slack owner "Weekly check-in"');
    await ask("automation start weekly");
    const notifier = new RecordingNotifier();
    // An open incident, as the alert lifecycle records it.
    await ask("alert no data for 6 h");
    t.db.sqlite
      .prepare(
        "INSERT INTO alerts (subscription_id, kind, incident_key, status, opened_at, payload) VALUES (1, 'threshold', 'k1', 'open', ?, '{}')",
      )
      .run(now + 60_000);
    now = Date.parse("2026-11-30T09:00:00Z");
    await pass(notifier);
    await pass(notifier);
    const posted = notifier.delivered.map((d) => [d.destination, d.report.summary]);
    expect(posted).toEqual([
      ["C0ALERTS", "An alert opened: look at it"],
      ["U0ADMIN", "Weekly check-in"],
    ]);
  });

  it("calls a webhook with a body signed like Stripe's and an idempotency key, retrying a 503 after Retry-After", async () => {
    setUp({ LIFT_WEBHOOK_SECRET: "whsec_test" });
    await people(1);
    const calls: { body: string; signature: string; key: string }[] = [];
    let status = 503;
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (c) => {
        body += c;
      });
      request.on("end", () => {
        calls.push({
          body,
          signature: String(request.headers["x-lift-signature"]),
          key: String(request.headers["x-lift-idempotency-key"]),
        });
        response.writeHead(status, status === 503 ? { "retry-after": "120" } : {});
        response.end();
      });
    });
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    await ask("segment create all where orders >= 1");
    await ask(
      `automation create hook when customer enters segment "all" including current members call webhook http://127.0.0.1:${port}/lift`,
    );
    await ask("automation start hook");
    await pass();
    expect(calls).toHaveLength(1);
    expect(sends()[0]).toMatchObject({ status: "queued", due_at: now + 120_000 });
    status = 200;
    now += 60_000;
    await pass();
    expect(calls).toHaveLength(1);
    now += 60_000;
    await pass();
    expect(calls).toHaveLength(2);
    const [first, second] = calls;
    expect(second!.key).toBe(first!.key);
    const { t: stamp, v1 } = Object.fromEntries(second!.signature.split(",").map((p) => p.split("="))) as {
      t: string;
      v1: string;
    };
    expect(v1).toBe(createHmac("sha256", "whsec_test").update(`${stamp}.${second!.body}`).digest("hex"));
    expect(JSON.parse(second!.body)).toMatchObject({
      automation: "hook",
      customer: { id: "c0000", email: "c0000@example.com" },
    });
    expect(sends()[0]).toMatchObject({ status: "sent" });
  });

  it("holds out a fixed share, counts orders within the window, and compares the two as an experiment", async () => {
    setUp();
    const ids = await people(400);
    await ask("segment create all where orders >= 1");
    await ask(
      'automation create wb when customer enters segment "all" with holdout 20% including current members send email win-back-1',
    );
    await ask("automation start wb");
    await pass();
    const held = ids.filter((id) => inHoldout(1, id, 0.2));
    expect(held.length).toBeGreaterThan(55);
    expect(held.length).toBeLessThan(105);
    expect(sends()).toHaveLength(400 - held.length);
    // Half of those who got it order within the week; a tenth of the holdout do.
    const treated = ids.filter((id) => !held.includes(id));
    const buyers = [...treated.filter((_, i) => i % 2 === 0), ...held.filter((_, i) => i % 10 === 0)];
    const entered = now;
    now += 3 * 86_400_000;
    const orders = await t.platform.ingest.write(
      "orders",
      buyers.map((id) => ({
        id: `after-${id}`,
        customer_id: id,
        amount: "30.00",
        timestamp: new Date(entered + 2 * 86_400_000).toISOString(),
      })),
    );
    expect(orders.rejected).toEqual([]);
    const report = await ask("automation wb");
    expect(report.data).toMatchObject({
      entered: { treatment: treated.length, holdout: held.length },
      converted: { treatment: Math.ceil(treated.length / 2), holdout: Math.ceil(held.length / 10) },
    });
    expect(report.summary).toMatch(
      /Holdout: 10\.\d% of \d+ held out ordered within 7 days, against 50\.\d% of those who got it \(\+/,
    );
  });

  it("counts an order on the campaign its links are tagged with after the attribution window, and no other late order", async () => {
    setUp();
    await people(2);
    await ask("segment create all where orders >= 1");
    await ask(
      'automation create t when customer enters segment "all" including current members send email win-back-1',
    );
    await ask("automation start t");
    await pass();
    const entered = now;
    now += 20 * 86_400_000;
    const late = (id: string, campaign: string | null) => ({
      id: `late-${id}`,
      customer_id: id,
      amount: "40.00",
      timestamp: new Date(entered + 12 * 86_400_000).toISOString(),
      ...(campaign ? { campaign_id: campaign } : {}),
    });
    // win-back-1's link carries utm_campaign=win-back.
    const orders = await t.platform.ingest.write("orders", [late("c0000", "win-back"), late("c0001", null)]);
    expect(orders.rejected).toEqual([]);
    expect((await ask("automation t")).data).toMatchObject({
      converted: { treatment: 1 },
      revenueMinor: 4000,
    });
  });

  it("sends no step twice when a live automation is edited, and nothing while it is paused", async () => {
    setUp();
    await people(3);
    await ask("segment create all where orders >= 1");
    await ask(
      'automation create v when customer enters segment "all" including current members send email welcome, wait 1 day, send email vip-thanks',
    );
    await ask("automation start v");
    await pass();
    expect(sends()).toHaveLength(3);
    await ask(
      'automation edit v when customer enters segment "all" including current members send email welcome, wait 2 days, send email vip-thanks',
    );
    await ask("automation pause v");
    now += 3 * 86_400_000;
    await pass();
    expect(sends().filter((s) => s["status"] !== "queued")).toHaveLength(3);
    await ask("automation start v");
    await pass();
    const all = sends();
    expect(all.map((s) => s["template"]).sort()).toEqual([
      "vip-thanks",
      "vip-thanks",
      "vip-thanks",
      "welcome",
      "welcome",
      "welcome",
    ]);
    expect(all.filter((s) => s["template"] === "vip-thanks").map((s) => s["version"])).toEqual([2, 2, 2]);
    const report = await ask("automation v");
    expect(report.title).toBe("Automation v (live, v2)");
  });

  it("pauses an automation whose segment was deleted and tells the owner once", async () => {
    setUp();
    await people(2);
    await ask("segment create all where orders >= 1");
    await ask('automation create gone when customer enters segment "all" send email welcome');
    await ask("automation start gone");
    await ask("segment delete all");
    const notifier = new RecordingNotifier();
    await pass(notifier);
    await pass(notifier);
    expect(notifier.delivered.map((d) => [d.destination, d.report.title])).toEqual([
      ["C0OWNER", "Automation paused: gone"],
    ]);
    expect((await ask("automation gone")).title).toBe("Automation gone (paused, v1)");
  });

  it("previews who it would reach without sending, and refuses names it does not know", async () => {
    setUp();
    await people(10, (i) => ({ accepts_marketing: i < 8 }));
    await ask("segment create all where orders >= 1");
    await ask('automation create p when customer enters segment "all" send email welcome');
    const preview = await ask("automation preview p");
    expect(preview.summary).toMatch(
      /^10 in the segment, 10 with an email address, 8 accept marketing, 0 suppressed: 8 would get marketing mail\. Going live acts on new entrants only/,
    );
    expect(sends()).toHaveLength(0);
    await expect(
      ask('automation create q when customer enters segment "nobody" send email welcome'),
    ).rejects.toThrow(/There is no segment “nobody”/);
    await expect(
      ask('automation create q when customer enters segment "all" send email nope'),
    ).rejects.toThrow(/There is no template “nope”/);
    await expect(ask("automation nope")).rejects.toThrow(/There is no automation “nope”/);
  });
});
