import type { App, BlockAction } from "@slack/bolt";
import { codeSpan, type SlackDeps, showsPeopleIn } from "../answers.ts";
import { feedbackOption, postedAnswerButtons } from "../buttons.ts";
import { explainSlackError, slackErrorCode } from "../errors.ts";
import { postReport } from "../post.ts";
import { ACTIONS, type Registered, SLASH_COMMAND } from "../surface.ts";
import { clickedIn, storedAnswer } from "./context.ts";

/**
 * "Post to channel" under a private answer: the stored answer (the numbers the
 * person saw, never a rerun) with its chart, in the channel, opening a thread.
 */
export function registerPostToChannel(app: App, deps: SlackDeps): Registered {
  app.action<BlockAction>(ACTIONS.postToChannel, async ({ ack, body, action, client, respond }) => {
    await ack();
    const say = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
    const place = clickedIn(body);
    const channel = place.kind === "home" ? undefined : place.channel;
    if (!channel) return void (await say("I can't tell which channel to post to; ask again there."));
    const read = await deps.access.check(client, body.user.id, channel);
    if (!read.ok) return void (await say(read.message));
    const stored = await storedAnswer(deps, action);
    if (typeof stored === "string") return void (await say(stored));
    if (showsPeopleIn(deps, stored.command))
      return void (await say(
        "This answer shows who people are, so it stays private: it can't be posted to a channel. Share the command with an analyst instead.",
      ));
    try {
      const posted = await postReport(client, { channel }, stored.report, {
        buttons: postedAnswerButtons(stored.report),
        ...feedbackOption(stored.report),
        chart: (spec) => deps.runner.chart(spec),
        footer: `Asked by <@${body.user.id}> with ${codeSpan(`${SLASH_COMMAND} ${stored.command}`)}`,
      });
      await deps.conversations.remember(posted.channel, posted.ts, stored.command, body.user.id);
      await respond({
        response_type: "ephemeral",
        replace_original: true,
        text: `Posted to <#${posted.channel}>. Ask follow-ups in its thread by mentioning @Lift (“@Lift and by campaign?”).`,
      });
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn({ code, channel }, "could not post an answer to a channel");
      await say(explainSlackError(code));
    }
  });
  return { interactivity: true };
}
