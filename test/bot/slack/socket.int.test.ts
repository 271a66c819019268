import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { demoDb, type TestDb } from "../../support/db.ts";
import { FakeSlack } from "../../support/fake-slack.ts";
import { eventCallback, mention, type SlackLift, slashCommand, startSlackLift } from "../../support/slack.ts";

let t: TestDb;
let fake: FakeSlack;
let lift: SlackLift;

beforeEach(async () => {
  t = demoDb();
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await lift?.close();
  await fake.close();
  t.cleanup();
});

describe("Slack over Socket Mode", () => {
  it("connects through SLACK_API_URL with the app token, acks envelopes by id and answers", async () => {
    lift = await startSlackLift(t, fake, { mode: "socket" });
    const [open] = fake.callsTo("apps.connections.open");
    expect(open!.token).toBe("xapp-test-token-0000");
    expect(fake.callsTo("auth.test")[0]!.token).toBe("xoxb-test-token-0000");
    await fake.waitFor(() => fake.socketConnections === 1);

    const slash = slashCommand(fake, "revenue last 7 days by channel");
    const started = performance.now();
    const ack = await fake.sendEnvelope("slash_commands", slash.fields, { envelopeId: "env-slash-1" });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(ack["envelope_id"]).toBe("env-slash-1");
    const answer = await fake.waitFor(() => fake.responsesTo(slash.responseUrl)[0]);
    expect(answer["response_type"]).toBe("ephemeral");
    expect(String(answer["text"])).toMatch(/^Revenue · Last 7 days by channel/);
  });

  it("runs an event once when Slack redelivers it with retry_attempt", async () => {
    lift = await startSlackLift(t, fake, { mode: "socket" });
    await fake.waitFor(() => fake.socketConnections === 1);
    const event = eventCallback(mention("orders yesterday", { ts: "1763888000.000100" }), "Ev0SOCKET");
    await fake.sendEnvelope("events_api", event);
    await fake.waitFor(() => fake.messages.find((m) => m.thread_ts === "1763888000.000100"));
    const retried = await fake.sendEnvelope("events_api", event, { retryAttempt: 1 });
    expect(retried["envelope_id"]).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.messages.filter((m) => m.thread_ts === "1763888000.000100")).toHaveLength(1);
  });

  it("reconnects when Slack asks it to and keeps answering", async () => {
    // The client waits its ping timeout before reconnecting; a short one keeps the test quick.
    lift = await startSlackLift(t, fake, {
      mode: "socket",
      extra: { socketPing: { client: 500, server: 30_000 } },
    });
    await fake.waitFor(() => fake.socketConnections === 1);
    fake.disconnectSocket();
    await fake.waitFor(() => fake.socketConnections === 2);
    // One check of the app token at start (so a refused token stops start-up), then one URL a connection.
    expect(fake.callsTo("apps.connections.open")).toHaveLength(3);
    const event = eventCallback(mention("signups yesterday", { ts: "1763888100.000100" }), "Ev0AFTER");
    await fake.sendEnvelope("events_api", event);
    const answer = await fake.waitFor(() => fake.messages.find((m) => m.thread_ts === "1763888100.000100"));
    expect(answer.blocks![0]).toMatchObject({ text: { text: "Signups · Yesterday" } });
  });
});
