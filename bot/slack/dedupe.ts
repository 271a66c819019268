import type { App } from "@slack/bolt";
import type { Logger } from "../../analytics/platform/base/log.ts";
import type { Conversations } from "../../analytics/platform/slack-threads/index.ts";

/**
 * Runs each Slack event once. Slack redelivers an event it believes was lost
 * (HTTP: `x-slack-retry-num`; Socket Mode: `retry_attempt`), and Bolt hands
 * every delivery to the listeners. The event's `event_id` is claimed in the
 * database first: a delivery of an event that is running or done is skipped,
 * one whose earlier try failed is handled again.
 */
export function registerDedupe(app: App, conversations: Conversations, logger: Logger): void {
  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId !== "string") {
      await next();
      return;
    }
    const claim = await conversations.claimEvent(eventId);
    if (claim !== "claimed") {
      logger.info(
        { eventId, retryNum: context.retryNum, retryReason: context.retryReason, claim },
        "skipped a Slack event already handled",
      );
      return;
    }
    try {
      await next();
    } catch (error) {
      await conversations.finishEvent(eventId, false);
      throw error;
    }
    await conversations.finishEvent(eventId, true);
  });
}
