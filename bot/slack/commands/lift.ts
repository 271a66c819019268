import type { App } from "@slack/bolt";
import { answer, failureMessage, type SlackDeps } from "../answers.ts";
import { privateAnswer } from "../buttons.ts";
import { type Registered, SLASH_COMMAND } from "../surface.ts";

/**
 * `/lift …`: acknowledged at once (Slack allows 3 s), then answered privately
 * through the response_url, with buttons to post it to the channel, get the
 * chart, or get the data as CSV. An ephemeral message cannot carry a file or a
 * thread, so the chart comes with "Post to channel" or "Send chart to me".
 */
export function registerLiftCommand(app: App, deps: SlackDeps): Registered {
  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const outcome = await answer(deps, client, {
      text: command.text,
      userId: command.user_id,
      channelId: command.channel_id,
    });
    if (!outcome.ok) {
      await respond({ response_type: "ephemeral", ...failureMessage(outcome) });
      return;
    }
    await respond({ response_type: "ephemeral", ...privateAnswer(outcome.report) });
  });
  return { commands: [SLASH_COMMAND] };
}
