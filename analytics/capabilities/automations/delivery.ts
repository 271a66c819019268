import { type AutomationRow, contacts, listAutomations } from "../../../db/automations/queries.ts";
import {
  claimDue,
  marketingSentTimes,
  markStaleClaims,
  requeue,
  type SendRow,
  type SendUpdate,
  updateSend,
  updateSends,
} from "../../../db/automations/sends.ts";
import { suppress } from "../../../db/automations/suppressions.ts";
import { formatCount } from "../../platform/base/format.ts";
import type { Notifier } from "../../platform/delivery/notifier.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import { timeOf } from "../../platform/time/zone.ts";
import type { AutomationsCore } from "./core.ts";
import { setSendingPaused } from "./engine.ts";
import { deliverActions, deliverOther } from "./hooks.ts";
import type { OutgoingMail } from "./mailer.ts";
import { emailHash, signToken } from "./signing.ts";
import { renderTemplate } from "./templates.ts";
import { capUntil, customerZone, quietUntil } from "./timing.ts";

/*
 * Delivery: claims due sends (a claim is written before anything goes), checks each email
 * against the suppression list, consent, quiet hours and the frequency cap (deferring, never
 * dropping), renders it and hands it over — several at once on the mail pool. Outcomes: sent;
 * shown (no SMTP_URL: the console's outbox); deferred; retried with backoff; failed with the
 * server's reason; unclear (never resent). A server that cannot be reached puts the batch back
 * and tells each automation's owner once.
 */

/** A claim older than this was cut off (the process died): its send is unclear. */
export const CLAIM_TIMEOUT_MS = 10 * 60_000;
const WEEK_MS = 7 * 86_400_000;
export const MAX_ATTEMPTS = 8;
const BATCH = 500;
const PARALLEL = 16;

export interface DeliveryTally {
  sent: number;
  shown: number;
  deferred: number;
  skipped: number;
  retried: number;
  failed: number;
  unclear: number;
}

/** 1, 2, 4 … minutes, at most an hour. */
export function backoff(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

function firstName(traits: Record<string, unknown>): string | undefined {
  const first = traits["first_name"] ?? traits["firstName"];
  if (typeof first === "string" && first.trim() !== "") return first.trim();
  const name = traits["name"];
  return typeof name === "string" && name.trim() !== "" ? name.trim().split(/\s+/)[0] : undefined;
}

type Template = Awaited<ReturnType<AutomationsCore["template"]>>;

interface Ready {
  send: SendRow;
  mail: OutgoingMail;
  rendered: { subject: string; text: string; html: string };
}

export async function deliver(
  core: AutomationsCore,
  now: number,
  notifier: Notifier | null,
  options: { signal?: AbortSignal | undefined; outboxOnly?: boolean | undefined } = {},
): Promise<DeliveryTally> {
  const { signal } = options;
  const { tables } = core.context;
  const tally: DeliveryTally = {
    sent: 0,
    shown: 0,
    deferred: 0,
    skipped: 0,
    retried: 0,
    failed: 0,
    unclear: 0,
  };
  tally.unclear += await markStaleClaims(tables, now - CLAIM_TIMEOUT_MS);
  const automations = new Map((await listAutomations(tables)).map((a) => [a.id, a]));
  // Each template read once a pass, not once a message.
  const templates = new Map<string, Template | null>();
  for (;;) {
    if (signal?.aborted) break;
    const batch = await claimDue(tables, now, BATCH);
    if (batch.length === 0) break;
    const ready: Ready[] = [];
    const emails = batch.filter((s) => s.channel === "email");
    const people = await contacts(
      tables,
      emails.map((s) => s.personId),
    );
    const sent = await marketingSentTimes(
      tables,
      emails.filter((s) => s.marketing).map((s) => s.personId),
      now - WEEK_MS,
      new Set(batch.map((s) => s.id)),
    );
    const actions: SendRow[] = [];
    for (const send of batch) {
      const automation = automations.get(send.automationId);
      if (!automation) continue;
      if (send.channel === "action") {
        actions.push(send);
        continue;
      }
      if (send.channel !== "email") {
        await deliverOther(core, automation, send, now, notifier, tally);
        continue;
      }
      const decided = await decide(
        core,
        send,
        people.get(send.personId) ?? null,
        sent,
        templates,
        now,
        tally,
      );
      if (decided) ready.push(decided);
    }
    await deliverActions(core, automations, actions, now, tally);
    const down = await sendMail(core, ready, now, tally, options.outboxOnly ?? false);
    if (down) {
      for (const id of new Set(ready.map((r) => r.send.automationId))) {
        const automation = automations.get(id)!;
        if (await setSendingPaused(core, automation, { at: now, why: down }))
          await tellOwner(
            core,
            notifier,
            automation,
            now,
            "Sending paused",
            `The mail server cannot be reached (${down}). Nothing is lost: the messages wait in the queue and Lift tries again every minute.`,
          );
      }
      break;
    }
    for (const id of new Set(ready.map((r) => r.send.automationId))) {
      const automation = automations.get(id)!;
      if (await setSendingPaused(core, automation, null))
        await tellOwner(
          core,
          notifier,
          automation,
          now,
          "Sending resumed",
          `The mail server answers again since ${timeOf(now, core.context.platform.settings.timeZone)}; the queued messages are going out.`,
        );
    }
  }
  return tally;
}

/** Skips, defers or renders one email; the rendered ones are returned to send. */
async function decide(
  core: AutomationsCore,
  send: SendRow,
  contact: { email: string | null; traits: Record<string, unknown> } | null,
  sent: Map<string, number[]>,
  templates: Map<string, Template | null>,
  now: number,
  tally: DeliveryTally,
): Promise<Ready | null> {
  const { tables } = core.context;
  const skip = async (reason: string) => {
    tally.skipped++;
    await updateSend(tables, send.id, { status: "skipped", reason });
    return null;
  };
  const email = contact?.email ?? (send.recipient || null);
  if (!email) return skip("no email address");
  let template = send.template ? templates.get(send.template) : null;
  if (send.template && template === undefined) {
    template = await core.template(send.template);
    templates.set(send.template, template);
  }
  if (!template) return skip(`the template “${send.template}” is gone`);
  if (send.marketing) {
    if (await core.isSuppressed(email)) return skip("suppressed: unsubscribed or bounced before");
    if (!core.consents(contact?.traits ?? {}))
      return skip(`has not accepted marketing (${core.settings.LIFT_CONSENT_TRAIT})`);
    const zone = customerZone(contact?.traits ?? {}, core.context.platform.settings.timeZone);
    const quiet = quietUntil(now, zone, core.settings.LIFT_QUIET_HOURS);
    const capped = capUntil(sent.get(send.personId) ?? [], now, core.settings.LIFT_EMAIL_CAP, WEEK_MS);
    const until = Math.max(quiet ?? 0, capped ?? 0);
    if (until > now) {
      tally.deferred++;
      const why =
        quiet !== null && quiet >= (capped ?? 0)
          ? `quiet hours in ${zone}`
          : `the cap of ${core.settings.LIFT_EMAIL_CAP} a week`;
      await updateSend(tables, send.id, { status: "queued", dueAt: until, reason: `deferred: ${why}` });
      return null;
    }
    sent.set(send.personId, [...(sent.get(send.personId) ?? []), now]);
  }
  const base = core.publicUrl;
  const key = await core.key();
  const unsubscribeUrl = send.marketing ? `${base}/v1/unsubscribe/${signToken(key, "u", send.id)}` : null;
  const rendered = renderTemplate(
    template,
    {
      email,
      customer_id: send.personId,
      first_name: firstName(contact?.traits ?? {}),
      name: typeof contact?.traits["name"] === "string" ? (contact.traits["name"] as string) : undefined,
      traits: contact?.traits ?? {},
    },
    {
      unsubscribeUrl,
      ...(core.settings.LIFT_CLICK_TRACKING
        ? {
            link: (url: string, index: number) =>
              `${base}/v1/r/${signToken(key, "c", send.id, index, url)}?u=${encodeURIComponent(url)}`,
          }
        : {}),
    },
  );
  const html = core.settings.LIFT_OPEN_TRACKING
    ? rendered.html.replace(
        "</body>",
        `<img src="${base}/v1/o/${signToken(key, "o", send.id)}" width="1" height="1" alt=""></body>`,
      )
    : rendered.html;
  const host = new URL(base).hostname || "lift.local";
  return {
    send,
    rendered: { subject: rendered.subject, text: rendered.text, html },
    mail: {
      from: template.fromAddress ?? core.settings.LIFT_EMAIL_FROM,
      to: email,
      replyTo: template.replyTo ?? undefined,
      subject: rendered.subject,
      text: rendered.text,
      html,
      messageId: `<lift-${send.id}-${send.key.replace(/[^A-Za-z0-9]/g, "").slice(0, 24)}@${host}>`,
      headers: {
        "X-Lift-Automation": String(send.automationId),
        ...(unsubscribeUrl
          ? {
              "List-Unsubscribe": `<${unsubscribeUrl}>`,
              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
          : {}),
      },
    },
  };
}

/** Hands the rendered mail over, several at once; returns why when the server cannot be reached. */
async function sendMail(
  core: AutomationsCore,
  ready: Ready[],
  now: number,
  tally: DeliveryTally,
  outboxOnly: boolean,
): Promise<string | null> {
  const { tables } = core.context;
  const mailer = outboxOnly ? null : core.mailer;
  // Outcomes are written 50 to a transaction: a message's row says "claimed" until then, so a
  // crash in between leaves it unclear (never resent), not sent twice.
  let outcomes: { id: number; update: SendUpdate }[] = [];
  const record = async (id: number, update: SendUpdate) => {
    outcomes.push({ id, update });
    if (outcomes.length >= 50) {
      const batch = outcomes;
      outcomes = [];
      await updateSends(tables, batch);
    }
  };
  if (!mailer) {
    // Local mode: the console shows the mail instead of sending it.
    for (const { send, rendered } of ready) {
      tally.shown++;
      await record(send.id, {
        status: "shown",
        sentAt: now,
        ...rendered,
        reason: "SMTP_URL is not set: shown in the console, not sent",
      });
    }
    await updateSends(tables, outcomes);
    return null;
  }
  let down: string | null = null;
  const pending: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < ready.length) {
      const { send, mail, rendered } = ready[next++]!;
      if (down) {
        pending.push(send.id);
        continue;
      }
      const outcome = await mailer.send(mail);
      if (outcome.ok) {
        tally.sent++;
        await record(send.id, { status: "sent", sentAt: now, messageId: outcome.messageId, ...rendered });
      } else if (outcome.kind === "down") {
        down = outcome.reason;
        pending.push(send.id);
      } else if (outcome.kind === "transient" && send.attempts < MAX_ATTEMPTS) {
        tally.retried++;
        await record(send.id, {
          status: "queued",
          dueAt: now + backoff(send.attempts),
          reason: outcome.reason,
        });
      } else if (outcome.kind === "unclear") {
        tally.unclear++;
        await record(send.id, { status: "unclear", reason: outcome.reason, ...rendered });
      } else {
        tally.failed++;
        await record(send.id, { status: "failed", reason: outcome.reason, ...rendered });
        // A recipient the server refuses for good gets no more marketing mail.
        if (outcome.kind === "permanent")
          await suppress(tables, emailHash(await core.key(), mail.to), "bounced", now);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, ready.length) }, worker));
  await updateSends(tables, outcomes);
  if (down && pending.length > 0) await requeue(tables, pending, now + 60_000, `waiting: ${down}`);
  return down;
}

/** A message to an automation's owner (where they created it). */
export async function tellOwner(
  core: AutomationsCore,
  notifier: Notifier | null,
  automation: AutomationRow,
  now: number,
  title: string,
  text: string,
): Promise<void> {
  core.context.logger.warn({ automation: automation.name }, `${title}: ${text}`);
  if (!notifier) return;
  await notifier
    .deliver(automation.channel, simpleReport("automation-notice", `${title}: ${automation.name}`, text), {
      idempotencyKey: `automation-notice:${automation.id}:${title}:${now}`,
    })
    .catch((error) =>
      core.context.logger.error({ err: error, automation: automation.name }, "owner not told"),
    );
}

export function describeTally(tally: DeliveryTally): string {
  return Object.entries(tally)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${formatCount(n)} ${k}`)
    .join(", ");
}
