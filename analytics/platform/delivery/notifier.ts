import type { Report } from "../reports/report.ts";

/** Where a delivered message is, in the transport's terms (Slack's message ts, a feed id). */
export interface Delivered {
  ref: string;
}

/**
 * How jobs send: implemented by the Slack transport and by the local console.
 * A job never formats a message itself.
 */
export interface Notifier {
  /** Posts the report once; `idempotencyKey` travels with the message so it can be found again. */
  deliver(
    destination: string,
    report: Report,
    options: { idempotencyKey: string; replyTo?: Delivered | undefined },
  ): Promise<Delivered>;
  /** After an unclear failure: was the message with this key posted after all (in `replyTo`'s thread, for a reply)? */
  wasDelivered(destination: string, idempotencyKey: string, replyTo?: Delivered): Promise<Delivered | null>;
}

/**
 * A failed delivery, classified: `transient` (retry later: 429, a 5xx), `unclear`
 * (it may have been posted: a timeout; check before retrying), `permanent`
 * (retrying cannot help: the channel is gone, Lift is not in it).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly kind: "transient" | "unclear" | "permanent",
    readonly code: string | null,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}
