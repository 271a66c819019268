import type { App, BlockAction } from "@slack/bolt";
import { answer, failureMessage, type SlackDeps } from "../answers.ts";
import { privateAnswer } from "../buttons.ts";
import { answerInThread } from "../reply.ts";
import { ACTIONS, type Registered } from "../surface.ts";
import { buttonCommand, clickedIn } from "./context.ts";

/**
 * A report's own buttons ("by campaign", help's examples, the home's quick
 * questions) run their command where they were clicked: privately under a
 * private answer, in the thread under a posted one, in the DM from the home.
 */
export function registerRunCommand(app: App, deps: SlackDeps): Registered {
  app.action<BlockAction>(ACTIONS.runCommand, async ({ ack, body, action, client, respond }) => {
    await ack();
    const command = buttonCommand(action);
    const userId = body.user.id;
    const place = clickedIn(body);
    if (place.kind === "message") {
      await answerInThread(deps, client, {
        channel: place.channel,
        threadTs: place.threadTs,
        inThread: false,
        userId,
        text: command,
      });
      return;
    }
    if (place.kind === "home") {
      const opened = await client.conversations.open({ users: userId });
      const dm = opened.channel?.id;
      if (!dm) throw new Error("conversations.open returned no channel");
      await answerInThread(deps, client, { channel: dm, inThread: false, userId, text: command });
      return;
    }
    const outcome = await answer(deps, client, { text: command, userId, channelId: place.channel });
    if (!outcome.ok) {
      await respond({ response_type: "ephemeral", replace_original: false, ...failureMessage(outcome) });
      return;
    }
    await respond({
      response_type: "ephemeral",
      replace_original: false,
      ...privateAnswer(outcome.report),
    });
  });
  return { interactivity: true };
}
