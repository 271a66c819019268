import type { Db } from "../../../db/client.ts";
import {
  insertIncident,
  lastResolvedIncident,
  openIncident,
  resolveIncident,
} from "../../../db/platform/queries/schedules.ts";
import type { AlertRule, AlertSubject, AlertWindow, Evaluation } from "../contract/alerts.ts";
import type { Subscription } from "../contract/api.ts";
import type { DeliveryQueue } from "../delivery/delivery.ts";
import type { Report } from "../reports/report.ts";
import type { AlertKinds } from "./alert-kinds.ts";
import { decideIncident } from "./incidents.ts";

/** What an alert check needs of the platform. */
export interface AlertRunDeps {
  db: Db;
  settings: { currency: string };
  alertKinds: AlertKinds;
  /** Every capability's "around the same time" lines. */
  aroundThen(window: AlertWindow, subject: AlertSubject): Promise<string[]>;
}

/** What an incident row keeps of the evaluation that opened it. */
export interface IncidentPayload {
  state: Evaluation["state"];
  period: string;
  label?: string;
  headline: string;
}

export function incidentPayload(incident: { payload: string }): IncidentPayload {
  return JSON.parse(incident.payload) as IncidentPayload;
}

/**
 * One alert check through the incident lifecycle: the decision (incidents.ts)
 * is queued as messages (an announcement, a follow-up in its thread) and kept
 * as incident rows, each message under a key of its own so nothing is sent twice.
 */
export async function runAlertCheck(
  platform: AlertRunDeps,
  queue: DeliveryQueue,
  subscription: Subscription,
  rule: AlertRule,
  evaluation: Evaluation,
  now: number,
): Promise<number> {
  const { db } = platform;
  const open = await openIncident(db, subscription.id);
  const last = await lastResolvedIncident(db, subscription.id);
  const openPayload = open ? incidentPayload(open) : null;
  const lastPayload = last ? incidentPayload(last) : null;
  const decision = decideIncident(
    subscription.id,
    {
      open:
        open && openPayload && (openPayload.state === "firing" || openPayload.state === "stale")
          ? { key: open.incidentKey, state: openPayload.state, label: openPayload.label }
          : null,
      lastResolved:
        last?.resolvedAt && lastPayload && (lastPayload.state === "firing" || lastPayload.state === "stale")
          ? { state: lastPayload.state, label: lastPayload.label, resolvedAt: last.resolvedAt }
          : null,
    },
    evaluation,
    now,
  );
  let sent = 0;
  if (decision.resolve && open) {
    const openKey = `alert:${decision.resolve.key}`;
    const resolved = await alertReport(platform, subscription, rule, evaluation, decision.resolve.as);
    await queue.enqueue(
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
    sent++;
  }
  if (decision.open) {
    const key = `alert:${decision.open.key}`;
    const report = await alertReport(
      platform,
      subscription,
      rule,
      evaluation,
      decision.open.state === "stale" ? "stale" : "open",
    );
    const queued = await queue.enqueue(
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
      kind: rule.kind,
      incidentKey: decision.open.key,
      openedAt: now,
      payload: JSON.stringify({
        state: evaluation.state,
        period: evaluation.period,
        ...(evaluation.label ? { label: evaluation.label } : {}),
        headline: evaluation.headline,
      } satisfies IncidentPayload),
    });
    if (queued) sent++;
  }
  return sent;
}

/** The alert's message: the kind's headline, facts, charts and quotes, what else moved, and its buttons. */
export async function alertReport(
  platform: AlertRunDeps,
  subscription: Subscription,
  rule: AlertRule,
  evaluation: Evaluation,
  kind: "open" | "stale" | "resolved" | "data_back",
): Promise<Report> {
  const { alertKinds, settings } = platform;
  const what = alertKinds.describe(rule, settings.currency);
  const titles = {
    open: `Alert · ${what}`,
    stale: `Alert paused · ${what}: data stopped arriving`,
    resolved: `Resolved · ${what}`,
    data_back: `Data is back · ${what}`,
  };
  const opening = kind === "open" || kind === "stale";
  const context =
    kind === "open" && evaluation.window
      ? await platform.aroundThen(evaluation.window, evaluation.subject ?? { kind: rule.kind, id: "" })
      : [];
  return {
    kind: "alert",
    title: titles[kind],
    summary: `${evaluation.headline}${context.length > 0 ? `\nAround the same time: ${context.join("; ")}.` : ""}`,
    facts: evaluation.facts,
    charts: opening ? (evaluation.charts ?? []) : [],
    ...(opening && evaluation.quotes?.length ? { quotes: evaluation.quotes } : {}),
    actions: opening
      ? [
          ...(evaluation.actions ?? []),
          {
            id: `mute_day_${subscription.id}`,
            label: alertKinds.find(rule.kind).muteLabel?.(rule) ?? "Mute for a day",
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
            style: "danger",
            confirm: {
              title: "Delete this alert?",
              text: `“${what}” will not be checked any more.`,
              confirm: "Delete",
              deny: "Keep it",
            },
          },
        ]
      : [],
    warnings: [],
    ...(context.length > 0
      ? { details: ["Around the same time:", ...context.map((line) => `  ${line}`)] }
      : {}),
  };
}
