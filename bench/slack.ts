import { Hono } from "hono";
import { ANSWER_WORKER } from "../analytics/capabilities/index.ts";
import { silentLogger } from "../analytics/platform/base/log.ts";
import { AnswerThread } from "../analytics/platform/commands/index.ts";
import { demoOptionsFor } from "../analytics/platform/demo/index.ts";
import { createSlackApp } from "../bot/slack/app.ts";
import { slackSignature } from "../bot/slack/signature.ts";
import { FakeSlack } from "../test/support/fake-slack.ts";
import { listen } from "../test/support/server.ts";
import { fmt, freshDb, TIME_ZONE } from "./common.ts";

const SECRET = "bench-signing-secret";
const COMMANDS = [
  "kpi revenue by channel last 30 days",
  "channels this month",
  "campaigns this month",
  "orders yesterday",
];

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/**
 * Slack's 3-second limit: how long `/lift` takes to be acknowledged while the
 * answers of earlier commands are still being computed and posted on the same
 * process (closed loop, one request after another's ack). Baseline: a POST to a
 * bare route on the same hono server. Demo workspace (full scale, 90 days).
 */
export async function benchSlackAck(
  requests: number,
): Promise<{ name: string; ratio: number; goal: string; detail: string }> {
  const { db, core, path } = freshDb("slack-ack.db");
  await core.seedDemo(demoOptionsFor(Date.now(), TIME_ZONE));
  // As `lift serve` runs: commands and charts on the answer thread.
  const runner = new AnswerThread(ANSWER_WORKER, path, core.settings, () => core.now());
  const fake = await FakeSlack.start();
  const transport = createSlackApp({
    mode: "http",
    botToken: "xoxb-bench",
    signingSecret: SECRET,
    apiUrl: fake.apiUrl,
    core,
    runner,
    logger: silentLogger(),
    retryConfig: { retries: 0 },
  });
  const app = new Hono();
  app.post("/baseline", async (c) => {
    await c.req.text();
    return c.body(null, 200);
  });
  app.route("/", transport.routes!);
  const server = await listen(app);
  await transport.start();

  const post = async (path: string, body: string, signed: boolean) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const started = performance.now();
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(signed
          ? {
              "x-slack-request-timestamp": timestamp,
              "x-slack-signature": slackSignature(SECRET, timestamp, body),
            }
          : {}),
      },
      body,
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    return performance.now() - started;
  };
  // Each request its own trigger_id, as Slack sends them: a repeated signed request is a replay and is not run.
  const form = (i: number, phase = "run") =>
    new URLSearchParams({
      command: "/lift",
      text: COMMANDS[i % COMMANDS.length]!,
      user_id: "U0BENCH",
      channel_id: "C0BENCH",
      team_id: "T0LIFT",
      response_url: `${fake.url}/response/${i}`,
      trigger_id: `${phase}.${i}.${Date.now()}`,
    }).toString();

  for (let i = 0; i < 20; i++) await post("/slack/events", form(i, "warm"), true); // warm-up
  const acks: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < requests; i++) {
    baseline.push(await post("/baseline", form(i, "base"), false));
    acks.push(await post("/slack/events", form(i), true));
  }
  await fake.waitFor(() => fake.responses.length >= requests + 20, 120_000);
  await transport.stop();
  await runner.close();
  await server.close();
  await fake.close();
  db.close();
  acks.sort((a, b) => a - b);
  baseline.sort((a, b) => a - b);
  const p50 = percentile(acks, 0.5);
  const p99 = percentile(acks, 0.99);
  const base99 = percentile(baseline, 0.99);
  return {
    name: `Slack ack latency, /lift over HTTP while answers run (${fmt(requests)} commands)`,
    ratio: p99 / base99,
    goal: "p99 < 50 ms",
    detail: `p50 ${fmt(p50, 1)} ms, p99 ${fmt(p99, 1)} ms ÷ bare POST p99 ${fmt(base99, 1)} ms (p50 ${fmt(percentile(baseline, 0.5), 1)} ms)`,
  };
}
