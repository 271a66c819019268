import type { Db } from "../../../db/client.ts";
import { dataExtents } from "../../../db/platform/queries/metrics.ts";
import { formatAgo, formatDay } from "../base/format.ts";
import type { Freshness } from "../reports/report.ts";
import { timeOf } from "../time/zone.ts";

/** Events older than this make an answer say its data is stale. */
export const STALE_AFTER_MS = 6 * 3_600_000;

export interface FreshnessInfo extends Freshness {
  /** Last day with any event, order or spend row. */
  lastDays: { events: string | null; orders: string | null; spend: string | null };
}

/** What an answer says of the data's freshness (the extents behind it stay out of the stored answer). */
export function answerFreshness(info: Freshness): Freshness {
  return { text: info.text, stale: info.stale, asOf: info.asOf };
}

/** "Data as of 14:05 Europe/Berlin · events 3 min ago · orders through Nov 23 · spend through Nov 23". */
export async function describeFreshness(db: Db, now: number, timeZone: string): Promise<FreshnessInfo> {
  const extents = await dataExtents(db);
  const parts = [`Data as of ${timeOf(now, timeZone)} ${timeZone}`];
  const received = extents.events.lastReceivedAt;
  if (received === null) parts.push("no events yet");
  else parts.push(`events received ${formatAgo(received, now)}`);
  if (extents.orders.lastDay)
    parts.push(`orders through ${formatDay(extents.orders.lastDay, { short: true })}`);
  if (extents.spend.lastDay) parts.push(`spend through ${formatDay(extents.spend.lastDay, { short: true })}`);
  return {
    text: parts.join(" · "),
    stale: received === null || now - received > STALE_AFTER_MS,
    asOf: now,
    lastDays: {
      events: extents.events.lastDay,
      orders: extents.orders.lastDay,
      spend: extents.spend.lastDay,
    },
  };
}
