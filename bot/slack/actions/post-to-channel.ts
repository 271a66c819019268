import type { App, BlockAction } from "@slack/bolt";
import { answer, codeSpan, type SlackDeps } from "../answers.ts";
import { postedAnswerButtons } from "../buttons.ts";
import { explainSlackError, slackErrorCode } from "../errors.ts";
import { postReport } from "../post.ts";
import { ACTIONS, type Registered, SLASH_COMMAND } from "../surface.ts";
import { buttonCommand, clickedIn } from "./context.ts";

/** "Post to channel" under a private answer: the answer with its chart, in the channel, opening a thread. */
export function registerPostToChannel(app: App, deps: SlackDeps): Registered {
  app.action<BlockAction>(ACTIONS.postToChannel, async ({ ack, body, action, client, respond }) => {
    await ack();
    const place = clickedIn(body);
    const channel = place.kind === "home" ? undefined : place.channel;
    if (!channel) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: "I can't tell which channel to post to; ask again there.",
      });
      return;
    }
    const command = buttonCommand(action);
    const outcome = await answer(deps, client, { text: command, userId: body.user.id, channelId: channel });
    if (!outcome.ok) {
      await respond({ response_type: "ephemeral", replace_original: false, text: outcome.message });
      return;
    }
    try {
      const posted = await postReport(client, { channel }, outcome.report, {
        buttons: postedAnswerButtons(outcome.report, outcome.command),
        chart: (spec) => deps.runner.chart(spec),
        footer: `Asked by <@${body.user.id}> with ${codeSpan(`${SLASH_COMMAND} ${outcome.command}`)}`,
      });
      await deps.conversations.remember(posted.channel, posted.ts, outcome.command, body.user.id);
      await respond({
        response_type: "ephemeral",
        replace_original: true,
        text: `Posted to <#${posted.channel}>. Ask follow-ups in its thread by mentioning @Lift (“@Lift and by campaign?”).`,
      });
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn({ code, channel }, "could not post an answer to a channel");
      await respond({ response_type: "ephemeral", replace_original: false, text: explainSlackError(code) });
    }
  });
  return { interactivity: true };
}
