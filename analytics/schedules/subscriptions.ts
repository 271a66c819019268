import {
  advanceSubscription,
  deactivateSubscription,
  dueSubscriptions,
  getSubscription,
  insertIncident,
  insertSubscription,
  lastResolvedIncident,
  listSubscriptions,
  openIncident,
  resolveIncident,
  type SubscriptionRow,
  setSubscriptionOptions,
} from "../../db/queries/schedules.ts";
import type { Core } from "../core.ts";
import { AppError } from "../errors.ts";
import type { Report } from "../reports/report.ts";
import {
  type AlertRule,
  describeRule,
  type Evaluation,
  evaluateRule,
  type IncidentPayload,
  incidentPayload,
} from "./alerts.ts";
import type { DeliveryQueue } from "./delivery.ts";
import { buildDigest, type DigestSections } from "./digest.ts";
import { nextRunAt, type Schedule } from "./schedule.ts";

export type SubscriptionOptions =
  | { kind: "digest"; grain: "daily" | "weekly" }
  | { kind: "alert"; rule: AlertRule; mutedUntil?: number };

export interface Subscription {
  id: number;
  kind: "digest" | "alert";
  channel: string;
  owner: string;
  timeZone: string;
  schedule: Schedule | null;
  options: SubscriptionOptions;
  nextRunAt: number | null;
}

/** Alerts are checked every hour, five minutes past, on complete periods only. */
const ALERT_EVERY_MS = 3600_000;
const ALERT_OFFSET_MS = 5 * 60_000;
/** After an incident resolves, the same alert stays quiet this long (no flapping). */
export const ALERT_COOLDOWN_MS = 6 * 3600_000;

export function nextAlertCheck(after: number): number {
  return (
    Math.floor((after - ALERT_OFFSET_MS) / ALERT_EVERY_MS) * ALERT_EVERY_MS + ALERT_EVERY_MS + ALERT_OFFSET_MS
  );
}

function fromRow(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    kind: row.kind as Subscription["kind"],
    channel: row.channel,
    owner: row.owner,
    timeZone: row.timezone,
    schedule: row.kind === "digest" ? (JSON.parse(row.schedule) as Schedule) : null,
    options: JSON.parse(row.options) as SubscriptionOptions,
    nextRunAt: row.nextRunAt,
  };
}

export function isMuted(options: SubscriptionOptions, now: number): boolean {
  return options.kind === "alert" && (options.mutedUntil ?? 0) > now;
}

/** An alert in words, with "(muted)" while it is. */
export function describeAlert(subscription: Subscription, currency: string, now: number): string {
  if (subscription.options.kind !== "alert")
    throw new Error(`subscription ${subscription.id} is not an alert`);
  return `${describeRule(subscription.options.rule, currency)}${isMuted(subscription.options, now) ? " (muted)" : ""}`;
}

export interface RunSummary {
  sent: number;
  skipped: number;
}

/**
 * Digests and alerts people subscribed to, and the per-minute run that sends
 * what is due. Every message is queued with a key made of the subscription and
 * the run (or incident), so a run repeated by a second process or after a crash
 * queues nothing twice.
 */
export class Schedules {
  constructor(
    private readonly core: Core,
    private readonly queue: DeliveryQueue,
    readonly digestSections: DigestSections,
    /** A run missed by more than this (the process was down) is skipped, not sent late. */
    private readonly graceMs: number,
  ) {}

  async subscribeDigest(input: {
    channel: string;
    owner: string;
    schedule: Schedule;
    timeZone: string;
    grain: "daily" | "weekly";
  }): Promise<Subscription> {
    const now = this.core.now();
    const row = await insertSubscription(
      this.core.db,
      {
        kind: "digest",
        channel: input.channel,
        owner: input.owner,
        schedule: JSON.stringify(input.schedule),
        timezone: input.timeZone,
        options: JSON.stringify({ kind: "digest", grain: input.grain } satisfies SubscriptionOptions),
        nextRunAt: nextRunAt(input.schedule, input.timeZone, now),
        active: true,
        createdAt: now,
      },
      input.owner,
    );
    return fromRow(row);
  }

  async createAlert(input: { channel: string; owner: string; rule: AlertRule }): Promise<Subscription> {
    const now = this.core.now();
    const row = await insertSubscription(
      this.core.db,
      {
        kind: "alert",
        channel: input.channel,
        owner: input.owner,
        schedule: "hourly",
        timezone: this.core.settings.timeZone,
        options: JSON.stringify({ kind: "alert", rule: input.rule } satisfies SubscriptionOptions),
        nextRunAt: nextAlertCheck(now),
        active: true,
        createdAt: now,
      },
      input.owner,
    );
    return fromRow(row);
  }

  async get(id: number): Promise<Subscription> {
    const row = await getSubscription(this.core.db, id);
    if (!row?.active)
      throw new AppError("not_found", `There is no subscription ${id}`, {
        hint: "`subscriptions` lists them",
      });
    return fromRow(row);
  }

  async list(
    filter: { kind?: "digest" | "alert"; channel?: string; owner?: string } = {},
  ): Promise<Subscription[]> {
    return (await listSubscriptions(this.core.db, filter)).map(fromRow);
  }

  async remove(id: number, actor: string): Promise<Subscription> {
    const subscription = await this.get(id);
    await deactivateSubscription(this.core.db, id, actor, this.core.now());
    return subscription;
  }

  async mute(id: number, until: number | null, actor: string): Promise<Subscription> {
    const subscription = await this.get(id);
    if (subscription.options.kind !== "alert")
      throw new AppError("invalid_input", `Subscription ${id} is a digest, not an alert`, {
        hint: "`unsubscribe` stops a digest",
      });
    const { mutedUntil: _, ...rest } = subscription.options;
    const options: SubscriptionOptions = until === null ? rest : { ...rest, mutedUntil: until };
    await setSubscriptionOptions(this.core.db, id, JSON.stringify(options), actor, this.core.now());
    return { ...subscription, options };
  }

  async isOpen(id: number): Promise<boolean> {
    return (await openIncident(this.core.db, id)) !== undefined;
  }

  /** The per-minute job: everything due is queued once, then its next run is set. */
  async runDue(now: number): Promise<RunSummary> {
    const summary: RunSummary = { sent: 0, skipped: 0 };
    for (const row of await dueSubscriptions(this.core.db, now)) {
      const subscription = fromRow(row);
      const due = row.nextRunAt!;
      const next = subscription.schedule
        ? nextRunAt(subscription.schedule, subscription.timeZone, Math.max(now, due))
        : nextAlertCheck(now);
      if (now - due > this.graceMs) {
        // Down at run time for longer than the grace window: skip to the next run, never a stale burst.
        if (await advanceSubscription(this.core.db, row.id, due, next)) {
          this.core.logger.warn(
            { subscription: row.id, due, next },
            "skipped a run missed by more than the grace window",
          );
          summary.skipped++;
        }
        continue;
      }
      try {
        if (subscription.options.kind === "digest") {
          summary.sent += await this.runDigest(subscription, subscription.options.grain, due, now);
        } else {
          summary.sent += await this.runAlert(subscription, subscription.options, now);
        }
      } catch (error) {
        this.core.logger.error(
          { err: error, subscription: row.id },
          "a subscription's run failed; it is tried again next time",
        );
        continue;
      }
      await advanceSubscription(this.core.db, row.id, due, next);
    }
    return summary;
  }

  private async runDigest(
    subscription: Subscription,
    grain: "daily" | "weekly",
    due: number,
    now: number,
  ): Promise<number> {
    const report = await buildDigest(this.digestSections, { core: this.core, grain, now });
    const queued = await this.queue.enqueue(
      {
        idempotencyKey: `digest:${subscription.id}:${due}`,
        destination: subscription.channel,
        subscriptionId: subscription.id,
        kind: "digest",
        report,
      },
      now,
    );
    return queued ? 1 : 0;
  }

  private async runAlert(
    subscription: Subscription,
    options: Extract<SubscriptionOptions, { kind: "alert" }>,
    now: number,
  ): Promise<number> {
    if (isMuted(options, now)) return 0;
    const evaluation = await evaluateRule(this.core, options.rule, now);
    const db = this.core.db;
    const open = await openIncident(db, subscription.id);
    const announce = evaluation.state === "firing" || evaluation.state === "stale";
    if (open) {
      const payload = incidentPayload(open);
      const openKey = `alert:${open.incidentKey}`;
      if (announce && payload.state === evaluation.state) {
        // Still the same incident: it was announced when it opened.
        return 0;
      }
      if (evaluation.state === "unknown") return 0;
      // It cleared (or turned from stale data into a real breach): say so in its thread, then close it.
      const resolved = this.alertReport(
        subscription,
        options.rule,
        evaluation,
        payload.state === "stale" ? "data_back" : "resolved",
      );
      await this.queue.enqueue(
        {
          idempotencyKey: `${openKey}:resolved`,
          destination: subscription.channel,
          subscriptionId: subscription.id,
          kind: "alert_resolved",
          report: resolved,
          replyTo: `${openKey}:open`,
        },
        now,
      );
      await resolveIncident(db, open.id, now);
      if (!announce) return 1;
    }
    if (!announce) return 0;
    const last = await lastResolvedIncident(db, subscription.id);
    if (
      evaluation.state === "firing" &&
      last?.resolvedAt &&
      now - last.resolvedAt < ALERT_COOLDOWN_MS &&
      incidentPayload(last).state === "firing"
    ) {
      return 0;
    }
    const incidentKey = `${subscription.id}:${evaluation.state}:${evaluation.period}`;
    const key = `alert:${incidentKey}`;
    const report = this.alertReport(
      subscription,
      options.rule,
      evaluation,
      evaluation.state === "stale" ? "stale" : "open",
    );
    const queued = await this.queue.enqueue(
      {
        idempotencyKey: `${key}:open`,
        destination: subscription.channel,
        subscriptionId: subscription.id,
        kind: "alert",
        report,
      },
      now,
    );
    await insertIncident(db, {
      subscriptionId: subscription.id,
      kind: options.rule.kind,
      incidentKey,
      openedAt: now,
      payload: JSON.stringify({
        state: evaluation.state,
        period: evaluation.period,
        headline: evaluation.headline,
      } satisfies IncidentPayload),
    });
    return queued ? 1 : 0;
  }

  alertReport(
    subscription: Subscription,
    rule: AlertRule,
    evaluation: Evaluation,
    kind: "open" | "stale" | "resolved" | "data_back",
  ): Report {
    const what = describeRule(rule, this.core.settings.currency);
    const titles = {
      open: `Alert · ${what}`,
      stale: `Alert paused · ${what}: data stopped arriving`,
      resolved: `Resolved · ${what}`,
      data_back: `Data is back · ${what}`,
    };
    return {
      kind: "alert",
      title: titles[kind],
      summary: evaluation.headline,
      facts: evaluation.facts,
      charts: [],
      actions:
        kind === "open" || kind === "stale"
          ? [
              {
                id: `mute_day_${subscription.id}`,
                label: "Mute for a day",
                command: `alert mute ${subscription.id} 1d`,
              },
              {
                id: `mute_week_${subscription.id}`,
                label: "Mute for a week",
                command: `alert mute ${subscription.id} 7d`,
              },
              {
                id: `delete_${subscription.id}`,
                label: "Delete alert",
                command: `alert delete ${subscription.id}`,
              },
            ]
          : [],
      warnings: [],
    };
  }

  async digestNow(grain: "daily" | "weekly"): Promise<Report> {
    return buildDigest(this.digestSections, { core: this.core, grain, now: this.core.now() });
  }
}
