import type { WebClient } from "@slack/web-api";
import { followUpCommand } from "../../analytics/platform/commands/index.ts";
import { answer, failureMessage, type SlackDeps } from "./answers.ts";
import { feedbackOption, postedAnswerButtons } from "./buttons.ts";
import { explainSlackError, slackErrorCode } from "./errors.ts";
import { postReport } from "./post.ts";

export interface ThreadAsk {
  channel: string;
  /** The thread to answer in (the asking message's own ts when it is not in a thread yet); none: top level. */
  threadTs?: string | undefined;
  /** Whether the ask was itself a reply in an existing thread (so the thread's context applies). */
  inThread: boolean;
  userId: string;
  text: string;
}

/**
 * What a reply in a thread asks: merged with the thread's last command when the
 * grammar can ("and by campaign?"), else passed to ask with that command as
 * `previous`, so it keeps the context.
 */
export async function inContext(
  deps: SlackDeps,
  ask: Pick<ThreadAsk, "channel" | "threadTs" | "inThread" | "text">,
): Promise<{ text: string; previous?: string; asked?: string }> {
  if (!ask.inThread || !ask.threadTs) return { text: ask.text };
  const previous = await deps.conversations.lastCommand(ask.channel, ask.threadTs);
  if (!previous) return { text: ask.text };
  const text = followUpCommand(deps.core.commands, previous, ask.text, deps.core.today());
  return text === ask.text ? { text, previous } : { text, asked: ask.text };
}

/**
 * Answers a mention, a DM or a button in a thread, with the chart. A reply in
 * a thread Lift answered before keeps that thread's context ("and by campaign?").
 * Problems are told to the person; only if even that fails does this throw
 * (so the event is marked failed and a Slack retry may handle it).
 */
export async function answerInThread(deps: SlackDeps, client: WebClient, ask: ThreadAsk): Promise<void> {
  const outcome = await answer(deps, client, {
    ...(await inContext(deps, ask)),
    userId: ask.userId,
    channelId: ask.channel,
  });
  const thread = ask.threadTs ? { thread_ts: ask.threadTs } : {};
  const tellPrivately = (message: string) =>
    client.chat.postEphemeral({ channel: ask.channel, user: ask.userId, ...thread, text: message });
  if (!outcome.ok) {
    // A misread question is part of the conversation; a refusal or our failure is for the asker only.
    if (outcome.kind === "invalid") {
      await client.chat.postMessage({ channel: ask.channel, ...thread, ...failureMessage(outcome) });
    } else await tellPrivately(outcome.message);
    return;
  }
  try {
    const posted = await postReport(
      client,
      { channel: ask.channel, threadTs: ask.threadTs },
      outcome.report,
      {
        buttons: postedAnswerButtons(outcome.report),
        ...feedbackOption(outcome.report),
        chart: (spec) => deps.runner.chart(spec),
      },
    );
    await deps.conversations.remember(posted.channel, ask.threadTs ?? posted.ts, outcome.command, ask.userId);
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ code, channel: ask.channel }, "could not post an answer in a thread");
    await tellPrivately(explainSlackError(code));
  }
}
