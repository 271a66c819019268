import { type AutomationRow, contacts } from "../../../db/automations/queries.ts";
import { type SendRow, updateSend } from "../../../db/automations/sends.ts";
import { DeliveryError, type Notifier } from "../../platform/delivery/notifier.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import { type ActionOutcome, actionPoint } from "./api.ts";
import type { AutomationsCore } from "./core.ts";
import { backoff, type DeliveryTally, MAX_ATTEMPTS } from "./delivery.ts";
import { specOf } from "./grammar.ts";
import { signWebhook } from "./signing.ts";

/*
 * The two other ways an automation acts: a webhook (a signed JSON POST, retried on 429 and 5xx
 * with the idempotency key the receiver dedupes on) and a Slack message (through the Notifier,
 * checked before a retry so it is posted once).
 */

/** A send that did not go: queued again with backoff, or failed after the last try. */
async function retryOrFail(
  core: AutomationsCore,
  send: SendRow,
  now: number,
  tally: DeliveryTally,
  reason: string,
  retryAfterMs?: number,
): Promise<void> {
  const { tables } = core.context;
  if (send.attempts < MAX_ATTEMPTS) {
    tally.retried++;
    await updateSend(tables, send.id, {
      status: "queued",
      dueAt: now + (retryAfterMs ?? backoff(send.attempts)),
      reason,
    });
  } else {
    tally.failed++;
    await updateSend(tables, send.id, {
      status: "failed",
      reason: `${reason} (gave up after ${MAX_ATTEMPTS} tries)`,
    });
  }
}

/**
 * Actions other capabilities add (a CRM list …): the sends due for one step of one automation
 * done in one call to the action, each person's outcome recorded.
 */
export async function deliverActions(
  core: AutomationsCore,
  automations: Map<number, AutomationRow>,
  sends: readonly SendRow[],
  now: number,
  tally: DeliveryTally,
): Promise<void> {
  const { tables } = core.context;
  const groups = new Map<string, { args: Record<string, string>; kind: string; sends: SendRow[] }>();
  for (const send of sends) {
    const step = specOf(automations.get(send.automationId)!).steps[send.step];
    if (step?.kind !== "action") {
      tally.failed++;
      await updateSend(tables, send.id, {
        status: "failed",
        reason: "the step is no longer an action (edited)",
      });
      continue;
    }
    const key = `${send.automationId}:${send.step}`;
    const group = groups.get(key) ?? { args: step.args, kind: step.action, sends: [] };
    group.sends.push(send);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const action = core.context.extensions(actionPoint).find((a) => a.kind === group.kind);
    let outcomes: Map<string, ActionOutcome>;
    try {
      if (!action) throw new Error(`the action “${group.kind}” is not available in this Lift`);
      outcomes = await action.perform(
        group.args,
        group.sends.map((s) => ({ personId: s.personId, key: s.key })),
      );
    } catch (error) {
      for (const send of group.sends) await retryOrFail(core, send, now, tally, (error as Error).message);
      continue;
    }
    for (const send of group.sends) {
      const outcome = outcomes.get(send.key) ?? {
        status: "retry",
        reason: "the action did not answer for them",
      };
      if (outcome.status === "sent") {
        tally.sent++;
        await updateSend(tables, send.id, { status: "sent", sentAt: now });
      } else if (outcome.status === "failed") {
        tally.failed++;
        await updateSend(tables, send.id, { status: "failed", reason: outcome.reason });
      } else await retryOrFail(core, send, now, tally, outcome.reason, outcome.retryAfterMs);
    }
  }
}

/** A webhook or a Slack message. */
export async function deliverOther(
  core: AutomationsCore,
  automation: AutomationRow,
  send: SendRow,
  now: number,
  notifier: Notifier | null,
  tally: DeliveryTally,
): Promise<void> {
  const { tables } = core.context;
  const retry = (reason: string, retryAfterMs?: number) =>
    retryOrFail(core, send, now, tally, reason, retryAfterMs);
  if (send.channel === "webhook") {
    const contact = (await contacts(tables, [send.personId])).get(send.personId);
    const body = JSON.stringify({
      automation: automation.name,
      version: automation.version,
      step: send.step,
      key: send.key,
      at: new Date(now).toISOString(),
      customer: contact ? { id: send.personId, email: contact.email, traits: contact.traits } : null,
      subject: send.personId,
    });
    try {
      const response = await fetch(send.recipient, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-lift-signature": signWebhook(await core.webhookSecret(), Math.floor(now / 1000), body),
          "x-lift-idempotency-key": send.key,
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel();
      if (response.ok) {
        tally.sent++;
        await updateSend(tables, send.id, { status: "sent", sentAt: now, body });
      } else if (response.status === 429 || response.status >= 500) {
        const after = Number(response.headers.get("retry-after"));
        await retry(
          `the webhook answered ${response.status}`,
          Number.isFinite(after) && after > 0 ? after * 1000 : undefined,
        );
      } else {
        tally.failed++;
        await updateSend(tables, send.id, {
          status: "failed",
          reason: `the webhook refused it: ${response.status}`,
          body,
        });
      }
    } catch (error) {
      // The receiver dedupes on the idempotency key, so a timed-out call is safe to repeat.
      await retry(`the webhook could not be reached: ${(error as Error).message}`);
    }
    return;
  }
  const step = specOf(automation).steps[send.step];
  const text = (step?.kind === "slack" ? step.text : "").replace(/\{\{\s*customer_id\s*\}\}/g, send.personId);
  if (!notifier) return retry("no Slack or console to post to in this process");
  const report = simpleReport("automation-message", `Automation ${automation.name}`, text, {
    details: [`Sent by automation “${automation.name}” (v${automation.version}) for ${send.personId}.`],
  });
  try {
    const delivered =
      send.attempts > 1 ? await notifier.wasDelivered(send.recipient, `automation-send:${send.key}`) : null;
    if (!delivered)
      await notifier.deliver(send.recipient, report, { idempotencyKey: `automation-send:${send.key}` });
    tally.sent++;
    await updateSend(tables, send.id, { status: "sent", sentAt: now, body: text });
  } catch (error) {
    if (error instanceof DeliveryError && error.kind === "permanent") {
      tally.failed++;
      await updateSend(tables, send.id, { status: "failed", reason: `Slack refused it: ${error.message}` });
    } else
      await retry(
        `Slack: ${(error as Error).message}`,
        error instanceof DeliveryError ? error.retryAfterMs : undefined,
      );
  }
}
