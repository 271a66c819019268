import { createHash } from "node:crypto";
import {
  type AutomationRow,
  contacts,
  dueRuns,
  enrol,
  listAutomations,
  type NewRun,
  ordersSince,
  type RunRow,
  seenMembers,
  updateAutomation,
} from "../../../db/automations/queries.ts";
import { applySteps, type StepWrite } from "../../../db/automations/sends.ts";
import { isAppError } from "../../platform/base/errors.ts";
import type { PlatformApi } from "../../platform/contract/api.ts";
import type { Notifier } from "../../platform/delivery/notifier.ts";
import { nextRunAt } from "../../platform/time/schedule.ts";
import { segmentsService } from "../segments/index.ts";
import { approvalReport } from "./approval.ts";
import type { AutomationsCore } from "./core.ts";
import { tellOwner } from "./delivery.ts";
import { type AutomationSpec, type Condition, isAction, type Step, specOf, type Trigger } from "./grammar.ts";
import { customerZone, nextLocalTime } from "./timing.ts";

/*
 * The automation engine, one pass per minute (a job): each live automation's trigger enrols
 * who entered since the last pass (runs keyed by occurrence, so a pass run twice enrols nobody
 * twice), then every run whose step is due moves on — a wait sets when it is due again, a
 * condition that fails ends it, an action queues a send keyed by automation, occurrence and
 * step. Sending is the delivery's (delivery.ts).
 */

interface Cursor {
  /** Segment triggers: the first pass noted the members (and enrolled them when asked). */
  seeded?: boolean;
  /** Events read up to this instant. */
  eventsTo?: number;
  /** Incidents opened after this instant are new. */
  incidentsFrom?: number;
  /** The last schedule run enrolled. */
  lastRun?: number;
}

const MAX_RUNS_PER_PASS = 200_000;

/**
 * Who an event trigger enrols between two instants: each "A" from `fromMs` up to `toMs` less the
 * window, not followed by "B" from the same person within the window (read up to `toMs`).
 */
export async function eventEntrants(
  platform: PlatformApi,
  trigger: Extract<Trigger, { kind: "event" }>,
  fromMs: number,
  toMs: number,
): Promise<{ personId: string; at: number }[]> {
  const within = trigger.without?.withinMs ?? 0;
  const until = toMs - within;
  if (until <= fromMs) return [];
  const names = trigger.without ? [trigger.event, trigger.without.event] : [trigger.event];
  const byPerson = new Map<string, { a: number[]; b: number[] }>();
  for (const row of await platform.funnelEvents(names, { fromMs, toMs: toMs + 1 })) {
    const entry = byPerson.get(row.personId) ?? { a: [], b: [] };
    if (row.eventKey === trigger.event && row.timestamp < until) entry.a.push(row.timestamp);
    else if (trigger.without && row.eventKey === trigger.without.event) entry.b.push(row.timestamp);
    byPerson.set(row.personId, entry);
  }
  const out: { personId: string; at: number }[] = [];
  for (const [personId, { a, b }] of byPerson)
    for (const at of a)
      if (!trigger.without || !b.some((t) => t > at && t <= at + within)) out.push({ personId, at });
  return out;
}

/** A segment's members now (saved, RFM or prediction-field segments): not_found when it is gone. */
export async function segmentMembers(platform: PlatformApi, name: string): Promise<Set<string>> {
  const segments = segmentsService.of(platform);
  return segments.members(await segments.get(name));
}

/** Whether a person falls in the holdout: the same answer on every pass and every process. */
export function inHoldout(automationId: number, personId: string, share: number): boolean {
  if (share <= 0) return false;
  const digest = createHash("sha256").update(`${automationId}:${personId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < share;
}

/** A step's identity across versions: editing a live automation never sends one again. */
export function stepKey(steps: readonly Step[], index: number): string {
  const sign = (s: Step) =>
    s.kind === "email"
      ? `email:${s.template}`
      : s.kind === "webhook"
        ? `webhook:${s.url}`
        : s.kind === "slack"
          ? `slack:${s.to}:${s.text}`
          : s.kind === "action"
            ? `action:${s.action}:${JSON.stringify(s.args)}`
            : s.kind;
  const own = sign(steps[index]!);
  const nth = steps.slice(0, index).filter((s) => sign(s) === own).length;
  return `${own}#${nth}`;
}

export class Engine {
  constructor(private readonly core: AutomationsCore) {}

  private get tables() {
    return this.core.context.tables;
  }

  /** One pass: enrol, then move due runs on. Returns how many runs were enrolled and moved. */
  async pass(
    now: number,
    notifier: Notifier | null,
    signal?: AbortSignal,
  ): Promise<{ enrolled: number; moved: number }> {
    let enrolled = 0;
    let moved = 0;
    for (const automation of await listAutomations(this.tables)) {
      if (automation.status !== "live" || signal?.aborted) continue;
      const spec = specOf(automation);
      try {
        enrolled += await this.enter(automation, spec, now, notifier);
        moved += await this.advance(automation, spec, now, signal);
      } catch (error) {
        // What it reads is gone (its segment deleted): paused, and the owner told once, not a failure every minute.
        if (isAppError(error) && error.code === "not_found") {
          await updateAutomation(this.core.context.tables, automation.id, {
            status: "paused",
            updatedAt: now,
          });
          await tellOwner(
            this.core,
            notifier,
            automation,
            now,
            "Automation paused",
            `${error.message}, so “${automation.name}” cannot run. Edit it (\`automation edit ${automation.name} when …\`) and start it again.`,
          );
        } else
          this.core.context.logger.error(
            { err: error, automation: automation.name },
            "automation pass failed",
          );
      }
    }
    return { enrolled, moved };
  }

  private async enter(
    automation: AutomationRow,
    spec: AutomationSpec,
    now: number,
    notifier: Notifier | null,
  ): Promise<number> {
    const cursor = JSON.parse(automation.cursor) as Cursor;
    const since = automation.liveSince ?? now;
    const trigger = spec.trigger;
    const people: { personId: string; occurrence: string; payload?: Record<string, unknown> }[] = [];
    let seen: { joined: string[]; left: string[] } | undefined;
    if (trigger.kind === "segment") {
      const members = await segmentMembers(this.core.context.platform, trigger.segment);
      const before = await seenMembers(this.tables, automation.id);
      const joined = [...members].filter((id) => !before.has(id));
      const left = [...before].filter((id) => !members.has(id));
      seen = { joined, left };
      if (!cursor.seeded) {
        cursor.seeded = true;
        if (automation.includeCurrent && trigger.on === "enters")
          for (const id of members) people.push({ personId: id, occurrence: `p:${id}` });
      } else
        for (const id of trigger.on === "enters" ? joined : left)
          people.push({ personId: id, occurrence: `p:${id}` });
    } else if (trigger.kind === "event") {
      const from = cursor.eventsTo ?? since;
      const to = now - (trigger.without?.withinMs ?? 0);
      if (to > from) {
        for (const { personId, at } of await eventEntrants(this.core.context.platform, trigger, from, now))
          people.push({ personId, occurrence: `e:${personId}:${at}`, payload: { at } });
        cursor.eventsTo = to;
      }
    } else if (trigger.kind === "incident") {
      const from = cursor.incidentsFrom ?? since;
      let latest = from;
      for (const incident of await this.core.context.platform.schedules.openIncidents())
        if (incident.openedAt > from) {
          people.push({
            personId: `alert:${incident.subscriptionId}`,
            occurrence: `i:${incident.subscriptionId}:${incident.openedAt}`,
            payload: { headline: incident.headline, openedAt: incident.openedAt },
          });
          latest = Math.max(latest, incident.openedAt);
        }
      cursor.incidentsFrom = latest;
    } else {
      const zone = this.core.context.platform.settings.timeZone;
      const runAt = nextRunAt(trigger.schedule, zone, cursor.lastRun ?? since);
      if (runAt <= now) {
        cursor.lastRun = runAt;
        if (trigger.segment) {
          for (const id of await segmentMembers(this.core.context.platform, trigger.segment))
            people.push({ personId: id, occurrence: `s:${runAt}:${id}` });
        } else people.push({ personId: "schedule", occurrence: `s:${runAt}` });
      }
    }
    const sends = spec.steps.some(isAction);
    const runs: NewRun[] = people.slice(0, MAX_RUNS_PER_PASS).map((p) => {
      const holdout = inHoldout(automation.id, p.personId, automation.holdout);
      return {
        personId: p.personId,
        occurrence: p.occurrence,
        arm: holdout ? "holdout" : "treatment",
        state: "active",
        dueAt: now,
        payload: JSON.stringify(p.payload ?? {}),
      };
    });
    // A bulk send waits for an admin's approval: nothing goes before.
    const treated = runs.filter((r) => r.arm === "treatment").length;
    const needsApproval = sends && treated > this.core.settings.LIFT_APPROVAL_THRESHOLD;
    if (needsApproval) for (const run of runs) if (run.arm === "treatment") run.state = "held";
    const added = await enrol(this.tables, automation, runs, now, seen, JSON.stringify(cursor));
    if (needsApproval && added > 0 && notifier) {
      const report = await approvalReport(this.core, automation, added);
      await notifier
        .deliver(automation.channel, report, {
          idempotencyKey: `automation-approval:${automation.id}:${now}`,
        })
        .catch((error) =>
          this.core.context.logger.error(
            { err: error, automation: automation.name },
            "approval request not delivered",
          ),
        );
    }
    return added;
  }

  /** Moves every due run on until it waits, ends, or queues its sends. */
  private async advance(
    automation: AutomationRow,
    spec: AutomationSpec,
    now: number,
    signal?: AbortSignal,
  ): Promise<number> {
    let moved = 0;
    const segmentCache = new Map<string, Set<string>>();
    const kinds = new Map<string, boolean>();
    for (const step of spec.steps)
      if (step.kind === "email")
        kinds.set(step.template, (await this.core.templateKind(step.template)) === "marketing");
    for (;;) {
      const runs = await dueRuns(this.tables, automation.id, now, 2000);
      if (runs.length === 0 || signal?.aborted) break;
      const people = await contacts(
        this.tables,
        runs.map((r) => r.personId),
      );
      const writes: StepWrite[] = [];
      for (const run of runs)
        writes.push(
          await this.step(automation, spec, run, now, people.get(run.personId) ?? null, segmentCache, kinds),
        );
      await applySteps(this.tables, writes);
      moved += runs.length;
    }
    return moved;
  }

  private async step(
    automation: AutomationRow,
    spec: AutomationSpec,
    run: RunRow,
    now: number,
    contact: { email: string | null; traits: Record<string, unknown> } | null,
    segmentCache: Map<string, Set<string>>,
    marketing: Map<string, boolean>,
  ): Promise<StepWrite> {
    let index = run.step;
    let dueAt = run.dueAt;
    const zone = customerZone(contact?.traits ?? {}, this.core.context.platform.settings.timeZone);
    while (index < spec.steps.length) {
      const step = spec.steps[index]!;
      if (step.kind === "wait" || step.kind === "wait_until") {
        const until =
          step.kind === "wait" ? dueAt + step.ms : nextLocalTime(dueAt, step.hour, step.minute, zone);
        index++;
        if (until > now)
          return { send: null, run: { id: run.id, step: index, dueAt: until, state: "active" } };
        dueAt = until;
        continue;
      }
      if (step.kind === "if") {
        if (!(await this.holds(step.condition, run, segmentCache)))
          return { send: null, run: { id: run.id, step: index, dueAt, state: "exited" } };
        index++;
        continue;
      }
      if (run.arm === "holdout") {
        index++;
        continue;
      }
      const next = index + 1;
      const state = next >= spec.steps.length ? "done" : "active";
      const recipient =
        step.kind === "email"
          ? (contact?.email ?? "")
          : step.kind === "webhook"
            ? step.url
            : step.kind === "action"
              ? step.action
              : step.to === "owner"
                ? ownerDestination(automation)
                : step.to;
      // One step a pass: the next runs on the next read of due runs (the send is queued first).
      return {
        send: {
          key: `${automation.id}:${run.occurrence}:${stepKey(spec.steps, index)}`,
          automationId: automation.id,
          version: automation.version,
          runId: run.id,
          personId: run.personId,
          step: index,
          channel: step.kind,
          marketing: step.kind === "email" ? (marketing.get(step.template) ?? true) : false,
          recipient,
          template: step.kind === "email" ? step.template : null,
          dueAt: Math.max(dueAt, now),
          createdAt: now,
        },
        run: { id: run.id, step: next, dueAt, state },
      };
    }
    return { send: null, run: { id: run.id, step: index, dueAt, state: "done" } };
  }

  private async holds(condition: Condition, run: RunRow, cache: Map<string, Set<string>>): Promise<boolean> {
    if (condition.kind === "in_segment") {
      let members = cache.get(condition.segment);
      if (!members) {
        members = await segmentMembers(this.core.context.platform, condition.segment);
        cache.set(condition.segment, members);
      }
      return members.has(run.personId) !== condition.negate;
    }
    const orders = await ordersSince(this.tables, run.personId, run.enteredAt);
    return condition.kind === "order" ? orders > 0 : orders === 0;
  }
}

/** Where "the owner" is told: a direct message to a Slack user, else where they created it (the console). */
export function ownerDestination(automation: { owner: string; channel: string }): string {
  return /^[UW][A-Z0-9]{2,}$/.test(automation.owner) ? automation.owner : automation.channel;
}

/** Marks an automation's sending paused (the mail server is down) or resumed; true when it changed. */
export async function setSendingPaused(
  core: AutomationsCore,
  automation: AutomationRow,
  paused: { at: number; why: string } | null,
): Promise<boolean> {
  if ((automation.pausedSendingAt !== null) === (paused !== null)) return false;
  await updateAutomation(core.context.tables, automation.id, {
    pausedSendingAt: paused?.at ?? null,
    pausedSendingWhy: paused?.why ?? null,
  });
  return true;
}
