import type { Db } from "../../../db/client.ts";
import {
  type DeliveryRow,
  failedDeliveries,
  feedItemByKey,
  insertFeedItem,
  listFeed,
} from "../../../db/platform/queries/deliveries.ts";
import type { Report } from "../reports/report.ts";
import type { Delivered, Notifier } from "./notifier.ts";

export interface FeedItem {
  id: number;
  key: string;
  destination: string;
  kind: string;
  report: Report;
  replyTo: string | null;
  at: number;
}

export interface FailedDelivery {
  key: string;
  destination: string;
  kind: string;
  title: string;
  error: string | null;
  attempts: number;
  at: number;
}

/**
 * The local Notifier: what would have gone to Slack lands in the console's feed
 * (a table), once per idempotency key.
 */
export class ConsoleFeed implements Notifier {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async deliver(
    destination: string,
    report: Report,
    options: { idempotencyKey: string; replyTo?: Delivered | undefined },
  ): Promise<Delivered> {
    const row = await insertFeedItem(this.db, {
      idempotencyKey: options.idempotencyKey,
      destination,
      kind: report.kind,
      report: JSON.stringify(report),
      replyTo: options.replyTo?.ref ?? null,
      at: this.now(),
    });
    return { ref: String(row.id) };
  }

  async wasDelivered(_destination: string, idempotencyKey: string): Promise<Delivered | null> {
    const row = await feedItemByKey(this.db, idempotencyKey);
    return row ? { ref: String(row.id) } : null;
  }

  async list(limit = 50): Promise<FeedItem[]> {
    return (await listFeed(this.db, limit)).map((row) => ({
      id: row.id,
      key: row.idempotencyKey,
      destination: row.destination,
      kind: row.kind,
      report: JSON.parse(row.report) as Report,
      replyTo: row.replyTo,
      at: row.at,
    }));
  }
}

export async function listFailedDeliveries(db: Db, limit = 20): Promise<FailedDelivery[]> {
  return (await failedDeliveries(db, limit)).map((row: DeliveryRow) => ({
    key: row.idempotencyKey,
    destination: row.destination,
    kind: row.kind,
    title: (JSON.parse(row.report) as Report).title,
    error: row.lastError,
    attempts: row.attempts,
    at: row.updatedAt,
  }));
}

/** Sends each destination to its Notifier: "console" to the console's feed, anything else to `other`. */
export function routeNotifier(consoleFeed: Notifier, other: Notifier | null): Notifier {
  const pick = (destination: string) => (destination === "console" || !other ? consoleFeed : other);
  return {
    deliver: (destination, report, options) => pick(destination).deliver(destination, report, options),
    wasDelivered: (destination, key, replyTo) => pick(destination).wasDelivered(destination, key, replyTo),
  };
}
