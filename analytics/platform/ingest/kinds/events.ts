import { dbOf } from "../../../../db/client.ts";
import { type EventStep, type EventWrite, writeEvents } from "../../../../db/platform/queries/events.ts";

import { classifyChannel } from "../channel.ts";
import { checkSegmentEvent } from "../event-check.ts";
import { stringOrUndefined } from "../fields.ts";
import { contentId } from "../ids.ts";
import type { DataKind, NormalizeContext, Normalized, PersonRef } from "../kinds.ts";
import { toReportingMoney } from "../money.ts";
import type { SegmentEvent } from "../schemas.ts";
import { hasNul, NUL_MESSAGE } from "../text.ts";

/** Segment's clock-skew correction: timestamp, else receivedAt − (sentAt − originalTimestamp). */
function eventTime(event: SegmentEvent, context: NormalizeContext): Normalized<number> {
  if (event.timestamp !== undefined && event.timestamp !== null)
    return context.time(event.timestamp, "timestamp");
  if (event.originalTimestamp !== undefined && event.originalTimestamp !== null) {
    const original = context.time(event.originalTimestamp, "originalTimestamp");
    if ("error" in original || event.sentAt === undefined || event.sentAt === null) return original;
    const sent = context.time(event.sentAt, "sentAt");
    if ("error" in sent) return sent;
    return { value: context.receivedAt - (sent.value - original.value) };
  }
  return { value: context.receivedAt };
}

function orderFromEvent(
  properties: Record<string, unknown>,
  timestamp: number,
  campaign: Record<string, unknown>,
  context: NormalizeContext,
): Normalized<NonNullable<EventWrite["order"]>> {
  const id = properties["order_id"] ?? properties["orderId"];
  if (typeof id !== "string" && typeof id !== "number") {
    return {
      error: "properties.order_id is missing: an Order Completed event needs it to count the order once",
    };
  }
  if (typeof id === "string" && hasNul(id)) return { error: `properties.order_id ${NUL_MESSAGE}` };
  // Segment's spec: `revenue` excludes shipping and tax; fall back to `total`, then `value`.
  const amount = properties["revenue"] ?? properties["total"] ?? properties["value"];
  if (amount === undefined || amount === null) {
    return { error: "properties.revenue is missing: an Order Completed event needs revenue or total" };
  }
  const money = toReportingMoney(amount, stringOrUndefined(properties["currency"]), context.money);
  if (!money.ok) return { error: `properties.revenue ${money.error}` };
  return {
    value: {
      id: String(id),
      amountMinor: money.value.minor,
      originalAmountMinor: money.value.originalMinor,
      originalCurrency: money.value.originalCurrency,
      timestamp,
      day: context.cutDay(timestamp),
      origin: "event",
      updatedAt: timestamp,
      campaignId: stringOrUndefined(campaign["name"]) ?? null,
    },
  };
}

/** A Segment event (track, page, identify) → the row, its person, its channel, and the order or customer it carries. */
export function normalizeEvent(input: unknown, context: NormalizeContext): Normalized<EventWrite> {
  // The hand-written check: the schema's rules and messages, faster (it runs for every HTTP event).
  const checked = checkSegmentEvent(input);
  if ("error" in checked) return checked;
  const event = checked.value;
  const timestamp = eventTime(event, context);
  if ("error" in timestamp) return timestamp;
  const eventContext = event.context ?? {};
  const properties = event.properties ?? {};
  const campaign = (eventContext["campaign"] ?? {}) as Record<string, unknown>;
  const page = (eventContext["page"] ?? {}) as Record<string, unknown>;
  const channel = classifyChannel({
    medium: stringOrUndefined(campaign["medium"]),
    source: stringOrUndefined(campaign["source"]),
    referrer: stringOrUndefined(page["referrer"]) ?? stringOrUndefined(properties["referrer"]),
    pageUrl: stringOrUndefined(page["url"]) ?? stringOrUndefined(properties["url"]),
  });
  const campaignName = campaign["name"];
  if (typeof campaignName === "string" && hasNul(campaignName))
    return { error: `context.campaign.name ${NUL_MESSAGE}` };
  const userId = event.userId ?? null;
  const anonymousId = event.anonymousId ?? null;
  const name = event.type === "track" ? event.event! : event.type === "page" ? (event.name ?? null) : null;
  const write: EventWrite = {
    messageId:
      event.messageId ??
      contentId("msg", [
        event.type,
        name,
        userId,
        anonymousId,
        timestamp.value,
        properties,
        event.traits ?? null,
      ]),
    type: event.type,
    event: name,
    eventKey: event.type === "track" ? name! : event.type === "page" ? "$page" : "$identify",
    userId,
    anonymousId,
    channel,
    campaignId: stringOrUndefined(campaign["name"]) ?? null,
    properties: JSON.stringify(event.type === "identify" ? (event.traits ?? {}) : properties),
    context: JSON.stringify(eventContext),
    timestamp: timestamp.value,
    day: context.cutDay(timestamp.value),
    receivedAt: context.receivedAt,
  };
  if (event.type === "identify") {
    const { email, ...traits } = (event.traits ?? {}) as Record<string, unknown>;
    const firstSeen = context.optionalTime(traits["createdAt"] ?? traits["created_at"], "traits.createdAt");
    write.customer = {
      email: typeof email === "string" && email !== "" ? email : null,
      traits,
      firstSeen: "error" in firstSeen ? null : firstSeen.value,
      updatedAt: timestamp.value,
    };
  }
  // What capabilities keep of the events going by (exposures): read now, written with the batch.
  for (const observer of context.observers ?? []) {
    const read = observer.read({ type: event.type, event: name, properties, timestamp: timestamp.value });
    if (read === null) continue;
    if ("error" in read) return read;
    write.observed = [...(write.observed ?? []), { id: observer.step.id, value: read.value }];
  }
  if (event.type === "track" && event.event === "Order Completed") {
    const order = orderFromEvent(properties, timestamp.value, campaign, context);
    if ("error" in order) return order;
    write.order = order.value;
  }
  return { value: write };
}

/**
 * Web and app events in the Segment spec: the source of visitors, pageviews, signups and event
 * counts. The observers' steps are written in each batch's transaction.
 */
export const eventsKind = (steps: readonly EventStep[]): DataKind<EventWrite> => ({
  name: "events",
  source: "events",
  aliases: {
    type: ["type", "call", "event_type"],
    event: ["event", "event_name"],
    name: ["name", "page_name"],
    userId: ["userid", "user_id", "customer_id"],
    anonymousId: ["anonymousid", "anonymous_id", "anon_id", "device_id"],
    timestamp: ["timestamp", "time", "datetime", "created_at", "occurred_at"],
    messageId: ["messageid", "message_id", "event_id"],
  },
  otherColumns: "properties",
  fields:
    "`type` (track, page, identify), `event`, `name`, `userId`, `anonymousId`, `timestamp`, `messageId`; other columns become `properties.*` (or name them `context.*`, `traits.*`)",
  normalize: normalizeEvent,
  identifiers: (row) => {
    const refs: PersonRef[] = [];
    if (row.userId) refs.push({ key: "customer", value: row.userId });
    if (row.anonymousId) refs.push({ key: "anonymous", value: row.anonymousId });
    if (row.customer?.email) refs.push({ key: "email", value: row.customer.email });
    if (row.order) refs.push({ key: "order", value: row.order.id });
    return refs;
  },
  write: async (tables, rows, options) => {
    const written = await writeEvents(dbOf(tables), rows, options, steps);
    return { counts: written.counts, outcomes: written.outcomes };
  },
});
