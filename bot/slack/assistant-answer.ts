import type { ChatStreamer, WebClient } from "@slack/web-api";
import { reportFilename } from "../../analytics/platform/reports/files.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import { renderBlocks } from "../render/blocks.ts";
import { answer, failureMessage, type SlackDeps } from "./answers.ts";
import { feedbackOption, postedAnswerButtons } from "./buttons.ts";
import { explainSlackError, slackErrorCode } from "./errors.ts";
import { postReport, postThreadText, uploadFile } from "./post.ts";
import { inContext } from "./reply.ts";

export interface AssistantAsk {
  channel: string;
  threadTs: string;
  userId: string;
  text: string;
  teamId?: string | undefined;
}

/** The summary without the sentences already streamed above it. */
function afterLead(report: Report): Report {
  const lead = (report.lead ?? []).join(" ");
  if (!lead || !report.summary.startsWith(lead)) return report;
  return { ...report, summary: report.summary.slice(lead.length).trim() };
}

/**
 * Sentences streamed into one message as they arrive (chat.startStream with the
 * first, chat.appendStream with each next, in order); nothing is sent until a
 * sentence comes, so an answer without a language model is posted whole.
 */
class SentenceStream {
  private streamer: ChatStreamer | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private failed: unknown = null;
  count = 0;

  constructor(
    private readonly client: WebClient,
    private readonly ask: AssistantAsk,
  ) {}

  get started(): boolean {
    return this.streamer !== null;
  }

  add(sentence: string): void {
    this.streamer ??= this.client.chatStream({
      channel: this.ask.channel,
      thread_ts: this.ask.threadTs,
      recipient_user_id: this.ask.userId,
      ...(this.ask.teamId ? { recipient_team_id: this.ask.teamId } : {}),
      // Each sentence goes out as soon as it is checked.
      buffer_size: 1,
    });
    const piece = this.count++ === 0 ? sentence : ` ${sentence}`;
    const streamer = this.streamer;
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await streamer.append({ markdown_text: piece });
      } catch (error) {
        this.failed = error;
      }
    });
  }

  /** Waits for every sentence to be sent; the first failure, if any. */
  async settle(): Promise<unknown> {
    await this.chain;
    return this.failed;
  }

  /** Ends the streamed message with the report's figures and buttons under the sentences. */
  async stop(report: Report): Promise<string | undefined> {
    const message = renderBlocks(afterLead(report), {
      buttons: postedAnswerButtons(report),
      ...feedbackOption(report),
    });
    await this.streamer?.stop({ blocks: message.blocks });
    return this.streamer?.ts;
  }

  /** Ends the streamed message with a sentence saying why the answer stopped. */
  async abandon(text: string): Promise<void> {
    if (!this.streamer) return;
    try {
      await this.streamer.stop({ markdown_text: `\n\n${text}` });
    } catch {
      // The stream itself is what failed; the caller tells the person another way.
    }
  }
}

/**
 * Answers a question in an assistant-panel thread: follow-ups keep the
 * thread's last command; a language model's checked sentences stream in as
 * they are written, and the message ends with the grounded report (its chart
 * shared in the thread as a file); any other answer is posted whole with its
 * chart. Every answer carries 👍/👎. Failures are told in the thread.
 */
export async function answerInAssistantThread(
  deps: SlackDeps,
  client: WebClient,
  ask: AssistantAsk,
): Promise<void> {
  const asked = await inContext(deps, { ...ask, inThread: true });
  const stream = new SentenceStream(client, ask);
  const outcome = await answer(deps, client, {
    ...asked,
    userId: ask.userId,
    channelId: ask.channel,
    onSentence: (sentence) => stream.add(sentence),
  });
  const streamFailed = await stream.settle();
  const say = (text: string) =>
    client.chat.postMessage({ channel: ask.channel, thread_ts: ask.threadTs, text });
  if (!outcome.ok) {
    if (stream.started) await stream.abandon(outcome.message);
    else
      await client.chat.postMessage({
        channel: ask.channel,
        thread_ts: ask.threadTs,
        ...failureMessage(outcome),
      });
    return;
  }
  const report = outcome.report;
  try {
    if (stream.started && !streamFailed) {
      const ts = await stream.stop(report);
      const spec = report.charts[0];
      if (spec) {
        await uploadFile(
          client,
          { data: await deps.runner.chart(spec), filename: reportFilename(report, "png"), title: spec.title },
          { channel: ask.channel, threadTs: ask.threadTs },
        );
      }
      const rendered = renderBlocks(afterLead(report));
      const rest = rendered.followUp ?? (report.details?.length ? report.details.join("\n") : null);
      if (rest) await postThreadText(client, ask.channel, ask.threadTs, rest);
      deps.logger.debug({ sentences: stream.count, ts }, "assistant panel: streamed an answer");
    } else {
      if (streamFailed) {
        deps.logger.warn({ code: slackErrorCode(streamFailed) }, "assistant panel: streaming failed");
        await stream.abandon("(The rest of this answer follows below.)");
      }
      await postReport(client, { channel: ask.channel, threadTs: ask.threadTs }, report, {
        buttons: postedAnswerButtons(report),
        ...feedbackOption(report),
        chart: (spec) => deps.runner.chart(spec),
      });
    }
    await deps.conversations.remember(ask.channel, ask.threadTs, outcome.command, ask.userId);
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ code }, "assistant panel: could not post an answer");
    await say(explainSlackError(code)).catch(() => undefined);
  }
}
