import type { Db } from "../../../db/client.ts";
import {
  claimDeliveries,
  type DeliveryRow,
  deliveryByKey,
  enqueueDelivery,
  markDeliveryFailed,
  markDeliveryRetry,
  markDeliverySent,
} from "../../../db/platform/queries/deliveries.ts";
import type { Logger } from "../base/log.ts";
import type { Report } from "../reports/report.ts";
import { DeliveryError, type Notifier } from "./notifier.ts";

/** Tries before a delivery is given up and shown as failed. */
export const MAX_ATTEMPTS = 6;
/** First retry after 30 s, doubling, at most 30 min apart (≈ 1 h of tries in all). */
const BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 30 * 60_000;
/** How long a sender holds a claimed delivery before another process may take it over. */
const LEASE_MS = 2 * 60_000;

export interface QueuedMessage {
  idempotencyKey: string;
  destination: string;
  subscriptionId: number | null;
  kind: string;
  report: Report;
  /** The key of the message this one answers in its thread. */
  replyTo?: string | null;
}

export function backoffMs(attempts: number): number {
  return Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** attempts);
}

/**
 * The one queue every scheduled or alert message goes through, in the database:
 * a restart loses nothing (pending rows stay), and doubles nothing (each
 * message's key is checked with the transport after an unclear failure).
 */
export class DeliveryQueue {
  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  async enqueue(message: QueuedMessage, now: number): Promise<boolean> {
    return enqueueDelivery(
      this.db,
      {
        idempotencyKey: message.idempotencyKey,
        destination: message.destination,
        subscriptionId: message.subscriptionId,
        kind: message.kind,
        report: JSON.stringify(message.report),
        replyTo: message.replyTo ?? null,
      },
      now,
    );
  }

  /** Sends what is due; returns how many were sent. */
  async process(
    notifier: Notifier,
    now: number,
    limit = 20,
  ): Promise<{ sent: number; retried: number; failed: number }> {
    const counts = { sent: 0, retried: 0, failed: 0 };
    for (const row of await claimDeliveries(this.db, now, LEASE_MS, limit)) {
      counts[await this.send(notifier, row, now)]++;
    }
    return counts;
  }

  private async send(
    notifier: Notifier,
    row: DeliveryRow,
    now: number,
  ): Promise<"sent" | "retried" | "failed"> {
    const log = {
      delivery: row.id,
      key: row.idempotencyKey,
      destination: row.destination,
      attempt: row.attempts + 1,
    };
    try {
      let replyTo: { ref: string } | undefined;
      if (row.replyTo) {
        const parent = await deliveryByKey(this.db, row.replyTo);
        if (parent?.status === "sent" && parent.sentRef) replyTo = { ref: parent.sentRef };
        else if (parent && parent.status !== "failed") {
          // The message it answers is not out yet: wait for it.
          await markDeliveryRetry(
            this.db,
            row.id,
            {
              nextAttemptAt: now + BACKOFF_MS,
              error: "waiting for the message it replies to",
              unclear: false,
            },
            now,
          );
          return "retried";
        }
      }
      if (row.unclear) {
        const found = await notifier.wasDelivered(row.destination, row.idempotencyKey, replyTo);
        if (found) {
          this.logger.info(log, "a delivery that timed out had been posted; not posting it again");
          await markDeliverySent(this.db, row.id, found.ref, now);
          return "sent";
        }
      }
      const delivered = await notifier.deliver(row.destination, JSON.parse(row.report) as Report, {
        idempotencyKey: row.idempotencyKey,
        replyTo,
      });
      await markDeliverySent(this.db, row.id, delivered.ref, now);
      return "sent";
    } catch (error) {
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError(error instanceof Error ? error.message : String(error), "unclear", null);
      const detail = failure.code ?? failure.message;
      if (failure.kind === "permanent" || row.attempts + 1 >= MAX_ATTEMPTS) {
        this.logger.error({ ...log, code: failure.code }, "a delivery failed for good");
        await markDeliveryFailed(this.db, row.id, detail, now);
        return "failed";
      }
      const wait = Math.max(failure.retryAfterMs ?? 0, backoffMs(row.attempts));
      this.logger.warn({ ...log, code: failure.code, retryInMs: wait }, "a delivery will be retried");
      await markDeliveryRetry(
        this.db,
        row.id,
        { nextAttemptAt: now + wait, error: detail, unclear: failure.kind === "unclear" },
        now,
      );
      return "retried";
    }
  }
}
