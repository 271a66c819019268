import { Hono } from "hono";
import type { EnvAccess } from "../../analytics/platform/access/policy.ts";
import { silentLogger } from "../../analytics/platform/base/log.ts";
import { createSlackApp, type SlackOptions, type SlackTransport } from "../../bot/slack/app.ts";
import { slackSignature } from "../../bot/slack/signature.ts";
import type { TestDb } from "./db.ts";
import { DEMO_NOW } from "./demo.ts";
import { BOT_USER, type FakeSlack, TEAM } from "./fake-slack.ts";
import { listen } from "./server.ts";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const USER = "U0MARKETER";
export const CHANNEL = "C0MARKETING";

export interface SlackLift {
  url: string;
  transport: SlackTransport;
  close(): Promise<void>;
}

/** Lift's Slack transport over a test database, pointed at the fake Slack. */
export async function startSlackLift(
  t: TestDb,
  fake: FakeSlack,
  options: { mode?: "http" | "socket"; access?: Partial<EnvAccess>; extra?: Partial<SlackOptions> } = {},
): Promise<SlackLift> {
  // LIFT_ADMINS, LIFT_READERS and LIFT_CHANNELS, as env.ts gives them to the core's settings.
  if (options.access) t.core.settings.access = { admins: [], readers: [], channels: [], ...options.access };
  const transport = createSlackApp({
    mode: options.mode ?? "http",
    botToken: "xoxb-test-token-0000",
    appToken: "xapp-test-token-0000",
    signingSecret: SIGNING_SECRET,
    apiUrl: fake.apiUrl,
    core: t.core,
    logger: silentLogger(),
    retryConfig: { retries: 0 },
    ...options.extra,
  });
  const app = new Hono();
  if (transport.routes) app.route("/", transport.routes);
  const server = await listen(app);
  await transport.start();
  return {
    url: server.url,
    transport,
    close: async () => {
      await transport.stop();
      await server.close();
    },
  };
}

/** Seconds on the test's clock (the core's fake now), as Slack stamps requests. */
export const nowSeconds = () => Math.floor(DEMO_NOW / 1000);

/** POSTs to /slack/events as Slack does: signed `v0=HMAC_SHA256(secret, "v0:{ts}:{body}")`. */
export function slackPost(
  url: string,
  body: string,
  options: {
    contentType?: string;
    timestamp?: number;
    secret?: string;
    retryNum?: number;
    signature?: string;
  } = {},
): Promise<Response> {
  const timestamp = String(options.timestamp ?? nowSeconds());
  return fetch(`${url}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature":
        options.signature ?? slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body),
      ...(options.retryNum !== undefined
        ? { "x-slack-retry-num": String(options.retryNum), "x-slack-retry-reason": "http_timeout" }
        : {}),
    },
    body,
  });
}

/** A slash command's form fields, as Slack sends them. */
export function slashCommand(
  fake: FakeSlack,
  text: string,
  options: { user?: string; channel?: string } = {},
) {
  const responseUrl = fake.newResponseUrl();
  const fields = {
    token: "verification-token-unused",
    team_id: TEAM,
    team_domain: "acme",
    channel_id: options.channel ?? CHANNEL,
    channel_name: "marketing",
    user_id: options.user ?? USER,
    user_name: "marketer",
    command: "/lift",
    text,
    api_app_id: "A0LIFT",
    is_enterprise_install: "false",
    response_url: responseUrl,
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
  };
  return { fields, form: new URLSearchParams(fields).toString(), responseUrl };
}

/** An Events API callback around `event`. */
export function eventCallback(event: Record<string, unknown>, eventId: string) {
  return {
    token: "verification-token-unused",
    team_id: TEAM,
    api_app_id: "A0LIFT",
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: nowSeconds(),
    authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true }],
  };
}

export function mention(
  text: string,
  options: { ts: string; thread_ts?: string; channel?: string; user?: string },
) {
  return {
    type: "app_mention",
    user: options.user ?? USER,
    text: `<@${BOT_USER}> ${text}`,
    ts: options.ts,
    ...(options.thread_ts ? { thread_ts: options.thread_ts } : {}),
    channel: options.channel ?? CHANNEL,
    event_ts: options.ts,
  };
}

/** A block_actions payload for a button click. */
export function buttonClick(
  fake: FakeSlack,
  button: { action_id: string; value: string },
  where: { ephemeral?: boolean; channel?: string; messageTs?: string; user?: string; home?: boolean } = {},
) {
  const responseUrl = fake.newResponseUrl();
  const channel = where.channel ?? CHANNEL;
  const payload = {
    type: "block_actions",
    user: { id: where.user ?? USER, username: "marketer", team_id: TEAM },
    api_app_id: "A0LIFT",
    token: "verification-token-unused",
    team: { id: TEAM, domain: "acme" },
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
    actions: [
      {
        type: "button",
        action_id: button.action_id,
        block_id: "b1",
        value: button.value,
        text: { type: "plain_text", text: "x" },
        action_ts: String(nowSeconds()),
      },
    ],
    ...(where.home
      ? { container: { type: "view", view_id: "V0HOME" }, view: { id: "V0HOME", type: "home", blocks: [] } }
      : {
          container: {
            type: "message",
            message_ts: where.messageTs ?? "1763886600.000001",
            channel_id: channel,
            is_ephemeral: where.ephemeral ?? true,
          },
          channel: { id: channel, name: "marketing" },
          response_url: responseUrl,
          ...(where.ephemeral === false
            ? { message: { type: "message", ts: where.messageTs, text: "" } }
            : {}),
        }),
  };
  return { payload, form: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), responseUrl };
}

/** The button with `action_id` among a message's blocks. */
export function findButton(blocks: unknown, actionId: string): { action_id: string; value: string } {
  for (const block of blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]) {
    for (const element of block.elements ?? []) {
      if (element.action_id === actionId) return element as { action_id: string; value: string };
    }
  }
  throw new Error(`no button ${actionId}`);
}
