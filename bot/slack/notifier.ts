import type { WebClient } from "@slack/web-api";
import type { CommandRunner } from "../../analytics/platform/commands/index.ts";
import { type Delivered, DeliveryError, type Notifier } from "../../analytics/platform/delivery/notifier.ts";
import type { Report } from "../../analytics/platform/reports/report.ts";
import { slackErrorCode } from "./errors.ts";
import { postReport } from "./post.ts";

/** The message metadata type Lift's deliveries carry their idempotency key in. */
export const DELIVERY_EVENT = "lift_delivery";

/** Errors that no retry can fix. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "account_inactive",
  "missing_scope",
  "restricted_action",
  "cant_post_in_channel",
  "msg_too_long",
  "invalid_blocks",
  "invalid_arguments",
  "no_text",
]);

/** Turns a failed Web API call into a retry decision. */
export function classify(error: unknown): DeliveryError {
  const code = slackErrorCode(error);
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; message?: string };
  const message = e?.message ?? String(error);
  if (code === "ratelimited")
    return new DeliveryError(message, "transient", code, (e.retryAfter ?? 30) * 1000);
  if (code && PERMANENT.has(code)) return new DeliveryError(message, "permanent", code);
  // A 5xx or a dropped connection may have posted the message: check before trying again.
  if (
    code?.startsWith("http_5") ||
    code === "request_error" ||
    code === "internal_error" ||
    code === "fatal_error" ||
    code === "service_unavailable"
  ) {
    return new DeliveryError(message, "unclear", code);
  }
  return new DeliveryError(message, code ? "transient" : "unclear", code);
}

/**
 * Scheduled and alert messages in Slack: one chat.postMessage carrying the
 * text, the chart (uploaded unshared and shown through an image block) and the
 * idempotency key in its `metadata`; details follow in the thread.
 */
export function slackNotifier(client: WebClient, runner: CommandRunner): Notifier {
  return {
    async deliver(
      destination: string,
      report: Report,
      options: { idempotencyKey: string; replyTo?: Delivered | undefined },
    ) {
      try {
        const posted = await postReport(
          client,
          { channel: destination, threadTs: options.replyTo?.ref },
          report,
          {
            chart: (spec) => runner.chart(spec),
            metadata: { event_type: DELIVERY_EVENT, event_payload: { key: options.idempotencyKey } },
          },
        );
        return { ref: posted.ts };
      } catch (error) {
        throw classify(error);
      }
    },

    async wasDelivered(destination: string, idempotencyKey: string, replyTo?: Delivered) {
      try {
        // Lift posts little: its last 100 messages in the channel (or the thread, for a reply) cover any retry window.
        const history = replyTo
          ? await client.conversations.replies({
              channel: destination,
              ts: replyTo.ref,
              limit: 100,
              include_all_metadata: true,
            })
          : await client.conversations.history({
              channel: destination,
              limit: 100,
              include_all_metadata: true,
            });
        const found = (history.messages ?? []).find((message) => {
          const metadata = (
            message as { metadata?: { event_type?: string; event_payload?: { key?: string } } }
          ).metadata;
          return metadata?.event_type === DELIVERY_EVENT && metadata.event_payload?.key === idempotencyKey;
        });
        return found?.ts ? { ref: found.ts } : null;
      } catch (error) {
        throw classify(error);
      }
    },
  };
}
