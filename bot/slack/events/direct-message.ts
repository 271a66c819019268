import type { App } from "@slack/bolt";
import { plainText, type SlackDeps } from "../answers.ts";
import { answerInThread } from "../reply.ts";
import type { Registered } from "../surface.ts";

/** A DM to Lift: answered in a thread with the chart; replies in that thread keep its context. */
export function registerDirectMessage(app: App, deps: SlackDeps): Registered {
  app.event("message", async ({ event, client }) => {
    // Only people's own new messages in DMs: not edits, deletions, joins or other bots (nor Lift itself).
    if (event.channel_type !== "im" || event.subtype !== undefined) return;
    if ("bot_id" in event && event.bot_id) return;
    const text = "text" in event && typeof event.text === "string" ? event.text : "";
    if (!("user" in event) || !event.user || text.trim() === "") return;
    const threadTs =
      "thread_ts" in event && typeof event.thread_ts === "string" ? event.thread_ts : undefined;
    await answerInThread(deps, client, {
      channel: event.channel,
      threadTs: threadTs ?? event.ts,
      inThread: threadTs !== undefined,
      userId: event.user,
      text: plainText(text),
    });
  });
  return { events: ["message.im"] };
}
