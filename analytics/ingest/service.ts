import type { Db } from "../../db/client.ts";
import { type CampaignWrite, writeCampaigns } from "../../db/queries/campaigns.ts";
import { type CustomerWrite, writeCustomers } from "../../db/queries/customers.ts";
import { type EventWrite, writeEvents } from "../../db/queries/events.ts";
import type { ImportCheckpoint } from "../../db/queries/imports.ts";
import { type MentionWrite, writeMentions } from "../../db/queries/mentions.ts";
import { type OrderWrite, writeOrders } from "../../db/queries/orders.ts";
import type { RowOutcome, WriteCounts } from "../../db/queries/statements.ts";
import { scoreSentiment } from "../sentiment/score.ts";
import { dayCutter } from "../time/zone.ts";
import { CHANNELS, channelNamed, classifyChannel } from "./channel.ts";
import { GroupCommit } from "./group-commit.ts";
import { contentId } from "./ids.ts";
import { type MoneyPolicy, toReportingMoney } from "./money.ts";
import { emptyResult, type IngestResult } from "./result.ts";
import {
  campaignRowSchema,
  customerRowSchema,
  describeIssues,
  mentionRowSchema,
  orderRowSchema,
  type SegmentEvent,
  segmentEventSchema,
} from "./schemas.ts";
import { type DateFormat, parseCount, parseNumber, parseTimestamp } from "./values.ts";
import type { EventCommitter } from "./writer-thread.ts";

export interface IngestDeps {
  db: Db;
  timeZone: string;
  money: MoneyPolicy;
  now?: () => number;
  /** Where grouped event writes go (a writer thread); in-process group commit by default. */
  committer?: EventCommitter;
}

export interface BatchOptions {
  /** How to read slashed dates (03/04/2026) in this batch. */
  dateFormat?: DateFormat | undefined;
  /** File import progress, committed together with the batch. */
  checkpoint?: ImportCheckpoint | undefined;
  /** When the batch was received (HTTP); defaults to now. */
  receivedAt?: number | undefined;
  /** Validate and normalise only; write nothing (duplicates cannot be told apart then). */
  dryRun?: boolean | undefined;
}

/** Events more than a day in the future are refused: a wrong clock, not a real event. */
const FUTURE_TOLERANCE_MS = 86_400_000;

type Normalized<T> = { value: T } | { error: string };

/**
 * The one door for data: validate → normalise → dedupe by stable id → write
 * each batch in one transaction (with its rollups). Rejected rows are listed
 * with their reason and never stop the valid ones.
 */
export class Ingest {
  private readonly cutDay: (ms: number) => string;
  private readonly now: () => number;

  /** In-process group commit, unless a writer thread was handed in. */
  private readonly eventCommits: Pick<EventCommitter, "submit">;

  constructor(private readonly deps: IngestDeps) {
    this.eventCommits =
      deps.committer ??
      new GroupCommit<EventWrite>(async (rows) => {
        const written = await writeEvents(deps.db, rows, { receivedAt: this.now() });
        return { counts: written.counts, outcomes: written.outcomes };
      });
    this.cutDay = dayCutter(deps.timeZone);
    this.now = deps.now ?? Date.now;
  }

  /**
   * Events from many concurrent callers (HTTP requests) share one commit:
   * each caller is answered once the transaction holding its rows commits.
   */
  async eventsGrouped(inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    const receivedAt = options.receivedAt ?? this.now();
    return this.run(
      inputs,
      options,
      (input) => this.normalizeEvent(input, receivedAt, options),
      (rows) => this.eventCommits.submit(rows),
    );
  }

  async events(inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    const receivedAt = options.receivedAt ?? this.now();
    return this.run(
      inputs,
      options,
      (input) => this.normalizeEvent(input, receivedAt, options),
      async (rows) => {
        const writeOptions = { checkpoint: options.checkpoint, receivedAt: options.receivedAt ?? this.now() };
        // With a writer thread, the write runs there while this thread reads the next batch.
        if (this.deps.committer) return this.deps.committer.write(rows, writeOptions);
        const written = await writeEvents(this.deps.db, rows, writeOptions);
        return { counts: written.counts, outcomes: written.outcomes };
      },
    );
  }

  async customers(inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    return this.run(
      inputs,
      options,
      (input) => this.normalizeCustomer(input, options),
      (rows) =>
        writeCustomers(this.deps.db, rows, {
          checkpoint: options.checkpoint,
          receivedAt: options.receivedAt ?? this.now(),
        }),
    );
  }

  async orders(inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    return this.run(
      inputs,
      options,
      (input) => this.normalizeOrder(input, options),
      (rows) =>
        writeOrders(this.deps.db, rows, {
          checkpoint: options.checkpoint,
          receivedAt: options.receivedAt ?? this.now(),
        }),
    );
  }

  async campaigns(inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    return this.run(
      inputs,
      options,
      (input) => this.normalizeCampaign(input, options),
      (rows) =>
        writeCampaigns(this.deps.db, rows, {
          checkpoint: options.checkpoint,
          receivedAt: options.receivedAt ?? this.now(),
        }),
    );
  }

  async mentions(inputs: readonly unknown[], options: BatchOptions = {}): Promise<IngestResult> {
    const receivedAt = options.receivedAt ?? this.now();
    return this.run(
      inputs,
      options,
      (input) => this.normalizeMention(input, receivedAt, options),
      (rows) =>
        writeMentions(this.deps.db, rows, {
          checkpoint: options.checkpoint,
          receivedAt: options.receivedAt ?? this.now(),
        }),
    );
  }

  /** Normalises every input, writes the valid ones in one transaction, and merges the outcomes. */
  private async run<T>(
    inputs: readonly unknown[],
    options: BatchOptions,
    normalize: (input: unknown) => Normalized<T>,
    write: (rows: T[]) => Promise<{ counts: WriteCounts; outcomes: (RowOutcome | { error: string })[] }>,
  ): Promise<IngestResult> {
    const result = emptyResult();
    const rows: T[] = [];
    const positions: number[] = [];
    inputs.forEach((input, index) => {
      const normalized = normalize(input);
      if ("error" in normalized) result.rejected.push({ index, reason: normalized.error });
      else {
        rows.push(normalized.value);
        positions.push(index);
      }
    });
    if (options.dryRun) {
      result.accepted = rows.length;
      return result;
    }
    const written = await write(rows);
    result.accepted = written.counts.accepted;
    result.updated = written.counts.updated;
    result.duplicates = written.counts.duplicates;
    result.stale = written.counts.stale;
    written.outcomes.forEach((outcome, i) => {
      if (typeof outcome === "object") result.rejected.push({ index: positions[i]!, reason: outcome.error });
    });
    result.rejected.sort((a, b) => a.index - b.index);
    return result;
  }

  private time(
    value: unknown,
    field: string,
    options: BatchOptions,
    allowFuture = false,
  ): Normalized<number> {
    const parsed = parseTimestamp(value, { timeZone: this.deps.timeZone, dateFormat: options.dateFormat });
    if (!parsed.ok) return { error: `${field} ${parsed.error}` };
    if (!allowFuture && parsed.value > this.now() + FUTURE_TOLERANCE_MS) {
      return { error: `${field} ${new Date(parsed.value).toISOString()} is in the future` };
    }
    return { value: parsed.value };
  }

  private optionalTime(
    value: unknown,
    field: string,
    options: BatchOptions,
    allowFuture = false,
  ): Normalized<number | null> {
    if (value === undefined || value === null || value === "") return { value: null };
    return this.time(value, field, options, allowFuture);
  }

  private normalizeEvent(input: unknown, receivedAt: number, options: BatchOptions): Normalized<EventWrite> {
    const parsed = segmentEventSchema.safeParse(input);
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    const event = parsed.data;
    const timestamp = this.eventTime(event, receivedAt, options);
    if ("error" in timestamp) return timestamp;
    const context = event.context ?? {};
    const properties = event.properties ?? {};
    const campaign = (context["campaign"] ?? {}) as Record<string, unknown>;
    const page = (context["page"] ?? {}) as Record<string, unknown>;
    const channel = classifyChannel({
      medium: stringOrUndefined(campaign["medium"]),
      source: stringOrUndefined(campaign["source"]),
      referrer: stringOrUndefined(page["referrer"]) ?? stringOrUndefined(properties["referrer"]),
      pageUrl: stringOrUndefined(page["url"]) ?? stringOrUndefined(properties["url"]),
    });
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
      context: JSON.stringify(context),
      timestamp: timestamp.value,
      day: this.cutDay(timestamp.value),
      receivedAt,
    };
    if (event.type === "identify") {
      const { email, ...traits } = (event.traits ?? {}) as Record<string, unknown>;
      const firstSeen = this.optionalTime(
        traits["createdAt"] ?? traits["created_at"],
        "traits.createdAt",
        options,
      );
      write.customer = {
        email: typeof email === "string" && email !== "" ? email : null,
        traits,
        firstSeen: "error" in firstSeen ? null : firstSeen.value,
        updatedAt: timestamp.value,
      };
    }
    if (event.type === "track" && event.event === "Order Completed") {
      const order = this.orderFromEvent(properties, timestamp.value, campaign);
      if ("error" in order) return order;
      write.order = order.value;
    }
    return { value: write };
  }

  /** Segment's clock-skew correction: timestamp, else receivedAt − (sentAt − originalTimestamp). */
  private eventTime(event: SegmentEvent, receivedAt: number, options: BatchOptions): Normalized<number> {
    if (event.timestamp !== undefined && event.timestamp !== null)
      return this.time(event.timestamp, "timestamp", options);
    if (event.originalTimestamp !== undefined && event.originalTimestamp !== null) {
      const original = this.time(event.originalTimestamp, "originalTimestamp", options);
      if ("error" in original || event.sentAt === undefined || event.sentAt === null) return original;
      const sent = this.time(event.sentAt, "sentAt", options);
      if ("error" in sent) return sent;
      return { value: receivedAt - (sent.value - original.value) };
    }
    return { value: receivedAt };
  }

  private orderFromEvent(
    properties: Record<string, unknown>,
    timestamp: number,
    campaign: Record<string, unknown>,
  ): Normalized<NonNullable<EventWrite["order"]>> {
    const id = properties["order_id"] ?? properties["orderId"];
    if (typeof id !== "string" && typeof id !== "number") {
      return {
        error: "properties.order_id is missing: an Order Completed event needs it to count the order once",
      };
    }
    // Segment's spec: `revenue` excludes shipping and tax; fall back to `total`, then `value`.
    const amount = properties["revenue"] ?? properties["total"] ?? properties["value"];
    if (amount === undefined || amount === null) {
      return { error: "properties.revenue is missing: an Order Completed event needs revenue or total" };
    }
    const money = toReportingMoney(amount, stringOrUndefined(properties["currency"]), this.deps.money);
    if (!money.ok) return { error: `properties.revenue ${money.error}` };
    return {
      value: {
        id: String(id),
        amountMinor: money.value.minor,
        originalAmountMinor: money.value.originalMinor,
        originalCurrency: money.value.originalCurrency,
        timestamp,
        day: this.cutDay(timestamp),
        origin: "event",
        updatedAt: timestamp,
        campaignId: stringOrUndefined(campaign["name"]) ?? null,
      },
    };
  }

  private normalizeCustomer(input: unknown, options: BatchOptions): Normalized<CustomerWrite> {
    const parsed = customerRowSchema.safeParse(input);
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    const { id, email, first_seen, updated_at, traits: nested, ...rest } = parsed.data;
    const firstSeen = this.optionalTime(first_seen, "first_seen", options);
    if ("error" in firstSeen) return firstSeen;
    const updatedAt = this.optionalTime(updated_at, "updated_at", options);
    if ("error" in updatedAt) return updatedAt;
    const traits: Record<string, unknown> = { ...(nested ?? {}) };
    for (const [key, value] of Object.entries(rest))
      if (value !== undefined && value !== "") traits[key] = value;
    return {
      value: {
        id,
        email: email ?? null,
        traits,
        firstSeen: firstSeen.value,
        updatedAt: updatedAt.value ?? firstSeen.value ?? 0,
      },
    };
  }

  private normalizeOrder(input: unknown, options: BatchOptions): Normalized<OrderWrite> {
    const parsed = orderRowSchema.safeParse(input);
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    const row = parsed.data;
    const money = toReportingMoney(row.amount, row.currency, this.deps.money);
    if (!money.ok) return { error: `amount ${money.error}` };
    const timestamp = this.time(row.timestamp, "timestamp", options);
    if ("error" in timestamp) return timestamp;
    const updatedAt = this.optionalTime(row.updated_at, "updated_at", options);
    if ("error" in updatedAt) return updatedAt;
    const channel = channelName(row.channel);
    if ("error" in channel) return channel;
    return {
      value: {
        id: row.id,
        customerId: row.customer_id ?? null,
        amountMinor: money.value.minor,
        originalAmountMinor: money.value.originalMinor,
        originalCurrency: money.value.originalCurrency,
        timestamp: timestamp.value,
        day: this.cutDay(timestamp.value),
        channel: channel.value ?? "direct",
        campaignId: row.campaign_id ?? null,
        origin: "import",
        updatedAt: updatedAt.value ?? timestamp.value,
      },
    };
  }

  private normalizeCampaign(input: unknown, options: BatchOptions): Normalized<CampaignWrite> {
    const parsed = campaignRowSchema.safeParse(input);
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    const row = parsed.data;
    const channel = channelName(row.channel);
    if ("error" in channel) return channel;
    const currency = row.currency?.toUpperCase();
    if (currency && currency !== this.deps.money.currency && this.deps.money.rates[currency] === undefined) {
      return {
        error: `currency ${currency} differs from the reporting currency ${this.deps.money.currency} and no rate is set (add ${currency}=<rate> to LIFT_FX_RATES)`,
      };
    }
    const money = (value: unknown, field: string): Normalized<number> => {
      if (value === undefined || value === null || value === "") return { value: 0 };
      const parsedMoney = toReportingMoney(value, currency, this.deps.money);
      return parsedMoney.ok ? { value: parsedMoney.value.minor } : { error: `${field} ${parsedMoney.error}` };
    };
    const count = (value: unknown, field: string): Normalized<number> => {
      if (value === undefined || value === null || value === "") return { value: 0 };
      const n = parseCount(value);
      return n.ok ? { value: n.value } : { error: `${field} ${n.error}` };
    };
    // A campaign's planned start and end may lie ahead; its figures may not.
    const day = (value: unknown, field: string, allowFuture = false): Normalized<string | null> => {
      const time = this.optionalTime(value, field, options, allowFuture);
      if ("error" in time) return time;
      return { value: time.value === null ? null : this.cutDay(time.value) };
    };
    const fields = {
      day: day(row.day, "day"),
      start: day(row.start, "start", true),
      end: day(row.end, "end", true),
      impressions: count(row.impressions, "impressions"),
      clicks: count(row.clicks, "clicks"),
      conversions: count(row.conversions, "conversions"),
      spend: money(row.spend, "spend"),
      revenue: money(row.revenue, "revenue"),
      updatedAt: this.optionalTime(row.updated_at, "updated_at", options),
    };
    for (const field of Object.values(fields)) if ("error" in field) return field;
    const v = <T>(field: Normalized<T>) => (field as { value: T }).value;
    let budgetMinor: number | null = null;
    if (row.budget !== undefined && row.budget !== null && row.budget !== "") {
      const budget = money(row.budget, "budget");
      if ("error" in budget) return budget;
      budgetMinor = budget.value;
    }
    const dayValue = v(fields.day);
    if (v(fields.clicks) > v(fields.impressions) && v(fields.impressions) > 0) {
      return { error: `clicks ${v(fields.clicks)} exceed impressions ${v(fields.impressions)}` };
    }
    return {
      value: {
        id: row.id,
        name: row.name ?? null,
        channel: channel.value,
        startDay: v(fields.start),
        endDay: v(fields.end),
        budgetMinor,
        updatedAt: v(fields.updatedAt) ?? (dayValue ? Date.parse(`${dayValue}T00:00:00Z`) : 0),
        daily:
          dayValue === null
            ? null
            : {
                day: dayValue,
                impressions: v(fields.impressions),
                clicks: v(fields.clicks),
                spendMinor: v(fields.spend),
                conversions: v(fields.conversions),
                revenueMinor: v(fields.revenue),
              },
      },
    };
  }

  private normalizeMention(
    input: unknown,
    receivedAt: number,
    options: BatchOptions,
  ): Normalized<MentionWrite> {
    const parsed = mentionRowSchema.safeParse(input);
    if (!parsed.success) return { error: describeIssues(parsed.error) };
    const row = parsed.data;
    const timestamp = this.time(row.timestamp, "timestamp", options);
    if ("error" in timestamp) return timestamp;
    let score: number;
    if (row.sentiment_score !== undefined && row.sentiment_score !== null && row.sentiment_score !== "") {
      const given = parseNumber(row.sentiment_score);
      if (!given.ok || given.value < -1 || given.value > 1) {
        return { error: `sentiment_score ${given.ok ? `${given.value} is outside −1…1` : given.error}` };
      }
      score = given.value;
    } else score = scoreSentiment(row.text).score;
    return {
      value: {
        platform: row.platform,
        platformId:
          row.platform_id ?? row.url ?? contentId("post", [row.author ?? null, row.text, timestamp.value]),
        url: row.url ?? null,
        author: row.author ?? null,
        text: row.text,
        lang: row.lang ?? null,
        timestamp: timestamp.value,
        day: this.cutDay(timestamp.value),
        sentimentScore: score,
        sentimentLabel: labelFor(score),
        sourceId: null,
        receivedAt,
      },
    };
  }
}

/** Scores within ±0.05 count as neutral (the band VADER's authors recommend for compound scores). */
function labelFor(score: number): "positive" | "neutral" | "negative" {
  if (score >= 0.05) return "positive";
  if (score <= -0.05) return "negative";
  return "neutral";
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/** A channel name as people write it → one of Lift's channels, or an error listing them. */
function channelName(value: string | undefined): Normalized<string | null> {
  if (value === undefined) return { value: null };
  const channel = channelNamed(value);
  return channel ? { value: channel } : { error: `channel "${value}" is not one of ${CHANNELS.join(", ")}` };
}
