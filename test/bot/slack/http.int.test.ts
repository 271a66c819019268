import { request as httpRequest } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Command } from "../../../analytics/platform/commands/index.ts";
import { renderText } from "../../../bot/render/text.ts";
import { demoDb, type TestDb, withTestCapability } from "../../support/db.ts";
import { FakeSlack } from "../../support/fake-slack.ts";
import {
  buttonClick,
  CHANNEL,
  eventCallback,
  findButton,
  mention,
  nowSeconds,
  type SlackLift,
  slackPost,
  slashCommand,
  startSlackLift,
  USER,
} from "../../support/slack.ts";

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

type Blocks = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text?: string; action_id?: string }[];
}[];
const blockText = (blocks: unknown) => JSON.stringify(blocks);
const PNG_MAGIC = "89504e470d0a1a0a";

async function ask(text: string) {
  const slash = slashCommand(fake, text);
  const started = performance.now();
  const response = await slackPost(lift.url, slash.form);
  const ackMs = performance.now() - started;
  const [answer] = await fake.waitFor(() =>
    fake.responsesTo(slash.responseUrl).length > 0 ? fake.responsesTo(slash.responseUrl) : null,
  );
  return { response, ackMs, answer: answer as { response_type: string; text: string; blocks: Blocks } };
}

/** Opens the App Home as Slack does (app_home_opened) and returns the view Lift published. */
async function openHome(eventId: string): Promise<{ type: string; blocks: Blocks }> {
  const before = fake.callsTo("views.publish").length;
  await slackPost(
    lift.url,
    JSON.stringify(
      eventCallback(
        {
          type: "app_home_opened",
          user: USER,
          channel: "D0MARKETER",
          tab: "home",
          event_ts: "1763887500.000100",
        },
        eventId,
      ),
    ),
    { contentType: "application/json" },
  );
  const publish = await fake.waitFor(() => fake.callsTo("views.publish")[before]);
  expect(publish.params["user_id"]).toBe(USER);
  return publish.params["view"] as { type: string; blocks: Blocks };
}

describe("Slack over HTTP: /lift", () => {
  it("acks a slash command at once, then answers privately with fields, table, context and buttons", async () => {
    lift = await startSlackLift(t, fake);
    const { response, ackMs, answer } = await ask("kpi revenue by channel last 30 days");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(ackMs).toBeLessThan(3000);
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.blocks[0]).toMatchObject({
      type: "header",
      text: { text: "Revenue · Last 30 days by channel" },
    });
    // The period, time zone and freshness are on every answer.
    const context = answer.blocks.find((b) => b.type === "context")!;
    expect(context.elements![0]!.text).toMatch(
      /^Oct 24 – Nov 22, 2026 \(Europe\/Berlin\) · vs Sep 24 – Oct 23, 2026/,
    );
    expect(context.elements![0]!.text).toMatch(/Data as of 09:30 Europe\/Berlin/);
    // An ephemeral message cannot carry a file: no image, but the buttons to get one.
    expect(answer.blocks.some((b) => b.type === "image")).toBe(false);
    const buttons = answer.blocks.find((b) => b.type === "actions")!.elements!.map((e) => e.action_id);
    expect(buttons).toEqual(
      expect.arrayContaining(["lift_post_to_channel", "lift_send_chart", "lift_download_csv"]),
    );
    // The same numbers as the CLI and console, which render the same report.
    const report = await t.platform.registries.commands.run("kpi revenue by channel last 30 days", {
      userId: "cli",
    });
    const paidSearch = report.table!.rows.find((row) => row[0] === "Paid search")!;
    expect(renderText(report)).toContain("Paid search");
    expect(answer.text).toContain(report.facts[0]!.value);
    expect(blockText(answer.blocks)).toContain("Paid search");
    expect(typeof paidSearch[1]).toBe("number");
  });

  it("posts to the channel with the chart in one message, then keeps the thread's context for a follow-up", async () => {
    lift = await startSlackLift(t, fake);
    const { answer } = await ask("kpi revenue by channel last 30 days");
    const click = buttonClick(fake, findButton(answer.blocks, "lift_post_to_channel"));
    expect((await slackPost(lift.url, click.form)).status).toBe(200);
    const posted = await fake.waitFor(() => fake.messages.find((m) => m.channel === CHANNEL && !m.thread_ts));
    // Files upload v2: get an upload URL, upload the PNG, complete it unshared; files.upload is never used.
    expect(fake.callsTo("files.upload")).toHaveLength(0);
    const [getUrl] = fake.callsTo("files.getUploadURLExternal");
    expect(getUrl!.params["filename"]).toMatch(/^lift-kpi-2026-11-22\.png$/);
    const [complete] = fake.callsTo("files.completeUploadExternal");
    expect(complete!.params["channel_id"]).toBeUndefined();
    const fileId = (complete!.params["files"] as { id: string }[])[0]!.id;
    expect(fake.uploads.get(fileId)!.bytes.subarray(0, 8).toString("hex")).toBe(PNG_MAGIC);
    // One chat.postMessage carries text, numbers and the chart.
    const image = posted.blocks!.find((b) => b["type"] === "image");
    expect(image).toMatchObject({ slack_file: { id: fileId } });
    expect(posted.text).toMatch(/^Revenue · Last 30 days by channel: .*Revenue \$/);
    expect(blockText(posted.blocks)).toContain(`Asked by <@${USER}>`);
    const confirmation = await fake.waitFor(() => fake.responsesTo(click.responseUrl)[0]);
    expect(confirmation).toMatchObject({ replace_original: true });
    expect(String(confirmation["text"])).toContain(`Posted to <#${CHANNEL}>`);

    // "@Lift and by campaign?" in that thread keeps metric and period, changes the breakdown.
    const reply = eventCallback(
      mention("and by campaign?", { ts: "1763886700.000100", thread_ts: posted.ts }),
      "Ev0FOLLOW",
    );
    expect(
      (await slackPost(lift.url, JSON.stringify(reply), { contentType: "application/json" })).status,
    ).toBe(200);
    const followUp = await fake.waitFor(() =>
      fake.messages.find((m) => m.thread_ts === posted.ts && m.blocks),
    );
    expect(followUp.blocks![0]).toMatchObject({
      type: "header",
      text: { text: "Revenue · Last 30 days by campaign" },
    });
    expect(followUp.blocks!.some((b) => b["type"] === "image")).toBe(true);
  });

  it("answers a mention in plain words and keeps the command it was read as for the thread's follow-ups", async () => {
    lift = await startSlackLift(t, fake);
    const question = eventCallback(
      mention("how much money came in yesterday?", { ts: "1763886750.000100" }),
      "Ev0PLAIN",
    );
    expect(
      (await slackPost(lift.url, JSON.stringify(question), { contentType: "application/json" })).status,
    ).toBe(200);
    const first = await fake.waitFor(() =>
      fake.messages.find((m) => m.thread_ts === "1763886750.000100" && m.blocks),
    );
    expect(first.blocks![0]).toMatchObject({ type: "header", text: { text: "Revenue · Yesterday" } });
    // The thread remembers `kpi revenue yesterday`, not the prose: a reply changes one part of it.
    const reply = eventCallback(
      mention("and what about by campaign for the paid search channel?", {
        ts: "1763886760.000100",
        thread_ts: "1763886750.000100",
      }),
      "Ev0PLAIN2",
    );
    expect(
      (await slackPost(lift.url, JSON.stringify(reply), { contentType: "application/json" })).status,
    ).toBe(200);
    const second = await fake.waitFor(
      () => fake.messages.filter((m) => m.thread_ts === "1763886750.000100" && m.blocks)[1],
    );
    expect(second.blocks![0]).toMatchObject({
      type: "header",
      text: { text: "Revenue · Paid search · Yesterday by campaign" },
    });
  });

  it("posts the stored answer: a command that changed state is not run again, and the numbers are the ones shown", async () => {
    lift = await startSlackLift(t, fake);
    const { answer } = await ask("subscribe digest daily 09:00");
    expect(answer.blocks[0]).toMatchObject({ text: { text: "Subscribed · daily digest" } });
    const button = findButton(answer.blocks, "lift_post_to_channel");
    const click = buttonClick(fake, button);
    await slackPost(lift.url, click.form);
    const posted = await fake.waitFor(() => fake.messages.find((m) => m.channel === CHANNEL && !m.thread_ts));
    expect(posted.blocks![0]).toMatchObject({ text: { text: "Subscribed · daily digest" } });
    // Posting the answer did not subscribe a second time.
    expect(await t.platform.schedules.list()).toHaveLength(1);
    expect((await t.core.answer(button.value))!.command).toBe("subscribe digest daily 09:00");
    // An answer that is gone says so, and runs nothing.
    const stale = buttonClick(fake, { action_id: "lift_post_to_channel", value: "no-such-answer" });
    await slackPost(lift.url, stale.form);
    expect(String((await fake.waitFor(() => fake.responsesTo(stale.responseUrl)[0]))["text"])).toMatch(
      /no longer kept/,
    );
  });

  it("asks Slack to confirm a button that destroys, and marks it danger", async () => {
    lift = await startSlackLift(t, fake);
    await ask("alert signups anomaly");
    const { answer } = await ask("alerts");
    const remove = answer.blocks
      .find((b) => b.type === "actions")!
      .elements!.find((e) => e.action_id === "run_command_delete_1") as unknown as Record<string, unknown>;
    expect(remove).toMatchObject({
      style: "danger",
      confirm: {
        title: { type: "plain_text", text: "Delete alert 1?" },
        confirm: { type: "plain_text", text: "Delete" },
        deny: { type: "plain_text", text: "Keep it" },
        style: "danger",
      },
    });
    // The value carries the command and the stored answer it was shown under.
    expect(JSON.parse(String(remove["value"]))).toMatchObject({ command: "alert delete 1" });
  });

  it("answers a mention in a thread with the chart, and a long answer's rest as thread replies", async () => {
    lift = await startSlackLift(t, fake);
    const event = eventCallback(
      mention("orders by day last 90 days by campaign", { ts: "1763886800.000100" }),
      "Ev0LONG",
    );
    await slackPost(lift.url, JSON.stringify(event), { contentType: "application/json" });
    const misread = await fake.waitFor(() => fake.messages.find((m) => m.thread_ts === "1763886800.000100"));
    // Two breakdowns cannot be read: the answer says so in the thread, with the readings it can answer.
    expect(misread.text).toMatch(/^Which did you mean\?/);

    const long = eventCallback(
      mention("visitors, orders and revenue by day last 120 days", { ts: "1763886900.000100" }),
      "Ev0DAYS",
    );
    await slackPost(lift.url, JSON.stringify(long), { contentType: "application/json" });
    const replies = await fake.waitFor(() => {
      const inThread = fake.messages.filter((m) => m.thread_ts === "1763886900.000100");
      return inThread.length >= 2 ? inThread : null;
    });
    expect(replies[0]!.blocks!.length).toBeLessThanOrEqual(50);
    expect(blockText(replies[0]!.blocks)).toContain("more rows in the thread");
    expect(replies[1]!.text).toMatch(/^```\n/);
    // The thread holds every row, the oldest day included.
    expect(replies.map((r) => r.text).join("\n")).toContain("Jul 26");
  });

  it("answers a DM in a thread, and ignores its own and other bots' messages", async () => {
    lift = await startSlackLift(t, fake);
    const dm = (ts: string, extra: Record<string, unknown>) =>
      eventCallback(
        {
          type: "message",
          channel: "D0MARKETER",
          channel_type: "im",
          text: "signups last 7 days",
          ts,
          ...extra,
        },
        `Ev${ts}`,
      );
    await slackPost(
      lift.url,
      JSON.stringify(dm("1763887000.000100", { bot_id: "B0LIFT", user: "ULIFTBOT" })),
      { contentType: "application/json" },
    );
    await slackPost(lift.url, JSON.stringify(dm("1763887000.000200", { subtype: "message_changed" })), {
      contentType: "application/json",
    });
    await slackPost(lift.url, JSON.stringify(dm("1763887000.000300", { user: USER })), {
      contentType: "application/json",
    });
    const answer = await fake.waitFor(() => fake.messages.find((m) => m.channel === "D0MARKETER"));
    expect(answer.thread_ts).toBe("1763887000.000300");
    expect(answer.blocks![0]).toMatchObject({ text: { text: "Signups · Last 7 days" } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.messages.filter((m) => m.channel === "D0MARKETER")).toHaveLength(1);
  });
});

describe("Slack over HTTP: requests are verified", () => {
  it("refuses a bad signature or a request older than five minutes with 401 and runs nothing", async () => {
    lift = await startSlackLift(t, fake);
    const before = fake.calls.length;
    const slash = slashCommand(fake, "revenue");
    const forged = await slackPost(lift.url, slash.form, { secret: "not-the-signing-secret" });
    expect(forged.status).toBe(401);
    const replayed = await slackPost(lift.url, slash.form, { timestamp: nowSeconds() - 5 * 60 - 1 });
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { reason: string }).reason).toMatch(/five minutes/);
    const unsigned = await fetch(`${lift.url}/slack/events`, { method: "POST", body: "ssl_check=1&token=x" });
    expect(unsigned.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls.length).toBe(before);
    expect(fake.responsesTo(slash.responseUrl)).toHaveLength(0);
    // A request just inside the window is fine.
    expect((await slackPost(lift.url, slash.form, { timestamp: nowSeconds() - 4 * 60 })).status).toBe(200);
  });

  it("holds at most 1 MB of a chunked body, and reads none of one without a signature", async () => {
    lift = await startSlackLift(t, fake);
    // A signature-shaped header (the body is never signed): the limit applies before the check.
    const upload = (headers: Record<string, string>) =>
      new Promise<{ status: number; sent: number }>((resolve, reject) => {
        const target = new URL(`${lift.url}/slack/events`);
        let sent = 0;
        let done = false;
        const request = httpRequest(
          { host: target.hostname, port: target.port, path: target.pathname, method: "POST", headers },
          (response) => {
            done = true;
            response.resume();
            resolve({ status: response.statusCode ?? 0, sent });
            request.destroy();
          },
        );
        request.on("error", (error) => (done ? undefined : reject(error)));
        const chunk = Buffer.alloc(64 * 1024, 0x61);
        const pump = () => {
          // Up to 300 MB, as the attack did; the answer comes long before.
          while (!done && sent < 300 * 1024 * 1024) {
            sent += chunk.length;
            if (!request.write(chunk)) return void request.once("drain", pump);
          }
          if (!done) request.end();
        };
        pump();
      });
    const signed = {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(nowSeconds()),
      "x-slack-signature": `v0=${"0".repeat(64)}`,
    };
    const big = await upload(signed);
    expect(big.status).toBe(413);
    expect(big.sent).toBeLessThan(32 * 1024 * 1024);
    const unsigned = await upload({ "content-type": "application/json" });
    expect(unsigned.status).toBe(401);
    expect(unsigned.sent).toBeLessThan(32 * 1024 * 1024);
  });

  it("answers every signed request within Slack's 3 s: 200 for payloads no listener takes, 400 for bodies that are not Slack's", async () => {
    lift = await startSlackLift(t, fake);
    const interaction = (payload: Record<string, unknown>) =>
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    const acked: [string, string, string][] = [
      ["{}", "{}", "application/json"],
      ["view_closed", interaction({ type: "view_closed", user: { id: USER }, view: { id: "V1" } }), ""],
      [
        "view_submission",
        interaction({
          type: "view_submission",
          user: { id: USER },
          view: { id: "V1", callback_id: "nobody" },
        }),
        "",
      ],
      [
        "shortcut",
        interaction({ type: "shortcut", callback_id: "nobody", user: { id: USER }, trigger_id: "1.2" }),
        "",
      ],
      [
        "an unknown action_id",
        interaction({
          type: "block_actions",
          user: { id: USER },
          actions: [{ action_id: "no_such_action", block_id: "b", type: "button", value: "x" }],
          trigger_id: "1.2",
        }),
        "",
      ],
      ["another slash command", slashCommand(fake, "x").form.replace("%2Flift", "%2Fother"), ""],
      ["an empty body", "", ""],
    ];
    for (const [what, body, contentType] of acked) {
      const started = performance.now();
      const response = await slackPost(lift.url, body, contentType ? { contentType } : {});
      expect(response.status, what).toBe(200);
      expect(performance.now() - started, what).toBeLessThan(3000);
    }
    for (const body of ["[]", '"x"', "null", "{not json"]) {
      const response = await slackPost(lift.url, body, { contentType: "application/json" });
      expect(response.status, body).toBe(400);
    }
  });

  it("reads at most a few unauthenticated bodies at once, and stops waiting for one that stalls", async () => {
    lift = await startSlackLift(t, fake);
    const target = new URL(`${lift.url}/slack/events`);
    const signed = {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(nowSeconds()),
      "x-slack-signature": `v0=${"0".repeat(64)}`,
      "content-length": String(1000 * 1024),
    };
    // 40 connections each send 100 KB of a 1,000 KB body, then stall (the probe used 300).
    const stalled = Array.from({ length: 40 }, () => {
      const request = httpRequest({
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        headers: signed,
      });
      const status = new Promise<number>((resolve) => {
        request.on("response", (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on("error", () => resolve(-1));
      });
      request.write(Buffer.alloc(100 * 1024, 0x61));
      return { request, status };
    });
    const statuses = await Promise.all(stalled.map((s) => s.status));
    for (const s of stalled) s.request.destroy();
    // The first 32 held a slot until the read timed out (408); the rest were refused unread (503).
    expect(statuses.filter((s) => s === 503).length).toBe(8);
    expect(statuses.filter((s) => s === 408).length).toBe(32);
    // And the server still answers.
    expect((await slackPost(lift.url, "ssl_check=1&token=x")).status).toBe(200);
  }, 30_000);

  it("does not run a replayed slash command or button click twice", async () => {
    lift = await startSlackLift(t, fake);
    const slash = slashCommand(fake, "orders yesterday");
    const timestamp = nowSeconds();
    expect((await slackPost(lift.url, slash.form, { timestamp })).status).toBe(200);
    await fake.waitFor(() => fake.responsesTo(slash.responseUrl)[0]);
    // The same signed request again, inside the five-minute window.
    expect((await slackPost(lift.url, slash.form, { timestamp })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.responsesTo(slash.responseUrl)).toHaveLength(1);
  });

  it("answers Slack's url_verification challenge and signed ssl_check", async () => {
    lift = await startSlackLift(t, fake);
    const challenge = JSON.stringify({
      token: "x",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const response = await slackPost(lift.url, challenge, { contentType: "application/json" });
    expect(await response.json()).toEqual({
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
    });
    expect((await slackPost(lift.url, "ssl_check=1&token=x")).status).toBe(200);
  });

  it("does not run a Slack retry of an event already handled", async () => {
    lift = await startSlackLift(t, fake);
    const event = JSON.stringify(
      eventCallback(mention("orders yesterday", { ts: "1763887100.000100" }), "Ev0ONCE"),
    );
    await slackPost(lift.url, event, { contentType: "application/json" });
    await fake.waitFor(() => fake.messages.find((m) => m.thread_ts === "1763887100.000100"));
    expect((await slackPost(lift.url, event, { contentType: "application/json", retryNum: 1 })).status).toBe(
      200,
    );
    expect((await slackPost(lift.url, event, { contentType: "application/json", retryNum: 2 })).status).toBe(
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(fake.messages.filter((m) => m.thread_ts === "1763887100.000100")).toHaveLength(1);
  });

  it("handles a retry of an event whose first try failed", async () => {
    lift = await startSlackLift(t, fake);
    // Slack is down for the first try: neither the answer nor the apology can be posted.
    fake.fail("chat.postMessage", { status: 503, body: { ok: false, error: "service_unavailable" } });
    fake.fail("chat.postEphemeral", { status: 503, body: { ok: false, error: "service_unavailable" } });
    const event = JSON.stringify(
      eventCallback(mention("orders yesterday", { ts: "1763887200.000100" }), "Ev0FAILED"),
    );
    await slackPost(lift.url, event, { contentType: "application/json" });
    await fake.waitFor(() => fake.callsTo("chat.postEphemeral").length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await slackPost(lift.url, event, { contentType: "application/json", retryNum: 1 });
    const answer = await fake.waitFor(() => fake.messages.find((m) => m.thread_ts === "1763887200.000100"));
    expect(answer.blocks![0]).toMatchObject({ text: { text: "Orders · Yesterday" } });
  });
});

describe("Slack over HTTP: errors are never silent", () => {
  it("tells the user to /invite Lift when posting to a channel it is not in", async () => {
    lift = await startSlackLift(t, fake);
    const { answer } = await ask("revenue last 7 days");
    fake.fail("chat.postMessage", { body: { ok: false, error: "not_in_channel" } });
    const click = buttonClick(fake, findButton(answer.blocks, "lift_post_to_channel"));
    await slackPost(lift.url, click.form);
    const told = await fake.waitFor(() => fake.responsesTo(click.responseUrl)[0]);
    expect(told).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(told["text"])).toContain("/invite @Lift");
  });

  it("waits out a rate limit (429 with Retry-After) and posts once", async () => {
    lift = await startSlackLift(t, fake, {
      extra: { retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 20 } },
    });
    fake.fail("chat.postMessage", {
      status: 429,
      headers: { "retry-after": "1" },
      body: { ok: false, error: "ratelimited" },
    });
    const event = JSON.stringify(
      eventCallback(mention("orders yesterday", { ts: "1763887300.000100" }), "Ev0RATE"),
    );
    await slackPost(lift.url, event, { contentType: "application/json" });
    const answer = await fake.waitFor(() => fake.messages.find((m) => m.thread_ts === "1763887300.000100"));
    expect(answer.blocks![0]).toMatchObject({ text: { text: "Orders · Yesterday" } });
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
  });

  it("explains a question it cannot read, with the closest commands", async () => {
    lift = await startSlackLift(t, fake);
    const { answer } = await ask("dgst");
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toMatch(/could not read “dgst”.*did you mean the command `digest`/);
  });
});

describe("Slack over HTTP: who may read and change", () => {
  it("politely refuses people who are not readers, and answers members of a reader user group", async () => {
    fake.usergroups.set("S0ANALYSTS", ["U0ANALYST"]);
    lift = await startSlackLift(t, fake, { access: { readers: ["U0BOSS", "S0ANALYSTS"] } });
    const refused = await ask("revenue last 7 days");
    expect(refused.answer.text).toMatch(/^Sorry, Lift's answers are limited/);
    expect(refused.answer.blocks).toBeUndefined();
    const slash = slashCommand(fake, "revenue last 7 days", { user: "U0ANALYST" });
    await slackPost(lift.url, slash.form);
    const answer = await fake.waitFor(() => fake.responsesTo(slash.responseUrl)[0]);
    expect(String(answer["text"])).toMatch(/^Revenue · Last 7 days/);
  });

  it("answers only in LIFT_CHANNELS, and in DMs", async () => {
    lift = await startSlackLift(t, fake, { access: { channels: ["C0OTHER"] } });
    const { answer } = await ask("revenue last 7 days");
    expect(answer.text).toMatch(/does not give data answers in this channel/);
    await slackPost(
      lift.url,
      JSON.stringify(
        eventCallback(
          {
            type: "message",
            channel: "D0MARKETER",
            channel_type: "im",
            user: USER,
            text: "revenue",
            ts: "1763887400.000100",
          },
          "Ev0DM",
        ),
      ),
      { contentType: "application/json" },
    );
    const dm = await fake.waitFor(() => fake.messages.find((m) => m.channel === "D0MARKETER"));
    expect(dm.blocks![0]).toMatchObject({ type: "header" });
  });

  it("lets only admins run commands that change things, on commands and buttons alike", async () => {
    let changed = 0;
    const mute: Command = {
      name: "mute",
      aliases: [],
      summary: "a command that changes state",
      usage: "mute",
      examples: ["mute"],
      mutates: true,
      personal: false,
      run: async () => {
        changed++;
        return {
          kind: "ok",
          title: "Muted",
          summary: "Muted.",
          facts: [],
          charts: [],
          actions: [],
          warnings: [],
        };
      },
    };
    t.cleanup();
    // A capability of the test's own, beside the real ones: one more line in the list.
    t = demoDb({
      capabilities: withTestCapability({ commands: [mute] }),
    });
    lift = await startSlackLift(t, fake, { access: { admins: ["U0ADMIN"] } });
    const refused = await ask("mute");
    expect(refused.answer.text).toMatch(/only Lift's admins may run it/);
    const click = buttonClick(fake, { action_id: "run_command_x", value: "mute" });
    await slackPost(lift.url, click.form);
    expect(String((await fake.waitFor(() => fake.responsesTo(click.responseUrl)[0]))["text"])).toMatch(
      /only Lift's admins may run it/,
    );
    expect(changed).toBe(0);
    const slash = slashCommand(fake, "mute", { user: "U0ADMIN" });
    await slackPost(lift.url, slash.form);
    await fake.waitFor(() => fake.responsesTo(slash.responseUrl)[0]);
    expect(changed).toBe(1);
  });
});

describe("Slack over HTTP: files and the App Home", () => {
  it("sends the chart and the CSV to the asker's DM", async () => {
    lift = await startSlackLift(t, fake);
    const { answer } = await ask("kpi revenue by channel last 30 days");
    const chart = buttonClick(fake, findButton(answer.blocks, "lift_send_chart"));
    await slackPost(lift.url, chart.form);
    expect(String((await fake.waitFor(() => fake.responsesTo(chart.responseUrl)[0]))["text"])).toBe(
      "Sent the chart to you in <#D0MARKETER>.",
    );
    const csv = buttonClick(fake, findButton(answer.blocks, "lift_download_csv"));
    await slackPost(lift.url, csv.form);
    await fake.waitFor(() => fake.responsesTo(csv.responseUrl)[0]);
    const shared = fake.callsTo("files.completeUploadExternal").map((c) => c.params);
    expect(shared.every((p) => p["channel_id"] === "D0MARKETER")).toBe(true);
    expect(String(shared[0]!["initial_comment"])).toMatch(
      /^Revenue · Last 30 days by channel · Last 30 days, Europe\/Berlin/,
    );
    const files = [...fake.uploads.values()];
    expect(files[0]!.bytes.subarray(0, 8).toString("hex")).toBe(PNG_MAGIC);
    expect(files[1]!.filename).toBe("lift-kpi-2026-11-22.csv");
    expect(String(files[1]!.bytes).split("\n")[0]).toBe(
      "Channel,Revenue (USD),Revenue vs the previous 30 days (%)",
    );
  });

  it("sends a segment's members as a file to an admin's DM, and to no one else", async () => {
    await t.platform.registries.commands.run("segment recompute", { userId: "U0ADMIN" });
    lift = await startSlackLift(t, fake, { access: { admins: ["U0ADMIN"] } });
    const slash = slashCommand(fake, "segment export champions", { user: "U0ADMIN" });
    await slackPost(lift.url, slash.form);
    const [answer] = (await fake.waitFor(() =>
      fake.responsesTo(slash.responseUrl).length > 0 ? fake.responsesTo(slash.responseUrl) : null,
    )) as { blocks: Blocks }[];
    const button = findButton(answer!.blocks, "lift_download_csv");
    const refused = buttonClick(fake, button);
    await slackPost(lift.url, refused.form);
    expect(String((await fake.waitFor(() => fake.responsesTo(refused.responseUrl)[0]))["text"])).toMatch(
      /only analysts and admins may have it/,
    );
    expect(fake.uploads.size).toBe(0);
    const sent = buttonClick(fake, button, { user: "U0ADMIN" });
    await slackPost(lift.url, sent.form);
    await fake.waitFor(() => fake.responsesTo(sent.responseUrl)[0]);
    const [file] = [...fake.uploads.values()];
    expect(file!.filename).toBe("segment-champions.csv");
    const lines = String(file!.bytes).trim().split("\n");
    expect(lines[0]).toBe("customer_id,email,orders,total_spent_usd,last_order");
    const members = t.db.sqlite
      .prepare(
        "SELECT count(*) FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE s.name = 'champions'",
      )
      .pluck()
      .get() as number;
    expect(lines).toHaveLength(members + 1);
  });

  it("publishes the App Home with today's KPIs and quick questions that answer in the DM", async () => {
    lift = await startSlackLift(t, fake);
    const view = await openHome("Ev0HOME");
    expect(view.type).toBe("home");
    // No roles are set in this workspace: the home says first that everyone is an admin.
    expect(view.blocks[0]).toMatchObject({ type: "header", text: { text: "Access" } });
    expect(blockText(view.blocks)).toContain(
      "No roles are set: everyone in this Slack workspace is a Lift admin",
    );
    expect(view.blocks).toContainEqual(
      expect.objectContaining({ type: "header", text: expect.objectContaining({ text: "Today so far" }) }),
    );
    expect(blockText(view.blocks)).toContain("Visitors");
    const quick = findButton(view.blocks, "run_command_home_0");
    expect(quick.value).toBe("kpi revenue last 30 days by channel");
    const click = buttonClick(fake, quick, { home: true });
    await slackPost(lift.url, click.form);
    const answer = await fake.waitFor(() => fake.messages.find((m) => m.channel === "D0MARKETER"));
    expect(answer.blocks![0]).toMatchObject({ text: { text: "Revenue · Last 30 days by channel" } });
  });
});

describe("Slack over HTTP: subscriptions", () => {
  it("subscribes the channel at the asker's Slack time zone, and shows it on their App Home", async () => {
    lift = await startSlackLift(t, fake);
    const { answer } = await ask("subscribe digest daily 08:00");
    expect(fake.callsTo("users.info")[0]!.params["user"]).toBe(USER);
    // The fake's users.info says Europe/Berlin; the channel is a link in Block Kit.
    expect(blockText(answer.blocks)).toContain(`posted in <#${CHANNEL}> daily at 08:00 Europe/Berlin`);
    const view = blockText((await openHome("Ev0HOME2")).blocks);
    expect(view).toContain("Your digests and alerts");
    expect(view).toContain(`#1 daily digest to <#${CHANNEL}>, daily at 08:00 Europe/Berlin`);
  });
});
