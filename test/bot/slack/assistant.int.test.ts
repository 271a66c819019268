import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { CAPABILITIES } from "../../../analytics/capabilities/index.ts";
import { silentLogger } from "../../../analytics/platform/base/log.ts";
import { bufferIo, runCli } from "../../../bot/cli/index.ts";
import { FALLBACK_PROMPTS, GREETING } from "../../../bot/slack/assistant.ts";
import { parseConfig } from "../../../env.ts";
import { type Built, build, type Server, startServer } from "../../../main.ts";
import { copyWithKeys, demoDb, type TestDb } from "../../support/db.ts";
import { DEMO, DEMO_NOW } from "../../support/demo.ts";
import { type FakeOpenAI, streamingOpenAI } from "../../support/fake-openai.ts";
import { type Call, FakeSlack, type Posted, TEAM } from "../../support/fake-slack.ts";
import {
  buttonClick,
  CHANNEL,
  eventCallback,
  SIGNING_SECRET,
  type SlackLift,
  slackPost,
  startSlackLift,
  USER,
} from "../../support/slack.ts";

const PANEL = "D0ASSISTANT";
const THREAD = "1763887100.000100";

let t: TestDb | undefined;
let fake: FakeSlack;
let lift: SlackLift | undefined;
beforeEach(async () => {
  fake = await FakeSlack.start();
});
afterEach(async () => {
  await lift?.close();
  lift = undefined;
  await fake.close();
  t?.cleanup();
  t = undefined;
});

/** Posts an Events API callback as Slack does; resolves with how long the ack took. */
async function send(url: string, event: Record<string, unknown>, id: string): Promise<number> {
  const started = performance.now();
  const response = await slackPost(url, JSON.stringify(eventCallback(event, id)), {
    contentType: "application/json",
  });
  expect(response.status).toBe(200);
  return performance.now() - started;
}

/** Slack's assistant_thread_started, the person viewing `viewing`. */
const threadStarted = (viewing: string, thread = THREAD) => ({
  type: "assistant_thread_started",
  assistant_thread: {
    user_id: USER,
    context: { channel_id: viewing, team_id: TEAM, enterprise_id: null },
    channel_id: PANEL,
    thread_ts: thread,
  },
  event_ts: "1763887100.000050",
});

/** A message the person typed in the panel's thread. */
const panelMessage = (text: string, ts: string, thread = THREAD) => ({
  type: "message",
  user: USER,
  text,
  ts,
  thread_ts: thread,
  channel: PANEL,
  channel_type: "im",
  event_ts: ts,
});

/** Slack's function_executed for a Workflow Builder step of Lift's. */
const functionExecuted = (callbackId: string, inputs: Record<string, unknown>, execution: string) => ({
  type: "function_executed",
  function: {
    id: `Fn0${callbackId.toUpperCase()}`,
    callback_id: callbackId,
    title: callbackId,
    description: "",
    type: "app",
    input_parameters: [],
    output_parameters: [],
    app_id: "A0LIFT",
    date_created: 1764576000,
    date_updated: 1764576000,
    date_deleted: 0,
  },
  inputs,
  function_execution_id: execution,
  workflow_execution_id: `Wx${execution}`,
  event_ts: "1763887200.000100",
  bot_access_token: `xwfp-${execution}`,
});

const inThread = (thread = THREAD) =>
  fake.messages.filter((m) => m.channel === PANEL && m.thread_ts === thread);
const indexOf = (probe: (call: Call) => boolean) => fake.calls.findIndex(probe);
const blocksOf = (message: Posted) => JSON.stringify(message.blocks ?? []);

describe("Lift in Slack's assistant panel", () => {
  it("greets a new thread with prompts from the workspace's own data, and follows the channel being viewed", async () => {
    t = demoDb();
    // A channel with a digest subscription and a topic about revenue.
    await t.core.runner().run(`subscribe digest weekly <#C0REVENUE>`, { userId: "cli" });
    fake.topics.set("C0REVENUE", "Weekly revenue and channel digest");
    lift = await startSlackLift(t, fake);

    const ackMs = await send(lift.url, threadStarted(CHANNEL), "Ev0START");
    expect(ackMs).toBeLessThan(3000);
    const greeting = await fake.waitFor(() => inThread()[0]);
    expect(greeting.text).toBe(GREETING);
    const first = await fake.waitFor(() => fake.callsTo("assistant.threads.setSuggestedPrompts")[0]);
    const prompts = first.params["prompts"] as { title: string; message: string }[];
    expect(first.params).toMatchObject({ channel_id: PANEL, thread_ts: THREAD });
    expect(prompts.length).toBe(4);
    // Built from the data: the demo's biggest move yesterday and its running experiments, not fixed strings.
    const fromData = prompts.filter((p) => !FALLBACK_PROMPTS.some((f) => f.message === p.message));
    expect(fromData.length).toBeGreaterThanOrEqual(2);
    expect(fromData.some((p) => /^experiment \S+$/.test(p.message))).toBe(true);
    expect(fromData.some((p) => /^(why |kpi )/.test(p.message))).toBe(true);
    expect(await t.core.conversations.assistantThread(PANEL, THREAD)).toEqual({
      context: { channel_id: CHANNEL, team_id: TEAM, enterprise_id: null },
      titled: false,
    });

    // The person moves to #revenue: its context is kept and its digest comes first (its topic names it).
    await send(
      lift.url,
      {
        ...threadStarted("C0REVENUE"),
        type: "assistant_thread_context_changed",
      },
      "Ev0MOVED",
    );
    const second = await fake.waitFor(() => fake.callsTo("assistant.threads.setSuggestedPrompts")[1]);
    expect((second.params["prompts"] as { message: string }[])[0]!.message).toBe("digest weekly");
    expect((await t.core.conversations.assistantThread(PANEL, THREAD))!.context["channel_id"]).toBe(
      "C0REVENUE",
    );
  });

  it("answers a question with the status first, the title from it, the report in the thread and 👍/👎; follow-ups keep the context", async () => {
    t = demoDb();
    lift = await startSlackLift(t, fake);
    await send(lift.url, threadStarted(CHANNEL), "Ev0START");
    await fake.waitFor(() => inThread()[0]);

    const ackMs = await send(lift.url, panelMessage("revenue last 7 days", "1763887100.000200"), "Ev0ASK");
    expect(ackMs).toBeLessThan(3000);
    const answer = await fake.waitFor(() =>
      inThread().find((m) => m.blocks?.some((b) => b["type"] === "header")),
    );
    expect(answer.text).toMatch(/^Revenue · Last 7 days/);
    const status = indexOf((c) => c.method === "assistant.threads.setStatus");
    const posted = indexOf(
      (c) => c.method === "chat.postMessage" && String(c.params["text"]).startsWith("Revenue"),
    );
    expect(status).toBeGreaterThanOrEqual(0);
    expect(status).toBeLessThan(posted);
    expect(fake.calls[status]!.params).toMatchObject({
      channel_id: PANEL,
      thread_ts: THREAD,
      status: "is reading the numbers…",
    });
    expect(fake.callsTo("assistant.threads.setTitle")[0]!.params).toMatchObject({
      title: "revenue last 7 days",
    });
    // The chart is a file shown in the message; feedback buttons close it.
    expect(answer.blocks!.some((b) => b["type"] === "image")).toBe(true);
    const feedback = answer.blocks!.at(-1)!;
    expect(feedback).toMatchObject({
      type: "context_actions",
      elements: [{ type: "feedback_buttons", action_id: "lift_feedback" }],
    });

    // A follow-up merges with the thread's question; the title is set once.
    await send(lift.url, panelMessage("and by channel?", "1763887100.000300"), "Ev0FOLLOW");
    const followUp = await fake.waitFor(() =>
      inThread().find((m) => m !== answer && m.blocks?.some((b) => b["type"] === "header")),
    );
    expect(followUp.text).toMatch(/^Revenue · Last 7 days by channel/);
    expect(fake.callsTo("assistant.threads.setTitle")).toHaveLength(1);
    expect(fake.callsTo("assistant.threads.setStatus")).toHaveLength(2);

    // 👎 on the follow-up is kept with the question, the command it was read as and its kind.
    const negative = (followUp.blocks!.at(-1) as { elements: { negative_button: { value: string } }[] })
      .elements[0]!.negative_button;
    const click = buttonClick(
      fake,
      { action_id: "lift_feedback", value: negative.value },
      {
        ephemeral: false,
        channel: PANEL,
        messageTs: followUp.ts,
      },
    );
    (click.payload.actions[0] as Record<string, unknown>)["type"] = "feedback_buttons";
    const clickAck = await slackPost(
      lift.url,
      new URLSearchParams({ payload: JSON.stringify(click.payload) }).toString(),
    );
    expect(clickAck.status).toBe(200);
    const thanks = await fake.waitFor(() => fake.responsesTo(click.responseUrl)[0]);
    expect(String(thanks["text"])).toMatch(/^Thanks: noted that this answer was wrong/);
    const report = await t.platform.answer("feedback last 30 days", { userId: "cli" });
    expect(report.table!.rows).toEqual([
      [expect.any(String), "👎", "and by channel?", "kpi revenue last 7 days by channel", "kpi", USER],
    ]);
    // The same list from a terminal, as CSV.
    const io = bufferIo();
    expect(
      await runCli(["feedback", "--csv"], {
        core: t.core,
        runner: t.core.runner(),
        io,
        serverUrl: "http://127.0.0.1:0",
      }),
    ).toBe(0);
    expect(io.stdout.split("\n")[0]).toBe("When,Feedback,Question,Read as,Answer,Person");
    expect(io.stdout).toContain("👎,and by channel?,kpi revenue last 7 days by channel,kpi");
  });

  it("keeps an ordinary DM thread's reply an ordinary answer (no status, no title)", async () => {
    t = demoDb();
    lift = await startSlackLift(t, fake);
    await send(
      lift.url,
      panelMessage("signups last 7 days", "1763887300.000200", "1763887300.000100"),
      "Ev0DM",
    );
    const answer = await fake.waitFor(() => inThread("1763887300.000100")[0]);
    expect(answer.text).toMatch(/^Signups · Last 7 days/);
    expect(fake.callsTo("assistant.threads.setStatus")).toHaveLength(0);
    expect(fake.callsTo("assistant.threads.setTitle")).toHaveLength(0);
  });
});

describe("Lift's Workflow Builder steps", () => {
  const manifest = parse(readFileSync(new URL("../../../manifest.yml", import.meta.url), "utf8")) as {
    functions: Record<string, { output_parameters: Record<string, { is_required?: boolean }> }>;
  };
  const declared = (callbackId: string) =>
    Object.keys(manifest.functions[callbackId]!.output_parameters).sort();

  it("lift_ask completes with the answer, its headline figure and the command, with the step's own token", async () => {
    t = demoDb();
    lift = await startSlackLift(t, fake);
    const ackMs = await send(
      lift.url,
      functionExecuted("lift_ask", { question: "revenue last week vs the week before" }, "Fx0ASK"),
      "Ev0FN1",
    );
    expect(ackMs).toBeLessThan(3000);
    const done = await fake.waitFor(() => fake.callsTo("functions.completeSuccess")[0]);
    expect(done.token).toBe("xwfp-Fx0ASK");
    const outputs = done.params["outputs"] as Record<string, string>;
    const expected = await t.platform.answer("revenue last week vs the week before", { userId: "cli" });
    expect(outputs["answer"]).toBe(expected.summary);
    expect(outputs["value"]).toBe(`${expected.facts[0]!.value} (${expected.facts[0]!.change!.text})`);
    expect(outputs["command"]).toBe(expected.command);
    expect(Object.keys(outputs).sort()).toEqual(declared("lift_ask"));
    expect(fake.callsTo("functions.completeError")).toHaveLength(0);
  });

  it("lift_ask fails with a reason a marketer can read when Lift cannot answer, or when the step would change something", async () => {
    t = demoDb();
    lift = await startSlackLift(t, fake);
    await send(
      lift.url,
      functionExecuted("lift_ask", { question: "what's the weather in Paris" }, "Fx0NO"),
      "Ev0FN2",
    );
    await send(
      lift.url,
      functionExecuted("lift_ask", { question: "send an email to churned customers" }, "Fx0ACT"),
      "Ev0FN3",
    );
    await send(
      lift.url,
      functionExecuted("lift_ask", { question: "subscribe digest daily 09:00" }, "Fx0SUB"),
      "Ev0FN4",
    );
    const errors = await fake.waitFor(() => {
      const calls = fake.callsTo("functions.completeError");
      return calls.length === 3 ? calls : null;
    });
    const byExecution = Object.fromEntries(
      errors.map((c) => [String(c.params["function_execution_id"]), String(c.params["error"])]),
    );
    expect(byExecution["Fx0NO"]).toMatch(/^I could not read “what's the weather in Paris” as a question/);
    expect(byExecution["Fx0ACT"]).toMatch(/^Lift can't send/);
    expect(byExecution["Fx0SUB"]).toMatch(/^A workflow step only reads/);
    expect(fake.callsTo("functions.completeSuccess")).toHaveLength(0);
  });

  it("lift_report posts the report with its chart to the channel and completes with the message", async () => {
    t = demoDb();
    lift = await startSlackLift(t, fake);
    await send(
      lift.url,
      functionExecuted(
        "lift_report",
        { command: "revenue last week vs the week before", channel: "C0MONDAY" },
        "Fx0REP",
      ),
      "Ev0FN5",
    );
    const done = await fake.waitFor(() => fake.callsTo("functions.completeSuccess")[0]);
    const posted = fake.messages.find((m) => m.channel === "C0MONDAY")!;
    expect(posted.blocks!.some((b) => b["type"] === "image")).toBe(true);
    expect(blocksOf(posted)).toContain("Posted by a workflow");
    const outputs = done.params["outputs"] as Record<string, string>;
    expect(outputs["message_ts"]).toBe(posted.ts);
    expect(Object.keys(outputs).sort()).toEqual(declared("lift_report"));
    // Its thread takes follow-ups like any answer's.
    expect(await t.core.conversations.lastCommand("C0MONDAY", posted.ts)).toMatch(/^kpi revenue/);

    await send(
      lift.url,
      functionExecuted("lift_report", { command: "revenue last week" }, "Fx0NOCH"),
      "Ev0FN6",
    );
    const error = await fake.waitFor(() => fake.callsTo("functions.completeError")[0]);
    expect(error.params["error"]).toMatch(/no channel/);
  });
});

describe("A language model's answer in the panel, through the server's answer thread", () => {
  let dir: string;
  let built: Built | undefined;
  let server: Server | undefined;
  let model: FakeOpenAI | undefined;
  afterEach(async () => {
    await server?.close();
    await built?.close();
    await model?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("streams the checked sentences in order as they are written and ends with the grounded report", async () => {
    let revenue = "";
    model = await streamingOpenAI([
      () => ({
        toolCalls: [
          { id: "call_1", name: "kpi_query", args: ['{"metrics":["rev', 'enue"],"period":"last 7 days"}'] },
        ],
      }),
      (body) => {
        const tool = body.messages.find((m) => m.role === "tool")!;
        revenue = /Revenue: (\$[\d,.]+)/.exec(tool.content!)![1]!;
        return {
          text: [
            "Revenue came ",
            `to ${revenue} in the last 7 da`,
            "ys. It will reach $9,999,999 tomorrow. ",
            "Paid search led the ",
            "day.",
          ],
        };
      },
    ]);
    dir = mkdtempSync(join(tmpdir(), "lift-assistant-"));
    copyWithKeys(inject("demoDbPath"), join(dir, "lift.db"));
    const config = parseConfig(
      {
        DATABASE_URL: join(dir, "lift.db"),
        LIFT_TIMEZONE: DEMO.timeZone,
        LIFT_CURRENCY: DEMO.currency,
        SLACK_BOT_TOKEN: "xoxb-e2e-token-0000",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        OPENAI_API_KEY: "sk-test",
        OPENAI_BASE_URL: model.url,
        LIFT_LLM_MODEL: "test-model",
      },
      CAPABILITIES,
    );
    built = await build(config, { logger: silentLogger(), now: () => DEMO_NOW, answerThread: true });
    server = await startServer(built, { port: 0, host: "127.0.0.1" });
    await send(server.url, threadStarted(CHANNEL), "Ev0START");
    await fake.waitFor(() => inThread()[0]);

    await send(
      server.url,
      panelMessage("how much money came in over the past week, roughly?", "1763887100.000200"),
      "Ev0ASK",
    );
    const streamed = await fake.waitFor(() =>
      fake.messages.find((m) => m.channel === PANEL && m.thread_ts === THREAD && m.streaming === false),
    );
    expect(model.bodies.every((b) => b.stream === true)).toBe(true);
    // Sentence by sentence, in order: the first starts the stream, the next is appended; the
    // sentence with a number not in the figures is never shown.
    const start = fake.callsTo("chat.startStream")[0]!;
    expect(start.params).toMatchObject({ channel: PANEL, thread_ts: THREAD, recipient_user_id: USER });
    const pieces = [start, ...fake.callsTo("chat.appendStream")].map((c) =>
      (c.params["chunks"] as { text: string }[]).map((chunk) => chunk.text).join(""),
    );
    expect(pieces).toEqual([`Revenue came to ${revenue} in the last 7 days.`, " Paid search led the day."]);
    expect(JSON.stringify(fake.calls.map((c) => c.params))).not.toContain("9,999,999");
    // It ends with the grounded report: its figures (the revenue the tool returned), 👍/👎 last.
    const stop = fake.callsTo("chat.stopStream")[0]!;
    expect(fake.calls.indexOf(stop)).toBeGreaterThan(
      fake.calls.indexOf(fake.callsTo("chat.appendStream")[0]!),
    );
    expect(streamed.text).toBe(`Revenue came to ${revenue} in the last 7 days. Paid search led the day.`);
    const blocks = JSON.stringify(streamed.blocks);
    expect(blocks).toContain(revenue);
    expect(blocks).not.toContain("Revenue came to");
    expect(streamed.blocks!.at(-1)).toMatchObject({ type: "context_actions" });
    // The chart follows in the thread as a file.
    const file = await fake.waitFor(() => fake.callsTo("files.completeUploadExternal")[0]);
    expect(file.params).toMatchObject({ channel_id: PANEL, thread_ts: THREAD });
  });
});
