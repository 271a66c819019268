import type { Db } from "../../../db/client.ts";
import {
  advanceSubscription,
  deactivateSubscription,
  dueSubscriptions,
  getSubscription,
  insertSubscription,
  listSubscriptions,
  openIncident,
  openIncidents,
  type SubscriptionRow,
  setSubscriptionOptions,
} from "../../../db/platform/queries/schedules.ts";
import { type AlertRunDeps, alertReport, incidentPayload, runAlertCheck } from "../alerting/alert-runs.ts";
import { ALERT_COOLDOWN_MS } from "../alerting/incidents.ts";
import { AppError } from "../base/errors.ts";
import type { Logger } from "../base/log.ts";
import type { AlertRule, Evaluation } from "../contract/alerts.ts";
import type {
  OpenIncident,
  ReportingSettings,
  Subscription,
  SubscriptionOptions,
  SubscriptionsApi,
} from "../contract/api.ts";
import type { DeliveryQueue } from "../delivery/delivery.ts";
import type { Report } from "../reports/report.ts";
import { nextRunAt, type Schedule } from "../time/schedule.ts";
import { dayOf } from "../time/zone.ts";

export type { Subscription, SubscriptionOptions };

/** What subscriptions need of the platform: the database, the clock, the alert kinds, the digest. */
export interface SchedulesDeps extends AlertRunDeps {
  db: Db;
  settings: ReportingSettings;
  logger: Logger;
  now(): number;
  /** The digest of a grain, built for an instant. */
  digest(grain: "daily" | "weekly", at: number): Promise<Report>;
}

export { type IncidentPayload, incidentPayload } from "../alerting/alert-runs.ts";
export { ALERT_COOLDOWN_MS };

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

export interface RunSummary {
  sent: number;
  skipped: number;
}

/**
 * Digests and alerts people subscribed to, and the per-minute run that sends
 * what is due. Every message is queued with a key made of the subscription and
 * the run (or incident), so a run repeated by a second process or after a crash
 * queues nothing twice. Alerts are checked at their kind's own cadence and go
 * through the one incident lifecycle (incidents.ts).
 */
export class Schedules implements SubscriptionsApi {
  constructor(
    private readonly platform: SchedulesDeps,
    private readonly queue: DeliveryQueue,
    /** A run missed by more than this (the process was down) is skipped, not sent late. */
    private readonly graceMs: number,
  ) {}

  /** An alert in words, with "(muted)" while it is. */
  describeAlert(subscription: Subscription): string {
    if (subscription.options.kind !== "alert")
      throw new Error(`subscription ${subscription.id} is not an alert`);
    const { alertKinds } = this.platform;
    return `${alertKinds.describe(subscription.options.rule, this.platform.settings.currency)}${
      isMuted(subscription.options, this.platform.now()) ? " (muted)" : ""
    }`;
  }

  async subscribeDigest(input: {
    channel: string;
    owner: string;
    schedule: Schedule;
    timeZone: string;
    grain: "daily" | "weekly";
  }): Promise<Subscription> {
    const now = this.platform.now();
    const row = await insertSubscription(
      this.platform.db,
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
    const now = this.platform.now();
    const kind = this.platform.alertKinds.find(input.rule.kind);
    const row = await insertSubscription(
      this.platform.db,
      {
        kind: "alert",
        channel: input.channel,
        owner: input.owner,
        schedule: kind.cadence,
        timezone: this.platform.settings.timeZone,
        options: JSON.stringify({ kind: "alert", rule: input.rule } satisfies SubscriptionOptions),
        nextRunAt: kind.nextCheck(now, input.rule),
        active: true,
        createdAt: now,
      },
      input.owner,
    );
    return fromRow(row);
  }

  async get(id: number): Promise<Subscription> {
    const row = await getSubscription(this.platform.db, id);
    if (!row?.active)
      throw new AppError("not_found", `There is no subscription ${id}`, {
        hint: "`subscriptions` lists them",
      });
    return fromRow(row);
  }

  async list(
    filter: { kind?: "digest" | "alert"; channel?: string; owner?: string } = {},
  ): Promise<Subscription[]> {
    return (await listSubscriptions(this.platform.db, filter)).map(fromRow);
  }

  async remove(id: number, actor: string): Promise<Subscription> {
    const subscription = await this.get(id);
    await deactivateSubscription(this.platform.db, id, actor, this.platform.now());
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
    await setSubscriptionOptions(this.platform.db, id, JSON.stringify(options), actor, this.platform.now());
    return { ...subscription, options };
  }

  async isOpen(id: number): Promise<boolean> {
    return (await openIncident(this.platform.db, id)) !== undefined;
  }

  /** The per-minute job: everything due is queued once, then its next run is set. */
  async runDue(now: number): Promise<RunSummary> {
    const summary: RunSummary = { sent: 0, skipped: 0 };
    const { db, logger } = this.platform;
    for (const row of await dueSubscriptions(db, now)) {
      const subscription = fromRow(row);
      const due = row.nextRunAt!;
      let next: number;
      try {
        next = subscription.schedule
          ? nextRunAt(subscription.schedule, subscription.timeZone, Math.max(now, due))
          : this.platform.alertKinds
              .find((subscription.options as { rule: AlertRule }).rule.kind)
              .nextCheck(now, (subscription.options as { rule: AlertRule }).rule);
      } catch (error) {
        logger.error({ err: error, subscription: row.id }, "a subscription's kind is gone; it is left alone");
        await advanceSubscription(db, row.id, due, now + 24 * 3600_000);
        continue;
      }
      if (now - due > this.graceMs) {
        // Down at run time for longer than the grace window: skip to the next run, never a stale burst.
        if (await advanceSubscription(db, row.id, due, next)) {
          logger.warn(
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
        logger.error(
          { err: error, subscription: row.id },
          "a subscription's run failed; it is tried again next time",
        );
        continue;
      }
      await advanceSubscription(db, row.id, due, next);
    }
    return summary;
  }

  private async runDigest(
    subscription: Subscription,
    grain: "daily" | "weekly",
    due: number,
    now: number,
  ): Promise<number> {
    const report = await this.platform.digest(grain, now);
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

  /** Evaluates an alert now (for tests and `alert check`), without the lifecycle. */
  async evaluate(rule: AlertRule, now: number): Promise<Evaluation> {
    return this.platform.alertKinds.evaluate(rule, now);
  }

  private async runAlert(
    subscription: Subscription,
    options: Extract<SubscriptionOptions, { kind: "alert" }>,
    now: number,
  ): Promise<number> {
    if (isMuted(options, now)) return 0;
    const evaluation = await this.evaluate(options.rule, now);
    return runAlertCheck(this.platform, this.queue, subscription, options.rule, evaluation, now);
  }

  /** The alert's message: the kind's headline, facts, charts and quotes, what else moved, and its buttons. */
  alertReport(
    subscription: Subscription,
    rule: AlertRule,
    evaluation: Evaluation,
    kind: "open" | "stale" | "resolved" | "data_back",
  ): Promise<Report> {
    return alertReport(this.platform, subscription, rule, evaluation, kind);
  }

  async digestNow(grain: "daily" | "weekly"): Promise<Report> {
    return this.platform.digest(grain, this.platform.now());
  }

  parseAlert(text: string): AlertRule {
    return this.platform.alertKinds.parse(text, {
      today: dayOf(this.platform.now(), this.platform.settings.timeZone),
      currency: this.platform.settings.currency,
    });
  }

  describeRule(rule: AlertRule): string {
    return this.platform.alertKinds.describe(rule, this.platform.settings.currency);
  }

  alertCadence(rule: AlertRule): string {
    return this.platform.alertKinds.find(rule.kind).cadence;
  }

  alertExamples(): string[] {
    return this.platform.alertKinds.list().flatMap((k) => k.examples.slice(0, 1));
  }

  async openIncidents(): Promise<OpenIncident[]> {
    return (await openIncidents(this.platform.db)).map((incident) => {
      const payload = incidentPayload(incident);
      return {
        subscriptionId: incident.subscriptionId ?? 0,
        openedAt: incident.openedAt,
        headline: payload.headline,
        state: payload.state,
      };
    });
  }
}
