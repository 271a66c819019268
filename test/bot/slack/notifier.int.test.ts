import { WebClient } from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackNotifier } from "../../../bot/slack/notifier.ts";
import { claimDeliveries } from "../../../db/platform/queries/deliveries.ts";
import { demoDb, type TestDb } from "../../support/db.ts";
import { DEMO_NOW } from "../../support/demo.ts";
import { FakeSlack } from "../../support/fake-slack.ts";

let t: TestDb;
let fake: FakeSlack;
let now = DEMO_NOW;

beforeEach(async () => {
  now = DEMO_NOW;
  t = demoDb({ now: () => now });
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await fake.close();
  t.cleanup();
});

function notifier() {
  const client = new WebClient("xoxb-test", {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return slackNotifier(client, t.core.runner());
}

async function queueDigest(key = "digest:1:1") {
  const report = await t.platform.schedules.digestNow("daily");
  await t.platform.deliveries.enqueue(
    { idempotencyKey: key, destination: "C0DIGEST", subscriptionId: null, kind: "digest", report },
    now,
  );
  return report;
}

const posts = () => fake.messages.filter((m) => m.channel === "C0DIGEST" && !m.thread_ts);

describe("scheduled delivery to Slack", () => {
  it("posts text, chart and idempotency key in one message, and the details in its thread", async () => {
    const report = await queueDigest();
    expect(await t.platform.deliveries.process(notifier(), now)).toEqual({ sent: 1, retried: 0, failed: 0 });
    const [message] = posts();
    expect(message!.metadata).toEqual({ event_type: "lift_delivery", event_payload: { key: "digest:1:1" } });
    expect(message!.blocks!.some((b) => b["type"] === "image")).toBe(true);
    expect(message!.text).toContain(report.title);
    const thread = fake.messages.filter((m) => m.thread_ts === message!.ts);
    expect(thread[0]!.text).toContain("Revenue by channel:");
    // Nothing is posted twice, however often the queue runs.
    await t.platform.deliveries.process(notifier(), now + 60_000);
    expect(posts()).toHaveLength(1);
  });

  it("waits out a rate limit with its Retry-After, then posts once", async () => {
    await queueDigest();
    fake.fail("chat.postMessage", {
      status: 429,
      headers: { "retry-after": "120" },
      body: { ok: false, error: "ratelimited" },
    });
    expect(await t.platform.deliveries.process(notifier(), now)).toEqual({ sent: 0, retried: 1, failed: 0 });
    // Not before Retry-After has passed.
    expect((await t.platform.deliveries.process(notifier(), now + 60_000)).sent).toBe(0);
    expect((await t.platform.deliveries.process(notifier(), now + 121_000)).sent).toBe(1);
    expect(posts()).toHaveLength(1);
  });

  it("after an unclear failure, finds the message in the channel's history instead of posting it again", async () => {
    await queueDigest();
    // Slack posts it, but the answer is lost (a 500).
    fake.fail("chat.postMessage", {
      afterEffect: true,
      status: 500,
      body: { ok: false, error: "internal_error" },
    });
    expect((await t.platform.deliveries.process(notifier(), now)).retried).toBe(1);
    expect(posts()).toHaveLength(1);
    expect((await t.platform.deliveries.process(notifier(), now + 31_000)).sent).toBe(1);
    expect(fake.callsTo("conversations.history")).toHaveLength(1);
    expect(posts()).toHaveLength(1);
  });

  it("gives up at once when retrying cannot help, and shows the failure with Slack's code", async () => {
    await queueDigest();
    fake.fail("chat.postMessage", { body: { ok: false, error: "channel_not_found" } });
    expect((await t.platform.deliveries.process(notifier(), now)).failed).toBe(1);
    const [failed] = await t.core.failedDeliveries();
    expect(failed).toMatchObject({
      destination: "C0DIGEST",
      kind: "digest",
      error: "channel_not_found",
      attempts: 1,
    });
  });

  it("loses nothing and doubles nothing when a process dies mid-delivery", async () => {
    await queueDigest();
    // A process claims the delivery and dies before sending it.
    expect(await claimDeliveries(t.db, now, 120_000, 10)).toHaveLength(1);
    expect((await t.platform.deliveries.process(notifier(), now + 60_000)).sent).toBe(0);
    // After its lease, another process checks the channel first (not there), then posts it once.
    expect((await t.platform.deliveries.process(notifier(), now + 121_000)).sent).toBe(1);
    expect(fake.callsTo("conversations.history")).toHaveLength(1);
    expect(posts()).toHaveLength(1);
  });

  it("checks the thread, not the channel, for a lost reply (an alert's Resolved)", async () => {
    const report = await t.platform.schedules.digestNow("daily");
    const message = (key: string, replyTo: string | null) => ({
      idempotencyKey: key,
      destination: "C0DIGEST",
      subscriptionId: null,
      kind: "alert",
      report: { ...report, details: [] },
      replyTo,
    });
    await t.platform.deliveries.enqueue(message("alert:1:open", null), now);
    await t.platform.deliveries.process(notifier(), now);
    const [parent] = posts();
    await t.platform.deliveries.enqueue(message("alert:1:resolved", "alert:1:open"), now);
    fake.fail("chat.postMessage", {
      afterEffect: true,
      status: 500,
      body: { ok: false, error: "internal_error" },
    });
    expect((await t.platform.deliveries.process(notifier(), now)).retried).toBe(1);
    expect((await t.platform.deliveries.process(notifier(), now + 31_000)).sent).toBe(1);
    expect(fake.callsTo("conversations.replies")[0]!.params["ts"]).toBe(parent!.ts);
    expect(fake.messages.filter((m) => m.thread_ts === parent!.ts)).toHaveLength(1);
  });
});
