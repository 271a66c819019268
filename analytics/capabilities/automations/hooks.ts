import { type AutomationRow, contacts } from "../../../db/automations/queries.ts";
import { type SendRow, updateSend } from "../../../db/automations/sends.ts";
import { DeliveryError, type Notifier } from "../../platform/delivery/notifier.ts";
import { simpleReport } from "../../platform/reports/report.ts";
import type { AutomationsCore } from "./core.ts";
import { backoff, type DeliveryTally, MAX_ATTEMPTS } from "./delivery.ts";
import { specOf } from "./grammar.ts";
import { signWebhook } from "./signing.ts";

/*
 * The two other ways an automation acts: a webhook (a signed JSON POST, retried on 429 and 5xx
 * with the idempotency key the receiver dedupes on) and a Slack message (through the Notifier,
 * checked before a retry so it is posted once).
 */

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
  const retryOrFail = async (reason: string, retryAfterMs?: number) => {
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
  };
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
        await retryOrFail(
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
      await retryOrFail(`the webhook could not be reached: ${(error as Error).message}`);
    }
    return;
  }
  const step = specOf(automation).steps[send.step];
  const text = (step?.kind === "slack" ? step.text : "").replace(/\{\{\s*customer_id\s*\}\}/g, send.personId);
  if (!notifier) return retryOrFail("no Slack or console to post to in this process");
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
      await retryOrFail(
        `Slack: ${(error as Error).message}`,
        error instanceof DeliveryError ? error.retryAfterMs : undefined,
      );
  }
}
