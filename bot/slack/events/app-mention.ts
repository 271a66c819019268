import type { App } from "@slack/bolt";
import { plainText, type SlackDeps } from "../answers.ts";
import { answerInThread } from "../reply.ts";
import type { Registered } from "../surface.ts";

/**
 * "@Lift revenue by channel" in a channel: answered in a thread with the chart.
 * In channels Lift only hears mentions, so it never needs to read every message;
 * a follow-up in the thread mentions Lift again and keeps the thread's context.
 */
export function registerAppMention(app: App, deps: SlackDeps): Registered {
  app.event("app_mention", async ({ event, client }) => {
    if (!event.user || event.bot_id) return;
    await answerInThread(deps, client, {
      channel: event.channel,
      threadTs: event.thread_ts ?? event.ts,
      inThread: event.thread_ts !== undefined,
      userId: event.user,
      text: plainText(event.text),
    });
  });
  return { events: ["app_mention"] };
}
